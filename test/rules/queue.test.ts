import { describe, expect, it } from 'vitest';
import { toConfigIssues } from '../../src/config/issues.js';
import type { MetricObservation, Observation } from '../../src/core/types.js';
import {
  fallbackCapacity,
  proposeQueue,
  type QueueRuleInput,
  queueMetricWindow,
  queueRuleSchema,
} from '../../src/rules/queue.js';

// Rows named "keda-…" are vectors from peer-vectors.json (KEDA 2.21 docs), copied here as literal
// rows with their id and source URL; the other rows are worked by hand from peers.md §5 (KEDA)
// and k8s-hpa.md §2.4–§3 (the HPA arithmetic KEDA runs on: tolerance 0.1, none from zero).

const NOW = 1_000_000;
const SPEC = 'https://keda.sh/docs/2.21/reference/scaledobject-spec/';
const CONCEPTS = 'https://keda.sh/docs/2.21/concepts/scaling-deployments/';

type RuleInput = Omit<QueueRuleInput, 'kind' | 'metric'>;
const rule = (over: RuleInput) => queueRuleSchema.parse({ kind: 'queue', metric: 'queue', ...over });

/** Samples as [age in ms before now, value], given oldest first. */
const aged = (...points: [number, number][]): MetricObservation => ({
  status: 'ok',
  samples: points.map(([age, value]) => ({ timestamp: NOW - age, value })),
});
/** One sample, 1 s old. */
const ok = (value: number): MetricObservation => aged([1000, value]);
const observe = (
  capacity: number,
  metric: MetricObservation | undefined,
  readyCapacity = capacity,
): Observation => ({
  now: NOW,
  capacity,
  readyCapacity,
  metrics: metric === undefined ? {} : { queue: metric },
});

describe('queueRuleSchema', () => {
  it('applies the documented defaults', () => {
    expect(rule({ targetPerUnit: 5 })).toEqual({
      kind: 'queue',
      metric: 'queue',
      targetPerUnit: 5,
      statistic: 'last',
      window: 60_000,
      activation: 0,
      cooldownPeriod: 300_000,
    });
  });

  it.each([
    { name: 'the cooldown when it is longer than the window', over: { targetPerUnit: 5 }, window: 300_000 },
    {
      name: 'the window when it is longer than the cooldown',
      over: { targetPerUnit: 5, window: '10m', cooldownPeriod: '30s' },
      window: 600_000,
    },
    { name: 'the window when the cooldown is 0', over: { target: 5, cooldownPeriod: 0 }, window: 60_000 },
  ])('reads the metric over $name', ({ over, window }) => {
    expect(queueMetricWindow(rule(over))).toBe(window);
  });

  const base = { kind: 'queue', metric: 'queue' };
  it.each([
    {
      name: 'both targets',
      input: { ...base, target: 5, targetPerUnit: 5 },
      path: 'targetPerUnit',
      message: 'targetPerUnit: expected exactly one of `target` or `targetPerUnit`, got both',
    },
    {
      name: 'neither target',
      input: { ...base },
      path: 'target',
      message: 'target: expected exactly one of `target` or `targetPerUnit`, got neither',
    },
    {
      name: 'a negative activation',
      input: { ...base, targetPerUnit: 5, activation: -1 },
      path: 'activation',
      message: 'activation: expected a number ≥ 0, got -1',
    },
    {
      name: 'an idleCapacity that is not an integer',
      input: { ...base, targetPerUnit: 5, idleCapacity: 1.5 },
      path: 'idleCapacity',
      message: 'idleCapacity: expected an integer, got 1.5',
    },
    {
      name: 'a negative idleCapacity',
      input: { ...base, targetPerUnit: 5, idleCapacity: -1 },
      path: 'idleCapacity',
      message: 'idleCapacity: expected a number ≥ 0, got -1',
    },
    {
      name: 'a target of 0',
      input: { ...base, target: 0 },
      path: 'target',
      message: 'target: expected a number > 0, got 0',
    },
  ])('rejects $name', ({ input, path, message }) => {
    const result = queueRuleSchema.safeParse(input, { reportInput: true });
    expect(result.success).toBe(false);
    const issues = toConfigIssues(result.error?.issues ?? [], input);
    expect(issues.map((i) => i.path)).toEqual([path]);
    expect(issues.map((i) => i.message)).toEqual([message]);
  });
});

