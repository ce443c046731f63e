/**
 * seededRandom is public API (`tideway/testing`): mulberry32, the same sequence everywhere.
 */
import { seededRandom } from 'tideway/testing';
import { describe, expect, it } from 'vitest';

const take = (seed: number, n: number): number[] => {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => random.next());
};

describe('seededRandom', () => {
  it.each([
    // computed with an independent mulberry32 (Python, uint32 arithmetic)
    { seed: 0, expected: [0.26642920868471265, 0.0003297457005828619, 0.2232720274478197] },
    { seed: 42, expected: [0.6011037519201636, 0.44829055899754167, 0.8524657934904099] },
    { seed: -1, expected: [0.8964226141106337, 0.189478256739676, 0.7156526781618595] },
  ])('seed $seed gives the mulberry32 sequence', ({ seed, expected }) => {
    expect(take(seed, 3)).toEqual(expected);
  });

  it('the same seed gives the same sequence; different seeds differ', () => {
    expect(take(123, 1000)).toEqual(take(123, 1000));
    expect(take(123, 10)).not.toEqual(take(124, 10));
    // seeds are taken as 32-bit unsigned integers
    expect(take(2 ** 32 + 5, 5)).toEqual(take(5, 5));
  });

  it('two generators with one seed are independent', () => {
    const a = seededRandom(9);
    const b = seededRandom(9);
    a.next();
    a.next();
    expect(b.next()).toBe(take(9, 1)[0]);
  });

  it('stays in [0, 1) and spreads evenly', () => {
    const values = take(2026, 20_000);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    const buckets = new Array<number>(10).fill(0);
    for (const v of values) buckets[Math.floor(v * 10)] = (buckets[Math.floor(v * 10)] ?? 0) + 1;
    // 2000 expected per bucket; ±10 % is > 7 standard deviations (σ ≈ 42)
    for (const count of buckets) expect(Math.abs(count - 2000)).toBeLessThan(200);
  });

  it.each([1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects the non-integer seed %s', (seed) => {
    expect(() => seededRandom(seed)).toThrow(RangeError);
  });
});
