/**
 * Building a {@link Forecast} from point forecasts and standard deviations, shared by the models.
 *
 * Public API:
 * - `normalQuantile(p)` — inverse standard normal CDF.
 * - `buildForecast(start, step, mean, sd, levels)` — Gaussian intervals `mean ± z·sd` per level.
 * - `checkHorizon(h, kind)` / `checkLevels(levels)` — argument checks with expected/got messages.
 * - `DEFAULT_LEVELS` — `[80, 95]`.
 */
import { TidewayError } from '../errors.js';
import type { Forecast, PredictionInterval } from './types.js';

/**
 * Interval levels used when `forecast()` is called without `levels`.
 *
 * @example
 * model.forecast(12).intervals.map((i) => i.level); // DEFAULT_LEVELS = [80, 95]
 */
export const DEFAULT_LEVELS: readonly number[] = Object.freeze([80, 95]);

// Acklam's rational approximation (relative error < 1.15e-9 over (0, 1)); ample for intervals.
const A = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
  2.506628277459239,
];
const B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const C = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];

/**
 * Inverse of the standard normal CDF: the `z` with `P(Z ≤ z) = p`.
 *
 * @example
 * normalQuantile(0.975); // ≈ 1.959964
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return Number.NEGATIVE_INFINITY;
    if (p === 1) return Number.POSITIVE_INFINITY;
    return Number.NaN;
  }
  const [a0, a1, a2, a3, a4, a5] = A as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = B as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = C as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = D as [number, number, number, number];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) /
      ((((d0 * q + d1) * q + d2) * q + d3) * q + 1)
    );
  }
  if (p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return (
      -(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) /
      ((((d0 * q + d1) * q + d2) * q + d3) * q + 1)
    );
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) /
    (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1)
  );
}

/**
 * Throw `FORECAST_INVALID` unless `h` is a positive integer.
 *
 * @example
 * checkHorizon(12, 'ets'); // ok
 */
export function checkHorizon(h: number, kind: string): void {
  if (!Number.isInteger(h) || h < 1) {
    throw new TidewayError(
      'FORECAST_INVALID',
      `${kind}.forecast(h): expected a positive integer, got ${String(h)}.`,
    );
  }
}

/**
 * Throw `FORECAST_INVALID` unless every level is in (0, 100).
 *
 * @example
 * checkLevels([80, 95]); // ok
 */
export function checkLevels(levels: readonly number[]): void {
  for (const level of levels) {
    if (!(level > 0 && level < 100)) {
      throw new TidewayError(
        'FORECAST_INVALID',
        `forecast levels: expected each level in (0, 100) percent, got ${String(level)}.`,
      );
    }
  }
}

/**
 * A forecast with Gaussian intervals `mean[i] ± z · sd[i]`, `z` the `(1 + level/100)/2` quantile.
 *
 * @example
 * buildForecast(0, 60_000, Float64Array.of(10), Float64Array.of(2), [95]).intervals[0].upper[0]; // ≈ 13.92
 */
export function buildForecast(
  start: number,
  step: number,
  mean: Float64Array,
  sd: Float64Array,
  levels: readonly number[] = DEFAULT_LEVELS,
): Forecast {
  checkLevels(levels);
  const intervals: PredictionInterval[] = levels.map((level) => {
    const z = normalQuantile(0.5 + level / 200);
    const lower = new Float64Array(mean.length);
    const upper = new Float64Array(mean.length);
    for (let i = 0; i < mean.length; i++) {
      const half = z * (sd[i] as number);
      lower[i] = (mean[i] as number) - half;
      upper[i] = (mean[i] as number) + half;
    }
    return { level, lower, upper };
  });
  return { start, step, mean, intervals };
}
