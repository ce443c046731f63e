import { describe, expect, it } from 'vitest';
import { TidewayError } from '../../src/errors.js';
import { decompose, fitSesAlpha, holdoutLength, MstlForecaster } from '../../src/forecast/mstl.js';

const HOUR = 3_600_000;
const series = (values: ArrayLike<number>) => ({ start: 0, step: HOUR, values: Array.from(values) });

/** Deterministic noise in [-0.5, 0.5) (an LCG; no Math.random in tests). */
function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 4_294_967_296 - 0.5;
  };
}

// A zero-mean daily shape: STL's seasonal component of a periodic series must be exactly this.
const SHAPE = Array.from(
  { length: 24 },
  (_, i) => 3 * Math.sin((2 * Math.PI * i) / 24) + Math.cos((4 * Math.PI * i) / 24),
);

describe('decompose (STL / MSTL)', () => {
  it('recovers the seasonal shape and the level of an exactly periodic series', () => {
    const y = Float64Array.from({ length: 24 * 8 }, (_, i) => 10 + (SHAPE[i % 24] as number));
    for (const robust of [false, true]) {
      const d = decompose(y, [24], { robust });
      expect(d.periods).toEqual([24]);
      for (let i = 0; i < y.length; i++) {
        expect(d.seasonals[0]?.[i]).toBeCloseTo(SHAPE[i % 24] as number, 9);
        expect(d.trend[i]).toBeCloseTo(10, 9);
        expect(d.remainder[i]).toBeCloseTo(0, 9);
      }
    }
  });

  it('adds up: seasonal + trend + remainder = series, for two periods', () => {
    const r = noise(7);
    const y = Float64Array.from(
      { length: 24 * 7 * 3 },
      (_, i) => 50 + 0.05 * i + (SHAPE[i % 24] as number) + (i % 168 < 48 ? -4 : 1) + r(),
    );
    const d = decompose(y, [168, 24], {});
    expect(d.periods).toEqual([24, 168]);
    for (let i = 0; i < y.length; i += 17) {
      const sum =
        (d.seasonals[0]?.[i] ?? 0) + (d.seasonals[1]?.[i] ?? 0) + (d.trend[i] ?? 0) + (d.remainder[i] ?? 0);
      expect(sum).toBeCloseTo(y[i] as number, 9);
    }
  });

  it('drops a period the window holds fewer than two cycles of', () => {
    const y = Float64Array.from({ length: 300 }, (_, i) => SHAPE[i % 24] as number);
    expect(decompose(y, [24, 168]).periods).toEqual([24]);
  });

  it('keeps a one-off spike out of the seasonal shape when robust', () => {
    const y = Float64Array.from({ length: 24 * 8 }, (_, i) => 10 + (SHAPE[i % 24] as number));
    y[24 * 6 + 5] = (y[24 * 6 + 5] as number) + 100; // a burst at 05:00 on day 7
    const leak = (robust: boolean) => {
      const d = decompose(y, [24], { robust });
      return Math.abs((d.seasonals[0]?.[24 * 7 + 5] ?? 0) - (SHAPE[5] as number));
    };
    expect(leak(false)).toBeGreaterThan(5);
    expect(leak(true)).toBeLessThan(0.5);
  });
});

describe('fitSesAlpha', () => {
  it.each([
    // A random walk is best followed closely; white noise around a level barely at all.
    { name: 'random walk → α near 1', walk: true, low: 0.8, high: 1 },
    { name: 'white noise → α near 0', walk: false, low: 0, high: 0.1 },
  ])('$name', ({ walk, low, high }) => {
    const r = noise(3);
    let x = 0;
    const y = Float64Array.from({ length: 2000 }, () => {
      x = walk ? x + r() : r();
      return x;
    });
    const alpha = fitSesAlpha(y);
    expect(alpha).toBeGreaterThanOrEqual(low);
    expect(alpha).toBeLessThanOrEqual(high);
  });
});

describe('holdoutLength', () => {
  it.each([
    { name: 'one cycle of the longest usable period', n: 2016, periods: [288], horizon: 12, expected: 288 },
    {
      name: 'a week dropped when it fits only once',
      n: 2016,
      periods: [288, 2016],
      horizon: 12,
      expected: 288,
    },
    { name: 'at least 288 points without a season', n: 2016, periods: [], horizon: 12, expected: 288 },
    { name: 'four horizons when longer', n: 2016, periods: [], horizon: 100, expected: 400 },
    { name: 'a week at 30-minute steps', n: 2016, periods: [48, 336], horizon: 12, expected: 336 },
    { name: 'at most a third of the window', n: 90, periods: [40], horizon: 12, expected: 30 },
  ])('$name', ({ n, periods, horizon, expected }) => {
    expect(holdoutLength(n, periods, horizon)).toBe(expected);
  });
});

