import { describe, expect, it } from 'vitest';
import type { MetricObservation, Observation } from '../../src/core/types.js';
import type { UnitInfo } from '../../src/ports/controller.js';
import {
  proposeTargetTracking,
  type TargetTrackingRuleInput,
  targetTrackingRuleSchema,
} from '../../src/rules/target-tracking.js';

// Expected values follow the Kubernetes replica arithmetic (k8s-hpa.md §2.4, §2.5, §3), in
// milli-units. Rows named "K8s <Test>" reproduce cases from kubernetes/kubernetes
// pkg/controller/podautoscaler/replica_calculator_test.go, whose metric levels are milli-units
// (8600 → 8.6 here). `target` is the Object/External Value target, `targetPerUnit` AverageValue.

const NOW = 1_000_000;

type RuleInput = Omit<TargetTrackingRuleInput, 'kind' | 'metric'>;
const rule = (over: RuleInput) =>
  targetTrackingRuleSchema.parse({ kind: 'target-tracking', metric: 'qps', ...over });

const observe = (
  capacity: number,
  readyCapacity: number,
  metric: MetricObservation | undefined,
  name = 'qps',
): Observation => ({
  now: NOW,
  capacity,
  readyCapacity,
  metrics: metric === undefined ? {} : { [name]: metric },
});
const ok = (...values: number[]): MetricObservation => ({
  status: 'ok',
  // Oldest first, 1 s apart, the newest 1 s before now.
  samples: values.map((value, i) => ({ timestamp: NOW - (values.length - i) * 1000, value })),
});

describe('targetTrackingRuleSchema', () => {
  it('applies the documented defaults', () => {
    expect(rule({ target: 0.6 })).toEqual({
      kind: 'target-tracking',
      metric: 'qps',
      target: 0.6,
      tolerance: { scaleUp: 0.1, scaleDown: 0.1 },
      window: 60_000,
      statistic: 'average',
    });
  });

  it.each([
    { name: 'a number applies to both sides', tolerance: 0.2, expected: { scaleUp: 0.2, scaleDown: 0.2 } },
    {
      name: 'a number of 1 (the largest allowed) applies to both sides',
      tolerance: 1,
      expected: { scaleUp: 1, scaleDown: 1 },
    },
    {
      name: 'per side, scale-up may exceed 1 (Kubernetes allows a 200 % scale-up tolerance)',
      tolerance: { scaleUp: 2 },
      expected: { scaleUp: 2, scaleDown: 0.1 },
    },
    {
      name: 'per side; the missing side is 0.1',
      tolerance: { scaleDown: 0.34 },
      expected: { scaleUp: 0.1, scaleDown: 0.34 },
    },
    {
      name: 'per side, both given',
      tolerance: { scaleUp: 0, scaleDown: 0 },
      expected: { scaleUp: 0, scaleDown: 0 },
    },
  ])('tolerance: $name', ({ tolerance, expected }) => {
    expect(rule({ target: 1, tolerance }).tolerance).toEqual(expected);
  });

  it.each([
    // A scale-down tolerance above 1 would make every ratio "within" (1 − t < 0), so it is refused.
    { name: 'a single number above 1', tolerance: 2 },
    { name: 'a negative number', tolerance: -0.1 },
    { name: 'a per-side scale-down above 1', tolerance: { scaleDown: 1.5 } },
    { name: 'a negative per-side scale-up', tolerance: { scaleUp: -1 } },
    { name: 'an unknown per-side key', tolerance: { down: 0.2 } },
  ])('tolerance: rejects $name', ({ tolerance }) => {
    const result = targetTrackingRuleSchema.safeParse({
      kind: 'target-tracking',
      metric: 'qps',
      target: 1,
      tolerance,
    });
    expect(result.success).toBe(false);
  });
});

