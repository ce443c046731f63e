import type { ScalingGroupConfigInput } from 'tideway';
import { describe, expect, it } from 'vitest';
import { validateGroupConfig } from '../../src/config/group.js';
import { toConfigIssues } from '../../src/config/issues.js';
import type { Observation } from '../../src/core/types.js';
import { ConfigError } from '../../src/errors.js';
import { proposeSimple, type SimpleRuleInput, simpleRuleSchema } from '../../src/rules/simple.js';
import { runScenario } from '../runtime/scenario-runner.js';

// Rows named "aws-…" are vectors from peer-vectors.json (AWS EC2 Auto Scaling user guide),
// copied here as literal rows with their id and source URL; the other rows are worked by hand
// from peers.md §1.2 and §1.4.
const STEP_GUIDE = 'https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-simple-step.html';
const LIMITS = 'https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scale-based-on-demand.html';

const MIN = 60_000;
type RuleInput = Omit<SimpleRuleInput, 'kind' | 'metric'>;
const rule = (over: Partial<RuleInput> = {}) =>
  simpleRuleSchema.parse({
    kind: 'simple',
    metric: 'cpu',
    threshold: 70,
    comparison: '>=',
    adjustmentType: 'ChangeInCapacity',
    adjustment: 2,
    ...over,
  });
type Extra = Partial<Omit<Observation, 'now' | 'capacity' | 'metrics'>>;
const at = (now: number, capacity: number, value: number, extra: Extra = {}): Observation => ({
  now,
  capacity,
  readyCapacity: capacity,
  metrics: { cpu: { status: 'ok', samples: [{ timestamp: now - 1000, value }] } },
  ...extra,
});

describe('simpleRuleSchema', () => {
  it('applies the documented defaults (AWS DefaultCooldown 300 s)', () => {
    expect(rule()).toEqual({
      kind: 'simple',
      metric: 'cpu',
      statistic: 'average',
      window: 60_000,
      threshold: 70,
      comparison: '>=',
      adjustmentType: 'ChangeInCapacity',
      adjustment: 2,
      cooldown: 300_000,
    });
  });

  it.each([
    {
      name: `ExactCapacity below 0 (${STEP_GUIDE}: the adjustment must be non-negative)`,
      over: { adjustmentType: 'ExactCapacity', adjustment: -1 },
      message: "adjustment: expected an adjustment ≥ 0 with adjustmentType 'ExactCapacity', got -1",
    },
    {
      name: 'a percent below −100',
      over: { adjustmentType: 'PercentChangeInCapacity', adjustment: -101 },
      message:
        "adjustment: expected an adjustment ≥ -100 with adjustmentType 'PercentChangeInCapacity', got -101",
    },
    {
      name: 'minAdjustmentMagnitude without PercentChangeInCapacity',
      over: { minAdjustmentMagnitude: 2 },
      message:
        "minAdjustmentMagnitude: expected `minAdjustmentMagnitude` only with adjustmentType 'PercentChangeInCapacity', got adjustmentType 'ChangeInCapacity'",
    },
  ] as { name: string; over: Partial<RuleInput>; message: string }[])(
    'rejects $name',
    ({ over, message }) => {
      const input = {
        kind: 'simple',
        metric: 'cpu',
        threshold: 70,
        comparison: '>=',
        adjustmentType: 'ChangeInCapacity',
        adjustment: 2,
        ...over,
      };
      const result = simpleRuleSchema.safeParse(input, { reportInput: true });
      expect(toConfigIssues(result.error?.issues ?? [], input).map((i) => i.message)).toEqual([message]);
    },
  );

  it('a malformed simple rule in a group is a ConfigError with the rule’s path', () => {
    const group = {
      id: 'web',
      minCapacity: 1,
      maxCapacity: 10,
      rules: [
        {
          kind: 'simple',
          metric: 'cpu',
          threshold: 70,
          comparison: '=>',
          adjustmentType: 'ChangeInCapacity',
          adjustment: 1,
        },
      ],
    };
    expect(() => validateGroupConfig(group)).toThrow(ConfigError);
    expect(() => validateGroupConfig(group)).toThrow(/rules\[0\]\.comparison/);
  });
});

