/**
 * Input hygiene shared by every forecaster: nothing that is not a finite number on a regular grid
 * reaches a model.
 *
 * Public API:
 * - `prepareSeries(input, options)` — validate, resample irregular timestamps onto a regular grid,
 *   fill gaps, and (optionally) replace outliers; returns a {@link PreparedSeries} that says which
 *   indexes were filled or replaced.
 * - `requireLength(n, needed, model)` — throw `INSUFFICIENT_DATA` when a series is too short.
 * - `fitValues(series, needed, model)` — what `fit()` of every model calls: checks the grid and
 *   length and returns the values as a fresh `Float64Array`, filling gaps (non-finite values)
 *   by the same rules as `prepareSeries` (outliers are left alone).
 * - `requireFitted(fitted, kind, method)` — throw `FORECAST_INVALID` when a model is used before `fit`.
 * - `requireSavedKind(json, kind)` — throw `FORECAST_INVALID` unless saved JSON is `kind`, version 1.
 * - `parseOptions(schema, input, subject)` — parse model options with zod, throwing `ConfigError`.
 * - `parseState(schema, input, subject)` — parse saved state in `load()`, throwing `FORECAST_INVALID`.
 *
 * Rules (documented in docs/forecasting.md):
 * - Resampling: points are sorted by time; non-finite points are dropped; the grid step is the
 *   median spacing between distinct timestamps (or `options.step`); each grid slot holds the mean
 *   of the points within half a step of it; a slot with no point is a gap.
 * - Gaps: a gap of at most `maxLinearGap` steps is linearly interpolated between its neighbours;
 *   a longer gap takes, slot by slot, the value one `period` earlier when there is one (a missing
 *   night looks like the night before), else is linearly interpolated. Gaps at the start take the
 *   first known value (or the value one period later); gaps at the end carry the value one period
 *   earlier, else the last known value.
 * - Outliers: the robust local fit is a running median (window `2·halfWindow + 1`, shifted inwards
 *   at the ends) plus, when a `period` is given and there are 3 periods, the median residual at
 *   the same phase up to three periods either side (so a peak that recurs daily is not an
 *   outlier, and a periodic series with a linear trend is fitted exactly). A point whose residual is
 *   more than `threshold` robust standard deviations (1.4826 · MAD) from the median residual is
 *   replaced by the local fit.
 */
import type { z } from 'zod';
import { ConfigError, TidewayError } from '../errors.js';
import type { ForecasterJSON, Series } from './types.js';

/**
 * One raw sample: a value at a time (ms since the epoch).
 *
 * @example
 * { timestamp: 1_700_000_000_000, value: 12 }
 */
export interface TimedPoint {
  /** Time of the sample, ms since the epoch. */
  readonly timestamp: number;
  /** The sample; non-finite values are dropped. */
  readonly value: number;
}

/**
 * Options of {@link prepareSeries}.
 *
 * @example
 * prepareSeries(points, { period: 288, outliers: true, minLength: 576, model: 'ets' });
 */
export interface PrepareOptions {
  /** Season length in steps, used to fill long gaps and to fit outliers. @default none */
  readonly period?: number;
  /** Grid spacing in ms for raw points. @default the median spacing of the timestamps */
  readonly step?: number;
  /** Longest gap, in steps, filled by linear interpolation; longer gaps use the seasonal rule. @default 3 */
  readonly maxLinearGap?: number;
  /** Replace outliers by the robust local fit. `true` uses the defaults. @default false */
  readonly outliers?: boolean | OutlierOptions;
  /** Fewest points the caller needs after cleaning. @default 2 */
  readonly minLength?: number;
  /** Name used in error messages. @default 'series' */
  readonly model?: string;
}

/**
 * Tuning of outlier detection in {@link prepareSeries}.
 *
 * @example
 * prepareSeries(points, { outliers: { threshold: 4, halfWindow: 5 } });
 */
export interface OutlierOptions {
  /** Distance from the median residual, in robust standard deviations, beyond which a point is an outlier. @default 5 */
  readonly threshold?: number;
  /** Half-width of the running median, in steps. @default 3 */
  readonly halfWindow?: number;
}

