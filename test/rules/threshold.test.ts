import { describe, expect, it } from 'vitest';
import { validateGroupConfig } from '../../src/config/group.js';
import type { MetricObservation, Observation } from '../../src/core/types.js';
import { ConfigError } from '../../src/errors.js';
import { ruleMetricQueries, ruleName, ruleSchema } from '../../src/rules/registry.js';
import {
  aggregateGrains,
  grainValues,
  proposeThreshold,
  type ThresholdRuleInput,
  thresholdCapacity,
  thresholdMetricWindow,
  thresholdRuleSchema,
} from '../../src/rules/threshold.js';

// Azure semantics: peers.md §2 (learn.microsoft.com/azure/azure-monitor/autoscale/autoscale-understanding-settings);
// CloudWatch M-of-N: docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
// ("Evaluating an alarm"). Expected numbers below are worked by hand from those rules.

const MIN = 60_000;
const NOW = 100 * MIN;

type Input = Omit<ThresholdRuleInput, 'kind' | 'metric'>;
const rule = (over: Input) => thresholdRuleSchema.parse({ kind: 'threshold', metric: 'cpu', ...over });
const OUT: Input = { operator: 'GreaterThan', threshold: 70, direction: 'out', change: 1 };

/** Samples `[ageMs, value]` relative to NOW. */
const samples = (...points: [age: number, value: number][]): MetricObservation => ({
  status: 'ok',
  samples: points
    .map(([age, value]) => ({ timestamp: NOW - age, value }))
    .sort((a, b) => a.timestamp - b.timestamp),
});
const observe = (
  capacity: number,
  metric?: MetricObservation,
  over: Partial<Observation> = {},
): Observation => ({
  now: NOW,
  capacity,
  readyCapacity: capacity,
  metrics: metric === undefined ? {} : { cpu: metric },
  ...over,
});

describe('thresholdRuleSchema', () => {
  it('applies the documented defaults', () => {
    expect(rule(OUT)).toEqual({
      kind: 'threshold',
      metric: 'cpu',
      operator: 'GreaterThan',
      threshold: 70,
      direction: 'out',
      change: 1,
      timeGrain: 60_000,
      statistic: 'Average',
      dividePerInstance: false,
      changeType: 'ChangeCount',
      cooldown: 300_000,
    });
    expect(thresholdMetricWindow(rule(OUT))).toBe(300_000);
    expect(thresholdMetricWindow(rule({ ...OUT, timeGrain: '30s', evaluationPeriods: 4 }))).toBe(120_000);
  });

  it.each([
    {
      name: 'timeWindow with evaluationPeriods',
      input: { ...OUT, evaluationPeriods: 3, timeWindow: '5m' },
      path: ['timeWindow'],
    },
    {
      name: 'timeAggregation with evaluationPeriods',
      input: { ...OUT, evaluationPeriods: 3, timeAggregation: 'Maximum' },
      path: ['timeAggregation'],
    },
    {
      name: 'datapointsToAlarm above evaluationPeriods',
      input: { ...OUT, evaluationPeriods: 3, datapointsToAlarm: 4 },
      path: ['datapointsToAlarm'],
    },
    {
      name: 'datapointsToAlarm without evaluationPeriods',
      input: { ...OUT, datapointsToAlarm: 2 },
      path: ['datapointsToAlarm'],
    },
    {
      name: 'treatMissingData without evaluationPeriods',
      input: { ...OUT, treatMissingData: 'breaching' },
      path: ['treatMissingData'],
    },
    {
      name: 'timeWindow shorter than timeGrain',
      input: { ...OUT, timeGrain: '5m', timeWindow: '1m' },
      path: ['timeWindow'],
    },
    { name: 'a zero change', input: { ...OUT, change: 0 }, path: ['change'] },
    { name: 'an unknown operator', input: { ...OUT, operator: '>' }, path: ['operator'] },
    { name: 'an unknown direction', input: { ...OUT, direction: 'Increase' }, path: ['direction'] },
    {
      name: 'an unknown time aggregation',
      input: { ...OUT, timeAggregation: 'Sum' },
      path: ['timeAggregation'],
    },
  ])('rejects $name', ({ input, path }) => {
    const result = thresholdRuleSchema.safeParse({ kind: 'threshold', metric: 'cpu', ...input });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path)).toEqual([path]);
  });

  it('accepts ExactCount 0 (scale in to nothing)', () => {
    expect(rule({ ...OUT, direction: 'in', changeType: 'ExactCount', change: 0 }).change).toBe(0);
  });
});

