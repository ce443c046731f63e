import type { Arbitration } from './arbitrate.js';
import { changeReason, noRecommendation, withFloors } from './floors.js';
import { formatNumber } from './statistics.js';
import type { Proposal, ScaleDirection } from './types.js';

/** How a value is compared with a threshold, spelled as Azure and CloudWatch spell it. */
export type ThresholdOperator =
  | 'GreaterThan'
  | 'GreaterThanOrEqual'
  | 'LessThan'
  | 'LessThanOrEqual'
  | 'Equals'
  | 'NotEquals';

/**
 * The threshold operators.
 *
 * @example
 * THRESHOLD_OPERATORS.includes('GreaterThan'); // true
 */
export const THRESHOLD_OPERATORS: readonly ThresholdOperator[] = [
  'GreaterThan',
  'GreaterThanOrEqual',
  'LessThan',
  'LessThanOrEqual',
  'Equals',
  'NotEquals',
];

/**
 * Whether `value` compares true with `threshold` by `operator`.
 *
 * @example
 * compareThreshold(600, 'GreaterThanOrEqual', 600); // true
 */
export function compareThreshold(value: number, operator: ThresholdOperator, threshold: number): boolean {
  switch (operator) {
    case 'GreaterThan':
      return value > threshold;
    case 'GreaterThanOrEqual':
      return value >= threshold;
    case 'LessThan':
      return value < threshold;
    case 'LessThanOrEqual':
      return value <= threshold;
    case 'Equals':
      return value === threshold;
    case 'NotEquals':
      return value !== threshold;
  }
}

function isOperator(value: unknown): value is ThresholdOperator {
  return (THRESHOLD_OPERATORS as readonly unknown[]).includes(value);
}

/** Options of {@link arbitrateAzure}. */
export interface AzureArbitrationOptions {
  /**
   * Azure's profile `default` capacity, used when a rule's metric cannot be read: below it the
   * group scales out to it; above it the group does not scale in. Left out, missing metrics only
   * block scale-in.
   */
  readonly defaultCapacity?: number;
}

/** A scale-out rule's comparison as its proposal's `details` carry it, for the flapping projection. */
export interface ProjectableRule {
  /** The proposal it came from. */
  readonly proposal: Proposal;
  /** The value the rule compared (per unit with `dividePerInstance`). */
  readonly value: number;
  /** The threshold. */
  readonly threshold: number;
  /** The operator. */
  readonly operator: ThresholdOperator;
}

/** The flapping projection of one scale-out rule at one candidate capacity. */
export interface FlappingProjection {
  /** The scale-out rule's name. */
  readonly rule: string;
  /** The projected value, `value × current / candidate`. */
  readonly projected: number;
  /** Whether the projected value would make the scale-out rule fire. */
  readonly triggers: boolean;
}

function directionOf(proposal: Proposal): ScaleDirection | undefined {
  const direction = proposal.details?.direction;
  return direction === 'out' || direction === 'in' ? direction : undefined;
}

/**
 * The scale-out rules among `proposals` whose details allow a projection: a `direction` of
 * `out` and a numeric `value` and `threshold` with an `operator` (threshold rules carry them
 * whether they fired or not).
 *
 * @example
 * projectableRules(proposals).map((r) => r.proposal.rule); // ['threshold:cpu:out']
 */
export function projectableRules(proposals: readonly Proposal[]): ProjectableRule[] {
  const out: ProjectableRule[] = [];
  for (const proposal of proposals) {
    const d = proposal.details;
    if (d === undefined || directionOf(proposal) !== 'out') continue;
    if (typeof d.value !== 'number' || typeof d.threshold !== 'number' || !isOperator(d.operator)) continue;
    out.push({ proposal, value: d.value, threshold: d.threshold, operator: d.operator });
  }
  return out;
}

/**
 * Project each scale-out rule's value to `candidate` units as Azure does before a scale-in:
 * `value × current / candidate` (a per-unit value spread over fewer units). At 0 units any
 * positive value projects to +∞.
 *
 * @example
 * projectFlapping(rules, 3, 2); // [{ rule: 'threshold:threads:out', projected: 862.5, triggers: true }]
 */
export function projectFlapping(
  rules: readonly ProjectableRule[],
  current: number,
  candidate: number,
): FlappingProjection[] {
  return rules.map((r) => {
    const projected =
      candidate > 0
        ? (r.value * current) / candidate
        : r.value === 0
          ? 0
          : r.value * Number.POSITIVE_INFINITY;
    return {
      rule: r.proposal.rule,
      projected,
      triggers: compareThreshold(projected, r.operator, r.threshold),
    };
  });
}

/**
 * Azure's flapping check for a scale-in from `current` to `intended`: the smallest count from
 * `intended` up to `current − 1` at which no scale-out rule's projected value would fire, or
 * `null` when every count would (Azure then skips the scale-in until the next run).
 *
 * @example
 * flappingSafeCapacity(rules, 30, 20); // 28 when 65 % CPU × 30 / 28 = 69.6 stays under 70 %
 */
export function flappingSafeCapacity(
  rules: readonly ProjectableRule[],
  current: number,
  intended: number,
): number | null {
  for (let candidate = intended; candidate < current; candidate++) {
    if (!projectFlapping(rules, current, candidate).some((p) => p.triggers)) return candidate;
  }
  return null;
}

function byCapacityDesc(a: Proposal, b: Proposal): number {
  return (b.capacity as number) - (a.capacity as number);
}

