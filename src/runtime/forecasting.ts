import { z } from 'zod';
import type { ForecastAccuracy, RuleForecast } from '../core/types.js';
import { toError } from '../errors.js';
import { maseScale, scoreForecast } from '../forecast/metrics.js';
import type { Forecast, Forecaster, ForecasterJSON } from '../forecast/types.js';
import type { MetricSample } from '../ports/metrics.js';
import { type PredictiveModel, type PredictiveRule, quantileLevel } from '../rules/predictive.js';

/** Builds the forecaster a predictive rule asked for, for a series with the given seasonal period. */
export type ForecasterFactory = (model: PredictiveModel, period: number) => Forecaster;

/** Rebuilds a saved forecaster. */
export type ForecasterLoader = (json: ForecasterJSON) => Forecaster;

/** What changed in a tracker's accuracy gate on one tick. */
export type AccuracyChange = 'degraded' | 'recovered' | null;

const DAY = 86_400_000;

interface PendingOrigin {
  /** Time of the forecast's first step. */
  readonly first: number;
  readonly mean: Float64Array;
  readonly lo80: Float64Array;
  readonly hi80: Float64Array;
  readonly lo95: Float64Array;
  readonly hi95: Float64Array;
  readonly scale: number;
  /** Actual values seen so far, by step. */
  readonly actual: number[];
}

interface OriginScore {
  readonly mase: number;
  readonly smape: number;
  readonly coverage80: number;
  readonly coverage95: number;
}

const num = z.number();
const nums = z.array(num);

/** @internal zod schema of a {@link ForecastTracker}'s saved state, for snapshots. */
export const forecastTrackerStateSchema = z.strictObject({
  values: nums,
  lastStepAt: num.nullable(),
  bin: z.strictObject({ start: num, sum: num, count: num, max: num, last: num }).nullable(),
  lastSampleAt: num.nullable(),
  backfilled: z.boolean(),
  forecaster: z.strictObject({ kind: z.string(), version: num, state: z.unknown() }).nullable(),
  fittedAt: num.nullable(),
  scale: num,
  unavailable: z.string().nullable(),
  pending: z.array(
    z.strictObject({
      first: num,
      mean: nums,
      lo80: nums,
      hi80: nums,
      lo95: nums,
      hi95: nums,
      scale: num,
      actual: nums,
    }),
  ),
  scored: z.array(z.strictObject({ mase: num, smape: num, coverage80: num, coverage95: num })),
  degraded: z.boolean(),
  forecastFor: num.nullable(),
});

/** @internal Saved state of a {@link ForecastTracker}. */
export type ForecastTrackerState = z.output<typeof forecastTrackerStateSchema>;

/**
 * @internal The impure side of one predictive rule: it bins the metric's samples into a regular
 * series of `rule.step`, fits and refits the forecaster, feeds it each completed step through
 * `update()`, forecasts once per step, scores every past forecast against what then happened,
 * and keeps the rolling accuracy record and the degraded / recovered gate. The rule itself stays
 * pure: it only reads the {@link RuleForecast} this produces.
 */
export class ForecastTracker {
  private readonly size: number;
  private values: Float64Array;
  private count = 0;
  private head = 0;
  private lastStepAt: number | null = null;
  private bin: { start: number; sum: number; count: number; max: number; last: number } | null = null;
  private lastSampleAt: number | null = null;
  /** Whether the history has been read from the provider once. */
  backfilled = false;
  private forecaster: Forecaster | null = null;
  private fittedAt: number | null = null;
  private scale = 0;
  private unavailable: string | null = 'no data yet';
  private pending: PendingOrigin[] = [];
  private scored: OriginScore[] = [];
  /** Whether accuracy is below the rule's gate. */
  degraded = false;
  private current: RuleForecast | null = null;
  private forecastFor: number | null = null;

  constructor(
    readonly rule: PredictiveRule,
    /** The scheduling buffer in effect, ms. */
    readonly buffer: number,
    private readonly create: ForecasterFactory,
  ) {
    this.size = Math.max(2, Math.ceil(rule.history / rule.step));
    this.values = new Float64Array(this.size);
  }