describe('MstlForecaster', () => {
  const periodic = Array.from({ length: 24 * 10 }, (_, i) => 10 + (SHAPE[i % 24] as number));

  it('continues an exactly periodic series, with zero-width intervals', () => {
    const model = new MstlForecaster({ periods: [24] }).fit(series(periodic));
    const f = model.forecast(30);
    for (let h = 0; h < 30; h++) {
      expect(f.mean[h]).toBeCloseTo(10 + (SHAPE[(240 + h) % 24] as number), 6);
      for (const iv of f.intervals) {
        expect((iv.upper[h] as number) - (iv.lower[h] as number)).toBeCloseTo(0, 6);
      }
    }
    expect(f.start).toBe(240 * HOUR);
    expect(model.periods).toEqual([24]);
  });

  it('detects the period when none is given', () => {
    const r = noise(11);
    const values = Array.from({ length: 24 * 14 }, (_, i) => 10 + (SHAPE[i % 24] as number) + 0.3 * r());
    expect(new MstlForecaster().fit(series(values)).periods).toEqual([24]);
  });

  it('update() moves the level by α·error and advances the seasonal phase', () => {
    const r = noise(5);
    const values = Array.from({ length: 24 * 10 }, (_, i) => 10 + (SHAPE[i % 24] as number) + r());
    const model = new MstlForecaster({ periods: [24] }).fit(series(values));
    const before = model.forecast(2).mean;
    model.update((before[0] as number) + 4); // 4 above the forecast
    const after = model.forecast(1).mean;
    // The new one-step forecast is the old two-step one plus α·4 (the shape is kept).
    expect(after[0]).toBeCloseTo((before[1] as number) + model.alpha * 4, 9);
  });

  it('round-trips through JSON: the loaded model forecasts and updates identically', () => {
    const r = noise(9);
    const values = Array.from({ length: 24 * 10 }, (_, i) => 10 + (SHAPE[i % 24] as number) + r());
    const model = new MstlForecaster({ periods: [24] }).fit(series(values));
    model.update(12);
    const loaded = MstlForecaster.load(JSON.parse(JSON.stringify(model.toJSON())));
    expect(loaded.forecast(30)).toEqual(model.forecast(30));
    model.update(7);
    loaded.update(7);
    expect(loaded.forecast(5, { levels: [50, 99] })).toEqual(model.forecast(5, { levels: [50, 99] }));
    expect(loaded.toJSON()).toEqual(model.toJSON());
  });

  it('scores forecasts against the window’s seasonal-naive scale', () => {
    const r = noise(2);
    const values = Array.from({ length: 24 * 10 }, (_, i) => 10 + (SHAPE[i % 24] as number) + r());
    const model = new MstlForecaster({ periods: [24] }).fit(series(values));
    const f = model.forecast(3);
    const s = model.score(f, Array.from(f.mean));
    expect(s.mase).toBe(0);
    expect(s.coverage).toEqual({ '80': 1, '95': 1 });
  });

  it.each([
    { name: 'forecast before fit', act: (m: MstlForecaster) => m.forecast(1), code: 'FORECAST_INVALID' },
    { name: 'update before fit', act: (m: MstlForecaster) => m.update(1), code: 'FORECAST_INVALID' },
    { name: 'too few points', act: (m: MstlForecaster) => m.fit(series([1, 2])), code: 'INSUFFICIENT_DATA' },
    {
      name: 'a non-integer horizon',
      act: (m: MstlForecaster) => m.fit(series(periodic)).forecast(1.5),
      code: 'FORECAST_INVALID',
    },
  ])('throws on $name', ({ act, code }) => {
    const m = new MstlForecaster({ periods: [24] });
    expect(() => act(m)).toThrow(TidewayError);
    try {
      act(m);
    } catch (e) {
      expect((e as TidewayError).code).toBe(code);
    }
  });

  it('rejects bad options and bad saved state', () => {
    expect(() => new MstlForecaster({ periods: [1] })).toThrow(/periods/);
    expect(() => MstlForecaster.load({ kind: 'ets', version: 1, state: {} })).toThrow(/expected kind "mstl"/);
  });
});
