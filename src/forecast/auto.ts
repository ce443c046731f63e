/**
 * Automatic model choice: every candidate is backtested on the series' own recent history and
 * the one with the lowest error is used — or a combination, when combining did better.
 *
 * Public API:
 * - `autoOptionsSchema` / `AutoOptions` — `{ period, periods, candidates, horizon }`.
 * - `autoForecaster(options)` — a fitted-on-demand {@link AutoForecaster}.
 * - `AutoForecaster` (`kind: 'auto'`) — `fit`, `forecast`, `update`, `score`, `toJSON`,
 *   `selection` (which model won and why), `confidence`; `AutoForecaster.load(json)`.
 * - `AutoSelection`, `CandidateScore` types.
 *
 * How it chooses (all on the window given to `fit`, never on later data):
 * 1. Periods: `periods` if given; else `period` (the season the caller knows, e.g. a day) plus
 *    any longer detected period that is a multiple of it (a week); else detected (`period.ts`).
 * 2. Hold out the most recent cycle of the longest usable period (at least four horizons, at
 *    most a third of the window). Each candidate is fitted on the rest and forecasts
 *    `1 … horizon` steps ahead from every held-out origin, its state following the data as
 *    `update()` would. Every candidate sees exactly the same origins and targets.
 * 3. Score = mean absolute error over all those forecasts. The `combination` candidate is the
 *    weighted mean of MSTL and the seasonal naive, weights ∝ 1/score² (a model with half the
 *    error weighs four times as much); its backtest errors are the same weighted mean of theirs,
 *    so it is scored on the same footing as the others.
 * 4. Lowest score wins; exact ties go to the earlier candidate in `candidates` order. The
 *    default candidates are MSTL and the combination: in backtests on recorded operational
 *    series, adding the plain naive models to the choice made it noisier (a single held-out day
 *    sometimes favours a naive model that then loses on the next hour), not better.
 * 5. The winner is refitted on the whole window. Its intervals are the quantiles of its own
 *    backtest errors per step ahead (`calibrate.ts`), whatever the model.
 */
import { z } from 'zod';
import { TidewayError } from '../errors.js';
import {
  backtestConfidence,
  type CalibratedState,
  calibratedStateFields,
  ErrorQuantiles,
  rollingOriginErrors,
} from './calibrate.js';
import { FourierForecaster } from './fourier.js';
import { checkHorizon, DEFAULT_LEVELS } from './interval.js';
import { maseScale, scoreForecast } from './metrics.js';
import { holdoutLength, MstlForecaster } from './mstl.js';
import { NaiveForecaster } from './naive.js';
import { detectPeriods } from './period.js';
import { SeasonalNaiveForecaster } from './seasonal-naive.js';
import { fitValues, parseOptions, parseState, requireFitted, requireSavedKind } from './series.js';
import type {
  Forecast,
  Forecaster,
  ForecasterJSON,
  ForecastOptions,
  ForecastScore,
  Series,
} from './types.js';

const CANDIDATES = ['mstl', 'combination', 'seasonal-naive', 'naive', 'fourier'] as const;

/** A model `autoForecaster` can choose. */
export type AutoCandidate = (typeof CANDIDATES)[number];

/**
 * Options of the automatic forecaster.
 *
 * @example
 * autoOptionsSchema.parse({ period: 288 }); // 5-minute data with a daily season
 */
export const autoOptionsSchema = z.strictObject({
  /** The main season in steps (e.g. one day); longer detected multiples (a week) are added. @default detected */
  period: z.number().int().min(1).optional(),
  /** All seasonal periods in steps, used as given (overrides `period`). @default detected */
  periods: z.array(z.number().int().min(2)).optional(),
  /** Models to compare, in tie-break order. @default ['mstl', 'combination'] */
  candidates: z.array(z.enum(CANDIDATES)).min(1).default(['mstl', 'combination']),
  /** Steps ahead the backtest scores (and the intervals are calibrated for). @default 12 */
  horizon: z.number().int().min(1).max(1000).default(12),
});

/** Options of {@link AutoForecaster} as written. */
export type AutoOptions = z.input<typeof autoOptionsSchema>;

/** One candidate's backtest result. */
export interface CandidateScore {
  /** The candidate. */
  readonly model: AutoCandidate;
  /** Mean absolute error over every held-out origin and step ahead (NaN when it could not run). */
  readonly mae: number;
  /** `mae` divided by the window's seasonal-naive in-sample MAE (the MASE scale). */
  readonly mase: number;
  /** Why the candidate could not run, when it could not. */
  readonly error?: string;
}

