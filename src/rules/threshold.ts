import { z } from 'zod';
import { compareThreshold, THRESHOLD_OPERATORS, type ThresholdOperator } from '../core/azure.js';
import { durationSchema, formatDuration, positiveDurationSchema } from '../core/duration.js';
import { formatNumber } from '../core/statistics.js';
import type { MetricObservation, Observation, Proposal, ScaleDirection } from '../core/types.js';
import type { MetricSample } from '../ports/metrics.js';
import { expectedIssue } from './shared.js';

// The comparison lives in core so Azure arbitration can project with it; rules import it from here too.
export { compareThreshold, THRESHOLD_OPERATORS, type ThresholdOperator };

/** How the samples inside one time grain become one data point (Azure `statistic`, CloudWatch statistic). */
export type GrainStatistic = 'Average' | 'Minimum' | 'Maximum' | 'Sum' | 'Count';

/**
 * The grain statistics a threshold rule may use.
 *
 * @example
 * GRAIN_STATISTICS.includes('Maximum'); // true
 */
export const GRAIN_STATISTICS: readonly GrainStatistic[] = ['Average', 'Minimum', 'Maximum', 'Sum', 'Count'];

/** How the data points in the time window become the one value compared (Azure `timeAggregation`). */
export type TimeAggregation = 'Average' | 'Minimum' | 'Maximum' | 'Total' | 'Count' | 'Last';

/**
 * The time aggregations a threshold rule may use.
 *
 * @example
 * TIME_AGGREGATIONS.includes('Last'); // true
 */
export const TIME_AGGREGATIONS: readonly TimeAggregation[] = [
  'Average',
  'Minimum',
  'Maximum',
  'Total',
  'Count',
  'Last',
];

/**
 * How a threshold rule's `change` moves capacity, as Azure's `scaleAction.type` names it:
 * - `ChangeCount`: add (`out`) or remove (`in`) `change` units.
 * - `PercentChangeCount`: add or remove `change` % of the current capacity, at least one unit.
 * - `ExactCount`: go to `change` units, never against the rule's direction.
 */
export type ThresholdChangeType = 'ChangeCount' | 'PercentChangeCount' | 'ExactCount';

/**
 * The change types a threshold rule may use.
 *
 * @example
 * THRESHOLD_CHANGE_TYPES.includes('ExactCount'); // true
 */
export const THRESHOLD_CHANGE_TYPES: readonly ThresholdChangeType[] = [
  'ChangeCount',
  'PercentChangeCount',
  'ExactCount',
];

/**
 * How CloudWatch counts a period without data in an M-of-N evaluation:
 * - `missing`: not counted either way; with no data in any period the rule cannot compute;
 * - `breaching`: as a breaching data point;
 * - `notBreaching`: as a data point within the threshold.
 */
export type TreatMissingData = 'missing' | 'breaching' | 'notBreaching';

/**
 * The missing-data treatments a threshold rule may use.
 *
 * @example
 * TREAT_MISSING_DATA.includes('breaching'); // true
 */
export const TREAT_MISSING_DATA: readonly TreatMissingData[] = ['missing', 'breaching', 'notBreaching'];

/**
 * The time window an Azure-style threshold rule aggregates when none is given: 5 minutes.
 *
 * @example
 * DEFAULT_TIME_WINDOW; // 300000
 */
export const DEFAULT_TIME_WINDOW = 300_000;

/**
 * The time aggregation an Azure-style threshold rule uses when none is given.
 *
 * @example
 * DEFAULT_TIME_AGGREGATION; // 'Average'
 */
export const DEFAULT_TIME_AGGREGATION: TimeAggregation = 'Average';

/**
 * Zod schema of a threshold rule: an Azure autoscale rule (metricTrigger + scaleAction), a
 * CloudWatch alarm with a simple scaling policy, or the `ScalingRule` of classic managers
 * ("add 2 when cpu > 80 % for 3 periods, then wait 5 minutes").
 *
 * The samples in each `timeGrain` become one data point by `statistic`. Then either
 * - Azure: the data points in the last `timeWindow` become one value by `timeAggregation`, and
 *   the rule fires when that value compares true with `threshold` by `operator`; or
 * - CloudWatch (`evaluationPeriods` given): each of the last `evaluationPeriods` grains is one
 *   data point, and the rule fires when at least `datapointsToAlarm` of them breach.
 *
 * With `dividePerInstance` the value is divided by the current capacity first (Azure: queue
 * length per instance). A firing rule moves capacity by `change` in its `direction`, unless the
 * group moved in either direction less than `cooldown` ago.
 *
 * @example
 * thresholdRuleSchema.parse({
 *   kind: 'threshold', metric: 'cpu', operator: 'GreaterThan', threshold: 70, direction: 'out', change: 1,
 * });
 * // → { …, timeGrain: 60000, statistic: 'Average', dividePerInstance: false,
 * //     changeType: 'ChangeCount', cooldown: 300000, treatMissingData: 'missing' }
 */
