/**
 * Exponential smoothing (ETS with additive errors): simple, Holt (additive trend), damped trend,
 * and Holt–Winters with additive or multiplicative seasonality.
 *
 * Public API:
 * - `etsOptionsSchema` / `EtsOptions` — `{ trend, season, period, auto, parameters, maxEvaluations }`.
 * - `EtsForecaster` (`kind: 'ets'`) — `fit`, `forecast`, `update` (O(1): one filter step with the
 *   fitted parameters), `score`, `toJSON`; `EtsForecaster.load(json)`; read-only `parameters`
 *   (smoothing parameters and initial states, reusable as `options.parameters` to refit with fixed
 *   parameters), `config`, `aicc`, `sigma`, `evaluations`.
 * - `EtsParameters`, `EtsConfig` types.
 *
 * Model (Hyndman, Koehler, Ord & Snyder 2008, "Forecasting with Exponential Smoothing", table 2.3,
 * additive-error rows): with `ϕ = 1` unless damped, `b = 0` without trend, `s = 0` without season,
 *   additive season:        μ = ℓ + ϕb + s[t−m];   e = y − μ;
 *                           ℓ ← ℓ + ϕb + αe;  b ← ϕb + βe;  s[t] = s[t−m] + γe
 *   multiplicative season:  μ = (ℓ + ϕb)·s[t−m];   e = y − μ;
 *                           ℓ ← ℓ + ϕb + αe/s[t−m];  b ← ϕb + βe/s[t−m];  s[t] = s[t−m] + γe/(ℓ + ϕb)
 *
 * Fitting minimises the in-sample one-step SSE over (α, β, γ, ϕ, ℓ₀, b₀ and — when `period ≤ 12`,
 * as R's forecast::ets does for short seasons — the initial seasonal states) with a bounded
 * Nelder–Mead started from a classical decomposition of the first two periods. Longer seasons keep
 * the decomposition's seasonal states (hundreds of free states would swamp the optimiser).
 * Bounds are R's "usual" region: α ∈ [1e-4, 0.9999], β ∈ [1e-4, α), γ ∈ [1e-4, 1 − α),
 * ϕ ∈ [0.8, 0.98] (β and γ are searched as fractions of α and 1 − α so the box stays a box).
 *
 * Intervals: for additive or no season, the exact class-1 variance of Hyndman et al. (2008, §6.3,
 * table 6.1): `v(h) = σ²(1 + Σ_{j<h} c_j²)`, `c_j = α + βϕ_j + γ·[j mod m = 0]`, `ϕ_j = ϕ + … + ϕ^j`.
 * For multiplicative season (no closed form for ETS(A,·,M)) the approximation
 * `c_j = (α + βϕ_j)·s[h]/s[h−j]`, which ignores the uncertainty of the seasonal states.
 * `σ² = SSE / (n − k)`, `k` the number of fitted parameters and initial states.
 */
import { z } from 'zod';
import { TidewayError } from '../errors.js';
import { buildForecast, checkHorizon } from './interval.js';
import { maseScale, scoreForecast } from './metrics.js';
import { nelderMead } from './optimize.js';
import { fitValues, parseOptions, parseState, requireFitted, requireSavedKind } from './series.js';
import type {
  Forecast,
  Forecaster,
  ForecasterJSON,
  ForecastOptions,
  ForecastScore,
  Series,
} from './types.js';

const TRENDS = ['none', 'additive', 'damped'] as const;
const SEASONS = ['none', 'additive', 'multiplicative'] as const;
/**
 * Trend component of an ETS model.
 *
 * @example
 * const trend: EtsTrend = 'damped';
 */
export type EtsTrend = (typeof TRENDS)[number];
/**
 * Seasonal component of an ETS model.
 *
 * @example
 * const season: EtsSeason = 'multiplicative';
 */
export type EtsSeason = (typeof SEASONS)[number];

/** Seasons up to this length get their initial states optimised; longer ones keep the decomposition's. */
const MAX_OPTIMISED_SEASON = 12;

/**
 * Smoothing parameters and initial states: all that determines the filter. A fitted model's
 * `parameters` passed back as `options.parameters` reproduce it exactly.
 *
 * @example
 * { alpha: 0.5, beta: 0, gamma: 0, phi: 1, level: 10, trend: 0, season: [] } // simple smoothing
 */
