import { describe, expect, it } from 'vitest';
import { type ScalingGroupConfigInput, validateGroupConfig } from '../../src/config/group.js';
import type { ArbitrationFunction } from '../../src/core/arbitrate.js';
import {
  compositeMetricsSchema,
  formulaMetricQueries,
  withCompositeMetrics,
} from '../../src/core/composite.js';
import type { Observation } from '../../src/core/types.js';
import { ConfigError } from '../../src/errors.js';
import { AutoScalingManager } from '../../src/runtime/manager.js';
import { InMemoryMetricsProvider } from '../../src/testing/in-memory-metrics.js';
import { ManualClock } from '../../src/testing/manual-clock.js';
import { RecordingResourceController } from '../../src/testing/recording-controller.js';

const NOW = 100_000;
const ok = (...values: number[]): Observation['metrics'][string] => ({
  status: 'ok',
  samples: values.map((value, i) => ({ timestamp: NOW - 1000 * (values.length - i), value })),
});

describe('withCompositeMetrics', () => {
  const composites = compositeMetricsSchema.parse({
    // keda-scaling-modifiers-average (https://keda.sh/docs/2.21/concepts/scaling-deployments/):
    // (trig_one + trig_two)/2 becomes the one metric the rule scales on.
    composed: '(metric("trig_one") + metric("trig_two"))/2',
    doubled: { formula: 'composed * 2', window: '30s' },
    peak: 'metric("trig_one", "max") ?? 0',
  });

  it('keda-scaling-modifiers-average: the average of two metrics is one sample at the tick time', () => {
    const metrics = withCompositeMetrics({ trig_one: ok(1, 4), trig_two: ok(8) }, NOW, composites);
    expect(metrics.composed).toEqual({ status: 'ok', samples: [{ timestamp: NOW, value: 6 }] });
    // A composite may use one declared before it.
    expect(metrics.doubled).toEqual({ status: 'ok', samples: [{ timestamp: NOW, value: 12 }] });
    expect(metrics.peak).toEqual({ status: 'ok', samples: [{ timestamp: NOW, value: 4 }] });
  });

  it('a composite without a value is missing, or failed when a metric it reads failed', () => {
    const metrics = withCompositeMetrics(
      { trig_one: { status: 'failed', samples: [], error: 'timeout' }, trig_two: ok(8) },
      NOW,
      composites,
    );
    expect(metrics.composed).toEqual({
      status: 'failed',
      samples: [],
      error: 'composite metric composed: metric trig_one failed (timeout)',
    });
    expect(metrics.doubled).toEqual({ status: 'missing', samples: [] });
    expect(metrics.peak).toEqual({ status: 'ok', samples: [{ timestamp: NOW, value: 0 }] });
  });

  it('returns the same object when there are no composites', () => {
    const metrics = { a: ok(1) };
    expect(withCompositeMetrics(metrics, NOW, {})).toBe(metrics);
  });
});

describe('formulaMetricQueries', () => {
  it('drops composites from the rule queries and adds what formulas read, widest window first', () => {
    const queries = formulaMetricQueries(
      [
        { name: 'load', window: 60_000, perUnit: false },
        { name: 'cpu', window: 30_000, perUnit: true },
      ],
      {
        arbitration: { formula: 'a ?? ceil(metric("cpu"))', window: 120_000 },
        compositeMetrics: compositeMetricsSchema.parse({
          load: { formula: 'metric("q1") + metric("q2", "average")', window: '5m' },
        }),
      },
    );
    expect(queries).toEqual([
      { name: 'cpu', window: 120_000, perUnit: true },
      { name: 'q1', window: 300_000, perUnit: false },
      { name: 'q2', window: 300_000, perUnit: false },
    ]);
  });
});

const BASE = { id: 'web', minCapacity: 0, maxCapacity: 10 };
const RULES = [
  { kind: 'target-tracking', metric: 'cpu', target: 0.5 },
  { kind: 'target-tracking', name: 'queue', metric: 'queue', target: 5 },
];

