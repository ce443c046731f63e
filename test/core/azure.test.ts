import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  arbitrateAzure,
  flappingSafeCapacity,
  projectableRules,
  projectFlapping,
  THRESHOLD_OPERATORS,
  type ThresholdOperator,
} from '../../src/core/azure.js';
import type { MetricObservation, Observation, Proposal } from '../../src/core/types.js';
import { proposeThreshold, type ThresholdRuleInput, thresholdRuleSchema } from '../../src/rules/threshold.js';

// Rows named "azure-…" are vectors from peer-vectors.json, each with its source_url; the rules
// are written as the vector states them, the metric values are the vector's.

const NOW = 10_000_000;
const FLAPPING = 'https://learn.microsoft.com/en-us/azure/azure-monitor/autoscale/autoscale-flapping';
const BEST = 'https://learn.microsoft.com/en-us/azure/azure-monitor/autoscale/autoscale-best-practices';
const SETTINGS =
  'https://learn.microsoft.com/en-us/azure/azure-monitor/autoscale/autoscale-understanding-settings';

type R = Omit<ThresholdRuleInput, 'kind'>;
const out = (
  metric: string,
  operator: ThresholdOperator,
  threshold: number,
  change = 1,
  over: Partial<R> = {},
): R => ({
  metric,
  operator,
  threshold,
  direction: 'out',
  change,
  ...over,
});
const inn = (
  metric: string,
  operator: ThresholdOperator,
  threshold: number,
  change = 1,
  over: Partial<R> = {},
): R => ({
  metric,
  operator,
  threshold,
  direction: 'in',
  change,
  ...over,
});

/** Run threshold rules on one tick (metric values as the newest sample) and arbitrate as Azure. */
function azure(
  rules: readonly R[],
  capacity: number,
  values: Record<string, number | undefined>,
  defaultCapacity?: number,
) {
  const metrics: Record<string, MetricObservation> = {};
  for (const [name, value] of Object.entries(values)) {
    metrics[name] =
      value === undefined
        ? { status: 'missing', samples: [] }
        : { status: 'ok', samples: [{ timestamp: NOW - 1000, value }] };
  }
  const observation: Observation = { now: NOW, capacity, readyCapacity: capacity, metrics };
  const proposals = rules.map((r, i) =>
    proposeThreshold(thresholdRuleSchema.parse({ kind: 'threshold', ...r }), i, observation),
  );
  return arbitrateAzure(proposals, capacity, defaultCapacity === undefined ? {} : { defaultCapacity });
}