/** Which model won and why. */
export interface AutoSelection {
  /** The winner. */
  readonly chosen: AutoCandidate;
  /** Every candidate's score, in candidate order. */
  readonly scores: readonly CandidateScore[];
  /** Seasonal periods used (steps). */
  readonly periods: readonly number[];
  /** Held-out points and origins of the backtest. */
  readonly holdout: number;
  /** Weights of MSTL and seasonal naive when the combination won. */
  readonly weights?: readonly [number, number];
  /** One sentence a person can read. */
  readonly reason: string;
}

/** Saved state of an automatic forecaster, version 1. */
export interface AutoState extends CalibratedState {
  readonly options: z.output<typeof autoOptionsSchema>;
  readonly selection: AutoSelection;
  readonly models: readonly ForecasterJSON[];
  readonly weights: readonly number[];
}

const selectionSchema = z.object({
  chosen: z.enum(CANDIDATES),
  scores: z.array(
    z.object({
      model: z.enum(CANDIDATES),
      mae: z
        .number()
        .or(z.null())
        .transform((v) => v ?? Number.NaN),
      mase: z
        .number()
        .or(z.null())
        .transform((v) => v ?? Number.NaN),
      error: z.string().optional(),
    }),
  ),
  periods: z.array(z.number()),
  holdout: z.number(),
  weights: z.tuple([z.number(), z.number()]).optional(),
  reason: z.string(),
});

const stateSchema = z.object({
  options: autoOptionsSchema,
  selection: selectionSchema,
  models: z.array(z.object({ kind: z.string(), version: z.number(), state: z.unknown() })).min(1),
  weights: z.array(z.number()),
  ...calibratedStateFields,
});

/** The periods to use (see the module notes, step 1). */
function choosePeriods(
  values: Float64Array,
  step: number,
  options: z.output<typeof autoOptionsSchema>,
): number[] {
  if (options.periods !== undefined) return [...options.periods];
  const detected = detectPeriods(values, step).periods;
  const main = options.period;
  if (main === undefined) return [...detected];
  if (main < 2) return [];
  return [main, ...detected.filter((p) => p > main && p % main === 0)];
}

/** Errors of a lag-`m` random walk (`ŷ(t, h) = y[t + h − m·⌈h/m⌉]`) from origins `first …`. */
function lagErrors(values: Float64Array, m: number, horizon: number, first: number): Float64Array[] {
  return rollingOriginErrors(values, (t, h) => values[t + h - m * Math.ceil(h / m)] as number, {
    horizon,
    first,
  });
}

function meanAbs(errors: readonly Float64Array[]): number {
  let sum = 0;
  let count = 0;
  for (const e of errors) {
    for (let i = 0; i < e.length; i++) {
      sum += Math.abs(e[i] as number);
      count++;
    }
  }
  return count === 0 ? Number.NaN : sum / count;
}

function restore(json: ForecasterJSON): Forecaster {
  switch (json.kind) {
    case 'mstl':
      return MstlForecaster.load(json);
    case 'fourier':
      return FourierForecaster.load(json);
    case 'seasonal-naive':
      return SeasonalNaiveForecaster.load(json);
    case 'naive':
      return NaiveForecaster.load(json);
    default:
      throw new TidewayError(
        'FORECAST_INVALID',
        `auto.load(): models: expected a candidate kind, got "${json.kind}".`,
      );
  }
}

/** A point-forecast source: a fitted model plus how to read its means. */
function meansOf(model: Forecaster, h: number): Float64Array {
  const withMeans = model as Forecaster & { meanForecast?: (h: number) => Float64Array };
  return withMeans.meanForecast ? withMeans.meanForecast(h) : model.forecast(h, { levels: [50] }).mean;
}

/**
 * Chooses its model by backtesting on the series it is fitted on (see the module notes).
 *
 * @example
 * const model = new AutoForecaster({ period: 288 }).fit(series);
 * model.selection?.chosen; // e.g. 'mstl'
 * model.forecast(12).intervals[0]; // 80 % interval, calibrated on the backtest
 */
export class AutoForecaster implements Forecaster {
  readonly kind = 'auto';
  readonly options: z.output<typeof autoOptionsSchema>;
  #state: AutoState | undefined;
  #models: Forecaster[] = [];
  #errors: ErrorQuantiles | undefined;

