import { describe, expect, it } from 'vitest';
import { ConfigError, TidewayError } from '../../src/errors.js';
import { EtsForecaster, type EtsOptions } from '../../src/forecast/ets.js';
import { mase } from '../../src/forecast/metrics.js';

const MIN = 60_000;
const series = (values: ArrayLike<number>) => ({ start: 0, step: MIN, values: Array.from(values) });
const Z80 = 1.2815515655446004;

/** A deterministic pseudo-random sequence in [-0.5, 0.5) (LCG), so tests need no injected Random. */
function noise(n: number, seed = 7): Float64Array {
  let state = seed;
  return Float64Array.from({ length: n }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  });
}

function seasonalSeries(n: number, m: number, { trend = 0.05, amplitude = 10, level = 50, jitter = 1 } = {}) {
  const e = noise(n);
  return Float64Array.from(
    { length: n },
    (_, t) => level + trend * t + amplitude * Math.sin((2 * Math.PI * t) / m) + jitter * (e[t] as number),
  );
}

function expectCode(fn: () => unknown, code: string, message: RegExp): void {
  expect(fn).toThrow(message);
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TidewayError);
    expect((e as TidewayError).code).toBe(code);
  }
}

describe('EtsForecaster with fixed parameters (worked by hand)', () => {
  it('simple exponential smoothing, α = 0.5, ℓ₀ = 10', () => {
    // y = 12 11 13 12 14; e = y − ℓ: 2, 0, 2, 0, 2; ℓ: 11, 11, 12, 12, 13.
    // SSE = 12, k = 2 (α, ℓ₀) → σ² = 12 / 3 = 4; v(h) = σ²(1 + (h−1)α²) = 4, 5, 6.
    const model = new EtsForecaster({ parameters: { alpha: 0.5, level: 10 } }).fit(
      series([12, 11, 13, 12, 14]),
    );
    const f = model.forecast(3, { levels: [80] });
    expect(Array.from(f.mean)).toEqual([13, 13, 13]);
    expect(model.sigma).toBeCloseTo(2, 12);
    const upper = f.intervals[0]?.upper ?? [];
    for (const [i, v] of [4, 5, 6].entries()) expect(upper[i]).toBeCloseTo(13 + Z80 * Math.sqrt(v), 7);
    expect(f.start).toBe(5 * MIN);
  });

  it('Holt, α = 0.5, β = 0.25, ℓ₀ = 10, b₀ = 1', () => {
    // t: μ → e → ℓ, b
    // 0: 11 → 0 → 11, 1          1: 12 → 1 → 12.5, 1.25
    // 2: 13.75 → 0.25 → 13.875, 1.3125       3: 15.1875 → 0.8125 → 15.59375, 1.515625
    // 4: 17.109375 → −0.109375 → 17.0546875, 1.48828125
    // 5: 18.54296875 → 0.45703125 → 18.771484375, 1.6025390625
    // forecast ℓ + h·b: 20.3740234375, 21.9765625, 23.5791015625
    // SSE = 0 + 1 + 0.0625 + 0.66015625 + 0.011962890625 + 0.2088775634765625 = 1.9434967041015625
    // k = 4 → σ² = SSE / 2; c₁ = α + β = 0.75, c₂ = α + 2β = 1 → v = σ²·(1, 1.5625, 2.5625)
    const model = new EtsForecaster({
      trend: 'additive',
      parameters: { alpha: 0.5, beta: 0.25, level: 10, trend: 1 },
    }).fit(series([11, 13, 14, 16, 17, 19]));
    const f = model.forecast(3, { levels: [80] });
    expect(Array.from(f.mean)).toEqual([20.3740234375, 21.9765625, 23.5791015625]);
    const sigma2 = 1.9434967041015625 / 2;
    const upper = f.intervals[0]?.upper ?? [];
    [1, 1.5625, 2.5625].forEach((v, i) => {
      expect(upper[i]).toBeCloseTo((f.mean[i] as number) + Z80 * Math.sqrt(sigma2 * v), 7);
    });
  });

  it('damped trend, ϕ = 0.5, on a series the model predicts exactly', () => {
    // ℓ₀ = 10, b₀ = 2: each y equals μ = ℓ + ϕb so e = 0, ℓ ← ℓ + ϕb, b ← ϕb:
    // y = 11, 11.5, 11.75, 11.875, 11.9375, 11.96875, 11.984375; then ℓ = 11.984375, b = 0.015625.
    // forecast ℓ + (ϕ + … + ϕ^h)b = 11.9921875, 11.99609375, 11.998046875; σ = 0 → zero-width
    // intervals. (7 points: k = 5 for α, β, ϕ, ℓ₀, b₀, and k + 2 are needed.)
    const model = new EtsForecaster({
      trend: 'damped',
      parameters: { alpha: 0.5, beta: 0.25, phi: 0.5, level: 10, trend: 2 },
    }).fit(series([11, 11.5, 11.75, 11.875, 11.9375, 11.96875, 11.984375]));
    const f = model.forecast(3);
    expect(Array.from(f.mean)).toEqual([11.9921875, 11.99609375, 11.998046875]);
    expect(Array.from(f.intervals[1]?.upper ?? [])).toEqual(Array.from(f.mean));
  });

  it('Holt–Winters additive, period 2', () => {
    // ℓ₀ = 10, s = [1, −1], α = 0.5, γ = 0.25. y = 11 9 13 9 12 9.25.
    // t0, t1: e = 0. t2: μ = 11, e = 2 → ℓ = 11, s₀ = 1.5. t3: μ = 10, e = −1 → ℓ = 10.5, s₁ = −1.25.
    // t4: μ = 12, e = 0. t5: μ = 9.25, e = 0. Forecast 12, 9.25, 12.
    // SSE = 5, k = 2 + 2 (α, ℓ₀, γ, one free seasonal state) → σ² = 5 / 2 = 2.5.
    // c₁ = α = 0.5; c₂ = α + γ = 0.75 → v = 2.5·(1, 1.25, 1.8125).
    const model = new EtsForecaster({
      season: 'additive',
      period: 2,
      parameters: { alpha: 0.5, gamma: 0.25, level: 10, season: [1, -1] },
    }).fit(series([11, 9, 13, 9, 12, 9.25]));
    const f = model.forecast(3, { levels: [80] });
    expect(Array.from(f.mean)).toEqual([12, 9.25, 12]);
    const upper = f.intervals[0]?.upper ?? [];
    [1, 1.25, 1.8125].forEach((v, i) => {
      expect(upper[i]).toBeCloseTo((f.mean[i] as number) + Z80 * Math.sqrt(2.5 * v), 7);
    });
  });

  it('Holt–Winters multiplicative, period 2', () => {
    // ℓ₀ = 10, s = [2, 0.5], α = 0.5, γ = 0.2. y = 20 5 20 5 24 5.
    // t0–t3: e = 0. t4: μ = 20, e = 4 → ℓ = 10 + 0.5·4/2 = 11, s₀ = 2 + 0.2·4/10 = 2.08.
    // t5: μ = 11·0.5 = 5.5, e = −0.5 → ℓ = 11 + 0.5·(−0.5)/0.5 = 10.5, s₁ = 0.5 − 0.2·0.5/11.
    // Forecast: 10.5·2.08 = 21.84; 10.5·(0.5 − 0.1/11) = 5.25 − 1.05/11.
    const model = new EtsForecaster({
      season: 'multiplicative',
      period: 2,
      parameters: { alpha: 0.5, gamma: 0.2, level: 10, season: [2, 0.5] },
    }).fit(series([20, 5, 20, 5, 24, 5]));
    const f = model.forecast(3);
    expect(f.mean[0]).toBeCloseTo(21.84, 12);
    expect(f.mean[1]).toBeCloseTo(5.25 - 1.05 / 11, 12);
    expect(f.mean[2]).toBeCloseTo(21.84, 12);
  });
});

