import type { ScalingGroupConfigInput } from 'tideway';
import { describe, expect, it } from 'vitest';
import { validateGroupConfig } from '../../src/config/group.js';
import { toConfigIssues } from '../../src/config/issues.js';
import { arbitrate } from '../../src/core/arbitrate.js';
import type { MetricObservation, Observation, Proposal } from '../../src/core/types.js';
import { ConfigError } from '../../src/errors.js';
import {
  type AwsTargetTrackingRuleInput,
  awsTargetCapacity,
  awsTargetTrackingRuleSchema,
  proposeAwsTargetTracking,
} from '../../src/rules/aws-target-tracking.js';
import { runScenario } from '../runtime/scenario-runner.js';

// Rows named "aws-…" are vectors from peer-vectors.json (AWS EC2 Auto Scaling user guide),
// copied here as literal rows with their id and source URL; the other rows are worked by hand
// from peers.md §1.3 (warm-up), §1.5 (target tracking) and Application Auto Scaling's cooldowns.
const TT_GUIDE = 'https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-target-tracking.html';

const MIN = 60_000;
const NOW = 100 * MIN;
type RuleInput = Omit<AwsTargetTrackingRuleInput, 'kind' | 'metric' | 'target'>;
const rule = (over: RuleInput = {}, target = 50) =>
  awsTargetTrackingRuleSchema.parse({ kind: 'aws-target-tracking', metric: 'cpu', target, ...over });
type Extra = Partial<Omit<Observation, 'now' | 'capacity' | 'metrics'>>;
const at = (now: number, capacity: number, value: number, extra: Extra = {}): Observation => ({
  now,
  capacity,
  readyCapacity: capacity,
  metrics: { cpu: { status: 'ok', samples: [{ timestamp: now - 1000, value }] } },
  ...extra,
});
const inService = (id: string, readyAt: number) => ({ id, state: 'in-service' as const, readyAt });
const old = (n: number) => Array.from({ length: n }, (_, i) => inService(`u${i}`, 0));

describe('awsTargetTrackingRuleSchema', () => {
  it('applies the documented defaults', () => {
    expect(rule()).toEqual({
      kind: 'aws-target-tracking',
      metric: 'cpu',
      target: 50,
      statistic: 'average',
      window: 60_000,
      disableScaleIn: false,
    });
  });

  it.each([
    {
      name: 'a warm-up together with cooldowns',
      input: { instanceWarmup: '1m', scaleInCooldown: '5m' },
      message:
        'instanceWarmup: expected either `instanceWarmup` (EC2 Auto Scaling) or `scaleOutCooldown`/`scaleInCooldown` (Application Auto Scaling), not both, got both',
    },
    { name: 'a target of 0', input: { target: 0 }, message: 'target: expected a number > 0, got 0' },
  ])('rejects $name', ({ input, message }) => {
    const full = { kind: 'aws-target-tracking', metric: 'cpu', target: 50, ...input };
    const result = awsTargetTrackingRuleSchema.safeParse(full, { reportInput: true });
    expect(toConfigIssues(result.error?.issues ?? [], full).map((i) => i.message)).toEqual([message]);
  });

  it('a malformed rule in a group is a ConfigError with the rule’s path', () => {
    const group = {
      id: 'web',
      minCapacity: 1,
      maxCapacity: 10,
      rules: [{ kind: 'aws-target-tracking', metric: 'cpu', target: 50, disableScaleIn: 'yes' }],
    };
    expect(() => validateGroupConfig(group)).toThrow(ConfigError);
    expect(() => validateGroupConfig(group)).toThrow(/rules\[0\]\.disableScaleIn/);
  });
});

describe('awsTargetCapacity: conservative rounding', () => {
  it.each([
    { name: `aws-tt-rounding (${TT_GUIDE}): 1.5 more adds 2`, capacity: 10, value: 57.5, expected: 12 },
    { name: `aws-tt-rounding (${TT_GUIDE}): 1.5 fewer removes 1`, capacity: 10, value: 42.5, expected: 9 },
    { name: 'no tolerance band: 50.1 at 10 units is 10.02, so 11', capacity: 10, value: 50.1, expected: 11 },
    { name: 'at target: no change', capacity: 10, value: 50, expected: 10 },
    { name: 'a whole result is not bumped by floating point', capacity: 10, value: 55, expected: 11 },
    { name: 'true zeros scale to 0', capacity: 4, value: 0, expected: 0 },
  ])('$name', ({ capacity, value, expected }) => {
    expect(awsTargetCapacity(capacity, value, 50)).toBe(expected);
  });

  it('snaps products like 10 × 0.55 / 0.5 to 11', () => {
    expect(awsTargetCapacity(10, 0.55, 0.5)).toBe(11);
  });
});