  /** @param options see {@link autoOptionsSchema} */
  constructor(options: AutoOptions = {}) {
    this.options = parseOptions(autoOptionsSchema, options, 'auto options');
  }

  /** Backtest the candidates, keep the best, refit it on the whole series. @returns this */
  fit(series: Series): this {
    const o = this.options;
    const values = fitValues(series, 3, 'auto');
    const n = values.length;
    const periods = choosePeriods(values, series.step, o);
    const usable = periods.filter((p) => n >= 2 * p).sort((a, b) => a - b);
    const season = usable[0] ?? 1;
    const holdout = holdoutLength(n, usable, o.horizon);
    const first = n - holdout - 1;
    const scale = maseScale(values, season);
    const fitted = new Map<AutoCandidate, { model: Forecaster; errors: Float64Array[] }>();
    const scores: CandidateScore[] = [];
    const want = new Set<AutoCandidate>(o.candidates);
    if (want.has('combination')) {
      want.add('mstl');
      want.add('seasonal-naive');
    }
    for (const candidate of CANDIDATES) {
      if (!want.has(candidate) || candidate === 'combination') continue;
      try {
        fitted.set(candidate, this.#fitCandidate(candidate, series, values, usable, season, first));
      } catch (e) {
        scores.push({ model: candidate, mae: Number.NaN, mase: Number.NaN, error: (e as Error).message });
      }
    }
    let weights: [number, number] | undefined;
    const mstl = fitted.get('mstl');
    const snaive = fitted.get('seasonal-naive');
    if (o.candidates.includes('combination') && mstl && snaive && season > 1) {
      const a = meanAbs(mstl.errors);
      const b = meanAbs(snaive.errors);
      const wa = a > 0 ? 1 / (a * a) : 1;
      const wb = b > 0 ? 1 / (b * b) : 0;
      weights = [wa / (wa + wb), wb / (wa + wb)];
      const [w0, w1] = weights;
      const errors = mstl.errors.map((e, h) => {
        const s = snaive.errors[h] as Float64Array;
        const out = new Float64Array(Math.min(e.length, s.length));
        for (let i = 0; i < out.length; i++) out[i] = w0 * (e[i] as number) + w1 * (s[i] as number);
        return out;
      });
      fitted.set('combination', { model: mstl.model, errors });
    }
    for (const candidate of o.candidates) {
      const f = fitted.get(candidate);
      if (f === undefined) continue;
      const mae = meanAbs(f.errors);
      scores.push({ model: candidate, mae, mase: scale > 0 ? mae / scale : Number.NaN });
    }
    const ordered = o.candidates
      .map((c) => scores.find((s) => s.model === c))
      .filter((s): s is CandidateScore => s !== undefined);
    let best: CandidateScore | undefined;
    for (const s of ordered) {
      if (Number.isFinite(s.mae) && (best === undefined || s.mae < best.mae)) best = s;
    }
    if (best === undefined) {
      throw new TidewayError(
        'INSUFFICIENT_DATA',
        `auto: no candidate could be backtested on ${n} points (${ordered.map((s) => `${s.model}: ${s.error ?? 'no score'}`).join('; ')}).`,
      );
    }
    const chosen = best.model;
    const winner = fitted.get(chosen) as { model: Forecaster; errors: Float64Array[] };
    const models = chosen === 'combination' ? [mstl?.model, snaive?.model] : [winner.model];
    this.#models = models.filter((m): m is Forecaster => m !== undefined);
    this.#errors = ErrorQuantiles.fromErrors(winner.errors);
    const runnerUp = ordered
      .filter((s) => s !== best && Number.isFinite(s.mae))
      .sort((x, y) => x.mae - y.mae)[0];
    const selection: AutoSelection = {
      chosen,
      scores: ordered,
      periods: usable,
      holdout,
      ...(chosen === 'combination' && weights ? { weights } : {}),
      reason:
        `${chosen} had the lowest backtest error (MASE ${best.mase.toFixed(3)}` +
        (runnerUp ? `; next ${runnerUp.model} ${runnerUp.mase.toFixed(3)}` : '') +
        `) over ${holdout} held-out points.`,
    };
    this.#state = {
      options: o,
      selection,
      models: [],
      weights: chosen === 'combination' && weights ? weights : [1],
      last: series.start + (n - 1) * series.step,
      step: series.step,
      scale,
      confidence: backtestConfidence(winner.errors, Math.ceil(holdout / 3), scale),
      errors: this.#errors.toJSON(),
    };
    return this;
  }