export const thresholdRuleSchema = z
  .strictObject({
    kind: z.literal('threshold'),
    /** @default `threshold:<metric>:<direction>` */
    name: z.string().min(1).optional(),
    metric: z.string().min(1),
    /** Azure `timeGrain`, CloudWatch `Period`. @default '1m' */
    timeGrain: positiveDurationSchema('a time grain').default(60_000),
    /** How samples within a grain combine. @default 'Average' */
    statistic: z.enum(GRAIN_STATISTICS as [GrainStatistic, ...GrainStatistic[]]).default('Average'),
    /** Azure `timeWindow`; not with `evaluationPeriods`. @default '5m' (when `evaluationPeriods` is left out) */
    timeWindow: positiveDurationSchema('a time window').optional(),
    /** Azure `timeAggregation`; not with `evaluationPeriods`. @default 'Average' (when `evaluationPeriods` is left out) */
    timeAggregation: z.enum(TIME_AGGREGATIONS as [TimeAggregation, ...TimeAggregation[]]).optional(),
    /** CloudWatch `EvaluationPeriods` (N of "M out of N"). */
    evaluationPeriods: z.number().int().positive().optional(),
    /** CloudWatch `DatapointsToAlarm` (M). @default evaluationPeriods */
    datapointsToAlarm: z.number().int().positive().optional(),
    /** CloudWatch `TreatMissingData`, for `evaluationPeriods` only. @default 'missing' */
    treatMissingData: z.enum(TREAT_MISSING_DATA as [TreatMissingData, ...TreatMissingData[]]).optional(),
    operator: z.enum(THRESHOLD_OPERATORS as [ThresholdOperator, ...ThresholdOperator[]]),
    threshold: z.number(),
    /** Azure `dividePerInstance`: compare the metric divided by the current capacity. @default false */
    dividePerInstance: z.boolean().default(false),
    /** Which way the rule scales when it fires (Azure `Increase` is `out`, `Decrease` is `in`). */
    direction: z.enum(['out', 'in']),
    /** Azure `scaleAction.type`. @default 'ChangeCount' */
    changeType: z
      .enum(THRESHOLD_CHANGE_TYPES as [ThresholdChangeType, ...ThresholdChangeType[]])
      .default('ChangeCount'),
    /** Azure `scaleAction.value`: units, percent, or the exact count. */
    change: z.number().int().min(0),
    /** Azure `scaleAction.cooldown`: the rule does not fire until this long after the last change. @default '5m' */
    cooldown: durationSchema.default(300_000),
  })
  .superRefine((rule, ctx) => {
    const cloudWatch = rule.evaluationPeriods !== undefined;
    if (cloudWatch) {
      const why = 'with `evaluationPeriods` the window is `evaluationPeriods` × `timeGrain`';
      if (rule.timeWindow !== undefined)
        expectedIssue(ctx, ['timeWindow'], `no \`timeWindow\` (${why})`, rule.timeWindow);
      if (rule.timeAggregation !== undefined) {
        expectedIssue(
          ctx,
          ['timeAggregation'],
          'no `timeAggregation` (with `evaluationPeriods` each grain is compared on its own)',
          rule.timeAggregation,
        );
      }
      const periods = rule.evaluationPeriods as number;
      if (rule.datapointsToAlarm !== undefined && rule.datapointsToAlarm > periods) {
        expectedIssue(
          ctx,
          ['datapointsToAlarm'],
          `a number ≤ evaluationPeriods (${periods})`,
          rule.datapointsToAlarm,
          String(rule.datapointsToAlarm),
        );
      }
    } else {
      for (const key of ['datapointsToAlarm', 'treatMissingData'] as const) {
        if (rule[key] !== undefined)
          expectedIssue(ctx, [key], `no \`${key}\` without \`evaluationPeriods\``, rule[key]);
      }
      const window = rule.timeWindow ?? DEFAULT_TIME_WINDOW;
      if (window < rule.timeGrain) {
        expectedIssue(
          ctx,
          ['timeWindow'],
          `a time window at least as long as timeGrain (${formatDuration(rule.timeGrain)})`,
          rule.timeWindow,
          formatDuration(window),
        );
      }
    }
    if (rule.changeType !== 'ExactCount' && rule.change === 0) {
      expectedIssue(ctx, ['change'], `a change ≥ 1 with changeType '${rule.changeType}'`, rule.change, '0');
    }
  });

