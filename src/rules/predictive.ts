import { z } from 'zod';
import { durationSchema, positiveDurationSchema } from '../core/duration.js';
import { formatNumber } from '../core/statistics.js';
import type { JsonValue, Observation, Proposal, RuleForecast } from '../core/types.js';
import { FORECAST_MODELS, type ForecastModelName } from '../forecast/create.js';
import { expectedIssue } from './shared.js';

/** The forecasting models a predictive rule can use: every model `createForecaster` knows. */
export const PREDICTIVE_MODELS = FORECAST_MODELS;

/** A model name of {@link PREDICTIVE_MODELS}. */
export type PredictiveModel = ForecastModelName;

const positiveDuration = positiveDurationSchema('a duration');

/**
 * Zod schema of a `predictive` rule: forecast the load metric, turn the forecast into capacity
 * (`ceil(load quantile / (capacityPerUnit × targetUtilization / 100))`), and act a scheduling
 * buffer ahead of need. AWS predictive scaling is the default: `forecast-only` until told
 * otherwise, scale out only (the forecast is a floor the other rules combine with by max), max
 * capacity honoured. Beyond AWS: `scaleIn: true` lets the forecast lower capacity while its
 * measured accuracy clears `accuracy.scaleInMaxMase`, and a degraded forecast hands the group
 * back to its reactive rules until accuracy recovers.
 *
 * @example
 * predictiveRuleSchema.parse({ kind: 'predictive', metric: 'rps', capacityPerUnit: 100, mode: 'forecast-and-scale' });
 */
export const predictiveRuleSchema = z
  .strictObject({
    kind: z.literal('predictive'),
    name: z.string().min(1).optional(),
    /** The load metric (requests/s, queued jobs, CPU-seconds …): summed per step when `aggregate` is `sum`. */
    metric: z.string().min(1),
    /** How the samples inside one step become one value. @default 'average' */
    aggregate: z.enum(['average', 'sum', 'max', 'last']).default('average'),
    /** The load one unit carries at 100 % utilization. */
    capacityPerUnit: z.number().positive().finite(),
    /** The utilization to hold, percent. @default 100 */
    targetUtilization: z.number().gt(0).max(100).default(100),
    /** The forecast quantile sized for, percent: 50 is the mean, 90 leaves room for 90 % of outcomes. @default 50 */
    quantile: z.number().min(50).max(99.5).default(50),
    /** `forecast-only` records what it would do and never changes capacity. @default 'forecast-only' */
    mode: z.enum(['forecast-only', 'forecast-and-scale']).default('forecast-only'),
    /** How far ahead of need units launch; default: the group's `provisioningLeadTime`, else 5 minutes. */
    schedulingBuffer: durationSchema
      .refine((ms) => ms < 3_600_000, {
        message: 'a buffer under one hour',
        params: { expected: 'a duration under 1h' },
      })
      .optional(),
    /** `honor` keeps max capacity; `increase` lets the forecast raise it by `maxCapacityBuffer` %. */
    maxCapacityBreach: z.enum(['honor', 'increase']).default('honor'),
    /** Percent of the forecast capacity the raised max may reach (AWS `MaxCapacityBuffer`). @default 0 */
    maxCapacityBuffer: z.number().min(0).max(100).default(0),
    /** Spacing of the series the model is fitted on. @default '5m' */
    step: positiveDuration.default(300_000),
    /** How much history the model is fitted on. @default '7d' */
    history: positiveDuration.default(7 * 86_400_000),
    /** Less history than this and the rule waits (AWS: 24 h). @default '1d' */
    minHistory: positiveDuration.default(86_400_000),
    /** How often the model is refitted (AWS: every 6 h); between refits each new step updates it. @default '6h' */
    refitEvery: positiveDuration.default(6 * 3_600_000),
    /** How far ahead forecasts are made and recorded. @default '1h' */
    horizon: positiveDuration.default(3_600_000),
    /** The model. @default 'auto' */
    model: z.enum(PREDICTIVE_MODELS).default('auto'),
    /** Let the forecast lower capacity, while accurate (`accuracy.scaleInMaxMase`). @default false */
    scaleIn: z.boolean().default(false),
    /** Accuracy gates, from the rolling record of past forecasts against what happened. */
    accuracy: z
      .strictObject({
        /** Forecast origins kept in the rolling record. @default 48 */
        window: z.number().int().min(1).default(48),
        /** Origins scored before the gates apply. @default 6 */
        minScored: z.number().int().min(1).default(6),
        /** Degraded above this MASE: the rule abstains and the reactive rules decide. @default 1.5 */
        maxMase: z.number().positive().default(1.5),
        /** Recovered at or below this MASE. @default 1 */
        recoverMase: z.number().positive().default(1),
        /** Predictive scale-in only at or below this MASE. @default 0.8 */
        scaleInMaxMase: z.number().positive().default(0.8),
      })
      .prefault({}),
  })
  .superRefine((rule, ctx) => {
    if (rule.minHistory > rule.history) {
      expectedIssue(ctx, ['minHistory'], `a duration ≤ history (${rule.history} ms)`, rule.minHistory);
    }
    if (rule.step > rule.minHistory) {
      expectedIssue(ctx, ['step'], `a duration ≤ minHistory (${rule.minHistory} ms)`, rule.step);
    }
    if (rule.accuracy.recoverMase > rule.accuracy.maxMase) {
      expectedIssue(
        ctx,
        ['accuracy', 'recoverMase'],
        `a number ≤ maxMase (${rule.accuracy.maxMase})`,
        rule.accuracy.recoverMase,
      );
    }
  });