  #fitCandidate(
    candidate: Exclude<AutoCandidate, 'combination'>,
    series: Series,
    values: Float64Array,
    periods: readonly number[],
    season: number,
    first: number,
  ): { model: Forecaster; errors: Float64Array[] } {
    const horizon = this.options.horizon;
    switch (candidate) {
      case 'mstl': {
        const model = new MstlForecaster({ periods: [...periods], horizon }).fit(series);
        return { model, errors: [...model.backtestErrors] };
      }
      case 'fourier': {
        const model = new FourierForecaster({ periods: [...periods], horizon }).fit(series);
        return { model, errors: [...model.backtestErrors] };
      }
      case 'seasonal-naive': {
        if (season < 2) throw new TidewayError('INSUFFICIENT_DATA', 'no season the window holds twice.');
        const model = new SeasonalNaiveForecaster({ period: season }).fit(series);
        return { model, errors: lagErrors(values, season, horizon, first) };
      }
      case 'naive': {
        const model = new NaiveForecaster().fit(series);
        return { model, errors: lagErrors(values, 1, horizon, first) };
      }
    }
  }

  /** Which model won the backtest and the scores of all candidates (undefined before `fit`). */
  get selection(): AutoSelection | undefined {
    return this.#state?.selection;
  }

  /** Confidence in [0, 1] from the winner's recent backtest error and coverage (see `confidenceScore`). */
  get confidence(): number {
    return this.#state?.confidence ?? 0;
  }

  /** The point forecasts of the chosen model (or the weighted combination). */
  meanForecast(h: number): Float64Array {
    const state = this.#state;
    requireFitted(state, this.kind, 'forecast');
    const mean = new Float64Array(h);
    this.#models.forEach((model, k) => {
      const w = state.weights[k] as number;
      const m = meansOf(model, h);
      for (let i = 0; i < h; i++) mean[i] = (mean[i] as number) + w * (m[i] as number);
    });
    return mean;
  }

  forecast(h: number, options: ForecastOptions = {}): Forecast {
    const state = this.#state;
    requireFitted(state, this.kind, 'forecast');
    checkHorizon(h, this.kind);
    return (this.#errors as ErrorQuantiles).interval(
      this.meanForecast(h),
      options.levels ?? DEFAULT_LEVELS,
      state.last + state.step,
      state.step,
    );
  }

  /** Take the next point: passed to the chosen model(s), O(1) each. */
  update(value: number): void {
    const state = this.#state;
    requireFitted(state, this.kind, 'update');
    for (const model of this.#models) model.update(value);
    this.#state = { ...state, last: state.last + state.step };
  }

  score(forecast: Forecast, actual: ArrayLike<number>): ForecastScore {
    requireFitted(this.#state, this.kind, 'score');
    return scoreForecast(forecast, actual, this.#state.scale);
  }

  toJSON(): ForecasterJSON {
    const state = this.#state;
    requireFitted(state, this.kind, 'toJSON');
    return { kind: this.kind, version: 1, state: { ...state, models: this.#models.map((m) => m.toJSON()) } };
  }

  /**
   * Rebuild a fitted forecaster from {@link toJSON} output.
   *
   * @example
   * AutoForecaster.load(JSON.parse(JSON.stringify(model))).forecast(12);
   */
  static load(json: ForecasterJSON): AutoForecaster {
    requireSavedKind(json, 'auto');
    const state = parseState(stateSchema, json.state, 'auto state') as unknown as AutoState;
    if (state.models.length !== state.weights.length) {
      throw new TidewayError('FORECAST_INVALID', 'auto.load(): expected one weight per model.');
    }
    const model = new AutoForecaster(state.options);
    model.#models = state.models.map(restore);
    model.#errors = ErrorQuantiles.fromJSON(state.errors);
    model.#state = { ...state, models: [] };
    return model;
  }
}

/**
 * An {@link AutoForecaster}: call `fit(series)`, then `forecast(h)`; `selection` says which model
 * won the backtest and why.
 *
 * @example
 * const model = autoForecaster({ period: 288 }).fit({ start, step: 300_000, values });
 * console.log(model.selection?.reason); // "mstl had the lowest backtest error (MASE 0.61; …)"
 */
export function autoForecaster(options: AutoOptions = {}): AutoForecaster {
  return new AutoForecaster(options);
}