describe('peer vectors: Azure flapping', () => {
  it(`azure-flapping-cpu-basic (source_url: ${FLAPPING})`, () => {
    // +1 when avg CPU > 50 %, −1 when < 30 %.
    const rules = [out('cpu', 'GreaterThan', 50), inn('cpu', 'LessThan', 30)];
    expect(azure(rules, 1, { cpu: 56 })).toMatchObject({ capacity: 2, reason: 'ScaleOut' }); // T0
    // T1: 28 % per instance < 30, but back at 1 instance 28 × 2 / 1 = 56 > 50: deferred.
    const t1 = azure(rules, 2, { cpu: 28 });
    expect(t1).toMatchObject({ capacity: 2, reason: 'Flapping' });
    expect(t1.message).toContain('threshold:cpu:out would see 56');
    // "scale-in only once average CPU falls below 30 % without that effect": 24 × 2 = 48 ≤ 50.
    expect(azure(rules, 2, { cpu: 24 })).toMatchObject({ capacity: 1, reason: 'ScaleIn' });
  });

  const threads = (scaleIn: number) => [
    out('threads', 'GreaterThanOrEqual', 600, 1, { dividePerInstance: true }),
    inn('threads', 'LessThan', scaleIn, 1, { dividePerInstance: true }),
  ];

  it.each([
    {
      name: 'azure-flapping-thread-no-margin T0: 1250 threads / 2 = 625 ≥ 600, scale out to 3',
      rules: threads(600),
      capacity: 2,
      total: 1250,
      expected: { capacity: 3, reason: 'ScaleOut' },
    },
    {
      name: 'azure-flapping-thread-no-margin T1: 417 < 600, but 1250 / 2 = 625 would scale out: skip',
      rules: threads(600),
      capacity: 3,
      total: 1250,
      expected: { capacity: 3, reason: 'Flapping' },
    },
    {
      name: 'azure-flapping-thread-with-margin T0: 625 per instance, scale out to 3',
      rules: threads(400),
      capacity: 2,
      total: 1250,
      expected: { capacity: 3, reason: 'ScaleOut' },
    },
    {
      name: 'azure-flapping-thread-with-margin T1: 417 per instance, no scale event',
      rules: threads(400),
      capacity: 3,
      total: 1250,
      expected: { capacity: 3, reason: 'NoChange' },
    },
    {
      name: 'azure-flapping-thread-with-margin T2: 394 < 400 and 1180 / 2 = 590 < 600, scale in to 2',
      rules: threads(400),
      capacity: 3,
      total: 1180,
      expected: { capacity: 2, reason: 'ScaleIn' },
    },
    {
      name: 'azure-flapping-thread-with-margin T3: 590 per instance, no scale event',
      rules: threads(400),
      capacity: 2,
      total: 1180,
      expected: { capacity: 2, reason: 'NoChange' },
    },
  ])(`$name (source_url: ${FLAPPING})`, ({ rules, capacity, total, expected }) => {
    expect(azure(rules, capacity, { threads: total })).toMatchObject(expected);
  });

  it(`azure-flapping-partial-scale-in (source_url: ${FLAPPING})`, () => {
    const rules = [
      out('requests', 'GreaterThanOrEqual', 200, 20, { dividePerInstance: true }),
      out('cpu', 'GreaterThan', 70, 20),
      inn('requests', 'LessThanOrEqual', 50, 10, { dividePerInstance: true }),
    ];
    // T0: 3000 / 30 = 100 per instance: no rule fires.
    expect(azure(rules, 30, { requests: 3000, cpu: 65 })).toMatchObject({ capacity: 30, reason: 'NoChange' });
    // T1: 1500 / 30 = 50 ≤ 50: intended 30 → 20, but CPU 65 × 30 / 20 = 97.5 > 70.
    const t1 = azure(rules, 30, { requests: 1500, cpu: 65 });
    expect(t1.reason).toBe('FlappingOccurred');
    expect(t1.message).toContain('current 30, intended 20, actual 28');
    // The doc says it "may scale in by 3, from 30 to 27"; but 65 × 30 / 27 = 72.2 > 70 would
    // itself trigger the CPU scale-out, so the projection the same doc describes admits 28 at
    // the least (65 × 30 / 28 = 69.6). We assert the documented behaviour (a partial scale-in
    // between intended and current at which no scale-out fires) and the exact count it implies.
    expect(t1.capacity).toBe(28);
    expect(
      projectFlapping(projectableRules(proposalsOf(rules, 30, { requests: 1500, cpu: 65 })), 30, 27),
    ).toEqual([
      { rule: 'threshold:requests:out', projected: 1500 / 27, triggers: false },
      { rule: 'threshold:cpu:out', projected: (65 * 30) / 27, triggers: true },
    ]);
  });

  it(`azure-flapping-log-record: current 6, intended 1, actual 4, FlappingOccurred (source_url: ${FLAPPING})`, () => {
    // The rules of the logged profile: Requests per instance ≥ 3 → +10, < 3 → −5 (PT1M, Maximum).
    const rules = [
      out('requests', 'GreaterThanOrEqual', 3, 10, {
        dividePerInstance: true,
        timeAggregation: 'Maximum',
        timeWindow: '1m',
      }),
      inn('requests', 'LessThan', 3, 5, {
        dividePerInstance: true,
        statistic: 'Maximum',
        timeAggregation: 'Maximum',
        timeWindow: '1m',
      }),
    ];
    // The log has no metric value; 10 requests is one that gives its counts: 10/6 < 3 fires the
    // scale-in to 1; 10/1, 10/2, 10/3 are ≥ 3, 10/4 = 2.5 is not.
    const result = azure(rules, 6, { requests: 10 });
    expect(result).toMatchObject({ capacity: 4, reason: 'FlappingOccurred' });
    expect(result.message).toContain('current 6, intended 1, actual 4');
  });

  it(`azure-bp-thread-projection: 575 × 3 / 2 = 862.5, do not scale in (source_url: ${BEST})`, () => {
    const rules = [out('threads', 'GreaterThanOrEqual', 600), inn('threads', 'LessThanOrEqual', 600)];
    const result = azure(rules, 3, { threads: 575 });
    expect(result).toMatchObject({ capacity: 3, reason: 'Flapping' });
    expect(result.message).toContain('threshold:threads:out would see 862.5');
  });

  it(`azure-bp-cpu-80-60: out to 3, skip at 60 (90), scale in at 50 (75) (source_url: ${BEST})`, () => {
    const rules = [out('cpu', 'GreaterThanOrEqual', 80), inn('cpu', 'LessThanOrEqual', 60)];
    expect(azure(rules, 2, { cpu: 80 })).toMatchObject({ capacity: 3, reason: 'ScaleOut' });
    const skip = azure(rules, 3, { cpu: 60 });
    expect(skip).toMatchObject({ capacity: 3, reason: 'Flapping' });
    expect(skip.message).toContain('would see 90');
    expect(azure(rules, 3, { cpu: 50 })).toMatchObject({ capacity: 2, reason: 'ScaleIn' });
  });
});