const CONFIGS: { name: string; options: EtsOptions }[] = [
  { name: 'simple', options: {} },
  { name: 'holt', options: { trend: 'additive' } },
  { name: 'damped', options: { trend: 'damped' } },
  { name: 'hw additive', options: { season: 'additive', period: 12 } },
  { name: 'hw additive damped', options: { trend: 'damped', season: 'additive', period: 12 } },
  { name: 'hw multiplicative', options: { trend: 'additive', season: 'multiplicative', period: 12 } },
  { name: 'hw additive long season', options: { season: 'additive', period: 24 } },
  { name: 'auto', options: { auto: true, period: 12 } },
];

describe('EtsForecaster fitted by optimisation', () => {
  const data = seasonalSeries(121, 12);

  it.each(CONFIGS)(
    '$name: update() then forecast equals a refit with fixed parameters within 1e-9',
    ({ options }) => {
      const head = series(data.subarray(0, 120));
      const model = new EtsForecaster(options).fit(head);
      model.update(data[120] as number);
      const { trend, season, period } = model.config;
      const refit = new EtsForecaster({
        trend,
        season,
        ...(season === 'none' ? {} : { period }),
        parameters: model.parameters,
      }).fit(series(data));
      const a = model.forecast(30);
      const b = refit.forecast(30);
      expect(a.start).toBe(b.start);
      for (let i = 0; i < 30; i++) {
        expect(Math.abs((a.mean[i] as number) - (b.mean[i] as number))).toBeLessThan(1e-9);
        for (const k of [0, 1]) {
          expect(
            Math.abs((a.intervals[k]?.upper[i] as number) - (b.intervals[k]?.upper[i] as number)),
          ).toBeLessThan(1e-9);
        }
      }
    },
  );

  it.each(CONFIGS)(
    '$name: toJSON/load round-trip gives identical forecasts, also after update',
    ({ options }) => {
      const model = new EtsForecaster(options).fit(series(data));
      const copy = EtsForecaster.load(JSON.parse(JSON.stringify(model.toJSON())));
      expect(copy.forecast(25)).toEqual(model.forecast(25));
      model.update(60);
      copy.update(60);
      expect(copy.forecast(25)).toEqual(model.forecast(25));
    },
  );

  it.each(CONFIGS)('$name: same input gives the same parameters (deterministic)', ({ options }) => {
    const a = new EtsForecaster(options).fit(series(data));
    const b = new EtsForecaster(options).fit(series(data));
    expect(a.parameters).toEqual(b.parameters);
  });

  it('optimised SES has no larger SSE than any α on a grid with the same ℓ₀', () => {
    const y = Float64Array.from(
      { length: 60 },
      (_, t) => 20 + 3 * Math.sin(t / 5) + 2 * (noise(60, 3)[t] as number),
    );
    const fitted = new EtsForecaster().fit(series(y));
    const sse = (m: EtsForecaster) => m.sigma ** 2 * (60 - 2);
    for (const alpha of [0.05, 0.2, 0.4, 0.6, 0.8, 0.95]) {
      const fixed = new EtsForecaster({ parameters: { alpha, level: fitted.parameters.level } }).fit(
        series(y),
      );
      expect(sse(fitted)).toBeLessThanOrEqual(sse(fixed) * (1 + 1e-6));
    }
  });

  it('Holt–Winters recovers a clean seasonal pattern', () => {
    const clean = seasonalSeries(96 + 12, 12, { jitter: 0 });
    const model = new EtsForecaster({ trend: 'additive', season: 'additive', period: 12 }).fit(
      series(clean.subarray(0, 96)),
    );
    const f = model.forecast(12);
    for (let i = 0; i < 12; i++) expect(f.mean[i]).toBeCloseTo(clean[96 + i] as number, 1);
  });

  it('auto picks a seasonal model for seasonal data and a non-seasonal one for a noisy trend', () => {
    expect(new EtsForecaster({ auto: true, period: 12 }).fit(series(data)).config.season).not.toBe('none');
    const e = noise(80, 11);
    const trend = Float64Array.from({ length: 80 }, (_, t) => 5 + 0.5 * t + 0.3 * (e[t] as number));
    const model = new EtsForecaster({ auto: true, period: 12 }).fit(series(trend));
    expect(model.config.trend).not.toBe('none');
    expect(Number.isFinite(model.aicc)).toBe(true);
  });

  it('score scales by the seasonal-naive MAE of the training window', () => {
    const model = new EtsForecaster({ season: 'additive', period: 12 }).fit(series(data.subarray(0, 108)));
    const f = model.forecast(13);
    const actual = data.subarray(108);
    const score = model.score(f, actual);
    expect(score.mase).toBeCloseTo(mase(actual, f.mean, data.subarray(0, 108), 12), 12);
    expect(Object.keys(score.coverage)).toEqual(['80', '95']);
  });

  it('auto skips multiplicative seasonality when a value is ≤ 0', () => {
    const shifted = Float64Array.from(data, (v) => v - 55);
    const model = new EtsForecaster({ auto: true, period: 12 }).fit(series(shifted));
    expect(model.config.season).not.toBe('multiplicative');
  });
});

