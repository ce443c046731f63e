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
  /** Why the metric is unavailable, for `failed`. */
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
  | 'RuleFailed';

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
  | 'CapacityUnavailable';

/** The pipeline stages that can change a number, in the order they run. */
export type StageName = 'arbitrate' | 'stabilize' | 'rate-limit' | 'cooldown' | 'pause' | 'hold' | 'bounds';

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
  /** Recent unstabilized recommendations. */
  readonly recommendations: readonly RecommendationRecord[];
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
