import { z } from 'zod';
import { durationSchema, positiveDurationSchema } from './duration.js';
import { recordRecommendation } from './recommendations.js';
import type { RecommendationLog, ScaleEventRecord } from './types.js';

/**
 * One rate policy: at most `value` units (`type: 'units'`, Kubernetes `Pods`) or `value` percent
 * (`type: 'percent'`) of change per `period`.
 */
export const scalingPolicySchema = z.strictObject({
  type: z.enum(['units', 'percent']),
  value: z.number().int().positive(),
  period: positiveDurationSchema('a period'),
});

/** A rate policy as written. */
export type ScalingPolicyInput = z.input<typeof scalingPolicySchema>;
/** A rate policy with its period in ms. */
export type ScalingPolicy = z.output<typeof scalingPolicySchema>;

/** How several policies of one direction combine (Kubernetes `selectPolicy`). */
export type SelectPolicy = 'max' | 'min' | 'disabled';

const scalingRulesSchema = z.strictObject({
  stabilizationWindow: durationSchema.optional(),
  selectPolicy: z.enum(['max', 'min', 'disabled']).optional(),
  policies: z.array(scalingPolicySchema).min(1).optional(),
});

/** Rules for one direction, fully resolved. */
export interface ScalingRules {
  /** Recommendations are stabilized over this window, in ms. */
  readonly stabilizationWindow: number;
  /** How policies combine. */
  readonly selectPolicy: SelectPolicy;
  /** Rate policies; replace the defaults entirely when given. */
  readonly policies: readonly ScalingPolicy[];
}

/** Behaviour in both directions, fully resolved. */
export interface Behavior {
  /** Scale-up (scale-out) rules. */
  readonly scaleUp: ScalingRules;
  /** Scale-down (scale-in) rules. */
  readonly scaleDown: ScalingRules;
}

/**
 * The Kubernetes defaults (`pkg/apis/autoscaling/v2/defaults.go`, with the controller's 5-minute
 * downscale window): up — no window, max of 4 units or 100 % per 15 s; down — 5-minute window,
 * 100 % per 15 s.
 */
export const DEFAULT_BEHAVIOR: Behavior = {
  scaleUp: {
    stabilizationWindow: 0,
    selectPolicy: 'max',
    policies: [
      { type: 'units', value: 4, period: 15_000 },
      { type: 'percent', value: 100, period: 15_000 },
    ],
  },
  scaleDown: {
    stabilizationWindow: 300_000,
    selectPolicy: 'max',
    policies: [{ type: 'percent', value: 100, period: 15_000 }],
  },
};

/**
 * Zod schema for `behavior`, with the Kubernetes semantics: each missing field takes its
 * default; user policies replace (not extend) the default list.
 *
 * @example
 * behaviorSchema.parse({ scaleDown: { stabilizationWindow: '1m' } }).scaleDown.policies; // default list
 */
export const behaviorSchema = z
  .strictObject({ scaleUp: scalingRulesSchema.optional(), scaleDown: scalingRulesSchema.optional() })
  .transform(
    (input): Behavior => ({
      scaleUp: {
        stabilizationWindow:
          input.scaleUp?.stabilizationWindow ?? DEFAULT_BEHAVIOR.scaleUp.stabilizationWindow,
        selectPolicy: input.scaleUp?.selectPolicy ?? DEFAULT_BEHAVIOR.scaleUp.selectPolicy,
        policies: input.scaleUp?.policies ?? DEFAULT_BEHAVIOR.scaleUp.policies,
      },
      scaleDown: {
        stabilizationWindow:
          input.scaleDown?.stabilizationWindow ?? DEFAULT_BEHAVIOR.scaleDown.stabilizationWindow,
        selectPolicy: input.scaleDown?.selectPolicy ?? DEFAULT_BEHAVIOR.scaleDown.selectPolicy,
        policies: input.scaleDown?.policies ?? DEFAULT_BEHAVIOR.scaleDown.policies,
      },
    }),
  );

/** `behavior` as written. */
export type BehaviorInput = z.input<typeof behaviorSchema>;

/** Result of {@link stabilize}. */
export interface StabilizeResult {
  /** The stabilized recommendation. */
  readonly capacity: number;
  /** `ScaleUpStabilized` / `ScaleDownStabilized` when it differs from the input, else null. */
  readonly reason: 'ScaleUpStabilized' | 'ScaleDownStabilized' | null;
  /** The recommendation history with this recommendation recorded. */
  readonly recommendations: RecommendationLog;
}