describe('proposeTargetTracking: Value target (ceil(value / target × ready units))', () => {
  it.each([
    {
      // 20000 / 15000 = 1.333… > 1.1 → ceil(1.333… × 3) = 4.
      name: 'K8s TestReplicaCalcScaleUpCMObject: 20 vs 15 on 3 → 4',
      value: 20,
      target: 15,
      current: 3,
      ready: 3,
      expected: 4,
      reason: 'AboveTarget',
    },
    {
      // 12000 / 20000 = 0.6 < 0.9 → ceil(0.6 × 5) = 3.
      name: 'K8s TestReplicaCalcScaleDownCMObject: 12 vs 20 on 5 → 3',
      value: 12,
      target: 20,
      current: 5,
      ready: 5,
      expected: 3,
      reason: 'BelowTarget',
    },
    {
      // 8600 / 14334 = 0.59997 → ceil(2.9998) = 3.
      name: 'K8s TestReplicaCalcScaleDownCMExternal: 8.6 vs 14.334 on 5 → 3',
      value: 8.6,
      target: 14.334,
      current: 5,
      ready: 5,
      expected: 3,
      reason: 'BelowTarget',
    },
    {
      // 20666 / 20000 = 1.0333 ≤ 1.1 → current.
      name: 'K8s TestReplicaCalcToleranceCMObject: 20.666 vs 20 on 3 → 3 (within 10 %)',
      value: 20.666,
      target: 20,
      current: 3,
      ready: 3,
      expected: 3,
      reason: 'WithinTolerance',
    },
    {
      // 8600 / 8888 = 0.9676 ≥ 0.9 → current.
      name: 'K8s TestReplicaCalcToleranceCMExternal: 8.6 vs 8.888 on 3 → 3 (within 10 %)',
      value: 8.6,
      target: 8.888,
      current: 3,
      ready: 3,
      expected: 3,
      reason: 'WithinTolerance',
    },
    {
      // Only 1 of 3 units is ready: ceil(50000 / 10000 × 1) = 5 (15 if current were the base).
      name: 'K8s TestReplicaCalcScaleUpCMObjectIgnoresUnreadyPods: the base is READY units → 5',
      value: 50,
      target: 10,
      current: 3,
      ready: 1,
      expected: 5,
      reason: 'AboveTarget',
    },
    {
      // ceil(8600 / 4400 × 1) = ceil(1.95) = 2 — fewer than current 3, as Kubernetes does; the
      // reason still says where the metric is (ratio 1.95 > 1).
      name: 'K8s TestReplicaCalcScaleUpCMExternalIgnoresUnreadyPods: 1 ready unit → 2, metric above target',
      value: 8.6,
      target: 4.4,
      current: 3,
      ready: 1,
      expected: 2,
      reason: 'AboveTarget',
    },
    {
      // No unit ready yet: base falls back to current 4 → ceil(2 × 4) = 8.
      name: 'no ready unit: the base falls back to current: ceil(2 × 4) = 8',
      value: 2,
      target: 1,
      current: 4,
      ready: 0,
      expected: 8,
      reason: 'AboveTarget',
    },
    {
      // ratio 0.2 on 4 → ceil(0.8) = 1.
      name: 'scale-in rounds up: ceil(0.2 × 4) = 1',
      value: 0.2,
      target: 1,
      current: 4,
      ready: 4,
      expected: 1,
      reason: 'BelowTarget',
    },
    {
      name: 'a zero value proposes 0: ceil(0 × 4) = 0',
      value: 0,
      target: 1,
      current: 4,
      ready: 4,
      expected: 0,
      reason: 'BelowTarget',
    },
  ])('$name', ({ value, target, current, ready, expected, reason }) => {
    const proposal = proposeTargetTracking(rule({ target }), 2, observe(current, ready, ok(value)));
    expect(proposal.outcome).toBe('propose');
    expect(proposal.capacity).toBe(expected);
    expect(proposal.reason).toBe(reason);
    expect(proposal.ruleIndex).toBe(2);
    expect(proposal.rule).toBe('target-tracking:qps');
  });
});

