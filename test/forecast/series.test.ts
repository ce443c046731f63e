import { describe, expect, it } from 'vitest';
import { TidewayError } from '../../src/errors.js';
import { fitValues, prepareSeries, requireLength, type TimedPoint } from '../../src/forecast/series.js';

const S = 1000;
const points = (pairs: [number, number][]): TimedPoint[] =>
  pairs.map(([t, value]) => ({ timestamp: t * S, value }));

function expectCode(fn: () => unknown, code: string, message: RegExp): void {
  expect(fn).toThrow(message);
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TidewayError);
    expect((e as TidewayError).code).toBe(code);
  }
}

describe('prepareSeries: resampling', () => {
  it('keeps a regular series as it is', () => {
    const out = prepareSeries({ start: 5, step: 60 * S, values: [3, 1, 4, 1, 5] });
    expect(Array.from(out.values)).toEqual([3, 1, 4, 1, 5]);
    expect(out).toMatchObject({ start: 5, step: 60 * S, filled: [], outliers: [], resampled: false });
  });

  it.each([
    {
      // spacings 60, 60, 120, 60 → median 60; slot 3 has no point → filled by (4 + 5)/2
      name: 'a missing sample becomes a filled slot on the median grid',
      input: points([
        [0, 1],
        [60, 2],
        [120, 4],
        [240, 5],
        [300, 6],
      ]),
      values: [1, 2, 4, 4.5, 5, 6],
      filled: [3],
      step: 60 * S,
    },
    {
      // two samples at 60 s → their mean 3 in slot 1
      name: 'samples in one slot are averaged',
      input: points([
        [0, 1],
        [60, 2],
        [60, 4],
        [120, 5],
      ]),
      values: [1, 3, 5],
      filled: [],
      step: 60 * S,
    },
    {
      name: 'unsorted samples are sorted and non-finite ones dropped',
      input: points([
        [120, 3],
        [0, 1],
        [60, 2],
        [90, Number.NaN],
      ]),
      values: [1, 2, 3],
      filled: [],
      step: 60 * S,
    },
    {
      // spacings 62, 58, 60 → median 60; 62 s rounds to slot 1, 120 s to slot 2, 180 s to slot 3
      name: 'jittered timestamps snap to the nearest slot',
      input: points([
        [0, 1],
        [62, 2],
        [120, 3],
        [180, 4],
      ]),
      values: [1, 2, 3, 4],
      filled: [],
      step: 60 * S,
    },
  ])('$name', ({ input, values, filled, step }) => {
    const out = prepareSeries(input);
    expect(Array.from(out.values)).toEqual(values);
    expect(out.filled).toEqual(filled);
    expect(out.step).toBe(step);
    expect(out.resampled).toBe(true);
  });
});

describe('prepareSeries: gaps', () => {
  const N = Number.NaN;
  it.each([
    { name: 'short gap: linear', values: [1, N, N, 4], options: {}, expected: [1, 2, 3, 4] },
    {
      name: 'long gap with a period: the value one period earlier',
      values: [1, 2, 3, 4, 1, 2, 3, 4, N, N, N, N, 1, 2],
      options: { period: 4 },
      expected: [1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4, 1, 2],
    },
    {
      // 4 missing > maxLinearGap 3 but no period → linear from 4 to 9
      name: 'long gap without a period: linear',
      values: [4, N, N, N, N, 9],
      options: {},
      expected: [4, 5, 6, 7, 8, 9],
    },
    {
      name: 'gap of exactly maxLinearGap with a period stays linear',
      values: [1, 2, 3, 4, 1, N, N, N, 9],
      options: { period: 4 },
      expected: [1, 2, 3, 4, 1, 3, 5, 7, 9],
    },
    { name: 'leading gap: first known value', values: [N, N, 5, 6], options: {}, expected: [5, 5, 5, 6] },
    { name: 'trailing gap: last known value', values: [1, 2, N], options: {}, expected: [1, 2, 2] },
    {
      name: 'trailing gap with a period: the value one period earlier',
      values: [1, 2, 3, 1, 2, N],
      options: { period: 3 },
      expected: [1, 2, 3, 1, 2, 3],
    },
    {
      name: 'Infinity is a gap too',
      values: [1, Number.POSITIVE_INFINITY, 3],
      options: {},
      expected: [1, 2, 3],
    },
  ])('$name', ({ values, options, expected }) => {
    const out = prepareSeries({ start: 0, step: S, values }, options);
    expect(Array.from(out.values)).toEqual(expected);
    expect(out.filled).toEqual(values.flatMap((v, i) => (Number.isFinite(v) ? [] : [i])));
  });
});

