import { z } from 'zod';
import { positiveDurationSchema } from '../core/duration.js';
import { aggregate, STATISTICS, type Statistic } from '../core/statistics.js';
import type { JsonValue, Observation, Proposal, ProposalReason } from '../core/types.js';
import type { MetricSample } from '../ports/metrics.js';

/**
 * Add a custom issue carrying `params.expected` (and `params.received`), the shape
 * `toConfigIssues` turns into "path: expected X, got Y".
 *
 * @example
 * schema.superRefine((rule, ctx) => expectedIssue(ctx, ['steps', 0], 'a bound', rule.steps[0]));
 */
export function expectedIssue(
  ctx: z.core.$RefinementCtx,
  path: (string | number)[],
  expected: string,
  input: unknown,
  received?: string,
): void {
  ctx.addIssue({
    code: 'custom',
    path,
    message: expected,
    input,
    params: received === undefined ? { expected } : { expected, received },
  });
}

/**
 * The `window` of a metric-driven rule: how far back samples count, a duration longer than 0.
 *
 * @default '1m'
 * @example
 * z.strictObject({ window: metricWindowSchema }).parse({ window: '5m' }); // { window: 300000 }
 */
export const metricWindowSchema = positiveDurationSchema('a window').default(60_000);

/**
 * The `statistic` of a metric-driven rule: how the samples in its window become one value,
 * `fallback` when left out (AWS alarms average; ARC and KEDA read the latest value).
 *
 * @example
 * z.strictObject({ statistic: statisticSchema('average') }).parse({}); // { statistic: 'average' }
 */
export function statisticSchema(fallback: Statistic) {
  return z.enum(STATISTICS as [Statistic, ...Statistic[]]).default(fallback);
}

/**
 * The `statistic` and `window` fields of the rules that read a count the way ARC and KEDA do
 * (the latest sample of the last minute); spread them after the rule's `metric`.
 *
 * @example
 * z.strictObject({ metric: z.string(), ...metricReadingFields }).parse({ metric: 'jobs' });
 * // → { metric: 'jobs', statistic: 'last', window: 60000 }
 */
export const metricReadingFields = {
  /** @default 'last' */
  statistic: statisticSchema('last'),
  /** @default '1m' */
  window: metricWindowSchema,
};

/**
 * The reason of a proposal that follows a value to its reference: `AboveTarget` when the value
 * is higher, `BelowTarget` when lower, `WithinTolerance` when equal.
 *
 * @example
 * reasonOfChange(6, 4); // 'AboveTarget' (6 wanted, 4 now)
 */
export function reasonOfChange(value: number, reference: number): ProposalReason {
  return value > reference ? 'AboveTarget' : value < reference ? 'BelowTarget' : 'WithinTolerance';
}

/**
 * A ratio for a proposal's `details`, rounded to 6 decimals so float noise such as
 * 1.2000000000000002 does not reach decisions.
 *
 * @example
 * roundRatio(0.1 + 0.2); // 0.3
 */
export function roundRatio(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/**
 * A proposal carrying the rule's memory for the next tick; unchanged when there is none to keep.
 *
 * @example
 * withMemory(proposal, reservations.memory);
 */
export function withMemory(proposal: Proposal, memory: JsonValue | undefined): Proposal {
  return memory === undefined ? proposal : { ...proposal, memory };
}

/** A metric read for a rule: the statistic over its window, and the samples it came from. */
export interface MetricReading {
  /** The statistic of the samples in the window. */
  readonly value: number;
  /** The observed samples, oldest first. */
  readonly samples: readonly MetricSample[];
}

/**
 * Read the metric a rule declares, as every metric-driven rule kind does: the statistic of the
 * samples newer than `now − window`. Without data it returns the rule's `invalid` proposal
 * (`MetricFailed` when the read failed, `MetricMissing` otherwise), which blocks a scale-in but
 * never a scale-out.
 *
 * @example
 * const reading = readMetric(rule, name, index, observation);
 * if ('outcome' in reading) return reading;
 */
export function readMetric(
  rule: { readonly metric: string; readonly statistic: Statistic; readonly window: number },
  name: string,
  index: number,
  observation: Observation,
): MetricReading | Proposal {
  const metric = observation.metrics[rule.metric];
  if (metric === undefined || metric.status !== 'ok') {
    const failed = metric?.status === 'failed';
    return {
      rule: name,
      ruleIndex: index,
      outcome: 'invalid',
      reason: failed ? 'MetricFailed' : 'MetricMissing',
      message: failed
        ? `metric ${rule.metric} could not be read (${metric?.error ?? 'unknown error'})`
        : `metric ${rule.metric} has no data${metric?.error === undefined ? '' : `: ${metric.error}`}`,
    };
  }
  const value = aggregate(metric.samples, rule.statistic, observation.now - rule.window);
  if (value === undefined) {
    return {
      rule: name,
      ruleIndex: index,
      outcome: 'invalid',
      reason: 'MetricMissing',
      message: `metric ${rule.metric} has no data in the last ${rule.window} ms`,
    };
  }
  return { value, samples: metric.samples };
}

/**
 * The cross-field check of rules that take a `target` (a Value target) or a `targetPerUnit`
 * (an AverageValue target): exactly one of the two, with the issue on the field to fix.
 *
 * @example
 * z.strictObject({ target: …, targetPerUnit: … }).superRefine(exactlyOneTarget);
 */
export function exactlyOneTarget(
  rule: { readonly target?: number | undefined; readonly targetPerUnit?: number | undefined },
  ctx: z.core.$RefinementCtx,
): void {
  const given = (rule.target !== undefined ? 1 : 0) + (rule.targetPerUnit !== undefined ? 1 : 0);
  if (given === 1) return;
  ctx.addIssue({
    code: 'custom',
    path: given === 0 ? ['target'] : ['targetPerUnit'],
    message: 'exactly one of `target` or `targetPerUnit`',
    input: given === 0 ? undefined : rule.targetPerUnit,
    params: {
      expected: 'exactly one of `target` or `targetPerUnit`',
      received: given === 0 ? 'neither' : 'both',
    },
  });
}