describe('proposeTargetTracking: AverageValue target (ceil(value / targetPerUnit))', () => {
  it.each([
    {
      // 8600 / (2150 × 3) = 1.333 > 1.1 → ceil(8600 / 2150) = 4.
      name: 'K8s TestReplicaCalcScaleUpPerPodCMExternal: 8.6 at 2.15 per unit on 3 → 4',
      value: 8.6,
      perUnit: 2.15,
      current: 3,
      ready: 3,
      expected: 4,
      reason: 'AboveTarget',
    },
    {
      // 20000 / (5000 × 3) = 1.333 → ceil(20000 / 5000) = 4.
      name: 'K8s TestReplicaCalcScaleUpCMPerPodObject: 20 at 5 per unit on 3 → 4',
      value: 20,
      perUnit: 5,
      current: 3,
      ready: 3,
      expected: 4,
      reason: 'AboveTarget',
    },
    {
      // 6000 / (2000 × 5) = 0.6 → ceil(6000 / 2000) = 3.
      name: 'K8s TestReplicaCalcScaleDownPerPodCMObject: 6 at 2 per unit on 5 → 3',
      value: 6,
      perUnit: 2,
      current: 5,
      ready: 5,
      expected: 3,
      reason: 'BelowTarget',
    },
    {
      // 8600 / (2867 × 5) = 0.5999 → ceil(8600 / 2867) = ceil(2.9997) = 3.
      name: 'K8s TestReplicaCalcScaleDownPerPodCMExternal: 8.6 at 2.867 per unit on 5 → 3',
      value: 8.6,
      perUnit: 2.867,
      current: 5,
      ready: 5,
      expected: 3,
      reason: 'BelowTarget',
    },
    {
      // Tolerance uses usage / (target × current): 20166 / 20000 = 1.0083 ≤ 1.1 → current 4.
      name: 'K8s TestReplicaCalcTolerancePerPodCMObject: 20.166 at 5 per unit on 4 → 4',
      value: 20.166,
      perUnit: 5,
      current: 4,
      ready: 4,
      expected: 4,
      reason: 'WithinTolerance',
    },
    {
      // 8600 / (2900 × 3) = 0.9885 ≥ 0.9 → current 3.
      name: 'K8s TestReplicaCalcTolerancePerPodCMExternal: 8.6 at 2.9 per unit on 3 → 3',
      value: 8.6,
      perUnit: 2.9,
      current: 3,
      ready: 3,
      expected: 3,
      reason: 'WithinTolerance',
    },
    {
      // Readiness is not considered: 1 ready of 4 changes nothing; 20.166 / (5 × 4) is still within.
      name: 'readiness is ignored: the tolerance base is current (4), not ready units (1)',
      value: 20.166,
      perUnit: 5,
      current: 4,
      ready: 1,
      expected: 4,
      reason: 'WithinTolerance',
    },
    {
      // 40 / (5 × 4) = 2 → ceil(40 / 5) = 8, whatever the ready count.
      name: 'readiness is ignored: ceil(40 / 5) = 8 with 1 ready unit',
      value: 40,
      perUnit: 5,
      current: 4,
      ready: 1,
      expected: 8,
      reason: 'AboveTarget',
    },
  ])('$name', ({ value, perUnit, current, ready, expected, reason }) => {
    const proposal = proposeTargetTracking(
      rule({ targetPerUnit: perUnit }),
      0,
      observe(current, ready, ok(value)),
    );
    expect(proposal.capacity).toBe(expected);
    expect(proposal.reason).toBe(reason);
  });
});

