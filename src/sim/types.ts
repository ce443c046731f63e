import type { ScalingGroupConfigInput } from '../config/group.js';

/**
 * A piecewise-constant series: `values[i]` holds from `times[i]` until `times[i + 1]` (the last
 * one until the end of whatever range it is read over). Times are ms since the epoch and
 * strictly increasing.
 *
 * @example
 * const demand: StepSeries = { times: [0, 60_000], values: [2, 5] };
 */
export interface StepSeries {
  /** Change points, ms, strictly increasing. */
  readonly times: readonly number[];
  /** The value from each change point on. */
  readonly values: readonly number[];
}

/** A time range `[start, end)` in ms. */
export interface TimeRange {
  /** Inclusive start, ms. */
  readonly start: number;
  /** Exclusive end, ms. */
  readonly end: number;
}

/**
 * The SPEC RG elasticity metrics over a scored range (elasticity-metrics §1), computed exactly
 * over the union of change points of demand and supply. All in percent except `jitter`.
 */
export interface ElasticityScores {
  /** θU: time-averaged share of demand not supplied, `100/T · Σ (d−s)⁺ / max(d, ε) · Δt`. */
  readonly thetaU: number;
  /** θO: time-averaged surplus relative to demand, `100/T · Σ (s−d)⁺ / max(d, ε) · Δt`. */
  readonly thetaO: number;
  /** τU: share of time under-provisioned (s < d). */
  readonly tauU: number;
  /** τO: share of time over-provisioned (s > d). */
  readonly tauO: number;
  /**
   * k: share of time supply moves "more upward" than demand (over-reaction), over deltas.
   * `simulate()` computes k, k′ and κ on the trace's step grid (see its docs).
   */
  readonly k: number;
  /** k′: share of time supply fails to follow or moves against demand. */
  readonly kPrime: number;
  /** κ = k + k′. */
  readonly kappa: number;
  /** Jitter: (supply adaptations − demand adaptations) per hour; adaptations count units changed. */
  readonly jitter: number;
}

export type { LatencyStats } from '../core/statistics.js';

import type { LatencyStats } from '../core/statistics.js';

/** Everything a simulation run is scored on. */
export interface SimulationScores extends ElasticityScores {
  /** Length of the scored range, ms. */
  readonly duration: number;
  /** Minutes during which load exceeded ready units × capacity per unit (SLO violated). */
  readonly sloViolationMinutes: number;
  /** Share of offered load not served: ∫(λ − s·c)⁺ dt / ∫λ dt, in [0, 1] (0 when no load). */
  readonly unservedShare: number;
  /** Unit-hours paid, exactly from launch to release (booting and draining included). */
  readonly unitHours: number;
  /** Unit-hours charged after billing granularity and minimum. */
  readonly billedUnitHours: number;
  /** `billedUnitHours × pricePerUnitHour`. */
  readonly cost: number;
  /** Unit-hours an oracle needs: ∫ d dt. */
  readonly oracleUnitHours: number;
  /** Unit-hours of a static fleet sized for the peak: max d × T. */
  readonly staticPeakUnitHours: number;
  /** `billedUnitHours / oracleUnitHours`; 1 when both are 0, null when only the oracle's is 0. */
  readonly costVsOracle: number | null;
  /** `billedUnitHours / staticPeakUnitHours` (same conventions). */
  readonly costVsStaticPeak: number | null;
  /** Capacity increases applied. */
  readonly scaleOuts: number;
  /** Capacity decreases applied. */
  readonly scaleIns: number;
  /** Time from each scale-out being applied until every unit it launched was ready. */
  readonly scaleOutToReady: LatencyStats;
}

/** The baseline policies shipped with the simulator. */
export type BaselineName =
  | 'static-peak'
  | 'static-mean'
  | 'oracle'
  | 'oracle-lead'
  | 'hpa-like'
  | 'react'
  | 'hist'
  | 'reg';

/**
 * A provisioning or drain delay: a fixed duration (`"90s"` or ms), or a distribution sampled
 * per unit from the simulation's seeded random source.
 */
export type DelaySpec =
  | string
  | number
  | { readonly distribution: 'uniform'; readonly min: string | number; readonly max: string | number }
  | { readonly distribution: 'lognormal'; readonly median: string | number; readonly sigma: number }
  | { readonly distribution: 'exponential'; readonly mean: string | number };

/** Billing of simulated units. */
export interface BillingOptions {
  /** Billed time is rounded up to a multiple of this. @default '1s' */
  readonly granularity?: string | number;
  /** Each unit is billed at least this long. @default '60s' */
  readonly minimum?: string | number;
  /** Price of one unit for one hour. @default 1 */
  readonly pricePerUnitHour?: number;
}

/** The simulated fleet. */
export interface FleetOptions {
  /** Load one ready unit serves while meeting the SLO, in the trace's unit (per trace step). */
  readonly capacityPerUnit: number;
  /** Launch to ready. Booting units are paid for but do not serve. @default 0 */
  readonly provisioningDelay?: DelaySpec;
  /** Scale-in to release. Draining units are paid for but do not serve. @default 0 */
  readonly drainDelay?: DelaySpec;
  /** Units ready at the start. @default demand at the first trace point (at least minCapacity) */
  readonly initialCapacity?: number;
  /** Billing. */
  readonly billing?: BillingOptions;
}

/** A policy to simulate: a group config (id optional), or a baseline by name. */
export type PolicySpec = BaselineName | (Omit<ScalingGroupConfigInput, 'id'> & { readonly id?: string });

