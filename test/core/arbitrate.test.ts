import { describe, expect, it } from 'vitest';
import { type ArbitrationContext, arbitrate, arbitrationSchema } from '../../src/core/arbitrate.js';
import { arbitrateAzure } from '../../src/core/azure.js';
import type { Observation, Proposal } from '../../src/core/types.js';

let index = 0;
const propose = (rule: string, capacity: number): Proposal => ({
  rule,
  ruleIndex: index++,
  outcome: 'propose',
  capacity,
  reason: 'AboveTarget',
  message: `${rule} wants ${capacity}`,
});
const invalid = (rule: string): Proposal => ({
  rule,
  ruleIndex: index++,
  outcome: 'invalid',
  reason: 'MetricMissing',
  message: `metric ${rule} has no data`,
});
const abstain = (rule: string): Proposal => ({
  rule,
  ruleIndex: index++,
  outcome: 'abstain',
  reason: 'WithinTolerance',
  message: `${rule} abstains`,
});

describe('arbitrate (max)', () => {
  it.each([
    {
      name: 'the largest proposal wins: max(3, 7, 5) = 7 > current 4 → ScaleOut',
      proposals: [propose('a', 3), propose('b', 7), propose('c', 5)],
      current: 4,
      capacity: 7,
      reason: 'ScaleOut',
      winner: 'b',
    },
    {
      name: 'max(2, 3) = 3 < current 4 → ScaleIn',
      proposals: [propose('a', 2), propose('b', 3)],
      current: 4,
      capacity: 3,
      reason: 'ScaleIn',
      winner: 'b',
    },
    {
      name: 'max = current → NoChange',
      proposals: [propose('a', 4), propose('b', 1)],
      current: 4,
      capacity: 4,
      reason: 'NoChange',
      winner: 'a',
    },
    {
      name: 'the first wins a tie: a(7) and b(7) → a',
      proposals: [propose('a', 7), propose('b', 7)],
      current: 4,
      capacity: 7,
      reason: 'ScaleOut',
      winner: 'a',
    },
    {
      // horizontal.go computeReplicasForMetrics: a first proposal of 0 can still be replaced.
      name: 'a first proposal of 0 is replaced by a later larger one: max(0, 3) = 3',
      proposals: [propose('a', 0), propose('b', 3)],
      current: 1,
      capacity: 3,
      reason: 'ScaleOut',
      winner: 'b',
    },
    {
      name: 'abstaining rules are ignored: max(abstain, 2) = 2',
      proposals: [abstain('a'), propose('b', 2), abstain('c')],
      current: 4,
      capacity: 2,
      reason: 'ScaleIn',
      winner: 'b',
    },
    {
      name: 'an invalid rule does not block a scale-out: max(6) = 6 > 4',
      proposals: [invalid('a'), propose('b', 6)],
      current: 4,
      capacity: 6,
      reason: 'ScaleOut',
      winner: 'b',
    },
    {
      name: 'an invalid rule does not block "no change": max(4) = 4',
      proposals: [propose('a', 4), invalid('b')],
      current: 4,
      capacity: 4,
      reason: 'NoChange',
      winner: 'a',
    },
  ])('$name', ({ proposals, current, capacity, reason, winner }) => {
    const result = arbitrate('max', proposals, current);
    expect(result.capacity).toBe(capacity);
    expect(result.reason).toBe(reason);
    expect(result.winner?.rule).toBe(winner);
    // A usable recommendation explains itself with the winner's sentence.
    expect(result.message).toBe(`${winner} wants ${capacity}`);
  });

  it('an invalid rule blocks a scale-in: max(3) < current 6 → keep 6, MetricsIncomplete', () => {
    const winner = propose('busy', 3);
    const result = arbitrate('max', [winner, invalid('queue'), invalid('cpu')], 6);
    expect(result).toEqual({
      capacity: 6,
      reason: 'MetricsIncomplete',
      // The FIRST invalid rule is named.
      message: 'metric queue has no data, so scale-in to 3 is blocked',
      winner,
    });
  });

  it('all rules invalid → MetricsUnavailable with the first failure’s message', () => {
    expect(arbitrate('max', [abstain('x'), invalid('queue'), invalid('cpu')], 6)).toEqual({
      capacity: null,
      reason: 'MetricsUnavailable',
      message: 'metric queue has no data',
      winner: null,
    });
  });

  it.each([
    { name: 'no rules at all', proposals: [], message: 'the group has no rules' },
    {
      name: 'every rule abstained',
      proposals: [abstain('a'), abstain('b')],
      message: 'every rule abstained',
    },
  ])('$name → NoRecommendation', ({ proposals, message }) => {
    expect(arbitrate('max', proposals, 3)).toEqual({
      capacity: null,
      reason: 'NoRecommendation',
      message,
      winner: null,
    });
  });
});