function proposalsOf(rules: readonly R[], capacity: number, values: Record<string, number>): Proposal[] {
  const metrics: Record<string, MetricObservation> = {};
  for (const [name, value] of Object.entries(values)) {
    metrics[name] = { status: 'ok', samples: [{ timestamp: NOW - 1000, value }] };
  }
  const observation: Observation = { now: NOW, capacity, readyCapacity: capacity, metrics };
  return rules.map((r, i) =>
    proposeThreshold(thresholdRuleSchema.parse({ kind: 'threshold', ...r }), i, observation),
  );
}

describe('peer vectors: Azure per-instance thresholds and multiple rules', () => {
  it(`azure-bp-queue-per-instance (source_url: ${BEST})`, () => {
    const rules = [
      out('queue', 'GreaterThanOrEqual', 50, 1, { dividePerInstance: true }),
      inn('queue', 'LessThanOrEqual', 10, 1, { dividePerInstance: true }),
    ];
    // 2 instances, 50 messages: 25 per instance, no scale-out.
    expect(azure(rules, 2, { queue: 50 })).toMatchObject({ capacity: 2, reason: 'NoChange' });
    // The first scale-out needs 100 in total.
    expect(azure(rules, 2, { queue: 99 }).capacity).toBe(2);
    expect(azure(rules, 2, { queue: 100 })).toMatchObject({ capacity: 3, reason: 'ScaleOut' });
    // With 3 instances the next needs 150.
    expect(azure(rules, 3, { queue: 149 }).capacity).toBe(3);
    expect(azure(rules, 3, { queue: 150 })).toMatchObject({ capacity: 4, reason: 'ScaleOut' });
    // With 3 instances the first scale-in comes at 30 in total (10 per instance).
    expect(azure(rules, 3, { queue: 31 }).capacity).toBe(3);
    expect(azure(rules, 3, { queue: 30 })).toMatchObject({ capacity: 2, reason: 'ScaleIn' });
  });

  const fourRules = [
    inn('cpu', 'LessThan', 30),
    inn('memory', 'LessThan', 50),
    out('cpu', 'GreaterThan', 75),
    out('memory', 'GreaterThan', 75),
  ];
  it.each([
    { name: 'cpu 76, memory 50: scale out', cpu: 76, memory: 50, capacity: 4, reason: 'ScaleOut' },
    { name: 'cpu 50, memory 76: scale out', cpu: 50, memory: 76, capacity: 4, reason: 'ScaleOut' },
    { name: 'cpu 25, memory 51: no scale-in', cpu: 25, memory: 51, capacity: 3, reason: 'NoChange' },
    { name: 'cpu 29, memory 49: scale in', cpu: 29, memory: 49, capacity: 2, reason: 'ScaleIn' },
  ])(`azure-multi-rule-any-out-all-in, $name (source_url: ${BEST})`, ({ cpu, memory, capacity, reason }) => {
    expect(azure(fourRules, 3, { cpu, memory })).toMatchObject({ capacity, reason });
  });

  it(`azure-multi-rule-out-highest: +3 and +5 fire, +5 wins; +3 vs +15 % → the larger count (source_url: ${SETTINGS})`, () => {
    const rules = [out('a', 'GreaterThan', 0, 3), out('b', 'GreaterThan', 0, 5)];
    const result = azure(rules, 10, { a: 1, b: 1 });
    expect(result).toMatchObject({ capacity: 15, reason: 'ScaleOut' });
    expect(result.winner?.rule).toBe('threshold:b:out');
    const percent = [
      out('a', 'GreaterThan', 0, 3),
      out('b', 'GreaterThan', 0, 15, { changeType: 'PercentChangeCount' }),
    ];
    expect(azure(percent, 10, { a: 1, b: 1 }).capacity).toBe(13); // +3 beats 15 % of 10 (2)
    expect(azure(percent, 40, { a: 1, b: 1 }).capacity).toBe(46); // 15 % of 40 (6) beats +3
  });

  it(`azure-multi-rule-in-least: −50 % → 5 and −3 → 7, scale in to 7 (source_url: ${SETTINGS})`, () => {
    const rules = [
      inn('a', 'LessThan', 1, 50, { changeType: 'PercentChangeCount' }),
      inn('b', 'LessThan', 1, 3),
    ];
    const result = azure(rules, 10, { a: 0, b: 0 });
    expect(result).toMatchObject({ capacity: 7, reason: 'ScaleIn' });
    expect(result.winner?.rule).toBe('threshold:b:in');
  });
});