/**
 * Kubernetes `stabilizeRecommendationWithBehaviors`: the scale-up window takes the minimum and the
 * scale-down window the maximum of recent recommendations; the result starts at `current` and
 * moves only as far as both allow. Records `desired` (unstabilized), overwriting the last record
 * older than both windows. A record counts when it is strictly newer than `now − window`.
 *
 * @example
 * stabilize({ current: 10, desired: 4, now: 60_000, behavior: DEFAULT_BEHAVIOR,
 *   recommendations: [0, 10] }).capacity; // 10 (held by the 5-minute window)
 */
export function stabilize(args: {
  readonly current: number;
  readonly desired: number;
  readonly now: number;
  readonly behavior: Behavior;
  readonly recommendations: RecommendationLog;
}): StabilizeResult {
  const { current, desired, now, behavior, recommendations } = args;
  const upCutoff = now - behavior.scaleUp.stabilizationWindow;
  const downCutoff = now - behavior.scaleDown.stabilizationWindow;
  let upRecommendation = desired;
  let downRecommendation = desired;
  let oldSlot = -1;
  for (let i = 0; i + 1 < recommendations.length; i += 2) {
    const at = recommendations[i] as number;
    const capacity = recommendations[i + 1] as number;
    if (at > upCutoff && capacity < upRecommendation) upRecommendation = capacity;
    if (at > downCutoff && capacity > downRecommendation) downRecommendation = capacity;
    if (at < upCutoff && at < downCutoff) oldSlot = i;
  }
  let capacity = current;
  if (capacity < upRecommendation) capacity = upRecommendation;
  if (capacity > downRecommendation) capacity = downRecommendation;
  const reason =
    capacity === desired ? null : desired >= current ? 'ScaleUpStabilized' : 'ScaleDownStabilized';
  return { capacity, reason, recommendations: recordRecommendation(recommendations, oldSlot, now, desired) };
}

/**
 * Kubernetes `getReplicasChangePerPeriod`: the sum of changes strictly newer than `now − period`.
 */
export function changeInPeriod(events: readonly ScaleEventRecord[], period: number, now: number): number {
  const cutoff = now - period;
  let sum = 0;
  for (const event of events) if (event.at > cutoff) sum += event.change;
  return sum;
}

/** Recent scale events of both directions. */
export interface ScaleEvents {
  /** Scale-up events. */
  readonly up: readonly ScaleEventRecord[];
  /** Scale-down events. */
  readonly down: readonly ScaleEventRecord[];
}

/**
 * Kubernetes `calculateScaleUpLimitWithScalingRules`: the highest capacity the scale-up policies
 * allow now. `units`: period start + value; `percent`: ceil(period start × (1 + value / 100)),
 * where period start = current − units added + units removed within the period.
 */
export function scaleUpLimit(current: number, events: ScaleEvents, rules: ScalingRules, now: number): number {
  if (rules.selectPolicy === 'disabled') return current;
  const pickMin = rules.selectPolicy === 'min';
  let result = pickMin ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  for (const policy of rules.policies) {
    const periodStart =
      current -
      changeInPeriod(events.up, policy.period, now) +
      changeInPeriod(events.down, policy.period, now);
    const proposed =
      policy.type === 'units'
        ? periodStart + policy.value
        : Math.ceil(periodStart * (1 + policy.value / 100));
    result = pickMin ? Math.min(result, proposed) : Math.max(result, proposed);
  }
  return result;
}

/**
 * Kubernetes `calculateScaleDownLimitWithBehaviors`: the lowest capacity the scale-down policies
 * allow now. `units`: period start − value; `percent`: trunc(period start × (1 − value / 100)).
 * `max` picks the largest change (the smallest result), `min` the smallest change.
 */
export function scaleDownLimit(
  current: number,
  events: ScaleEvents,
  rules: ScalingRules,
  now: number,
): number {
  if (rules.selectPolicy === 'disabled') return current;
  const pickMax = rules.selectPolicy === 'min';
  let result = pickMax ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  for (const policy of rules.policies) {
    const periodStart =
      current -
      changeInPeriod(events.up, policy.period, now) +
      changeInPeriod(events.down, policy.period, now);
    const proposed =
      policy.type === 'units'
        ? periodStart - policy.value
        : Math.trunc(periodStart * (1 - policy.value / 100));
    result = pickMax ? Math.max(result, proposed) : Math.min(result, proposed);
  }
  return result;
}

