import { describe, expect, it } from 'vitest';
import { TidewayError } from '../../src/errors.js';
import { EtsForecaster } from '../../src/forecast/ets.js';
import { loadForecaster } from '../../src/forecast/load.js';
import { NaiveForecaster } from '../../src/forecast/naive.js';
import { SeasonalNaiveForecaster } from '../../src/forecast/seasonal-naive.js';
import type { Forecaster, ForecasterJSON } from '../../src/forecast/types.js';

const values = Array.from(
  { length: 48 },
  (_, t) => 20 + 5 * Math.sin((2 * Math.PI * t) / 12) + (t % 5) * 0.3,
);
const series = { start: 1_700_000_000_000, step: 300_000, values };

describe('loadForecaster', () => {
  it.each<{ name: string; make: () => Forecaster }>([
    { name: 'naive', make: () => new NaiveForecaster() },
    { name: 'seasonal-naive', make: () => new SeasonalNaiveForecaster({ period: 12 }) },
    { name: 'ets simple', make: () => new EtsForecaster() },
    {
      name: 'ets damped additive season',
      make: () => new EtsForecaster({ trend: 'damped', season: 'additive', period: 12 }),
    },
    {
      name: 'ets multiplicative season',
      make: () => new EtsForecaster({ season: 'multiplicative', period: 12 }),
    },
    { name: 'ets auto', make: () => new EtsForecaster({ auto: true, period: 12 }) },
  ])('$name: JSON round-trip rebuilds the same kind with identical forecasts', ({ make }) => {
    const model = make().fit(series);
    model.update(21);
    const copy = loadForecaster(JSON.parse(JSON.stringify(model.toJSON())));
    expect(copy.kind).toBe(model.kind);
    expect(copy.forecast(24, { levels: [50, 99] })).toEqual(model.forecast(24, { levels: [50, 99] }));
    expect(copy.toJSON()).toEqual(model.toJSON());
  });

  it.each<{ name: string; json: unknown; message: RegExp }>([
    {
      name: 'unknown kind',
      json: { kind: 'prophet', version: 1, state: {} },
      message:
        /kind: expected one of "naive", "seasonal-naive", "ets", "mstl", "fourier", "auto", got "prophet"/,
    },
    {
      name: 'not an envelope',
      json: 42,
      message: /expected \{ kind: string, version: number, state \}, got 42/,
    },
    { name: 'null', json: null, message: /got null/ },
    {
      name: 'unsupported version',
      json: { kind: 'naive', version: 9, state: {} },
      message: /version 1, got .* 9/,
    },
    {
      name: 'bad state',
      json: { kind: 'ets', version: 1, state: { config: 'x' } },
      message: /ets state/,
    },
  ])('$name → FORECAST_INVALID', ({ json, message }) => {
    const run = () => loadForecaster(json as ForecasterJSON);
    expect(run).toThrow(message);
    try {
      run();
    } catch (e) {
      expect(e).toBeInstanceOf(TidewayError);
      expect((e as TidewayError).code).toBe('FORECAST_INVALID');
    }
  });
});

describe('loadForecaster: malformed saved state of every kind is FORECAST_INVALID', () => {
  it.each(['naive', 'seasonal-naive', 'ets', 'mstl', 'fourier', 'auto'])('%s', (kind) => {
    let error: unknown;
    try {
      loadForecaster({ kind, version: 1, state: { nonsense: true } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TidewayError);
    expect((error as TidewayError).code).toBe('FORECAST_INVALID');
  });
});