describe('prepareSeries: outliers', () => {
  const wave = (n: number, m: number) =>
    Array.from({ length: n }, (_, t) => 50 + 10 * Math.sin((2 * Math.PI * t) / m));

  it('replaces a one-off spike by the robust local fit and reports its index', () => {
    const values = wave(48, 12);
    values[20] = 500;
    const out = prepareSeries({ start: 0, step: S, values }, { period: 12, outliers: true });
    expect(out.outliers).toEqual([20]);
    expect(out.values[20]).toBeCloseTo(50 + 10 * Math.sin((2 * Math.PI * 20) / 12), 0);
    expect(out.raw[20]).toBe(500);
  });

  it('finds a spike on the last point of a trending seasonal series', () => {
    const values = wave(60, 12).map((v, t) => v + 0.5 * t);
    const truth = values[59] as number;
    values[59] = truth + 100;
    const out = prepareSeries({ start: 0, step: S, values }, { period: 12, outliers: true });
    expect(out.outliers).toEqual([59]);
    // periodic + linear trend is fitted exactly by the same-phase correction
    expect(out.values[59]).toBeCloseTo(truth, 6);
  });

  it('keeps a sharp peak that recurs every period', () => {
    const values = wave(48, 12).map((v, t) => (t % 12 === 3 ? v + 40 : v));
    const out = prepareSeries({ start: 0, step: S, values }, { period: 12, outliers: true });
    expect(out.outliers).toEqual([]);
  });

  it('finds a spike on a flat series (MAD 0 falls back to the mean deviation)', () => {
    const values = new Array(20).fill(5);
    values[7] = 50;
    const out = prepareSeries({ start: 0, step: S, values }, { outliers: true });
    expect(out.outliers).toEqual([7]);
    expect(out.values[7]).toBe(5);
  });

  it('is off unless asked', () => {
    const values = new Array(20).fill(5);
    values[7] = 50;
    expect(prepareSeries({ start: 0, step: S, values }).outliers).toEqual([]);
  });
});

describe('prepareSeries: bad input', () => {
  it.each([
    { name: 'empty points', input: [] as TimedPoint[], message: /needs at least 2 points, got 0/ },
    { name: 'one point', input: points([[0, 1]]), message: /needs at least 2 points, got 1/ },
    {
      name: 'all NaN',
      input: points([
        [0, Number.NaN],
        [60, Number.NaN],
      ]),
      message: /got 0/,
    },
    {
      name: 'all at one time',
      input: points([
        [60, 1],
        [60, 2],
      ]),
      message: /distinct times/,
    },
    {
      name: 'all-NaN regular series',
      input: { start: 0, step: S, values: [Number.NaN, Number.NaN, Number.NaN] },
      message: /needs at least 2 points, got 0/,
    },
  ])('$name → INSUFFICIENT_DATA', ({ input, message }) => {
    expectCode(() => prepareSeries(input), 'INSUFFICIENT_DATA', message);
  });

  it.each([
    {
      name: 'zero step',
      input: { start: 0, step: 0, values: [1, 2] },
      message: /series.step: expected ms > 0, got 0/,
    },
    { name: 'NaN start', input: { start: Number.NaN, step: S, values: [1, 2] }, message: /series.start/ },
  ])('$name → FORECAST_INVALID', ({ input, message }) => {
    expectCode(() => prepareSeries(input), 'FORECAST_INVALID', message);
  });

  it('minLength and model name shape the message', () => {
    expectCode(
      () =>
        prepareSeries({ start: 0, step: S, values: [1, 2, 3] }, { minLength: 10, model: 'ets(trend none)' }),
      'INSUFFICIENT_DATA',
      /^ets\(trend none\) needs at least 10 points, got 3\.$/,
    );
  });
});

describe('requireLength and fitValues', () => {
  it('requireLength passes at the limit and throws below it', () => {
    expect(() => requireLength(5, 5, 'x')).not.toThrow();
    expectCode(
      () => requireLength(0, 1, 'naive'),
      'INSUFFICIENT_DATA',
      /^naive needs at least 1 point, got 0\.$/,
    );
  });

  it('fitValues copies, fills gaps, and never aliases the input', () => {
    const input = [1, Number.NaN, 3];
    const out = fitValues({ start: 0, step: S, values: input }, 2, 'naive');
    expect(Array.from(out)).toEqual([1, 2, 3]);
    expect(Number.isNaN(input[1])).toBe(true);
  });
});
