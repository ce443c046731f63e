import type { Proposal, ReasonCode } from './types.js';

/** How proposals become one recommendation. `max` is the Kubernetes / GCP rule. */
export type ArbitrationMode = 'max';

/** Result of {@link arbitrate}. */
export interface Arbitration {
  /** The recommendation, or null when no rule proposed a usable number. */
  readonly capacity: number | null;
  /** `ScaleOut` / `ScaleIn` / `NoChange` for a usable recommendation, else why there is none. */
  readonly reason: ReasonCode;
  /** One sentence. */
  readonly message: string;
  /** The proposal that won, when there is one. */
  readonly winner: Proposal | null;
}

/**
 * Combine proposals by `max`, as Kubernetes `computeReplicasForMetrics` does: the largest
 * proposal wins (the first on ties). A rule that could not compute (`invalid`) blocks a
 * scale-in but never a scale-out — missing data may allow scale-up, never scale-down.
 *
 * @example
 * arbitrate('max', proposals, 4).capacity;
 */
export function arbitrate(
  mode: ArbitrationMode,
  proposals: readonly Proposal[],
  current: number,
): Arbitration {
  // Only `max` exists so far; the parameter is the extension point for other modes.
  void mode;
  let winner: Proposal | null = null;
  let invalid: Proposal | null = null;
  for (const proposal of proposals) {
    if (proposal.outcome === 'propose') {
      if (winner === null || (proposal.capacity as number) > (winner.capacity as number)) winner = proposal;
    } else if (proposal.outcome === 'invalid' && invalid === null) {
      invalid = proposal;
    }
  }
  if (winner === null) {
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
  const capacity = winner.capacity as number;
  if (invalid !== null && capacity < current) {
    return {
      capacity: current,
      reason: 'MetricsIncomplete',
      message: `${invalid.message}, so scale-in to ${capacity} is blocked`,
      winner,
    };
  }
  const reason: ReasonCode = capacity > current ? 'ScaleOut' : capacity < current ? 'ScaleIn' : 'NoChange';
  return { capacity, reason, message: winner.message, winner };
}
