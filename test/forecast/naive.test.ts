import { describe, expect, it } from 'vitest';
import { TidewayError } from '../../src/errors.js';
import { normalQuantile } from '../../src/forecast/interval.js';
import { NaiveForecaster } from '../../src/forecast/naive.js';
import { SeasonalNaiveForecaster } from '../../src/forecast/seasonal-naive.js';

const MIN = 60_000;
const series = (values: number[]) => ({ start: 0, step: MIN, values });

describe('normalQuantile', () => {
  it.each([
    { name: 'median', p: 0.5, z: 0 },
    { name: '97.5 %', p: 0.975, z: 1.959963984540054 },
    { name: '90 %', p: 0.9, z: 1.2815515655446004 },
    { name: 'lower tail 0.1 %', p: 0.001, z: -3.090232306167813 },
  ])('$name', ({ p, z }) => {
    expect(normalQuantile(p)).toBeCloseTo(z, 8);
  });
});

describe('NaiveForecaster', () => {
  // y = 3, 5, 4 → residuals 2, -1 → σ² = (4 + 1)/2 = 2.5
  const model = () => new NaiveForecaster().fit(series([3, 5, 4]));

  it('repeats the last value with σ·√h intervals', () => {
    const f = model().forecast(4, { levels: [95] });
    expect(Array.from(f.mean)).toEqual([4, 4, 4, 4]);
    expect(f.start).toBe(3 * MIN);
    expect(f.step).toBe(MIN);
    const z = 1.959963984540054;
    const upper = f.intervals[0]?.upper ?? [];
    for (let h = 1; h <= 4; h++) expect(upper[h - 1]).toBeCloseTo(4 + z * Math.sqrt(2.5 * h), 7);
  });

  it('update moves the last value and the residual variance in O(1)', () => {
    const m = model();
    m.update(8); // residual 4 → σ² = (4 + 1 + 16)/3 = 7
    const f = m.forecast(1, { levels: [80] });
    expect(f.mean[0]).toBe(8);
    expect(f.start).toBe(4 * MIN);
    expect(f.intervals[0]?.upper[0]).toBeCloseTo(8 + 1.2815515655446004 * Math.sqrt(7), 7);
  });

  it('update of a non-finite value is a gap: keeps the forecast and σ', () => {
    const m = model();
    m.update(Number.NaN);
    const f = m.forecast(1, { levels: [80] });
    expect(f.mean[0]).toBe(4);
    expect(f.start).toBe(4 * MIN);
    expect(f.intervals[0]?.upper[0]).toBeCloseTo(4 + 1.2815515655446004 * Math.sqrt(2.5), 7);
  });

  it('round-trips through JSON with identical forecasts', () => {
    const m = model();
    m.update(6);
    const copy = NaiveForecaster.load(JSON.parse(JSON.stringify(m.toJSON())));
    expect(copy.forecast(5)).toEqual(m.forecast(5));
  });

  it.each([
    { name: 'empty', values: [] as number[], message: /needs at least 2 points, got 0/ },
    { name: 'one point', values: [1], message: /needs at least 2 points, got 1/ },
    { name: 'all NaN', values: [Number.NaN, Number.NaN], message: /needs at least 2 points, got 0/ },
  ])('rejects a series that is $name with INSUFFICIENT_DATA', ({ values, message }) => {
    const run = () => new NaiveForecaster().fit(series(values));
    expect(run).toThrow(TidewayError);
    expect(run).toThrow(message);
    try {
      run();
    } catch (e) {
      expect((e as TidewayError).code).toBe('INSUFFICIENT_DATA');
    }
  });

  it('fills a NaN gap by linear interpolation before fitting', () => {
    // 1, NaN, 3 → 1, 2, 3 → residuals 1, 1 → σ = 1
    const f = new NaiveForecaster().fit(series([1, Number.NaN, 3])).forecast(1, { levels: [80] });
    expect(f.mean[0]).toBe(3);
    expect(f.intervals[0]?.upper[0]).toBeCloseTo(3 + 1.2815515655446004, 7);
  });

  it('constant series: zero-width intervals', () => {
    const f = new NaiveForecaster().fit(series([5, 5, 5])).forecast(2);
    expect(Array.from(f.intervals[1]?.lower ?? [])).toEqual([5, 5]);
  });

  it('forecast before fit is FORECAST_INVALID', () => {
    expect(() => new NaiveForecaster().forecast(1)).toThrow(/before fit/);
  });

  it.each([
    { name: 'zero horizon', h: 0 },
    { name: 'fractional horizon', h: 1.5 },
  ])('rejects a $name', ({ h }) => {
    expect(() => model().forecast(h)).toThrow(/expected a positive integer/);
  });

  it('rejects a level outside (0, 100)', () => {
    expect(() => model().forecast(1, { levels: [100] })).toThrow(/expected each level in \(0, 100\)/);
  });
});