describe('proposeQueue: KEDA vectors', () => {
  it.each([
    {
      name: `keda-metric-type-averagevalue (${SPEC}): queue 20, target 5, 3 replicas → 4, regardless of current replicas`,
      over: { targetPerUnit: 5 },
      capacity: 3,
      metric: ok(20),
      expected: { capacity: 4, reason: 'AboveTarget', active: true },
    },
    {
      name: `keda-metric-type-value (${SPEC}): 3 replicas at 20 ms against a 5 ms target → 3 × 20 / 5 = 12`,
      over: { target: 5 },
      capacity: 3,
      metric: ok(20),
      expected: { capacity: 12, reason: 'AboveTarget', active: true },
    },
    {
      name: `keda-activation-priority (${CONCEPTS}): threshold 10, activation 50, 40 messages → inactive, scaled to zero though the HPA would want 4`,
      over: { targetPerUnit: 10, activation: 50 },
      capacity: 4,
      metric: ok(40),
      expected: { capacity: 0, reason: 'BelowTarget', active: false },
    },
    {
      name: `keda-activation-strict (${CONCEPTS}): activation 0 — a metric of 0 is inactive`,
      over: { targetPerUnit: 1 },
      capacity: 0,
      metric: ok(0),
      expected: { capacity: 0, reason: 'BelowTarget', active: false },
    },
    {
      name: `keda-activation-strict (${CONCEPTS}): activation 0 — a metric of 1 activates`,
      over: { targetPerUnit: 1 },
      capacity: 0,
      metric: ok(1),
      expected: { capacity: 1, reason: 'ScaleFromZero', active: true },
    },
    {
      name: `keda-idle-replica-count (${SPEC}): no activity → idleReplicaCount 0`,
      over: { targetPerUnit: 1, idleCapacity: 0 },
      capacity: 10,
      metric: ok(0),
      expected: { capacity: 0, reason: 'BelowTarget', active: false },
    },
    {
      name: `keda-idle-replica-count (${SPEC}): on activity, up from idle (the group's minCapacity 10 then lifts it)`,
      over: { targetPerUnit: 1, idleCapacity: 0 },
      capacity: 0,
      metric: ok(3),
      expected: { capacity: 3, reason: 'ScaleFromZero', active: true },
    },
    {
      name: `keda-cooldown-scope (${SPEC}): cooldownPeriod 300 s applies to scaling to 0, from the last active sample`,
      over: { targetPerUnit: 1, cooldownPeriod: 300 * 1000 },
      capacity: 1,
      metric: aged([300_000, 5], [1000, 0]),
      expected: { capacity: 0, reason: 'BelowTarget', active: false },
    },
    {
      name: `keda-cooldown-scope (${SPEC}): N → 1 is the HPA's, even inside the cooldown`,
      over: { targetPerUnit: 1, cooldownPeriod: 300 * 1000 },
      capacity: 10,
      metric: aged([299_999, 5], [1000, 0]),
      expected: { capacity: 1, reason: 'BelowTarget', active: false },
    },
  ])('$name', ({ over, capacity, metric, expected }) => {
    const proposal = proposeQueue(rule(over), 0, observe(capacity, metric));
    expect(proposal).toMatchObject({
      outcome: 'propose',
      capacity: expected.capacity,
      reason: expected.reason,
      details: { active: expected.active },
    });
  });
});