export const etsParametersSchema = z.strictObject({
  /** Level smoothing, in (0, 1). */
  alpha: z.number().gt(0).lt(1),
  /** Trend smoothing (0 without trend). @default 0 */
  beta: z.number().min(0).lt(1).default(0),
  /** Seasonal smoothing (0 without season). @default 0 */
  gamma: z.number().min(0).lt(1).default(0),
  /** Damping (1 unless the trend is damped). @default 1 */
  phi: z.number().gt(0).max(1).default(1),
  /** Initial level ℓ₀. */
  level: z.number(),
  /** Initial trend b₀. @default 0 */
  trend: z.number().default(0),
  /** Initial seasonal states, `season[i]` for the i-th point of the series (length `period`). @default [] */
  season: z.array(z.number()).default([]),
});
/**
 * {@link etsParametersSchema} as written.
 *
 * @example
 * const fixed: EtsParametersInput = { alpha: 0.3, level: 12 };
 */
export type EtsParametersInput = z.input<typeof etsParametersSchema>;
/**
 * Smoothing parameters and initial states of a fitted ETS model.
 *
 * @example
 * const { alpha, phi } = model.parameters;
 */
export type EtsParameters = z.output<typeof etsParametersSchema>;

/**
 * Options of the ETS forecaster.
 *
 * @example
 * etsOptionsSchema.parse({ trend: 'damped', season: 'additive', period: 288 });
 * etsOptionsSchema.parse({ auto: true, period: 24 }); // choose the configuration by AICc
 */
export const etsOptionsSchema = z
  .strictObject({
    /** @default 'none' */
    trend: z.enum(TRENDS).default('none'),
    /** @default 'none' */
    season: z.enum(SEASONS).default('none'),
    /** Season length in steps (integer ≥ 2); needed for a season and for seasonal candidates of `auto`. */
    period: z.number().int().min(2).optional(),
    /**
     * Fit every configuration that the data allows (trend none/additive/damped × season
     * none/additive/multiplicative; seasonal only with `period` and 2 periods of data,
     * multiplicative only when every value is > 0) and keep the lowest AICc. `trend` and
     * `season` are then ignored. @default false
     */
    auto: z.boolean().default(false),
    /** Fixed parameters and initial states: `fit` only runs the filter (no optimisation). */
    parameters: etsParametersSchema.optional(),
    /** Cap on objective evaluations per configuration. @default 60 per optimised dimension */
    maxEvaluations: z.number().int().min(1).optional(),
  })
  .superRefine((o, ctx) => {
    if (o.season !== 'none' && !o.auto && o.period === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['period'],
        message: `expected a period with season '${o.season}'`,
      });
    }
    if (o.auto && o.parameters !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['parameters'],
        message: 'expected no fixed parameters with auto',
      });
    }
  });
/**
 * Options of {@link EtsForecaster} as written.
 *
 * @example
 * const options: EtsOptions = { trend: 'additive', season: 'additive', period: 24 };
 */
export type EtsOptions = z.input<typeof etsOptionsSchema>;

/**
 * One ETS configuration (what `auto` chose, or what was asked).
 *
 * @example
 * model.config; // { trend: 'damped', season: 'additive', period: 288 }
 */
export interface EtsConfig {
  readonly trend: EtsTrend;
  readonly season: EtsSeason;
  /** Season length in steps; 1 without season. */
  readonly period: number;
}

/** Saved state of an ETS forecaster, version 1. */
interface EtsState {
  readonly config: EtsConfig;
  readonly parameters: EtsParameters;
  readonly level: number;
  readonly trend: number;
  /** Current seasonal states, `season[0]` for the next point. */
  readonly season: readonly number[];
  readonly sse: number;
  readonly count: number;
  readonly k: number;
  readonly aicc: number;
  readonly last: number;
  readonly step: number;
  readonly scale: number;
}

const configSchema = z.object({
  trend: z.enum(TRENDS),
  season: z.enum(SEASONS),
  period: z.number().int().min(1),
});
const stateSchema = z.object({
  config: configSchema,
  parameters: etsParametersSchema,
  level: z.number(),
  trend: z.number(),
  season: z.array(z.number()),
  sse: z.number().min(0),
  count: z.number().int().min(0),
  k: z.number().int().min(0),
  aicc: z.number().nullable(),
  last: z.number(),
  step: z.number().positive(),
  scale: z.number().min(0),
});

function label(config: EtsConfig): string {
  const season = config.season === 'none' ? '' : `, season ${config.season}, period ${config.period}`;
  return `ets(trend ${config.trend}${season})`;
}

/** Number of fitted parameters and initial states (for σ² and AICc). */
function parameterCount(config: EtsConfig): number {
  let k = 2; // α, ℓ₀
  if (config.trend !== 'none') k += 2; // β, b₀
  if (config.trend === 'damped') k += 1; // ϕ
  if (config.season !== 'none') k += config.period; // γ and m − 1 free seasonal states
  return k;
}

