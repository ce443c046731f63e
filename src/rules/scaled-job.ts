import { z } from 'zod';
import { aggregate, formatNumber } from '../core/statistics.js';
import type { Observation, Proposal } from '../core/types.js';
import { metricReadingFields, readMetric } from './shared.js';

/** KEDA ScaledJob `scalingStrategy.strategy` values. */
export const SCALED_JOB_STRATEGIES = ['default', 'custom', 'accurate', 'eager'] as const;
/** A ScaledJob scaling strategy. */
export type ScaledJobStrategy = (typeof SCALED_JOB_STRATEGIES)[number];

/**
 * Zod schema of a scaled-job rule: KEDA's ScaledJob, which starts one job per unit of work and
 * never stops a running one. The rule reads the queue length (`metric`), the unfinished jobs
 * (`runningJobsMetric`, or the current capacity) and the jobs whose pod is not running yet
 * (`pendingJobsMetric`, or capacity − ready capacity), and proposes running jobs + jobs to
 * create, as KEDA's `RequestJobScale` computes them (see {@link scaledJobDecision}).
 *
 * The host's controller must count unfinished jobs as capacity: setting capacity N means
 * "start jobs until N are unfinished"; capacity falls as jobs finish.
 *
 * @example
 * scaledJobRuleSchema.parse({ kind: 'scaled-job', metric: 'queue_length', targetPerUnit: 1 });
 * // → { kind: 'scaled-job', metric: 'queue_length', targetPerUnit: 1, statistic: 'last',
 * //     window: 60000, activation: 0, minReplicaCount: 0, maxReplicaCount: 100,
 * //     scalingStrategy: 'default', customScalingQueueLengthDeduction: 0 }
 */
export const scaledJobRuleSchema = z.strictObject({
  kind: z.literal('scaled-job'),
  /** @default `scaled-job:<metric>` */
  name: z.string().min(1).optional(),
  /** The queue length (KEDA's trigger metric). */
  metric: z.string().min(1),
  ...metricReadingFields,
  /** Queue items one job takes (KEDA's trigger target, `targetAverageValue`). */
  targetPerUnit: z.number().positive(),
  /** The queue must be strictly greater than this for the trigger to be active. @default 0 */
  activation: z.number().min(0).default(0),
  /** Jobs kept running even with an empty queue (KEDA `minReplicaCount`). @default 0 */
  minReplicaCount: z.number().int().min(0).default(0),
  /** The most jobs at once (KEDA `maxReplicaCount`). @default 100 */
  maxReplicaCount: z.number().int().min(0).default(100),
  /** KEDA `scalingStrategy.strategy`. @default 'default' */
  scalingStrategy: z.enum(SCALED_JOB_STRATEGIES).default('default'),
  /** `custom` strategy: queue items subtracted. @default 0 */
  customScalingQueueLengthDeduction: z.number().int().default(0),
  /**
   * `custom` strategy: the share of running jobs subtracted (truncated toward zero). Without it
   * the `custom` strategy is `default`, as KEDA falls back when the value does not parse.
   */
  customScalingRunningJobPercentage: z.number().optional(),
  /** A metric holding the unfinished jobs. @default the current capacity */
  runningJobsMetric: z.string().min(1).optional(),
  /** A metric holding the jobs whose pod is not running yet. @default capacity − ready capacity */
  pendingJobsMetric: z.string().min(1).optional(),
  /** KEDA `autoscaling.keda.sh/paused`: create no job. */
  paused: z.boolean().optional(),
});

/** A scaled-job rule as written. */
export type ScaledJobRuleInput = z.input<typeof scaledJobRuleSchema>;
/** A scaled-job rule with defaults applied. */
export type ScaledJobRule = z.output<typeof scaledJobRuleSchema>;

/** What {@link scaledJobDecision} reads. */
export interface ScaledJobInputs {
  /** The queue length. */
  readonly queueLength: number;
  /** Whether the trigger is active (queue > activation). */
  readonly active: boolean;
  /** Unfinished jobs. */
  readonly running: number;
  /** Unfinished jobs whose pod is not running yet. */
  readonly pending: number;
}

