import { describe, expect, it } from 'vitest';
import type { Observation } from '../../src/core/types.js';
import {
  metricQueries,
  proposeAll,
  proposeRule,
  RULE_KINDS,
  type Rule,
  type RuleInput,
  ruleMetricQueries,
  ruleName,
  ruleSchema,
} from '../../src/rules/registry.js';

const parse = (input: RuleInput): Rule => ruleSchema.parse(input);
type TargetTrackingInput = Extract<RuleInput, { kind: 'target-tracking' }>;
const tt = (metric: string, over: Partial<Omit<TargetTrackingInput, 'kind' | 'metric'>> = {}): Rule =>
  parse({ kind: 'target-tracking', metric, target: 1, ...over });

describe('RULE_KINDS and ruleSchema', () => {
  it('lists the kinds the schema accepts', () => {
    expect(RULE_KINDS).toEqual([
      'target-tracking',
      'custom',
      'step',
      'queue',
      'weighted-score',
      'predictive',
      'threshold',
      'simple',
      'aws-target-tracking',
      'scaled-job',
      'percentage-runners-busy',
      'workflow-runs',
      'runner-scale-set',
    ]);
    const minimal: Record<string, unknown> = {
      'target-tracking': { kind: 'target-tracking', metric: 'm', target: 1 },
      custom: { kind: 'custom', name: 'c', propose: () => 1 },
      step: {
        kind: 'step',
        metric: 'm',
        threshold: 1,
        comparison: '>=',
        adjustmentType: 'ChangeInCapacity',
        steps: [{ lower: 0, adjustment: 1 }],
      },
      queue: { kind: 'queue', metric: 'm', targetPerUnit: 5 },
      'weighted-score': { kind: 'weighted-score', metrics: [{ name: 'cpu', weight: 1 }] },
      predictive: { kind: 'predictive', metric: 'm', capacityPerUnit: 10 },
      threshold: {
        kind: 'threshold',
        metric: 'm',
        operator: 'GreaterThan',
        threshold: 70,
        direction: 'out',
        change: 1,
      },
      simple: {
        kind: 'simple',
        metric: 'm',
        threshold: 70,
        comparison: '>',
        adjustmentType: 'ChangeInCapacity',
        adjustment: 1,
      },
      'aws-target-tracking': { kind: 'aws-target-tracking', metric: 'm', target: 50 },
      'scaled-job': { kind: 'scaled-job', metric: 'm', targetPerUnit: 5 },
      'percentage-runners-busy': { kind: 'percentage-runners-busy', metric: 'm' },
      'workflow-runs': { kind: 'workflow-runs', metric: 'm' },
      'runner-scale-set': { kind: 'runner-scale-set' },
    };
    for (const kind of RULE_KINDS) expect(ruleSchema.safeParse(minimal[kind]).success).toBe(true);
  });

  it('rejects an unknown kind', () => {
    expect(ruleSchema.safeParse({ kind: 'step', metric: 'm' }).success).toBe(false);
  });
});

describe('ruleName', () => {
  it.each([
    {
      name: 'the rule’s own name when given',
      rule: tt('cpu', { name: 'busy runners' }),
      expected: 'busy runners',
    },
    { name: '<kind>:<metric> otherwise', rule: tt('cpu'), expected: 'target-tracking:cpu' },
  ])('$name', ({ rule, expected }) => {
    expect(ruleName(rule)).toBe(expected);
  });
});

describe('ruleMetricQueries', () => {
  it('a target-tracking rule reads its metric over its window, aggregate only', () => {
    expect(ruleMetricQueries(tt('cpu', { window: '2m' }))).toEqual([
      { name: 'cpu', window: 120_000, perUnit: false },
    ]);
  });
});

describe('metricQueries', () => {
  it.each([
    { name: 'no rules → no queries', rules: [], expected: [] },
    {
      name: 'one rule with the default 60 s window',
      rules: [tt('cpu')],
      expected: [{ name: 'cpu', window: 60_000, perUnit: false }],
    },
    {
      // cpu: max(60 s, 300 s, 30 s) = 300 s; queue keeps 60 s. Order of first appearance.
      name: 'rules reading the same metric merge into one query with the widest window',
      rules: [
        tt('cpu'),
        parse({ kind: 'target-tracking', metric: 'queue', targetPerUnit: 2 }),
        tt('cpu', { name: 'cpu-5m', window: '5m' }),
        tt('cpu', { name: 'cpu-30s', window: '30s' }),
      ],
      expected: [
        { name: 'cpu', window: 300_000, perUnit: false },
        { name: 'queue', window: 60_000, perUnit: false },
      ],
    },
    {
      name: 'the widest window wins even when it comes first',
      rules: [tt('cpu', { window: '10m' }), tt('cpu', { name: 'b', window: '1m' })],
      expected: [{ name: 'cpu', window: 600_000, perUnit: false }],
    },
  ])('$name', ({ rules, expected }) => {
    expect(metricQueries(rules)).toEqual(expected);
  });
});

describe('proposeAll', () => {
  const observation: Observation = {
    now: 100_000,
    capacity: 4,
    readyCapacity: 4,
    metrics: {
      cpu: { status: 'ok', samples: [{ timestamp: 99_000, value: 2 }] },
      queue: { status: 'failed', samples: [], error: 'down' },
    },
  };

  it('runs every rule in order, each proposal carrying its rule’s name and index', () => {
    const rules = [tt('queue'), tt('cpu'), tt('cpu', { name: 'cpu-half', target: 4 })];
    const proposals = proposeAll(rules, observation);
    expect(proposals.map((p) => [p.rule, p.ruleIndex, p.outcome, p.capacity])).toEqual([
      ['target-tracking:queue', 0, 'invalid', undefined],
      // 2 / 1 = 2 → ceil(2 × 4) = 8.
      ['target-tracking:cpu', 1, 'propose', 8],
      // 2 / 4 = 0.5 → ceil(0.5 × 4) = 2.
      ['cpu-half', 2, 'propose', 2],
    ]);
  });

  it('gives the same answer as proposeRule for each rule', () => {
    const rules = [tt('cpu'), tt('queue')];
    expect(proposeAll(rules, observation)).toEqual(rules.map((r, i) => proposeRule(r, i, observation)));
  });

  it('no rules → no proposals', () => {
    expect(proposeAll([], observation)).toEqual([]);
  });
});
