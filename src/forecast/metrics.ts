/**
 * Forecast accuracy metrics, shared by every model's `score()`.
 *
 * Public API:
 * - `maseScale(insample, m)` — in-sample MAE of the seasonal-naive forecast with period `m`
 *   (falls back to `m = 1` when the window is shorter than `2m` or the seasonal scale is 0).
 * - `mase(actual, forecast, insample, m)` — mean absolute scaled error.
 * - `smape(actual, forecast)` — symmetric MAPE in percent (a step where both are 0 counts 0).
 * - `coverage(actual, lower, upper)` — share of actual values inside `[lower, upper]`.
 * - `msis(actual, lower, upper, level, insample, m)` — mean scaled interval score (M4).
 * - `scoreForecast(forecast, actual, scale)` — the {@link ForecastScore} models return.
 *
 * Every metric compares the first `min(actual.length, forecast.length)` steps and skips steps
 * whose actual value is not finite (a gap in what happened is not an error of the model).
 */
import type { Forecast, ForecastScore } from './types.js';

/**
 * Scale of MASE/MSIS: mean of `|y[t] − y[t−m]|` over the in-sample window. Uses `m = 1` when the
 * window is shorter than `2m` (too few seasonal differences to be representative) or when the
 * seasonal scale is 0 (a perfectly periodic history would make every error infinite).
 * Returns 0 only when the history is constant.
 *
 * @example
 * maseScale([1, 2, 4, 7], 1); // (1 + 2 + 3) / 3 = 2
 */
export function maseScale(insample: ArrayLike<number>, m: number): number {
  const period = Math.max(1, Math.floor(m));
  if (period > 1 && insample.length >= 2 * period) {
    const seasonal = meanAbsLag(insample, period);
    if (seasonal > 0) return seasonal;
  }
  return meanAbsLag(insample, 1);
}

function meanAbsLag(values: ArrayLike<number>, lag: number): number {
  let sum = 0;
  let count = 0;
  for (let t = lag; t < values.length; t++) {
    const d = (values[t] as number) - (values[t - lag] as number);
    if (Number.isFinite(d)) {
      sum += Math.abs(d);
      count++;
    }
  }
  return count === 0 ? 0 : sum / count;
}

/**
 * Mean absolute scaled error: mean `|actual − forecast|` divided by {@link maseScale}. With a
 * constant history (scale 0) it is 0 when every error is 0 and `Infinity` otherwise.
 *
 * @example
 * mase([5, 6], [4, 4], [1, 2, 4, 7], 1); // mean(1, 2) / 2 = 0.75
 */
export function mase(
  actual: ArrayLike<number>,
  forecast: ArrayLike<number>,
  insample: ArrayLike<number>,
  m: number,
): number {
  return scaled(meanAbsoluteError(actual, forecast), maseScale(insample, m));
}

function scaled(error: number, scale: number): number {
  if (scale > 0) return error / scale;
  if (Number.isNaN(error)) return Number.NaN;
  return error === 0 ? 0 : Number.POSITIVE_INFINITY;
}

/**
 * Mean of `term(a, i)` over the first `n` steps whose actual value `a` is finite (a gap in what
 * happened is not an error of the model); NaN when there is none.
 */
function meanOverActual(
  actual: ArrayLike<number>,
  n: number,
  term: (a: number, i: number) => number,
): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const a = actual[i] as number;
    if (!Number.isFinite(a)) continue;
    sum += term(a, i);
    count++;
  }
  return count === 0 ? Number.NaN : sum / count;
}

function meanAbsoluteError(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  return meanOverActual(actual, Math.min(actual.length, forecast.length), (a, i) =>
    Math.abs(a - (forecast[i] as number)),
  );
}

/**
 * Symmetric mean absolute percentage error in percent, `100 · mean(2|a − f| / (|a| + |f|))`,
 * in [0, 200]. A step where actual and forecast are both 0 counts as 0 (a perfect forecast of
 * an idle period), not as 0/0.
 *
 * @example
 * smape([100, 0], [110, 0]); // (2·10/210 + 0) / 2 · 100 ≈ 4.762
 */
export function smape(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  const mean = meanOverActual(actual, Math.min(actual.length, forecast.length), (a, i) => {
    const f = forecast[i] as number;
    const denominator = Math.abs(a) + Math.abs(f);
    return denominator > 0 ? (2 * Math.abs(a - f)) / denominator : 0;
  });
  return 100 * mean;
}

/**
 * Share of actual values with `lower ≤ actual ≤ upper`, in [0, 1].
 *
 * @example
 * coverage([1, 5, 9], [0, 0, 0], [4, 6, 8]); // 2/3
 */
export function coverage(
  actual: ArrayLike<number>,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
): number {
  return meanOverActual(actual, Math.min(actual.length, lower.length, upper.length), (a, i) =>
    a >= (lower[i] as number) && a <= (upper[i] as number) ? 1 : 0,
  );
}

/**
 * Mean scaled interval score (M4 competition) of a `level`% interval: mean of
 * `(u − l) + (2/α)(l − a)·[a < l] + (2/α)(a − u)·[a > u]` with `α = 1 − level/100`, divided by
 * {@link maseScale} of the in-sample window. Lower is better; it rewards narrow intervals and
 * penalises misses in proportion to how far they miss.
 *
 * @example
 * // α = 0.2: widths 2 and 2, one miss by 1 → (2 + 2 + 10·1) / 2 = 7; scale 1 → 7
 * msis([1, 4], [0, 0], [2, 2], 80, [0, 1, 2], 1); // 7
 */
export function msis(
  actual: ArrayLike<number>,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
  level: number,
  insample: ArrayLike<number>,
  m: number,
): number {
  const alpha = 1 - level / 100;
  const score = meanOverActual(actual, Math.min(actual.length, lower.length, upper.length), (a, i) => {
    const l = lower[i] as number;
    const u = upper[i] as number;
    if (a < l) return u - l + (2 / alpha) * (l - a);
    if (a > u) return u - l + (2 / alpha) * (a - u);
    return u - l;
  });
  return scaled(score, maseScale(insample, m));
}

/**
 * The {@link ForecastScore} of a forecast against what happened, with the MASE scale given (models
 * keep the {@link maseScale} of their training window so they need not keep the window itself).
 *
 * @example
 * scoreForecast(model.forecast(3), [10, 12, 11], 2.5).mase;
 */
export function scoreForecast(forecast: Forecast, actual: ArrayLike<number>, scale: number): ForecastScore {
  const byLevel: Record<string, number> = {};
  for (const interval of forecast.intervals) {
    byLevel[String(interval.level)] = coverage(actual, interval.lower, interval.upper);
  }
  return {
    mase: scaled(meanAbsoluteError(actual, forecast.mean), scale),
    smape: smape(actual, forecast.mean),
    coverage: byLevel,
  };
}