/** A threshold rule as written. */
export type ThresholdRuleInput = z.input<typeof thresholdRuleSchema>;
/** A threshold rule with defaults applied. */
export type ThresholdRule = z.output<typeof thresholdRuleSchema>;

/**
 * The name a threshold rule goes by: its `name`, or `threshold:<metric>:<direction>` so a
 * scale-out and a scale-in rule on one metric (the usual Azure pair) do not clash.
 *
 * @example
 * thresholdRuleName(rule); // 'threshold:cpu:out'
 */
export function thresholdRuleName(rule: ThresholdRule): string {
  return rule.name ?? `threshold:${rule.metric}:${rule.direction}`;
}

/**
 * How far back a threshold rule reads: `timeWindow`, or `evaluationPeriods` grains.
 *
 * @example
 * thresholdMetricWindow(thresholdRuleSchema.parse({ …, evaluationPeriods: 3 })); // 180000 with a 1m grain
 */
export function thresholdMetricWindow(rule: ThresholdRule): number {
  return rule.evaluationPeriods !== undefined
    ? rule.evaluationPeriods * rule.timeGrain
    : (rule.timeWindow ?? DEFAULT_TIME_WINDOW);
}

const OPERATOR_SIGNS: Readonly<Record<ThresholdOperator, string>> = {
  GreaterThan: '>',
  GreaterThanOrEqual: '≥',
  LessThan: '<',
  LessThanOrEqual: '≤',
  Equals: '=',
  NotEquals: '≠',
};

/**
 * The data point of each time grain of the window `(now − window, now]`, oldest first;
 * `undefined` for a grain without samples. Grains are aligned to `now`, so the newest grain
 * always ends at the tick: grain `i` (0 = newest) holds samples in `(now − (i+1)·grain,
 * now − i·grain]`, and a window that is not a whole number of grains cuts the oldest one short.
 * Samples stamped after `now` count in the newest grain.
 *
 * @example
 * grainValues([{ timestamp: 30_000, value: 2 }, { timestamp: 60_000, value: 4 }], 60_000, 60_000, 120_000, 'Average');
 * // [undefined, 3]
 */
export function grainValues(
  samples: readonly MetricSample[],
  now: number,
  grain: number,
  window: number,
  statistic: GrainStatistic,
): (number | undefined)[] {
  const grains = Math.ceil(window / grain);
  const count = new Array<number>(grains).fill(0);
  const acc = new Array<number>(grains).fill(0);
  const since = now - window;
  for (let s = 0; s < samples.length; s++) {
    const sample = samples[s] as MetricSample;
    if (sample.timestamp <= since) continue;
    const i = grains - 1 - Math.max(0, Math.floor((now - sample.timestamp) / grain));
    const v = sample.value;
    const n = count[i] as number;
    if (n === 0) acc[i] = v;
    else if (statistic === 'Minimum') acc[i] = Math.min(acc[i] as number, v);
    else if (statistic === 'Maximum') acc[i] = Math.max(acc[i] as number, v);
    else acc[i] = (acc[i] as number) + v;
    count[i] = n + 1;
  }
  const out = new Array<number | undefined>(grains);
  for (let i = 0; i < grains; i++) {
    const n = count[i] as number;
    if (n === 0) out[i] = undefined;
    else if (statistic === 'Average') out[i] = (acc[i] as number) / n;
    else if (statistic === 'Count') out[i] = n;
    else out[i] = acc[i] as number;
  }
  return out;
}

/**
 * Combine the grains' data points (oldest first, `undefined` for none) by `aggregation`;
 * `undefined` when no grain has data. `Count` is the number of grains with data, `Last` the
 * newest data point.
 *
 * @example
 * aggregateGrains([1, undefined, 5], 'Total'); // 6
 */
