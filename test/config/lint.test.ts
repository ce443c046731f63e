import { ConfigError, lintGroupConfig, type ScalingGroupConfigInput } from 'tideway';
import { describe, expect, it } from 'vitest';

const BASE = { id: 'web', minCapacity: 1, maxCapacity: 10 } as const;
const lint = (over: Partial<ScalingGroupConfigInput>, options?: Parameters<typeof lintGroupConfig>[1]) =>
  lintGroupConfig({ ...BASE, ...over }, options).map(({ path, code }) => ({ path, code }));

const azure = (direction: 'out' | 'in', operator: string, threshold: number, metric = 'cpu') => ({
  kind: 'threshold' as const,
  name: `${metric}-${direction}-${threshold}`,
  metric,
  direction,
  operator: operator as 'GreaterThan',
  threshold,
  change: 1,
});
const step = (comparison: '>=' | '<=', threshold: number, adjustment: number) => ({
  kind: 'step' as const,
  name: `step-${comparison}-${threshold}`,
  metric: 'cpu',
  threshold,
  comparison,
  adjustmentType: 'ChangeInCapacity' as const,
  steps: [comparison === '>=' ? { lower: 0, adjustment } : { upper: 0, adjustment }],
});

describe('lintGroupConfig', () => {
  it('a sound config draws no warnings', () => {
    expect(
      lint({
        rules: [azure('out', 'GreaterThan', 70), azure('in', 'LessThan', 30)],
        cooldown: { scaleOut: '5m', scaleIn: '5m' },
      }),
    ).toEqual([]);
  });

  it.each([
    {
      name: 'scale-in and scale-out thresholds within 20 % (Azure: 60 / 55)',
      over: { rules: [azure('out', 'GreaterThan', 60), azure('in', 'LessThan', 55)] },
      want: [{ path: 'rules[1].threshold', code: 'thresholds-too-close' }],
    },
    {
      name: 'thresholds that fire together (out above 50, in below 70)',
      over: { rules: [azure('out', 'GreaterThan', 50), azure('in', 'LessThan', 70)] },
      want: [{ path: 'rules[1].threshold', code: 'thresholds-contradict' }],
    },
    {
      name: 'equal inclusive thresholds both fire at the threshold',
      over: { rules: [azure('out', 'GreaterThanOrEqual', 50), azure('in', 'LessThanOrEqual', 50)] },
      want: [{ path: 'rules[1].threshold', code: 'thresholds-contradict' }],
    },
    {
      name: 'rules on different metrics never clash',
      over: { rules: [azure('out', 'GreaterThan', 50), azure('in', 'LessThan', 70, 'memory')] },
      want: [],
    },
    {
      name: 'overlapping step ranges across a scale-out and a scale-in rule',
      over: { rules: [step('>=', 60, 1), step('<=', 65, -1)] },
      want: [{ path: 'rules[1].threshold', code: 'step-ranges-overlap' }],
    },
    {
      name: 'a scale-out cooldown shorter than the instance warm-up',
      over: {
        rules: [{ kind: 'aws-target-tracking' as const, metric: 'cpu', target: 50, instanceWarmup: '5m' }],
        cooldown: { scaleOut: '1m' },
      },
      want: [{ path: 'cooldown.scaleOut', code: 'cooldown-shorter-than-warmup' }],
    },
    {
      name: 'a scale-out cooldown shorter than the provisioning lead time',
      over: {
        rules: [{ kind: 'target-tracking' as const, metric: 'cpu', target: 50 }],
        cooldown: { scaleOut: '30s' },
        provisioningLeadTime: '3m',
      },
      want: [{ path: 'cooldown.scaleOut', code: 'cooldown-shorter-than-warmup' }],
    },
    {
      name: 'a Value target on a total (request count)',
      over: { rules: [{ kind: 'target-tracking' as const, metric: 'request_count', target: 1000 }] },
      want: [{ path: 'rules[0].target', code: 'metric-does-not-fall' }],
    },
    {
      name: 'a per-unit target on the same total is fine',
      over: { rules: [{ kind: 'target-tracking' as const, metric: 'request_count', targetPerUnit: 100 }] },
      want: [],
    },
    {
      name: 'two target-tracking rules holding one metric at different targets',
      over: {
        rules: [
          { kind: 'target-tracking' as const, name: 'a', metric: 'cpu', target: 50 },
          { kind: 'target-tracking' as const, name: 'b', metric: 'cpu', target: 70 },
        ],
      },
      want: [{ path: 'rules[1]', code: 'targets-conflict' }],
    },
    {
      name: 'min = max with rules',
      over: {
        minCapacity: 4,
        maxCapacity: 4,
        rules: [{ kind: 'target-tracking' as const, metric: 'cpu', target: 50 }],
      },
      want: [{ path: 'maxCapacity', code: 'bounds-leave-no-room' }],
    },
    {
      name: 'a scaling predictive rule with nothing to fall back to',
      over: {
        rules: [
          {
            kind: 'predictive' as const,
            metric: 'rps',
            capacityPerUnit: 100,
            mode: 'forecast-and-scale' as const,
          },
        ],
      },
      want: [{ path: 'rules[0]', code: 'predictive-without-fallback' }],
    },
    {
      name: 'weighted-score thresholds 10 points apart',
      over: {
        rules: [
          {
            kind: 'weighted-score' as const,
            metrics: [
              { name: 'cpu', weight: 1 },
              { name: 'memory', weight: 1 },
            ],
            scaleUpThreshold: 60,
            scaleDownThreshold: 50,
          },
        ],
      },
      want: [{ path: 'rules[0].scaleDownThreshold', code: 'score-advice' }],
    },
  ])('$name', ({ over, want }) => {
    expect(lint(over as Partial<ScalingGroupConfigInput>)).toEqual(want);
  });

  it('flags a schedule whose window has ended, judged from `now`', () => {
    const over = {
      rules: [{ kind: 'target-tracking' as const, metric: 'cpu', target: 50 }],
      schedules: [
        { name: 'launch', start: '2025-03-01T00:00:00Z', end: '2025-03-02T00:00:00Z', minCapacity: 5 },
      ],
    } as Partial<ScalingGroupConfigInput>;
    expect(lint(over, { now: Date.parse('2025-01-01T00:00:00Z') })).toEqual([]);
    expect(lint(over, { now: Date.parse('2026-01-01T00:00:00Z') })).toEqual([
      { path: 'schedules[0]', code: 'schedule-never-fires' },
    ]);
  });

  // gcp-schedule-min-duration (https://cloud.google.com/compute/docs/autoscaler/scaling-schedules):
  // a scaling schedule lasts at least 300 s, a MIG has at most 128, and it needs another signal.
  it('gcp-schedule-min-duration: short schedules, too many, and schedules alone are flagged', () => {
    const rules = [{ kind: 'target-tracking' as const, metric: 'cpu', target: 50 }];
    const daily = (duration: string) => ({ cron: '0 8 * * *', duration, minCapacity: 2 });
    expect(lint({ rules, schedules: [daily('5m')] })).toEqual([]);
    expect(lint({ rules, schedules: [daily('4m')] })).toEqual([
      { path: 'schedules[0].duration', code: 'schedule-too-short' },
    ]);
    expect(lint({ schedules: [daily('1h')] })).toEqual([{ path: 'rules', code: 'schedules-without-rules' }]);
    const many = Array.from({ length: 129 }, () => daily('1h'));
    expect(lint({ rules, schedules: many })).toEqual([{ path: 'schedules', code: 'too-many-schedules' }]);
    expect(lint({ rules, schedules: many.slice(0, 128) })).toEqual([]);
  });

  it('flags a scale-down window no longer than a firing rule’s cooldown when another rule can scale in', () => {
    const latency = { ...azure('out', 'GreaterThan', 0.25, 'p95_latency'), cooldown: '10m' };
    const rps = { kind: 'target-tracking' as const, metric: 'rps', targetPerUnit: 100 };
    const window = (w: string) => ({ scaleDown: { stabilizationWindow: w } });
    expect(lint({ rules: [latency, rps], behavior: window('10m') })).toEqual([
      { path: 'behavior.scaleDown.stabilizationWindow', code: 'cooldown-outlasts-stabilization' },
    ]);
    expect(lint({ rules: [latency, rps], behavior: window('15m') })).toEqual([]);
    // Without a rule that can remove its units, the cooldown is harmless.
    expect(lint({ rules: [latency], behavior: window('5m') })).toEqual([]);
  });

  it('each warning says what to do in one sentence', () => {
    const [warning] = lintGroupConfig({
      ...BASE,
      rules: [azure('out', 'GreaterThan', 60), azure('in', 'LessThan', 55)],
    });
    expect(warning?.message).toBe(
      'the scale-in threshold 55 is within 20 % of the scale-out threshold 60 of rules[0], so ordinary noise flaps the group; widen the margin',
    );
  });

  it('the margin is an option', () => {
    const rules = [azure('out', 'GreaterThan', 60), azure('in', 'LessThan', 55)];
    expect(lint({ rules }, { minThresholdMargin: 0.05 })).toEqual([]);
  });

  it('an invalid config throws ConfigError rather than linting', () => {
    expect(() => lintGroupConfig({ id: 'x', minCapacity: 3, maxCapacity: 1 })).toThrow(ConfigError);
  });
});
