import { type ArbitrationMode, arbitrate } from './arbitrate.js';
import { limitRate, recordScaleEvent, stabilize } from './behavior.js';
import {
  applyBounds,
  applyCooldown,
  applyHold,
  applyPause,
  applyScaleInControls,
  type Cooldown,
  type GuardResult,
  type ScaleInControls,
} from './guards.js';
import { type GroupBehavior, isLegacyBehavior, limitRateLegacy, stabilizeLegacy } from './legacy-behavior.js';
import type { Decision, DecisionState, Observation, Proposal, StageName, StageRecord } from './types.js';

/** The part of a group's config the pure pipeline reads. */
export interface DecideConfig {
  /** Lower bound. */
  readonly minCapacity: number;
  /** Upper bound. */
  readonly maxCapacity: number;
  /** How proposals combine. */
  readonly arbitration: ArbitrationMode;
  /** Stabilization windows and rate policies, or the legacy (behavior-less) normalization. */
  readonly behavior: GroupBehavior;
  /** Cooldowns. */
  readonly cooldown: Cooldown;
  /** GCP scale-in controls; absent for none. */
  readonly scaleInControls?: ScaleInControls | undefined;
}

/** Everything {@link decide} reads. */
export interface DecideInput {
  /** The group. */
  readonly groupId: string;
  /** The decision's sequence number within the group; becomes part of its id. */
  readonly sequence: number;
  /** The group's config. */
  readonly config: DecideConfig;
  /** What the pipeline remembers from earlier ticks. */
  readonly state: DecisionState;
  /** What this tick observed. */
  readonly observation: Observation;
  /** What each rule proposed for this observation. */
  readonly proposals: readonly Proposal[];
}

/** What {@link decide} returns: the decision and the state to remember. */
export interface DecideOutput {
  /** The decision. */
  readonly decision: Decision;
  /** The next state (recommendation recorded, expired hold cleared). */
  readonly state: DecisionState;
}

const RATE_MESSAGES: Readonly<Record<string, string>> = {
  ScaleUpLimit: 'the desired capacity is increasing faster than the scale-up policies allow',
  TooManyReplicas: 'the desired capacity is more than the maximum capacity',
  ScaleDownLimit: 'the desired capacity is decreasing faster than the scale-down policies allow',
  TooFewReplicas: 'the desired capacity is less than the minimum capacity',
};

/**
 * Describe a decision in one sentence.
 *
 * @example
 * describeDecision(4, 6, 'busy_ratio 0.9 is above target 0.8'); // 'Scale out from 4 to 6: busy_ratio …'
 */
export function describeDecision(current: number, desired: number, why: string): string {
  if (desired > current) return `Scale out from ${current} to ${desired}: ${why}.`;
  if (desired < current) return `Scale in from ${current} to ${desired}: ${why}.`;
  return `Keep ${current}: ${why}.`;
}

/**
 * The pure decision pipeline after the rules have proposed: arbitrate → stabilize → scale-in
 * controls → rate-limit → cooldown → pause → hold → bounds. Each stage that changes the number is recorded in the
 * decision's trace with a stable reason code. Reads no clock: `observation.now` is the time.
 *
 * @example
 * const { decision, state } = decide({ groupId: 'web', sequence: 1, config, state: initialDecisionState(),
 *   observation, proposals });
 */