/** Fewest points to fit a configuration: two full periods for the decomposition, and k + 2. */
function pointsNeeded(config: EtsConfig): number {
  const k = parameterCount(config);
  return config.season === 'none' ? k + 2 : Math.max(2 * config.period, k + 2);
}

// ---------------------------------------------------------------------------------------------
// The filter. Kept free of allocation: the optimiser calls it hundreds of times per fit.

/**
 * Run the filter over `y` from the initial states, leaving the final states in `out`
 * (`out.season` is rotated so `season[0]` is the phase of the next point). Returns the SSE, or
 * `Infinity` when a multiplicative model leaves the positive region.
 */
function runFilter(
  y: Float64Array,
  multiplicative: boolean,
  alpha: number,
  beta: number,
  gamma: number,
  phi: number,
  level0: number,
  trend0: number,
  season: Float64Array,
  m: number,
  out: { level: number; trend: number; head: number },
): number {
  let l = level0;
  let b = trend0;
  let head = 0;
  let sse = 0;
  const n = y.length;
  if (multiplicative) {
    for (let t = 0; t < n; t++) {
      const s = season[head] as number;
      // 1/s does not depend on the level chain, so the division overlaps with it.
      const inv = 1 / s;
      const base = l + phi * b;
      if (!(base > 0 && s > 0)) return Number.POSITIVE_INFINITY;
      const e = (y[t] as number) - base * s;
      sse += e * e;
      l = base + alpha * inv * e;
      b = phi * b + beta * inv * e;
      season[head] = s + (gamma * e) / base;
      head = head + 1 === m ? 0 : head + 1;
    }
  } else {
    for (let t = 0; t < n; t++) {
      const s = season[head] as number;
      const phiB = phi * b;
      const e = (y[t] as number) - (l + phiB + s);
      sse += e * e;
      l = l + phiB + alpha * e;
      b = phiB + beta * e;
      season[head] = s + gamma * e;
      head = head + 1 === m ? 0 : head + 1;
    }
  }
  out.level = l;
  out.trend = b;
  out.head = head;
  return Number.isFinite(sse) ? sse : Number.POSITIVE_INFINITY;
}

// ---------------------------------------------------------------------------------------------
// Initial states.

interface Seed {
  level: number;
  trend: number;
  season: Float64Array;
  /** Typical size of the data, to size the optimiser's first steps. */
  spread: number;
}

/**
 * Initial states. Seasonal: classical decomposition (centred moving average of order m, 2×m for
 * even m) over every complete period — at least two; the first two alone would give each phase a
 * single noisy value, and for long seasons these seeds are not optimised. Level and trend: a
 * least-squares line through the deseasonalised first two periods (first 10 points without season).
 */
function seed(y: Float64Array, config: EtsConfig): Seed {
  const m = config.period;
  const multiplicative = config.season === 'multiplicative';
  const season = new Float64Array(m).fill(multiplicative ? 1 : 0);
  let span = Math.min(y.length, 10);
  if (config.season !== 'none') {
    span = 2 * m;
    const end = Math.floor(y.length / m) * m;
    const sums = new Float64Array(m);
    const counts = new Float64Array(m);
    const half = Math.floor(m / 2);
    const even = m % 2 === 0;
    // Running window sum over y[t−half … t+half]; for even m the two ends weigh ½.
    let window = 0;
    for (let k = 0; k <= 2 * half && k < end; k++) window += y[k] as number;
    for (let t = half; t + half < end; t++) {
      if (t > half) window += (y[t + half] as number) - (y[t - half - 1] as number);
      const ma = even ? (window - 0.5 * ((y[t - half] as number) + (y[t + half] as number))) / m : window / m;
      const p = t % m;
      sums[p] = (sums[p] as number) + (multiplicative ? (y[t] as number) / ma : (y[t] as number) - ma);
      counts[p] = (counts[p] as number) + 1;
    }
    let total = 0;
    for (let p = 0; p < m; p++) {
      season[p] =
        (counts[p] as number) > 0 ? (sums[p] as number) / (counts[p] as number) : multiplicative ? 1 : 0;
      total += season[p] as number;
    }
    const mean = total / m;
    for (let p = 0; p < m; p++)
      season[p] = multiplicative ? (season[p] as number) / mean : (season[p] as number) - mean;
  }
  // Least-squares line through the deseasonalised start, x = 1..span, so ℓ₀ + b₀ fits the first point.
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let t = 0; t < span; t++) {
    const s = season[t % m] as number;
    const v = multiplicative ? (y[t] as number) / s : (y[t] as number) - s;
    const x = t + 1;
    sx += x;
    sy += v;
    sxx += x * x;
    sxy += x * v;
  }
  const meanY = sy / span;
  let level = meanY;
  let trend = 0;
  if (config.trend !== 'none' && span >= 2) {
    trend = (span * sxy - sx * sy) / (span * sxx - sx * sx);
    level = meanY - (trend * sx) / span;
  }
  let sq = 0;
  for (let t = 0; t < span; t++) sq += ((y[t] as number) - meanY) ** 2;
  const spread = Math.max(Math.sqrt(sq / span), 1e-3 * Math.abs(meanY), 1e-8);
  return { level, trend, season, spread };
}