describe('proposeAwsTargetTracking: no unit warming', () => {
  const noWarmup = rule({ instanceWarmup: 0 });
  it.each([
    {
      name: `aws-tt-rounding (${TT_GUIDE}): scale-out rounds up`,
      r: noWarmup,
      obs: at(NOW, 10, 57.5),
      expected: {
        outcome: 'propose',
        capacity: 12,
        reason: 'AboveTarget',
        message: 'cpu 57.5 is above target 50: 10 units × 1.15 → 12',
        details: { value: 57.5, target: 50, ratio: 1.15, exact: 11.5 },
      },
    },
    {
      name: `aws-tt-rounding (${TT_GUIDE}): scale-in rounds the removal down`,
      r: noWarmup,
      obs: at(NOW, 10, 42.5),
      expected: { outcome: 'propose', capacity: 9, reason: 'BelowTarget' },
    },
    {
      name: 'disableScaleIn: the scale-in half abstains',
      r: rule({ instanceWarmup: 0, disableScaleIn: true }),
      obs: at(NOW, 10, 20),
      expected: { outcome: 'abstain', reason: 'ScaleInDisabled', details: { wanted: 4 } },
    },
    {
      name: 'disableScaleIn: scale-out still works',
      r: rule({ instanceWarmup: 0, disableScaleIn: true }),
      obs: at(NOW, 10, 80),
      expected: { outcome: 'propose', capacity: 16 },
    },
    {
      name: 'from zero units, above target asks for one',
      r: noWarmup,
      obs: at(NOW, 0, 80),
      expected: { outcome: 'propose', capacity: 1, reason: 'ScaleFromZero' },
    },
    {
      name: 'from zero units, at or below target stays at zero',
      r: noWarmup,
      obs: at(NOW, 0, 50),
      expected: { outcome: 'propose', capacity: 0 },
    },
    {
      name: 'no data is invalid (INSUFFICIENT_DATA stops the policy)',
      r: noWarmup,
      obs: { ...at(NOW, 10, 0), metrics: {} },
      expected: { outcome: 'invalid', reason: 'MetricMissing' },
    },
    {
      name: 'named by kind and metric',
      r: noWarmup,
      obs: at(NOW, 4, 50),
      expected: { rule: 'aws-target-tracking:cpu', capacity: 4, reason: 'WithinTolerance' },
    },
  ] as { name: string; r: ReturnType<typeof rule>; obs: Observation; expected: object }[])(
    '$name',
    ({ r, obs, expected }) => {
      expect(proposeAwsTargetTracking(r, 0, obs)).toMatchObject(expected);
    },
  );
});