export function aggregateGrains(
  points: readonly (number | undefined)[],
  aggregation: TimeAggregation,
): number | undefined {
  let n = 0;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let last: number | undefined;
  for (const v of points) {
    if (v === undefined) continue;
    n++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
    last = v;
  }
  if (n === 0) return undefined;
  switch (aggregation) {
    case 'Average':
      return sum / n;
    case 'Minimum':
      return min;
    case 'Maximum':
      return max;
    case 'Total':
      return sum;
    case 'Count':
      return n;
    case 'Last':
      return last;
  }
}

/**
 * The capacity a firing threshold rule asks for from `current`, never below 0:
 * - `ChangeCount`: `current ± change`;
 * - `PercentChangeCount`: `current ± change %`, rounded away from `current` on scale-out and
 *   toward it on scale-in, at least one unit (Azure documents no rounding; this never lets a
 *   firing percent rule do nothing, and never removes more than the percent says);
 * - `ExactCount`: `change`, but a scale-out rule never lowers capacity and a scale-in rule never
 *   raises it.
 *
 * @example
 * thresholdCapacity('out', 'PercentChangeCount', 15, 10); // 12 (1.5 rounded up)
 * thresholdCapacity('in', 'PercentChangeCount', 50, 10); // 5
 */
export function thresholdCapacity(
  direction: ScaleDirection,
  changeType: ThresholdChangeType,
  change: number,
  current: number,
): number {
  switch (changeType) {
    case 'ChangeCount':
      return direction === 'out' ? current + change : Math.max(0, current - change);
    case 'PercentChangeCount': {
      const raw = (current * change) / 100;
      if (direction === 'out') return current + Math.max(1, Math.ceil(raw - 1e-9));
      return Math.max(0, current - Math.max(1, Math.floor(raw + 1e-9)));
    }
    case 'ExactCount':
      return direction === 'out' ? Math.max(current, change) : Math.min(current, change);
  }
}

function changeLabel(rule: ThresholdRule): string {
  const sign = rule.direction === 'out' ? '+' : '−';
  switch (rule.changeType) {
    case 'ChangeCount':
      return `${sign}${rule.change}`;
    case 'PercentChangeCount':
      return `${sign}${rule.change}%`;
    case 'ExactCount':
      return `exactly ${rule.change}`;
  }
}

interface Evaluation {
  /** The value compared (per unit with `dividePerInstance`), or undefined for no data. */
  readonly value: number | undefined;
  readonly fired: boolean;
  readonly extra: Readonly<Record<string, number | string | boolean>>;
  /** The comparison in words, for messages. */
  readonly condition: string;
}

/**
 * Evaluate a threshold rule:
 * 1. the metric's data points per `timeGrain` by `statistic`, divided by the current capacity
 *    (at least 1) with `dividePerInstance`;
 * 2. Azure: one value over `timeWindow` by `timeAggregation`, compared by `operator` — no data
 *    makes the rule `invalid`, so the group's default capacity (Azure arbitration) or the usual
 *    "missing data never scales in" rule applies; CloudWatch: fires when at least
 *    `datapointsToAlarm` of the last `evaluationPeriods` data points breach, `treatMissingData`
 *    deciding what a grain without data counts as;
 * 3. a rule that does not fire abstains; a firing rule within `cooldown` of the group's last
 *    change (either direction, as Azure's cooldown blocks both) abstains with `RuleCooldown`;
 *    otherwise it proposes the capacity of its scale action.
 *
 * Every outcome but a failed read carries in `details` what Azure arbitration and its flapping
 * projection read: `direction` (`out`|`in`), `metric`, `value` (the value compared, per unit with
 * `dividePerInstance`; for CloudWatch the newest data point), `threshold`, `operator`,
 * `dividePerInstance`, and `fired`.
 *
 * @example
 * proposeThreshold(rule, 0, observation).capacity;
 */
