/**
 * Fourier regression forecaster: a linear trend plus `K` sine/cosine pairs per seasonal period,
 * fitted by least squares (`ml-regression`'s `MultivariateLinearRegression`), with a local level
 * on the regression's residuals so the forecast starts from where the series is now.
 *
 * Public API:
 * - `fourierOptionsSchema` / `FourierOptions` — `{ periods, harmonics, horizon }`.
 * - `FourierForecaster` (`kind: 'fourier'`) — `fit`, `forecast`, `update` (O(1)), `score`,
 *   `toJSON`, `coefficients`, `confidence`; `FourierForecaster.load(json)`.
 * - `fourierTerms(t, n, periods, harmonics, out)` — the regressors of time index `t` in a window of `n`.
 *
 * Model: `y[t] = β₀ + β₁·t/n + Σ_p Σ_{k ≤ K_p} (a_pk cos(2πkt/p) + b_pk sin(2πkt/p)) + r[t]`,
 * `K_p = min(harmonics, ⌊p/2⌋)` (a period of `p` steps carries at most `p/2` distinct
 * frequencies); the residual `r` is followed by simple exponential smoothing (its `α` fitted by
 * golden-section on one-step error), whose level is added to every step ahead — a dynamic
 * harmonic regression with a local-level error, in the spirit of R's `auto.arima(xreg = fourier())`
 * at a fraction of the cost. Fourier terms suit long or several seasons with smooth shapes: 2K
 * coefficients instead of one value per phase.
 *
 * Intervals are calibrated like MSTL's: the model is refitted on all but the most recent cycle
 * and its errors over that held-out cycle, per step ahead, give the interval quantiles.
 */
import { MultivariateLinearRegression } from 'ml-regression';
import { z } from 'zod';
import { TidewayError } from '../errors.js';
import {
  type CalibratedState,
  calibratedStateFields,
  calibrateOnBacktest,
  ErrorQuantiles,
  rollingOriginErrors,
} from './calibrate.js';
import { checkHorizon, DEFAULT_LEVELS } from './interval.js';
import { maseScale, scoreForecast } from './metrics.js';
import { fitSesAlpha, holdoutLength } from './mstl.js';
import { detectPeriods } from './period.js';
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
 * Options of the Fourier forecaster.
 *
 * @example
 * fourierOptionsSchema.parse({ periods: [48, 336], harmonics: 8 }); // day and week at 30 min
 */
export const fourierOptionsSchema = z.strictObject({
  /** Seasonal periods in steps; omitted = detected from the data (hour, day, week). @default detected */
  periods: z.array(z.number().int().min(2)).optional(),
  /** Sine/cosine pairs per period (capped at `⌊period/2⌋`). @default 8 */
  harmonics: z.number().int().min(1).max(50).default(8),
  /** Steps ahead whose errors calibrate the intervals. @default 24 */
  horizon: z.number().int().min(1).max(1000).default(24),
});

/** Options of {@link FourierForecaster} as written. */
export type FourierOptions = z.input<typeof fourierOptionsSchema>;

/** Saved state of a Fourier forecaster, version 1. */
export interface FourierState extends CalibratedState {
  readonly options: z.output<typeof fourierOptionsSchema>;
  readonly periods: readonly number[];
  /** Regression coefficients: trend, then (cos, sin) per harmonic per period, then intercept. */
  readonly coefficients: readonly number[];
  /** Length of the training window (the trend regressor is `t / n`). */
  readonly n: number;
  /** Time index of the next step (relative to the training window's first point). */
  readonly next: number;
  readonly level: number;
  readonly alpha: number;
}

const stateSchema = z.object({
  options: fourierOptionsSchema,
  periods: z.array(z.number().int().min(2)),
  coefficients: z.array(z.number()),
  n: z.number().int().min(1),
  next: z.number().int(),
  level: z.number(),
  alpha: z.number(),
  ...calibratedStateFields,
});

/**
 * The regressors of time index `t` (trend `t/n`, then cos and sin of each harmonic of each
 * period), written into `out` (length `1 + 2·Σ K_p`).
 *
 * @example
 * fourierTerms(6, 24, [24], 1, new Array(3)); // [0.25, cos(π/2) ≈ 0, sin(π/2) = 1]
 */
