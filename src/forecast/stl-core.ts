/**
 * STL (Seasonal-Trend decomposition by Loess, Cleveland et al. 1990), ported from the reference
 * Fortran (`stl.f` in R's `stats`) with its loess, `jump` interpolation and robustness weights,
 * plus MSTL (Bandara, Hyndman & Bergmeir 2021: STL applied once per period, iterated).
 *
 * Internal to `mstl.ts` (kept apart because the loess machinery is long); indices are 0-based
 * here where the Fortran is 1-based.
 */

/** Settings of one STL run. Windows are odd point counts; jumps are ≥ 1. */
interface StlSettings {
  readonly period: number;
  readonly seasonalWindow: number;
  readonly trendWindow: number;
  readonly lowPassWindow: number;
  readonly seasonalDegree: 0 | 1;
  readonly trendDegree: 0 | 1;
  readonly inner: number;
  readonly outer: number;
}

/** One STL decomposition: `values = seasonal + trend + remainder`. */
interface StlResult {
  readonly seasonal: Float64Array;
  readonly trend: Float64Array;
  readonly remainder: Float64Array;
}

const nextOdd = (x: number): number => {
  const r = Math.round(x);
  return r % 2 === 0 ? r + 1 : r;
};

/**
 * R's `stl()` defaults for a numeric `s.window`: trend window
 * `nextodd(ceil(1.5·period / (1 − 1.5/s.window)))`, low-pass window `nextodd(period)`, degree 0
 * for the seasonal smoother and 1 for trend and low pass; 2 inner passes without robustness,
 * 1 inner and 15 outer with it.
 */
function stlDefaults(period: number, seasonalWindow: number, robust: boolean): StlSettings {
  return {
    period,
    seasonalWindow: nextOdd(seasonalWindow),
    trendWindow: nextOdd(Math.ceil((1.5 * period) / (1 - 1.5 / seasonalWindow))),
    lowPassWindow: nextOdd(period),
    seasonalDegree: 0,
    trendDegree: 1,
    inner: robust ? 1 : 2,
    outer: robust ? 15 : 0,
  };
}

/**
 * Loess estimate at abscissa `xs` (1-based positions, as in the Fortran `est`) from the points
 * `nleft..nright` of `y`, window `len`, local degree `deg`. Returns NaN when every weight is 0.
 * The Fortran normalises the tricube weights, then folds the local-linear correction into them
 * in five passes; the same estimate comes from one pass over the weighted sums
 * `Σw, Σwj, Σwj², Σwy, Σwjy` (and this is the innermost loop of the whole decomposition).
 */
function est(
  y: Float64Array,
  n: number,
  len: number,
  deg: number,
  xs: number,
  nleft: number,
  nright: number,
  rw: Float64Array | null,
): number {
  const range = n - 1;
  let h = Math.max(xs - nleft, nright - xs);
  if (len > n) h += Math.floor((len - n) / 2);
  const h9 = 0.999 * h;
  const h1 = 0.001 * h;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let t0 = 0;
  let t1 = 0;
  for (let j = nleft; j <= nright; j++) {
    const r = j > xs ? j - xs : xs - j;
    if (r > h9) continue;
    let w = 1;
    if (r > h1) {
      const q = r / h;
      const c = 1 - q * q * q;
      w = c * c * c;
    }
    if (rw !== null) w *= rw[j - 1] as number;
    const yj = y[j - 1] as number;
    s0 += w;
    s1 += w * j;
    s2 += w * j * j;
    t0 += w * yj;
    t1 += w * j * yj;
  }
  if (s0 <= 0) return Number.NaN;
  const mean = s1 / s0;
  const fit = t0 / s0;
  if (h > 0 && deg > 0) {
    const c = s2 / s0 - mean * mean;
    if (Math.sqrt(Math.max(0, c)) > 0.001 * range) {
      return fit + ((xs - mean) / c) * (t1 / s0 - mean * fit);
    }
  }
  return fit;
}