/** A predictive rule as written. */
export type PredictiveRuleInput = z.input<typeof predictiveRuleSchema>;
/** A predictive rule with defaults applied. */
export type PredictiveRule = z.output<typeof predictiveRuleSchema>;

/** The scheduling buffer when neither the rule nor the group sets one: AWS's default, 300 s. */
export const DEFAULT_SCHEDULING_BUFFER = 300_000;

/**
 * The interval level whose upper bound is the rule's quantile: a central `L` % interval's upper
 * bound is the `(50 + L/2)` % quantile, so `L = 2q − 100`; null for the mean (q = 50).
 *
 * @example
 * quantileLevel(90); // 80
 */
export function quantileLevel(quantile: number): number | null {
  return quantile <= 50 ? null : 2 * quantile - 100;
}

/**
 * The load the group must be ready for now: the largest upper-quantile forecast of the steps that
 * overlap `[now, now + buffer]` — launching `buffer` early, as AWS's `SchedulingBufferTime`
 * does. Null when the forecast covers none of it.
 *
 * @example
 * loadAhead(forecast, now, 300_000);
 */
export function loadAhead(forecast: RuleForecast, now: number, buffer: number): number | null {
  let load: number | null = null;
  const end = now + buffer;
  for (let i = 0; i < forecast.upper.length; i++) {
    const from = forecast.start + i * forecast.step;
    if (from > end) break;
    if (from + forecast.step <= now) continue;
    const value = forecast.upper[i] as number;
    if (load === null || value > load) load = value;
  }
  return load;
}

/**
 * Capacity for a load: `ceil(load / (capacityPerUnit × targetUtilization / 100))`, never below 0,
 * with a 1e-9 allowance so a load of exactly N units does not round up to N + 1.
 *
 * @example
 * capacityFor(rule, 450); // 5 with capacityPerUnit 100 at 90 %
 */
export function capacityFor(rule: PredictiveRule, load: number): number {
  const perUnit = rule.capacityPerUnit * (rule.targetUtilization / 100);
  return Math.max(0, Math.ceil(load / perUnit - 1e-9));
}

interface PredictiveMemory {
  readonly raisedMax: number;
}

function raisedMaxOf(memory: JsonValue | undefined): number | undefined {
  const m = memory as Partial<PredictiveMemory> | undefined;
  return m !== null && typeof m === 'object' && typeof m.raisedMax === 'number' ? m.raisedMax : undefined;
}