describe('proposeTargetTracking: tolerance (inclusive, per direction)', () => {
  it.each([
    // K8s TestReplicaCalcConfigurableTolerance uses CPU utilization 65 % of a 100 % target: ratio 0.65.
    {
      name: 'K8s TestReplicaCalcConfigurableTolerance / Outside a 34% scale-down tolerance: 0.65 < 0.66 → ceil(0.65 × 3) = 2',
      value: 0.65,
      target: 1,
      tolerance: { scaleDown: 0.34, scaleUp: 0.1 },
      expected: 2,
      reason: 'BelowTarget',
    },
    {
      name: 'K8s TestReplicaCalcConfigurableTolerance / Within a 36% scale-down tolerance: 0.65 ≥ 0.64 → 3',
      value: 0.65,
      target: 1,
      tolerance: { scaleDown: 0.36, scaleUp: 0.1 },
      expected: 3,
      reason: 'WithinTolerance',
    },
    {
      name: 'K8s TestReplicaCalcConfigurableTolerance / Outside of a 0% tolerance: 1.01 > 1 → ceil(3.03) = 4',
      value: 1.01,
      target: 1,
      tolerance: { scaleDown: 0, scaleUp: 0 },
      expected: 4,
      reason: 'AboveTarget',
    },
    {
      name: 'K8s TestReplicaCalcConfigurableTolerance / Within a 200% scale-up tolerance: 1.9 ≤ 3 → 3',
      value: 1.9,
      target: 1,
      tolerance: { scaleDown: 0.1, scaleUp: 2 },
      expected: 3,
      reason: 'WithinTolerance',
    },
    {
      // Upstream's "superfluous" scale-down tolerance is 2; tideway caps scale-down at 1, which is as superfluous.
      name: 'K8s TestReplicaCalcConfigurableTolerance / Outside 8% scale-up tolerance (and superfuous scale-down tolerance): 1.09 > 1.08 → ceil(3.27) = 4',
      value: 1.09,
      target: 1,
      tolerance: { scaleDown: 1, scaleUp: 0.08 },
      expected: 4,
      reason: 'AboveTarget',
    },
    {
      // 8900 / 8800 = 1.0114 > 1.01 → ceil(3.034) = 4.
      name: 'K8s TestReplicaCalcConfigurableToleranceCMExternal: 8.9 vs 8.8, up 1 % → 4',
      value: 8.9,
      target: 8.8,
      tolerance: { scaleDown: 0.1, scaleUp: 0.01 },
      expected: 4,
      reason: 'AboveTarget',
    },
    {
      // 20666 / 20000 = 1.0333 > 1.01 → ceil(3.0999) = 4.
      name: 'K8s TestReplicaCalcConfigurableToleranceCMObject: 20.666 vs 20, up 1 % → 4',
      value: 20.666,
      target: 20,
      tolerance: { scaleDown: 0.1, scaleUp: 0.01 },
      expected: 4,
      reason: 'AboveTarget',
    },
    {
      name: 'inclusive upper edge: ratio exactly 1.1 with 10 % → stay 3',
      value: 1.1,
      target: 1,
      tolerance: 0.1,
      expected: 3,
      reason: 'WithinTolerance',
    },
    {
      name: 'inclusive lower edge: ratio exactly 0.9 with 10 % → stay 3',
      value: 0.9,
      target: 1,
      tolerance: 0.1,
      expected: 3,
      reason: 'WithinTolerance',
    },
    {
      name: 'just past the upper edge: 1.101 → ceil(3.303) = 4',
      value: 1.101,
      target: 1,
      tolerance: 0.1,
      expected: 4,
      reason: 'AboveTarget',
    },
    {
      name: 'just past the lower edge: 0.899 → ceil(2.697) = 3 (= current, but not "within")',
      value: 0.899,
      target: 1,
      tolerance: 0.1,
      expected: 3,
      reason: 'BelowTarget',
    },
    {
      name: 'zero tolerance: exactly on target stays 3',
      value: 1,
      target: 1,
      tolerance: 0,
      expected: 3,
      reason: 'WithinTolerance',
    },
  ])('$name', ({ value, target, tolerance, expected, reason }) => {
    const proposal = proposeTargetTracking(rule({ target, tolerance }), 0, observe(3, 3, ok(value)));
    expect(proposal.capacity).toBe(expected);
    // Outside tolerance the reason says where the metric is, even when rounding keeps capacity (0.899).
    expect(proposal.reason).toBe(reason);
  });

  it.each([
    // AverageValue: 20208 / (5000 × 4) = 1.0104 > 1.01 → ceil(20208 / 5000) = ceil(4.04) = 5.
    {
      name: 'K8s TestReplicaCalcConfigurableTolerancePerPodCMObject: 20.208 at 5 per unit on 4, up 1 % → 5',
      value: 20.208,
      perUnit: 5,
      current: 4,
      expected: 5,
    },
    // 8600 / (2800 × 3) = 1.0238 > 1.01 → ceil(8600 / 2800) = ceil(3.07) = 4.
    {
      name: 'K8s TestReplicaCalcConfigurableTolerancePerPodCMExternal: 8.6 at 2.8 per unit on 3, up 1 % → 4',
      value: 8.6,
      perUnit: 2.8,
      current: 3,
      expected: 4,
    },
  ])('$name', ({ value, perUnit, current, expected }) => {
    const r = rule({ targetPerUnit: perUnit, tolerance: { scaleDown: 0.1, scaleUp: 0.01 } });
    expect(proposeTargetTracking(r, 0, observe(current, current, ok(value))).capacity).toBe(expected);
  });

  it('within tolerance proposes current with WithinTolerance and says so', () => {
    const proposal = proposeTargetTracking(rule({ target: 20 }), 0, observe(3, 3, ok(20.666)));
    expect(proposal).toMatchObject({
      outcome: 'propose',
      capacity: 3,
      reason: 'WithinTolerance',
      message: 'qps 20.666 is within tolerance of target 20',
    });
  });
});

describe('proposeTargetTracking: scale from zero (no tolerance, ceil(value / target))', () => {
  it.each([
    {
      name: 'k8s-hpa.md §2.4 example: usage 1000 m vs target 1000 m → 1',
      over: { target: 1 },
      value: 1,
      expected: 1,
    },
    // Inside ±10 % would mean "stay at 0" with a tolerance check; there is none at zero.
    {
      name: 'no tolerance at zero: 1.05 vs 1 → ceil(1.05) = 2',
      over: { target: 1 },
      value: 1.05,
      expected: 2,
    },
    { name: 'below target still wakes up: ceil(0.5) = 1', over: { target: 1 }, value: 0.5, expected: 1 },
    { name: 'nothing to do stays at zero: ceil(0) = 0', over: { target: 1 }, value: 0, expected: 0 },
    { name: 'per unit: ceil(7 / 2) = 4', over: { targetPerUnit: 2 }, value: 7, expected: 4 },
  ])('$name', ({ over, value, expected }) => {
    const proposal = proposeTargetTracking(rule(over), 0, observe(0, 0, ok(value)));
    expect(proposal.capacity).toBe(expected);
    expect(proposal.reason).toBe('ScaleFromZero');
    expect(proposal.message).toContain('with no units for');
  });
});