describe('proposeSimple: the adjustment types (peers.md §1.4)', () => {
  it.each([
    {
      name: `aws-adjustment-change-in-capacity (${STEP_GUIDE}): 3 + 5 = 8`,
      over: { adjustmentType: 'ChangeInCapacity', adjustment: 5 },
      current: 3,
      expected: 8,
    },
    {
      name: `aws-adjustment-exact-capacity (${STEP_GUIDE}): 3 → 5`,
      over: { adjustmentType: 'ExactCapacity', adjustment: 5 },
      current: 3,
      expected: 5,
    },
    {
      name: `aws-adjustment-percent-change (${STEP_GUIDE}): 10 at +10% is +1`,
      over: { adjustmentType: 'PercentChangeInCapacity', adjustment: 10 },
      current: 10,
      expected: 11,
    },
    {
      name: `aws-min-adjustment-magnitude-ec2 (${STEP_GUIDE}): 25% of 4 is 1, raised to 2`,
      over: { adjustmentType: 'PercentChangeInCapacity', adjustment: 25, minAdjustmentMagnitude: 2 },
      current: 4,
      expected: 6,
    },
    {
      name: 'a removal: −30% of 13 = −3.9 rounds toward zero to −3',
      over: { comparison: '<=', threshold: 30, adjustmentType: 'PercentChangeInCapacity', adjustment: -30 },
      current: 13,
      expected: 10,
    },
  ] as { name: string; over: Partial<RuleInput>; current: number; expected: number }[])(
    '$name',
    ({ over, current, expected }) => {
      const metric = over.comparison === '<=' ? 20 : 80;
      const p = proposeSimple(
        rule(over),
        0,
        at(0, current, metric, { lastScaleOutAt: null, lastScaleInAt: null }),
      );
      expect(p).toMatchObject({
        outcome: 'propose',
        capacity: expected,
        details: { delta: expected - current },
      });
    },
  );
});

describe('proposeSimple: alarm and cooldown (peers.md §1.2)', () => {
  const r = rule({ name: 'cpu-high' });
  it.each([
    {
      name: 'no breach abstains',
      obs: at(10 * MIN, 4, 69.9, { lastScaleOutAt: null, lastScaleInAt: null }),
      expected: { outcome: 'abstain', reason: 'Abstained', message: 'cpu 69.9 does not breach >= 70' },
    },
    {
      name: 'a breach with no earlier activity proposes the adjustment',
      obs: at(10 * MIN, 4, 80, { lastScaleOutAt: null, lastScaleInAt: null }),
      expected: {
        rule: 'cpu-high',
        ruleIndex: 3,
        outcome: 'propose',
        capacity: 6,
        reason: 'ThresholdBreached',
        message: 'cpu 80 >= 70, so +2 units from 4 gives 6 (+2)',
        details: { value: 80, threshold: 70, adjustmentType: 'ChangeInCapacity', adjustment: 2, delta: 2 },
      },
    },
    {
      name: 'within the cooldown of the last scale-out the alarm is ignored',
      obs: at(10 * MIN, 4, 80, { lastScaleOutAt: 6 * MIN, lastScaleInAt: null }),
      expected: {
        outcome: 'abstain',
        reason: 'RuleCooldown',
        message: 'cpu 80 >= 70, but capacity changed 4m ago, within the cooldown of 5m',
        details: { cooldownEndsAt: 11 * MIN },
      },
    },
    {
      name: 'any activity starts the cooldown: a scale-in too, the later of the two counts',
      obs: at(10 * MIN, 4, 80, { lastScaleOutAt: 2 * MIN, lastScaleInAt: 7 * MIN }),
      expected: { outcome: 'abstain', reason: 'RuleCooldown', details: { cooldownEndsAt: 12 * MIN } },
    },
    {
      name: 'the alarm is acted on again once the cooldown has passed',
      obs: at(10 * MIN, 4, 80, { lastScaleOutAt: 5 * MIN, lastScaleInAt: null }),
      expected: { outcome: 'propose', capacity: 6 },
    },
    {
      name: 'while a launch is still in progress the cooldown has not started',
      obs: { ...at(10 * MIN, 4, 80, { lastScaleOutAt: MIN, lastScaleInAt: null }), readyCapacity: 3 },
      expected: { outcome: 'abstain', reason: 'RuleCooldown', details: { activityInProgress: true } },
    },
    {
      name: 'with units listed, a pending unit means the activity is in progress',
      obs: at(10 * MIN, 2, 80, {
        lastScaleOutAt: MIN,
        units: [
          { id: 'a', state: 'in-service' },
          { id: 'b', state: 'pending' },
        ],
      }),
      expected: { outcome: 'abstain', reason: 'RuleCooldown' },
    },
    {
      name: 'a missing metric is invalid (blocks scale-in, never scale-out)',
      obs: { ...at(10 * MIN, 4, 80), metrics: {} },
      expected: { outcome: 'invalid', reason: 'MetricMissing' },
    },
  ] as { name: string; obs: Observation; expected: object }[])('$name', ({ obs, expected }) => {
    expect(proposeSimple(r, 3, obs)).toMatchObject(expected);
  });

  it('uses a custom cooldown', () => {
    const short = rule({ cooldown: '1m' });
    expect(proposeSimple(short, 0, at(2 * MIN, 4, 80, { lastScaleOutAt: MIN }))).toMatchObject({
      capacity: 6,
    });
    expect(proposeSimple(short, 0, at(2 * MIN - 1, 4, 80, { lastScaleOutAt: MIN }))).toMatchObject({
      reason: 'RuleCooldown',
    });
  });

  it('without lastScaleOutAt/lastScaleInAt, counts the cooldown from the change it last asked for', () => {
    const first = proposeSimple(r, 0, at(0, 4, 80));
    expect(first).toMatchObject({ capacity: 6, memory: { activity: { out: { at: 0, base: 4 } } } });
    expect(proposeSimple(r, 0, at(MIN, 6, 80, { memory: [first.memory] }))).toMatchObject({
      reason: 'RuleCooldown',
    });
    expect(proposeSimple(r, 0, at(5 * MIN, 6, 80, { memory: [first.memory] }))).toMatchObject({
      capacity: 8,
    });
  });
});