/**
 * Evaluate a predictive rule against the forecast the runtime made for it
 * (`observation.forecasts[index]`).
 * - No forecast yet, or a degraded one: abstain, so the other rules decide alone.
 * - `forecast-only`: abstain, with the capacity it would have set in the message and `details`.
 * - `forecast-and-scale`: propose the forecast capacity as a floor (AWS: raise to the forecast,
 *   never scale in). With `scaleIn` and an accuracy record at or below `scaleInMaxMase`, propose
 *   it as an ordinary proposal instead, which may lower capacity.
 * - `maxCapacityBreach: 'increase'`: the proposal raises max capacity to
 *   `ceil(capacity × (1 + maxCapacityBuffer / 100))`, and the raised max stays (in the rule's
 *   memory) until the config changes, as AWS keeps it until someone lowers it.
 *
 * @example
 * proposePredictive(rule, 0, observation);
 */
export function proposePredictive(rule: PredictiveRule, index: number, observation: Observation): Proposal {
  const name = rule.name ?? `predictive:${rule.metric}`;
  const memory = observation.memory?.[index];
  const raised = raisedMaxOf(memory);
  const keep = raised === undefined ? {} : { memory: memory as JsonValue };
  const forecast = observation.forecasts?.[index];
  const abstain = (message: string, details?: Proposal['details']): Proposal => ({
    rule: name,
    ruleIndex: index,
    outcome: 'abstain',
    reason: 'Abstained',
    message,
    ...(details === undefined ? {} : { details }),
    ...keep,
  });
  if (forecast === undefined || forecast.unavailable !== null) {
    return abstain(`${name} has no forecast yet (${forecast?.unavailable ?? 'not computed'})`);
  }
  const accuracy = forecast.accuracy;
  if (forecast.degraded) {
    return abstain(
      `${name} forecast is degraded (MASE ${formatNumber(accuracy?.mase ?? Number.NaN)} above ${formatNumber(rule.accuracy.maxMase)}), so the reactive rules decide`,
      { degraded: true, mase: accuracy?.mase ?? -1 },
    );
  }
  const buffer = forecast.buffer;
  const load = loadAhead(forecast, observation.now, buffer);
  if (load === null) return abstain(`${name} forecast does not reach the next ${buffer} ms`);
  const capacity = capacityFor(rule, load);
  const details: Record<string, number | string | boolean> = {
    load,
    predicted: capacity,
    buffer,
    model: forecast.model,
  };
  if (accuracy !== null) {
    details.mase = accuracy.mase;
    details.coverage80 = accuracy.coverage80;
  }
  const why = `forecast load ${formatNumber(load)} within ${Math.round(buffer / 1000)} s needs ${capacity}`;
  if (rule.mode === 'forecast-only')
    return abstain(`${name} (forecast only) would set ${capacity}: ${why}`, details);

  const raise =
    rule.maxCapacityBreach === 'increase'
      ? Math.max(raised ?? 0, Math.ceil(capacity * (1 + rule.maxCapacityBuffer / 100) - 1e-9))
      : undefined;
  const maxFields =
    raise === undefined
      ? {}
      : { maxCapacity: raise, memory: { raisedMax: raise } satisfies PredictiveMemory };
  const accurate =
    accuracy !== null &&
    accuracy.scored >= rule.accuracy.minScored &&
    accuracy.mase <= rule.accuracy.scaleInMaxMase;
  const lowers = capacity < observation.capacity;
  if (lowers && rule.scaleIn && accurate) {
    return {
      rule: name,
      ruleIndex: index,
      outcome: 'propose',
      capacity,
      reason: 'BelowTarget',
      message: `${name} ${why} (accurate enough to scale in)`,
      details,
      ...keep,
      ...maxFields,
    };
  }
  return {
    rule: name,
    ruleIndex: index,
    outcome: 'propose',
    capacity,
    floor: true,
    reason: capacity > observation.capacity ? 'AboveTarget' : 'WithinTolerance',
    message: lowers ? `${name} ${why}, a floor below the current ${observation.capacity}` : `${name} ${why}`,
    details,
    ...keep,
    ...maxFields,
  };
}
