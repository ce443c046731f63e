import { z } from 'zod';
import { aggregate, formatNumber } from '../core/statistics.js';
import type { Observation, Proposal } from '../core/types.js';
import { metricWindowSchema, statisticSchema } from './shared.js';

/**
 * The metrics a weighted score knows by name, with the value each is normalised against (the
 * value at which it counts fully): `cpu` and `memory` in percent, `response_time` in seconds,
 * `error_rate` in percent, `requests` per second. Any other name is a custom metric and needs
 * its own `max`.
 */
export const SCORE_METRIC_MAXIMUMS: Readonly<Record<KnownScoreMetric, number>> = {
  cpu: 100,
  memory: 100,
  response_time: 5,
  error_rate: 10,
  requests: 1000,
};

/** The metric names a weighted score normalises without a declared `max`. */
export type KnownScoreMetric = 'cpu' | 'memory' | 'response_time' | 'error_rate' | 'requests';

function knownMaximum(name: string): number | undefined {
  return Object.hasOwn(SCORE_METRIC_MAXIMUMS, name)
    ? SCORE_METRIC_MAXIMUMS[name as KnownScoreMetric]
    : undefined;
}

const scoreMetricSchema = z.strictObject({
  name: z.string().min(1),
  metric: z.string().min(1).optional(),
  weight: z.number().positive().finite(),
  max: z.number().positive().finite().optional(),
  statistic: statisticSchema('average'),
});

const percent = z.number().min(0).max(100);

/**
 * Zod schema of a `weighted-score` rule: several metrics, each normalised to [0, 1] against its
 * maximum, weighted into one score in percent, and compared with two thresholds. At or above
 * `scaleUpThreshold` the rule adds `scaleUpStep` units; at or below `scaleDownThreshold` it
 * removes `scaleDownStep`; in between it keeps the current capacity.
 */
export const weightedScoreRuleSchema = z
  .strictObject({
    kind: z.literal('weighted-score'),
    name: z.string().min(1).optional(),
    metrics: z.array(scoreMetricSchema).min(1),
    scaleUpThreshold: percent.default(70),
    scaleDownThreshold: percent.default(30),
    scaleUpStep: z.number().int().min(1).default(1),
    scaleDownStep: z.number().int().min(1).default(1),
    window: metricWindowSchema,
  })
  .superRefine((rule, ctx) => {
    if (rule.scaleDownThreshold >= rule.scaleUpThreshold) {
      ctx.addIssue({
        code: 'custom',
        path: ['scaleDownThreshold'],
        message: 'scaleDownThreshold below scaleUpThreshold',
        input: rule.scaleDownThreshold,
        params: { expected: `a number below scaleUpThreshold (${rule.scaleUpThreshold})` },
      });
    }
    const seen = new Set<string>();
    rule.metrics.forEach((metric, i) => {
      if (seen.has(metric.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['metrics', i, 'name'],
          message: 'a metric name used once',
          input: metric.name,
          params: { expected: 'a metric name not already in `metrics`' },
        });
      }
      seen.add(metric.name);
      if (metric.max === undefined && knownMaximum(metric.name) === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['metrics', i, 'max'],
          message: `a max for the custom metric ${metric.name}`,
          input: undefined,
          params: {
            expected: `a number > 0 (only ${Object.keys(SCORE_METRIC_MAXIMUMS).join(', ')} have a default)`,
          },
        });
      }
    });
  });

/** A weighted-score rule as written. */
export type WeightedScoreRuleInput = z.input<typeof weightedScoreRuleSchema>;
/** A weighted-score rule with defaults applied. */
export type WeightedScoreRule = z.output<typeof weightedScoreRuleSchema>;

/**
 * The provider metric a score metric reads: its `metric`, or its `name`.
 *
 * @example
 * scoreMetricSource({ name: 'cpu', metric: 'cpu_percent', weight: 1, statistic: 'average' }); // 'cpu_percent'
 */