describe('threshold rules through the group schema and registry', () => {
  it('is a registered kind with a direction-qualified default name and its window as query', () => {
    const parsed = ruleSchema.parse({ kind: 'threshold', metric: 'q', ...OUT, evaluationPeriods: 2 });
    expect(ruleName(parsed)).toBe('threshold:q:out');
    expect(ruleMetricQueries(parsed)).toEqual([{ name: 'q', window: 120_000, perUnit: false }]);
  });

  it('lets an Azure out/in pair on one metric coexist without names', () => {
    const config = validateGroupConfig({
      id: 'web',
      minCapacity: 1,
      maxCapacity: 10,
      rules: [
        { kind: 'threshold', metric: 'cpu', ...OUT },
        { kind: 'threshold', metric: 'cpu', operator: 'LessThan', threshold: 30, direction: 'in', change: 1 },
      ],
    });
    expect(config.rules.map(ruleName)).toEqual(['threshold:cpu:out', 'threshold:cpu:in']);
  });

  it.each([
    {
      name: 'a missing threshold',
      rule: { kind: 'threshold', metric: 'cpu', operator: 'GreaterThan', direction: 'out', change: 1 },
      path: 'rules[0].threshold',
      message: 'rules[0].threshold: expected a finite number, got nothing',
    },
    {
      name: 'datapointsToAlarm above evaluationPeriods',
      rule: { kind: 'threshold', metric: 'cpu', ...OUT, evaluationPeriods: 2, datapointsToAlarm: 3 },
      path: 'rules[0].datapointsToAlarm',
      message: 'rules[0].datapointsToAlarm: expected a number ≤ evaluationPeriods (2), got 3',
    },
  ])('rejects a threshold rule with $name, with path and message', ({ rule: r, path, message }) => {
    let error: unknown;
    try {
      validateGroupConfig({ id: 'web', minCapacity: 1, maxCapacity: 10, rules: [r] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues;
    expect(issues.map((i) => i.path)).toEqual([path]);
    expect(issues[0]?.message).toBe(message);
  });
});

describe('grainValues and aggregateGrains', () => {
  const s = (t: number, value: number) => ({ timestamp: t, value });
  it.each([
    {
      name: 'grains end at now; a sample exactly one grain old is in the previous grain',
      samples: [s(NOW - MIN, 1), s(NOW - MIN + 1, 3), s(NOW, 5)],
      statistic: 'Average' as const,
      window: 2 * MIN,
      expected: [1, 4],
    },
    {
      name: 'a sample exactly one window old is out; empty grains are undefined',
      samples: [s(NOW - 3 * MIN, 9), s(NOW - 10, 2)],
      statistic: 'Maximum' as const,
      window: 3 * MIN,
      expected: [undefined, undefined, 2],
    },
    {
      name: 'Count and Sum per grain',
      samples: [s(NOW - 90_000, 2), s(NOW - 80_000, 2), s(NOW - 1, 7)],
      statistic: 'Count' as const,
      window: 2 * MIN,
      expected: [2, 1],
    },
    {
      name: 'Minimum per grain',
      samples: [s(NOW - 90_000, 2), s(NOW - 80_000, 1), s(NOW - 1, 7)],
      statistic: 'Minimum' as const,
      window: 2 * MIN,
      expected: [1, 7],
    },
    {
      name: 'a window of 1.5 grains cuts the oldest grain short',
      samples: [s(NOW - 100_000, 50), s(NOW - 80_000, 10), s(NOW - 1, 20)],
      statistic: 'Sum' as const,
      window: 90_000,
      expected: [10, 20],
    },
  ])('$name', ({ samples: xs, statistic, window, expected }) => {
    expect(grainValues(xs, NOW, MIN, window, statistic)).toEqual(expected);
  });

  it.each([
    { name: 'Average', expected: 3 },
    { name: 'Minimum', expected: 1 },
    { name: 'Maximum', expected: 5 },
    { name: 'Total', expected: 9 },
    { name: 'Count', expected: 3 },
    { name: 'Last', expected: 5 },
  ] as const)('time aggregation $name of [3, –, 1, 5] is $expected', ({ name, expected }) => {
    expect(aggregateGrains([3, undefined, 1, 5], name)).toBe(expected);
  });

  it('is undefined without data', () => {
    expect(aggregateGrains([undefined, undefined], 'Total')).toBeUndefined();
  });
});

describe('thresholdCapacity', () => {
  it.each([
    { name: 'ChangeCount out', args: ['out', 'ChangeCount', 3, 10], expected: 13 },
    { name: 'ChangeCount in, never below 0', args: ['in', 'ChangeCount', 5, 3], expected: 0 },
    // azure-multi-rule-out-highest mentions "+3 vs +15%": at 10 units 15 % is 1.5 → 2 more.
    { name: 'PercentChangeCount out rounds up', args: ['out', 'PercentChangeCount', 15, 10], expected: 12 },
    { name: 'PercentChangeCount out at least one', args: ['out', 'PercentChangeCount', 10, 2], expected: 3 },
    { name: 'PercentChangeCount out exact', args: ['out', 'PercentChangeCount', 50, 10], expected: 15 },
    // azure-multi-rule-in-least: −50 % of 10 leaves 5.
    { name: 'PercentChangeCount in, exact', args: ['in', 'PercentChangeCount', 50, 10], expected: 5 },
    {
      name: 'PercentChangeCount in rounds the removal down',
      args: ['in', 'PercentChangeCount', 15, 10],
      expected: 9,
    },
    { name: 'PercentChangeCount in at least one', args: ['in', 'PercentChangeCount', 10, 3], expected: 2 },
    { name: 'ExactCount out goes up', args: ['out', 'ExactCount', 8, 5], expected: 8 },
    { name: 'ExactCount out never lowers', args: ['out', 'ExactCount', 3, 5], expected: 5 },
    { name: 'ExactCount in goes down', args: ['in', 'ExactCount', 2, 5], expected: 2 },
    { name: 'ExactCount in never raises', args: ['in', 'ExactCount', 9, 5], expected: 5 },
  ] as const)('$name', ({ args: [direction, type, change, current], expected }) => {
    expect(thresholdCapacity(direction, type, change, current)).toBe(expected);
  });
});

describe('proposeThreshold: Azure window', () => {
  it('fires on the window average of grain averages and carries what arbitration needs', () => {
    // Grains (newest last): [60, 80] average 70, [90] → window average of 70 and 90 = 80 > 70.
    const p = proposeThreshold(rule(OUT), 2, observe(4, samples([90_000, 60], [70_000, 80], [1000, 90])));
    expect(p).toMatchObject({
      rule: 'threshold:cpu:out',
      ruleIndex: 2,
      outcome: 'propose',
      capacity: 5,
      reason: 'ThresholdBreached',
      details: {
        direction: 'out',
        metric: 'cpu',
        value: 80,
        threshold: 70,
        operator: 'GreaterThan',
        dividePerInstance: false,
        fired: true,
      },
    });
    expect(p.message).toBe('cpu 80 > 70, so +1 from 4 gives 5');
  });

  it('abstains when the condition is not met, still carrying the value', () => {
    const p = proposeThreshold(rule(OUT), 0, observe(4, samples([1000, 70])));
    expect(p).toMatchObject({
      outcome: 'abstain',
      reason: 'Abstained',
      details: { value: 70, fired: false },
    });
    expect(p.message).toBe('cpu 70 > 70 is not met');
  });

  it.each([
    { name: 'Maximum', aggregation: 'Maximum', fires: true },
    { name: 'Minimum', aggregation: 'Minimum', fires: false },
    { name: 'Last', aggregation: 'Last', fires: false },
    { name: 'Total', aggregation: 'Total', fires: true },
    { name: 'Count (3 grains with data)', aggregation: 'Count', fires: false },
  ] as const)('timeAggregation $name over grains 50, 95, 60', ({ aggregation, fires }) => {
    const r = rule({ ...OUT, timeAggregation: aggregation });
    const p = proposeThreshold(r, 0, observe(4, samples([150_000, 50], [90_000, 95], [1000, 60])));
    expect(p.outcome).toBe(fires ? 'propose' : 'abstain');
  });

  it('ignores samples older than the time window', () => {
    const r = rule({ ...OUT, timeWindow: '2m' });
    const p = proposeThreshold(r, 0, observe(4, samples([130_000, 100], [1000, 60])));
    expect(p.details?.value).toBe(60);
  });

  it('divides by the current capacity with dividePerInstance, and by 1 at zero units', () => {
    const r = rule({ ...OUT, threshold: 50, operator: 'GreaterThanOrEqual', dividePerInstance: true });
    expect(proposeThreshold(r, 0, observe(2, samples([1000, 99]))).outcome).toBe('abstain');
    expect(proposeThreshold(r, 0, observe(2, samples([1000, 100]))).details?.value).toBe(50);
    const fromZero = proposeThreshold(r, 0, observe(0, samples([1000, 60])));
    expect(fromZero).toMatchObject({ outcome: 'propose', capacity: 1, details: { value: 60 } });
    expect(fromZero.message).toContain('cpu per unit 60 ≥ 50');
  });

  it.each([
    { name: 'Equals fires on equality', operator: 'Equals', value: 70, fires: true },
    { name: 'Equals not otherwise', operator: 'Equals', value: 71, fires: false },
    { name: 'NotEquals fires on difference', operator: 'NotEquals', value: 71, fires: true },
    { name: 'LessThanOrEqual at the threshold', operator: 'LessThanOrEqual', value: 70, fires: true },
    { name: 'LessThan at the threshold', operator: 'LessThan', value: 70, fires: false },
    { name: 'GreaterThanOrEqual at the threshold', operator: 'GreaterThanOrEqual', value: 70, fires: true },
  ] as const)('$name', ({ operator, value, fires }) => {
    const p = proposeThreshold(rule({ ...OUT, operator }), 0, observe(4, samples([1000, value])));
    expect(p.outcome).toBe(fires ? 'propose' : 'abstain');
  });

  it('is invalid without data (MetricMissing) and on a failed read (MetricFailed)', () => {
    const missing = proposeThreshold(rule(OUT), 0, observe(4, samples([400_000, 99])));
    expect(missing).toMatchObject({
      outcome: 'invalid',
      reason: 'MetricMissing',
      details: { direction: 'out' },
    });
    expect(missing.message).toBe('metric cpu has no data in the last 5m');
    const why = 'the provider answered 1 sample, none usable: 1 with a value that is not a finite number';
    const unusable = proposeThreshold(
      rule(OUT),
      0,
      observe(4, { status: 'missing', samples: [], error: why }),
    );
    expect(unusable).toMatchObject({ outcome: 'invalid', reason: 'MetricMissing' });
    expect(unusable.message).toBe(`metric cpu has no data in the last 5m: ${why}`);
    const failed = proposeThreshold(
      rule(OUT),
      0,
      observe(4, { status: 'failed', samples: [], error: 'timeout' }),
    );
    expect(failed).toMatchObject({ outcome: 'invalid', reason: 'MetricFailed' });
    expect(proposeThreshold(rule(OUT), 0, observe(4)).reason).toBe('MetricMissing');
  });

  it('keeps a per-rule cooldown from the last change in either direction', () => {
    const r = rule({ ...OUT, cooldown: '10m' });
    const hot = samples([1000, 90]);
    const cooling = proposeThreshold(
      r,
      0,
      observe(4, hot, { lastScaleInAt: NOW - 9 * MIN, lastScaleOutAt: null }),
    );
    expect(cooling).toMatchObject({
      outcome: 'abstain',
      reason: 'RuleCooldown',
      details: { fired: true, cooldownEndsAt: NOW + MIN },
    });
    expect(cooling.message).toBe(
      "cpu 90 > 70, but capacity changed 9m ago, within the rule's cooldown of 10m",
    );
    const done = proposeThreshold(
      r,
      0,
      observe(4, hot, { lastScaleOutAt: NOW - 10 * MIN, lastScaleInAt: NOW - 20 * MIN }),
    );
    expect(done).toMatchObject({ outcome: 'propose', capacity: 5 });
    // A shorter cooldown on another rule is its own.
    const short = rule({ ...OUT, cooldown: '1m' });
    expect(proposeThreshold(short, 0, observe(4, hot, { lastScaleInAt: NOW - 9 * MIN })).outcome).toBe(
      'propose',
    );
  });

  it('scales in by its change, as its direction says', () => {
    const r = rule({ operator: 'LessThan', threshold: 30, direction: 'in', change: 2 });
    expect(proposeThreshold(r, 0, observe(4, samples([1000, 20])))).toMatchObject({
      rule: 'threshold:cpu:in',
      capacity: 2,
      details: { direction: 'in', fired: true },
    });
  });
});

describe('proposeThreshold: CloudWatch M of N', () => {
  // Worked from CloudWatch's "Evaluating an alarm": each period is one data point; the alarm
  // goes to ALARM when at least DatapointsToAlarm of the last EvaluationPeriods breach.
  const cw = (over: Partial<Input> = {}) => rule({ ...OUT, evaluationPeriods: 3, ...over });
  it.each([
    { name: '3 of 3 breaching fires', rule: cw(), points: [80, 75, 90], fires: true },
    { name: '2 of 3 with the default M = N does not', rule: cw(), points: [80, 60, 90], fires: false },
    {
      name: '2 of 3 with datapointsToAlarm 2 fires',
      rule: cw({ datapointsToAlarm: 2 }),
      points: [80, 60, 90],
      fires: true,
    },
    {
      name: '1 of 3 with datapointsToAlarm 2 does not',
      rule: cw({ datapointsToAlarm: 2 }),
      points: [60, 60, 90],
      fires: false,
    },
  ])('$name', ({ rule: r, points, fires }) => {
    // One sample per minute grain, oldest first: ages 150 s, 90 s, 30 s.
    const metric = samples(
      ...points.map((v, i): [number, number] => [(points.length - i) * MIN - 30_000, v]),
    );
    const p = proposeThreshold(r, 0, observe(4, metric));
    expect(p.outcome).toBe(fires ? 'propose' : 'abstain');
    expect(p.details?.value).toBe(points[points.length - 1]);
  });

  it.each([
    // Periods: [missing, 80, 90] (the oldest grain has no sample).
    { name: 'missing: a missing period counts neither way (2 of 3 < 3)', treat: 'missing', fires: false },
    { name: 'breaching: a missing period breaches (3 of 3)', treat: 'breaching', fires: true },
    { name: 'notBreaching: a missing period is fine (2 of 3 < 3)', treat: 'notBreaching', fires: false },
  ] as const)('$name', ({ treat, fires }) => {
    const p = proposeThreshold(
      cw({ treatMissingData: treat }),
      0,
      observe(4, samples([90_000, 80], [30_000, 90])),
    );
    expect(p.outcome).toBe(fires ? 'propose' : 'abstain');
    expect(p.details?.breachingDatapoints).toBe(fires ? 3 : 2);
  });

  it('with no data at all: missing is invalid (INSUFFICIENT_DATA), breaching fires, notBreaching abstains', () => {
    expect(proposeThreshold(cw(), 0, observe(4)).outcome).toBe('invalid');
    expect(proposeThreshold(cw({ treatMissingData: 'breaching' }), 0, observe(4)).outcome).toBe('propose');
    expect(proposeThreshold(cw({ treatMissingData: 'notBreaching' }), 0, observe(4)).outcome).toBe('abstain');
  });

  it('classic ScalingRule: add 2 when cpu > 80 for 3 consecutive periods, then wait 5 minutes', () => {
    const r = rule({
      operator: 'GreaterThan',
      threshold: 80,
      direction: 'out',
      change: 2,
      evaluationPeriods: 3,
    });
    const hot = samples([150_000, 85], [90_000, 90], [30_000, 95]);
    const p = proposeThreshold(r, 0, observe(3, hot));
    expect(p).toMatchObject({ outcome: 'propose', capacity: 5 });
    expect(p.message).toBe('cpu > 80 in 3 of the last 3 periods (3 needed), so +2 from 3 gives 5');
    expect(proposeThreshold(r, 0, observe(5, hot, { lastScaleOutAt: NOW - MIN })).reason).toBe(
      'RuleCooldown',
    );
  });
});

describe('threshold rules end to end (AutoScalingManager on ManualClock, azure-bp-cpu-80-60)', () => {
  // https://learn.microsoft.com/en-us/azure/azure-monitor/autoscale/autoscale-best-practices :
  // +1 when CPU ≥ 80, −1 when CPU ≤ 60, with `max` arbitration (no flapping check). CPU is 80 %
  // until 60 s, then 60 %: out at 0 s (2 → 3); the 1-minute window holds only 60 % from 120 s,
  // but the in rule's own 3-minute cooldown from the scale-out at 0 s holds it until 180 s.
  it('scales out on the out rule, waits its cooldown, then scales in on the in rule', async () => {
    // Imported here so the pure tests above run even while the runtime is mid-change.
    const { decisionsOf, runScenario } = await import('../runtime/scenario-runner.js');
    const run = await runScenario({
      name: 'threshold pair',
      group: {
        id: 'web',
        minCapacity: 1,
        maxCapacity: 10,
        evaluationInterval: '15s',
        behavior: { scaleDown: { stabilizationWindow: 0 } },
        rules: [
          {
            kind: 'threshold',
            metric: 'cpu',
            timeWindow: '1m',
            operator: 'GreaterThanOrEqual',
            threshold: 80,
            direction: 'out',
            change: 1,
            cooldown: '1m',
          },
          {
            kind: 'threshold',
            metric: 'cpu',
            timeWindow: '1m',
            operator: 'LessThanOrEqual',
            threshold: 60,
            direction: 'in',
            change: 1,
            cooldown: '3m',
          },
        ],
      },
      controller: { initial: 2 },
      metrics: {
        cpu: [
          [0, 80],
          [60_000, 60],
        ],
      },
      until: 240_000,
      expect: {
        decisions: [
          [0, 'ScaleOut', 3],
          [120_000, 'NoRecommendation', 3],
          [180_000, 'ScaleIn', 2],
        ],
      },
    });
    const at120 = decisionsOf(run.a).find((d) => d.at === 120_000);
    expect(at120?.proposals.map((p) => p.reason)).toEqual(['Abstained', 'RuleCooldown']);
  });
});