/** What {@link scaledJobDecision} returns: KEDA's intermediate numbers and the result. */
export interface ScaledJobDecision {
  /** `ceil(min(queue / target, maxReplicaCount))`. */
  readonly maxScale: number;
  /** The jobs the strategy may create at most (never below 0). */
  readonly effectiveMaxScale: number;
  /** The jobs KEDA asks for before the cap: `ceil(queue)`, `maxReplicaCount` (eager), or the minimum's gap. */
  readonly scaleTo: number;
  /** Jobs to create now. */
  readonly create: number;
}

/**
 * KEDA's strategy arithmetic (`GetEffectiveMaxScale` in pkg/scaling/executor/scale_jobs.go),
 * with `running` already reduced by `minReplicaCount`:
 * - `default`: maxScale − running;
 * - `custom`: min(maxScale − deduction − trunc(running × percentage), maxReplicaCount);
 * - `accurate`: maxScale + running > maxReplicaCount ? maxReplicaCount − running : maxScale − pending;
 * - `eager`: min(maxReplicaCount − running − pending, maxScale), asking for maxReplicaCount.
 *
 * @example
 * effectiveMaxScale('accurate', { maxScale: 3, running: 4, pending: 2, maxReplicaCount: 10 }); // 1
 */
export function effectiveMaxScale(
  strategy: ScaledJobStrategy,
  input: {
    readonly maxScale: number;
    readonly running: number;
    readonly pending: number;
    readonly maxReplicaCount: number;
    readonly deduction?: number | undefined;
    readonly percentage?: number | undefined;
  },
): number {
  const { maxScale, running, pending, maxReplicaCount } = input;
  switch (strategy) {
    case 'custom':
      if (input.percentage === undefined) return maxScale - running;
      // Go's int64(float64) conversion truncates toward zero.
      return Math.min(
        maxScale - (input.deduction ?? 0) - Math.trunc(running * input.percentage),
        maxReplicaCount,
      );
    case 'accurate':
      return maxScale + running > maxReplicaCount ? maxReplicaCount - running : maxScale - pending;
    case 'eager':
      return Math.min(maxReplicaCount - running - pending, maxScale);
    default:
      return maxScale - running;
  }
}

/**
 * How many jobs KEDA's ScaledJob controller creates on one poll (`RequestJobScale`,
 * `getScalingDecision`, `IsScaledJobActive`):
 * - maxScale = ceil(min(queue / target, maxReplicaCount)), scaleTo = ceil(queue), both 0 when
 *   the trigger is inactive;
 * - fewer running jobs than minReplicaCount (capped at maxReplicaCount): create the gap;
 * - else the strategy with running − minReplicaCount;
 * - create min(scaleTo, effectiveMaxScale) when the ScaledJob is active (the trigger is, or
 *   minReplicaCount > 0) and effectiveMaxScale > 0, else none.
 *
 * @example
 * scaledJobDecision(rule, { queueLength: 10, active: true, running: 1, pending: 0 }).create;
 */
export function scaledJobDecision(rule: ScaledJobRule, input: ScaledJobInputs): ScaledJobDecision {
  const max = rule.maxReplicaCount;
  const min = Math.min(rule.minReplicaCount, max);
  const queue = input.active ? input.queueLength : 0;
  const maxScale = Math.ceil(Math.min(queue / rule.targetPerUnit, max));
  let scaleTo = Math.ceil(queue);
  let effective: number;
  if (input.running < min) {
    scaleTo = min - input.running;
    effective = scaleTo;
  } else {
    effective = effectiveMaxScale(rule.scalingStrategy, {
      maxScale,
      running: input.running - min,
      pending: input.pending,
      maxReplicaCount: max,
      deduction: rule.customScalingQueueLengthDeduction,
      percentage: rule.customScalingRunningJobPercentage,
    });
    if (rule.scalingStrategy === 'eager') scaleTo = max;
  }
  effective = Math.max(0, effective);
  const active = input.active || min > 0;
  const create = active && effective > 0 ? Math.min(scaleTo, effective) : 0;
  return { maxScale, effectiveMaxScale: effective, scaleTo, create };
}