/**
 * A cleaned regular series plus what cleaning did.
 *
 * @example
 * const { values, filled, outliers } = prepareSeries(points, { outliers: true });
 */
export interface PreparedSeries extends Series {
  /** The cleaned values, finite, on the grid. */
  readonly values: Float64Array;
  /** Indexes whose value was missing (no sample or non-finite) and was filled. */
  readonly filled: readonly number[];
  /** Indexes whose value was an outlier and was replaced by the local fit. */
  readonly outliers: readonly number[];
  /** The values before outlier replacement (gaps already filled). */
  readonly raw: Float64Array;
  /** Whether raw points were put onto a grid (false for a {@link Series} input). */
  readonly resampled: boolean;
}

/**
 * Throw `INSUFFICIENT_DATA` when `n < needed`, naming the model and both counts.
 *
 * @example
 * requireLength(3, 576, 'ets(period 288)'); // throws "ets(period 288) needs at least 576 points, got 3."
 */
export function requireLength(n: number, needed: number, model: string): void {
  if (n < needed) {
    throw new TidewayError(
      'INSUFFICIENT_DATA',
      `${model} needs at least ${needed} point${needed === 1 ? '' : 's'}, got ${n}.`,
    );
  }
}

/**
 * Throw `FORECAST_INVALID` when a model is used before `fit()`.
 *
 * @example
 * requireFitted(this.state, 'naive', 'forecast');
 */
export function requireFitted<T>(state: T | undefined, kind: string, method: string): asserts state is T {
  if (state === undefined) {
    throw new TidewayError('FORECAST_INVALID', `${kind}.${method}() was called before fit().`);
  }
}

/**
 * Throw `FORECAST_INVALID` unless saved JSON is of `kind`, version 1: what every `load()` checks
 * before it reads the state.
 *
 * @example
 * requireSavedKind(json, 'mstl');
 */
export function requireSavedKind(json: ForecasterJSON, kind: string): void {
  if (json?.kind !== kind || json.version !== 1) {
    throw new TidewayError(
      'FORECAST_INVALID',
      `${kind}.load(): expected kind "${kind}" version 1, got kind "${json?.kind}" version ${json?.version}.`,
    );
  }
}

/**
 * Parse model options with a zod schema; throw a `ConfigError` (code `ARGUMENT_INVALID`) listing
 * every problem with its path, expected and got.
 *
 * @example
 * parseOptions(etsOptionsSchema, { trend: 'damped' }, 'ets options');
 */
export function parseOptions<S extends z.ZodType>(schema: S, input: unknown, subject: string): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const path = issue.path.map(String).join('.');
      const received = 'input' in issue ? describe(issue.input) : 'a bad value';
      return {
        path,
        segments: issue.path.map((p) => (typeof p === 'number' ? p : String(p))),
        code: issue.code,
        expected: issue.message,
        received,
        message: `${path === '' ? subject : path}: ${issue.message}, got ${received}`,
      };
    }),
    { code: 'ARGUMENT_INVALID', subject },
  );
}

/**
 * Parse the saved state given to a model's `load()`: like {@link parseOptions}, but a mismatch
 * is a `TidewayError` with code `FORECAST_INVALID` (the saved model is unusable, not mistyped).
 *
 * @example
 * const state = parseState(lagStateSchema, json.state, 'naive state');
 */
export function parseState<S extends z.ZodType>(schema: S, input: unknown, subject: string): z.output<S> {
  try {
    return parseOptions(schema, input, subject);
  } catch (error) {
    throw new TidewayError('FORECAST_INVALID', (error as Error).message, { cause: error });
  }
}

function describe(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function checkGrid(series: Series, model: string): void {
  if (!(Number.isFinite(series.step) && series.step > 0)) {
    throw new TidewayError('FORECAST_INVALID', `${model}: series.step: expected ms > 0, got ${series.step}.`);
  }
  if (!Number.isFinite(series.start)) {
    throw new TidewayError(
      'FORECAST_INVALID',
      `${model}: series.start: expected a finite time, got ${series.start}.`,
    );
  }
}

/**
 * The values a model fits on: a fresh `Float64Array` of a regular series, at least `needed`
 * finite values long. Non-finite values are gaps and are filled as {@link prepareSeries} does.
 *
 * @example
 * fitValues({ start: 0, step: 1000, values: [1, Number.NaN, 3] }, 2, 'naive'); // Float64Array [1, 2, 3]
 */
export function fitValues(series: Series, needed: number, model: string, period?: number): Float64Array {
  checkGrid(series, model);
  const values = Float64Array.from(series.values);
  let finite = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) finite++;
  requireLength(finite, Math.max(1, needed), model);
  if (finite < values.length) fillGaps(values, period ?? 0, 3);
  return values;
}

