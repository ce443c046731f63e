/**
 * scalingLatency: decision → scaled latency per direction, failed and unmatched attempts.
 */
import { describe, expect, it } from 'vitest';
import { scalingLatency } from '../../src/analytics/latency.js';
import { expectRangeError, History, s } from './history.js';

const ZERO = { count: 0, mean: 0, p50: 0, p95: 0, max: 0, failed: 0, unmatched: 0 };

describe('scalingLatency', () => {
  it.each([
    { name: 'no events', history: new History(), out: ZERO, in: ZERO },
    {
      // out latencies 1 s, 3 s, 2 s → sorted [1, 2, 3] s: mean 2 s, p50 rank 2 → 2 s, p95 rank 3 → 3 s.
      // in: one of 4 s.
      name: 'three scale-outs and a scale-in',
      history: new History()
        .action(s(0), 1, 2, 4, s(1))
        .action(s(60), 2, 4, 8, s(3))
        .action(s(120), 3, 8, 9, s(2))
        .action(s(600), 4, 9, 5, s(4)),
      out: { ...ZERO, count: 3, mean: 2000, p50: 2000, p95: 3000, max: 3000 },
      in: { ...ZERO, count: 1, mean: 4000, p50: 4000, p95: 4000, max: 4000 },
    },
    {
      // The failed attempt (decision #1) is counted, not measured; the retry (#2) measures 2 s
      // from its own decision, not from the first one.
      name: 'a failed attempt and its retry',
      history: new History()
        .decision(s(0), 1, { current: 2, desired: 4 })
        .failed(s(1), 2, 4, 1)
        .action(s(15), 2, 2, 4, s(2)),
      out: { ...ZERO, count: 1, mean: 2000, p50: 2000, p95: 2000, max: 2000, failed: 1 },
      in: ZERO,
    },
    {
      name: 'a failed scale-in counts under scale-in',
      history: new History().decision(s(0), 1, { current: 4, desired: 2 }).failed(s(1), 4, 2, 1),
      out: ZERO,
      in: { ...ZERO, failed: 1 },
    },
    {
      // #9's decision aged out of the history: counted as unmatched, not as 0 ms or NaN.
      name: 'a scaled record whose decision is missing',
      history: new History().scaled(s(5), 2, 3, 9).action(s(30), 10, 3, 5, s(1)),
      out: { ...ZERO, count: 1, mean: 1000, p50: 1000, p95: 1000, max: 1000, unmatched: 1 },
      in: ZERO,
    },
    {
      // A manual change decided and applied in the same instant measures 0 ms.
      name: 'same-instant apply',
      history: new History().action(s(5), 1, 2, 1, 0),
      out: ZERO,
      in: { ...ZERO, count: 1 },
    },
  ])('$name', ({ history, out, in: scaleIn }) => {
    expect(scalingLatency(history.records)).toEqual({ scaleOut: out, scaleIn: scaleIn });
  });

  it('filters by group', () => {
    const h = new History().action(s(0), 1, 2, 4, s(1), 'web').action(s(0), 1, 2, 4, s(5), 'api');
    expect(scalingLatency(h.records, { groupId: 'api' }).scaleOut).toMatchObject({ count: 1, max: 5000 });
    expect(scalingLatency(h.records).scaleOut).toMatchObject({ count: 2, mean: 3000 });
  });

  it('counts attempts in the range, measuring from decisions made before it', () => {
    // Decision at 50 s, applied at 62 s: inside [60 s, 120 s) although its decision is not.
    // The action at 10 s and the one applied at 120 s (to is exclusive) are outside.
    const h = new History()
      .action(s(10), 1, 1, 2, s(1))
      .action(s(50), 2, 2, 3, s(12))
      .action(s(119), 3, 3, 4, s(1));
    const report = scalingLatency(h.records, { range: { from: s(60), to: s(120) } });
    expect(report.scaleOut).toMatchObject({ count: 1, mean: 12_000 });
  });

  it.each([
    {
      name: 'an empty group id',
      options: { groupId: '' },
      message: 'options.groupId: expected a non-empty group id, got ""',
    },
    {
      name: 'a reversed range',
      options: { range: { from: 5, to: 1 } },
      message: 'options.range.to: expected a time after options.range.from (5), got 1',
    },
    {
      name: 'options that are not an object',
      options: 'web',
      message: 'options: expected an object of options, got "web"',
    },
  ])('rejects $name', ({ options, message }) => {
    expectRangeError(() => scalingLatency([], options as never), message);
  });
});