/** A trace to replay: strictly increasing timestamps (ms) and the load at each. */
export interface TraceInput {
  /** ms since the epoch, strictly increasing. */
  readonly timestamps: readonly number[];
  /** Load intensity per trace step, finite and ≥ 0. */
  readonly values: readonly number[];
}

/** What {@link simulate} takes. */
export interface SimulationOptions {
  /** The load to replay. */
  readonly trace: TraceInput;
  /** The policy under test. */
  readonly policy: PolicySpec;
  /** The simulated fleet. */
  readonly fleet: FleetOptions;
  /** Seed for every random draw (delay distributions). @default 1 */
  readonly seed?: number;
  /** How often metrics are sampled. @default the trace's step, at most 60 s */
  readonly sampleInterval?: string | number;
  /** Leading time excluded from scoring (all policies see it). @default 0 */
  readonly warmup?: string | number;
  /** A label for the run. @default the policy's name */
  readonly name?: string;
}

/** One capacity change of a run, for timelines. */
export interface SimulationDecision {
  /** When, ms. */
  readonly at: number;
  /** Capacity before. */
  readonly from: number;
  /** Capacity after. */
  readonly to: number;
  /** Reason code. */
  readonly reason: string;
  /** One sentence. */
  readonly message: string;
}

/**
 * The outcome of one run. Plain JSON; the same options and seed give a byte-identical
 * `JSON.stringify`.
 */
export interface SimulationResult {
  /** Always `tideway.simulation`. */
  readonly format: 'tideway.simulation';
  /** Format version. */
  readonly version: 1;
  /** The run's label. */
  readonly name: string;
  /** The policy's name (a baseline name, or the group config's id / `custom`). */
  readonly policy: string;
  /** Seed used. */
  readonly seed: number;
  /** What was replayed. */
  readonly trace: {
    readonly points: number;
    readonly start: number;
    readonly end: number;
    /** Median spacing of the trace, ms. */
    readonly step: number;
    /** FNV-1a hash of the timestamps and values, hex. */
    readonly hash: string;
  };
  /** Fleet settings, resolved (durations in ms). */
  readonly fleet: {
    readonly capacityPerUnit: number;
    readonly provisioningDelay: DelaySpec;
    readonly drainDelay: DelaySpec;
    readonly initialCapacity: number;
    readonly billing: {
      readonly granularity: number;
      readonly minimum: number;
      readonly pricePerUnitHour: number;
    };
  };
  /** The scored range. */
  readonly scored: TimeRange;
  /** Scores over the scored range. */
  readonly scores: SimulationScores;
  /**
   * Sampled at every sample interval over the whole run, each value holding until the next
   * sample: load (trace units), demand (ceil(load / capacity per unit)), ready units, desired
   * capacity, units paid for (booting and draining included), and cumulative cost in money
   * (exact paid time × price, before billing granularity).
   */
  readonly timeline: {
    readonly times: readonly number[];
    readonly load: readonly number[];
    readonly demand: readonly number[];
    readonly ready: readonly number[];
    readonly desired: readonly number[];
    readonly paid: readonly number[];
    readonly cost: readonly number[];
  };
  /** Every applied capacity change, in order. */
  readonly decisions: readonly SimulationDecision[];
  /** A load forecast made during the run, in the trace's unit, when the policy forecasts. */
  readonly forecast?: ForecastBand;
}

/** A forecast over time: mean with a lower and upper bound, in the trace's unit. */
export interface ForecastBand {
  /** ms. */
  readonly times: readonly number[];
  /** Expected load. */
  readonly mean: readonly number[];
  /** Lower bound. */
  readonly lower: readonly number[];
  /** Upper bound. */
  readonly upper: readonly number[];
}

/** One run in a comparison: which trace, delay and policy, and how it scored. */
export interface ComparisonRun {
  /** The trace's label. */
  readonly trace: string;
  /** The provisioning delay used, as given (e.g. `"30s"`). */
  readonly delay: string;
  /** The policy's label. */
  readonly policy: string;
  /** Scores over the scored range. */
  readonly scores: SimulationScores;
  /** Elastic speedup against the baseline on the same trace and delay (1 for the baseline itself). */
  readonly speedup: number;
}

/** A point on the cost-vs-SLO Pareto front. */
export interface ParetoPoint {
  /** The policy's label. */
  readonly policy: string;
  /** The trace's label. */
  readonly trace: string;
  /** The delay's label. */
  readonly delay: string;
  /** Billed unit-hours (not money: comparable across runs whatever the price). */
  readonly cost: number;
  /** SLO-violation minutes. */
  readonly sloViolationMinutes: number;
}

/**
 * Policies × traces × delays: every run's scores, elastic speedup against a baseline, pairwise
 * win rates, and the cost-vs-SLO-minutes Pareto front. Plain JSON.
 */
export interface ComparisonResult {
  /** Always `tideway.comparison`. */
  readonly format: 'tideway.comparison';
  /** Format version. */
  readonly version: 1;
  /** The baseline speedups are measured against. */
  readonly baseline: string;
  /** Every run, in trace → delay → policy order. */
  readonly runs: readonly ComparisonRun[];
  /**
   * Share of pairwise metric comparisons each policy wins (ties count half) over all traces
   * and delays, by policy label, in [0, 1].
   */
  readonly winRates: Readonly<Record<string, number>>;
  /** Runs not dominated on (cost, SLO minutes) within their trace and delay. */
  readonly pareto: readonly ParetoPoint[];
  /** The full results of each run, when kept (for reports), in the order of `runs`. */
  readonly results?: readonly SimulationResult[];
}