/** Result of {@link limitRate}. */
export interface RateLimitResult {
  /** The allowed capacity. */
  readonly capacity: number;
  /** The Kubernetes `ScalingLimited` reason. */
  readonly reason:
    | 'ScaleUpLimit'
    | 'TooManyReplicas'
    | 'ScaleDownLimit'
    | 'TooFewReplicas'
    | 'DesiredWithinRange';
}

/**
 * Kubernetes `convertDesiredReplicasWithBehaviorRate`: apply the rate policies and the bounds in
 * the direction of travel. A limit that is past `current` is clamped back to `current`, so a
 * policy never forces a move the other way.
 *
 * @example
 * limitRate({ current: 2, desired: 20, min: 1, max: 100, now: 0, behavior: DEFAULT_BEHAVIOR,
 *   events: { up: [], down: [] } }); // { capacity: 6, reason: 'ScaleUpLimit' }
 */
export function limitRate(args: {
  readonly current: number;
  readonly desired: number;
  readonly min: number;
  readonly max: number;
  readonly now: number;
  readonly behavior: Behavior;
  readonly events: ScaleEvents;
}): RateLimitResult {
  const { current, desired, min, max, now, behavior, events } = args;
  if (desired > current) {
    let limit = scaleUpLimit(current, events, behavior.scaleUp, now);
    if (limit < current) limit = current;
    let allowed = max;
    let reason: RateLimitResult['reason'] = 'TooManyReplicas';
    if (allowed > limit) {
      allowed = limit;
      reason = 'ScaleUpLimit';
    }
    if (desired > allowed) return { capacity: allowed, reason };
  } else if (desired < current) {
    let limit = scaleDownLimit(current, events, behavior.scaleDown, now);
    if (limit > current) limit = current;
    let allowed = min;
    let reason: RateLimitResult['reason'] = 'TooFewReplicas';
    if (allowed < limit) {
      allowed = limit;
      reason = 'ScaleDownLimit';
    }
    if (desired < allowed) return { capacity: allowed, reason };
  }
  return { capacity: desired, reason: 'DesiredWithinRange' };
}

function longestPeriod(rules: ScalingRules): number {
  let longest = 0;
  for (const policy of rules.policies) if (policy.period > longest) longest = policy.period;
  return longest;
}

function storeEvent(
  events: readonly ScaleEventRecord[],
  change: number,
  now: number,
  rules: ScalingRules,
): ScaleEventRecord[] {
  // As Kubernetes `storeScaleEvent`: mark events older than the direction's longest policy
  // period as outdated and reuse the last such slot, so the list stays bounded without ever
  // dropping an event a policy could still count.
  const cutoff = now - longestPeriod(rules);
  const n = events.length;
  let reuse = -1;
  for (let i = 0; i < n; i++) {
    const event = events[i] as ScaleEventRecord;
    if (event.outdated || event.at < cutoff) reuse = i;
  }
  // Sized exactly, as the list is kept until the next scale event.
  const next: ScaleEventRecord[] = new Array(reuse >= 0 ? n : n + 1);
  for (let i = 0; i < n; i++) {
    const event = events[i] as ScaleEventRecord;
    next[i] =
      event.outdated || !(event.at < cutoff) ? event : { at: event.at, change: event.change, outdated: true };
  }
  next[reuse >= 0 ? reuse : n] = { at: now, change, outdated: false };
  return next;
}

/**
 * Record a successful capacity change from `from` to `to` at `now` for rate policies.
 *
 * @example
 * recordScaleEvent({ up: [], down: [] }, 2, 5, 0, DEFAULT_BEHAVIOR).up; // [{ at: 0, change: 3, outdated: false }]
 */
export function recordScaleEvent(
  events: ScaleEvents,
  from: number,
  to: number,
  now: number,
  behavior: Behavior,
): ScaleEvents {
  if (to > from) return { up: storeEvent(events.up, to - from, now, behavior.scaleUp), down: events.down };
  if (to < from) return { up: events.up, down: storeEvent(events.down, from - to, now, behavior.scaleDown) };
  return events;
}