describe('arbitrate (aws)', () => {
  // aws-tt-multi-policy-rule, https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-target-tracking.html:
  // scale out if any policy is ready to scale out; scale in only if all policies with scale-in
  // enabled are ready to scale in.
  it.each([
    {
      name: 'aws-tt-multi-policy-rule: any policy out → out, the largest (3, 8, 6 vs 5 → 8)',
      proposals: [propose('a', 3), propose('b', 8), propose('c', 6)],
      current: 5,
      capacity: 8,
      reason: 'ScaleOut',
    },
    {
      name: 'aws-tt-multi-policy-rule: every policy in → in, the smallest removal (2, 4 vs 6 → 4)',
      proposals: [propose('a', 2), propose('b', 4)],
      current: 6,
      capacity: 4,
      reason: 'ScaleIn',
    },
    {
      name: 'aws-tt-multi-policy-rule: one policy not ready to scale in blocks it (2, 6 vs 6 → 6)',
      proposals: [propose('a', 2), propose('b', 6)],
      current: 6,
      capacity: 6,
      reason: 'NoChange',
    },
    {
      name: 'a policy with scale-in disabled (abstains) does not block it (abstain, 3 vs 6 → 3)',
      proposals: [abstain('a'), propose('b', 3)],
      current: 6,
      capacity: 3,
      reason: 'ScaleIn',
    },
    {
      name: 'a policy without data (INSUFFICIENT_DATA) blocks scale-in',
      proposals: [invalid('a'), propose('b', 3)],
      current: 6,
      capacity: 6,
      reason: 'MetricsIncomplete',
    },
    {
      name: 'a policy without data does not block scale-out',
      proposals: [invalid('a'), propose('b', 9)],
      current: 6,
      capacity: 9,
      reason: 'ScaleOut',
    },
  ])('$name', ({ proposals, current, capacity, reason }) => {
    const result = arbitrate('aws', proposals, current);
    expect(result.capacity).toBe(capacity);
    expect(result.reason).toBe(reason);
  });

  it('names the rule that held a scale-in back', () => {
    expect(arbitrate('aws', [propose('cpu', 2), propose('queue', 6)], 6).message).toBe(
      'cpu wants 2 but queue does not want to scale in (queue wants 6)',
    );
  });
});

describe('arbitrate (azure)', () => {
  it('dispatches to arbitrateAzure', () => {
    const proposals = [propose('a', 3), propose('b', 8)];
    expect(arbitrate('azure', proposals, 5)).toEqual(arbitrateAzure(proposals, 5));
  });
});

describe('arbitrate (priority)', () => {
  it.each([
    {
      name: 'the first proposing rule wins even when a later one wants more',
      proposals: [propose('schedule', 3), propose('cpu', 9)],
      current: 5,
      capacity: 3,
      reason: 'ScaleIn',
      winner: 'schedule',
    },
    {
      name: 'abstaining rules are skipped',
      proposals: [abstain('override'), propose('cpu', 9), propose('queue', 2)],
      current: 5,
      capacity: 9,
      reason: 'ScaleOut',
      winner: 'cpu',
    },
    {
      name: 'an invalid rule before the winner blocks its scale-in',
      proposals: [invalid('queue'), propose('cpu', 2)],
      current: 5,
      capacity: 5,
      reason: 'MetricsIncomplete',
      winner: 'cpu',
    },
    {
      name: 'an invalid rule before the winner does not block its scale-out',
      proposals: [invalid('queue'), propose('cpu', 7)],
      current: 5,
      capacity: 7,
      reason: 'ScaleOut',
      winner: 'cpu',
    },
    {
      name: 'an invalid rule after the winner is ignored',
      proposals: [propose('cpu', 2), invalid('queue')],
      current: 5,
      capacity: 2,
      reason: 'ScaleIn',
      winner: 'cpu',
    },
    {
      name: 'no proposing rule and an invalid one → MetricsUnavailable',
      proposals: [abstain('a'), invalid('queue')],
      current: 5,
      capacity: null,
      reason: 'MetricsUnavailable',
      winner: undefined,
    },
  ])('$name', ({ proposals, current, capacity, reason, winner }) => {
    const result = arbitrate('priority', proposals, current);
    expect(result.capacity).toBe(capacity);
    expect(result.reason).toBe(reason);
    expect(result.winner?.rule).toBe(winner);
  });

  it('says which rule had priority', () => {
    expect(arbitrate('priority', [abstain('x'), propose('cpu', 7)], 5).message).toBe(
      'cpu has priority: cpu wants 7',
    );
  });
});

