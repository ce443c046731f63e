import { AutoScalingManager, ConfigError, validateGroupConfig } from 'tideway';
import { InMemoryMetricsProvider, ManualClock, RecordingResourceController } from 'tideway/testing';
import { describe, expect, it } from 'vitest';
import type { MetricObservation, Observation } from '../../src/core/types.js';
import {
  proposeWeightedScore,
  type WeightedScoreRuleInput,
  weightedScoreRuleSchema,
} from '../../src/rules/weighted-score.js';

const NOW = 1_000_000;

type Over = Partial<Omit<WeightedScoreRuleInput, 'kind'>>;
const rule = (over: Over = {}) =>
  weightedScoreRuleSchema.parse({
    kind: 'weighted-score',
    metrics: [
      { name: 'cpu', weight: 3 },
      { name: 'response_time', weight: 1 },
    ],
    ...over,
  });

const ok = (...values: number[]): MetricObservation => ({
  status: 'ok',
  samples: values.map((value, i) => ({ timestamp: NOW - 1000 * (values.length - i), value })),
});
const observe = (capacity: number, metrics: Record<string, MetricObservation>): Observation => ({
  now: NOW,
  capacity,
  readyCapacity: capacity,
  metrics,
});

describe('weightedScoreRuleSchema', () => {
  it('applies the defaults', () => {
    expect(rule()).toEqual({
      kind: 'weighted-score',
      metrics: [
        { name: 'cpu', weight: 3, statistic: 'average' },
        { name: 'response_time', weight: 1, statistic: 'average' },
      ],
      scaleUpThreshold: 70,
      scaleDownThreshold: 30,
      scaleUpStep: 1,
      scaleDownStep: 1,
      window: 60_000,
    });
  });

  it.each([
    {
      name: 'scale-down threshold not below the scale-up one',
      over: { scaleUpThreshold: 50, scaleDownThreshold: 50 },
      path: 'rules[0].scaleDownThreshold',
      text: 'a number below scaleUpThreshold (50)',
    },
    {
      name: 'a custom metric without a max',
      over: { metrics: [{ name: 'gpu', weight: 1 }] },
      path: 'rules[0].metrics[0].max',
      text: 'only cpu, memory, response_time, error_rate, requests have a default',
    },
    {
      name: 'a metric named twice',
      over: {
        metrics: [
          { name: 'cpu', weight: 1 },
          { name: 'cpu', weight: 2 },
        ],
      },
      path: 'rules[0].metrics[1].name',
      text: 'a metric name not already in `metrics`',
    },
    {
      name: 'a zero weight',
      over: { metrics: [{ name: 'cpu', weight: 0 }] },
      path: 'rules[0].metrics[0].weight',
      text: 'got 0',
    },
    {
      name: 'a threshold above 100',
      over: { scaleUpThreshold: 120 },
      path: 'rules[0].scaleUpThreshold',
      text: 'got 120',
    },
    { name: 'no metrics', over: { metrics: [] }, path: 'rules[0].metrics', text: 'got an empty array' },
  ])('rejects $name at registration with its path', ({ over, path, text }) => {
    let error: unknown;
    try {
      validateGroupConfig({
        id: 'g',
        minCapacity: 0,
        maxCapacity: 10,
        rules: [{ kind: 'weighted-score', metrics: [{ name: 'cpu', weight: 1 }], ...over }],
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const issue = (error as ConfigError).issues.find((i) => i.path === path);
    expect(issue?.message).toContain(text);
  });
});

describe('proposeWeightedScore', () => {
  // cpu weight 3 (max 100 %), response_time weight 1 (max 5 s): score = 100 × (3·cpu/100 + rt/5) / 4.
  it.each([
    // 100 × (3·0.8 + 0.8) / 4 = 80 ≥ 70
    {
      name: 'scales out at or above the up threshold',
      cpu: 80,
      rt: 4,
      capacity: 4,
      want: 5,
      reason: 'AboveTarget',
      score: 80,
    },
    // 100 × (3·0.7 + 0.7) / 4 = 70: the threshold itself counts
    {
      name: 'scales out exactly at the threshold',
      cpu: 70,
      rt: 3.5,
      capacity: 4,
      want: 5,
      reason: 'AboveTarget',
      score: 70,
    },
    // 100 × (3·0.5 + 0.5) / 4 = 50
    {
      name: 'keeps capacity between the thresholds',
      cpu: 50,
      rt: 2.5,
      capacity: 4,
      want: 4,
      reason: 'WithinTolerance',
      score: 50,
    },
    // 100 × (3·0.2 + 0.2) / 4 = 20 ≤ 30
    {
      name: 'scales in at or below the down threshold',
      cpu: 20,
      rt: 1,
      capacity: 4,
      want: 3,
      reason: 'BelowTarget',
      score: 20,
    },
    // response time 20 s counts as 1 (its maximum), not 4: 100 × (3·0.1 + 1) / 4 = 32.5
    {
      name: 'caps a metric at its maximum',
      cpu: 10,
      rt: 20,
      capacity: 4,
      want: 4,
      reason: 'WithinTolerance',
      score: 32.5,
    },
    {
      name: 'never goes below zero',
      cpu: 0,
      rt: 0,
      capacity: 0,
      want: 0,
      reason: 'WithinTolerance',
      score: 0,
    },
  ])('$name', ({ cpu, rt, capacity, want, reason, score }) => {
    const p = proposeWeightedScore(rule(), 0, observe(capacity, { cpu: ok(cpu), response_time: ok(rt) }));
    expect(p.outcome).toBe('propose');
    expect(p.capacity).toBe(want);
    expect(p.reason).toBe(reason);
    expect(p.details?.score).toBe(score);
  });

  it('averages each metric over its window with the declared statistic', () => {
    const r = rule({ metrics: [{ name: 'cpu', weight: 1, statistic: 'max' }] });
    const p = proposeWeightedScore(r, 0, observe(2, { cpu: ok(10, 75, 20) }));
    expect(p.details?.score).toBe(75);
    expect(p.capacity).toBe(3);
  });

  it('reads the provider metric named by `metric`', () => {
    const r = rule({ metrics: [{ name: 'cpu', metric: 'cpu_percent', weight: 1 }] });
    const p = proposeWeightedScore(r, 0, observe(2, { cpu_percent: ok(90) }));
    expect(p.capacity).toBe(3);
  });

  it('uses the step sizes', () => {
    const r = rule({ scaleUpStep: 3, scaleDownStep: 2 });
    expect(proposeWeightedScore(r, 0, observe(4, { cpu: ok(90), response_time: ok(5) })).capacity).toBe(7);
    expect(proposeWeightedScore(r, 0, observe(4, { cpu: ok(0), response_time: ok(0) })).capacity).toBe(2);
  });

  describe('with a metric missing', () => {
    it('scales out when the known metrics alone reach the threshold', () => {
      // response_time missing: the score is at least 100 × 3·1 / 4 = 75 ≥ 70.
      const p = proposeWeightedScore(rule(), 0, observe(4, { cpu: ok(100) }));
      expect(p.outcome).toBe('propose');
      expect(p.capacity).toBe(5);
      expect(p.details).toMatchObject({ score: 75, scoreUpperBound: 100 });
    });

    it('keeps capacity when every possible score lies between the thresholds', () => {
      // cpu missing would make the band [0, 75]; instead response_time missing with cpu 40: [30, 55] — 30 is
      // the down threshold, so use cpu 50: [37.5, 62.5], entirely between 30 and 70.
      const p = proposeWeightedScore(rule(), 0, observe(4, { cpu: ok(50) }));
      expect(p.outcome).toBe('propose');
      expect(p.capacity).toBe(4);
    });

    it('is invalid (blocking scale-in) when the missing metric could decide', () => {
      // cpu 10 with response_time unknown: [7.5, 32.5] straddles the down threshold 30.
      const p = proposeWeightedScore(rule(), 0, observe(4, { cpu: ok(10) }));
      expect(p.outcome).toBe('invalid');
      expect(p.reason).toBe('MetricMissing');
      expect(p.message).toContain('no data for response_time');
    });

    it('does not scale in on idle known metrics when the missing one could lift the score', () => {
      // Equal weights, cpu 0, response_time failed: the score lies in [0, 50], which reaches above 30.
      const r = rule({
        metrics: [
          { name: 'cpu', weight: 1 },
          { name: 'response_time', weight: 1 },
        ],
      });
      const failed: MetricObservation = { status: 'failed', samples: [], error: 'timeout' };
      const p = proposeWeightedScore(r, 0, observe(4, { cpu: ok(0), response_time: failed }));
      expect(p.outcome).toBe('invalid');
    });

    it('scales in when even a saturated missing metric keeps the score at or below the threshold', () => {
      // cpu 0 with weight 3, response_time unknown with weight 1: the score lies in [0, 25], all ≤ 30.
      const p = proposeWeightedScore(rule(), 0, observe(4, { cpu: ok(0) }));
      expect(p.outcome).toBe('propose');
      expect(p.capacity).toBe(3);
      expect(p.details).toMatchObject({ score: 0, scoreUpperBound: 25 });
    });
  });
});

describe('weighted-score through the manager', () => {
  it('scales out on a high score and back in on a low one, within bounds', async () => {
    const clock = new ManualClock(0);
    const metrics = new InMemoryMetricsProvider({ scheduler: clock });
    const controller = new RecordingResourceController({ clock, initial: 2 });
    const manager = new AutoScalingManager({ metrics, controller, clock, scheduler: clock });
    manager.registerScalingGroup({
      id: 'web',
      minCapacity: 1,
      maxCapacity: 3,
      rules: [
        {
          kind: 'weighted-score',
          metrics: [
            { name: 'cpu', weight: 1 },
            { name: 'memory', weight: 1 },
          ],
        },
      ],
    });
    metrics.push('cpu', 0, 95).push('memory', 0, 90);
    expect((await manager.evaluate('web'))?.desired).toBe(3);
    await clock.advanceAsync(60_000);
    metrics.push('cpu', 60_000, 95).push('memory', 60_000, 90);
    const capped = await manager.evaluate('web');
    expect(capped?.recommended).toBe(4);
    expect(capped?.desired).toBe(3);
    expect(capped?.reason).toBe('TooManyReplicas');
    await clock.advanceAsync(60_000);
    metrics.push('cpu', 120_000, 5).push('memory', 120_000, 10);
    const down = await manager.evaluate('web');
    expect(down?.recommended).toBe(2);
    expect(controller.calls.filter((c) => c.method === 'setCapacity').length).toBeGreaterThan(0);
  });
});