export function decide(input: DecideInput): DecideOutput {
  const { config, observation, proposals } = input;
  const now = observation.now;
  const current = observation.capacity;
  const min = config.minCapacity;
  // A proposal may raise the maximum for this decision (a forecast with AWS's IncreaseMaxCapacity).
  let max = config.maxCapacity;
  for (const proposal of input.proposals) {
    if (proposal.maxCapacity !== undefined && proposal.maxCapacity > max) max = proposal.maxCapacity;
  }
  const prior = input.state;
  const hold = prior.hold !== null && now >= prior.hold.until ? null : prior.hold;
  let recommendations = prior.recommendations;
  let scaleInPeaks = prior.scaleInPeaks;

  let value = current;

  const arbitration = arbitrate(config.arbitration, proposals, current, {
    observation,
    minCapacity: min,
    maxCapacity: max,
  });
  const recommended = arbitration.capacity;
  // A literal, so a trace of one stage (most decisions) has room for exactly one.
  const trace: StageRecord[] = [
    {
      stage: 'arbitrate',
      from: current,
      to: recommended ?? current,
      reason: arbitration.reason,
      message: arbitration.message,
    },
  ];

  if (recommended !== null && arbitration.reason !== 'MetricsIncomplete') {
    // Kubernetes seeds the history with the current size on first sight, so the first
    // scale-in after a restart is held back by the stabilization window too.
    const history = recommendations.length === 0 ? [now, current] : recommendations;
    const { behavior } = config;
    const legacy = isLegacyBehavior(behavior);
    const stabilized = legacy
      ? stabilizeLegacy({ desired: recommended, now, behavior, recommendations: history })
      : stabilize({ current, desired: recommended, now, behavior, recommendations: history });
    recommendations = stabilized.recommendations;
    value = recommended;
    if (stabilized.reason !== null && stabilized.capacity !== value) {
      trace.push({
        stage: 'stabilize',
        from: value,
        to: stabilized.capacity,
        reason: stabilized.reason,
        message: stabilized.reason === 'ScaleDownStabilized' ? STABILIZED_DOWN : STABILIZED_UP,
      });
      value = stabilized.capacity;
    }
    if (config.scaleInControls !== undefined) {
      // Seeded with the current size, as stabilization is, so a restart cannot drop it all at once.
      const controlled = applyScaleInControls({
        current,
        desired: value,
        now,
        controls: config.scaleInControls,
        peaks:
          scaleInPeaks === undefined || scaleInPeaks.length === 0
            ? [{ at: now, capacity: current }]
            : scaleInPeaks,
      });
      scaleInPeaks = controlled.peaks;
      value = guard(trace, 'scale-in-controls', value, controlled);
    }
    if (value !== current) {
      const limited = legacy
        ? limitRateLegacy({ current, desired: value, min, max })
        : limitRate({
            current,
            desired: value,
            min,
            max,
            now,
            behavior,
            events: { up: prior.scaleUpEvents, down: prior.scaleDownEvents },
          });
      if (limited.reason !== 'DesiredWithinRange' && limited.capacity !== value) {
        trace.push({
          stage: 'rate-limit',
          from: value,
          to: limited.capacity,
          reason: limited.reason,
          message:
            (legacy && limited.reason === 'ScaleUpLimit' ? LEGACY_SCALE_UP : RATE_MESSAGES[limited.reason]) ??
            '',
        });
        value = limited.capacity;
      }
    }
  }

  // The guards below can only hold a change back, so they are skipped when there is none.
  if (value !== current) {
    value = guard(
      trace,
      'cooldown',
      value,
      applyCooldown({
        current,
        desired: value,
        now,
        cooldown: config.cooldown,
        lastScaleOutAt: prior.lastScaleOutAt,
        lastScaleInAt: prior.lastScaleInAt,
      }),
    );
  }
  if (value !== current) value = guard(trace, 'pause', value, applyPause(current, value, prior.paused));
  if (value !== current && hold !== null)
    value = guard(trace, 'hold', value, applyHold(current, value, hold, now));
  if (value < min || value > max) value = guard(trace, 'bounds', value, applyBounds(value, min, max));

  const last = trace[trace.length - 1] as StageRecord;
  const decision: Decision = {
    id: decisionId(input.groupId, input.sequence),
    groupId: input.groupId,
    at: now,
    current,
    recommended,
    desired: value,
    direction: value > current ? 'out' : value < current ? 'in' : 'none',
    reason: last.reason,
    message: describeTrace(current, value, trace, recommended),
    proposals,
    // The decision is kept (last decision, event history) until the group's next tick; a trace
    // that grew by push has room for 17 stages, so it is kept as an exact copy.
    trace: trace.length === 1 ? trace : trace.slice(),
  };
  const state: DecisionState =
    recommendations === prior.recommendations && hold === prior.hold && scaleInPeaks === prior.scaleInPeaks
      ? prior
      : withPeaks(
          {
            recommendations,
            scaleUpEvents: prior.scaleUpEvents,
            scaleDownEvents: prior.scaleDownEvents,
            lastScaleOutAt: prior.lastScaleOutAt,
            lastScaleInAt: prior.lastScaleInAt,
            hold,
            paused: prior.paused,
          },
          scaleInPeaks,
        );
  return { decision, state };
}

