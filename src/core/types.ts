import type { UnitInfo } from '../ports/controller.js';
import type { MetricSample } from '../ports/metrics.js';

/** Plain JSON data. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Which way a capacity change goes. */
export type ScaleDirection = 'out' | 'in';

/**
 * What was observed of one metric on a tick.
 * - `ok`: samples in the window.
 * - `missing`: the provider answered but had no usable sample in the window.
 * - `failed`: the provider call failed or timed out.
 */
export type MetricStatus = 'ok' | 'missing' | 'failed';

/**
 * One metric as observed on a tick: finite samples inside the window, oldest first.
 */
export interface MetricObservation {
  /** Whether data was available. */
  readonly status: MetricStatus;
  /** Finite samples inside the window, oldest first. Empty unless `status` is `ok`. */
  readonly samples: readonly MetricSample[];
  /** Per-unit samples when the provider returned them. */
  readonly perUnit?: Readonly<Record<string, readonly MetricSample[]>>;
  /**
   * Why the metric is unavailable: for `failed`, the error; for `missing`, when the provider
   * did answer for the metric, what was wrong with the answer (no series, a malformed one, or
   * samples none of which is usable, counted by cause).
   */
  readonly error?: string;
}

/**
 * Everything a tick observed: the fleet's size and every metric the rules read.
 *
 * @example
 * const observation: Observation = {
 *   now: 0, capacity: 4, readyCapacity: 4,
 *   metrics: { busy_ratio: { status: 'ok', samples: [{ timestamp: 0, value: 0.9 }] } },
 * };
 */
export interface Observation {
  /** The tick's time, ms since the epoch. */
  readonly now: number;
  /** Current desired capacity as the controller reports it. */
  readonly capacity: number;
  /** Capacity that is ready and serving. */
  readonly readyCapacity: number;
  /** Each metric the rules read, by name. */
  readonly metrics: Readonly<Record<string, MetricObservation>>;
  /**
   * What each rule remembered from its previous evaluation ({@link Proposal.memory}), by rule
   * index; a rule's slot is `undefined` on its first evaluation. Absent when no rule remembers.
   */
  readonly memory?: readonly (JsonValue | undefined)[];
  /** When capacity last went up (automatically or by hand), or null; absent when unknown. */
  readonly lastScaleOutAt?: number | null;
  /** When capacity last went down (automatically or by hand), or null; absent when unknown. */
  readonly lastScaleInAt?: number | null;
  /** Forecasts the runtime made for predictive rules, by rule index; absent without predictive rules. */
  readonly forecasts?: Readonly<Record<number, RuleForecast>>;
  /**
   * The group's units as the controller's `listUnits` reported them this tick; absent when the
   * controller cannot list units or no rule needs them. Per-unit target tracking reads their
   * state, start and ready times and requests to tell ready, unready and missing units apart.
   */
  readonly units?: readonly UnitInfo[];
}

/**
 * Stable codes for why a rule proposed what it did.
 */
export type ProposalReason =
  | 'AboveTarget'
  | 'BelowTarget'
  | 'WithinTolerance'
  | 'ScaleFromZero'
  | 'MetricMissing'
  | 'MetricFailed'
  | 'Abstained'
  | 'RuleFailed'
  | 'ThresholdBreached'
  | 'RuleCooldown'
  | 'Fallback'
  | 'Paused'
  | 'ScaleDownDelayed'
  | 'WarmingUp'
  | 'ScaleInDisabled'
  /** A schedule in effect proposes its `desiredCapacity` (a floor for the rules). */
  | 'Scheduled'
  /** The active profile's `defaultCapacity` while no rule can compute (Azure's `default`). */
  | 'ProfileDefault';

/**
 * One rule's output on a tick.
 * - `propose`: the rule wants `capacity`.
 * - `abstain`: the rule has nothing to say (it does not block anything).
 * - `invalid`: the rule could not compute (no data); it blocks scale-in but never scale-out.
 */
