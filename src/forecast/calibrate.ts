/**
 * Prediction intervals calibrated on out-of-sample errors, and a confidence score.
 *
 * Public API:
 * - `rollingOriginErrors(values, predict, options)` — the errors `y[t+h] − ŷ(t, h)` of a model's
 *   forecasts made at many origins `t` inside the fit window, one array per step ahead `h`.
 * - `ErrorQuantiles` — per-step error distribution (compressed to at most `resolution` order
 *   statistics per step, so it serialises small) with `interval(mean, levels, start, step)`.
 * - `confidenceScore(inputs)` — a number in [0, 1] from recent error and interval coverage.
 * - `backtestConfidence(errors, recent, scale)` / `calibrateOnBacktest(errors, scale)` — the
 *   confidence and interval quantiles a model reads from its own backtest errors.
 * - `CalibratedState` / `calibratedStateFields` — the saved-state fields every model calibrated
 *   this way keeps, and their zod schemas for `load()`.
 *
 * Why empirical errors: Gaussian `mean ± z·σ·√h` intervals assume the model is right and its
 * errors are normal; on operational metrics (bursts, floors at 0, regime changes) they are too
 * wide at 80 % and too narrow at 95 % at once. The quantiles of the model's own errors at each
 * step ahead, measured where the model had not seen the target yet, carry the real shape: skew,
 * heavy tails, and how error grows with `h`. The interval for level `L` at step `h` is
 * `[mean + q_h((1 − L/100)/2), mean + q_h((1 + L/100)/2)]`, `q_h` the quantile (R type 6, see
 * `sortedQuantile`) of the step-`h` errors (signed, so a model that is biased on the window gets an
 * interval that is shifted by its bias).
 */
import { z } from 'zod';
import { TidewayError } from '../errors.js';
import { checkLevels } from './interval.js';
import type { Forecast, PredictionInterval } from './types.js';

/** Options of {@link rollingOriginErrors}. */
export interface RollingOriginOptions {
  /** Steps ahead to measure (`h = 1 … horizon`). */
  readonly horizon: number;
  /** First origin (index of the last point the forecast may use). */
  readonly first: number;
  /** Distance between origins, steps. @default 1 */
  readonly stride?: number;
}

/**
 * Errors of forecasts made from many origins inside a window: for each origin `t` from `first`
 * to `n − 1 − h` (every `stride` steps) and each `h = 1 … horizon`, `values[t + h] − predict(t, h)`.
 * `predict(t, h)` must use only `values[0..t]` (plus parameters fitted on the window).
 * Returns one `Float64Array` per `h` (index `h − 1`).
 *
 * @example
 * // the naive forecast's errors on a ramp are exactly h at step h
 * const e = rollingOriginErrors([0, 1, 2, 3, 4, 5], (t) => t, { horizon: 2, first: 0 });
 * // e[0] = [1, 1, 1, 1, 1], e[1] = [2, 2, 2, 2]
 */
export function rollingOriginErrors(
  values: ArrayLike<number>,
  predict: (origin: number, h: number) => number,
  options: RollingOriginOptions,
): Float64Array[] {
  const n = values.length;
  const stride = Math.max(1, Math.floor(options.stride ?? 1));
  const first = Math.max(0, Math.floor(options.first));
  const out: Float64Array[] = [];
  for (let h = 1; h <= options.horizon; h++) {
    const count = first + h <= n - 1 ? Math.floor((n - 1 - h - first) / stride) + 1 : 0;
    const errors = new Float64Array(count);
    for (let k = 0; k < count; k++) {
      const t = first + k * stride;
      errors[k] = (values[t + h] as number) - predict(t, h);
    }
    out.push(errors);
  }
  return out;
}

/**
 * Quantile of an ascending array, linear between order statistics. `type 6` (R's numbering) puts
 * the `p` quantile at position `p·(n + 1)`: the interval between the `p` and `1 − p` quantiles of
 * `n` past errors then covers a new error with probability `1 − 2p` on average, where type 7
 * (`p·(n − 1)`) covers less on small samples. `type 7` keeps the exact minimum and maximum and is
 * used to compress.
 */
function sortedQuantile(sorted: ArrayLike<number>, p: number, type: 6 | 7 = 6): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const x = Math.min(n - 1, Math.max(0, type === 6 ? p * (n + 1) - 1 : p * (n - 1)));
  const lo = Math.floor(x);
  const hi = Math.min(n - 1, lo + 1);
  const a = sorted[lo] as number;
  return a + ((sorted[hi] as number) - a) * (x - lo);
}

/** Saved form of {@link ErrorQuantiles}. */
export interface ErrorQuantilesJSON {
  /** Per step ahead, ascending error order statistics. */
  readonly steps: readonly (readonly number[])[];
}

