import { z } from 'zod';
import { durationSchema, formatDuration } from '../core/duration.js';
import { DEFAULT_TOLERANCES, isWithin } from '../core/replica-calculator.js';
import { formatNumber, STATISTICS, type Statistic, toMilli } from '../core/statistics.js';
import type { Observation, Proposal } from '../core/types.js';
import { exactlyOneTarget, readMetric } from './shared.js';

/**
 * Zod schema of a queue rule: one KEDA ScaledObject trigger. Give exactly one of:
 * - `targetPerUnit` — KEDA `AverageValue` (the default there): each unit should carry this much,
 *   desired = ceil(value / targetPerUnit) whatever the current capacity; use it for a queue length.
 * - `target` — KEDA `Value`: the metric itself should equal this, desired =
 *   ceil(value / target × ready units); use it for a latency or an age.
 *
 * The metric must be strictly greater than `activation` for the trigger to be active. Activation
 * alone governs 0 ↔ 1: while capacity is 1 or more the rule scales like the HPA KEDA runs on
 * (tolerance 0.1, never below 1), and only after the trigger has been inactive for the whole
 * `cooldownPeriod` does it propose `idleCapacity` (0 unless given).
 *
 * @example
 * queueRuleSchema.parse({ kind: 'queue', metric: 'queue_length', targetPerUnit: 5 });
 * // → { kind: 'queue', metric: 'queue_length', targetPerUnit: 5, statistic: 'last',
 * //     window: 60000, activation: 0, cooldownPeriod: 300000 }
 */
export const queueRuleSchema = z
  .strictObject({
    kind: z.literal('queue'),
    /** @default `queue:<metric>` */
    name: z.string().min(1).optional(),
    metric: z.string().min(1),
    /** @default 'last' */
    statistic: z.enum(STATISTICS as [Statistic, ...Statistic[]]).default('last'),
    /** @default '1m' */
    window: durationSchema.default(60_000).refine((ms) => ms > 0, {
      message: 'a window longer than 0',
      params: { expected: 'a window longer than 0' },
    }),
    /** KEDA `Value` target. */
    target: z.number().positive().optional(),
    /** KEDA `AverageValue` target. */
    targetPerUnit: z.number().positive().optional(),
    /** KEDA `activation…` threshold; active only when the metric is strictly greater. @default 0 */
    activation: z.number().min(0).default(0),
    /** How long the trigger must have been inactive before going to `idleCapacity`. @default '5m' */
    cooldownPeriod: durationSchema.default(300_000),
    /** KEDA `idleReplicaCount`: the capacity while inactive. @default 0 (when left out) */
    idleCapacity: z.number().int().min(0).optional(),
  })
  .superRefine(exactlyOneTarget);

/** A queue rule as written. */
export type QueueRuleInput = z.input<typeof queueRuleSchema>;
/** A queue rule with defaults applied. */
export type QueueRule = z.output<typeof queueRuleSchema>;

/**
 * The metric window a queue rule needs: its `window`, widened to `cooldownPeriod` so the rule
 * can tell whether the trigger was active at any time during the cooldown.
 *
 * @example
 * queueMetricWindow(queueRuleSchema.parse({ kind: 'queue', metric: 'q', targetPerUnit: 5 })); // 300000
 */
