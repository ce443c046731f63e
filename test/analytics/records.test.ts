/**
 * The shared reading of event records: validation messages (path, expected, got), ordering,
 * the decision join, and the nearest-rank statistics.
 */
import { describe, expect, it } from 'vitest';
import { checkDuration, checkRange, latencyStats, readEvents } from '../../src/analytics/records.js';
import { expectRangeError, History, s } from './history.js';

describe('latencyStats', () => {
  it.each([
    { name: 'no values: all zero', values: [], want: { count: 0, mean: 0, p50: 0, p95: 0, max: 0 } },
    {
      name: 'one value is every statistic',
      values: [700],
      want: { count: 1, mean: 700, p50: 700, p95: 700, max: 700 },
    },
    // n = 2: p50 rank ⌈0.5·2⌉ = 1 → 1000; p95 rank ⌈1.9⌉ = 2 → 2000; mean 1500.
    {
      name: 'two values, unsorted',
      values: [2000, 1000],
      want: { count: 2, mean: 1500, p50: 1000, p95: 2000, max: 2000 },
    },
    // n = 20 (1..20 s): p50 rank 10 → 10 s; p95 rank ⌈19⌉ = 19 → 19 s; mean 10.5 s.
    {
      name: 'twenty values: nearest rank, not interpolated',
      values: Array.from({ length: 20 }, (_, i) => s(20 - i)),
      want: { count: 20, mean: 10_500, p50: 10_000, p95: 19_000, max: 20_000 },
    },
    // n = 21: p95 rank ⌈19.95⌉ = 20 → 20 s.
    {
      name: 'twenty-one values: p95 is the 20th',
      values: Array.from({ length: 21 }, (_, i) => s(i + 1)),
      want: { count: 21, mean: 11_000, p50: 11_000, p95: 20_000, max: 21_000 },
    },
  ])('$name', ({ values, want }) => {
    expect(latencyStats(values)).toEqual(want);
  });
});

describe('readEvents', () => {
  it('reads records in any order, oldest first by (at, seq), skipping other kinds', () => {
    const h = new History()
      .other('group-registered', 0)
      .action(s(10), 1, 2, 4, s(1))
      .other('metrics-unavailable', s(20))
      .action(s(30), 2, 4, 3, s(2));
    const newestFirst = readEvents(h.records);
    const oldestFirst = readEvents(h.oldestFirst);
    expect(newestFirst).toEqual(oldestFirst);
    expect(newestFirst.applied.map((a) => [a.at, a.direction, a.decision?.at])).toEqual([
      [s(11), 'out', s(10)],
      [s(32), 'in', s(30)],
    ]);
    expect(newestFirst.decisions.map((d) => d.id)).toEqual(['web#1', 'web#2']);
    expect(newestFirst.groupIds).toEqual(['web']);
  });

  it('joins each attempt to the latest decision with its id before it (ids restart on re-registration)', () => {
    // Group removed and registered again: web#1 exists twice; each scaled record must get its own.
    const h = new History()
      .action(s(10), 1, 1, 2, s(1))
      .other('group-removed', s(20))
      .other('group-registered', s(30))
      .action(s(40), 1, 1, 3, s(5));
    const { applied } = readEvents(h.records);
    expect(applied.map((a) => a.at - (a.decision?.at ?? Number.NaN))).toEqual([s(1), s(5)]);
  });

  it('leaves the decision null when it is not in the events (aged out)', () => {
    const h = new History().scaled(s(5), 2, 4, 7);
    expect(readEvents(h.records).applied[0]?.decision).toBeNull();
  });

  it('does not join a decision made after the attempt', () => {
    const h = new History().scaled(s(5), 2, 4, 1).decision(s(6), 1, { current: 2, desired: 4 });
    expect(readEvents(h.records).applied[0]?.decision).toBeNull();
  });

  it('ignores scaled records that moved nothing', () => {
    const h = new History().scaled(s(5), 3, 3, 1);
    expect(readEvents(h.records).applied).toEqual([]);
  });

  const good = new History().action(s(1), 1, 2, 4).records;
  const scaled = good[0] as (typeof good)[number];
  const decision = good[1] as (typeof good)[number];
  it.each([
    {
      name: 'not an array',
      events: { length: 1 },
      message: 'events: expected an array of event records, got {"length":1}',
    },
    {
      name: 'a record that is not an object',
      events: [42],
      message: 'events[0]: expected an event record, got 42',
    },
    {
      name: 'a kind that is not a string',
      events: [{ ...scaled, kind: 7 }],
      message: 'events[0].kind: expected an event name, got 7',
    },
    {
      name: 'a non-finite time',
      events: [{ ...scaled, at: Number.NaN }],
      message: 'events[0].at: expected a finite number of ms since the epoch (within ±8.64e15), got NaN',
    },
    {
      name: 'a missing seq',
      events: [{ ...scaled, seq: undefined }],
      message: 'events[0].seq: expected a finite number, got nothing',
    },
    {
      name: 'a scaled record without a group',
      events: [{ ...scaled, groupId: null }],
      message: 'events[0].groupId: expected a group id, got null',
    },
    {
      name: 'a negative capacity',
      events: [decision, { ...scaled, data: { ...scaled.data, to: -1 } }],
      message: 'events[1].data.to: expected a whole number ≥ 0, got -1',
    },
    {
      name: 'a missing decision id',
      events: [{ ...scaled, data: { from: 1, to: 2, reason: 'ScaleOut' } }],
      message: 'events[0].data.decisionId: expected a string, got nothing',
    },
    {
      name: 'a decision record without its decision',
      events: [{ ...decision, data: {} }],
      message: 'events[0].data.decision: expected a Decision, got nothing',
    },
    {
      name: 'a decision with an unknown direction',
      events: [
        { ...decision, data: { decision: { ...(decision.data.decision as object), direction: 'up' } } },
      ],
      message: 'events[0].data.decision.direction: expected "out", "in" or "none", got "up"',
    },
  ])('rejects $name', ({ events, message }) => {
    expectRangeError(() => readEvents(events), message);
  });
});

describe('checkRange and checkDuration', () => {
  it.each([
    {
      name: 'not an object',
      range: 5,
      message: 'range: expected a range { from, to } of ms since the epoch, got 5',
    },
    {
      name: 'to before from',
      range: { from: 10, to: 5 },
      message: 'range.to: expected a time after range.from (10), got 5',
    },
    {
      name: 'an empty range',
      range: { from: 10, to: 10 },
      message: 'range.to: expected a time after range.from (10), got 10',
    },
    {
      name: 'a string time',
      range: { from: '2026-01-01', to: 5 },
      message:
        'range.from: expected a finite number of ms since the epoch (within ±8.64e15), got "2026-01-01"',
    },
  ])('checkRange rejects $name', ({ range, message }) => {
    expectRangeError(() => checkRange(range, 'range'), message);
  });

  it.each([
    { name: 'a string duration', input: '5m', want: 300_000 },
    { name: 'a number of ms', input: 1500, want: 1500 },
  ])('checkDuration reads $name', ({ input, want }) => {
    expect(checkDuration(input, 'window')).toBe(want);
  });

  it.each([
    { name: 'zero', input: 0 },
    { name: 'a word', input: 'soon' },
    { name: 'a negative number', input: -5 },
  ])('checkDuration rejects $name', ({ input }) => {
    expectRangeError(() => checkDuration(input, 'window'), /^window: expected a duration longer than 0/);
  });
});