/**
 * The distribution of forecast errors at each step ahead, kept as at most `resolution`
 * evenly spaced order statistics per step (quantiles read from them are exact at those points
 * and linear in between). Steps past the last measured one reuse its spread, widened by
 * `√(h / H)` (the random-walk growth) around its median.
 *
 * @example
 * const q = ErrorQuantiles.fromErrors(rollingOriginErrors(values, predict, { horizon: 12, first: 288 }));
 * const forecast = q.interval(mean, [80, 95], start, step);
 */
export class ErrorQuantiles {
  readonly #steps: Float64Array[];

  private constructor(steps: Float64Array[]) {
    this.#steps = steps;
  }

  /**
   * Build from raw errors per step (as {@link rollingOriginErrors} returns). Non-finite errors
   * are dropped. A step with no errors takes the previous step's distribution.
   *
   * @param resolution most order statistics kept per step @default 201
   * @example
   * ErrorQuantiles.fromErrors([Float64Array.of(-1, 0, 1)]).quantile(1, 0.5); // 0
   */
  static fromErrors(errors: readonly ArrayLike<number>[], resolution = 201): ErrorQuantiles {
    const steps: Float64Array[] = [];
    let previous: Float64Array = Float64Array.of(0);
    for (const raw of errors) {
      let count = 0;
      const finite = new Float64Array(raw.length);
      for (let i = 0; i < raw.length; i++) {
        const e = raw[i] as number;
        if (Number.isFinite(e)) finite[count++] = e;
      }
      if (count === 0) {
        steps.push(previous);
        continue;
      }
      const sorted = finite.subarray(0, count).sort();
      const kept = sorted.length <= resolution ? sorted.slice() : compress(sorted, resolution);
      steps.push(kept);
      previous = kept;
    }
    if (steps.length === 0) steps.push(previous);
    return new ErrorQuantiles(steps);
  }

  /**
   * Rebuild from {@link toJSON} output.
   *
   * @example
   * ErrorQuantiles.fromJSON({ steps: [[-1, 0, 1]] }).quantile(1, 1); // 1
   */
  static fromJSON(json: ErrorQuantilesJSON): ErrorQuantiles {
    if (!Array.isArray(json?.steps) || json.steps.length === 0) {
      throw new TidewayError('FORECAST_INVALID', 'error quantiles: expected a non-empty steps array.');
    }
    return new ErrorQuantiles(json.steps.map((s) => Float64Array.from(s)));
  }

  /** Steps ahead measured. */
  get horizon(): number {
    return this.#steps.length;
  }

