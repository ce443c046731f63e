import { describe, expect, it } from 'vitest';
import { arbitrate } from '../../src/core/arbitrate.js';
import type { Proposal } from '../../src/core/types.js';

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
