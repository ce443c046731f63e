/**
 * Seasonal-naive forecaster: every step ahead repeats the value one period earlier.
 *
 * Public API:
 * - `seasonalNaiveOptionsSchema` / `SeasonalNaiveOptions` — `{ period }` (steps, integer ≥ 1).
 * - `SeasonalNaiveForecaster` (`kind: 'seasonal-naive'`) — `fit`, `forecast`, `update` (O(1)),
 *   `score`, `toJSON`; `SeasonalNaiveForecaster.load(json)` rebuilds it.
 * - `LagForecaster` — the shared core of the naive models (lag-`m` random walk), also behind
 *   {@link NaiveForecaster}.
 *
 * Intervals (Hyndman & Athanasopoulos, FPP3 §5.5, table of benchmark methods): the h-step
 * standard deviation is `σ·√(⌊(h−1)/m⌋ + 1)`, `σ² = Σe²/count` over the in-sample one-step
 * residuals `e[t] = y[t] − y[t−m]`; with `m = 1` this is the naive `σ·√h`.
 */
import { z } from 'zod';
import { TidewayError } from '../errors.js';
import { buildForecast, checkHorizon } from './interval.js';
import { maseScale, scoreForecast } from './metrics.js';
import { fitValues, parseOptions, parseState, requireFitted, requireSavedKind } from './series.js';
import type {
  Forecast,
  Forecaster,
  ForecasterJSON,
  ForecastOptions,
  ForecastScore,
  Series,
} from './types.js';

/**
 * Saved state of a lag forecaster (naive or seasonal naive), version 1.
 *
 * @example
 * { last: 180000, step: 60000, period: 1, recent: [4], sse: 5, count: 2, scale: 1.5 }
 */
export interface LagState {
  /** Time of the last point seen, ms. */
  readonly last: number;
  /** Grid spacing, ms. */
  readonly step: number;
  /** Lag in steps (1 for naive). */
  readonly period: number;
  /** The last `period` values, oldest first. */
  readonly recent: readonly number[];
  /** Sum of squared one-step residuals. */
  readonly sse: number;
  /** Number of residuals in `sse`. */
  readonly count: number;
  /** MASE scale of the training window. */
  readonly scale: number;
}

/**
 * Lag-`m` random walk: `ŷ[t+h] = y[t+h−m·(⌊(h−1)/m⌋+1)]`. Shared by the naive (`m = 1`) and
 * seasonal-naive forecasters; use those.
 *
 * @example
 * new SeasonalNaiveForecaster({ period: 24 }).fit(series).forecast(48);
 */
export abstract class LagForecaster implements Forecaster {
  abstract readonly kind: string;
  /** Lag in steps. */
  readonly period: number;
  #recent: Float64Array;
  #head = 0;
  #last = 0;
  #step = 1;
  #sse = 0;
  #count = 0;
  #scale = 0;
  #fitted = false;

  /** @param period lag in steps (integer ≥ 1) */
  protected constructor(period: number) {
    this.period = period;
    this.#recent = new Float64Array(period);
  }

  /** Human name used in error messages. */
  protected get label(): string {
    return this.kind;
  }

  /** Fit on a regular series of at least `period + 1` points. @returns this */
  fit(series: Series): this {
    const m = this.period;
    const values = fitValues(series, m + 1, this.label);
    const n = values.length;
    let sse = 0;
    for (let t = m; t < n; t++) {
      const e = (values[t] as number) - (values[t - m] as number);
      sse += e * e;
    }
    this.#recent = values.slice(n - m);
    this.#head = 0;
    this.#sse = sse;
    this.#count = n - m;
    this.#scale = maseScale(values, m);
    this.#step = series.step;
    this.#last = series.start + (n - 1) * series.step;
    this.#fitted = true;
    return this;
  }

  /** Residual standard deviation of the one-step forecasts. */
  get sigma(): number {
    return this.#count === 0 ? 0 : Math.sqrt(this.#sse / this.#count);
  }

