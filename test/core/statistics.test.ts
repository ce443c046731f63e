import { describe, expect, it } from 'vitest';
import { aggregate, formatNumber, STATISTICS, type Statistic, toMilli } from '../../src/core/statistics.js';
import type { MetricSample } from '../../src/ports/metrics.js';

const samples = (...pairs: [number, number][]): MetricSample[] =>
  pairs.map(([timestamp, value]) => ({ timestamp, value }));

// Oldest first, as observations hold them: values 2, 4, 9 at t = 1, 2, 3.
const SERIES = samples([1, 2], [2, 4], [3, 9]);

describe('aggregate', () => {
  it('knows exactly the five statistics', () => {
    expect([...STATISTICS].sort()).toEqual(['average', 'last', 'max', 'min', 'sum']);
  });

  it.each<{ name: string; statistic: Statistic; since: number; expected: number }>([
    { name: 'average of all: (2 + 4 + 9) / 3 = 5', statistic: 'average', since: 0, expected: 5 },
    { name: 'sum of all: 2 + 4 + 9 = 15', statistic: 'sum', since: 0, expected: 15 },
    { name: 'min of all = 2', statistic: 'min', since: 0, expected: 2 },
    { name: 'max of all = 9', statistic: 'max', since: 0, expected: 9 },
    { name: 'last = the newest (t = 3) = 9', statistic: 'last', since: 0, expected: 9 },
    // since = 1 excludes the sample AT t = 1: the window is strictly newer than `since`.
    {
      name: 'average after t = 1 (strict): (4 + 9) / 2 = 6.5',
      statistic: 'average',
      since: 1,
      expected: 6.5,
    },
    { name: 'sum after t = 1 (strict): 4 + 9 = 13', statistic: 'sum', since: 1, expected: 13 },
    { name: 'min after t = 1 (strict): 4, not 2', statistic: 'min', since: 1, expected: 4 },
    { name: 'max after t = 2 (strict): only 9', statistic: 'max', since: 2, expected: 9 },
    { name: 'last after t = 2 (strict): 9', statistic: 'last', since: 2, expected: 9 },
    // since just below a timestamp includes it.
    { name: 'min after t = 0.999 includes t = 1: 2', statistic: 'min', since: 0.999, expected: 2 },
  ])('$name', ({ statistic, since, expected }) => {
    expect(aggregate(SERIES, statistic, since)).toBe(expected);
  });

  it.each<{ name: string; statistic: Statistic; expected: number }>([
    { name: 'max of all-negative values is the largest negative (-1)', statistic: 'max', expected: -1 },
    { name: 'min of all-negative values (-7)', statistic: 'min', expected: -7 },
    { name: 'sum of negatives: -7 + -1 + -3 = -11', statistic: 'sum', expected: -11 },
    { name: 'last is by position, not by size (-3)', statistic: 'last', expected: -3 },
  ])('$name', ({ statistic, expected }) => {
    expect(aggregate(samples([1, -7], [2, -1], [3, -3]), statistic, 0)).toBe(expected);
  });

  it.each(STATISTICS.map((statistic) => ({ name: statistic, statistic })))(
    '$name of a single sample is that sample',
    ({ statistic }) => {
      expect(aggregate(samples([10, 0.25]), statistic, 0)).toBe(0.25);
    },
  );

  it.each(STATISTICS.map((statistic) => ({ name: statistic, statistic })))(
    '$name is undefined when no sample is strictly newer than since',
    ({ statistic }) => {
      expect(aggregate([], statistic, 0)).toBeUndefined();
      // The newest sample is AT since (t = 3), so nothing is inside the window.
      expect(aggregate(SERIES, statistic, 3)).toBeUndefined();
    },
  );

  it('a zero value is a value, not "no data": sum of [0] = 0', () => {
    expect(aggregate(samples([5, 0]), 'sum', 0)).toBe(0);
  });
});

describe('toMilli', () => {
  it.each([
    { name: '0 → 0', value: 0, expected: 0 },
    { name: '1 → 1000', value: 1, expected: 1000 },
    { name: '1.1 → 1100', value: 1.1, expected: 1100 },
    { name: '0.1 → 100', value: 0.1, expected: 100 },
    { name: '0.07 → 70', value: 0.07, expected: 70 },
    // MilliValue reads the decimal exactly; float noise must not push it to the next milli-unit.
    {
      name: '2.007 → 2007 (2.007 × 1000 is 2007.0000000000002; ceil would give 2008)',
      value: 2.007,
      expected: 2007,
    },
    { name: '1.001 → 1001 (1.001 × 1000 is 1000.9999999999999)', value: 1.001, expected: 1001 },
    { name: '123.456 → 123456', value: 123.456, expected: 123_456 },
    { name: '2.675 → 2675', value: 2.675, expected: 2675 },
    { name: '8.6 → 8600', value: 8.6, expected: 8600 },
    // A fraction of a milli-unit rounds UP, as Quantity.MilliValue does.
    { name: '0.0015 → 1.5 milli → rounds up to 2', value: 0.0015, expected: 2 },
    { name: '0.0001 → 0.1 milli → rounds up to 1', value: 0.0001, expected: 1 },
    { name: '1.0001 → 1000.1 milli → rounds up to 1001', value: 1.0001, expected: 1001 },
    { name: '1e12 → 1e15 (large values stay exact)', value: 1e12, expected: 1e15 },
  ])('$name', ({ value, expected }) => {
    expect(toMilli(value)).toBe(expected);
  });
});

describe('formatNumber', () => {
  it.each([
    { name: 'an integer has no decimals', value: 12, expected: '12' },
    { name: 'zero', value: 0, expected: '0' },
    { name: 'at most four decimals, rounded: 0.81239 → 0.8124', value: 0.81239, expected: '0.8124' },
    { name: 'at most four decimals, rounded: 0.8123456 → 0.8123', value: 0.8123456, expected: '0.8123' },
    { name: 'trailing zeros dropped: 1.5', value: 1.5, expected: '1.5' },
    { name: 'leading zeros of the fraction kept: 0.05', value: 0.05, expected: '0.05' },
    { name: 'leading zeros of the fraction kept: 3.0007', value: 3.0007, expected: '3.0007' },
    { name: 'the smallest shown fraction: 0.0001', value: 0.0001, expected: '0.0001' },
    { name: 'below half of 0.0001 rounds to 0', value: 0.00004, expected: '0' },
    { name: 'rounding carries into the whole part: 0.99999 → 1', value: 0.99999, expected: '1' },
    { name: 'rounding carries: 9.99996 → 10', value: 9.99996, expected: '10' },
    { name: 'negative: -1.25', value: -1.25, expected: '-1.25' },
    { name: 'a negative that rounds to 0 has no sign', value: -0.00004, expected: '0' },
    { name: '100.1 keeps its one decimal', value: 100.1, expected: '100.1' },
    { name: 'NaN', value: Number.NaN, expected: 'NaN' },
    { name: 'Infinity', value: Number.POSITIVE_INFINITY, expected: 'Infinity' },
    { name: '-Infinity', value: Number.NEGATIVE_INFINITY, expected: '-Infinity' },
    {
      name: 'too large for exact integer arithmetic falls back to String()',
      value: 1e20,
      expected: '100000000000000000000',
    },
  ])('$name', ({ value, expected }) => {
    expect(formatNumber(value)).toBe(expected);
  });
});