export interface Proposal {
  /** The rule's name (its `name`, or `<kind>:<metric>`). */
  readonly rule: string;
  /** The rule's position in the group's `rules`. */
  readonly ruleIndex: number;
  /** What the rule did. */
  readonly outcome: 'propose' | 'abstain' | 'invalid';
  /** Desired capacity, when `outcome` is `propose`. */
  readonly capacity?: number;
  /** Stable code. */
  readonly reason: ProposalReason;
  /** One sentence a person can read. */
  readonly message: string;
  /** Numbers behind the proposal (observed value, target, ratio, …). */
  readonly details?: Readonly<Record<string, number | string | boolean>>;
  /**
   * What the rule wants to remember until its next evaluation (a per-rule cooldown, a failure
   * count, job reservations): plain JSON, handed back as `observation.memory[ruleIndex]`, kept in
   * snapshots. Rules that remember nothing leave it out.
   */
  readonly memory?: JsonValue;
  /**
   * The proposal is a floor, not a wish (a predictive forecast, as AWS applies it): arbitration
   * never lets the result fall below it, but a floor alone never lowers capacity.
   */
  readonly floor?: boolean;
  /** A maximum capacity this proposal raises the group's to for this decision (AWS `IncreaseMaxCapacity`). */
  readonly maxCapacity?: number;
}

/** A forecast of a predictive rule's load metric, as the runtime hands it to the rule. */
export interface RuleForecast {
  /** Why there is no forecast (too little history, the fit failed), or null when there is one. */
  readonly unavailable: string | null;
  /** Time of the first forecast step, ms. */
  readonly start: number;
  /** Spacing of the steps, ms. */
  readonly step: number;
  /** Point forecasts, one per step. */
  readonly mean: readonly number[] | Float64Array;
  /** The upper bound of the rule's risk quantile, one per step (equal to `mean` at quantile 50). */
  readonly upper: readonly number[] | Float64Array;
  /** The forecaster's kind (`auto`, `ets`, …) and, for `auto`, the model it chose. */
  readonly model: string;
  /** The scheduling buffer in effect, ms: the rule's, else the group's `provisioningLeadTime`, else 5 minutes. */
  readonly buffer: number;
  /** Recent accuracy of this rule's forecasts against what happened, or null before any matured. */
  readonly accuracy: ForecastAccuracy | null;
  /** True while accuracy is below the rule's threshold: the rule then leaves decisions to the others. */
  readonly degraded: boolean;
}

/** Rolling accuracy of past forecasts. */
export interface ForecastAccuracy {
  /** How many forecast origins were scored. */
  readonly scored: number;
  /** Mean absolute scaled error over the scored origins (scale: in-sample seasonal-naive error). */
  readonly mase: number;
  /** Symmetric mean absolute percentage error, percent. */
  readonly smape: number;
  /** Share of actual values inside the 80 % interval, in [0, 1]. */
  readonly coverage80: number;
  /** Share of actual values inside the 95 % interval, in [0, 1]. */
  readonly coverage95: number;
}

/**
 * Stable codes for why a decision ended where it did. The names of the Kubernetes HPA's
 * conditions are kept where the meaning is the same.
 */
export type ReasonCode =
  | 'ScaleOut'
  | 'ScaleIn'
  | 'NoChange'
  | 'NoRecommendation'
  | 'MetricsUnavailable'
  | 'MetricsIncomplete'
  | 'ScaleUpStabilized'
  | 'ScaleDownStabilized'
  | 'ScaleUpLimit'
  | 'ScaleDownLimit'
  | 'TooManyReplicas'
  | 'TooFewReplicas'
  | 'CooldownActive'
  | 'ScaleOutPaused'
  | 'ScaleInPaused'
  | 'ManualHold'
  | 'ManualOverride'
  | 'ConfiguredCapacity'
  | 'CapacityUnavailable'
  | 'DesiredWithinRange'
  | 'Flapping'
  | 'FlappingOccurred'
  | 'DefaultCapacity'
  /** An arbitration formula or function failed (malformed, threw, or gave no usable number). */
  | 'ArbitrationFailed'
  /** GCP scale-in controls held a scale-in to at most N (or N %) below the window's peak. */
  | 'ScaleInControlled'
  /** A schedule or profile in effect set the bound that decided the number. */
  | 'ScheduledCapacity';

/** The pipeline stages that can change a number, in the order they run. */
export type StageName =
  | 'arbitrate'
  | 'stabilize'
  | 'scale-in-controls'
  | 'rate-limit'
  | 'cooldown'
  | 'pause'
  | 'hold'
  | 'bounds';

/**
 * One stage that changed (or decided) the number, with why.
 */