  /**
   * The `p` quantile of the error `h` steps ahead (`h ≥ 1`).
   *
   * @example
   * ErrorQuantiles.fromErrors([Float64Array.of(0, 10, 20, 30)]).quantile(1, 0.3); // 5 (position 0.3·5 − 1)
   */
  quantile(h: number, p: number): number {
    const H = this.#steps.length;
    if (h <= H) return sortedQuantile(this.#steps[h - 1] as Float64Array, p);
    const last = this.#steps[H - 1] as Float64Array;
    const median = sortedQuantile(last, 0.5);
    return median + (sortedQuantile(last, p) - median) * Math.sqrt(h / H);
  }

  /**
   * A forecast whose intervals are the mean plus the error quantiles of each step.
   *
   * @example
   * q.interval(Float64Array.of(10, 11), [80], start, step).intervals[0].lower; // 10 + q1(0.1), 11 + q2(0.1)
   */
  interval(mean: Float64Array, levels: readonly number[], start: number, step: number): Forecast {
    checkLevels(levels);
    const intervals: PredictionInterval[] = levels.map((level) => {
      const lower = new Float64Array(mean.length);
      const upper = new Float64Array(mean.length);
      const alpha = 1 - level / 100;
      for (let i = 0; i < mean.length; i++) {
        const m = mean[i] as number;
        lower[i] = m + this.quantile(i + 1, alpha / 2);
        upper[i] = m + this.quantile(i + 1, 1 - alpha / 2);
      }
      return { level, lower, upper };
    });
    return { start, step, mean, intervals };
  }

  /** Plain-JSON form. */
  toJSON(): ErrorQuantilesJSON {
    return { steps: this.#steps.map((s) => Array.from(s)) };
  }
}

/** `k` evenly spaced order statistics (including min and max) of an ascending array. */
function compress(sorted: Float64Array, k: number): Float64Array {
  const out = new Float64Array(k);
  for (let i = 0; i < k; i++) out[i] = sortedQuantile(sorted, i / (k - 1), 7);
  return out;
}

/** Inputs of {@link confidenceScore}. */
export interface ConfidenceInputs {
  /** Mean absolute error of recent out-of-sample forecasts divided by the series' MASE scale. */
  readonly recentMase: number;
  /** Share of recent out-of-sample targets inside the nominal-80 % interval, in [0, 1]. */
  readonly recentCoverage80: number;
}

/**
 * How much to trust a forecaster's output, in [0, 1]:
 * `accuracy · calibration`, where `accuracy = 1 / (1 + recentMase)` (1 for perfect forecasts,
 * ½ when the model is as wrong as the seasonal naive is in sample, → 0 as errors grow) and
 * `calibration = max(0, 1 − |coverage80 − 0.8| / 0.8)` (1 when the 80 % interval held 80 % of
 * recent targets, 0 when it held none). Non-finite inputs give 0.
 *
 * @example
 * confidenceScore({ recentMase: 0.5, recentCoverage80: 0.8 }); // 1/1.5 · 1 ≈ 0.667
 */
export function confidenceScore(inputs: ConfidenceInputs): number {
  const { recentMase, recentCoverage80 } = inputs;
  if (!Number.isFinite(recentMase) || !Number.isFinite(recentCoverage80) || recentMase < 0) return 0;
  const accuracy = 1 / (1 + recentMase);
  const calibration = Math.max(0, 1 - Math.abs(recentCoverage80 - 0.8) / 0.8);
  return Math.min(1, Math.max(0, accuracy * calibration));
}

/**
 * Backtest summary over the most recent origins: the mean absolute error over every step and
 * origin (divided by `scale`), and the coverage of the 80 % interval built from the *earlier*
 * origins' errors — a holdout check of calibration that feeds {@link confidenceScore}.
 *
 * @example
 * recentBacktest(errors, 288, scale); // { mase, coverage80 }
 */
export function recentBacktest(
  errors: readonly Float64Array[],
  recent: number,
  scale: number,
): { readonly mase: number; readonly coverage80: number } {
  let abs = 0;
  let count = 0;
  let inside = 0;
  let checked = 0;
  for (const e of errors) {
    const split = Math.max(0, e.length - recent);
    for (let k = split; k < e.length; k++) {
      abs += Math.abs(e[k] as number);
      count++;
    }
    if (split >= 10) {
      const earlier = Float64Array.from(e.subarray(0, split)).sort();
      const lo = sortedQuantile(earlier, 0.1);
      const hi = sortedQuantile(earlier, 0.9);
      for (let k = split; k < e.length; k++) {
        const x = e[k] as number;
        if (x >= lo && x <= hi) inside++;
        checked++;
      }
    }
  }
  const mae = count === 0 ? Number.NaN : abs / count;
  return {
    mase: scale > 0 ? mae / scale : mae === 0 ? 0 : Number.POSITIVE_INFINITY,
    coverage80: checked === 0 ? Number.NaN : inside / checked,
  };
}

/**
 * {@link confidenceScore} of the {@link recentBacktest} over the last `recent` origins of a
 * model's backtest errors (one array per step ahead).
 *
 * @example
 * backtestConfidence(errors, 96, scale); // in [0, 1]
 */
export function backtestConfidence(errors: readonly Float64Array[], recent: number, scale: number): number {
  const summary = recentBacktest(errors, recent, scale);
  return confidenceScore({ recentMase: summary.mase, recentCoverage80: summary.coverage80 });
}

/**
 * What a model reads from its own held-out backtest errors (one array per step ahead): the
 * interval quantiles of all of them, and the confidence over the first 12 steps ahead from the
 * most recent third of the origins (short-term accuracy is what a scaling decision leans on).
 *
 * @example
 * const { quantiles, confidence } = calibrateOnBacktest(model.backtestErrors, scale);
 */
export function calibrateOnBacktest(
  errors: readonly Float64Array[],
  scale: number,
): { readonly quantiles: ErrorQuantiles; readonly confidence: number } {
  return {
    quantiles: ErrorQuantiles.fromErrors(errors),
    confidence: backtestConfidence(errors.slice(0, 12), Math.ceil((errors[0]?.length ?? 0) / 3), scale),
  };
}

/**
 * Zod schema of {@link ErrorQuantilesJSON} in a saved model's state.
 *
 * @example
 * errorQuantilesSchema.parse({ steps: [[-1, 0, 1]] });
 */
const errorQuantilesSchema = z.object({ steps: z.array(z.array(z.number())).min(1) });

/**
 * The saved-state fields of a model calibrated on its own backtest (see {@link CalibratedState}),
 * to spread at the end of its state schema.
 *
 * @example
 * const stateSchema = z.object({ options: mstlOptionsSchema, ...calibratedStateFields });
 */
export const calibratedStateFields = {
  last: z.number(),
  step: z.number().positive(),
  scale: z.number().min(0),
  confidence: z.number().min(0).max(1),
  errors: errorQuantilesSchema,
};

/**
 * The part of a saved state every model calibrated on its own backtest keeps.
 *
 * @example
 * const { last, step, confidence } = model.toJSON().state as CalibratedState;
 */
export interface CalibratedState {
  /** Time of the last point seen, ms. */
  readonly last: number;
  /** Grid spacing, ms. */
  readonly step: number;
  /** MASE scale of the training window. */
  readonly scale: number;
  /** Confidence in [0, 1] (see {@link confidenceScore}). */
  readonly confidence: number;
  /** The interval quantiles per step ahead. */
  readonly errors: ErrorQuantilesJSON;
}
