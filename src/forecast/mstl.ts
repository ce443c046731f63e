/**
 * MSTL forecaster: a robust multi-seasonal STL decomposition, simple exponential smoothing of the
 * seasonally adjusted series, seasonal components carried forward, and intervals calibrated on
 * the model's own out-of-sample errors inside the fit window.
 *
 * Public API:
 * - `mstlOptionsSchema` / `MstlOptions` — `{ periods, seasonalWindow, robust, robustIterations, horizon }`.
 * - `MstlForecaster` (`kind: 'mstl'`) — `fit`, `forecast`, `update` (O(periods)), `score`,
 *   `toJSON`, `decomposition` (of the last fit), `confidence`; `MstlForecaster.load(json)`.
 * - `decompose(values, periods, options)` — the MSTL decomposition on its own
 *   (`{ periods, seasonals, trend, remainder }`).
 *
 * Model (as R `forecast::stlf`/`mstl`, Bandara–Hyndman–Bergmeir 2021, with robustness on):
 * 1. Periods: given, or detected (`period.ts`); a period the window holds fewer than two cycles
 *    of is dropped (one cycle cannot separate a season from noise).
 * 2. MSTL with robust STL (bisquare weights from the remainder, `robustIterations` outer passes)
 *    so that bursts and incidents — common in operational metrics — do not leak into the
 *    seasonal shape that is then repeated every day. Seasonal windows `7 + 4·i` (R's default).
 * 3. The seasonally adjusted series `y − Σ seasonal` is forecast by simple exponential smoothing
 *    (ETS(A,N,N)), `α` minimising the one-step squared error by golden-section search. A trend
 *    term is left out on purpose: over the short horizons autoscaling needs, a fitted trend on a
 *    day or a week of noisy load extrapolates noise (damped trends did no better in backtests).
 * 4. Forecast = level + each seasonal component's value one cycle earlier.
 * 5. Intervals: the quantiles of this model's errors at each step ahead `h = 1 … horizon` over
 *    rolling origins in the second half of the window (`calibrate.ts`).
 */
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
import { detectPeriods } from './period.js';
import { fitValues, parseOptions, parseState, requireFitted, requireSavedKind } from './series.js';
import { type MstlResult, mstl } from './stl-core.js';
import type {
  Forecast,
  Forecaster,
  ForecasterJSON,
  ForecastOptions,
  ForecastScore,
  Series,
} from './types.js';

/**
 * Options of the MSTL forecaster.
 *
 * @example
 * mstlOptionsSchema.parse({ periods: [288, 2016] }); // daily and weekly at 5-minute steps
 */
export const mstlOptionsSchema = z.strictObject({
  /** Seasonal periods in steps; omitted = detected from the data (hour, day, week). @default detected */
  periods: z.array(z.number().int().min(2)).optional(),
  /** Seasonal loess window of the shortest period (odd, ≥ 7); the i-th period gets `+4·(i−1)`. @default 11 */
  seasonalWindow: z.number().int().min(7).default(11),
  /** Robust STL: down-weight outliers when estimating season and trend. @default true */
  robust: z.boolean().default(true),
  /** Outer robustness passes when `robust`. @default 4 */
  robustIterations: z.number().int().min(1).max(15).default(4),
  /** Steps ahead whose errors calibrate the intervals (longer forecasts widen the last). @default 24 */
  horizon: z.number().int().min(1).max(1000).default(24),
});

/** Options of {@link MstlForecaster} as written. */
export type MstlOptions = z.input<typeof mstlOptionsSchema>;

/** Saved state of an MSTL forecaster, version 1. */
export interface MstlState extends CalibratedState {
  readonly options: z.output<typeof mstlOptionsSchema>;
  /** Periods used by the fit (ascending). */
  readonly periods: readonly number[];
  /** The last cycle of each seasonal component, aligned so index 0 is the next step's phase. */
  readonly cycles: readonly (readonly number[])[];
  readonly level: number;
  readonly alpha: number;
}