  forecast(h: number, options: ForecastOptions = {}): Forecast {
    requireFitted(this.#fitted ? true : undefined, this.kind, 'forecast');
    checkHorizon(h, this.kind);
    const m = this.period;
    const sigma = this.sigma;
    const mean = new Float64Array(h);
    const sd = new Float64Array(h);
    for (let i = 0; i < h; i++) {
      mean[i] = this.#recent[(this.#head + (i % m)) % m] as number;
      sd[i] = sigma * Math.sqrt(Math.floor(i / m) + 1);
    }
    return buildForecast(this.#last + this.#step, this.#step, mean, sd, options.levels);
  }

  /**
   * Take the next point in O(1). A non-finite value is a gap: the model takes its own forecast
   * for that step and the residual statistics are left unchanged.
   */
  update(value: number): void {
    requireFitted(this.#fitted ? true : undefined, this.kind, 'update');
    const previous = this.#recent[this.#head] as number;
    if (Number.isFinite(value)) {
      const e = value - previous;
      this.#sse += e * e;
      this.#count++;
      this.#recent[this.#head] = value;
    }
    this.#head = (this.#head + 1) % this.period;
    this.#last += this.#step;
  }

  score(forecast: Forecast, actual: ArrayLike<number>): ForecastScore {
    requireFitted(this.#fitted ? true : undefined, this.kind, 'score');
    return scoreForecast(forecast, actual, this.#scale);
  }

  toJSON(): ForecasterJSON {
    requireFitted(this.#fitted ? true : undefined, this.kind, 'toJSON');
    const m = this.period;
    const recent: number[] = [];
    for (let i = 0; i < m; i++) recent.push(this.#recent[(this.#head + i) % m] as number);
    const state: LagState = {
      last: this.#last,
      step: this.#step,
      period: m,
      recent,
      sse: this.#sse,
      count: this.#count,
      scale: this.#scale,
    };
    return { kind: this.kind, version: 1, state };
  }

  /** Restore saved state (the inverse of {@link toJSON}). */
  protected restore(json: ForecasterJSON): this {
    requireSavedKind(json, this.kind);
    const state = parseState(lagStateSchema, json.state, `${this.kind} state`);
    if (state.recent.length !== this.period) {
      throw new TidewayError(
        'FORECAST_INVALID',
        `${this.kind}.load(): state.recent: expected ${this.period} values, got ${state.recent.length}.`,
      );
    }
    this.#recent = Float64Array.from(state.recent);
    this.#head = 0;
    this.#last = state.last;
    this.#step = state.step;
    this.#sse = state.sse;
    this.#count = state.count;
    this.#scale = state.scale;
    this.#fitted = true;
    return this;
  }
}

/**
 * Zod schema of saved lag state (see {@link LagState}).
 *
 * @example
 * lagStateSchema.parse(naive.toJSON().state);
 */
export const lagStateSchema = z.object({
  last: z.number(),
  step: z.number().positive(),
  period: z.number().int().min(1),
  recent: z.array(z.number()),
  sse: z.number().min(0),
  count: z.number().int().min(0),
  scale: z.number().min(0),
});

/**
 * Options of the seasonal-naive forecaster.
 *
 * @example
 * seasonalNaiveOptionsSchema.parse({ period: 288 }); // one day of 5-minute steps
 */
export const seasonalNaiveOptionsSchema = z.strictObject({
  /** Season length in steps (integer ≥ 1). */
  period: z.number().int().min(1),
});

/** Options of {@link SeasonalNaiveForecaster} as written. */
export type SeasonalNaiveOptions = z.input<typeof seasonalNaiveOptionsSchema>;

/**
 * Seasonal naive: the forecast for a step is the last observed value at the same phase of the
 * season. Needs `period + 1` points.
 *
 * @example
 * const model = new SeasonalNaiveForecaster({ period: 3 }).fit({ start: 0, step: 60_000, values: [1, 2, 3, 2, 3, 4] });
 * model.forecast(4).mean; // [2, 3, 4, 2]
 */
export class SeasonalNaiveForecaster extends LagForecaster {
  readonly kind = 'seasonal-naive';

  /** @param options `{ period }` */
  constructor(options: SeasonalNaiveOptions) {
    super(parseOptions(seasonalNaiveOptionsSchema, options, 'seasonal-naive options').period);
  }

  protected override get label(): string {
    return `seasonal-naive(period ${this.period})`;
  }

  /**
   * Rebuild a fitted forecaster from {@link toJSON} output.
   *
   * @example
   * SeasonalNaiveForecaster.load(JSON.parse(JSON.stringify(model))).forecast(3);
   */
  static load(json: ForecasterJSON): SeasonalNaiveForecaster {
    const period = (json.state as { period?: unknown } | null)?.period;
    if (typeof period !== 'number' || !Number.isInteger(period) || period < 1) {
      throw new TidewayError(
        'FORECAST_INVALID',
        `seasonal-naive.load(): state.period: expected an integer ≥ 1, got ${String(period)}.`,
      );
    }
    return new SeasonalNaiveForecaster({ period }).restore(json);
  }
}