function issues(input: unknown): string[] {
  try {
    validateGroupConfig(input);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => i.message);
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('group config: arbitration, compositeMetrics, scaleInControls', () => {
  it('accepts every mode and defaults the new fields', () => {
    const config = validateGroupConfig({ ...BASE, rules: RULES });
    expect(config.arbitration).toBe('max');
    expect(config.compositeMetrics).toEqual({});
    expect(config.scaleInControls).toBeUndefined();
    for (const mode of ['aws', 'azure', 'priority'] as const) {
      expect(validateGroupConfig({ ...BASE, arbitration: mode }).arbitration).toBe(mode);
    }
    const formula = validateGroupConfig({
      ...BASE,
      rules: RULES,
      arbitration: { formula: 'queue ?? rule("target-tracking:cpu") ?? 1' },
      scaleInControls: { maxScaledInReplicas: '10%', timeWindow: '20m' },
    });
    expect(formula.arbitration).toEqual({
      formula: 'queue ?? rule("target-tracking:cpu") ?? 1',
      window: 60_000,
    });
    expect(formula.scaleInControls).toEqual({ maxScaledInReplicas: { percent: 10 }, timeWindow: 1_200_000 });
  });

  it.each([
    {
      name: 'a malformed arbitration formula points at the column',
      input: { ...BASE, rules: RULES, arbitration: { formula: 'queue +' } },
      message:
        'arbitration.formula: expected a valid formula (column 8: expected a number, a name or "(", got the end of the formula), got "queue +"',
    },
    {
      name: 'an unsafe name in the arbitration formula is an unknown name',
      input: { ...BASE, rules: RULES, arbitration: { formula: 'constructor' } },
      message:
        'arbitration.formula: expected a valid formula (column 1: unknown name "constructor"; expected a rule name ("target-tracking:cpu", "queue")), got "constructor"',
    },
    {
      name: 'globalThis in a composite metric is an unknown name',
      input: { ...BASE, compositeMetrics: { load: 'globalThis.process' } },
      message:
        'compositeMetrics.load: expected a valid formula (column 1: unknown name "globalThis"; expected a composite metric declared above this one (none here)), got "globalThis.process"',
    },
    {
      name: 'a composite may not use one declared after it',
      input: { ...BASE, compositeMetrics: { a: { formula: 'b + 1' }, b: '1' } },
      message:
        'compositeMetrics.a: expected a valid formula (column 1: unknown name "b"; expected a composite metric declared above this one (none here)), got "b + 1"',
    },
    {
      name: 'an unknown arbitration mode',
      input: { ...BASE, arbitration: 'min' },
      message:
        'arbitration: expected one of "max", "aws", "azure", "priority", { formula: string, window? } or { custom: function }, got "min"',
    },
    {
      name: 'a bad scale-in allowance',
      input: { ...BASE, scaleInControls: { maxScaledInReplicas: '200%', timeWindow: '10m' } },
      message:
        'scaleInControls.maxScaledInReplicas: expected a whole number ≥ 0, a percent from "0%" to "100%", { fixed: n } or { percent: p }, got "200%"',
    },
  ])('$name', ({ input, message }) => {
    expect(issues(input)).toEqual([message]);
  });
});

describe('end to end through AutoScalingManager', () => {
  function setup(config: ScalingGroupConfigInput, initial = 2) {
    const clock = new ManualClock(60_000);
    const series = (value: number) => Array.from({ length: 13 }, (_, i) => ({ timestamp: i * 5000, value }));
    const metrics = new InMemoryMetricsProvider({ series: { q1: series(30), q2: series(10) } });
    const controller = new RecordingResourceController({ clock, initial });
    const manager = new AutoScalingManager({ metrics, controller, clock, scheduler: clock });
    manager.registerScalingGroup(config);
    return { manager, controller };
  }

  it('a rule scales on a composite metric read from two provider metrics', async () => {
    const { manager } = setup(
      {
        id: 'workers',
        minCapacity: 0,
        maxCapacity: 20,
        compositeMetrics: { backlog: 'metric("q1") + metric("q2")' },
        rules: [{ kind: 'queue', metric: 'backlog', targetPerUnit: 5 }],
      },
      4,
    );
    expect(manager.getScalingGroup('workers')?.metricQueries.map((q) => q.name)).toEqual(['q1', 'q2']);
    // backlog = 30 + 10 = 40; ceil(40 / 5) = 8 (from 4: within the default scale-up limit of 100 %).
    const decision = await manager.evaluate('workers');
    expect(decision?.desired).toBe(8);
  });

  // keda-scaling-modifiers-activation-target (https://keda.sh/docs/2.21/concepts/scaling-deployments/):
  // with scalingModifiers.activationTarget "2" the ScaledObject is inactive while the composed value
  // is ≤ 2, and then scales to 0. In tideway the composed value is a composite metric and the
  // activation is the queue rule's (strictly greater, so 2 itself is inactive).
  it.each([
    { name: 'composed value 2 (≤ 2): inactive, scaled to 0', q1: 1, q2: 1, desired: 0 },
    { name: 'composed value 3 (> 2): active', q1: 2, q2: 1, desired: 1 },
  ])('keda-scaling-modifiers-activation-target: $name', async ({ q1, q2, desired }) => {
    const clock = new ManualClock(600_000);
    const series = (value: number) => Array.from({ length: 121 }, (_, i) => ({ timestamp: i * 5000, value }));
    const metrics = new InMemoryMetricsProvider({ series: { q1: series(q1), q2: series(q2) } });
    const controller = new RecordingResourceController({ clock, initial: 2 });
    const manager = new AutoScalingManager({ metrics, controller, clock, scheduler: clock });
    manager.registerScalingGroup({
      id: 'workers',
      minCapacity: 0,
      maxCapacity: 20,
      behavior: { scaleDown: { stabilizationWindow: 0 } },
      compositeMetrics: { composed: 'metric("q1") + metric("q2")' },
      rules: [{ kind: 'queue', metric: 'composed', targetPerUnit: 5, activation: 2, cooldownPeriod: 0 }],
    });
    expect((await manager.evaluate('workers'))?.desired).toBe(desired);
  });

  it('a formula arbitration reads rule outputs and metrics', async () => {
    const { manager } = setup({
      id: 'workers',
      minCapacity: 0,
      maxCapacity: 20,
      rules: [{ kind: 'queue', name: 'q1', metric: 'q1', targetPerUnit: 10 }],
      // q1 proposes ceil(30 / 10) = 3; metric q2 is 10 → 3 + 10 / 5 = 5.
      arbitration: { formula: 'q1 + metric("q2") / 5' },
    });
    expect((await manager.evaluate('workers'))?.desired).toBe(5);
  });

  it('a custom arbitration survives snapshot → JSON → restore when its function is given back', async () => {
    const third: ArbitrationFunction = (proposals) => (proposals[0]?.capacity ?? 0) + 1;
    const config: ScalingGroupConfigInput = {
      id: 'workers',
      minCapacity: 0,
      maxCapacity: 20,
      rules: [{ kind: 'queue', name: 'q1', metric: 'q1', targetPerUnit: 10 }],
      arbitration: { custom: third },
    };
    const source = setup(config);
    expect((await source.manager.evaluate('workers'))?.desired).toBe(4);
    const json = JSON.parse(JSON.stringify(source.manager.snapshot()));

    const without = setup({ ...config, id: 'other' });
    expect(() => without.manager.restore(json)).toThrow(/arbitration/);

    const target = setup({ ...config, id: 'other' });
    target.manager.restore(json, { customArbitration: { workers: third } });
    const restored = target.manager.getScalingGroup('workers')?.config.arbitration;
    expect(restored).toEqual({ custom: third });
  });
});