export function queueMetricWindow(rule: QueueRule): number {
  return Math.max(rule.window, rule.cooldownPeriod);
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/**
 * Evaluate a queue rule as KEDA evaluates one ScaledObject trigger:
 * - active (metric > `activation`): the HPA arithmetic for `AverageValue` or `Value` with
 *   tolerance 0.1 (none from zero), never below 1 — KEDA never proposes 0 while active;
 * - inactive, but some sample in the last `cooldownPeriod` was above `activation`, at 1 or more
 *   units: the same arithmetic, never below 1, since the cooldown applies only to going to zero;
 * - inactive for the whole `cooldownPeriod`, or inactive at 0 units: `idleCapacity` (0 unless given).
 *
 * A sample exactly `cooldownPeriod` old no longer counts, as every window is `(now − w, now]`.
 *
 * @example
 * proposeQueue(rule, 0, observation).capacity;
 */
export function proposeQueue(rule: QueueRule, index: number, observation: Observation): Proposal {
  const name = rule.name ?? `queue:${rule.metric}`;
  const reading = readMetric(rule, name, index, observation);
  if ('outcome' in reading) return reading;
  const value = reading.value;
  const perUnit = rule.targetPerUnit !== undefined;
  const target = (rule.targetPerUnit ?? rule.target) as number;
  const targetLabel = perUnit ? `target ${formatNumber(target)} per unit` : `target ${formatNumber(target)}`;
  const activation = rule.activation;
  const active = value > activation;
  const shown = formatNumber(value);
  const current = observation.capacity;
  const base = { value, activation, active, target, metricType: perUnit ? 'AverageValue' : 'Value' };

  if (!active) {
    const since = observation.now - rule.cooldownPeriod;
    // Any sample above activation inside the cooldown means the trigger was active then.
    const recentlyActive = reading.samples.some((s) => s.timestamp > since && s.value > activation);
    if (!recentlyActive || current === 0) {
      const idle = rule.idleCapacity ?? 0;
      return {
        rule: name,
        ruleIndex: index,
        outcome: 'propose',
        capacity: idle,
        reason: 'BelowTarget',
        message:
          current === 0 && recentlyActive
            ? `${rule.metric} ${shown} is not above activation ${formatNumber(activation)}, so it stays idle at ${idle}`
            : `${rule.metric} has not been above activation ${formatNumber(activation)} for ${formatDuration(rule.cooldownPeriod)}, so it goes idle at ${idle}`,
        details: base,
      };
    }
  }

  const usage = toMilli(value);
  const targetMilli = toMilli(target);
  if (current === 0) {
    // Scale from zero: no tolerance, as the HPA's getUsageRatioReplicaCount; at least 1 because
    // KEDA activates the workload before the HPA takes over.
    const capacity = Math.max(1, Math.ceil(usage / targetMilli));
    return {
      rule: name,
      ruleIndex: index,
      outcome: 'propose',
      capacity,
      reason: 'ScaleFromZero',
      message: `${rule.metric} ${shown} is above activation ${formatNumber(activation)} with no units, so ${capacity} for ${targetLabel}`,
      details: { ...base, ratio: perUnit ? 0 : round(usage / targetMilli) },
    };
  }
  const ratio = perUnit ? usage / (targetMilli * current) : usage / targetMilli;
  const cooling = active
    ? ''
    : ` while ${rule.metric} cools down below activation ${formatNumber(activation)}`;
  if (isWithin(ratio, DEFAULT_TOLERANCES)) {
    return {
      rule: name,
      ruleIndex: index,
      outcome: 'propose',
      capacity: current,
      reason: 'WithinTolerance',
      message: `${rule.metric} ${shown} is within tolerance of ${targetLabel} at ${current} units${cooling}`,
      details: { ...base, ratio: round(ratio) },
    };
  }
  const ready = observation.readyCapacity > 0 ? observation.readyCapacity : current;
  // The HPA's minReplicas is at least 1: only the cooldown takes a ScaledObject to zero.
  const capacity = Math.max(1, perUnit ? Math.ceil(usage / targetMilli) : Math.ceil(ratio * ready));
  return {
    rule: name,
    ruleIndex: index,
    outcome: 'propose',
    capacity,
    reason: ratio > 1 ? 'AboveTarget' : 'BelowTarget',
    message: `${rule.metric} ${shown} is ${ratio > 1 ? 'above' : 'below'} ${targetLabel} at ${current} units, so ${capacity}${cooling}`,
    details: { ...base, ratio: round(ratio) },
  };
}