describe('proposeTargetTracking: milli-unit exactness', () => {
  it.each([
    // 1100 m / 100 m = 11 exactly → ceil(11 × 1) = 11.
    {
      name: '1.1 vs target 0.1 on 1 unit → 11 (not 12)',
      over: { target: 0.1 },
      value: 1.1,
      current: 1,
      expected: 11,
    },
    // 0.07 / 0.01 is 7.000000000000001 in floating point (ceil → 8); 70 m / 10 m = 7.
    {
      name: '0.07 vs target 0.01 on 1 unit → 7 (float division would give 8)',
      over: { target: 0.01 },
      value: 0.07,
      current: 1,
      expected: 7,
    },
    {
      name: '0.07 at 0.01 per unit on 1 unit → ceil(70 / 10) = 7 (float would give 8)',
      over: { targetPerUnit: 0.01 },
      value: 0.07,
      current: 1,
      expected: 7,
    },
    {
      name: 'scale from zero: 0.07 vs target 0.01 → ceil(70 / 10) = 7',
      over: { target: 0.01 },
      value: 0.07,
      current: 0,
      expected: 7,
    },
  ])('$name', ({ over, value, current, expected }) => {
    expect(proposeTargetTracking(rule(over), 0, observe(current, current, ok(value))).capacity).toBe(
      expected,
    );
  });
});

describe('proposeTargetTracking: statistic and window', () => {
  // Samples 0.5, 0.9, 0.7 vs target 0.6 on 3 ready units.
  it.each([
    {
      name: 'average (0.5 + 0.9 + 0.7) / 3 = 0.7 → 700 / 600 = 1.167 → ceil(3.5) = 4',
      statistic: 'average' as const,
      expected: 4,
    },
    { name: 'max 0.9 → 900 / 600 = 1.5 → ceil(4.5) = 5', statistic: 'max' as const, expected: 5 },
    { name: 'min 0.5 → 500 / 600 = 0.833 → ceil(2.5) = 3', statistic: 'min' as const, expected: 3 },
    { name: 'last 0.7 → ceil(3.5) = 4', statistic: 'last' as const, expected: 4 },
    { name: 'sum 2.1 → 2100 / 600 = 3.5 → ceil(10.5) = 11', statistic: 'sum' as const, expected: 11 },
  ])('$name', ({ statistic, expected }) => {
    const r = rule({ target: 0.6, statistic });
    expect(proposeTargetTracking(r, 0, observe(3, 3, ok(0.5, 0.9, 0.7))).capacity).toBe(expected);
  });

  it('only samples strictly newer than now − window count', () => {
    const metric: MetricObservation = {
      status: 'ok',
      samples: [
        { timestamp: NOW - 30_000, value: 100 }, // exactly at the 30 s edge: outside
        { timestamp: NOW - 29_999, value: 2 },
      ],
    };
    // Only 2 counts: 2 / 1 = 2 → ceil(2 × 3) = 6 (with the 100 it would be 51 → 153).
    const proposal = proposeTargetTracking(rule({ target: 1, window: '30s' }), 0, observe(3, 3, metric));
    expect(proposal.capacity).toBe(6);
  });
});

describe('proposeTargetTracking: no data', () => {
  it.each([
    {
      name: 'metric absent from the observation → MetricMissing',
      metric: undefined,
      reason: 'MetricMissing',
      message: 'metric qps has no data',
    },
    {
      name: 'status missing → MetricMissing',
      metric: { status: 'missing', samples: [] } as MetricObservation,
      reason: 'MetricMissing',
      message: 'metric qps has no data',
    },
    {
      name: 'status missing with what was wrong with the answer → MetricMissing saying it',
      metric: {
        status: 'missing',
        samples: [],
        error: 'its samples are "lots", not an array',
      } as MetricObservation,
      reason: 'MetricMissing',
      message: 'metric qps has no data: its samples are "lots", not an array',
    },
    {
      name: 'status failed with an error → MetricFailed naming it',
      metric: { status: 'failed', samples: [], error: 'timed out after 10000 ms' } as MetricObservation,
      reason: 'MetricFailed',
      message: 'metric qps could not be read (timed out after 10000 ms)',
    },
    {
      name: 'status failed without an error → MetricFailed',
      metric: { status: 'failed', samples: [] } as MetricObservation,
      reason: 'MetricFailed',
      message: 'metric qps could not be read (unknown error)',
    },
    {
      name: 'ok but no sample inside the window → MetricMissing',
      metric: { status: 'ok', samples: [{ timestamp: NOW - 60_000, value: 5 }] } as MetricObservation,
      reason: 'MetricMissing',
      message: 'metric qps has no data in the last 60000 ms',
    },
    {
      name: 'a different metric present does not count',
      metric: undefined,
      reason: 'MetricMissing',
      message: 'metric qps has no data',
      other: true,
    },
  ])('$name', ({ metric, reason, message, other }) => {
    const observation = other ? observe(3, 3, ok(5), 'cpu') : observe(3, 3, metric);
    const proposal = proposeTargetTracking(rule({ name: 'queue depth', target: 1 }), 4, observation);
    expect(proposal).toEqual({ rule: 'queue depth', ruleIndex: 4, outcome: 'invalid', reason, message });
    expect(proposal.capacity).toBeUndefined();
  });
});

