import { describe, expect, it } from 'vitest';
import { candidatePeriods, detectPeriods } from '../../src/forecast/period.js';

const HOUR = 3_600_000;

function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 4_294_967_296 - 0.5;
  };
}

describe('candidatePeriods', () => {
  it.each([
    // 5-minute steps: hour = 12, day = 288, week = 2016 (needs 4032 points to fit twice).
    { name: '5 min, two weeks', step: 300_000, n: 4032, expected: [12, 288, 2016] },
    { name: '5 min, one week', step: 300_000, n: 2016, expected: [12, 288] },
    { name: '30 min, six weeks', step: 1_800_000, n: 2016, expected: [2, 48, 336] },
    { name: 'hourly: an hour is one step, not a season', step: HOUR, n: 400, expected: [24, 168] },
    // 7 min: an hour is 8.57 steps and a day 205.7, but a week is exactly 1440.
    {
      name: '7-minute steps: only the week is a whole number of steps',
      step: 420_000,
      n: 10_000,
      expected: [1440],
    },
  ])('$name', ({ step, n, expected }) => {
    expect(candidatePeriods(step, n).map((c) => c.period)).toEqual(expected);
  });
});

describe('detectPeriods', () => {
  const r = noise(42);
  const days = 21;
  const daily = Array.from(
    { length: 24 * days },
    (_, t) => 100 + 20 * Math.sin((2 * Math.PI * t) / 24) + 5 * r(),
  );
  const weekly = daily.map((v, t) => v + (Math.floor(t / 24) % 7 >= 5 ? -30 : 0));
  const white = Array.from({ length: 24 * days }, () => r());
  let walk = 0;
  const randomWalk = Array.from({ length: 24 * days }, () => (walk += r()));

  it.each([
    { name: 'finds 24 on an hourly series with a daily shape', values: daily, expected: [24] },
    { name: 'finds 24 and 168 when weekends differ', values: weekly, expected: [24, 168] },
    { name: 'finds nothing in white noise', values: white, expected: [] },
    { name: 'finds nothing in a random walk', values: randomWalk, expected: [] },
  ])('$name', ({ values, expected }) => {
    expect(detectPeriods(values, HOUR).periods).toEqual(expected);
  });

  it('reports the evidence for every candidate', () => {
    const result = detectPeriods(daily, HOUR);
    const day = result.candidates.find((c) => c.name === 'day');
    expect(day?.accepted).toBe(true);
    expect(day?.acf).toBeGreaterThan(0.5);
    // Half a day apart the shape is mirrored: the comparison lag is strongly negative.
    expect(day?.baseline).toBeLessThan(-0.5);
    expect(result.candidates.find((c) => c.name === 'week')?.accepted).toBe(false);
  });
});