const observation: Observation = {
  now: 100_000,
  capacity: 5,
  readyCapacity: 5,
  metrics: {
    queue: {
      status: 'ok',
      samples: [
        { timestamp: 30_000, value: 100 },
        { timestamp: 60_000, value: 10 },
        { timestamp: 90_000, value: 20 },
      ],
    },
  },
};
const context: ArbitrationContext = { observation, minCapacity: 0, maxCapacity: 50 };

describe('arbitrate (formula)', () => {
  it.each([
    {
      name: 'rule outputs by name: max(cpu, queue) + 1 = 8',
      formula: 'max(cpu, queue) + 1',
      proposals: [propose('cpu', 7), propose('queue', 4)],
      capacity: 8,
      reason: 'ScaleOut',
    },
    {
      name: 'a fraction is rounded up: (cpu + queue) / 2 = 5.5 → 6',
      formula: '(cpu + queue) / 2',
      proposals: [propose('cpu', 7), propose('queue', 4)],
      capacity: 6,
      reason: 'ScaleOut',
    },
    {
      name: 'an invalid rule is missing and ?? skips it: queue ?? cpu = 3 (scale-in allowed, as KEDA)',
      formula: 'queue ?? cpu',
      proposals: [propose('cpu', 3), invalid('queue')],
      capacity: 3,
      reason: 'ScaleIn',
    },
    {
      name: 'an abstaining rule is missing too: queue ?? 5 = 5',
      formula: 'queue ?? 5',
      proposals: [abstain('queue')],
      capacity: 5,
      reason: 'NoChange',
    },
    {
      name: 'metric statistics over the formula window (60 s): average of 10 and 20 = 15 → ceil(15 / 4) = 4',
      formula: 'ceil(metric("queue", "average") / 4)',
      proposals: [],
      capacity: 4,
      reason: 'ScaleIn',
    },
  ])('$name', ({ formula, proposals, capacity, reason }) => {
    const result = arbitrate({ formula, window: 60_000 }, proposals, 5, context);
    expect(result.capacity).toBe(capacity);
    expect(result.reason).toBe(reason);
  });

  it('a missing result names the invalid rule behind it', () => {
    expect(arbitrate({ formula: 'queue + 1', window: 60_000 }, [invalid('queue')], 5, context)).toEqual({
      capacity: null,
      reason: 'MetricsUnavailable',
      message: 'the arbitration formula has no value: metric queue has no data',
      winner: null,
    });
  });

  it('a missing result without an invalid rule is NoRecommendation', () => {
    expect(arbitrate({ formula: 'queue + 1', window: 60_000 }, [abstain('queue')], 5, context).reason).toBe(
      'NoRecommendation',
    );
  });

  it.each([
    {
      name: 'a negative result',
      formula: 'cpu - 10',
      message: 'the arbitration formula gives -3; expected a number ≥ 0',
    },
    {
      name: 'a malformed formula given to decide directly',
      formula: 'cpu +',
      message:
        'the arbitration formula is malformed at column 6: expected a number, a name or "(", got the end of the formula',
    },
  ])('$name → ArbitrationFailed', ({ formula, message }) => {
    expect(arbitrate({ formula, window: 60_000 }, [propose('cpu', 7)], 5, context)).toEqual({
      capacity: null,
      reason: 'ArbitrationFailed',
      message,
      winner: null,
    });
  });
});

describe('arbitrate (custom)', () => {
  it('gets the proposals and the context, and its number is rounded up', () => {
    const seen: unknown[] = [];
    const result = arbitrate(
      {
        custom: (proposals, ctx) => {
          seen.push(proposals.length, ctx.maxCapacity, ctx.observation.now);
          return 6.2;
        },
      },
      [propose('cpu', 7)],
      5,
      context,
    );
    expect(seen).toEqual([1, 50, 100_000]);
    expect(result).toMatchObject({
      capacity: 7,
      reason: 'ScaleOut',
      message: 'the custom arbitration gives 6.2',
    });
    expect(result.winner?.rule).toBe('cpu');
  });

  it.each([
    { name: 'null', fn: () => null, reason: 'NoRecommendation' },
    { name: 'undefined', fn: () => undefined, reason: 'NoRecommendation' },
    { name: 'NaN', fn: () => Number.NaN, reason: 'ArbitrationFailed' },
    { name: 'a negative number', fn: () => -1, reason: 'ArbitrationFailed' },
    { name: 'a string', fn: () => '3' as unknown as number, reason: 'ArbitrationFailed' },
    {
      name: 'a throw',
      fn: () => {
        throw new Error('boom');
      },
      reason: 'ArbitrationFailed',
    },
  ])('$name → $reason, no capacity', ({ fn, reason }) => {
    const result = arbitrate({ custom: fn }, [propose('cpu', 7)], 5, context);
    expect(result.capacity).toBeNull();
    expect(result.reason).toBe(reason);
  });

  it('a throw is reported with its message', () => {
    const result = arbitrate(
      {
        custom: () => {
          throw new Error('boom');
        },
      },
      [],
      5,
      context,
    );
    expect(result.message).toBe('the custom arbitration threw: boom');
  });
});