describe('SeasonalNaiveForecaster', () => {
  // period 3: y = 1 2 3 | 2 3 5 → residuals 1, 1, 2 → σ² = 6/3 = 2
  const model = () => new SeasonalNaiveForecaster({ period: 3 }).fit(series([1, 2, 3, 2, 3, 5]));

  it('repeats the last season with σ·√(⌊(h−1)/m⌋+1) intervals', () => {
    const f = model().forecast(7, { levels: [95] });
    expect(Array.from(f.mean)).toEqual([2, 3, 5, 2, 3, 5, 2]);
    const z = 1.959963984540054;
    const k = [1, 1, 1, 2, 2, 2, 3];
    k.forEach((steps, i) => {
      expect(f.intervals[0]?.upper[i]).toBeCloseTo((f.mean[i] as number) + z * Math.sqrt(2 * steps), 7);
    });
  });

  it('update rotates the season', () => {
    const m = model();
    m.update(4); // replaces the phase of value 2: residual 2 → σ² = (6 + 4)/4 = 2.5
    expect(Array.from(m.forecast(3).mean)).toEqual([3, 5, 4]);
    expect(m.sigma).toBeCloseTo(Math.sqrt(2.5), 12);
  });

  it('round-trips through JSON with identical forecasts after updates', () => {
    const m = model();
    m.update(7);
    m.update(1);
    const copy = SeasonalNaiveForecaster.load(JSON.parse(JSON.stringify(m.toJSON())));
    expect(copy.forecast(6)).toEqual(m.forecast(6));
    copy.update(9);
    m.update(9);
    expect(copy.forecast(6)).toEqual(m.forecast(6));
  });

  it('fit on x[0..n−1] then update(x[n]) equals a fit on x[0..n]', () => {
    const x = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3];
    const updated = new SeasonalNaiveForecaster({ period: 3 }).fit(series(x.slice(0, 9)));
    updated.update(x[9] as number);
    const refit = new SeasonalNaiveForecaster({ period: 3 }).fit(series(x));
    expect(updated.forecast(7)).toEqual(refit.forecast(7));
  });

  it('needs period + 1 points', () => {
    expect(() => new SeasonalNaiveForecaster({ period: 3 }).fit(series([1, 2, 3]))).toThrow(
      /seasonal-naive\(period 3\) needs at least 4 points, got 3/,
    );
  });

  it('rejects a bad period with ARGUMENT_INVALID', () => {
    expect(() => new SeasonalNaiveForecaster({ period: 0 })).toThrow(/period/);
  });

  it('load rejects another kind', () => {
    const json = new NaiveForecaster().fit(series([1, 2])).toJSON();
    expect(() =>
      SeasonalNaiveForecaster.load({ ...json, state: { ...(json.state as object), period: 1 } }),
    ).toThrow(/expected kind "seasonal-naive" version 1, got kind "naive"/);
  });

  it('score uses the seasonal MASE scale of the training window', () => {
    // in-sample lag-3 MAE = (1 + 1 + 2)/3 = 4/3; forecast [2,3,5] vs [3,3,5] → MAE 1/3 → MASE 0.25
    const m = model();
    const score = m.score(m.forecast(3), [3, 3, 5]);
    expect(score.mase).toBeCloseTo(0.25, 12);
  });
});