describe('proposeQueue: worked by hand', () => {
  it.each([
    // AverageValue: ceil(total / targetPerUnit), with the HPA's tolerance on total / (target × current).
    {
      name: 'AverageValue rounds up: 21 at 5 per unit from 2 units → 5',
      over: { targetPerUnit: 5 },
      capacity: 2,
      ready: 2,
      metric: ok(21),
      expected: { capacity: 5, reason: 'AboveTarget' },
    },
    {
      name: 'AverageValue scales in: 6 at 5 per unit from 4 units → 2',
      over: { targetPerUnit: 5 },
      capacity: 4,
      ready: 4,
      metric: ok(6),
      expected: { capacity: 2, reason: 'BelowTarget' },
    },
    {
      name: 'AverageValue ignores readiness: 20 at 5 per unit from 3 units, 1 ready → 4',
      over: { targetPerUnit: 5 },
      capacity: 3,
      ready: 1,
      metric: ok(20),
      expected: { capacity: 4, reason: 'AboveTarget' },
    },
    {
      name: 'AverageValue within tolerance keeps capacity: 21 at 5 per unit on 4 units is ratio 1.05',
      over: { targetPerUnit: 5 },
      capacity: 4,
      ready: 4,
      metric: ok(21),
      expected: { capacity: 4, reason: 'WithinTolerance' },
    },
    {
      name: 'AverageValue never proposes 0 while active: 0.5 at 5 per unit from 3 units → 1',
      over: { targetPerUnit: 5 },
      capacity: 3,
      ready: 3,
      metric: ok(0.5),
      expected: { capacity: 1, reason: 'BelowTarget' },
    },
    // Value: ceil(value / target × ready units), no change while |ratio − 1| ≤ 0.1 (inclusive).
    {
      name: 'Value at the upper tolerance edge keeps capacity: 11 against 10 is ratio 1.1',
      over: { target: 10 },
      capacity: 4,
      ready: 4,
      metric: ok(11),
      expected: { capacity: 4, reason: 'WithinTolerance' },
    },
    {
      name: 'Value just past the upper tolerance edge scales: 11.1 against 10 on 4 units → ceil(4.44) = 5',
      over: { target: 10 },
      capacity: 4,
      ready: 4,
      metric: ok(11.1),
      expected: { capacity: 5, reason: 'AboveTarget' },
    },
    {
      name: 'Value at the lower tolerance edge keeps capacity: 9 against 10 is ratio 0.9',
      over: { target: 10 },
      capacity: 4,
      ready: 4,
      metric: ok(9),
      expected: { capacity: 4, reason: 'WithinTolerance' },
    },
    {
      name: 'Value past the lower tolerance edge scales in: 5 against 10 on 4 units → 2',
      over: { target: 10 },
      capacity: 4,
      ready: 4,
      metric: ok(5),
      expected: { capacity: 2, reason: 'BelowTarget' },
    },
    {
      name: 'Value multiplies by ready units: 20 against 5 with 3 units, 2 ready → 8',
      over: { target: 5 },
      capacity: 3,
      ready: 2,
      metric: ok(20),
      expected: { capacity: 8, reason: 'AboveTarget' },
    },
    {
      name: 'Value with no unit ready uses the current capacity: 20 against 5 with 3 units → 12',
      over: { target: 5 },
      capacity: 3,
      ready: 0,
      metric: ok(20),
      expected: { capacity: 12, reason: 'AboveTarget' },
    },
    {
      name: 'Value from zero has no tolerance: 10.5 against 10 → ceil(1.05) = 2',
      over: { target: 10 },
      capacity: 0,
      ready: 0,
      metric: ok(10.5),
      expected: { capacity: 2, reason: 'ScaleFromZero' },
    },
    {
      name: 'AverageValue from zero: 12 at 5 per unit → 3',
      over: { targetPerUnit: 5 },
      capacity: 0,
      ready: 0,
      metric: ok(12),
      expected: { capacity: 3, reason: 'ScaleFromZero' },
    },
    // Activation is strictly greater.
    {
      name: 'a value equal to activation is inactive: 5 with activation 5, idle for the cooldown → 0',
      over: { targetPerUnit: 1, activation: 5 },
      capacity: 3,
      ready: 3,
      metric: ok(5),
      expected: { capacity: 0, reason: 'BelowTarget' },
    },
    {
      name: 'a value just above activation is active: 5.01 with activation 5 from zero → 6',
      over: { targetPerUnit: 1, activation: 5 },
      capacity: 0,
      ready: 0,
      metric: ok(5.01),
      expected: { capacity: 6, reason: 'ScaleFromZero' },
    },
    {
      name: 'inactive at zero units stays at zero even inside the cooldown',
      over: { targetPerUnit: 1, activation: 5 },
      capacity: 0,
      ready: 0,
      metric: aged([10_000, 9], [1000, 5]),
      expected: { capacity: 0, reason: 'BelowTarget' },
    },
    // Cooldown: (now − cooldownPeriod, now], like every window.
    {
      name: 'cooldown boundary: a sample above activation 1 ms inside the cooldown keeps it from zero',
      over: { targetPerUnit: 1, cooldownPeriod: '5m' },
      capacity: 1,
      ready: 1,
      metric: aged([299_999, 3], [1000, 0]),
      expected: { capacity: 1, reason: 'BelowTarget' },
    },
    {
      name: 'cooldown boundary: a sample above activation exactly cooldownPeriod old no longer counts',
      over: { targetPerUnit: 1, cooldownPeriod: '5m' },
      capacity: 1,
      ready: 1,
      metric: aged([300_000, 3], [1000, 0]),
      expected: { capacity: 0, reason: 'BelowTarget' },
    },
    {
      name: 'cooldown reads raw samples outside the window: active 2 min ago, window 1m, cooldown 5m',
      over: { targetPerUnit: 1 },
      capacity: 2,
      ready: 2,
      metric: aged([120_000, 4], [1000, 0]),
      expected: { capacity: 1, reason: 'BelowTarget' },
    },
    {
      name: 'a cooldown of 0 goes idle as soon as the trigger is inactive',
      over: { targetPerUnit: 1, cooldownPeriod: 0 },
      capacity: 2,
      ready: 2,
      metric: aged([2000, 4], [1000, 0]),
      expected: { capacity: 0, reason: 'BelowTarget' },
    },
    {
      name: 'inside the cooldown the HPA may still scale out: activation 50, 40 at 10 per unit from 2 units → 4',
      over: { targetPerUnit: 10, activation: 50 },
      capacity: 2,
      ready: 2,
      metric: aged([60_000, 60], [1000, 40]),
      expected: { capacity: 4, reason: 'AboveTarget' },
    },
    // idleCapacity replaces 0 when idle.
    {
      name: 'idleCapacity 2 is proposed after the cooldown',
      over: { targetPerUnit: 1, idleCapacity: 2 },
      capacity: 6,
      ready: 6,
      metric: ok(0),
      expected: { capacity: 2, reason: 'BelowTarget' },
    },
    {
      name: 'idleCapacity 2 is proposed at zero units when inactive',
      over: { targetPerUnit: 1, idleCapacity: 2 },
      capacity: 0,
      ready: 0,
      metric: ok(0),
      expected: { capacity: 2, reason: 'BelowTarget' },
    },
    {
      name: 'idleCapacity does not apply while active: 1 at 1 per unit from 6 units → 1',
      over: { targetPerUnit: 1, idleCapacity: 2 },
      capacity: 6,
      ready: 6,
      metric: ok(1),
      expected: { capacity: 1, reason: 'BelowTarget' },
    },
    // The statistic and window decide the value that is compared with activation.
    {
      name: "the default statistic is 'last': 0 then 8 at 2 per unit from 1 unit → 4",
      over: { targetPerUnit: 2 },
      capacity: 1,
      ready: 1,
      metric: aged([2000, 0], [1000, 8]),
      expected: { capacity: 4, reason: 'AboveTarget' },
    },
    {
      name: "statistic 'max' over the window: 8 then 0 at 2 per unit from 1 unit → 4",
      over: { targetPerUnit: 2, statistic: 'max' as const },
      capacity: 1,
      ready: 1,
      metric: aged([2000, 8], [1000, 0]),
      expected: { capacity: 4, reason: 'AboveTarget' },
    },
  ])('$name', ({ over, capacity, ready, metric, expected }) => {
    const proposal = proposeQueue(rule(over), 0, observe(capacity, metric, ready));
    expect(proposal).toMatchObject({ outcome: 'propose', ...expected });
  });

  it('reports the numbers behind a proposal and names itself after the metric', () => {
    const proposal = proposeQueue(rule({ targetPerUnit: 5, activation: 2 }), 3, observe(3, ok(20)));
    expect(proposal).toEqual({
      rule: 'queue:queue',
      ruleIndex: 3,
      outcome: 'propose',
      capacity: 4,
      reason: 'AboveTarget',
      message: 'queue 20 is above target 5 per unit at 3 units, so 4',
      details: {
        value: 20,
        activation: 2,
        active: true,
        target: 5,
        metricType: 'AverageValue',
        ratio: 1.333333,
      },
    });
  });

  it.each([
    {
      name: 'going idle',
      over: { targetPerUnit: 1 },
      capacity: 3,
      metric: ok(0),
      message: 'queue has not been above activation 0 for 5m, so it goes idle at 0',
    },
    {
      name: 'cooling down',
      over: { targetPerUnit: 1 },
      capacity: 3,
      metric: aged([10_000, 2], [1000, 0]),
      message:
        'queue 0 is below target 1 per unit at 3 units, so 1 while queue cools down below activation 0',
    },
    {
      name: 'scaling from zero',
      over: { target: 4, name: 'orders' },
      capacity: 0,
      metric: ok(8),
      message: 'queue 8 is above activation 0 with no units, so 2 for target 4',
    },
    {
      name: 'within tolerance',
      over: { target: 10 },
      capacity: 2,
      metric: ok(10),
      message: 'queue 10 is within tolerance of target 10 at 2 units',
    },
  ])('says one sentence when $name', ({ over, capacity, metric, message }) => {
    expect(proposeQueue(rule(over), 0, observe(capacity, metric)).message).toBe(message);
  });

  it('uses its name when given', () => {
    expect(proposeQueue(rule({ targetPerUnit: 1, name: 'orders' }), 0, observe(1, ok(1))).rule).toBe(
      'orders',
    );
  });
});