const stateSchema = z.object({
  options: mstlOptionsSchema,
  periods: z.array(z.number().int().min(2)),
  cycles: z.array(z.array(z.number())),
  level: z.number(),
  alpha: z.number(),
  ...calibratedStateFields,
});

/**
 * The MSTL decomposition of `values` on the periods it holds at least two cycles of.
 *
 * @example
 * const d = decompose(values, [24], { robust: true });
 * // values[i] === d.seasonals[0][i] + d.trend[i] + d.remainder[i]
 */
export function decompose(
  values: Float64Array,
  periods: readonly number[],
  options: {
    readonly seasonalWindow?: number;
    readonly robust?: boolean;
    readonly robustIterations?: number;
  } = {},
): MstlResult {
  const usable = [...new Set(periods)].filter((p) => p >= 2 && values.length >= 2 * p).sort((a, b) => a - b);
  const window = options.seasonalWindow ?? 11;
  return mstl(values, usable, {
    iterations: 2,
    seasonalWindows: usable.map((_, i) => window + 4 * i),
    robust: options.robust ?? true,
    ...(options.robust !== false && options.robustIterations !== undefined
      ? { outer: options.robustIterations }
      : {}),
  });
}

/** One-step SSE of simple exponential smoothing started at `y[0]`. */
function sesSse(y: Float64Array, alpha: number): number {
  let level = y[0] as number;
  let sse = 0;
  for (let i = 1; i < y.length; i++) {
    const e = (y[i] as number) - level;
    sse += e * e;
    level += alpha * e;
  }
  return sse;
}

