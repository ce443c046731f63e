import { ConfigError, validateGroupConfig } from 'tideway';
import { describe, expect, it } from 'vitest';
import {
  listScoreTemplates,
  reviewScoreRule,
  SCORE_PRESETS,
  type ScoreTemplateName,
  scoreTemplate,
} from '../../src/rules/score-templates.js';
import { type WeightedScoreRule, weightedScoreRuleSchema } from '../../src/rules/weighted-score.js';

describe('listScoreTemplates', () => {
  // The six templates with the thresholds and maximum capacities the issue specifies.
  it.each([
    { name: 'web-app-balanced', up: 70, down: 30, max: 10 },
    { name: 'web-app-aggressive', up: 60, down: 40, max: 50 },
    { name: 'api-performance', up: 60, down: 40, max: 20 },
    { name: 'batch-cost-optimized', up: 80, down: 20, max: 5 },
    { name: 'ml-gpu-optimized', up: 75, down: 25, max: 8 },
    { name: 'dev-minimal', up: 90, down: 10, max: 2 },
  ])('$name: $up/$down, max $max, and it registers as a valid group', ({ name, up, down, max }) => {
    const listed = listScoreTemplates().find((t) => t.name === name);
    expect(listed).toMatchObject({ scaleUpThreshold: up, scaleDownThreshold: down, maxCapacity: max });
    const config = validateGroupConfig({ id: name, ...scoreTemplate(name as ScoreTemplateName) });
    expect(config.maxCapacity).toBe(max);
    expect(config.rules[0]).toMatchObject({
      kind: 'weighted-score',
      scaleUpThreshold: up,
      scaleDownThreshold: down,
    });
  });

  it('lists exactly six templates in a fixed order', () => {
    expect(listScoreTemplates().map((t) => t.name)).toEqual([
      'web-app-balanced',
      'web-app-aggressive',
      'api-performance',
      'batch-cost-optimized',
      'ml-gpu-optimized',
      'dev-minimal',
    ]);
  });
});

describe('scoreTemplate', () => {
  it('returns a fresh copy each time: changing one never changes the template', () => {
    const first = scoreTemplate('web-app-balanced');
    first.rules[0].metrics.push({ name: 'requests', weight: 100 });
    first.maxCapacity = 99;
    const second = scoreTemplate('web-app-balanced');
    expect(second.maxCapacity).toBe(10);
    expect(second.rules[0].metrics).toHaveLength(5);
  });

  it('applies a preset: steps, window and cooldowns', () => {
    const policy = scoreTemplate('web-app-balanced', { preset: 'aggressive' });
    expect(policy.cooldown).toEqual(SCORE_PRESETS.aggressive.cooldown);
    expect(policy.rules[0]).toMatchObject({ scaleUpStep: 2, scaleDownStep: 1, window: '1m' });
    const config = validateGroupConfig({ id: 'w', ...policy });
    expect(config.cooldown).toEqual({ scaleOut: 60_000, scaleIn: 300_000 });
  });

  it('customises thresholds, bounds, weights, metric names and maximums', () => {
    const policy = scoreTemplate('ml-gpu-optimized', {
      scaleUpThreshold: 85,
      maxCapacity: 16,
      weights: { cpu: 0, gpu: 0.7 },
      maximums: { gpu: 80 },
      metricNames: { gpu: 'DCGM_FI_DEV_GPU_UTIL' },
      name: 'gpu-pool',
    });
    expect(policy.maxCapacity).toBe(16);
    expect(policy.rules[0]).toMatchObject({ name: 'gpu-pool', scaleUpThreshold: 85, scaleDownThreshold: 25 });
    expect(policy.rules[0].metrics).toEqual([
      { name: 'gpu', metric: 'DCGM_FI_DEV_GPU_UTIL', weight: 0.7, max: 80 },
      { name: 'memory', weight: 0.3 },
    ]);
  });

  it.each([
    {
      name: 'an unknown template, with a suggestion',
      call: () => scoreTemplate('web-app-balance' as ScoreTemplateName),
      path: 'name',
      text: 'did you mean web-app-balanced?',
    },
    {
      name: 'an unknown preset',
      call: () => scoreTemplate('dev-minimal', { preset: 'fast' as never }),
      path: 'changes.preset',
      text: 'one of aggressive, balanced, conservative',
    },
  ])('rejects $name', ({ call, path, text }) => {
    let error: unknown;
    try {
      call();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues[0]?.path).toBe(path);
    expect((error as ConfigError).issues[0]?.message).toContain(text);
  });

  it('customised thresholds are still validated at registration', () => {
    expect(() =>
      validateGroupConfig({ id: 'x', ...scoreTemplate('dev-minimal', { scaleDownThreshold: 95 }) }),
    ).toThrow(/scaleDownThreshold: expected a number below scaleUpThreshold \(90\)/);
  });
});

describe('reviewScoreRule', () => {
  const parse = (over: object): WeightedScoreRule =>
    weightedScoreRuleSchema.parse({
      kind: 'weighted-score',
      metrics: [
        { name: 'cpu', weight: 1 },
        { name: 'memory', weight: 1 },
      ],
      ...over,
    });

  it.each([
    { name: 'a well-spread policy', over: {}, codes: [] },
    {
      name: 'thresholds 15 points apart',
      over: { scaleUpThreshold: 60, scaleDownThreshold: 45 },
      codes: ['thresholds-too-close'],
    },
    {
      name: 'thresholds exactly 20 apart',
      over: { scaleUpThreshold: 60, scaleDownThreshold: 40 },
      codes: [],
    },
    {
      name: 'one metric carrying all the weight',
      over: { metrics: [{ name: 'cpu', weight: 1 }] },
      codes: ['single-metric'],
    },
    {
      name: 'one metric carrying 90 % of the weight',
      over: {
        metrics: [
          { name: 'cpu', weight: 9 },
          { name: 'memory', weight: 1 },
        ],
      },
      codes: ['dominant-metric'],
    },
    {
      name: 'a scale-out threshold of 100',
      over: { scaleUpThreshold: 100 },
      codes: ['threshold-unreachable'],
    },
  ])('$name', ({ over, codes }) => {
    expect(reviewScoreRule(parse(over)).map((r) => r.code)).toEqual(codes);
  });

  it('the shipped templates draw no advice', () => {
    for (const template of listScoreTemplates()) {
      const config = validateGroupConfig({ id: template.name, ...scoreTemplate(template.name) });
      expect(reviewScoreRule(config.rules[0] as WeightedScoreRule), template.name).toEqual([]);
    }
  });
});