describe('simple rule through AutoScalingManager', () => {
  it('scales out by +2, then ignores the alarm for the cooldown, then again', async () => {
    const group: ScalingGroupConfigInput = {
      id: 'web',
      minCapacity: 1,
      maxCapacity: 10,
      evaluationInterval: '15s',
      rules: [
        {
          kind: 'simple',
          metric: 'cpu',
          statistic: 'last',
          threshold: 70,
          comparison: '>=',
          adjustmentType: 'ChangeInCapacity',
          adjustment: 2,
          cooldown: '1m',
        },
      ],
    };
    await runScenario({
      name: 'simple scaling with a 1-minute cooldown',
      group,
      controller: { initial: 2 },
      metrics: { cpu: [[0, 80]] },
      until: 4 * MIN,
      expect: {
        // 2 → 4 at 0; the alarm is ignored until 0 + 1 m; 4 → 6 at 1 m, 6 → 8 at 2 m, 8 → 10 at 3 m;
        // at 4 m 10 + 2 = 12 is clamped to max 10.
        setCapacityCalls: [
          [0, 4, true],
          [MIN, 6, true],
          [2 * MIN, 8, true],
          [3 * MIN, 10, true],
        ],
        capacity: [
          [MIN - 1, 4],
          [MIN, 6],
          [4 * MIN, 10],
        ],
      },
    });
  });

  it.each([
    {
      name: `aws-clamp-max (${LIMITS}): max 3, current 2, a policy adding 3 adds only 1`,
      min: 1,
      max: 3,
      initial: 2,
      comparison: '>=',
      adjustment: 3,
      value: 80,
      expected: 3,
    },
    {
      name: `aws-clamp-min (${LIMITS}): min 2, current 3, a policy removing 2 removes only 1`,
      min: 2,
      max: 10,
      initial: 3,
      comparison: '<=',
      adjustment: -2,
      value: 10,
      expected: 2,
    },
  ] as const)('$name', async ({ min, max, initial, comparison, adjustment, value, expected }) => {
    await runScenario({
      name: 'clamped simple policy',
      group: {
        id: 'web',
        minCapacity: min,
        maxCapacity: max,
        evaluationInterval: '15s',
        behavior: { scaleDown: { stabilizationWindow: 0 } },
        rules: [
          {
            kind: 'simple',
            metric: 'cpu',
            statistic: 'last',
            threshold: 50,
            comparison,
            adjustmentType: 'ChangeInCapacity',
            adjustment,
          },
        ],
      },
      controller: { initial },
      metrics: { cpu: [[0, value]] },
      until: MIN,
      expect: { setCapacityCalls: [[0, expected, true]] },
    });
  });
});