export function fourierTerms(
  t: number,
  n: number,
  periods: readonly number[],
  harmonics: number,
  out: number[],
): number[] {
  out[0] = t / n;
  let j = 1;
  for (const p of periods) {
    const K = Math.min(harmonics, Math.floor(p / 2));
    for (let k = 1; k <= K; k++) {
      const angle = (2 * Math.PI * k * t) / p;
      out[j++] = Math.cos(angle);
      out[j++] = Math.sin(angle);
    }
  }
  return out;
}

/** How many regressors {@link fourierTerms} writes: the trend, then a (cos, sin) pair per harmonic per period. */
function termCount(periods: readonly number[], harmonics: number): number {
  return 1 + 2 * periods.reduce((s, p) => s + Math.min(harmonics, Math.floor(p / 2)), 0);
}

/** Least-squares fit; returns coefficients (regressors first, intercept last) and fitted values. */
function regress(
  values: Float64Array,
  periods: readonly number[],
  harmonics: number,
  norm: number,
): { readonly coefficients: number[]; readonly fitted: (t: number) => number } {
  const n = values.length;
  const width = termCount(periods, harmonics);
  const x: number[][] = [];
  const y: number[][] = [];
  for (let t = 0; t < n; t++) {
    x.push(fourierTerms(t, norm, periods, harmonics, new Array<number>(width)));
    y.push([values[t] as number]);
  }
  const model = new MultivariateLinearRegression(x, y, { intercept: true, statistics: false });
  const coefficients = model.weights.map((row) => row[0] as number);
  const row = new Array<number>(width);
  const fitted = (t: number): number =>
    evaluate(coefficients, fourierTerms(t, norm, periods, harmonics, row));
  return { coefficients, fitted };
}

function evaluate(coefficients: readonly number[], terms: readonly number[]): number {
  let v = coefficients[terms.length] as number;
  for (let j = 0; j < terms.length; j++) v += (coefficients[j] as number) * (terms[j] as number);
  return v;
}

/** Residual level by SES over `values − fitted`; returns α, final level and the level after each point. */
function residualLevel(
  values: Float64Array,
  fitted: (t: number) => number,
  fitOn: number,
): { readonly alpha: number; readonly levels: Float64Array } {
  const n = values.length;
  const residual = new Float64Array(n);
  for (let t = 0; t < n; t++) residual[t] = (values[t] as number) - fitted(t);
  const alpha = fitSesAlpha(residual.subarray(0, fitOn));
  const levels = new Float64Array(n);
  let level = 0;
  for (let t = 0; t < n; t++) {
    level += alpha * ((residual[t] as number) - level);
    levels[t] = level;
  }
  return { alpha, levels };
}

/**
 * Trend + Fourier terms regression with a local level (see the module notes). Needs at least
 * `2 + 2·Σ K_p + 2` points; a period the window holds fewer than two cycles of is dropped.
 *
 * @example
 * const model = new FourierForecaster({ periods: [24] }).fit({ start: 0, step: 3_600_000, values });
 * model.forecast(24).mean;
 */
export class FourierForecaster implements Forecaster {
  readonly kind = 'fourier';
  readonly options: z.output<typeof fourierOptionsSchema>;
  #state: FourierState | undefined;
  #errors: ErrorQuantiles | undefined;
  #backtestErrors: Float64Array[] = [];

  /** @param options see {@link fourierOptionsSchema} */
  constructor(options: FourierOptions = {}) {
    this.options = parseOptions(fourierOptionsSchema, options, 'fourier options');
  }

