import { z } from 'zod';
import { durationSchema, formatDuration } from '../core/duration.js';
import { DEFAULT_TOLERANCES, isWithin } from '../core/replica-calculator.js';
import { formatNumber, toMilli } from '../core/statistics.js';
import type { JsonValue, Observation, Proposal } from '../core/types.js';
import {
  exactlyOneTarget,
  type MetricReading,
  metricReadingFields,
  readMetric,
  roundRatio,
} from './shared.js';

/** KEDA's `fallback.behavior` values. */
export const FALLBACK_BEHAVIORS = [
  'static',
  'currentReplicas',
  'currentReplicasIfHigher',
  'currentReplicasIfLower',
  'scalingModifiers',
] as const;
/** How a fallback chooses its capacity. */
export type FallbackBehavior = (typeof FALLBACK_BEHAVIORS)[number];

/**
 * Zod schema of a queue rule's `fallback` (KEDA `spec.fallback`). The rule counts consecutive
 * ticks on which its metric could not be read (failed, missing, or nothing in the window) in its
 * memory; a tick with a value resets the count. Once the count is greater than
 * `failureThreshold` (KEDA compares `numberOfFailures > failureThreshold` after counting the
 * current failure, so threshold 3 falls back on the 4th failure in a row) the rule proposes the
 * capacity the HPA would reach on KEDA's synthetic metric (`target × F` for `targetPerUnit`,
 * `target × F / ready units` for `target`), which is F unless F is within the 0.1 tolerance
 * of the current capacity. F by `behavior`:
 * - `static`: `replicas`;
 * - `currentReplicas`: the current capacity;
 * - `currentReplicasIfHigher`: max(current, `replicas`);
 * - `currentReplicasIfLower`: min(current, `replicas`);
 * - `scalingModifiers`: no capacity from the rule itself: it stays `invalid` with
 *   `details.fallbackActive` so a formula arbitration can skip it with `??`; `replicas` is then
 *   the formula's last resort (KEDA evaluates fallback per trigger in that mode).
 *
 * At 0 units the fallback holds 0: KEDA's HPA is idle at zero replicas and KEDA never scales a
 * failing ScaledObject from or to zero.
 *
 * @example
 * queueFallbackSchema.parse({ failureThreshold: 3, replicas: 6 });
 * // → { failureThreshold: 3, replicas: 6, behavior: 'static' }
 */
export const queueFallbackSchema = z
  .strictObject({
    /** Consecutive failures tolerated before falling back. */
    failureThreshold: z.number().int().min(0),
    /** KEDA `fallback.replicas`; required unless `behavior` is `currentReplicas`. */
    replicas: z.number().int().min(0).optional(),
    /** @default 'static' */
    behavior: z.enum(FALLBACK_BEHAVIORS).default('static'),
  })
  .superRefine((fallback, ctx) => {
    if (fallback.replicas !== undefined || fallback.behavior === 'currentReplicas') return;
    ctx.addIssue({
      code: 'custom',
      path: ['replicas'],
      message: `a number of replicas for behavior '${fallback.behavior}'`,
      input: undefined,
      params: { expected: `a number of replicas for behavior '${fallback.behavior}'`, received: 'nothing' },
    });
  });

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
 * `fallback` is KEDA's: after more than `failureThreshold` consecutive ticks without the metric
 * the rule steers to a fallback capacity (see {@link queueFallbackSchema}). `paused`,
 * `pausedCapacity`, `pausedScaleIn` and `pausedScaleOut` are KEDA's pause annotations.
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
    ...metricReadingFields,
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
    /** KEDA `fallback`: a capacity to steer to while the metric keeps failing. */
    fallback: queueFallbackSchema.optional(),
    /** KEDA `autoscaling.keda.sh/paused: "true"`: propose the current capacity, whatever the metric. */
    paused: z.boolean().optional(),
    /** KEDA `autoscaling.keda.sh/paused-replicas`: propose this capacity; wins over `paused`. */
    pausedCapacity: z.number().int().min(0).optional(),
    /** KEDA `autoscaling.keda.sh/paused-scale-in`: never propose below the current capacity. */
    pausedScaleIn: z.boolean().optional(),
    /** KEDA `autoscaling.keda.sh/paused-scale-out`: never propose above the current capacity. */
    pausedScaleOut: z.boolean().optional(),
  })
  .superRefine(exactlyOneTarget);

/** A queue rule as written. */
export type QueueRuleInput = z.input<typeof queueRuleSchema>;
/** A queue rule with defaults applied. */
export type QueueRule = z.output<typeof queueRuleSchema>;
/** A queue rule's `fallback` with defaults applied. */
export type QueueFallback = z.output<typeof queueFallbackSchema>;

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
 * Before that: `pausedCapacity` proposes itself and `paused` the current capacity (reason
 * `Paused`), without reading the metric. Without data the rule is `invalid`, or, with a
 * `fallback` past its `failureThreshold`, proposes the fallback capacity (reason `Fallback`;
 * the failure count is kept in `memory` as `{ failures }` and dropped on the next success).
 * Last, `pausedScaleIn` / `pausedScaleOut` keep any proposal from going below / above the
 * current capacity (reason `Paused`).
 *
 * `details` (when proposing from the metric): `value`, `activation`, `active`, `target`,
 * `metricType` (`AverageValue` | `Value`), `ratio`; with a fallback: `failures`,
 * `fallbackCapacity`, `behavior`; when a pause clamps it: `unpaused` (the capacity before the pause).
 *
 * @example
 * proposeQueue(rule, 0, observation).capacity;
 */
