import type { Arbitration } from './arbitrate.js';
import type { Proposal, ReasonCode } from './types.js';

/**
 * `ScaleOut`, `ScaleIn` or `NoChange` for a recommendation against the current capacity.
 *
 * @example
 * changeReason(6, 4); // 'ScaleOut'
 */
export function changeReason(capacity: number, current: number): ReasonCode {
  return capacity > current ? 'ScaleOut' : capacity < current ? 'ScaleIn' : 'NoChange';
}

/**
 * What arbitration says when no rule proposed a usable number: `MetricsUnavailable` when a rule
 * had no data, else `NoRecommendation`.
 *
 * @example
 * noRecommendation(null, []).message; // 'the group has no rules'
 */
export function noRecommendation(invalid: Proposal | null, proposals: readonly Proposal[]): Arbitration {
  if (invalid !== null) {
    return { capacity: null, reason: 'MetricsUnavailable', message: invalid.message, winner: null };
  }
  return {
    capacity: null,
    reason: 'NoRecommendation',
    message: proposals.length === 0 ? 'the group has no rules' : 'every rule abstained',
    winner: null,
  };
}

/**
 * Arbitrate with floors. A proposal marked `floor` (a forecast, a schedule's desired capacity) is
 * a lower bound, not a vote: `vote` sees only the other proposals, and the result is raised to
 * the highest floor. A floor alone never lowers capacity.
 *
 * @example
 * withFloors(proposals, 4, (votes) => arbitrateMax(votes, 4));
 */
export function withFloors(
  proposals: readonly Proposal[],
  current: number,
  vote: (proposals: readonly Proposal[]) => Arbitration,
): Arbitration {
  let floor: Proposal | null = null;
  for (const p of proposals) {
    if (p.floor !== true || p.outcome !== 'propose') continue;
    if (floor === null || (p.capacity as number) > (floor.capacity as number)) floor = p;
  }
  if (floor === null) return vote(proposals);
  const result = vote(proposals.filter((p) => p.floor !== true));
  const least = floor.capacity as number;
  if ((result.capacity ?? current) >= least) return result;
  return { capacity: least, reason: changeReason(least, current), message: floor.message, winner: floor };
}