// ---------------------------------------------------------------------------------------------
// Fitting one configuration.

interface Fitted {
  config: EtsConfig;
  parameters: EtsParameters;
  sse: number;
  k: number;
  aicc: number;
  evaluations: number;
}

function aiccOf(sse: number, n: number, k: number): number {
  const np = k + 1; // + σ
  if (n - np - 1 <= 0) return Number.POSITIVE_INFINITY;
  const minus2LogLik = n * Math.log(sse / n) + n * (1 + Math.log(2 * Math.PI));
  return minus2LogLik + 2 * np + (2 * np * (np + 1)) / (n - np - 1);
}

/**
 * For additive models the one-step errors are affine in the initial level and trend, so for given
 * smoothing parameters the best ℓ₀, b₀ solve a 2×2 least-squares problem (Hyndman et al. 2008,
 * §5.2, "optimal initial states" by linear regression). Three filters run in one loop: the data
 * from the seed states, and the unit responses to ℓ₀ and b₀; the optimiser then searches only
 * the smoothing parameters. Independent chains in one loop also keep the CPU busy.
 */
class Profiler {
  readonly #y: Float64Array;
  readonly #m: number;
  readonly #seed: Seed;
  readonly #hasTrend: boolean;
  readonly #s0: Float64Array;
  readonly #sa: Float64Array;
  readonly #sb: Float64Array;
  level = 0;
  trend = 0;

  constructor(y: Float64Array, m: number, seed: Seed, hasTrend: boolean) {
    this.#y = y;
    this.#m = m;
    this.#seed = seed;
    this.#hasTrend = hasTrend;
    this.#s0 = new Float64Array(m);
    this.#sa = new Float64Array(m);
    this.#sb = new Float64Array(m);
  }