/** Loess smooth of `y[0..n)` into `ys`, evaluated every `jump` points and linearly interpolated. */
function ess(
  y: Float64Array,
  n: number,
  len: number,
  deg: number,
  jump: number,
  rw: Float64Array | null,
  ys: Float64Array,
): void {
  if (n < 2) {
    ys[0] = y[0] as number;
    return;
  }
  const newnj = Math.min(jump, n - 1);
  const smoothAt = (i: number, nleft: number, nright: number): void => {
    const v = est(y, n, len, deg, i, nleft, nright, rw);
    ys[i - 1] = Number.isNaN(v) ? (y[i - 1] as number) : v;
  };
  if (len >= n) {
    for (let i = 1; i <= n; i += newnj) smoothAt(i, 1, n);
  } else if (newnj === 1) {
    const nsh = Math.floor((len + 1) / 2);
    let nleft = 1;
    let nright = len;
    for (let i = 1; i <= n; i++) {
      if (i > nsh && nright !== n) {
        nleft++;
        nright++;
      }
      smoothAt(i, nleft, nright);
    }
  } else {
    const nsh = Math.floor((len + 1) / 2);
    for (let i = 1; i <= n; i += newnj) {
      if (i < nsh) smoothAt(i, 1, len);
      else if (i >= n - nsh + 1) smoothAt(i, n - len + 1, n);
      else smoothAt(i, i - nsh + 1, len + i - nsh);
    }
  }
  if (newnj === 1) return;
  for (let i = 1; i <= n - newnj; i += newnj) {
    const from = ys[i - 1] as number;
    const delta = ((ys[i + newnj - 1] as number) - from) / newnj;
    for (let j = i + 1; j < i + newnj; j++) ys[j - 1] = from + delta * (j - i);
  }
  const k = Math.floor((n - 1) / newnj) * newnj + 1;
  if (k !== n) {
    const nleft = len >= n ? 1 : n - len + 1;
    smoothAt(n, nleft, n);
    if (k !== n - 1) {
      const from = ys[k - 1] as number;
      const delta = ((ys[n - 1] as number) - from) / (n - k);
      for (let j = k + 1; j < n; j++) ys[j - 1] = from + delta * (j - k);
    }
  }
}

/** Moving average of width `len` over `x[0..n)`: `n − len + 1` values into `out`. */
function movingAverage(x: Float64Array, n: number, len: number, out: Float64Array): void {
  let sum = 0;
  for (let i = 0; i < len; i++) sum += x[i] as number;
  out[0] = sum / len;
  for (let i = len; i < n; i++) {
    sum += (x[i] as number) - (x[i - len] as number);
    out[i - len + 1] = sum / len;
  }
}

const jumpOf = (window: number): number => Math.max(1, Math.ceil(window / 10));

/** One STL decomposition of `y` (length ≥ 2 periods). */
function stl(y: Float64Array, s: StlSettings): StlResult {
  const n = y.length;
  const np = s.period;
  const trend = new Float64Array(n);
  const seasonal = new Float64Array(n);
  const rw = new Float64Array(n);
  const work = new Float64Array(n + 2 * np);
  const cycle = new Float64Array(n + 2 * np);
  const ma1 = new Float64Array(n + 2 * np);
  const ma2 = new Float64Array(n + 2 * np);
  const low = new Float64Array(n);
  const sub = new Float64Array(Math.ceil(n / np) + 2);
  const subOut = new Float64Array(Math.ceil(n / np) + 2);
  const subWeights = new Float64Array(Math.ceil(n / np) + 2);
  const ns = s.seasonalWindow;
  let useRw = false;
  for (let outer = 0; outer <= s.outer; outer++) {
    for (let inner = 0; inner < s.inner; inner++) {
      for (let i = 0; i < n; i++) work[i] = (y[i] as number) - (trend[i] as number);
      // Cycle-subseries smoothing, each extended one cycle back and forward.
      for (let j = 0; j < np; j++) {
        const k = Math.floor((n - 1 - j) / np) + 1;
        for (let m = 0; m < k; m++) sub[m] = work[j + m * np] as number;
        const subRw = useRw ? subWeights : null;
        if (subRw !== null) for (let m = 0; m < k; m++) subRw[m] = rw[j + m * np] as number;
        const smoothed = subOut.subarray(1, k + 1);
        ess(sub, k, ns, s.seasonalDegree, jumpOf(ns), subRw, smoothed);
        const before = est(sub, k, ns, s.seasonalDegree, 0, 1, Math.min(ns, k), subRw);
        subOut[0] = Number.isNaN(before) ? (subOut[1] as number) : before;
        const after = est(sub, k, ns, s.seasonalDegree, k + 1, Math.max(1, k - ns + 1), k, subRw);
        subOut[k + 1] = Number.isNaN(after) ? (subOut[k] as number) : after;
        for (let m = 0; m < k + 2; m++) cycle[j + m * np] = subOut[m] as number;
      }
      // Low-pass filter of the cycle series; its trend leaks out of the seasonal.
      movingAverage(cycle, n + 2 * np, np, ma1);
      movingAverage(ma1, n + np + 1, np, ma2);
      movingAverage(ma2, n + 2, 3, ma1);
      ess(ma1, n, s.lowPassWindow, s.trendDegree, jumpOf(s.lowPassWindow), null, low);
      for (let i = 0; i < n; i++) {
        seasonal[i] = (cycle[np + i] as number) - (low[i] as number);
        work[i] = (y[i] as number) - (seasonal[i] as number);
      }
      ess(work, n, s.trendWindow, s.trendDegree, jumpOf(s.trendWindow), useRw ? rw : null, trend);
    }
    if (outer < s.outer) {
      robustnessWeights(y, seasonal, trend, rw);
      useRw = true;
    }
  }
  const remainder = new Float64Array(n);
  for (let i = 0; i < n; i++)
    remainder[i] = (y[i] as number) - (seasonal[i] as number) - (trend[i] as number);
  return { seasonal, trend, remainder };
}