describe('proposeTargetTracking: messages and details', () => {
  it.each([
    {
      name: 'Value above target',
      over: { target: 0.6 },
      value: 0.9,
      current: 3,
      message: 'qps 0.9 is above target 0.6',
    },
    {
      name: 'Value below target',
      over: { target: 0.6 },
      value: 0.3,
      current: 3,
      message: 'qps 0.3 is below target 0.6',
    },
    {
      name: 'the value is shown with at most four decimals',
      over: { target: 0.6 },
      value: 0.8123456,
      current: 3,
      message: 'qps 0.8123 is above target 0.6',
    },
    // 40 > 5 × 4 = 20 total target; the sentence names the units the total is for.
    {
      name: 'AverageValue above target',
      over: { targetPerUnit: 5 },
      value: 40,
      current: 4,
      message: 'qps 40 is above target 5 per unit (20 for 4 units)',
    },
    {
      // 10 > 5 × 1; one unit, singular.
      name: 'AverageValue above target on one unit',
      over: { targetPerUnit: 5 },
      value: 10,
      current: 1,
      message: 'qps 10 is above target 5 per unit (5 for 1 unit)',
    },
    {
      // 8 < 5 × 4 = 20 → 8 / 20 = 0.4 is outside 10 %.
      name: 'AverageValue below target',
      over: { targetPerUnit: 5 },
      value: 8,
      current: 4,
      message: 'qps 8 is below target 5 per unit (20 for 4 units)',
    },
    {
      // 20.166 / (5 × 4) = 1.0083 is within 10 %.
      name: 'AverageValue within tolerance',
      over: { targetPerUnit: 5 },
      value: 20.166,
      current: 4,
      message: 'qps 20.166 is within tolerance of target 5 per unit (20 for 4 units)',
    },
    {
      name: 'scale from zero',
      over: { target: 2 },
      value: 3,
      current: 0,
      message: 'qps 3 with no units for target 2',
    },
  ])('$name', ({ over, value, current, message }) => {
    expect(proposeTargetTracking(rule(over), 0, observe(current, current, ok(value))).message).toBe(message);
  });

  it.each([
    { name: 'Value target: 900 m / 600 m = 1.5', over: { target: 0.6 }, value: 0.9, current: 3, ratio: 1.5 },
    {
      name: 'AverageValue: 40 000 m / (5000 m × 4) = 2',
      over: { targetPerUnit: 5 },
      value: 40,
      current: 4,
      ratio: 2,
    },
    {
      name: 'within tolerance: 1050 m / 1000 m = 1.05',
      over: { target: 1 },
      value: 1.05,
      current: 3,
      ratio: 1.05,
    },
    {
      name: 'from zero, Value target: 3000 m / 2000 m = 1.5',
      over: { target: 2 },
      value: 3,
      current: 0,
      ratio: 1.5,
    },
    {
      name: 'from zero, AverageValue: no ratio to a total of 0 units → 0',
      over: { targetPerUnit: 2 },
      value: 3,
      current: 0,
      ratio: 0,
    },
    {
      name: 'ratio rounded to 6 decimals: 1000 m / 3000 m = 0.333333',
      over: { target: 3 },
      value: 1,
      current: 3,
      ratio: 0.333333,
    },
  ])('details carry the observed value and the ratio — $name', ({ over, value, current, ratio }) => {
    const proposal = proposeTargetTracking(rule(over), 0, observe(current, current, ok(value)));
    expect(proposal.details).toEqual({ value, ratio });
  });
});