  /** Steps forecast at each origin: enough to cover the buffer and the horizon. */
  get horizonSteps(): number {
    return Math.ceil(Math.max(this.buffer, this.rule.horizon) / this.rule.step) + 1;
  }

  /** Take samples (any order, duplicates ignored); completes every step that ended by `now`. */
  ingest(samples: readonly MetricSample[], now: number): void {
    const { step } = this.rule;
    for (const sample of samples) {
      const t = sample.timestamp;
      if (!Number.isFinite(sample.value) || t > now) continue;
      if (this.lastSampleAt !== null && t <= this.lastSampleAt) continue;
      this.lastSampleAt = t;
      const start = Math.floor(t / step) * step;
      if (this.lastStepAt !== null && start <= this.lastStepAt) continue;
      if (this.bin !== null && start > this.bin.start) this.closeBinsBefore(start);
      if (this.bin === null) this.bin = { start, sum: 0, count: 0, max: Number.NEGATIVE_INFINITY, last: 0 };
      this.bin.sum += sample.value;
      this.bin.count++;
      this.bin.max = Math.max(this.bin.max, sample.value);
      this.bin.last = sample.value;
    }
    // A step is complete once its time is over, even if no later sample has arrived yet.
    this.closeBinsBefore(Math.floor(now / step) * step);
  }

  private binValue(bin: NonNullable<ForecastTracker['bin']>): number {
    switch (this.rule.aggregate) {
      case 'sum':
        return bin.sum;
      case 'max':
        return bin.max;
      case 'last':
        return bin.last;
      default:
        return bin.sum / bin.count;
    }
  }

  // Close the open bin and any empty steps after it, up to (not including) `until`. An empty
  // step repeats the last value: online there is no later point to interpolate towards.
  private closeBinsBefore(until: number): void {
    const { step } = this.rule;
    const bin = this.bin;
    if (bin === null || bin.start >= until) return;
    const value = this.binValue(bin);
    this.push(bin.start, value);
    this.bin = null;
    for (
      let t = bin.start + step;
      t < until && this.lastSampleAt !== null && t <= this.lastSampleAt;
      t += step
    ) {
      this.push(t, value);
    }
  }

  private push(at: number, value: number): void {
    if (this.lastStepAt !== null) {
      // Fill a gap between steps with the last value, so the series stays regular.
      for (let t = this.lastStepAt + this.rule.step; t < at; t += this.rule.step) this.append(t, this.last());
    }
    this.append(at, value);
  }

  private last(): number {
    return this.values[(this.head - 1 + this.size) % this.size] as number;
  }

  private append(at: number, value: number): void {
    this.values[this.head] = value;
    this.head = (this.head + 1) % this.size;
    if (this.count < this.size) this.count++;
    this.lastStepAt = at;
    if (this.forecaster !== null) {
      try {
        this.forecaster.update(value);
      } catch (error) {
        this.forecaster = null;
        this.unavailable = `the model rejected a new point (${toError(error).message})`;
      }
    }
    this.scoreStep(at, value);
  }

  private scoreStep(at: number, value: number): void {
    const { step } = this.rule;
    const keep: PendingOrigin[] = [];
    for (const origin of this.pending) {
      // Steps arrive in order with gaps filled, so an origin's actuals are always a prefix.
      const h = Math.round((at - origin.first) / step);
      if (h >= 0 && h < origin.mean.length) origin.actual.push(value);
      if (h >= origin.mean.length - 1) this.finish(origin);
      else keep.push(origin);
    }
    this.pending = keep;
  }

  private finish(origin: PendingOrigin): void {
    if (origin.actual.length === 0) return;
    const score = scoreForecast(
      {
        start: origin.first,
        step: this.rule.step,
        mean: origin.mean,
        intervals: [
          { level: 80, lower: origin.lo80, upper: origin.hi80 },
          { level: 95, lower: origin.lo95, upper: origin.hi95 },
        ],
      },
      origin.actual,
      origin.scale,
    );
    this.scored.push({
      mase: score.mase,
      smape: score.smape,
      coverage80: score.coverage['80'] as number,
      coverage95: score.coverage['95'] as number,
    });
    if (this.scored.length > this.rule.accuracy.window) this.scored.shift();
  }