function lastOf(observation: Observation, metric: string, window: number): number | undefined {
  const seen = observation.metrics[metric];
  if (seen === undefined || seen.status !== 'ok') return undefined;
  return aggregate(seen.samples, 'last', observation.now - window);
}

/**
 * Evaluate a scaled-job rule: propose running jobs + the jobs KEDA would create now. Never
 * proposes fewer than the running jobs, since KEDA never stops a job.
 *
 * Without the queue metric the trigger is failing: the rule is `invalid`, unless fewer jobs run
 * than `minReplicaCount`, which KEDA tops up anyway. Without a declared running or pending
 * metric it is `invalid` too. `paused` proposes the running jobs (reason `Paused`).
 *
 * `details`: `queueLength`, `active`, `running`, `pending`, `maxScale`, `effectiveMaxScale`,
 * `scaleTo`, `create`, `strategy`.
 *
 * @example
 * proposeScaledJob(rule, 0, observation).capacity; // running + created
 */
export function proposeScaledJob(rule: ScaledJobRule, index: number, observation: Observation): Proposal {
  const name = rule.name ?? `scaled-job:${rule.metric}`;
  const base = { rule: name, ruleIndex: index };
  const running =
    rule.runningJobsMetric === undefined
      ? observation.capacity
      : lastOf(observation, rule.runningJobsMetric, rule.window);
  const pending =
    rule.pendingJobsMetric === undefined
      ? Math.max(0, observation.capacity - observation.readyCapacity)
      : lastOf(observation, rule.pendingJobsMetric, rule.window);
  if (running === undefined || pending === undefined) {
    const missing = running === undefined ? rule.runningJobsMetric : rule.pendingJobsMetric;
    return {
      ...base,
      outcome: 'invalid',
      reason: 'MetricMissing',
      message: `metric ${missing} has no data in the last ${rule.window} ms`,
    };
  }
  if (rule.paused === true) {
    return {
      ...base,
      outcome: 'propose',
      capacity: running,
      reason: 'Paused',
      message: `${name} is paused, so it creates no job beside the ${running} running`,
      details: { paused: true, running },
    };
  }
  const reading = readMetric(rule, name, index, observation);
  const min = Math.min(rule.minReplicaCount, rule.maxReplicaCount);
  if ('outcome' in reading) {
    if (running >= min) return reading;
    return {
      ...base,
      outcome: 'propose',
      capacity: min,
      reason: 'BelowTarget',
      message: `${reading.message}, but ${running} jobs run and minReplicaCount is ${min}, so ${min}`,
      details: { running, create: min - running },
    };
  }
  const queueLength = reading.value;
  const active = queueLength > rule.activation;
  const decision = scaledJobDecision(rule, { queueLength, active, running, pending });
  const capacity = running + decision.create;
  const shown = formatNumber(queueLength);
  return {
    ...base,
    outcome: 'propose',
    capacity,
    reason: decision.create > 0 ? 'AboveTarget' : active ? 'WithinTolerance' : 'BelowTarget',
    message:
      decision.create > 0
        ? `${rule.metric} ${shown} with ${running} jobs running, so ${decision.create} more (${rule.scalingStrategy})`
        : active
          ? `${rule.metric} ${shown} needs no job beside the ${running} running (${rule.scalingStrategy})`
          : `${rule.metric} ${shown} is not above activation ${formatNumber(rule.activation)}, so no new job`,
    details: {
      queueLength,
      active,
      running,
      pending,
      maxScale: decision.maxScale,
      effectiveMaxScale: decision.effectiveMaxScale,
      scaleTo: decision.scaleTo,
      create: decision.create,
      strategy: rule.scalingStrategy,
    },
  };
}