describe('peer vectors: Azure default capacity', () => {
  const rules = [out('cpu', 'GreaterThan', 70), inn('cpu', 'LessThan', 30)];
  it.each([
    {
      name: 'metrics unreadable, current 2 below default 4: scale out to default',
      capacity: 2,
      expected: { capacity: 4, reason: 'DefaultCapacity' },
    },
    {
      name: 'metrics unreadable, current 6 above default 4: do not scale in',
      capacity: 6,
      expected: { capacity: null, reason: 'MetricsUnavailable' },
    },
  ])(`azure-default-capacity-rule, $name (source_url: ${SETTINGS})`, ({ capacity, expected }) => {
    expect(azure(rules, capacity, { cpu: undefined }, 4)).toMatchObject(expected);
  });

  it('a readable scale-in rule is still blocked above the default when another metric is unreadable', () => {
    const mixed = [inn('cpu', 'LessThan', 30), out('memory', 'GreaterThan', 80)];
    expect(azure(mixed, 6, { cpu: 10, memory: undefined }, 4)).toMatchObject({
      capacity: 6,
      reason: 'MetricsIncomplete',
    });
  });

  it('a firing scale-out above the default wins over it; one below it yields to it', () => {
    const two = [out('cpu', 'GreaterThan', 70, 5), out('memory', 'GreaterThan', 80, 1)];
    expect(azure(two, 2, { cpu: 90, memory: undefined }, 4)).toMatchObject({
      capacity: 7,
      reason: 'ScaleOut',
    });
    const small = [out('cpu', 'GreaterThan', 70, 1), out('memory', 'GreaterThan', 80, 1)];
    expect(azure(small, 2, { cpu: 90, memory: undefined }, 4)).toMatchObject({
      capacity: 4,
      reason: 'DefaultCapacity',
    });
  });

  it('without a default, missing metrics only block scale-in', () => {
    expect(azure(rules, 2, { cpu: undefined })).toMatchObject({
      capacity: null,
      reason: 'MetricsUnavailable',
    });
  });
});