  /** The rolling accuracy record, or null before any forecast matured. */
  accuracy(): ForecastAccuracy | null {
    const n = this.scored.length;
    if (n === 0) return null;
    let mase = 0;
    let smape = 0;
    let c80 = 0;
    let c95 = 0;
    for (const s of this.scored) {
      mase += s.mase;
      smape += s.smape;
      c80 += s.coverage80;
      c95 += s.coverage95;
    }
    return { scored: n, mase: mase / n, smape: smape / n, coverage80: c80 / n, coverage95: c95 / n };
  }

  private series(): Float64Array {
    const out = new Float64Array(this.count);
    const first = (this.head - this.count + this.size) % this.size;
    for (let i = 0; i < this.count; i++) out[i] = this.values[(first + i) % this.size] as number;
    return out;
  }

  /**
   * Refit when due, forecast once per completed step, and move the accuracy gate. Returns the
   * forecast for the rule and what changed in the gate.
   */
  advance(now: number): { forecast: RuleForecast; change: AccuracyChange } {
    const { rule } = this;
    const change = this.gate();
    const have = this.count * rule.step;
    const refitDue =
      this.fittedAt === null ||
      now - this.fittedAt >= rule.refitEvery ||
      // A degraded model is refitted every hour, so it learns the new pattern sooner.
      (this.degraded && now - this.fittedAt >= 3_600_000);
    if (this.lastStepAt !== null && have < rule.minHistory) {
      this.unavailable = `${Math.ceil((rule.minHistory - have) / rule.step)} more steps of history needed (${this.count} of ${Math.ceil(rule.minHistory / rule.step)})`;
      this.forecaster = null;
    } else if (this.lastStepAt !== null && (this.forecaster === null || refitDue) && this.fittedAt !== now) {
      this.fit(now);
    }
    if (this.forecaster === null || this.lastStepAt === null) {
      this.current = this.emptyForecast();
      return { forecast: this.current, change };
    }
    // One forecast origin per completed step: a forecast rebuilt for the same step (after a
    // restore or a gate change) is not recorded again, or it would be scored twice.
    if (this.forecastFor !== this.lastStepAt) this.makeForecast(true);
    else if (this.current === null) this.makeForecast(false);
    return { forecast: this.current as RuleForecast, change };
  }

  private fit(now: number): void {
    const { rule } = this;
    const values = this.series();
    const day = Math.round(DAY / rule.step);
    const period = values.length >= 2 * day && day > 1 ? day : 1;
    try {
      const forecaster = this.create(rule.model, period);
      forecaster.fit({
        start: (this.lastStepAt as number) - (values.length - 1) * rule.step,
        step: rule.step,
        values,
      });
      this.forecaster = forecaster;
      this.scale = maseScale(values, period);
      this.unavailable = null;
    } catch (error) {
      this.forecaster = null;
      this.unavailable = `the ${rule.model} model could not be fitted (${toError(error).message})`;
    }
    this.fittedAt = now;
    // The new model forecasts from the next tick on; this step's origin stays as recorded.
    this.current = null;
  }

  private makeForecast(record: boolean): void {
    const { rule } = this;
    const forecaster = this.forecaster as Forecaster;
    const level = quantileLevel(rule.quantile);
    const levels = level === null || level === 80 || level === 95 ? [80, 95] : [80, 95, level];
    let forecast: Forecast;
    try {
      forecast = forecaster.forecast(this.horizonSteps, { levels });
    } catch (error) {
      this.unavailable = `the forecast failed (${toError(error).message})`;
      this.forecaster = null;
      this.current = this.emptyForecast();
      return;
    }
    const band = (l: number) => forecast.intervals.find((i) => i.level === l);
    const i80 = band(80);
    const i95 = band(95);
    const upper = level === null ? forecast.mean : (band(level)?.upper ?? forecast.mean);
    if (record && i80 !== undefined && i95 !== undefined) {
      this.pending.push({
        first: forecast.start,
        mean: forecast.mean,
        lo80: i80.lower,
        hi80: i80.upper,
        lo95: i95.lower,
        hi95: i95.upper,
        scale: this.scale,
        actual: [],
      });
    }
    this.forecastFor = this.lastStepAt;
    this.current = {
      unavailable: null,
      start: forecast.start,
      step: forecast.step,
      mean: forecast.mean,
      upper,
      model: modelName(forecaster),
      accuracy: this.accuracy(),
      degraded: this.degraded,
      buffer: this.buffer,
    };
  }