describe('proposeAwsTargetTracking: instance warm-up (peers.md §1.3, §1.5)', () => {
  const r = rule({ instanceWarmup: '5m' });
  const twoWarming = [...old(10), inService('w1', NOW - MIN), inService('w2', NOW - MIN)];
  it.each([
    {
      name: 'warming capacity counts toward the result: the 10 others at 80 need 16, so +4',
      r,
      obs: at(NOW, 12, 80, { units: twoWarming }),
      expected: { outcome: 'propose', capacity: 16, details: { base: 10, warming: 2 } },
    },
    {
      name: 'no second scale-out for a need the warming units already meet (10 × 1.1 = 11 ≤ 12)',
      r,
      obs: at(NOW, 12, 55, { units: twoWarming }),
      expected: { outcome: 'propose', capacity: 12, reason: 'WarmingUp', details: { wanted: 11 } },
    },
    {
      name: 'scale-in is blocked while units warm: the proposal holds the current capacity',
      r,
      obs: at(NOW, 12, 20, { units: twoWarming }),
      expected: { outcome: 'propose', capacity: 12, reason: 'WarmingUp' },
    },
    {
      name: 'disableScaleIn while units warm still abstains from scale-in',
      r: rule({ instanceWarmup: '5m', disableScaleIn: true }),
      obs: at(NOW, 12, 20, { units: twoWarming }),
      expected: { outcome: 'abstain', reason: 'ScaleInDisabled' },
    },
    {
      name: 'the warm-up ends instanceWarmup after the unit became ready',
      r,
      obs: at(NOW, 12, 20, {
        units: [...old(10), inService('w1', NOW - 5 * MIN), inService('w2', NOW - 6 * MIN)],
      }),
      expected: { outcome: 'propose', capacity: 5, reason: 'BelowTarget' },
    },
    {
      name: 'warming units are left out of the metric when per-unit samples are observed',
      r,
      obs: {
        ...at(NOW, 3, 70, { units: [inService('a', 0), inService('b', 0), inService('c', NOW - MIN)] }),
        metrics: {
          cpu: {
            status: 'ok',
            samples: [{ timestamp: NOW - 1000, value: 70 }],
            perUnit: {
              a: [{ timestamp: NOW - 1000, value: 60 }],
              b: [{ timestamp: NOW - 1000, value: 80 }],
              c: [{ timestamp: NOW - 1000, value: 99 }],
            },
          },
        },
      } as Observation,
      // (60 + 80) / 2 = 70 on the 2 units outside warm-up: ceil(2 × 1.4) = 3 ≤ 3
      expected: { capacity: 3, reason: 'WarmingUp', details: { value: 70, wanted: 3 } },
    },
    {
      name: 'every in-service unit warming: nothing outside warm-up to act on',
      r,
      obs: {
        ...at(NOW, 2, 90, { units: [inService('a', NOW - MIN), { id: 'b', state: 'pending' as const }] }),
        metrics: {
          cpu: {
            status: 'ok',
            samples: [{ timestamp: NOW - 1000, value: 90 }],
            perUnit: { a: [{ timestamp: NOW - 1000, value: 90 }] },
          } as MetricObservation,
        },
      },
      expected: { capacity: 2, reason: 'WarmingUp' },
    },
  ] as { name: string; r: ReturnType<typeof rule>; obs: Observation; expected: object }[])(
    '$name',
    ({ r, obs, expected }) => {
      expect(proposeAwsTargetTracking(r, 0, obs)).toMatchObject(expected);
    },
  );

  it('without a unit list, the default 5-minute warm-up counts the units it saw added', () => {
    const d = rule();
    const first = proposeAwsTargetTracking(d, 0, at(0, 10, 60, { lastScaleOutAt: null }));
    expect(first).toMatchObject({ capacity: 12 });
    const held = proposeAwsTargetTracking(
      d,
      0,
      at(15_000, 12, 60, { lastScaleOutAt: 0, memory: [first.memory] }),
    );
    expect(held).toMatchObject({ capacity: 12, reason: 'WarmingUp', details: { warming: 2, base: 10 } });
    const inHeld = proposeAwsTargetTracking(
      d,
      0,
      at(MIN, 12, 10, { lastScaleOutAt: 0, memory: [held.memory] }),
    );
    expect(inHeld).toMatchObject({ capacity: 12, reason: 'WarmingUp' });
    // 5 minutes after the launch: 12 × 60 / 50 = 14.4 → 15
    const after = proposeAwsTargetTracking(
      d,
      0,
      at(5 * MIN, 12, 60, { lastScaleOutAt: 0, memory: [inHeld.memory] }),
    );
    expect(after).toMatchObject({ capacity: 15, reason: 'AboveTarget' });
  });
});

describe('proposeAwsTargetTracking: Application Auto Scaling cooldowns', () => {
  const r = rule({ scaleOutCooldown: '5m', scaleInCooldown: '5m' });
  it('during the scale-out cooldown the capacity already added counts: only a larger need adds more', () => {
    const first = proposeAwsTargetTracking(r, 0, at(0, 10, 60, { lastScaleOutAt: null }));
    expect(first).toMatchObject({ capacity: 12 });
    const same = proposeAwsTargetTracking(
      r,
      0,
      at(MIN, 12, 60, { lastScaleOutAt: 0, memory: [first.memory] }),
    );
    expect(same).toMatchObject({ outcome: 'abstain', reason: 'RuleCooldown' });
    // ceil(10 × 80 / 50) = 16 from the 10 before the first scale-out
    const larger = proposeAwsTargetTracking(
      r,
      0,
      at(MIN, 12, 80, { lastScaleOutAt: 0, memory: [first.memory] }),
    );
    expect(larger).toMatchObject({ outcome: 'propose', capacity: 16, details: { base: 10 } });
    // after the cooldown: ceil(12 × 60 / 50) = 15
    const after = proposeAwsTargetTracking(
      r,
      0,
      at(5 * MIN, 12, 60, { lastScaleOutAt: 0, memory: [first.memory] }),
    );
    expect(after).toMatchObject({ capacity: 15 });
  });

  it('scale-in waits for the scale-in cooldown, which a scale-out ends', () => {
    const first = proposeAwsTargetTracking(r, 0, at(0, 10, 40, { lastScaleInAt: null }));
    expect(first).toMatchObject({ capacity: 8 });
    const blocked = proposeAwsTargetTracking(
      r,
      0,
      at(MIN, 8, 30, { lastScaleInAt: 0, memory: [first.memory] }),
    );
    expect(blocked).toMatchObject({ outcome: 'abstain', reason: 'RuleCooldown' });
    const freed = proposeAwsTargetTracking(
      r,
      0,
      at(2 * MIN, 8, 30, { lastScaleInAt: 0, lastScaleOutAt: MIN, memory: [first.memory] }),
    );
    expect(freed).toMatchObject({ outcome: 'propose', capacity: 5 });
  });

  it('a lone scaleInCooldown leaves scale-out to the 300 s default', () => {
    const onlyIn = rule({ scaleInCooldown: '1m' });
    const first = proposeAwsTargetTracking(onlyIn, 0, at(0, 10, 60, { lastScaleOutAt: null }));
    const later = proposeAwsTargetTracking(
      onlyIn,
      0,
      at(4 * MIN, 12, 60, { lastScaleOutAt: 0, memory: [first.memory] }),
    );
    expect(later).toMatchObject({ reason: 'RuleCooldown' });
  });
});