/**
 * Validate and clean a series (see the rules at the top of this file). Accepts raw points
 * (possibly irregular, unsorted, with NaN) or a regular {@link Series} (NaN values are gaps).
 *
 * @throws TidewayError `INSUFFICIENT_DATA` when fewer than `minLength` finite values remain,
 *   `FORECAST_INVALID` for a bad step or start.
 * @example
 * const clean = prepareSeries(
 *   [0, 60, 120, 240].map((s, i) => ({ timestamp: s * 1000, value: i + 1 })),
 * );
 * // clean.step = 60000 (median spacing), clean.values = [1, 2, 3, 3.5, 4], clean.filled = [3]
 */
export function prepareSeries(
  input: readonly TimedPoint[] | Series,
  options: PrepareOptions = {},
): PreparedSeries {
  const model = options.model ?? 'series';
  const minLength = Math.max(1, options.minLength ?? 2);
  const period = options.period !== undefined && options.period >= 2 ? Math.floor(options.period) : 0;
  let start: number;
  let step: number;
  let values: Float64Array;
  let resampled = false;
  if (Array.isArray(input)) {
    const points = (input as readonly TimedPoint[])
      .filter((p) => Number.isFinite(p.timestamp) && Number.isFinite(p.value))
      .sort((a, b) => a.timestamp - b.timestamp);
    requireLength(points.length, minLength, model);
    step = options.step ?? medianSpacing(points);
    if (!(step > 0)) {
      throw new TidewayError(
        'INSUFFICIENT_DATA',
        `${model} needs points at ${minLength} or more distinct times, got them all at one time.`,
      );
    }
    start = (points[0] as TimedPoint).timestamp;
    values = resample(points, start, step);
    resampled = true;
  } else {
    const series = input as Series;
    checkGrid(series, model);
    start = series.start;
    step = series.step;
    values = Float64Array.from(series.values);
  }
  const filled: number[] = [];
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) filled.push(i);
  requireLength(values.length - filled.length, minLength, model);
  if (filled.length > 0) fillGaps(values, period, options.maxLinearGap ?? 3);
  const raw = Float64Array.from(values);
  const outliers: number[] = [];
  if (options.outliers !== undefined && options.outliers !== false) {
    const tuning = options.outliers === true ? {} : options.outliers;
    const fit = robustFit(values, period, tuning.halfWindow ?? 3);
    for (const index of findOutliers(values, fit, tuning.threshold ?? 5)) {
      values[index] = fit[index] as number;
      outliers.push(index);
    }
  }
  return { start, step, values, filled, outliers, raw, resampled };
}

function medianSpacing(points: readonly TimedPoint[]): number {
  const spacings: number[] = [];
  for (let i = 1; i < points.length; i++) {
    const d = (points[i] as TimedPoint).timestamp - (points[i - 1] as TimedPoint).timestamp;
    if (d > 0) spacings.push(d);
  }
  return spacings.length === 0 ? 0 : median(spacings);
}

function resample(points: readonly TimedPoint[], start: number, step: number): Float64Array {
  const last = (points[points.length - 1] as TimedPoint).timestamp;
  const n = Math.round((last - start) / step) + 1;
  const sums = new Float64Array(n);
  const counts = new Uint32Array(n);
  for (const p of points) {
    const slot = Math.min(n - 1, Math.round((p.timestamp - start) / step));
    sums[slot] = (sums[slot] as number) + p.value;
    counts[slot] = (counts[slot] as number) + 1;
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++)
    values[i] = counts[i] === 0 ? Number.NaN : (sums[i] as number) / (counts[i] as number);
  return values;
}

