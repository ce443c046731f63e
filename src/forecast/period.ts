/**
 * Automatic detection of seasonal periods (hour, day, week) from the data, by autocorrelation.
 *
 * Public API:
 * - `candidatePeriods(step, n)` — the hour, day and week in steps that fit twice into `n` points.
 * - `detectPeriods(values, step, options)` — which candidates the series really has, with the
 *   evidence for each (`{ periods, candidates: [{ name, period, acf, baseline, accepted }] }`).
 *
 * The test for a candidate period `p` (in steps):
 * 1. Remove the trend with a centred moving average of width `p` (it averages a whole cycle, so
 *    it keeps the level and drift but none of the seasonal shape), leaving `d = y − MA_p(y)`.
 * 2. `acf` = the autocorrelation of `d` at lag `p`. A seasonal series repeats: `acf` is well
 *    above 0. Noise or a smooth wandering level leaves `acf` near 0 once the trend is gone.
 * 2b. When a shorter accepted period `q` divides `p` (a day inside a week), the mean shape of
 *    `q` (the average of `d` at each phase of `q`) is subtracted first: a daily pattern alone
 *    repeats every 7 days too, and only what the day does not explain can make a week.
 * 3. `baseline` = the autocorrelation at half a cycle (`⌊p/2⌋`), a lag that should not match if
 *    `p` is real (for a smooth wandering level it matches about as well as `p` does).
 * 4. Accept when `acf ≥ minAcf` and `acf − baseline ≥ minLift`.
 */

/** A candidate season and the evidence about it. */
export interface PeriodCandidate {
  /** `hour`, `day` or `week`. */
  readonly name: 'hour' | 'day' | 'week';
  /** Length in steps. */
  readonly period: number;
  /** Autocorrelation at lag `period` of the series minus its width-`period` moving average. */
  readonly acf: number;
  /** Autocorrelation at half the period (see the module notes). */
  readonly baseline: number;
  /** Whether the period was detected. */
  readonly accepted: boolean;
}

/** The result of {@link detectPeriods}. */
export interface PeriodDetection {
  /** Accepted periods in steps, ascending. */
  readonly periods: readonly number[];
  /** Every candidate that fitted twice into the series, with its evidence. */
  readonly candidates: readonly PeriodCandidate[];
}

/** Options of {@link detectPeriods}. */
export interface DetectPeriodsOptions {
  /** Least autocorrelation at the period. @default 0.2 */
  readonly minAcf?: number;
  /** Least margin of the autocorrelation over the comparison lag. @default 0.1 */
  readonly minLift?: number;
}

const HOUR = 3_600_000;
const CANDIDATES = [
  { name: 'hour', ms: HOUR },
  { name: 'day', ms: 24 * HOUR },
  { name: 'week', ms: 7 * 24 * HOUR },
] as const;

/**
 * The hour, day and week expressed in steps of `step` ms, keeping those that are a whole number
 * of steps (within 0.02 of a step, so the phase does not drift), at least 2 steps, and fit twice
 * into `n` points.
 *
 * @example
 * candidatePeriods(300_000, 4032); // [{ name: 'hour', period: 12 }, { name: 'day', period: 288 }]
 */
export function candidatePeriods(
  step: number,
  n: number,
): { readonly name: 'hour' | 'day' | 'week'; readonly period: number }[] {
  const out: { name: 'hour' | 'day' | 'week'; period: number }[] = [];
  for (const c of CANDIDATES) {
    const exact = c.ms / step;
    const period = Math.round(exact);
    if (period >= 2 && Math.abs(exact - period) <= 0.02 && n >= 2 * period) {
      out.push({ name: c.name, period });
    }
  }
  return out;
}

/** `y − MA_p(y)` with a centred moving average (2×p for even p), edges using the nearest full window. */
function detrend(values: ArrayLike<number>, p: number): Float64Array {
  const n = values.length;
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = (prefix[i] as number) + (values[i] as number);
  const mean = (from: number): number => ((prefix[from + p] as number) - (prefix[from] as number)) / p;
  const out = new Float64Array(n);
  const half = Math.floor(p / 2);
  for (let i = 0; i < n; i++) {
    const from = Math.min(Math.max(0, i - half), n - p);
    // For even p the centred average is the mean of the two windows straddling i.
    const ma =
      p % 2 === 0 && from + 1 <= n - p && i - half >= 0 ? (mean(from) + mean(from + 1)) / 2 : mean(from);
    out[i] = (values[i] as number) - ma;
  }
  return out;
}

/** Subtract from `x` its mean at each phase of period `q`, in place. */
function removeProfile(x: Float64Array, q: number): void {
  const sum = new Float64Array(q);
  const count = new Float64Array(q);
  for (let i = 0; i < x.length; i++) {
    sum[i % q] = (sum[i % q] as number) + (x[i] as number);
    count[i % q] = (count[i % q] as number) + 1;
  }
  for (let i = 0; i < x.length; i++)
    x[i] = (x[i] as number) - (sum[i % q] as number) / (count[i % q] as number);
}

/** Sample autocorrelation of `x` at `lag` (biased estimator, mean removed). */
function autocorrelation(x: Float64Array, lag: number): number {
  const n = x.length;
  if (lag <= 0 || lag >= n) return 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i] as number;
  mean /= n;
  let den = 0;
  for (let i = 0; i < n; i++) den += ((x[i] as number) - mean) ** 2;
  if (den === 0) return 0;
  let num = 0;
  for (let i = lag; i < n; i++) num += ((x[i] as number) - mean) * ((x[i - lag] as number) - mean);
  return num / den;
}

/**
 * Detect which of the hour, day and week the series repeats on (see the module notes for the
 * test). `values` must be on a regular grid of `step` ms.
 *
 * @example
 * // five days of an hourly series with a daily shape
 * detectPeriods(Array.from({ length: 120 }, (_, i) => Math.sin((2 * Math.PI * i) / 24)), 3_600_000).periods; // [24]
 */
export function detectPeriods(
  values: ArrayLike<number>,
  step: number,
  options: DetectPeriodsOptions = {},
): PeriodDetection {
  const minAcf = options.minAcf ?? 0.2;
  const minLift = options.minLift ?? 0.1;
  const accepted: number[] = [];
  const candidates: PeriodCandidate[] = [];
  for (const { name, period } of candidatePeriods(step, values.length)) {
    const d = detrend(values, period);
    const shorter = [...accepted].reverse().find((q) => period % q === 0);
    if (shorter !== undefined) removeProfile(d, shorter);
    const acf = autocorrelation(d, period);
    const baseline = autocorrelation(d, Math.floor(period / 2));
    const ok = acf >= minAcf && acf - baseline >= minLift;
    if (ok) accepted.push(period);
    candidates.push({ name, period, acf, baseline, accepted: ok });
  }
  return { periods: accepted, candidates };
}