describe('targetTrackingRuleSchema: per-unit targets', () => {
  const parse = (over: Record<string, unknown>) =>
    targetTrackingRuleSchema.safeParse({ kind: 'target-tracking', metric: 'cpu', ...over });
  it.each([
    {
      name: 'perUnit with target (a Value target has no per-unit form)',
      over: { perUnit: true, target: 1 },
      path: 'target',
    },
    { name: 'perUnit with neither target', over: { perUnit: true }, path: 'targetUtilization' },
    {
      name: 'perUnit with both targetPerUnit and targetUtilization',
      over: { perUnit: true, targetPerUnit: 1, targetUtilization: 50 },
      path: 'targetPerUnit',
    },
    {
      name: 'targetUtilization without perUnit',
      over: { target: 1, targetUtilization: 50 },
      path: 'targetUtilization',
    },
    { name: 'request without perUnit', over: { target: 1, request: 0.5 }, path: 'request' },
    { name: 'startup without perUnit', over: { target: 1, startup: {} }, path: 'startup' },
    {
      name: 'a fractional targetUtilization',
      over: { perUnit: true, targetUtilization: 50.5 },
      path: 'targetUtilization',
    },
  ])('rejects $name at `$path`', ({ over, path }) => {
    const result = parse(over);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });

  it('defaults startup timings to the HPA flags (5 minutes, 30 s)', () => {
    const parsed = parse({ perUnit: true, targetUtilization: 60, startup: {} });
    expect(parsed.success && parsed.data.startup).toEqual({
      initializationPeriod: 300_000,
      initialReadinessDelay: 30_000,
    });
  });
});