// Fills non-finite values in place. Needs at least one finite value.
function fillGaps(values: Float64Array, period: number, maxLinearGap: number): void {
  const n = values.length;
  let i = 0;
  while (i < n) {
    if (Number.isFinite(values[i])) {
      i++;
      continue;
    }
    let end = i;
    while (end < n && !Number.isFinite(values[end])) end++;
    const before = i - 1;
    const after = end;
    if (before < 0) {
      // Leading gap: nothing earlier to carry, so use one period later, else the first known value.
      for (let k = end - 1; k >= 0; k--) {
        const later = k + period;
        values[k] =
          period > 0 && later < n && Number.isFinite(values[later])
            ? (values[later] as number)
            : (values[after] as number);
      }
    } else if (after >= n) {
      for (let k = i; k < n; k++) {
        values[k] =
          period > 0 && k - period >= 0 ? (values[k - period] as number) : (values[before] as number);
      }
    } else {
      const long = end - i > maxLinearGap;
      const from = values[before] as number;
      const to = values[after] as number;
      for (let k = i; k < end; k++) {
        values[k] =
          long && period > 0 && k - period >= 0
            ? (values[k - period] as number)
            : from + ((to - from) * (k - before)) / (after - before);
      }
    }
    i = end;
  }
}

function median(values: number[]): number {
  const sorted = values.slice().sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

// Median of values[from … from + length) using `buffer` as scratch space.
function windowMedian(values: Float64Array, from: number, length: number, buffer: number[]): number {
  buffer.length = 0;
  for (let k = from; k < from + length; k++) buffer.push(values[k] as number);
  buffer.sort((a, b) => a - b);
  const mid = length >> 1;
  return length % 2 === 1
    ? (buffer[mid] as number)
    : ((buffer[mid - 1] as number) + (buffer[mid] as number)) / 2;
}

/**
 * Robust local fit: a running median over a window of fixed length (shifted inwards at the ends
 * so the ends are not fitted from half a window), plus — with a period and 3 periods of data —
 * the median residual of the same window geometry at the same phase up to 3 periods either side.
 * A periodic series, with or without a linear trend, is then fitted exactly, so only what does
 * not recur stands out.
 */
function robustFit(values: Float64Array, period: number, halfWindow: number): Float64Array {
  const n = values.length;
  const w = Math.min(n, 2 * halfWindow + 1);
  const fit = new Float64Array(n);
  const buffer: number[] = [];
  const phase: number[] = [];
  const seasonal = period > 0 && n >= 3 * period;
  for (let i = 0; i < n; i++) {
    const from = Math.min(Math.max(0, i - halfWindow), n - w);
    let value = windowMedian(values, from, w, buffer);
    if (seasonal) {
      phase.length = 0;
      for (const j of [-3, -2, -1, 1, 2, 3]) {
        const k = i + j * period;
        const kFrom = from + j * period;
        if (kFrom >= 0 && kFrom + w <= n)
          phase.push((values[k] as number) - windowMedian(values, kFrom, w, buffer));
      }
      // Two other periods at least, so one odd day cannot vouch for a spike on its own.
      if (phase.length >= 2) value += median(phase);
    }
    fit[i] = value;
  }
  return fit;
}

function findOutliers(values: Float64Array, fit: Float64Array, threshold: number): number[] {
  const n = values.length;
  const residuals: number[] = new Array(n);
  for (let i = 0; i < n; i++) residuals[i] = (values[i] as number) - (fit[i] as number);
  const center = median(residuals);
  let scale = 1.4826 * median(residuals.map((r) => Math.abs(r - center)));
  if (scale === 0) {
    // More than half the residuals are equal (a flat series): fall back to the mean absolute
    // deviation, scaled to a standard deviation under normality, so a lone spike still stands out.
    let sum = 0;
    for (const r of residuals) sum += Math.abs(r - center);
    scale = (1.2533 * sum) / n;
  }
  // Float noise on an exactly fitted series is not an outlier.
  let size = 0;
  for (let i = 0; i < n; i++) size = Math.max(size, Math.abs(values[i] as number));
  scale = Math.max(scale, 1e-9 * size);
  if (!(scale > 0)) return [];
  const out: number[] = [];
  for (let i = 0; i < n; i++)
    if (Math.abs((residuals[i] as number) - center) > threshold * scale) out.push(i);
  return out;
}