/**
 * Combine proposals as Azure Monitor autoscale evaluates a profile's rules:
 * 1. Scale-out first: if any scale-out rule fires (a proposal with `details.direction` `out`, or
 *    without a direction proposing more than `current`), the largest resulting capacity wins —
 *    a rule that could not read its metric never holds a scale-out back.
 * 2. Only then scale-in, and only if every scale-in rule fires (`direction` `in`, or without a
 *    direction proposing less than `current`) and no rule holds: a scale-in rule that did not
 *    fire, a rule without a direction proposing `current`, or a rule without data vetoes it.
 *    The removal is the smallest (the largest resulting capacity).
 * 3. The flapping projection: before scaling in to M from N, each scale-out rule's value is
 *    projected as `value × N / M`; if one would fire, the smallest count between M and N at
 *    which none would is used (`FlappingOccurred`, Azure's "Current N, Intended M, Actual K"),
 *    and if there is none the scale-in is skipped (`Flapping`).
 * 4. A rule without data and `defaultCapacity` above `current`: scale out to the default
 *    (`DefaultCapacity`), as Azure does when metrics cannot be read.
 * 5. A `floor` proposal (a schedule's desired capacity, a forecast) takes no part in the vote;
 *    it only raises the result to itself.
 *
 * @example
 * arbitrateAzure(proposals, 3).reason; // 'Flapping' when scaling in to 2 would trigger a scale-out
 */
export function arbitrateAzure(
  proposals: readonly Proposal[],
  current: number,
  options: AzureArbitrationOptions = {},
): Arbitration {
  // A floor is left out of the all-must-agree count: it only raises the result.
  return withFloors(proposals, current, (votes) => arbitrateVotes(votes, current, options));
}

function arbitrateVotes(
  proposals: readonly Proposal[],
  current: number,
  options: AzureArbitrationOptions,
): Arbitration {
  const outs: Proposal[] = [];
  const ins: Proposal[] = [];
  let veto: Proposal | null = null;
  let invalid: Proposal | null = null;
  for (const proposal of proposals) {
    const direction = directionOf(proposal);
    if (proposal.outcome === 'invalid') {
      invalid ??= proposal;
    } else if (proposal.outcome === 'abstain') {
      // A scale-in rule that did not fire is a scale-in rule that disagrees.
      if (direction === 'in') veto ??= proposal;
    } else {
      const capacity = proposal.capacity as number;
      const out = direction === 'out' || (direction === undefined && capacity > current);
      const inward = direction === 'in' || (direction === undefined && capacity < current);
      if (out) outs.push(proposal);
      else if (inward) ins.push(proposal);
      else veto ??= proposal;
    }
  }
  const fallback = options.defaultCapacity;
  const toDefault = invalid !== null && fallback !== undefined && fallback > current;

  if (outs.length > 0) {
    // Stable: the first of equal proposals wins, as in `max`.
    const winner = [...outs].sort(byCapacityDesc)[0] as Proposal;
    const capacity = winner.capacity as number;
    if (toDefault && fallback > capacity) return defaultResult(invalid as Proposal, fallback, current);
    const others = outs.length > 1 ? `; the largest of ${outs.length} scale-out rules` : '';
    return {
      capacity,
      reason: changeReason(capacity, current),
      message: `${winner.message}${others}`,
      winner,
    };
  }
  if (toDefault) return defaultResult(invalid as Proposal, fallback, current);

  if (ins.length === 0) {
    if (veto !== null) {
      return {
        capacity: current,
        reason: 'NoChange',
        message: veto.message,
        winner: veto.outcome === 'propose' ? veto : null,
      };
    }
    return noRecommendation(invalid, proposals);
  }
  const winner = [...ins].sort(byCapacityDesc)[0] as Proposal;
  const intended = winner.capacity as number;
  if (invalid !== null) {
    return {
      capacity: current,
      reason: 'MetricsIncomplete',
      message: `${invalid.message}, so scale-in to ${intended} is blocked`,
      winner,
    };
  }
  if (veto !== null) {
    return {
      capacity: current,
      reason: 'NoChange',
      message: `${veto.message}, and scale-in needs every scale-in rule to agree`,
      winner: null,
    };
  }
  if (intended >= current) {
    return { capacity: intended, reason: changeReason(intended, current), message: winner.message, winner };
  }
  const rules = projectableRules(proposals);
  const safe = flappingSafeCapacity(rules, current, intended);
  if (safe === intended) {
    const smallest = ins.length > 1 ? `; the smallest removal of ${ins.length} scale-in rules` : '';
    return { capacity: intended, reason: 'ScaleIn', message: `${winner.message}${smallest}`, winner };
  }
  const blocking = projectFlapping(rules, current, intended).filter((p) => p.triggers);
  const why = blocking.map((p) => `${p.rule} would see ${formatNumber(p.projected)}`).join(', ');
  if (safe === null) {
    return {
      capacity: current,
      reason: 'Flapping',
      message: `scale-in from ${current} to ${intended} skipped to avoid flapping: at ${intended} units ${why} and scale out again, and no count in between avoids it`,
      winner,
    };
  }
  return {
    capacity: safe,
    reason: 'FlappingOccurred',
    message: `scale-in with an updated count to avoid flapping (current ${current}, intended ${intended}, actual ${safe}): at ${intended} units ${why}`,
    winner,
  };
}

function defaultResult(invalid: Proposal, fallback: number, current: number): Arbitration {
  return {
    capacity: fallback,
    reason: 'DefaultCapacity',
    message: `${invalid.message}, so the group goes from ${current} to its default capacity ${fallback}`,
    winner: null,
  };
}