describe('arbitrateAzure with proposals of other kinds', () => {
  const p = (rule: string, outcome: Proposal['outcome'], capacity?: number): Proposal => ({
    rule,
    ruleIndex: 0,
    outcome,
    ...(capacity === undefined ? {} : { capacity }),
    reason: outcome === 'invalid' ? 'MetricMissing' : 'AboveTarget',
    message: `${rule} says ${capacity ?? outcome}`,
  });
  it.each([
    { name: 'no rules', proposals: [], expected: { capacity: null, reason: 'NoRecommendation' } },
    {
      name: 'all abstain',
      proposals: [p('a', 'abstain')],
      expected: { capacity: null, reason: 'NoRecommendation' },
    },
    {
      name: 'larger wins out',
      proposals: [p('a', 'propose', 6), p('b', 'propose', 8)],
      expected: { capacity: 8 },
    },
    {
      name: 'out ignores an invalid rule',
      proposals: [p('a', 'invalid'), p('b', 'propose', 6)],
      expected: { capacity: 6, reason: 'ScaleOut' },
    },
    {
      name: 'in needs every rule: one at current holds',
      proposals: [p('a', 'propose', 2), p('b', 'propose', 4)],
      expected: { capacity: 4, reason: 'NoChange' },
    },
    {
      name: 'in takes the smallest removal',
      proposals: [p('a', 'propose', 2), p('b', 'propose', 3)],
      expected: { capacity: 3, reason: 'ScaleIn' },
    },
    {
      name: 'in blocked by an invalid rule',
      proposals: [p('a', 'propose', 2), p('b', 'invalid')],
      expected: { capacity: 4, reason: 'MetricsIncomplete' },
    },
    {
      name: 'an abstaining rule without direction does not block scale-in',
      proposals: [p('a', 'propose', 2), p('b', 'abstain')],
      expected: { capacity: 2, reason: 'ScaleIn' },
    },
  ])('$name', ({ proposals, expected }) => {
    expect(arbitrateAzure(proposals, 4)).toMatchObject(expected);
  });
});

describe('flappingSafeCapacity', () => {
  const rule = (value: number, operator: ThresholdOperator, threshold: number): Proposal => ({
    rule: 'r',
    ruleIndex: 0,
    outcome: 'abstain',
    reason: 'Abstained',
    message: '',
    details: { direction: 'out', value, threshold, operator },
  });
  it.each([
    { name: 'no scale-out rules: the intended count', rules: [], current: 10, intended: 3, expected: 3 },
    {
      name: 'first safe count from the intended upward',
      rules: [rule(50, 'GreaterThan', 70)],
      current: 10,
      intended: 5,
      expected: 8,
    },
    {
      name: 'at the threshold with GreaterThanOrEqual is unsafe',
      rules: [rule(60, 'GreaterThanOrEqual', 90)],
      current: 3,
      intended: 2,
      expected: null,
    },
    {
      name: 'at the threshold with GreaterThan is safe',
      rules: [rule(60, 'GreaterThan', 90)],
      current: 3,
      intended: 2,
      expected: 2,
    },
    {
      name: 'to zero, any positive value triggers',
      rules: [rule(1, 'GreaterThan', 1000)],
      current: 1,
      intended: 0,
      expected: null,
    },
    {
      name: 'to zero, a zero value does not',
      rules: [rule(0, 'GreaterThan', 0)],
      current: 1,
      intended: 0,
      expected: 0,
    },
  ])('$name', ({ rules, current, intended, expected }) => {
    expect(flappingSafeCapacity(projectableRules(rules), current, intended)).toBe(expected);
  });
});