export interface StageRecord {
  /** Which stage. */
  readonly stage: StageName;
  /** The number going in. */
  readonly from: number;
  /** The number coming out. */
  readonly to: number;
  /** Stable code. */
  readonly reason: ReasonCode;
  /** One sentence a person can read. */
  readonly message: string;
}

/**
 * The result of one tick (or one manual change): how many units, why, and the trace of every
 * stage that changed the number. Plain data; safe to serialise.
 */
export interface Decision {
  /** Unique per group, in order (`<groupId>#<sequence>`). */
  readonly id: string;
  /** The group. */
  readonly groupId: string;
  /** When it was made, ms since the epoch. */
  readonly at: number;
  /** Capacity before the decision. */
  readonly current: number;
  /** The arbitrated recommendation of the rules before guards, or null when there was none. */
  readonly recommended: number | null;
  /** The capacity decided. */
  readonly desired: number;
  /** `out`, `in`, or `none` when `desired === current`. */
  readonly direction: ScaleDirection | 'none';
  /** Stable code: why the decision ended where it did. */
  readonly reason: ReasonCode;
  /** One sentence a person can read. */
  readonly message: string;
  /** What each rule proposed. */
  readonly proposals: readonly Proposal[];
  /** Each stage that changed the number, in order. */
  readonly trace: readonly StageRecord[];
}

/**
 * Recent unstabilized recommendations, flat: `[at₀, capacity₀, at₁, capacity₁, …]`, one pair per
 * record, in slot order (a record older than every window is written over, so the pairs are not
 * sorted by time). One array of numbers instead of an object per record: a group keeps a whole
 * stabilization window of them and replaces the array on every tick, and a flat array is copied
 * and scanned in one pass over contiguous memory. {@link recommendationRecords} and
 * {@link recommendationLog} convert to and from records.
 */
export type RecommendationLog = readonly number[];

/** A recommendation remembered for stabilization. */
export interface RecommendationRecord {
  /** When it was made. */
  readonly at: number;
  /** The unstabilized recommendation. */
  readonly capacity: number;
}

/** A successful scale event remembered for rate policies. */
export interface ScaleEventRecord {
  /** When the change was applied. */
  readonly at: number;
  /** How many units were added (up list) or removed (down list); always positive. */
  readonly change: number;
  /** Older than the longest policy period of its direction, so its slot may be reused. */
  readonly outdated: boolean;
}

/** A manual hold set by `setGroupCapacity(..., { holdFor })`. */
export interface HoldState {
  /** The capacity that was set. */
  readonly capacity: number;
  /** When the hold ends, ms since the epoch. */
  readonly until: number;
  /** Why, as the caller said. */
  readonly reason: string;
}

/** Which directions of automatic scaling are paused. */
export interface PauseState {
  /** Automatic scale-out is paused. */
  readonly scaleOut: boolean;
  /** Automatic scale-in is paused. */
  readonly scaleIn: boolean;
}

/**
 * Everything the pure pipeline remembers between ticks. Produced by {@link decide} and by the
 * record functions; never mutated.
 */
export interface DecisionState {
  /** Recent unstabilized recommendations (see {@link RecommendationLog}). */
  readonly recommendations: RecommendationLog;
  /** Recent scale-up events. */
  readonly scaleUpEvents: readonly ScaleEventRecord[];
  /** Recent scale-down events. */
  readonly scaleDownEvents: readonly ScaleEventRecord[];
  /** When capacity last went up (automatically or manually), or null. */
  readonly lastScaleOutAt: number | null;
  /** When capacity last went down (automatically or manually), or null. */
  readonly lastScaleInAt: number | null;
  /** The active manual hold, or null. */
  readonly hold: HoldState | null;
  /** Paused directions. */
  readonly paused: PauseState;
  /**
   * Recommendations kept for scale-in controls: the running peaks of the trailing window, oldest
   * first, each larger than every later one. Absent until scale-in controls record one.
   */
  readonly scaleInPeaks?: readonly RecommendationRecord[] | undefined;
}

/**
 * The state a new group starts from.
 *
 * @example
 * const state = initialDecisionState();
 */
export function initialDecisionState(): DecisionState {
  return {
    recommendations: [],
    scaleUpEvents: [],
    scaleDownEvents: [],
    lastScaleOutAt: null,
    lastScaleInAt: null,
    hold: null,
    paused: { scaleOut: false, scaleIn: false },
  };
}