export function scoreMetricSource(metric: WeightedScoreRule['metrics'][number]): string {
  return metric.metric ?? metric.name;
}

/**
 * Evaluate a weighted-score rule. The score is `100 × Σ wᵢ·min(vᵢ / maxᵢ, 1) / Σ wᵢ`.
 *
 * A metric without data contributes between 0 and its full weight, so the score is only known
 * to lie in a band. The rule acts only on what the band proves: it scales out when even the
 * lowest possible score reaches `scaleUpThreshold` (missing data may allow a scale-out), scales
 * in only when even the highest possible score is at or below `scaleDownThreshold` (missing data
 * never causes a scale-in), keeps capacity when the whole band lies between the thresholds, and
 * otherwise is `invalid`, which blocks a scale-in by other rules too.
 *
 * @example
 * proposeWeightedScore(rule, 0, observation); // { outcome: 'propose', capacity: 5, reason: 'AboveTarget', … }
 */
export function proposeWeightedScore(
  rule: WeightedScoreRule,
  index: number,
  observation: Observation,
): Proposal {
  const name = rule.name ?? 'weighted-score';
  const since = observation.now - rule.window;
  let total = 0;
  let known = 0;
  let missingWeight = 0;
  const missing: string[] = [];
  const details: Record<string, number | string | boolean> = {};
  for (const metric of rule.metrics) {
    total += metric.weight;
    const observed = observation.metrics[scoreMetricSource(metric)];
    const value =
      observed?.status === 'ok' ? aggregate(observed.samples, metric.statistic, since) : undefined;
    if (value === undefined) {
      missingWeight += metric.weight;
      missing.push(metric.name);
      continue;
    }
    const max = metric.max ?? (knownMaximum(metric.name) as number);
    const normalised = Math.min(Math.max(value / max, 0), 1);
    known += metric.weight * normalised;
    details[metric.name] = value;
  }
  // Rounded to 1e-9 so weights such as 0.1 + 0.2 do not miss a threshold by a rounding error.
  const low = Math.round(((100 * known) / total) * 1e9) / 1e9;
  const high = Math.round(((100 * (known + missingWeight)) / total) * 1e9) / 1e9;
  details.score = low;
  if (missing.length > 0) details.scoreUpperBound = high;
  const current = observation.capacity;
  const up = rule.scaleUpThreshold;
  const down = rule.scaleDownThreshold;
  const scoreText =
    missing.length === 0
      ? `score ${formatNumber(low)}`
      : `score between ${formatNumber(low)} and ${formatNumber(high)} (no data for ${missing.join(', ')})`;
  if (low >= up) {
    const capacity = current + rule.scaleUpStep;
    return {
      rule: name,
      ruleIndex: index,
      outcome: 'propose',
      capacity,
      reason: 'AboveTarget',
      message: `${name} ${scoreText} is at or above ${formatNumber(up)}`,
      details,
    };
  }
  if (high <= down) {
    const capacity = Math.max(current - rule.scaleDownStep, 0);
    return {
      rule: name,
      ruleIndex: index,
      outcome: 'propose',
      capacity,
      reason: capacity < current ? 'BelowTarget' : 'WithinTolerance',
      message: `${name} ${scoreText} is at or below ${formatNumber(down)}`,
      details,
    };
  }
  // With every metric known the score is one number, so this always holds then.
  if (high < up && low > down) {
    return {
      rule: name,
      ruleIndex: index,
      outcome: 'propose',
      capacity: current,
      reason: 'WithinTolerance',
      message: `${name} ${scoreText} is between ${formatNumber(down)} and ${formatNumber(up)}`,
      details,
    };
  }
  return {
    rule: name,
    ruleIndex: index,
    outcome: 'invalid',
    reason: 'MetricMissing',
    message: `${name} ${scoreText} could cross a threshold`,
    details,
  };
}
