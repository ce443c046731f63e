import type { MetricSample } from '../ports/metrics.js';

/** How the samples in a rule's window become one number. */
export type Statistic = 'average' | 'last' | 'max' | 'min' | 'sum';

/** The statistics a rule may ask for. */
export const STATISTICS: readonly Statistic[] = ['average', 'last', 'max', 'min', 'sum'];

/**
 * Reduce the samples newer than `since` (strictly) to one number; `undefined` when there are none.
 * Samples are expected oldest first, as observations hold them.
 *
 * @example
 * aggregate([{ timestamp: 1, value: 2 }, { timestamp: 2, value: 4 }], 'average', 0); // 3
 */
export function aggregate(
  samples: readonly MetricSample[],
  statistic: Statistic,
  since: number,
): number | undefined {
  let count = 0;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let last = 0;
  for (let i = 0; i < samples.length; i++) {
    const sample = samples[i] as MetricSample;
    if (sample.timestamp <= since) continue;
    const v = sample.value;
    count++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
    last = v;
  }
  if (count === 0) return undefined;
  switch (statistic) {
    case 'average':
      return sum / count;
    case 'sum':
      return sum;
    case 'min':
      return min;
    case 'max':
      return max;
    case 'last':
      return last;
  }
}

/**
 * A value in integer milli-units, as Kubernetes `Quantity.MilliValue()` reads it: exact for
 * decimal input (so `1.1` is 1100, not 1101 from float noise), rounded up otherwise.
 *
 * @example
 * toMilli(1.1); // 1100
 * toMilli(0.0015); // 2
 */
export function toMilli(value: number): number {
  const scaled = value * 1000;
  const rounded = Math.round(scaled);
  return Math.abs(scaled - rounded) < 1e-6 * Math.max(1, Math.abs(scaled)) ? rounded : Math.ceil(scaled);
}

/**
 * Render a number for a message with at most four decimals (`0.8123456` → `"0.8123"`), using
 * integer formatting only, which is several times cheaper than the shortest-round-trip
 * formatting `String(x)` does; messages are built on every tick.
 *
 * @example
 * formatNumber(0.81239); // '0.8124'
 * formatNumber(12); // '12'
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const scaled = Math.round(Math.abs(value) * 10_000);
  if (scaled > Number.MAX_SAFE_INTEGER) return String(value);
  const whole = Math.floor(scaled / 10_000);
  const fraction = scaled - whole * 10_000;
  const sign = value < 0 && scaled !== 0 ? '-' : '';
  if (fraction === 0) return `${sign}${whole}`;
  // The four decimals as two digit pairs from tables, trailing zeros dropped: no number is
  // turned into a string, and a 1-minute tick does this for every rule.
  const high = Math.floor(fraction / 100);
  const low = fraction - high * 100;
  const text = low === 0 ? (PAIRS_TRIMMED[high] as string) : (PAIRS[high] as string) + PAIRS_TRIMMED[low];
  return whole < WHOLE_POINT.length ? sign + WHOLE_POINT[whole] + text : `${sign}${whole}.${text}`;
}

/** `'00'` … `'99'`. */
const PAIRS: readonly string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : `${i}`));
/** {@link PAIRS} without trailing zeros (`'10'` → `'1'`); index 0 is never read. */
const PAIRS_TRIMMED: readonly string[] = PAIRS.map((pair) => (pair[1] === '0' ? pair.slice(0, 1) : pair));
/** `'0.'` … `'99.'`. */
const WHOLE_POINT: readonly string[] = Array.from({ length: 100 }, (_, i) => `${i}.`);

/**
 * Summary statistics of durations, in ms. Percentiles are nearest-rank: the value at rank
 * ⌈p/100 × n⌉ of the sorted values, so every reported percentile is a value that occurred.
 * All fields are 0 when `count` is 0.
 *
 * @example
 * const stats: LatencyStats = { count: 2, mean: 1500, p50: 1000, p95: 2000, max: 2000 };
 */
export interface LatencyStats {
  /** How many values. */
  readonly count: number;
  /** Arithmetic mean. */
  readonly mean: number;
  /** Median (nearest rank). */
  readonly p50: number;
  /** 95th percentile (nearest rank). */
  readonly p95: number;
  /** Largest. */
  readonly max: number;
}

/**
 * {@link LatencyStats} of a list of durations.
 *
 * @throws RangeError when a value is not a finite number
 * @example
 * latencyStats([3000, 1000, 2000]); // { count: 3, mean: 2000, p50: 2000, p95: 3000, max: 3000 }
 */
export function latencyStats(values: readonly number[]): LatencyStats {
  const n = values.length;
  if (n === 0) return { count: 0, mean: 0, p50: 0, p95: 0, max: 0 };
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) throw new RangeError(`values[${i}]: expected a finite number, got ${v}`);
    sum += v;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number): number => sorted[Math.max(0, Math.ceil((p / 100) * n) - 1)] as number;
  return { count: n, mean: sum / n, p50: rank(50), p95: rank(95), max: sorted[n - 1] as number };
}

/**
 * The first index of a sorted (ascending) array whose value is greater than `value`; the
 * array's length when there is none.
 *
 * @example
 * upperBound([10, 20, 20, 30], 20); // 3
 */
export function upperBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
