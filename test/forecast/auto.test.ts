import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, TidewayError } from '../../src/errors.js';
import { AutoForecaster, autoForecaster } from '../../src/forecast/auto.js';
import { FourierForecaster } from '../../src/forecast/fourier.js';
import { loadForecaster } from '../../src/forecast/load.js';
import { maseScale } from '../../src/forecast/metrics.js';
import { MstlForecaster } from '../../src/forecast/mstl.js';
import { SeasonalNaiveForecaster } from '../../src/forecast/seasonal-naive.js';

const HOUR = 3_600_000;

function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 4_294_967_296 - 0.5;
  };
}

const r = noise(99);
// Three weeks of an hourly load with a daily shape, quieter weekends and noise.
const load = Array.from(
  { length: 24 * 21 },
  (_, t) => 100 + 30 * Math.sin((2 * Math.PI * t) / 24) - (Math.floor(t / 24) % 7 >= 5 ? 25 : 0) + 8 * r(),
);
const series = { start: 0, step: HOUR, values: load };

describe('autoForecaster', () => {
  it('reports which model won, every candidate’s backtest score, and why', () => {
    const model = autoForecaster({ period: 24 }).fit(series);
    const s = model.selection;
    expect(s?.periods).toEqual([24, 168]); // the week is detected as a multiple of the given day
    expect(s?.holdout).toBe(168);
    expect(s?.scores.map((c) => c.model)).toEqual(['mstl', 'combination']);
    const best = Math.min(...(s?.scores ?? []).map((c) => c.mae));
    expect(s?.scores.find((c) => c.model === s.chosen)?.mae).toBe(best);
    expect(s?.reason).toMatch(new RegExp(`^${s?.chosen} had the lowest backtest error`));
    expect(model.confidence).toBeGreaterThan(0);
    expect(model.confidence).toBeLessThanOrEqual(1);
  });

  it('is deterministic: the same input gives byte-identical state', () => {
    const a = JSON.stringify(autoForecaster({ period: 24 }).fit(series).toJSON());
    const b = JSON.stringify(autoForecaster({ period: 24 }).fit(series).toJSON());
    expect(a).toBe(b);
  });

  it('beats the seasonal naive when the level wanders (yesterday’s level is stale)', () => {
    const w = noise(4);
    let level = 100;
    const wandering = Array.from({ length: 24 * 14 }, (_, t) => {
      level += 3 * w();
      return level + 20 * Math.sin((2 * Math.PI * t) / 24) + 2 * w();
    });
    let autoMase = 0;
    let snaiveMase = 0;
    for (const o of [24 * 10, 24 * 11, 24 * 12, 24 * 13]) {
      const train = { start: 0, step: HOUR, values: wandering.slice(0, o) };
      const actual = wandering.slice(o, o + 12);
      const auto = autoForecaster({ period: 24 }).fit(train);
      const snaive = new SeasonalNaiveForecaster({ period: 24 }).fit(train);
      autoMase += auto.score(auto.forecast(12), actual).mase;
      snaiveMase += snaive.score(snaive.forecast(12), actual).mase;
    }
    expect(autoMase).toBeLessThan(0.8 * snaiveMase);
  });

  it('round-trips through JSON, then updates identically', () => {
    const model = autoForecaster({ period: 24, candidates: ['combination'] }).fit(series);
    expect(model.selection?.chosen).toBe('combination');
    const loaded = AutoForecaster.load(JSON.parse(JSON.stringify(model.toJSON())));
    expect(loaded.forecast(24)).toEqual(model.forecast(24));
    expect(loaded.selection).toEqual(model.selection);
    for (const v of [120, 90, 101]) {
      model.update(v);
      loaded.update(v);
    }
    expect(loaded.forecast(6)).toEqual(model.forecast(6));
  });

  it.each([
    { name: 'auto', make: () => autoForecaster({ period: 24 }), type: AutoForecaster },
    { name: 'mstl', make: () => new MstlForecaster({ periods: [24] }), type: MstlForecaster },
    { name: 'fourier', make: () => new FourierForecaster({ periods: [24] }), type: FourierForecaster },
  ])('loadForecaster rebuilds a saved $name model', ({ make, type }) => {
    const model = make().fit(series);
    const loaded = loadForecaster(JSON.parse(JSON.stringify(model.toJSON())));
    expect(loaded).toBeInstanceOf(type);
    expect(loaded.forecast(12)).toEqual(model.forecast(12));
  });

  it.each([
    { name: 'seasonal naive alone', candidates: ['seasonal-naive'] as const },
    { name: 'naive alone', candidates: ['naive'] as const },
    { name: 'fourier alone', candidates: ['fourier'] as const },
  ])('runs with $name as the only candidate', ({ candidates }) => {
    const model = autoForecaster({ period: 24, candidates: [...candidates] }).fit(series);
    expect(model.selection?.chosen).toBe(candidates[0]);
    const f = model.forecast(12);
    expect(f.mean).toHaveLength(12);
    for (const iv of f.intervals)
      for (let h = 0; h < 12; h++) expect(iv.lower[h]).toBeLessThanOrEqual(iv.upper[h] as number);
  });

  it('works without a season (short window): MSTL reduces to exponential smoothing', () => {
    const model = autoForecaster({ period: 24 }).fit({ ...series, values: load.slice(0, 40) });
    expect(model.selection?.periods).toEqual([]);
    expect(model.selection?.chosen).toBe('mstl');
  });

  it.each([
    { name: 'forecast before fit', act: () => autoForecaster().forecast(3), code: 'FORECAST_INVALID' },
    {
      name: 'a bad candidate',
      act: () => autoForecaster({ candidates: ['arima' as never] }),
      code: 'ARGUMENT_INVALID',
    },
    {
      name: 'loading another kind',
      act: () => AutoForecaster.load({ kind: 'mstl', version: 1, state: {} }),
      code: 'FORECAST_INVALID',
    },
  ])('throws on $name', ({ act, code }) => {
    let caught: unknown;
    try {
      act();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(TidewayError);
    expect((caught as TidewayError).code).toBe(code);
    if (code === 'ARGUMENT_INVALID') expect(caught).toBeInstanceOf(ConfigError);
  });
});

describe('autoForecaster on a recorded trace (NYC taxi, NAB)', () => {
  // examples/data/nab_nyc_taxi.csv: 30-minute steps, daily (48) and weekly (336) seasons.
  const values = readFileSync(new URL('../../examples/data/nab_nyc_taxi.csv', import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => Number(line.split(',')[1]));

  it('beats the seasonal naive over a few origins, with calibrated-looking 80 % intervals', () => {
    let autoErr = 0;
    let snaiveErr = 0;
    let inside = 0;
    const origins = [4000, 6000, 8000];
    for (const o of origins) {
      const window = { start: 0, step: 1_800_000, values: values.slice(o - 2016, o) };
      const actual = values.slice(o, o + 12);
      const scale = maseScale(window.values, 48);
      const f = autoForecaster({ period: 48 }).fit(window).forecast(12);
      const s = new SeasonalNaiveForecaster({ period: 48 }).fit(window).forecast(12);
      for (let h = 0; h < 12; h++) {
        const y = actual[h] as number;
        autoErr += Math.abs(y - (f.mean[h] as number)) / scale;
        snaiveErr += Math.abs(y - (s.mean[h] as number)) / scale;
        if (y >= (f.intervals[0]?.lower[h] as number) && y <= (f.intervals[0]?.upper[h] as number)) inside++;
      }
    }
    expect(autoErr).toBeLessThan(0.8 * snaiveErr);
    expect(inside / 36).toBeGreaterThan(0.5);
  });
});