/** Bisquare weights of the remainder, `h = 6 · median |remainder|` (the Fortran `rwts`). */
function robustnessWeights(
  y: Float64Array,
  seasonal: Float64Array,
  trend: Float64Array,
  rw: Float64Array,
): void {
  const n = y.length;
  const abs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = Math.abs((y[i] as number) - (seasonal[i] as number) - (trend[i] as number));
    rw[i] = r;
    abs[i] = r;
  }
  const mid = Math.floor(n / 2);
  const upper = select(abs, mid);
  // For even n the lower middle is the largest value left of `mid` after selection.
  let lower = upper;
  if (n % 2 === 0) {
    lower = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < mid; i++) if ((abs[i] as number) > lower) lower = abs[i] as number;
  }
  const med = (lower + upper) / 2;
  const h = 6 * med;
  const c9 = 0.999 * h;
  const c1 = 0.001 * h;
  for (let i = 0; i < n; i++) {
    const r = rw[i] as number;
    if (r <= c1) rw[i] = 1;
    else if (r <= c9) {
      const q = r / h;
      const b = 1 - q * q;
      rw[i] = b * b;
    } else rw[i] = 0;
  }
}

/**
 * The `k`-th smallest value of `a` (0-based), partially reordering `a` so that everything left of
 * `k` is ≤ it (Hoare's quickselect with a median-of-three pivot; O(n) on average, no randomness).
 */
function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    const x = a[lo] as number;
    const y = a[mid] as number;
    const z = a[hi] as number;
    const pivot = Math.max(Math.min(x, y), Math.min(Math.max(x, y), z)); // median of three
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k] as number;
}

/** An MSTL decomposition: one seasonal per period (ascending), trend and remainder. */
export interface MstlResult {
  readonly periods: readonly number[];
  readonly seasonals: readonly Float64Array[];
  readonly trend: Float64Array;
  readonly remainder: Float64Array;
}

/**
 * MSTL as in R's `forecast::mstl`: periods ascending; each STL is run on the series with the
 * other seasonals removed; `iterations` passes; seasonal window `7 + 4·i` for the i-th period
 * (1-based) unless given.
 */
export function mstl(
  y: Float64Array,
  periods: readonly number[],
  options: {
    readonly iterations: number;
    readonly seasonalWindows: readonly number[];
    readonly robust: boolean;
    readonly outer?: number;
  },
): MstlResult {
  const n = y.length;
  const sorted = [...periods].sort((a, b) => a - b);
  const seasonals = sorted.map(() => new Float64Array(n));
  const deseason = Float64Array.from(y);
  let trend: Float64Array = new Float64Array(n);
  const iterations = sorted.length === 1 ? 1 : options.iterations;
  for (let it = 0; it < iterations; it++) {
    for (let p = 0; p < sorted.length; p++) {
      const seasonal = seasonals[p] as Float64Array;
      for (let i = 0; i < n; i++) deseason[i] = (deseason[i] as number) + (seasonal[i] as number);
      const window = options.seasonalWindows[p] ?? 7 + 4 * (p + 1);
      const settings = stlDefaults(sorted[p] as number, window, options.robust);
      const fit = stl(
        deseason,
        options.outer === undefined ? settings : { ...settings, outer: options.outer },
      );
      seasonal.set(fit.seasonal);
      for (let i = 0; i < n; i++) deseason[i] = (deseason[i] as number) - (seasonal[i] as number);
      trend = fit.trend;
    }
  }
  const remainder = new Float64Array(n);
  for (let i = 0; i < n; i++) remainder[i] = (deseason[i] as number) - (trend[i] as number);
  return { periods: sorted, seasonals, trend, remainder };
}