describe(`aws-tt-multi-policy-rule (${TT_GUIDE}): under 'aws' arbitration`, () => {
  const cpu = rule({ instanceWarmup: 0 });
  const rps = awsTargetTrackingRuleSchema.parse({
    kind: 'aws-target-tracking',
    metric: 'rps',
    target: 100,
    instanceWarmup: 0,
  });
  const rpsNoIn = awsTargetTrackingRuleSchema.parse({
    kind: 'aws-target-tracking',
    metric: 'rps',
    target: 100,
    instanceWarmup: 0,
    disableScaleIn: true,
  });
  const both = (rules: ReturnType<typeof rule>[], capacity: number, cpuValue: number, rpsValue: number) => {
    const obs: Observation = {
      now: NOW,
      capacity,
      readyCapacity: capacity,
      metrics: {
        cpu: { status: 'ok', samples: [{ timestamp: NOW - 1000, value: cpuValue }] },
        rps: { status: 'ok', samples: [{ timestamp: NOW - 1000, value: rpsValue }] },
      },
    };
    const proposals: Proposal[] = rules.map((r, i) => proposeAwsTargetTracking(r, i, obs));
    return arbitrate('aws', proposals, capacity).capacity;
  };
  it.each([
    {
      name: 'scale out if any policy wants to (the largest wins)',
      rules: [cpu, rps],
      cpu: 80,
      rps: 30,
      expected: 16,
    },
    {
      name: 'scale in only if all want to (the smallest removal)',
      rules: [cpu, rps],
      cpu: 25,
      rps: 80,
      expected: 8,
    },
    {
      name: 'no scale-in while one policy is at its target',
      rules: [cpu, rps],
      cpu: 25,
      rps: 100,
      expected: 10,
    },
    {
      name: 'a policy with scale-in disabled does not hold back the others’ scale-in',
      rules: [cpu, rpsNoIn],
      cpu: 25,
      rps: 30,
      expected: 5,
    },
  ])('$name', ({ rules, cpu: c, rps: q, expected }) => {
    expect(both(rules, 10, c, q)).toBe(expected);
  });
});

describe('aws-target-tracking through AutoScalingManager', () => {
  it('scales out, holds while the new units warm up, then follows the metric down', async () => {
    const group: ScalingGroupConfigInput = {
      id: 'web',
      minCapacity: 1,
      maxCapacity: 20,
      evaluationInterval: '15s',
      arbitration: 'aws',
      behavior: { scaleDown: { stabilizationWindow: 0 } },
      rules: [
        { kind: 'aws-target-tracking', metric: 'cpu', target: 50, statistic: 'last', instanceWarmup: '1m' },
        { kind: 'aws-target-tracking', metric: 'rps', target: 100, statistic: 'last', disableScaleIn: true },
      ],
    };
    await runScenario({
      name: 'aws target tracking with warm-up',
      group,
      controller: { initial: 4 },
      metrics: {
        cpu: [
          [0, 75],
          [2 * MIN, 25],
        ],
        rps: [[0, 50]],
      },
      until: 3 * MIN,
      expect: {
        // 0: ceil(4 × 1.5) = 6. 15–45 s: 2 units warm, ceil(4 × 1.5) = 6 is already there.
        // 60 s: warm-up over, ceil(6 × 1.5) = 9. 75–105 s: 3 warm, 6 × 1.5 = 9 is there.
        // 120 s: cpu 25, ceil(9 × 0.5) = 5; then 3, 2, 1 (ceil of 2.5, 1.5, 1), and min 1.
        // rps 50 per 100 always wants fewer, but its scale-in is disabled, so it never holds cpu back.
        setCapacityCalls: [
          [0, 6, true],
          [MIN, 9, true],
          [2 * MIN, 5, true],
          [2 * MIN + 15_000, 3, true],
          [2 * MIN + 30_000, 2, true],
          [2 * MIN + 45_000, 1, true],
        ],
      },
    });
  });
});