  /** Minimum SSE over ℓ₀, b₀ for these smoothing parameters; leaves them in `level`, `trend`. */
  sse(alpha: number, beta: number, gamma: number, phi: number): number {
    const y = this.#y;
    const m = this.#m;
    const s0 = this.#s0;
    const sa = this.#sa;
    const sb = this.#sb;
    s0.set(this.#seed.season);
    sa.fill(0);
    sb.fill(0);
    let l0 = this.#seed.level;
    let b0 = this.#seed.trend;
    let la = 1;
    let ba = 0;
    let lb = 0;
    let bb = 1;
    let head = 0;
    let s00 = 0;
    let sa0 = 0;
    let sb0 = 0;
    let saa = 0;
    let sab = 0;
    let sbb = 0;
    const n = y.length;
    for (let t = 0; t < n; t++) {
      const p0 = phi * b0;
      const pa = phi * ba;
      const pb = phi * bb;
      const x0 = s0[head] as number;
      const xa = sa[head] as number;
      const xb = sb[head] as number;
      const e0 = (y[t] as number) - (l0 + p0 + x0);
      const ea = -(la + pa + xa);
      const eb = -(lb + pb + xb);
      s00 += e0 * e0;
      sa0 += ea * e0;
      sb0 += eb * e0;
      saa += ea * ea;
      sab += ea * eb;
      sbb += eb * eb;
      l0 = l0 + p0 + alpha * e0;
      b0 = p0 + beta * e0;
      s0[head] = x0 + gamma * e0;
      la = la + pa + alpha * ea;
      ba = pa + beta * ea;
      sa[head] = xa + gamma * ea;
      lb = lb + pb + alpha * eb;
      bb = pb + beta * eb;
      sb[head] = xb + gamma * eb;
      head = head + 1 === m ? 0 : head + 1;
    }
    let dl = saa > 0 ? -sa0 / saa : 0;
    let db = 0;
    if (this.#hasTrend) {
      const det = saa * sbb - sab * sab;
      if (det > 1e-12 * saa * sbb) {
        dl = (-sa0 * sbb + sb0 * sab) / det;
        db = (-sb0 * saa + sa0 * sab) / det;
      }
    }
    this.level = this.#seed.level + dl;
    this.trend = this.#seed.trend + db;
    const sse = s00 + 2 * (dl * sa0 + db * sb0) + dl * dl * saa + 2 * dl * db * sab + db * db * sbb;
    return Number.isFinite(sse) ? Math.max(0, sse) : Number.POSITIVE_INFINITY;
  }
}

function fitConfig(y: Float64Array, config: EtsConfig, maxEvaluations: number | undefined): Fitted {
  const m = config.period;
  const hasTrend = config.trend !== 'none';
  const damped = config.trend === 'damped';
  const seasonal = config.season !== 'none';
  const multiplicative = config.season === 'multiplicative';
  const optimiseSeason = seasonal && m <= MAX_OPTIMISED_SEASON;
  // Closed-form initial level and trend wherever the model is linear in them (see Profiler).
  const profiled = !multiplicative && !optimiseSeason;
  const start = seed(y, config);
  const profiler = profiled ? new Profiler(y, m, start, hasTrend) : undefined;

  // Vector layout: α, β/α, γ/(1−α), ϕ, then (unless profiled) ℓ₀, b₀, s₀…s_{m−2}.
  const x0: number[] = [0.2];
  const lower: number[] = [1e-4];
  const upper: number[] = [0.9999];
  const steps: number[] = [0.1];
  const add = (value: number, low: number, high: number, step: number): number => {
    x0.push(value);
    lower.push(low);
    upper.push(high);
    steps.push(step);
    return x0.length - 1;
  };
  const free = Number.POSITIVE_INFINITY;
  const iBeta = hasTrend ? add(0.1, 1e-4, 0.9999, 0.1) : -1;
  const iGamma = seasonal ? add(0.05, 1e-4, 0.9999, 0.1) : -1;
  const iPhi = damped ? add(0.95, 0.8, 0.98, 0.05) : -1;
  const iLevel = profiled ? -1 : add(start.level, -free, free, 0.2 * start.spread);
  const iTrend = profiled || !hasTrend ? -1 : add(start.trend, -free, free, 0.02 * start.spread);
  const iSeason = optimiseSeason ? x0.length : -1;
  if (optimiseSeason) {
    for (let p = 0; p < m - 1; p++) {
      if (multiplicative) add(start.season[p] as number, 1e-3, free, 0.05);
      else add(start.season[p] as number, -free, free, 0.2 * start.spread);
    }
  }

  const season = new Float64Array(m);
  const sink = { level: 0, trend: 0, head: 0 };
  const loadSeason = (x: Float64Array): void => {
    if (!optimiseSeason) {
      season.set(start.season);
      return;
    }
    // The last state is implied by normalisation (sum 0, or mean 1), as in Hyndman et al. §2.5.
    let total = 0;
    for (let p = 0; p < m - 1; p++) {
      season[p] = x[iSeason + p] as number;
      total += season[p] as number;
    }
    season[m - 1] = multiplicative ? m - total : -total;
  };
  const smoothing = (x: Float64Array) => {
    const alpha = x[0] as number;
    return {
      alpha,
      beta: hasTrend ? alpha * (x[iBeta] as number) : 0,
      gamma: seasonal ? (1 - alpha) * (x[iGamma] as number) : 0,
      phi: damped ? (x[iPhi] as number) : 1,
    };
  };
  // With a profiler, ℓ₀ and b₀ are held at their best values for the current smoothing
  // parameters, and re-profiled between rounds (each round can only lower the SSE).
  let fixedLevel = start.level;
  let fixedTrend = start.trend;
  const objective = (x: Float64Array): number => {
    const { alpha, beta, gamma, phi } = smoothing(x);
    loadSeason(x);
    if (multiplicative && !((season[m - 1] as number) > 0)) return Number.POSITIVE_INFINITY;
    const level = profiled ? fixedLevel : (x[iLevel] as number);
    const trend = !hasTrend ? 0 : profiled ? fixedTrend : (x[iTrend] as number);
    return runFilter(y, multiplicative, alpha, beta, gamma, phi, level, trend, season, m, sink);
  };
  const reprofile = (x: ArrayLike<number>): void => {
    if (profiler === undefined) return;
    const p = smoothing(Float64Array.from(x));
    profiler.sse(p.alpha, p.beta, p.gamma, p.phi);
    fixedLevel = profiler.level;
    fixedTrend = profiler.trend;
  };
  const budget = maxEvaluations ?? 30 + 20 * x0.length;
  reprofile(x0);
  let result = nelderMead(objective, x0, {
    lower,
    upper,
    step: steps,
    maxEvaluations: budget,
    tolerance: 1e-5,
  });
  let evaluations = result.evaluations;
  if (profiler !== undefined) {
    reprofile(result.x);
    const again = nelderMead(objective, result.x, {
      lower,
      upper,
      step: steps.map((v) => v / 4),
      maxEvaluations: Math.max(1, Math.floor(budget / 3)),
      tolerance: 1e-5,
    });
    evaluations += again.evaluations;
    if (again.value <= result.value) result = again;
    reprofile(result.x);
    evaluations += 3;
  }
  const best = result.x;
  const { alpha, beta, gamma, phi } = smoothing(best);
  const level = profiled ? fixedLevel : (best[iLevel] as number);
  const trend = !hasTrend ? 0 : profiled ? fixedTrend : (best[iTrend] as number);
  loadSeason(best);
  const parameters: EtsParameters = {
    alpha,
    beta,
    gamma,
    phi,
    level,
    trend,
    season: seasonal ? Array.from(season) : [],
  };
  // The SSE of exactly these parameters (the profiled one differs in the last bits).
  const sse = runFilter(y, multiplicative, alpha, beta, gamma, phi, level, trend, season, m, sink);
  const k = parameterCount(config);
  return { config, parameters, sse, k, aicc: aiccOf(sse, y.length, k), evaluations };
}

function checkPositive(y: Float64Array, config: EtsConfig): void {
  for (let t = 0; t < y.length; t++) {
    if (!((y[t] as number) > 0)) {
      throw new TidewayError(
        'FORECAST_INVALID',
        `${label(config)}: multiplicative seasonality needs every value > 0, got ${y[t]} at index ${t}; ` +
          `use season 'additive' or auto.`,
      );
    }
  }
}

function candidates(y: Float64Array, period: number | undefined): EtsConfig[] {
  let positive = true;
  for (let t = 0; t < y.length && positive; t++) positive = (y[t] as number) > 0;
  const list: EtsConfig[] = [];
  for (const season of SEASONS) {
    if (season !== 'none' && period === undefined) continue;
    if (season === 'multiplicative' && !positive) continue;
    for (const trend of TRENDS) {
      const config = { trend, season, period: season === 'none' ? 1 : (period as number) };
      if (y.length >= pointsNeeded(config)) list.push(config);
    }
  }
  return list;
}

// ---------------------------------------------------------------------------------------------

/**
 * Exponential smoothing forecaster. Pick the components, or `auto: true` to choose them by AICc.
 *
 * @example
 * const model = new EtsForecaster({ trend: 'damped', season: 'additive', period: 288 }).fit(series);
 * const next = model.forecast(12); // next hour of 5-minute steps, with 80 % and 95 % intervals
 * model.update(latest); // O(1); refit periodically
 */
export class EtsForecaster implements Forecaster {
  readonly kind = 'ets';
  readonly #options: z.output<typeof etsOptionsSchema>;
  #config: EtsConfig | undefined;
  #parameters: EtsParameters | undefined;
  #level = 0;
  #trend = 0;
  #season = new Float64Array(1);
  #head = 0;
  #sse = 0;
  #count = 0;
  #k = 0;
  #aicc = Number.NaN;
  #last = 0;
  #step = 1;
  #scale = 0;
  #evaluations = 0;