describe('arbitrationSchema', () => {
  it.each([
    { name: 'a named mode', input: 'priority', expected: 'priority' },
    {
      name: 'a formula gets a 1-minute window',
      input: { formula: 'a' },
      expected: { formula: 'a', window: 60_000 },
    },
    {
      name: 'a formula window as a duration',
      input: { formula: 'a', window: '5m' },
      expected: { formula: 'a', window: 300_000 },
    },
  ])('$name', ({ input, expected }) => {
    expect(arbitrationSchema.parse(input)).toEqual(expected);
  });

  it.each([
    { name: 'an unknown mode', input: 'min' },
    { name: 'an empty formula', input: { formula: '' } },
    { name: 'a custom that is not a function', input: { custom: 'max' } },
    { name: 'both formula and custom', input: { formula: 'a', custom: () => 1 } },
  ])('rejects $name', ({ input }) => {
    expect(arbitrationSchema.safeParse(input).success).toBe(false);
  });
});

describe('floors (a forecast or a schedule): a lower bound, not a vote', () => {
  const floor = (capacity: number): Proposal => ({ ...propose('forecast', capacity), floor: true });
  const AWS_PREDICTIVE =
    'https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-predictive-scaling.html';

  it.each([
    // aws-predictive-plus-tt-max: target tracking wants 10, predictive wants 8 → 10.
    {
      name: `aws-predictive-plus-tt-max (${AWS_PREDICTIVE})`,
      mode: 'max',
      current: 6,
      proposals: [propose('tt', 10), floor(8)],
      capacity: 10,
      reason: 'ScaleOut',
      winner: 'tt',
    },
    {
      name: 'the floor raises a lower vote',
      mode: 'max',
      current: 6,
      proposals: [propose('tt', 4), floor(8)],
      capacity: 8,
      reason: 'ScaleOut',
      winner: 'forecast',
    },
    {
      name: 'a scale-in stops at the floor',
      mode: 'max',
      current: 12,
      proposals: [propose('tt', 4), floor(8)],
      capacity: 8,
      reason: 'ScaleIn',
      winner: 'forecast',
    },
    {
      name: 'a floor alone scales out',
      mode: 'max',
      current: 3,
      proposals: [floor(8)],
      capacity: 8,
      reason: 'ScaleOut',
      winner: 'forecast',
    },
    {
      name: 'a floor alone never scales in',
      mode: 'max',
      current: 12,
      proposals: [floor(8)],
      capacity: null,
      reason: 'NoRecommendation',
      winner: null,
    },
    {
      name: 'priority mode honours it too',
      mode: 'priority',
      current: 6,
      proposals: [propose('first', 2), floor(5)],
      capacity: 5,
      reason: 'ScaleIn',
      winner: 'forecast',
    },
    {
      name: 'aws mode honours it too',
      mode: 'aws',
      current: 6,
      proposals: [propose('tt', 7), floor(9)],
      capacity: 9,
      reason: 'ScaleOut',
      winner: 'forecast',
    },
  ] as const)('$name', ({ mode, current, proposals, capacity, reason, winner }) => {
    const result = arbitrate(mode, proposals, current);
    expect(result.capacity).toBe(capacity);
    expect(result.reason).toBe(reason);
    expect(result.winner?.rule ?? null).toBe(winner);
  });

  it('a floor scales out even when a metric is missing', () => {
    const invalid: Proposal = {
      rule: 'cpu',
      ruleIndex: 0,
      outcome: 'invalid',
      reason: 'MetricMissing',
      message: 'no data',
    };
    expect(arbitrate('max', [invalid, floor(8)], 3)).toMatchObject({ capacity: 8, reason: 'ScaleOut' });
    expect(arbitrate('max', [invalid, floor(2)], 3)).toMatchObject({
      capacity: null,
      reason: 'MetricsUnavailable',
    });
  });
});