describe('EtsForecaster on bad input', () => {
  it.each([
    { name: 'empty', values: [] as number[], message: /ets\(trend none\) needs at least 4 points, got 0/ },
    { name: 'one point', values: [3], message: /needs at least 4 points, got 1/ },
    { name: 'all NaN', values: [Number.NaN, Number.NaN, Number.NaN, Number.NaN], message: /got 0/ },
  ])('$name → INSUFFICIENT_DATA', ({ values, message }) => {
    expectCode(() => new EtsForecaster().fit(series(values)), 'INSUFFICIENT_DATA', message);
  });

  it('a seasonal model needs two periods', () => {
    expectCode(
      () => new EtsForecaster({ season: 'additive', period: 12 }).fit(series(seasonalSeries(20, 12))),
      'INSUFFICIENT_DATA',
      /ets\(trend none, season additive, period 12\) needs at least 24 points, got 20/,
    );
  });

  it('auto on too few points for a season falls back to non-seasonal candidates', () => {
    const model = new EtsForecaster({ auto: true, period: 12 }).fit(series(seasonalSeries(20, 12)));
    expect(model.config.season).toBe('none');
  });

  it('multiplicative seasonality on values ≤ 0 → FORECAST_INVALID', () => {
    const values = Float64Array.from(seasonalSeries(48, 12), (v, t) => (t === 30 ? -1 : v));
    expectCode(
      () => new EtsForecaster({ season: 'multiplicative', period: 12 }).fit(series(values)),
      'FORECAST_INVALID',
      /multiplicative seasonality needs every value > 0, got -1 at index 30/,
    );
  });

  it('a constant series fits with zero-width intervals', () => {
    const model = new EtsForecaster({ auto: true, period: 4 }).fit(series(new Array(24).fill(7)));
    const f = model.forecast(5);
    for (let i = 0; i < 5; i++) {
      expect(f.mean[i]).toBeCloseTo(7, 9);
      expect((f.intervals[1]?.upper[i] as number) - (f.intervals[1]?.lower[i] as number)).toBeCloseTo(0, 9);
    }
  });

  it('NaN inside the series is filled before fitting; NaN in update is a gap', () => {
    const values = Array.from(seasonalSeries(48, 12));
    values[10] = Number.NaN;
    const model = new EtsForecaster({ season: 'additive', period: 12 }).fit(series(values));
    const before = model.forecast(2);
    model.update(Number.NaN);
    const after = model.forecast(1);
    expect(after.mean[0]).toBeCloseTo(before.mean[1] as number, 9);
    expect(after.start).toBe(before.start + MIN);
  });

  it('rejects a season without a period and fixed parameters with auto (ConfigError)', () => {
    expect(() => new EtsForecaster({ season: 'additive' })).toThrow(ConfigError);
    expect(() => new EtsForecaster({ season: 'additive' })).toThrow(/period: expected a period/);
    expect(() => new EtsForecaster({ auto: true, parameters: { alpha: 0.5, level: 1 } })).toThrow(
      ConfigError,
    );
  });

  it('fixed seasonal parameters of the wrong length → FORECAST_INVALID', () => {
    expectCode(
      () =>
        new EtsForecaster({
          season: 'additive',
          period: 4,
          parameters: { alpha: 0.5, level: 1, season: [0, 0] },
        }).fit(series(seasonalSeries(12, 4))),
      'FORECAST_INVALID',
      /parameters.season: expected 4 values, got 2/,
    );
  });

  it('fixed parameters of components the model lacks are ignored', () => {
    // trend 'none': β = 0.4 and b₀ = 5 must not create a trend, so this is the SES of the first test.
    const model = new EtsForecaster({
      parameters: { alpha: 0.5, beta: 0.4, level: 10, trend: 5, phi: 0.9 },
    }).fit(series([12, 11, 13, 12, 14]));
    expect(Array.from(model.forecast(3).mean)).toEqual([13, 13, 13]);
    expect(model.parameters).toMatchObject({ beta: 0, trend: 0, phi: 1, gamma: 0, season: [] });
  });

  it('forecast before fit → FORECAST_INVALID', () => {
    expectCode(() => new EtsForecaster().forecast(1), 'FORECAST_INVALID', /before fit/);
  });

  it('load rejects an unknown version', () => {
    const json = new EtsForecaster().fit(series([1, 2, 3, 4, 5])).toJSON();
    expectCode(
      () => EtsForecaster.load({ ...json, version: 2 }),
      'FORECAST_INVALID',
      /expected kind "ets" version 1/,
    );
  });
});