  /** Fit on a regular series. @returns this */
  fit(series: Series): this {
    const o = this.options;
    const values = fitValues(series, 4, 'fourier');
    const n = values.length;
    const requested = o.periods ?? detectPeriods(values, series.step).periods;
    const periods = [...new Set(requested)].filter((p) => n >= 2 * p).sort((a, b) => a - b);
    // The regressors plus the intercept.
    const width = termCount(periods, o.harmonics) + 1;
    if (n < width + 2) {
      throw new TidewayError('INSUFFICIENT_DATA', `fourier needs at least ${width + 2} points, got ${n}.`);
    }
    const full = regress(values, periods, o.harmonics, n);
    const { alpha, levels } = residualLevel(values, full.fitted, n);
    const errors = this.#backtest(values, periods);
    const scale = maseScale(values, periods[0] ?? 1);
    const { quantiles, confidence } = calibrateOnBacktest(errors, scale);
    this.#errors = quantiles;
    this.#backtestErrors = errors;
    this.#state = {
      options: o,
      periods,
      coefficients: full.coefficients,
      n,
      next: n,
      level: levels[n - 1] as number,
      alpha,
      last: series.start + (n - 1) * series.step,
      step: series.step,
      scale,
      confidence,
      errors: quantiles.toJSON(),
    };
    return this;
  }

  /** Refit on all but the held-out recent points; errors of forecasts from each held-out origin. */
  #backtest(values: Float64Array, periods: readonly number[]): Float64Array[] {
    const n = values.length;
    const horizon = this.options.horizon;
    const n0 = n - holdoutLength(n, periods, horizon);
    const usable = periods.filter((p) => n0 >= 2 * p);
    const width = termCount(usable, this.options.harmonics) + 1;
    if (n0 < width + 2 || n0 >= n - 1) return [new Float64Array(0)];
    const train = regress(values.subarray(0, n0), usable, this.options.harmonics, n0);
    const { levels } = residualLevel(values, train.fitted, n0);
    return rollingOriginErrors(values, (t, h) => train.fitted(t + h) + (levels[t] as number), {
      horizon,
      first: n0 - 1,
    });
  }

  /** Out-of-sample errors of the last `fit`'s held-out backtest, one array per step ahead. Not saved. */
  get backtestErrors(): readonly Float64Array[] {
    return this.#backtestErrors;
  }

  /** Regression coefficients: trend, (cos, sin) pairs per harmonic per period, intercept. */
  get coefficients(): readonly number[] {
    return this.#state?.coefficients ?? [];
  }

  /** Periods the fitted model uses. */
  get periods(): readonly number[] {
    return this.#state?.periods ?? [];
  }

  /** Confidence in [0, 1] from the held-out backtest (see `confidenceScore`). */
  get confidence(): number {
    return this.#state?.confidence ?? 0;
  }

  /** The point forecasts only. */
  meanForecast(h: number): Float64Array {
    const s = this.#state;
    requireFitted(s, this.kind, 'forecast');
    const width = s.coefficients.length - 1;
    const row = new Array<number>(width);
    const mean = new Float64Array(h);
    for (let i = 0; i < h; i++) {
      mean[i] =
        evaluate(s.coefficients, fourierTerms(s.next + i, s.n, s.periods, s.options.harmonics, row)) +
        s.level;
    }
    return mean;
  }

  forecast(h: number, options: ForecastOptions = {}): Forecast {
    const s = this.#state;
    requireFitted(s, this.kind, 'forecast');
    checkHorizon(h, this.kind);
    return (this.#errors as ErrorQuantiles).interval(
      this.meanForecast(h),
      options.levels ?? DEFAULT_LEVELS,
      s.last + s.step,
      s.step,
    );
  }

  /** Take the next point: the residual level moves by `α·error`; coefficients are kept. */
  update(value: number): void {
    const s = this.#state;
    requireFitted(s, this.kind, 'update');
    let level = s.level;
    if (Number.isFinite(value)) {
      const row = new Array<number>(s.coefficients.length - 1);
      const fitted = evaluate(s.coefficients, fourierTerms(s.next, s.n, s.periods, s.options.harmonics, row));
      level += s.alpha * (value - fitted - level);
    }
    this.#state = { ...s, level, next: s.next + 1, last: s.last + s.step };
  }

  score(forecast: Forecast, actual: ArrayLike<number>): ForecastScore {
    requireFitted(this.#state, this.kind, 'score');
    return scoreForecast(forecast, actual, this.#state.scale);
  }

  toJSON(): ForecasterJSON {
    requireFitted(this.#state, this.kind, 'toJSON');
    return { kind: this.kind, version: 1, state: this.#state };
  }

  /**
   * Rebuild a fitted forecaster from {@link toJSON} output.
   *
   * @example
   * FourierForecaster.load(JSON.parse(JSON.stringify(model))).forecast(12);
   */
  static load(json: ForecasterJSON): FourierForecaster {
    requireSavedKind(json, 'fourier');
    const state = parseState(stateSchema, json.state, 'fourier state');
    const model = new FourierForecaster(state.options);
    model.#errors = ErrorQuantiles.fromJSON(state.errors);
    model.#state = state;
    return model;
  }
}
