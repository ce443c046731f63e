import { describe, expect, it } from 'vitest';
import { toConfigIssues } from '../../src/config/issues.js';
import type { MetricObservation, Observation } from '../../src/core/types.js';
import {
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
