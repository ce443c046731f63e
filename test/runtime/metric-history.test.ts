/**
 * MetricHistory: samples in chunks of 128 (timestamp, value) pairs, pruned by retention.
 */
import { describe, expect, it } from 'vitest';
import { MetricHistory } from '../../src/runtime/metric-history.js';

const CHUNK = 128;

/** Samples at 1, 2, …, n (ms), each valued ten times its timestamp. */
function filled(n: number, retention = 1e9): MetricHistory {
  const history = new MetricHistory(retention);
  for (let t = 1; t <= n; t++) history.push(t, t * 10);
  return history;
}

const range = (from: number, to: number): [number, number][] => {
  const out: [number, number][] = [];
  for (let t = from; t <= to; t++) out.push([t, t * 10]);
  return out;
};

describe('MetricHistory', () => {
  it('starts empty', () => {
    const history = new MetricHistory(60_000);
    expect(history.length).toBe(0);
    expect(history.lastTimestamp).toBe(Number.NEGATIVE_INFINITY);
    expect(history.toArray()).toEqual([]);
  });

  it.each([1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 2 * CHUNK + 1, 5 * CHUNK + 7])(
    'holds %i samples in order across chunk boundaries',
    (n) => {
      const history = filled(n);
      expect(history.length).toBe(n);
      expect(history.lastTimestamp).toBe(n);
      expect(history.toArray()).toEqual(range(1, n));
    },
  );

  it('ignores samples that are not newer than the newest held', () => {
    const history = filled(CHUNK);
    history.push(CHUNK, -1); // equal
    history.push(5, -1); // older
    history.push(Number.NaN, -1);
    expect(history.length).toBe(CHUNK);
    history.push(CHUNK + 1, 7);
    expect(history.toArray().slice(-2)).toEqual([
      [CHUNK, CHUNK * 10],
      [CHUNK + 1, 7],
    ]);
  });

  it.each([
    { name: 'inside the first chunk', n: 300, now: 1050, expectedFirst: 51 },
    { name: 'exactly at the end of the first chunk', n: 300, now: 1000 + CHUNK, expectedFirst: CHUNK + 1 },
    { name: 'across two chunks', n: 300, now: 1000 + CHUNK * 2 + 3, expectedFirst: CHUNK * 2 + 4 },
    { name: 'inside the only chunk', n: 50, now: 1020, expectedFirst: 21 },
  ])('prune drops samples at or before now − retention: $name', ({ n, now, expectedFirst }) => {
    // retention 1000: cutoff = now − 1000, samples ≤ cutoff go
    const history = filled(n, 1000);
    history.prune(now);
    expect(history.length).toBe(n - expectedFirst + 1);
    expect(history.toArray()).toEqual(range(expectedFirst, n));
  });

  it('prunes everything, then accepts newer samples', () => {
    const history = filled(2 * CHUNK + 5, 10);
    history.prune(10_000);
    expect(history.length).toBe(0);
    expect(history.toArray()).toEqual([]);
    history.push(20_000, 1);
    history.push(20_001, 2);
    expect(history.toArray()).toEqual([
      [20_000, 1],
      [20_001, 2],
    ]);
    expect(history.length).toBe(2);
  });

  it('keeps counting correctly when pushes and prunes interleave over many chunks', () => {
    const history = new MetricHistory(100);
    for (let t = 1; t <= 2000; t++) {
      history.push(t, t);
      if (t % 37 === 0) history.prune(t);
    }
    history.prune(2000);
    // retention 100 at 2000: 1901 … 2000
    expect(history.length).toBe(100);
    expect(history.toArray()[0]).toEqual([1901, 1901]);
  });

  it('forEach and toArray select from (inclusive) to (exclusive)', () => {
    const history = filled(3 * CHUNK);
    expect(history.toArray(CHUNK - 1, CHUNK + 2)).toEqual(range(CHUNK - 1, CHUNK + 1));
    const seen: number[] = [];
    history.forEach(
      (t) => {
        seen.push(t);
      },
      10,
      13,
    );
    expect(seen).toEqual([10, 11, 12]);
  });

  it('a changed retention applies from the next prune', () => {
    const history = filled(100, 1000);
    history.retention = 10;
    history.prune(100);
    expect(history.toArray()).toEqual(range(91, 100));
  });
});