/**
 * `state` with `scaleInPeaks` set when there are any. A property added after the literal, not a
 * conditional spread: spreading runs a generic property copy on every tick.
 */
function withPeaks(
  state: { -readonly [K in keyof DecisionState]: DecisionState[K] },
  scaleInPeaks: DecisionState['scaleInPeaks'],
): DecisionState {
  if (scaleInPeaks !== undefined) state.scaleInPeaks = scaleInPeaks;
  return state;
}

/** `'000'` … `'999'`. */
const TRIPLES: readonly string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
let idPrefixGroup = '';
let idPrefixThousands = -1;
let idPrefix = '';

/**
 * `<groupId>#<sequence>`. Past 999 the prefix up to the thousands is reused for the next
 * thousand ids of the group: turning a large sequence number into a string misses V8's
 * number-string cache every time, and that cost more than the rest of a decision's strings.
 */
function decisionId(groupId: string, sequence: number): string {
  if (sequence < 1000 || !Number.isSafeInteger(sequence)) return `${groupId}#${sequence}`;
  const thousands = Math.floor(sequence / 1000);
  if (thousands !== idPrefixThousands || groupId !== idPrefixGroup) {
    idPrefixGroup = groupId;
    idPrefixThousands = thousands;
    idPrefix = `${groupId}#${thousands}`;
  }
  return idPrefix + TRIPLES[sequence - thousands * 1000];
}

const LEGACY_SCALE_UP = 'the desired capacity is increasing faster than max(2 × current, 4) allows';
const STABILIZED_DOWN = 'recent recommendations were higher, so the highest of the scale-down window applies';
const STABILIZED_UP = 'recent recommendations were lower, so the lowest of the scale-up window applies';

/**
 * The decision's sentence: {@link describeDecision} of the rules' reason, and when a later stage
 * changed their number, what they recommended and the last stage's reason, so a clamp never
 * hides what the rules saw. Built from cached pieces: the sentence is kept with the decision
 * until the group's next tick, and every `+` of a long string is one more object to keep.
 * Not in the public index; `decideScheduled` uses it to restate a relabelled trace.
 *
 * @example
 * describeTrace(4, 4, [{ stage: 'arbitrate', from: 4, to: 4, reason: 'NoChange', message: 'cpu is at target' }], 4);
 * // 'Keep 4: cpu is at target.'
 */
export function describeTrace(
  current: number,
  desired: number,
  trace: readonly StageRecord[],
  recommended: number | null,
): string {
  const first = (trace[0] as StageRecord).message;
  let head: string;
  if (desired === current) head = cached(KEEP, current, keepHead);
  else
    head =
      cached(desired > current ? OUT : IN, current, desired > current ? outHead : inHead) +
      cached(TO, desired, toHead);
  if (trace.length === 1) return `${head}${first}.`;
  const last = trace[trace.length - 1] as StageRecord;
  const wanted = recommended === null ? '; ' : cached(RECOMMENDED, recommended, recommendedText);
  const tail = CONSTANT_TAILS.get(last.reason);
  return tail !== undefined && tail.message === last.message
    ? head + first + wanted + tail.text
    : `${head}${first}${wanted}${last.message}.`;
}