describe('proposeTargetTracking: per-unit samples', () => {
  const cpu = (over: Omit<TargetTrackingRuleInput, 'kind' | 'metric'> = {}) =>
    targetTrackingRuleSchema.parse({
      kind: 'target-tracking',
      metric: 'cpu',
      perUnit: true,
      targetUtilization: 30,
      request: 1,
      ...over,
    });
  const unit = (
    id: string,
    state: UnitInfo['state'] = 'in-service',
    extra: Partial<UnitInfo> = {},
  ): UnitInfo => ({
    id,
    state,
    launchedAt: NOW - 3_600_000,
    readyAt: NOW - 3_500_000,
    ...extra,
  });
  const perUnitObs = (
    values: Record<string, number>,
    units: UnitInfo[] | undefined,
    capacity = 3,
  ): Observation => ({
    now: NOW,
    capacity,
    readyCapacity: capacity,
    ...(units === undefined ? {} : { units }),
    metrics: {
      cpu: {
        status: 'ok',
        samples: [{ timestamp: NOW - 1000, value: 1 }],
        perUnit: Object.fromEntries(
          Object.entries(values).map(([id, value]) => [id, [{ timestamp: NOW - 1000, value }]]),
        ),
      },
    },
  });

  // K8s horizontal_test.go TestScaleUp: 30/50/70 % of a 1-core request against 30 % → 5.
  it('K8s TestScaleUp through the rule: utilization 50 % over target 30 % → 5', () => {
    const p = proposeTargetTracking(
      cpu(),
      0,
      perUnitObs({ a: 0.3, b: 0.5, c: 0.7 }, [unit('a'), unit('b'), unit('c')]),
    );
    expect(p).toMatchObject({ outcome: 'propose', capacity: 5, reason: 'AboveTarget' });
    expect(p.details).toMatchObject({ value: 50, readyUnits: 3, unreadyUnits: 0, missingUnits: 0 });
    expect(p.message).toBe('cpu 50% of request is above target 30% over 3 ready units');
  });

  it('a unit reports its own request ahead of the rule’s', () => {
    // 0.5 of a 2-core request is 25 %: (0.3 + 0.5 + 0.5) / (1 + 1 + 2) = 32 % → within tolerance.
    const units = [unit('a'), unit('b'), unit('c', 'in-service', { requests: { cpu: 2 } })];
    const p = proposeTargetTracking(cpu(), 0, perUnitObs({ a: 0.3, b: 0.5, c: 0.5 }, units));
    expect(p).toMatchObject({ capacity: 3, reason: 'WithinTolerance', details: { value: 32 } });
  });

  it('without a unit list every unit that reported counts as ready', () => {
    const p = proposeTargetTracking(cpu(), 0, perUnitObs({ a: 0.3, b: 0.5, c: 0.7 }, undefined));
    expect(p).toMatchObject({ capacity: 5, details: { readyUnits: 3 } });
  });

  it('a warming unit with a sample counts as ready when `startup` is unset (non-CPU metrics)', () => {
    const units = [unit('a', 'warming'), unit('b'), unit('c')];
    expect(proposeTargetTracking(cpu(), 0, perUnitObs({ a: 0.3, b: 0.5, c: 0.7 }, units)).capacity).toBe(5);
  });

  it('pending units are unready, draining units ignored, warm-pool units not part of the group', () => {
    const units = [unit('a'), unit('b'), unit('p', 'pending'), unit('d', 'draining'), unit('w', 'warm')];
    // Ready a, b at 60 % → ratio 2 → scale up with the pending unit at 0: 120/300 = 40 % → ceil(1.33 × 3) = 4.
    const p = proposeTargetTracking(cpu(), 0, perUnitObs({ a: 0.6, b: 0.6, d: 0.9 }, units));
    expect(p.capacity).toBe(4);
    expect(p.details).toMatchObject({ readyUnits: 2, unreadyUnits: 1, ignoredUnits: 1 });
    expect(p.message).toContain('1 unready, 0 without samples, counted conservatively');
  });

  it('AverageValue: the mean of the units against targetPerUnit (K8s TestScaleUpCM: 20/10/30 vs 15 → 4)', () => {
    const r = targetTrackingRuleSchema.parse({
      kind: 'target-tracking',
      metric: 'cpu',
      perUnit: true,
      targetPerUnit: 15,
    });
    const p = proposeTargetTracking(
      r,
      0,
      perUnitObs({ a: 20, b: 10, c: 30 }, [unit('a'), unit('b'), unit('c')]),
    );
    expect(p).toMatchObject({ capacity: 4, details: { value: 20, ratio: 1.333333 } });
  });

  it('samples older than the window leave the unit missing', () => {
    const obs = perUnitObs({ a: 0.2, b: 0.2 }, [unit('a'), unit('b')], 2);
    const metric = obs.metrics.cpu as MetricObservation;
    const stale = {
      ...metric,
      perUnit: { ...metric.perUnit, b: [{ timestamp: NOW - 120_000, value: 0.2 }] },
    };
    // a alone at 20 % vs 30 % → scale down; b missing counts at 100 % of its request → 60 % → 2 → no change.
    const p = proposeTargetTracking(cpu(), 0, { ...obs, metrics: { cpu: stale } });
    expect(p).toMatchObject({ capacity: 2, details: { readyUnits: 1, missingUnits: 1 } });
  });

  it.each([
    {
      name: 'no per-unit samples at all',
      obs: {
        now: NOW,
        capacity: 2,
        readyCapacity: 2,
        metrics: { cpu: { status: 'ok', samples: [{ timestamp: NOW, value: 1 }] } },
      },
      reason: 'MetricMissing',
      message: 'metric cpu has no per-unit samples',
    },
    {
      name: 'a failed read',
      obs: {
        now: NOW,
        capacity: 2,
        readyCapacity: 2,
        metrics: { cpu: { status: 'failed', samples: [], error: 'boom' } },
      },
      reason: 'MetricFailed',
      message: 'metric cpu could not be read (boom)',
    },
    {
      name: 'no units to measure',
      obs: {
        now: NOW,
        capacity: 0,
        readyCapacity: 0,
        units: [],
        metrics: { cpu: { status: 'ok', samples: [{ timestamp: NOW, value: 1 }], perUnit: {} } },
      },
      reason: 'MetricMissing',
      message: 'metric cpu: no units to measure',
    },
  ] as { name: string; obs: Observation; reason: string; message: string }[])(
    'invalid: $name',
    ({ obs, reason, message }) => {
      expect(proposeTargetTracking(cpu(), 0, obs)).toMatchObject({ outcome: 'invalid', reason, message });
    },
  );

  it('invalid (RuleFailed) when a unit has no request for a Utilization target', () => {
    const r = targetTrackingRuleSchema.parse({
      kind: 'target-tracking',
      metric: 'cpu',
      perUnit: true,
      targetUtilization: 30,
    });
    const p = proposeTargetTracking(r, 0, perUnitObs({ a: 0.3 }, [unit('a')], 1));
    expect(p).toMatchObject({ outcome: 'invalid', reason: 'RuleFailed' });
    expect(p.message).toContain('unit a has no request for cpu');
  });
});

// gcp-rounding (https://cloud.google.com/compute/docs/autoscaler/understanding-autoscaler-decisions):
// when the utilization target calls for 1.5 more VMs, the autoscaler adds 2 (it rounds up).
describe('gcp-rounding: a fractional recommendation rounds up', () => {
  it('2 VMs at 122.5 % of a 70 % target need 3.5 → 4 (adds 2, not 1.5)', () => {
    // utilization 1.225 × 2 VMs / 0.7 = 3.5 VMs, i.e. 1.5 to add.
    const p = proposeTargetTracking(rule({ target: 0.7, tolerance: 0 }), 0, observe(2, 2, ok(1.225)));
    expect(p.capacity).toBe(4);
    expect((p.capacity as number) - 2).toBe(2);
  });
});