describe('property: the flapping guard never scales in to a count its own projection says would trigger a scale-out', () => {
  const outRule = fc.record({
    operator: fc.constantFrom(...THRESHOLD_OPERATORS),
    threshold: fc.integer({ min: 0, max: 200 }),
    value: fc.integer({ min: 0, max: 200 }),
    fired: fc.boolean(),
  });
  const inRule = fc.record({ capacity: fc.integer({ min: 0, max: 40 }), fired: fc.boolean() });
  it('holds for random scale-out and scale-in rules', () => {
    fc.assert(
      fc.property(
        fc.array(outRule, { maxLength: 4 }),
        fc.array(inRule, { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 40 }),
        (outs, ins, current) => {
          const proposals: Proposal[] = [
            ...outs.map(
              (o, i): Proposal => ({
                rule: `out${i}`,
                ruleIndex: i,
                outcome: 'abstain',
                reason: 'Abstained',
                message: '',
                details: {
                  direction: 'out',
                  value: o.value,
                  threshold: o.threshold,
                  operator: o.operator,
                  fired: false,
                },
              }),
            ),
            ...ins.map(
              (r, i): Proposal => ({
                rule: `in${i}`,
                ruleIndex: outs.length + i,
                outcome: r.fired ? 'propose' : 'abstain',
                ...(r.fired ? { capacity: Math.min(r.capacity, current) } : {}),
                reason: r.fired ? 'ThresholdBreached' : 'Abstained',
                message: '',
                details: { direction: 'in', fired: r.fired },
              }),
            ),
          ];
          const result = arbitrateAzure(proposals, current);
          if (result.capacity === null || result.capacity >= current) return;
          // A scale-in happened: every scale-in rule fired, and nothing it projects triggers.
          expect(ins.every((r) => r.fired)).toBe(true);
          const projections = projectFlapping(projectableRules(proposals), current, result.capacity);
          expect(projections.filter((p) => p.triggers)).toEqual([]);
          // Never more than the smallest removal.
          expect(result.capacity).toBeGreaterThanOrEqual(
            Math.max(...ins.map((r) => Math.min(r.capacity, current))),
          );
        },
      ),
      { seed: 4, numRuns: 2000 },
    );
  });
});

describe('arbitrateAzure with floors', () => {
  const vote = (capacity: number): Proposal => ({
    rule: 'in',
    ruleIndex: 0,
    outcome: 'propose',
    capacity,
    reason: 'ThresholdBreached',
    message: 'in',
    details: { direction: 'in' },
  });
  const floor = (capacity: number): Proposal => ({
    rule: 'schedule:x',
    ruleIndex: 1,
    outcome: 'propose',
    capacity,
    floor: true,
    reason: 'Scheduled',
    message: `floor ${capacity}`,
  });
  it.each([
    {
      name: 'a floor below current is not a vote against scale-in',
      proposals: [vote(3), floor(2)],
      expected: { capacity: 3, reason: 'ScaleIn' },
    },
    {
      name: 'a floor limits the scale-in',
      proposals: [vote(2), floor(4)],
      expected: { capacity: 4, reason: 'ScaleIn', message: 'floor 4' },
    },
    {
      name: 'a floor above current scales out alone',
      proposals: [floor(7)],
      expected: { capacity: 7, reason: 'ScaleOut' },
    },
    {
      name: 'a floor below current alone does nothing',
      proposals: [floor(2)],
      expected: { capacity: null, reason: 'NoRecommendation' },
    },
  ])('$name', ({ proposals, expected }) => {
    expect(arbitrateAzure(proposals, 5)).toMatchObject(expected);
  });
});