  private emptyForecast(): RuleForecast {
    return {
      unavailable: this.unavailable ?? 'no forecast yet',
      start: 0,
      step: this.rule.step,
      mean: [],
      upper: [],
      model: this.rule.model,
      accuracy: this.accuracy(),
      degraded: this.degraded,
      buffer: this.buffer,
    };
  }

  private gate(): AccuracyChange {
    const accuracy = this.accuracy();
    const gates = this.rule.accuracy;
    if (accuracy === null || accuracy.scored < gates.minScored) return null;
    if (!this.degraded && accuracy.mase > gates.maxMase) {
      this.degraded = true;
      this.current = null;
      return 'degraded';
    }
    if (this.degraded && accuracy.mase <= gates.recoverMase) {
      this.degraded = false;
      this.current = null;
      return 'recovered';
    }
    return null;
  }

  /** The model in use (for `auto`, the one it chose), or null without one. */
  get model(): string | null {
    return this.forecaster === null ? null : modelName(this.forecaster);
  }

  /** Plain-JSON state for snapshots. */
  toJSON(): ForecastTrackerState {
    const list = (a: Float64Array) => Array.from(a);
    return {
      values: Array.from(this.series()),
      lastStepAt: this.lastStepAt,
      bin: this.bin === null ? null : { ...this.bin },
      lastSampleAt: this.lastSampleAt,
      backfilled: this.backfilled,
      forecaster: this.forecaster === null ? null : this.forecaster.toJSON(),
      fittedAt: this.fittedAt,
      scale: this.scale,
      unavailable: this.unavailable,
      pending: this.pending.map((p) => ({
        first: p.first,
        mean: list(p.mean),
        lo80: list(p.lo80),
        hi80: list(p.hi80),
        lo95: list(p.lo95),
        hi95: list(p.hi95),
        scale: p.scale,
        actual: p.actual.slice(),
      })),
      scored: this.scored.slice(),
      degraded: this.degraded,
      forecastFor: this.forecastFor,
    };
  }

  /** Restore from {@link toJSON} output (validated by the snapshot schema). */
  restore(state: ForecastTrackerState, load: ForecasterLoader): void {
    this.values = new Float64Array(this.size);
    const values = state.values.slice(-this.size);
    values.forEach((v, i) => {
      this.values[i] = v;
    });
    this.count = values.length;
    this.head = values.length % this.size;
    this.lastStepAt = state.lastStepAt;
    this.bin = state.bin === null ? null : { ...state.bin };
    this.lastSampleAt = state.lastSampleAt;
    this.backfilled = state.backfilled;
    this.forecaster = state.forecaster === null ? null : load(state.forecaster);
    this.fittedAt = state.fittedAt;
    this.scale = state.scale;
    this.unavailable = state.unavailable;
    const f64 = (a: number[]) => Float64Array.from(a);
    this.pending = state.pending.map((p) => ({
      first: p.first,
      mean: f64(p.mean),
      lo80: f64(p.lo80),
      hi80: f64(p.hi80),
      lo95: f64(p.lo95),
      hi95: f64(p.hi95),
      scale: p.scale,
      actual: p.actual.slice(),
    }));
    this.scored = state.scored.slice();
    this.degraded = state.degraded;
    this.current = null;
    this.forecastFor = state.forecastFor;
  }
}

function modelName(forecaster: Forecaster): string {
  const chosen = (forecaster as { selection?: { model?: unknown } }).selection?.model;
  return typeof chosen === 'string' ? `${forecaster.kind}:${chosen}` : forecaster.kind;
}