const KEEP: string[] = [];
const OUT: string[] = [];
const IN: string[] = [];
const TO: string[] = [];
const RECOMMENDED: string[] = [];
const keepHead = (n: number): string => `Keep ${n}: `;
const outHead = (n: number): string => `Scale out from ${n} to `;
const inHead = (n: number): string => `Scale in from ${n} to `;
const toHead = (n: number): string => `${n}: `;
const recommendedText = (n: number): string => ` (rules recommend ${n}); `;

/** `make(n)`, remembered for capacities up to 4095. */
function cached(table: string[], n: number, make: (n: number) => string): string {
  if (!(n >= 0 && n < 4096 && Number.isInteger(n))) return make(n);
  let text = table[n];
  if (text === undefined) {
    text = make(n);
    table[n] = text;
  }
  return text;
}

/** The stages whose message is a constant per reason, with that message and the sentence's end. */
const CONSTANT_TAILS = new Map<string, { readonly message: string; readonly text: string }>(
  [
    ...Object.entries(RATE_MESSAGES),
    ['ScaleDownStabilized', STABILIZED_DOWN],
    ['ScaleUpStabilized', STABILIZED_UP],
  ].map(([reason, message]) => [reason as string, { message: message as string, text: `${message}.` }]),
);

function guard(trace: StageRecord[], stage: StageName, value: number, result: GuardResult): number {
  if (result.reason === null || result.capacity === value) return value;
  trace.push({ stage, from: value, to: result.capacity, reason: result.reason, message: result.message });
  return result.capacity;
}

/**
 * A decision for a manual or configured capacity change: applied at once, ignoring cooldowns,
 * rules and stabilization, but never outside [min, max].
 *
 * @example
 * manualDecision({ groupId: 'web', sequence: 3, now: 0, current: 4, requested: 12, min: 0, max: 40,
 *   reason: 'ManualOverride', why: 'release day' }).desired; // 12
 */
export function manualDecision(args: {
  readonly groupId: string;
  readonly sequence: number;
  readonly now: number;
  readonly current: number;
  readonly requested: number;
  readonly min: number;
  readonly max: number;
  readonly reason: 'ManualOverride' | 'ConfiguredCapacity';
  readonly why: string;
}): Decision {
  const { current, requested } = args;
  const trace: StageRecord[] = [
    { stage: 'arbitrate', from: current, to: requested, reason: args.reason, message: args.why },
  ];
  const bounded = applyBounds(requested, args.min, args.max);
  if (bounded.reason !== null) {
    trace.push({
      stage: 'bounds',
      from: requested,
      to: bounded.capacity,
      reason: bounded.reason,
      message: bounded.message,
    });
  }
  const desired = bounded.capacity;
  const lastStage = trace[trace.length - 1] as StageRecord;
  return {
    id: `${args.groupId}#${args.sequence}`,
    groupId: args.groupId,
    at: args.now,
    current,
    recommended: requested,
    desired,
    direction: desired > current ? 'out' : desired < current ? 'in' : 'none',
    reason: lastStage.reason,
    message: describeDecision(current, desired, lastStage.message),
    proposals: [],
    trace,
  };
}

/**
 * Remember a capacity change that the controller accepted: scale events for rate policies and
 * the timestamps cooldowns count from.
 *
 * @example
 * state = recordScaling(state, 4, 6, now, behavior);
 */
export function recordScaling(
  state: DecisionState,
  from: number,
  to: number,
  now: number,
  behavior: GroupBehavior,
): DecisionState {
  if (to === from) return state;
  const before = { up: state.scaleUpEvents, down: state.scaleDownEvents };
  // The legacy normalization has no rate policies, so no scale event is ever read.
  const events = isLegacyBehavior(behavior) ? before : recordScaleEvent(before, from, to, now, behavior);
  const next = {
    recommendations: state.recommendations,
    scaleUpEvents: events.up,
    scaleDownEvents: events.down,
    lastScaleOutAt: to > from ? now : state.lastScaleOutAt,
    lastScaleInAt: to < from ? now : state.lastScaleInAt,
    hold: state.hold,
    paused: state.paused,
  };
  return withPeaks(next, state.scaleInPeaks);
}