export function proposeQueue(rule: QueueRule, index: number, observation: Observation): Proposal {
  const name = rule.name ?? `queue:${rule.metric}`;
  const current = observation.capacity;
  if (rule.pausedCapacity !== undefined || rule.paused === true) {
    const capacity = rule.pausedCapacity ?? current;
    return {
      rule: name,
      ruleIndex: index,
      outcome: 'propose',
      capacity,
      reason: 'Paused',
      message:
        rule.pausedCapacity !== undefined
          ? `${name} is paused at ${capacity} units`
          : `${name} is paused, so it keeps ${capacity} units`,
      details: { paused: true },
    };
  }
  const reading = readMetric(rule, name, index, observation);
  const proposal =
    'outcome' in reading
      ? onFailure(rule, index, observation, reading)
      : evaluateTrigger(rule, name, index, observation, reading);
  return clampPaused(rule, proposal, current);
}

/** The failure count a queue rule keeps in its memory. */
function failuresOf(memory: JsonValue | undefined): number {
  if (memory === null || typeof memory !== 'object' || Array.isArray(memory)) return 0;
  const failures = memory.failures;
  return typeof failures === 'number' && Number.isInteger(failures) && failures > 0 ? failures : 0;
}

/**
 * KEDA's fallback capacity for a behavior (pkg/fallback `doFallback`): `currentReplicas` is the
 * scale target's current replica count.
 *
 * @example
 * fallbackCapacity({ failureThreshold: 3, replicas: 3, behavior: 'currentReplicasIfHigher' }, 6); // 6
 */
export function fallbackCapacity(fallback: QueueFallback, current: number): number {
  const replicas = fallback.replicas ?? 0;
  switch (fallback.behavior) {
    case 'currentReplicas':
      return current;
    case 'currentReplicasIfHigher':
      return Math.max(current, replicas);
    case 'currentReplicasIfLower':
      return Math.min(current, replicas);
    default:
      return replicas;
  }
}

function onFailure(rule: QueueRule, index: number, observation: Observation, invalid: Proposal): Proposal {
  const fallback = rule.fallback;
  if (fallback === undefined) return invalid;
  const failures = failuresOf(observation.memory?.[index]) + 1;
  const memory = { failures };
  if (failures <= fallback.failureThreshold) {
    return { ...invalid, details: { failures, fallbackActive: false }, memory };
  }
  if (fallback.behavior === 'scalingModifiers') {
    return {
      ...invalid,
      message: `${invalid.message}; failing ${failures} times in a row, it is left to the formula`,
      details: { failures, fallbackActive: true, fallbackCapacity: fallback.replicas ?? 0 },
      memory,
    };
  }
  const current = observation.capacity;
  const target = fallbackCapacity(fallback, current);
  const perUnit = rule.targetPerUnit !== undefined;
  const ready = observation.readyCapacity > 0 ? observation.readyCapacity : current;
  // The synthetic metric makes the HPA's ratio F / current (AverageValue) or F / ready (Value),
  // so the HPA's tolerance still applies; at 0 units the HPA does not run at all.
  const ratio = current === 0 ? 1 : target / (perUnit ? current : ready);
  const capacity = current === 0 || isWithin(ratio, DEFAULT_TOLERANCES) ? current : target;
  return {
    rule: invalid.rule,
    ruleIndex: index,
    outcome: 'propose',
    capacity,
    reason: 'Fallback',
    message:
      current === 0
        ? `${invalid.message} ${failures} times in a row; the fallback holds 0 units, as KEDA does not scale a failing trigger from zero`
        : `${invalid.message} ${failures} times in a row, so it falls back to ${target} (${fallback.behavior})${capacity === target ? '' : ` and keeps ${capacity} within tolerance`}`,
    details: { failures, fallbackActive: true, fallbackCapacity: target, behavior: fallback.behavior },
    memory,
  };
}

function clampPaused(rule: QueueRule, proposal: Proposal, current: number): Proposal {
  if (proposal.outcome !== 'propose' || proposal.capacity === undefined) return proposal;
  const unpaused = proposal.capacity;
  const blockedIn = rule.pausedScaleIn === true && unpaused < current;
  const blockedOut = rule.pausedScaleOut === true && unpaused > current;
  if (!blockedIn && !blockedOut) return proposal;
  return {
    ...proposal,
    capacity: current,
    reason: 'Paused',
    message: `${proposal.message}, but scale-${blockedIn ? 'in' : 'out'} is paused, so it keeps ${current}`,
    details: { ...proposal.details, unpaused },
  };
}

function evaluateTrigger(
  rule: QueueRule,
  name: string,
  index: number,
  observation: Observation,
  reading: MetricReading,
): Proposal {
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
      details: { ...base, ratio: perUnit ? 0 : roundRatio(usage / targetMilli) },
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
      details: { ...base, ratio: roundRatio(ratio) },
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
    details: { ...base, ratio: roundRatio(ratio) },
  };
}