export function proposeThreshold(rule: ThresholdRule, index: number, observation: Observation): Proposal {
  const name = thresholdRuleName(rule);
  const metric: MetricObservation | undefined = observation.metrics[rule.metric];
  const current = observation.capacity;
  const base = {
    direction: rule.direction,
    metric: rule.metric,
    threshold: rule.threshold,
    operator: rule.operator,
    dividePerInstance: rule.dividePerInstance,
  };
  if (metric?.status === 'failed') {
    return {
      rule: name,
      ruleIndex: index,
      outcome: 'invalid',
      reason: 'MetricFailed',
      message: `metric ${rule.metric} could not be read (${metric.error ?? 'unknown error'})`,
      details: base,
    };
  }
  const samples = metric?.status === 'ok' ? metric.samples : [];
  // At zero units a per-instance value is what one new unit would carry: the whole metric.
  const divisor = rule.dividePerInstance ? Math.max(1, current) : 1;
  const subject = rule.dividePerInstance ? `${rule.metric} per unit` : rule.metric;
  const evaluation =
    rule.evaluationPeriods === undefined
      ? evaluateWindow(rule, samples, observation.now, divisor, subject)
      : evaluatePeriods(rule, rule.evaluationPeriods, samples, observation.now, divisor, subject);
  if (evaluation === undefined) {
    return {
      rule: name,
      ruleIndex: index,
      outcome: 'invalid',
      reason: 'MetricMissing',
      message: `metric ${rule.metric} has no data in the last ${formatDuration(thresholdMetricWindow(rule))}${metric?.error === undefined ? '' : `: ${metric.error}`}`,
      details: base,
    };
  }
  const details = {
    ...base,
    ...(evaluation.value === undefined ? {} : { value: evaluation.value }),
    ...evaluation.extra,
    fired: evaluation.fired,
  };
  const condition = evaluation.condition;
  if (!evaluation.fired) {
    return {
      rule: name,
      ruleIndex: index,
      outcome: 'abstain',
      reason: 'Abstained',
      message: `${condition} is not met`,
      details,
    };
  }
  const last = Math.max(
    observation.lastScaleOutAt ?? Number.NEGATIVE_INFINITY,
    observation.lastScaleInAt ?? Number.NEGATIVE_INFINITY,
  );
  if (observation.now - last < rule.cooldown) {
    return {
      rule: name,
      ruleIndex: index,
      outcome: 'abstain',
      reason: 'RuleCooldown',
      message: `${condition}, but capacity changed ${formatDuration(observation.now - last)} ago, within the rule's cooldown of ${formatDuration(rule.cooldown)}`,
      details: { ...details, cooldownEndsAt: last + rule.cooldown },
    };
  }
  const capacity = thresholdCapacity(rule.direction, rule.changeType, rule.change, current);
  return {
    rule: name,
    ruleIndex: index,
    outcome: 'propose',
    capacity,
    reason: 'ThresholdBreached',
    message: `${condition}, so ${changeLabel(rule)} from ${current} gives ${capacity}`,
    details,
  };
}

function evaluateWindow(
  rule: ThresholdRule,
  samples: readonly MetricSample[],
  now: number,
  divisor: number,
  subject: string,
): Evaluation | undefined {
  const window = rule.timeWindow ?? DEFAULT_TIME_WINDOW;
  const points = grainValues(samples, now, rule.timeGrain, window, rule.statistic);
  const aggregated = aggregateGrains(points, rule.timeAggregation ?? DEFAULT_TIME_AGGREGATION);
  if (aggregated === undefined) return undefined;
  const value = aggregated / divisor;
  return {
    value,
    fired: compareThreshold(value, rule.operator, rule.threshold),
    extra: {},
    condition: `${subject} ${formatNumber(value)} ${OPERATOR_SIGNS[rule.operator]} ${formatNumber(rule.threshold)}`,
  };
}

function evaluatePeriods(
  rule: ThresholdRule,
  periods: number,
  samples: readonly MetricSample[],
  now: number,
  divisor: number,
  subject: string,
): Evaluation | undefined {
  const points = grainValues(samples, now, rule.timeGrain, periods * rule.timeGrain, rule.statistic);
  const treat = rule.treatMissingData ?? 'missing';
  const needed = rule.datapointsToAlarm ?? periods;
  let breaching = 0;
  let present = 0;
  let newest: number | undefined;
  for (const point of points) {
    if (point === undefined) {
      if (treat === 'breaching') breaching++;
      continue;
    }
    present++;
    newest = point / divisor;
    if (compareThreshold(newest, rule.operator, rule.threshold)) breaching++;
  }
  if (present === 0 && treat === 'missing') return undefined;
  return {
    value: newest,
    fired: breaching >= needed,
    extra: { breachingDatapoints: breaching, datapointsToAlarm: needed, evaluationPeriods: periods },
    condition: `${subject} ${OPERATOR_SIGNS[rule.operator]} ${formatNumber(rule.threshold)} in ${breaching} of the last ${periods} periods (${needed} needed)`,
  };
}
