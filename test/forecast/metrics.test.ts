import { describe, expect, it } from 'vitest';
import { coverage, mase, maseScale, msis, scoreForecast, smape } from '../../src/forecast/metrics.js';

// Expected values are worked by hand in the name/comment of each row.
describe('maseScale', () => {
  it.each([
    // |2-1|, |4-2|, |7-4| → mean 2
    { name: 'm = 1', insample: [1, 2, 4, 7], m: 1, expected: 2 },
    // lag 2: |3-1|, |6-2|, |5-3|, |10-6| → mean 3
    { name: 'm = 2 seasonal differences', insample: [1, 2, 3, 6, 5, 10], m: 2, expected: 3 },
    // window 3 < 2·2 → falls back to m = 1: |5-1|, |2-5| → 3.5
    { name: 'window shorter than 2m falls back to m = 1', insample: [1, 5, 2], m: 2, expected: 3.5 },
    // lag 2 differences all 0 → m = 1: |2-1|,|1-2|,|2-1| → 1
    { name: 'zero seasonal scale falls back to m = 1', insample: [1, 2, 1, 2], m: 2, expected: 1 },
    { name: 'constant history', insample: [4, 4, 4], m: 1, expected: 0 },
  ])('$name', ({ insample, m, expected }) => {
    expect(maseScale(insample, m)).toBeCloseTo(expected, 12);
  });
});

describe('mase', () => {
  it.each([
    // errors 1, 2 → MAE 1.5; scale 2 → 0.75
    {
      name: 'scaled by naive MAE',
      actual: [5, 6],
      forecast: [4, 4],
      insample: [1, 2, 4, 7],
      m: 1,
      expected: 0.75,
    },
    {
      name: 'perfect forecast on constant history',
      actual: [4],
      forecast: [4],
      insample: [4, 4],
      m: 1,
      expected: 0,
    },
    {
      name: 'error on constant history is infinite',
      actual: [5],
      forecast: [4],
      insample: [4, 4],
      m: 1,
      expected: Number.POSITIVE_INFINITY,
    },
    // NaN actual skipped: only |5-4| = 1 → 1 / 2
    {
      name: 'non-finite actual skipped',
      actual: [5, Number.NaN],
      forecast: [4, 0],
      insample: [1, 2, 4, 7],
      m: 1,
      expected: 0.5,
    },
  ])('$name', ({ actual, forecast, insample, m, expected }) => {
    expect(mase(actual, forecast, insample, m)).toBeCloseTo(expected, 12);
  });
});

describe('smape', () => {
  it.each([
    // 2·10/210 = 0.0952381; second step both 0 → 0; mean 0.047619 → 4.7619 %
    { name: 'both zero counts 0', actual: [100, 0], forecast: [110, 0], expected: 100 * (20 / 210 / 2) },
    { name: 'one side zero is 200 %', actual: [0], forecast: [5], expected: 200 },
    { name: 'perfect', actual: [3, 4], forecast: [3, 4], expected: 0 },
  ])('$name', ({ actual, forecast, expected }) => {
    expect(smape(actual, forecast)).toBeCloseTo(expected, 12);
  });
});

describe('coverage and msis', () => {
  it('coverage counts bounds as inside', () => {
    // 1 ∈ [0,4], 5 ∈ [0,6], 9 ∉ [0,8] → 2/3; a value equal to a bound is inside
    expect(coverage([1, 5, 9], [0, 0, 0], [4, 6, 8])).toBeCloseTo(2 / 3, 12);
    expect(coverage([4], [4], [4])).toBe(1);
  });

  it('msis adds 2/α times the miss (M4 definition)', () => {
    // α = 0.2: widths 2 + 2, miss (4-2)·10 = 20 → (2 + 2 + 20)/2 = 12; scale |1-0|,|2-1| → 1
    expect(msis([1, 4], [0, 0], [2, 2], 80, [0, 1, 2], 1)).toBeCloseTo(12, 12);
    // below the lower bound: (1 - (-1))... a = -1, l = 0: width 2 + 10·1 = 12 → 12 / 1
    expect(msis([-1], [0], [2], 80, [0, 1, 2], 1)).toBeCloseTo(12, 12);
  });

  it('scoreForecast reports coverage by level', () => {
    const forecast = {
      start: 0,
      step: 1,
      mean: Float64Array.of(4, 4),
      intervals: [{ level: 80, lower: Float64Array.of(3, 3), upper: Float64Array.of(5, 5) }],
    };
    const score = scoreForecast(forecast, [5, 6], 2);
    // errors 1, 2 → 1.5 / 2
    expect(score.mase).toBeCloseTo(0.75, 12);
    expect(score.coverage).toEqual({ '80': 0.5 });
    expect(score.smape).toBeCloseTo(100 * ((2 / 9 + 4 / 10) / 2), 12);
  });
});
