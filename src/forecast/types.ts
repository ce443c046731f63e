/**
 * The one shape every forecaster has. A forecaster is fitted on a regular series (equal steps,
 * finite values, oldest first), forecasts `h` steps ahead with prediction intervals, takes new
 * points one at a time between refits, and serialises to plain JSON.
 */

/** A regular series: `values[i]` is the value at `start + i * step`. */
export interface Series {
  /** Time of the first value, ms since the epoch. */
  readonly start: number;
  /** Spacing between values, ms (> 0). */
  readonly step: number;
  /** The values, oldest first; finite numbers only. */
  readonly values: Float64Array | readonly number[];
}

/** Options of {@link Forecaster.forecast}. */
export interface ForecastOptions {
  /** Central coverage levels of the intervals, in percent, each in (0, 100). Default `[80, 95]`. */
  readonly levels?: readonly number[];
}

/** One prediction interval: `lower[i]`/`upper[i]` bound step `i + 1` ahead. */
export interface PredictionInterval {
  /** Central coverage in percent (80 means the 10th–90th percentile). */
  readonly level: number;
  /** Lower bounds, one per step ahead. */
  readonly lower: Float64Array;
  /** Upper bounds, one per step ahead. */
  readonly upper: Float64Array;
}

/** The result of {@link Forecaster.forecast}. */
export interface Forecast {
  /** Time of the first forecast step (one step after the last observed point). */
  readonly start: number;
  /** Spacing, ms. */
  readonly step: number;
  /** Point forecasts (means), one per step ahead. */
  readonly mean: Float64Array;
  /** One interval per requested level, in the order asked. */
  readonly intervals: readonly PredictionInterval[];
}

/** Accuracy of a forecast against what happened. */
export interface ForecastScore {
  /** Mean absolute scaled error (scaled by the in-sample seasonal-naive error). */
  readonly mase: number;
  /** Symmetric mean absolute percentage error, percent (0 when both values are 0). */
  readonly smape: number;
  /** Share of actual values inside each interval, by level, in [0, 1]. */
  readonly coverage: Readonly<Record<string, number>>;
}

/** What {@link Forecaster.toJSON} returns: enough to rebuild the fitted forecaster exactly. */
export interface ForecasterJSON {
  /** The model kind (`naive`, `seasonal-naive`, `ets`, `mstl`, `fourier`, `auto`, …). */
  readonly kind: string;
  /** Format version of this kind's state. */
  readonly version: number;
  /** The kind's own state (parameters, filter state, residual quantiles), JSON-safe. */
  readonly state: unknown;
}

/**
 * A forecaster. Lifecycle: construct (options only) → `fit(series)` → `forecast(h)` /
 * `update(point)` / `score(...)` / `toJSON()`. `forecast`, `update` and `score` before `fit`
 * throw a `TidewayError` with code `FORECAST_INVALID`. A series too short for the model throws
 * `INSUFFICIENT_DATA` saying how many points are needed.
 */
export interface Forecaster {
  /** The model kind, as in {@link ForecasterJSON.kind}. */
  readonly kind: string;
  /** Fit parameters and state to the series. Returns `this`. */
  fit(series: Series): this;
  /** Forecast `h` steps after the last point seen (by `fit` or `update`). */
  forecast(h: number, options?: ForecastOptions): Forecast;
  /** Take one new point (the next step) without refitting parameters: O(1) per call. */
  update(value: number): void;
  /** Score a forecast against the values that then happened. */
  score(forecast: Forecast, actual: ArrayLike<number>): ForecastScore;
  /** Plain-JSON state; `load()` of the same kind rebuilds an identical forecaster. */
  toJSON(): ForecasterJSON;
}