describe('proposeQueue: no data', () => {
  it.each([
    {
      name: 'a metric that was not observed is missing',
      metric: undefined,
      expected: { reason: 'MetricMissing', message: 'metric queue has no data' },
    },
    {
      name: 'a metric the provider had nothing for is missing',
      metric: { status: 'missing', samples: [] } as MetricObservation,
      expected: { reason: 'MetricMissing', message: 'metric queue has no data' },
    },
    {
      name: 'a failed metric says why',
      metric: { status: 'failed', samples: [], error: 'timeout' } as MetricObservation,
      expected: { reason: 'MetricFailed', message: 'metric queue could not be read (timeout)' },
    },
    {
      name: 'samples only older than the window (kept for the cooldown) are missing',
      metric: aged([120_000, 4]),
      expected: { reason: 'MetricMissing', message: 'metric queue has no data in the last 60000 ms' },
    },
  ])('$name', ({ metric, expected }) => {
    expect(proposeQueue(rule({ targetPerUnit: 1 }), 0, observe(2, metric))).toEqual({
      rule: 'queue:queue',
      ruleIndex: 0,
      outcome: 'invalid',
      ...expected,
    });
  });
});

describe('proposeQueue: KEDA fallback', () => {
  // KEDA pkg/fallback: the failure count is incremented first and compared with
  // `numberOfFailures > failureThreshold`; fallback_test.go "should return a normalised metric
  // when number of failures are beyond threshold" starts at 3 failures with threshold 3 and
  // falls back on the failing call (count 4). The vectors' "3 consecutive failures" are read
  // as 3 already counted plus the failing tick.
  const failed: MetricObservation = { status: 'failed', samples: [], error: 'timeout' };
  const withMemory = (capacity: number, memory: unknown, ready = capacity): Observation => ({
    ...observe(capacity, failed, ready),
    memory: [memory as never],
  });
  it.each([
    {
      name: `keda-fallback-static (${SPEC}): threshold 3, replicas 6, static → 6`,
      fallback: { failureThreshold: 3, replicas: 6, behavior: 'static' as const },
      capacity: 2,
      expected: 6,
    },
    {
      name: `keda-fallback-current-replicas (${SPEC}): currentReplicas at 6 → 6`,
      fallback: { failureThreshold: 3, behavior: 'currentReplicas' as const },
      capacity: 6,
      expected: 6,
    },
    {
      name: `keda-fallback-if-higher (${SPEC}): replicas 3, current 6 → 6`,
      fallback: { failureThreshold: 3, replicas: 3, behavior: 'currentReplicasIfHigher' as const },
      capacity: 6,
      expected: 6,
    },
    {
      name: `keda-fallback-if-lower (${SPEC}): replicas 6, current 3 → 3`,
      fallback: { failureThreshold: 3, replicas: 6, behavior: 'currentReplicasIfLower' as const },
      capacity: 3,
      expected: 3,
    },
    {
      name: 'currentReplicasIfHigher with fewer units than replicas: replicas 6, current 2 → 6',
      fallback: { failureThreshold: 3, replicas: 6, behavior: 'currentReplicasIfHigher' as const },
      capacity: 2,
      expected: 6,
    },
    {
      name: 'currentReplicasIfLower with more units than replicas: replicas 6, current 9 → 6',
      fallback: { failureThreshold: 3, replicas: 6, behavior: 'currentReplicasIfLower' as const },
      capacity: 9,
      expected: 6,
    },
  ])('$name', ({ fallback, capacity, expected }) => {
    const proposal = proposeQueue(
      rule({ targetPerUnit: 5, fallback }),
      0,
      withMemory(capacity, { failures: 3 }),
    );
    expect(proposal).toMatchObject({
      outcome: 'propose',
      capacity: expected,
      reason: 'Fallback',
      details: { failures: 4, fallbackActive: true, fallbackCapacity: expected },
      memory: { failures: 4 },
    });
  });

  it(`keda-fallback-formulas (${SPEC}): Value targets use target × F / ready, which steers the HPA to F`, () => {
    // Synthetic metric 5 × 6 / 2 = 15 against target 5 with 2 ready: ceil(15 / 5 × 2) = 6.
    const proposal = proposeQueue(
      rule({ target: 5, fallback: { failureThreshold: 0, replicas: 6 } }),
      0,
      withMemory(3, undefined, 2),
    );
    expect(proposal).toMatchObject({ outcome: 'propose', capacity: 6, reason: 'Fallback' });
  });

  it.each([
    { name: 'the 1st failure with threshold 3 stays invalid', memory: undefined, failures: 1 },
    {
      name: 'the 3rd failure with threshold 3 stays invalid (fallback_test.go counts 4 > 3)',
      memory: { failures: 2 },
      failures: 3,
    },
  ])('$name', ({ memory, failures }) => {
    const proposal = proposeQueue(
      rule({ targetPerUnit: 5, fallback: { failureThreshold: 3, replicas: 6 } }),
      0,
      withMemory(2, memory),
    );
    expect(proposal).toMatchObject({ outcome: 'invalid', reason: 'MetricFailed', memory: { failures } });
  });

  it('a missing metric counts as a failure too', () => {
    const observation = { ...observe(2, { status: 'missing', samples: [] }), memory: [{ failures: 1 }] };
    const proposal = proposeQueue(
      rule({ targetPerUnit: 5, fallback: { failureThreshold: 1, replicas: 6 } }),
      0,
      observation,
    );
    expect(proposal).toMatchObject({ outcome: 'propose', capacity: 6, memory: { failures: 2 } });
  });

  it('a success resets the count (fallback_test.go "should reset the health status"): no memory is kept', () => {
    const observation = { ...observe(2, ok(20)), memory: [{ failures: 5 }] };
    const proposal = proposeQueue(
      rule({ targetPerUnit: 5, fallback: { failureThreshold: 3, replicas: 10 } }),
      0,
      observation,
    );
    expect(proposal.capacity).toBe(4);
    expect(proposal.memory).toBeUndefined();
  });

  it('the HPA tolerance still applies to the synthetic metric: fallback 11 from 10 units keeps 10', () => {
    const proposal = proposeQueue(
      rule({ targetPerUnit: 5, fallback: { failureThreshold: 0, replicas: 11 } }),
      0,
      withMemory(10, undefined),
    );
    expect(proposal).toMatchObject({ capacity: 10, reason: 'Fallback', details: { fallbackCapacity: 11 } });
  });

  it('at 0 units the fallback holds 0: KEDA never scales a failing ScaledObject from zero', () => {
    const proposal = proposeQueue(
      rule({ targetPerUnit: 5, fallback: { failureThreshold: 0, replicas: 6 } }),
      0,
      withMemory(0, undefined),
    );
    expect(proposal).toMatchObject({ outcome: 'propose', capacity: 0, reason: 'Fallback' });
  });

  it(`keda-fallback-nil-coalescing (${SPEC}), the trigger's part: with behavior scalingModifiers a failing trigger stays invalid for the formula`, () => {
    const fallback = { failureThreshold: 3, replicas: 10, behavior: 'scalingModifiers' as const };
    const proposal = proposeQueue(rule({ targetPerUnit: 2, fallback }), 0, withMemory(4, { failures: 3 }));
    expect(proposal).toMatchObject({
      outcome: 'invalid',
      details: { failures: 4, fallbackActive: true, fallbackCapacity: 10 },
    });
  });

  it('rejects a static fallback without replicas, with path and message', () => {
    const input = { kind: 'queue', metric: 'q', targetPerUnit: 1, fallback: { failureThreshold: 3 } };
    const result = queueRuleSchema.safeParse(input, { reportInput: true });
    const issues = toConfigIssues(result.error?.issues ?? [], input);
    expect(issues.map((i) => [i.path, i.message])).toEqual([
      [
        'fallback.replicas',
        "fallback.replicas: expected a number of replicas for behavior 'static', got nothing",
      ],
    ]);
  });

  it('fallbackCapacity follows the behavior', () => {
    expect(fallbackCapacity({ failureThreshold: 0, replicas: 4, behavior: 'static' }, 9)).toBe(4);
    expect(fallbackCapacity({ failureThreshold: 0, behavior: 'currentReplicas' }, 9)).toBe(9);
  });
});