  /** @param options see {@link etsOptionsSchema}; validated here (`ConfigError`, code `ARGUMENT_INVALID`) */
  constructor(options: EtsOptions = {}) {
    this.#options = parseOptions(etsOptionsSchema, options, 'ets options');
  }

  /** The fitted configuration. */
  get config(): EtsConfig {
    requireFitted(this.#config, 'ets', 'config');
    return this.#config;
  }

  /** Fitted smoothing parameters and initial states (pass as `options.parameters` to refit fixed). */
  get parameters(): EtsParameters {
    requireFitted(this.#parameters, 'ets', 'parameters');
    return { ...this.#parameters, season: [...this.#parameters.season] };
  }

  /** AICc of the fit (NaN for a model restored or fitted with fixed parameters on too few points). */
  get aicc(): number {
    return this.#aicc;
  }

  /** Residual standard deviation `√(SSE/(n − k))`. */
  get sigma(): number {
    const dof = this.#count - this.#k;
    return Math.sqrt(this.#sse / (dof > 0 ? dof : Math.max(1, this.#count)));
  }

  /** Objective evaluations spent by the last `fit` (all configurations for `auto`). */
  get evaluations(): number {
    return this.#evaluations;
  }

  /**
   * Fit on a regular series. Needs `k + 2` points (`k` parameters and initial states) and, with a
   * season, two full periods.
   *
   * @throws TidewayError `INSUFFICIENT_DATA` when too short; `FORECAST_INVALID` for multiplicative
   *   seasonality on values ≤ 0 (auto skips multiplicative candidates instead).
   */
  fit(series: Series): this {
    const o = this.#options;
    let fitted: Fitted;
    if (o.auto) {
      const y = fitValues(
        series,
        pointsNeeded({ trend: 'none', season: 'none', period: 1 }),
        'ets(auto)',
        o.period,
      );
      let best: Fitted | undefined;
      let evaluations = 0;
      for (const config of candidates(y, o.period)) {
        const f = fitConfig(y, config, o.maxEvaluations);
        evaluations += f.evaluations;
        if (best === undefined || f.aicc < best.aicc) best = f;
      }
      // candidates() always holds simple smoothing once fitValues() accepted the length.
      fitted = { ...(best as Fitted), evaluations };
      this.#fitFinish(y, fitted, series);
      return this;
    }
    const config: EtsConfig = {
      trend: o.trend,
      season: o.season,
      period: o.season === 'none' ? 1 : (o.period as number),
    };
    const y = fitValues(series, pointsNeeded(config), label(config), config.period);
    if (config.season === 'multiplicative') checkPositive(y, config);
    if (o.parameters !== undefined) {
      const p = o.parameters;
      if (config.season !== 'none' && p.season.length !== config.period) {
        throw new TidewayError(
          'FORECAST_INVALID',
          `ets options.parameters.season: expected ${config.period} values, got ${p.season.length}.`,
        );
      }
      // Components the configuration lacks are switched off, whatever the parameters say, so a
      // stray β cannot grow a trend in a model without one.
      const parameters: EtsParameters = {
        alpha: p.alpha,
        beta: config.trend === 'none' ? 0 : p.beta,
        gamma: config.season === 'none' ? 0 : p.gamma,
        phi: config.trend === 'damped' ? p.phi : 1,
        level: p.level,
        trend: config.trend === 'none' ? 0 : p.trend,
        season: config.season === 'none' ? [] : [...p.season],
      };
      const k = parameterCount(config);
      fitted = { config, parameters, sse: 0, k, aicc: Number.NaN, evaluations: 0 };
    } else {
      fitted = fitConfig(y, config, o.maxEvaluations);
    }
    this.#fitFinish(y, fitted, series);
    return this;
  }

  #fitFinish(y: Float64Array, fitted: Fitted, series: Series): void {
    const { config, parameters: p } = fitted;
    const m = config.period;
    const season = new Float64Array(m);
    if (config.season !== 'none') season.set(p.season);
    const out = { level: 0, trend: 0, head: 0 };
    const sse = runFilter(
      y,
      config.season === 'multiplicative',
      p.alpha,
      p.beta,
      p.gamma,
      p.phi,
      p.level,
      p.trend,
      season,
      m,
      out,
    );
    if (!Number.isFinite(sse)) {
      throw new TidewayError(
        'FORECAST_INVALID',
        `${label(config)}: the filter left the valid region (level or season ≤ 0).`,
      );
    }
    this.#config = config;
    this.#parameters = p;
    this.#level = out.level;
    this.#trend = out.trend;
    this.#season = season;
    this.#head = out.head;
    this.#sse = sse;
    this.#count = y.length;
    this.#k = fitted.k;
    this.#aicc = Number.isNaN(fitted.aicc) ? aiccOf(sse, y.length, fitted.k) : fitted.aicc;
    this.#evaluations = fitted.evaluations;
    this.#scale = maseScale(y, m);
    this.#step = series.step;
    this.#last = series.start + (y.length - 1) * series.step;
  }

  /** Forecast `h` steps ahead (see the file header for the interval formulas). */
  forecast(h: number, options: ForecastOptions = {}): Forecast {
    requireFitted(this.#config, 'ets', 'forecast');
    requireFitted(this.#parameters, 'ets', 'forecast');
    checkHorizon(h, 'ets');
    const { alpha, beta, gamma, phi } = this.#parameters;
    const m = this.#config.period;
    const seasonal = this.#config.season !== 'none';
    const multiplicative = this.#config.season === 'multiplicative';
    const mean = new Float64Array(h);
    const sd = new Float64Array(h);
    const sigma2 = this.sigma ** 2;
    // ϕ_j = ϕ + … + ϕ^j, built incrementally for the means and the c_j.
    const phiSum = new Float64Array(h + 1);
    let power = 1;
    for (let j = 1; j <= h; j++) {
      power *= phi;
      phiSum[j] = (phiSum[j - 1] as number) + power;
    }
    const seasonAt = (i: number): number =>
      seasonal ? (this.#season[(this.#head + (i % m)) % m] as number) : 0;
    let varSum = 0;
    for (let i = 0; i < h; i++) {
      const base = this.#level + (phiSum[i + 1] as number) * this.#trend;
      mean[i] = multiplicative ? base * seasonAt(i) : base + seasonAt(i);
      if (multiplicative) {
        varSum = 0;
        for (let j = 1; j <= i; j++) {
          const c = ((alpha + beta * (phiSum[j] as number)) * seasonAt(i)) / seasonAt(i - j);
          varSum += c * c;
        }
      } else if (i > 0) {
        const c = alpha + beta * (phiSum[i] as number) + (seasonal && i % m === 0 ? gamma : 0);
        varSum += c * c;
      }
      sd[i] = Math.sqrt(sigma2 * (1 + varSum));
    }
    return buildForecast(this.#last + this.#step, this.#step, mean, sd, options.levels);
  }

  /**
   * Take the next point in O(1): one step of the filter with the fitted parameters. A non-finite
   * value is a gap: the states move on as if the forecast had come true (zero error).
   */
  update(value: number): void {
    requireFitted(this.#config, 'ets', 'update');
    requireFitted(this.#parameters, 'ets', 'update');
    const { alpha, beta, gamma, phi } = this.#parameters;
    const m = this.#config.period;
    const s = this.#season[this.#head] as number;
    const phiB = phi * this.#trend;
    if (this.#config.season === 'multiplicative') {
      const base = this.#level + phiB;
      const e = Number.isFinite(value) ? value - base * s : 0;
      this.#level = base + (alpha * e) / s;
      this.#trend = phiB + (beta * e) / s;
      this.#season[this.#head] = s + (gamma * e) / base;
      this.#record(e, value);
    } else {
      const e = Number.isFinite(value) ? value - (this.#level + phiB + s) : 0;
      this.#level = this.#level + phiB + alpha * e;
      this.#trend = phiB + beta * e;
      this.#season[this.#head] = s + gamma * e;
      this.#record(e, value);
    }
    this.#head = this.#head + 1 === m ? 0 : this.#head + 1;
    this.#last += this.#step;
  }

  #record(e: number, value: number): void {
    if (!Number.isFinite(value)) return;
    this.#sse += e * e;
    this.#count++;
  }

  score(forecast: Forecast, actual: ArrayLike<number>): ForecastScore {
    requireFitted(this.#config, 'ets', 'score');
    return scoreForecast(forecast, actual, this.#scale);
  }

  toJSON(): ForecasterJSON {
    requireFitted(this.#config, 'ets', 'toJSON');
    requireFitted(this.#parameters, 'ets', 'toJSON');
    const m = this.#config.period;
    const season: number[] = [];
    for (let i = 0; i < m; i++) season.push(this.#season[(this.#head + i) % m] as number);
    const state: EtsState = {
      config: { ...this.#config },
      parameters: this.parameters,
      level: this.#level,
      trend: this.#trend,
      season,
      sse: this.#sse,
      count: this.#count,
      k: this.#k,
      aicc: this.#aicc,
      last: this.#last,
      step: this.#step,
      scale: this.#scale,
    };
    // JSON has no NaN/Infinity: an unknown AICc is saved as null.
    return {
      kind: 'ets',
      version: 1,
      state: { ...state, aicc: Number.isFinite(state.aicc) ? state.aicc : null },
    };
  }

  /**
   * Rebuild a fitted forecaster from {@link toJSON} output.
   *
   * @example
   * const copy = EtsForecaster.load(JSON.parse(JSON.stringify(model)));
   */
  static load(json: ForecasterJSON): EtsForecaster {
    requireSavedKind(json, 'ets');
    const state = parseState(stateSchema, json.state, 'ets state');
    const m = state.config.period;
    if (state.season.length !== m) {
      throw new TidewayError(
        'FORECAST_INVALID',
        `ets.load(): state.season: expected ${m} values, got ${state.season.length}.`,
      );
    }
    const model = new EtsForecaster({
      trend: state.config.trend,
      season: state.config.season,
      ...(state.config.season === 'none' ? {} : { period: m }),
    });
    model.#config = state.config;
    model.#parameters = state.parameters;
    model.#level = state.level;
    model.#trend = state.trend;
    model.#season = Float64Array.from(state.season);
    model.#head = 0;
    model.#sse = state.sse;
    model.#count = state.count;
    model.#k = state.k;
    model.#aicc = state.aicc ?? Number.NaN;
    model.#last = state.last;
    model.#step = state.step;
    model.#scale = state.scale;
    return model;
  }
}
