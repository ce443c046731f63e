/**
 * A small deterministic, bounded Nelder–Mead minimiser (no randomness, no allocation per step).
 *
 * Public API:
 * - `nelderMead(f, x0, options)` → `{ x, value, evaluations, converged }`.
 *
 * Bounds are enforced by projection: every trial point is clamped into `[lower, upper]` before
 * `f` sees it, so `f` is never called outside the box. Coefficients are the standard ones
 * (reflection 1, expansion 2, contraction ½, shrink ½); ties keep the earlier vertex, so the same
 * inputs always give the same result.
 */

/**
 * Options of {@link nelderMead}.
 *
 * @example
 * nelderMead(f, [0.2, 0.1], { lower: [0, 0], upper: [1, 1], maxEvaluations: 100 });
 */
export interface NelderMeadOptions {
  /** Lower bound per coordinate. @default -Infinity */
  readonly lower?: ArrayLike<number>;
  /** Upper bound per coordinate. @default +Infinity */
  readonly upper?: ArrayLike<number>;
  /** Initial simplex edge per coordinate (or one for all). @default 10% of |x0|, at least 0.05 */
  readonly step?: ArrayLike<number> | number;
  /** Most evaluations of `f`. @default 200 · dimension */
  readonly maxEvaluations?: number;
  /** Stop when the spread of `f` over the simplex is at most `tolerance · (|f_best| + 1e-12)`. @default 1e-8 */
  readonly tolerance?: number;
}

/**
 * The result of {@link nelderMead}.
 *
 * @example
 * const { x, value, converged } = nelderMead(f, x0);
 */
export interface NelderMeadResult {
  /** The best point found (inside the bounds). */
  readonly x: Float64Array;
  /** `f(x)`. */
  readonly value: number;
  /** How many times `f` was called. */
  readonly evaluations: number;
  /** Whether the tolerance was met before `maxEvaluations`. */
  readonly converged: boolean;
}

/**
 * Minimise `f` over a box with the Nelder–Mead simplex method. `f` receives a buffer that is reused
 * between calls: read it, do not keep it. A non-finite value of `f` counts as `+Infinity`.
 *
 * @example
 * const r = nelderMead((x) => (x[0] - 1) ** 2 + (x[1] + 2) ** 2, [0, 0], { lower: [-5, -5], upper: [5, 5] });
 * // r.x ≈ [1, -2]
 */
export function nelderMead(
  f: (x: Float64Array) => number,
  x0: ArrayLike<number>,
  options: NelderMeadOptions = {},
): NelderMeadResult {
  const n = x0.length;
  const lower = Float64Array.from({ length: n }, (_, i) => options.lower?.[i] ?? Number.NEGATIVE_INFINITY);
  const upper = Float64Array.from({ length: n }, (_, i) => options.upper?.[i] ?? Number.POSITIVE_INFINITY);
  const maxEvaluations = options.maxEvaluations ?? 200 * Math.max(1, n);
  const tolerance = options.tolerance ?? 1e-8;
  let evaluations = 0;

  const clamp = (x: Float64Array): void => {
    for (let j = 0; j < n; j++) {
      x[j] = Math.min(upper[j] as number, Math.max(lower[j] as number, x[j] as number));
    }
  };
  const evaluate = (x: Float64Array): number => {
    clamp(x);
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };

  // Vertices as rows of one buffer.
  const vertices = Array.from({ length: n + 1 }, () => new Float64Array(n));
  const values = new Float64Array(n + 1);
  (vertices[0] as Float64Array).set(x0);
  values[0] = evaluate(vertices[0] as Float64Array);
  for (let i = 0; i < n; i++) {
    const v = vertices[i + 1] as Float64Array;
    v.set(vertices[0] as Float64Array);
    const base = v[i] as number;
    const edge =
      typeof options.step === 'number'
        ? options.step
        : (options.step?.[i] ?? Math.max(0.05, 0.1 * Math.abs(base)));
    // Step inwards when the outward step would leave the box, so the simplex is not degenerate.
    v[i] = base + edge <= (upper[i] as number) ? base + edge : base - edge;
    values[i + 1] = evaluate(v);
  }

  const order = Int32Array.from({ length: n + 1 }, (_, i) => i);
  const centroid = new Float64Array(n);
  const trial = new Float64Array(n);
  const trial2 = new Float64Array(n);
  const along = (from: Float64Array, to: Float64Array, t: number, out: Float64Array): void => {
    for (let j = 0; j < n; j++) out[j] = (from[j] as number) + t * ((to[j] as number) - (from[j] as number));
  };
  const sort = (): void => {
    // Insertion sort; stable, so ties keep their earlier order.
    for (let i = 1; i <= n; i++) {
      const k = order[i] as number;
      let j = i - 1;
      while (j >= 0 && (values[order[j] as number] as number) > (values[k] as number)) {
        order[j + 1] = order[j] as number;
        j--;
      }
      order[j + 1] = k;
    }
  };

  let converged = false;
  while (true) {
    sort();
    const best = order[0] as number;
    const worst = order[n] as number;
    const secondWorst = order[n - 1] as number;
    const fBest = values[best] as number;
    const fWorst = values[worst] as number;
    if (Math.abs(fWorst - fBest) <= tolerance * (Math.abs(fBest) + 1e-12)) {
      converged = true;
      break;
    }
    if (evaluations >= maxEvaluations) break;

    centroid.fill(0);
    for (let i = 0; i < n; i++) {
      const v = vertices[order[i] as number] as Float64Array;
      for (let j = 0; j < n; j++) centroid[j] = (centroid[j] as number) + (v[j] as number) / n;
    }
    const w = vertices[worst] as Float64Array;
    along(centroid, w, -1, trial);
    const fr = evaluate(trial);
    if (fr < fBest) {
      along(centroid, w, -2, trial2);
      const fe = evaluate(trial2);
      if (fe < fr) {
        w.set(trial2);
        values[worst] = fe;
      } else {
        w.set(trial);
        values[worst] = fr;
      }
      continue;
    }
    if (fr < (values[secondWorst] as number)) {
      w.set(trial);
      values[worst] = fr;
      continue;
    }
    // Contract towards the better of the reflected and the worst point.
    if (fr < fWorst) along(centroid, trial, 0.5, trial2);
    else along(centroid, w, 0.5, trial2);
    const fc = evaluate(trial2);
    if (fc < Math.min(fr, fWorst)) {
      w.set(trial2);
      values[worst] = fc;
      continue;
    }
    const b = vertices[best] as Float64Array;
    for (let i = 1; i <= n; i++) {
      const k = order[i] as number;
      const v = vertices[k] as Float64Array;
      along(b, v, 0.5, v);
      values[k] = evaluate(v);
    }
  }
  const best = order[0] as number;
  return {
    x: Float64Array.from(vertices[best] as Float64Array),
    value: values[best] as number,
    evaluations,
    converged,
  };
}