/** `α` in [0.0001, 0.9999] minimising {@link sesSse}, by golden-section search (unimodal in practice). */
export function fitSesAlpha(y: Float64Array): number {
  const g = (Math.sqrt(5) - 1) / 2;
  let a = 0.0001;
  let b = 0.9999;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = sesSse(y, c);
  let fd = sesSse(y, d);
  for (let i = 0; i < 40 && b - a > 1e-4; i++) {
    if (fc <= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = sesSse(y, c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = sesSse(y, d);
    }
  }
  return fc <= fd ? c : d;
}

/**
 * How many of the most recent points a backtest holds out: a cycle of the longest period the
 * fit can use (so every phase is forecast once), at least four horizons and at least
 * {@link MIN_HOLDOUT} points (enough errors to read a 95 % interval's tails from), at most a
 * third of the window.
 *
 * @example
 * holdoutLength(2016, [288], 12); // 288: one day of 5-minute steps
 */
export function holdoutLength(n: number, periods: readonly number[], horizon: number): number {
  const longest = Math.max(0, ...periods.filter((p) => n >= 2 * p));
  return Math.max(0, Math.min(Math.floor(n / 3), Math.max(longest, 4 * horizon, MIN_HOLDOUT)));
}

/** Fewest held-out points when the window allows (see {@link holdoutLength}). */
const MIN_HOLDOUT = 288;

/**
 * Out-of-sample errors of the model on the window's own recent history: decompose and fit `α`
 * on all but the last {@link holdoutLength} points, then forecast `1 … horizon` steps from every
 * origin in the held-out part, the level following the data as `update()` would, the seasonal
 * shapes frozen at the end of the training part. Returns one error array per step ahead.
 */
function mstlBacktest(
  values: Float64Array,
  periods: readonly number[],
  options: z.output<typeof mstlOptionsSchema>,
): Float64Array[] {
  const n = values.length;
  const n0 = n - holdoutLength(n, periods, options.horizon);
  const d = decompose(values.subarray(0, n0), periods, options);
  const seasonal = new Float64Array(n + options.horizon);
  for (let k = 0; k < d.periods.length; k++) {
    const p = d.periods[k] as number;
    const s = d.seasonals[k] as Float64Array;
    for (let i = 0; i < seasonal.length; i++) {
      seasonal[i] = (seasonal[i] as number) + (s[i < n0 ? i : n0 - p + ((i - n0) % p)] as number);
    }
  }
  const adjusted = new Float64Array(n);
  for (let i = 0; i < n; i++) adjusted[i] = (values[i] as number) - (seasonal[i] as number);
  const alpha = fitSesAlpha(adjusted.subarray(0, n0));
  const levels = new Float64Array(n);
  let level = adjusted[0] as number;
  for (let i = 0; i < n; i++) {
    if (i > 0) level += alpha * ((adjusted[i] as number) - level);
    levels[i] = level;
  }
  return rollingOriginErrors(values, (t, h) => (levels[t] as number) + (seasonal[t + h] as number), {
    horizon: options.horizon,
    first: Math.max(0, n0 - 1),
  });
}

/**
 * Multi-seasonal STL + exponential smoothing (see the module notes). Needs 3 points, and two
 * cycles of a period for that period to be used.
 *
 * @example
 * const model = new MstlForecaster({ periods: [288] }).fit({ start, step: 300_000, values });
 * const f = model.forecast(12); // f.mean, f.intervals[0] (80 %), f.intervals[1] (95 %)
 */
export class MstlForecaster implements Forecaster {
  readonly kind = 'mstl';
  readonly options: z.output<typeof mstlOptionsSchema>;
  #state: MstlState | undefined;
  #cycles: Float64Array[] = [];
  #heads: number[] = [];
  #level = 0;
  #last = 0;
  #errors: ErrorQuantiles | undefined;
  #decomposition: MstlResult | undefined;
  #backtest: Float64Array[] = [];

  /** @param options see {@link mstlOptionsSchema} */
  constructor(options: MstlOptions = {}) {
    this.options = parseOptions(mstlOptionsSchema, options, 'mstl options');
  }

  /** Fit on a regular series. @returns this */
  fit(series: Series): this {
    const o = this.options;
    const values = fitValues(series, 3, 'mstl');
    const n = values.length;
    const requested = o.periods ?? detectPeriods(values, series.step).periods;
    const d = decompose(values, requested, o);
    const adjusted = Float64Array.from(values);
    for (const s of d.seasonals)
      for (let i = 0; i < n; i++) adjusted[i] = (adjusted[i] as number) - (s[i] as number);
    const alpha = fitSesAlpha(adjusted);
    let level = adjusted[0] as number;
    for (let i = 1; i < n; i++) level += alpha * ((adjusted[i] as number) - level);
    const errors = mstlBacktest(values, requested, o);
    const scale = maseScale(values, d.periods[0] ?? 1);
    // Quantiles and confidence are computed on first use: autoForecaster often only needs
    // this model's means and backtest errors.
    this.#errors = undefined;
    this.#backtest = errors;
    this.#decomposition = d;
    this.#cycles = d.periods.map((p, k) => (d.seasonals[k] as Float64Array).slice(n - p));
    this.#heads = d.periods.map(() => 0);
    this.#level = level;
    this.#last = series.start + (n - 1) * series.step;
    this.#state = {
      options: o,
      periods: d.periods,
      cycles: [],
      level,
      alpha,
      last: this.#last,
      step: series.step,
      scale,
      confidence: Number.NaN,
      errors: { steps: [] },
    };
    return this;
  }

  /** The interval quantiles, computed from the backtest errors on first use. */
  #calibration(state: MstlState): ErrorQuantiles {
    if (this.#errors === undefined) {
      const { quantiles, confidence } = calibrateOnBacktest(this.#backtest, state.scale);
      this.#errors = quantiles;
      this.#state = { ...state, confidence, errors: quantiles.toJSON() };
    }
    return this.#errors;
  }

  /** The decomposition of the last `fit` (not kept by `toJSON`). */
  get decomposition(): MstlResult | undefined {
    return this.#decomposition;
  }

  /**
   * Out-of-sample errors of the last `fit`'s held-out backtest, one array per step ahead (what
   * the intervals were calibrated on; `autoForecaster` compares models on them). Not saved.
   */
  get backtestErrors(): readonly Float64Array[] {
    return this.#backtest;
  }

  /** Periods the fitted model uses (ascending; empty = no season). */
  get periods(): readonly number[] {
    return this.#state?.periods ?? [];
  }

  /** Smoothing weight of the seasonally adjusted level. */
  get alpha(): number {
    return this.#state?.alpha ?? Number.NaN;
  }

  /** Confidence in [0, 1] from the in-window backtest (see `confidenceScore` in calibrate.ts). */
  get confidence(): number {
    const state = this.#state;
    if (state === undefined) return 0;
    this.#calibration(state);
    return this.#state?.confidence ?? 0;
  }

  /** The point forecasts only (no intervals). */
  meanForecast(h: number): Float64Array {
    requireFitted(this.#state, this.kind, 'forecast');
    const mean = new Float64Array(h);
    for (let i = 0; i < h; i++) {
      let v = this.#level;
      for (let k = 0; k < this.#cycles.length; k++) {
        const cycle = this.#cycles[k] as Float64Array;
        v += cycle[((this.#heads[k] as number) + i) % cycle.length] as number;
      }
      mean[i] = v;
    }
    return mean;
  }

  forecast(h: number, options: ForecastOptions = {}): Forecast {
    const state = this.#state;
    requireFitted(state, this.kind, 'forecast');
    checkHorizon(h, this.kind);
    return this.#calibration(state).interval(
      this.meanForecast(h),
      options.levels ?? DEFAULT_LEVELS,
      this.#last + state.step,
      state.step,
    );
  }

  /** Take the next point: the level moves by `α·error`; the seasonal shapes are kept. */
  update(value: number): void {
    const state = this.#state;
    requireFitted(state, this.kind, 'update');
    let seasonal = 0;
    for (let k = 0; k < this.#cycles.length; k++) {
      const cycle = this.#cycles[k] as Float64Array;
      const head = this.#heads[k] as number;
      seasonal += cycle[head] as number;
      this.#heads[k] = (head + 1) % cycle.length;
    }
    // A gap keeps the level (the model's own forecast stands in for the missing value).
    if (Number.isFinite(value)) this.#level += state.alpha * (value - seasonal - this.#level);
    this.#last += state.step;
  }

  score(forecast: Forecast, actual: ArrayLike<number>): ForecastScore {
    requireFitted(this.#state, this.kind, 'score');
    return scoreForecast(forecast, actual, this.#state.scale);
  }

  toJSON(): ForecasterJSON {
    requireFitted(this.#state, this.kind, 'toJSON');
    this.#calibration(this.#state);
    const state = this.#state;
    const cycles = this.#cycles.map((cycle, k) => {
      const head = this.#heads[k] as number;
      return Array.from({ length: cycle.length }, (_, i) => cycle[(head + i) % cycle.length] as number);
    });
    const saved: MstlState = { ...state, cycles, level: this.#level, last: this.#last };
    return { kind: this.kind, version: 1, state: saved };
  }

  /**
   * Rebuild a fitted forecaster from {@link toJSON} output.
   *
   * @example
   * MstlForecaster.load(JSON.parse(JSON.stringify(model))).forecast(12);
   */
  static load(json: ForecasterJSON): MstlForecaster {
    requireSavedKind(json, 'mstl');
    const state = parseState(stateSchema, json.state, 'mstl state');
    if (
      state.cycles.length !== state.periods.length ||
      state.cycles.some((c, k) => c.length !== state.periods[k])
    ) {
      throw new TidewayError(
        'FORECAST_INVALID',
        'mstl.load(): state.cycles: expected one cycle of each period.',
      );
    }
    const model = new MstlForecaster(state.options);
    model.#cycles = state.cycles.map((c) => Float64Array.from(c));
    model.#heads = state.periods.map(() => 0);
    model.#level = state.level;
    model.#last = state.last;
    model.#errors = ErrorQuantiles.fromJSON(state.errors);
    model.#state = { ...state, cycles: [] };
    return model;
  }
}