describe('proposeQueue: KEDA pause annotations', () => {
  it.each([
    {
      name: `keda-paused-both (${CONCEPTS}): paused and paused-replicas N → N, the metric not read`,
      over: { targetPerUnit: 1, paused: true, pausedCapacity: 7 },
      capacity: 3,
      metric: undefined,
      expected: { capacity: 7, reason: 'Paused' },
    },
    {
      name: 'paused alone freezes at the current capacity whatever the metric',
      over: { targetPerUnit: 1, paused: true },
      capacity: 3,
      metric: ok(50),
      expected: { capacity: 3, reason: 'Paused' },
    },
    {
      name: 'paused-scale-in: a scale-in proposal keeps the current capacity',
      over: { targetPerUnit: 5, pausedScaleIn: true },
      capacity: 4,
      metric: ok(6),
      expected: { capacity: 4, reason: 'Paused' },
    },
    {
      name: 'paused-scale-in blocks going to zero after the cooldown',
      over: { targetPerUnit: 5, pausedScaleIn: true },
      capacity: 2,
      metric: ok(0),
      expected: { capacity: 2, reason: 'Paused' },
    },
    {
      name: 'paused-scale-in lets a scale-out through',
      over: { targetPerUnit: 5, pausedScaleIn: true },
      capacity: 2,
      metric: ok(20),
      expected: { capacity: 4, reason: 'AboveTarget' },
    },
    {
      name: 'paused-scale-out: a scale-out proposal keeps the current capacity',
      over: { targetPerUnit: 5, pausedScaleOut: true },
      capacity: 2,
      metric: ok(20),
      expected: { capacity: 2, reason: 'Paused' },
    },
    {
      name: 'paused-scale-out blocks going from zero',
      over: { targetPerUnit: 5, pausedScaleOut: true },
      capacity: 0,
      metric: ok(20),
      expected: { capacity: 0, reason: 'Paused' },
    },
    {
      name: 'paused-scale-out lets a scale-in through',
      over: { targetPerUnit: 5, pausedScaleOut: true },
      capacity: 4,
      metric: ok(6),
      expected: { capacity: 2, reason: 'BelowTarget' },
    },
  ])('$name', ({ over, capacity, metric, expected }) => {
    expect(proposeQueue(rule(over), 0, observe(capacity, metric))).toMatchObject({
      outcome: 'propose',
      ...expected,
    });
  });

  it('paused-scale-in also holds a fallback that would scale in', () => {
    const failed: MetricObservation = { status: 'failed', samples: [], error: 'down' };
    const proposal = proposeQueue(
      rule({ targetPerUnit: 5, pausedScaleIn: true, fallback: { failureThreshold: 0, replicas: 2 } }),
      0,
      observe(6, failed),
    );
    expect(proposal).toMatchObject({ capacity: 6, reason: 'Paused', details: { unpaused: 2 } });
  });
});
