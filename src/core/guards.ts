import { z } from 'zod';
import { durationSchema, formatDuration, positiveDurationSchema } from './duration.js';
import type { DecisionState, ReasonCode, RecommendationRecord } from './types.js';

/** Cooldowns after capacity changes, in ms. */
export interface Cooldown {
  /** After capacity goes up, further scale-out waits this long. */
  readonly scaleOut: number;
  /** After any capacity change, scale-in waits this long. */
  readonly scaleIn: number;
}

/**
 * Zod schema for `cooldown`: one duration for both directions, or one per direction.
 *
 * @example
 * cooldownSchema.parse('5m'); // { scaleOut: 300000, scaleIn: 300000 }
 */
export const cooldownSchema = z
  .union(
    [
      durationSchema,
      z.strictObject({ scaleOut: durationSchema.optional(), scaleIn: durationSchema.optional() }),
    ],
    { error: 'a duration, or an object { scaleOut, scaleIn } of durations' },
  )
  .transform(
    (value): Cooldown =>
      typeof value === 'number'
        ? { scaleOut: value, scaleIn: value }
        : { scaleOut: value.scaleOut ?? 0, scaleIn: value.scaleIn ?? 0 },
  );

/** `cooldown` as written. */
export type CooldownInput = z.input<typeof cooldownSchema>;

/** What a guard returns: the number it lets through, and why it changed it. */
export interface GuardResult {
  /** The capacity after the guard. */
  readonly capacity: number;
  /** Why the guard changed the number; null when it let it through. */
  readonly reason: ReasonCode | null;
  /** One sentence, when it changed the number. */
  readonly message: string;
}

const PASS = (capacity: number): GuardResult => ({ capacity, reason: null, message: '' });

/**
 * Hold a scale-out until `cooldown.scaleOut` has passed since capacity last went up, and a
 * scale-in until `cooldown.scaleIn` has passed since capacity last changed either way, so a
 * fresh scale-out is never immediately undone.
 *
 * @example
 * applyCooldown({ current: 4, desired: 6, now: 30_000, cooldown: { scaleOut: 60_000, scaleIn: 0 },
 *   lastScaleOutAt: 0, lastScaleInAt: null }).capacity; // 4
 */
export function applyCooldown(args: {
  readonly current: number;
  readonly desired: number;
  readonly now: number;
  readonly cooldown: Cooldown;
  readonly lastScaleOutAt: number | null;
  readonly lastScaleInAt: number | null;
}): GuardResult {
  const { current, desired, now, cooldown, lastScaleOutAt, lastScaleInAt } = args;
  if (desired > current && lastScaleOutAt !== null && now < lastScaleOutAt + cooldown.scaleOut) {
    const left = lastScaleOutAt + cooldown.scaleOut - now;
    return { capacity: current, reason: 'CooldownActive', message: `scale-out cooldown has ${left} ms left` };
  }
  if (desired < current) {
    const last = Math.max(
      lastScaleOutAt ?? Number.NEGATIVE_INFINITY,
      lastScaleInAt ?? Number.NEGATIVE_INFINITY,
    );
    if (now < last + cooldown.scaleIn) {
      const left = last + cooldown.scaleIn - now;
      return {
        capacity: current,
        reason: 'CooldownActive',
        message: `scale-in cooldown has ${left} ms left`,
      };
    }
  }
  return PASS(desired);
}

/**
 * Keep capacity where it is in a paused direction.
 *
 * @example
 * applyPause(4, 6, { scaleOut: true, scaleIn: false }).reason; // 'ScaleOutPaused'
 */
export function applyPause(current: number, desired: number, paused: DecisionState['paused']): GuardResult {
  if (desired > current && paused.scaleOut) {
    return { capacity: current, reason: 'ScaleOutPaused', message: 'automatic scale-out is paused' };
  }
  if (desired < current && paused.scaleIn) {
    return { capacity: current, reason: 'ScaleInPaused', message: 'automatic scale-in is paused' };
  }
  return PASS(desired);
}

/**
 * Suspend automatic changes while a manual hold is active.
 *
 * @example
 * applyHold(4, 6, { capacity: 4, until: 10, reason: 'release' }, 5).reason; // 'ManualHold'
 */
export function applyHold(
  current: number,
  desired: number,
  hold: DecisionState['hold'],
  now: number,
): GuardResult {
  if (hold !== null && now < hold.until && desired !== current) {
    return {
      capacity: current,
      reason: 'ManualHold',
      message: `a manual hold ("${hold.reason}") is active until ${new Date(hold.until).toISOString()}`,
    };
  }
  return PASS(desired);
}

/**
 * Clamp to [min, max]. This guard runs last and always wins: no other stage can leave capacity
 * outside the bounds.
 *
 * @example
 * applyBounds(12, 1, 10).capacity; // 10
 */
export function applyBounds(desired: number, min: number, max: number): GuardResult {
  if (desired > max) {
    return {
      capacity: max,
      reason: 'TooManyReplicas',
      message: `${desired} is above the maximum capacity ${max}`,
    };
  }
  if (desired < min) {
    return {
      capacity: min,
      reason: 'TooFewReplicas',
      message: `${desired} is below the minimum capacity ${min}`,
    };
  }
  return PASS(desired);
}

const ALLOWANCE = 'a whole number ≥ 0, a percent from "0%" to "100%", { fixed: n } or { percent: p }';

/**
 * Zod schema of `scaleInControls`, GCP's scale-in controls: capacity may not fall more than
 * `maxScaledInReplicas` below the peak recommendation of the trailing `timeWindow`, so a fall in
 * load removes units at that pace. `maxScaledInReplicas` is a count (`10`, or GCP's
 * `{ fixed: 10 }`) or a percent of the peak (`'20%'`, or `{ percent: 20 }`).
 *
 * @example
 * scaleInControlsSchema.parse({ maxScaledInReplicas: 10, timeWindow: '20m' });
 * // { maxScaledInReplicas: { fixed: 10 }, timeWindow: 1200000 }
 */
export const scaleInControlsSchema = z.strictObject({
  maxScaledInReplicas: z
    .union(
      [
        z.number().int().min(0),
        z.string().refine((v) => /^(?:100(?:\.0+)?|\d{1,2}(?:\.\d+)?)%$/.test(v), {
          params: { expected: ALLOWANCE },
        }),
        z.strictObject({ fixed: z.number().int().min(0) }),
        z.strictObject({ percent: z.number().min(0).max(100) }),
      ],
      { error: ALLOWANCE },
    )
    .transform((value): ScaleInAllowance => {
      if (typeof value === 'number') return { fixed: value };
      if (typeof value === 'string') return { percent: Number(value.slice(0, -1)) };
      return value;
    }),
  timeWindow: positiveDurationSchema('a time window'),
});

/** How far below the peak capacity may fall: a number of units, or a percent of the peak. */
export type ScaleInAllowance = { readonly fixed: number } | { readonly percent: number };

/** `scaleInControls` as written. */
export type ScaleInControlsInput = z.input<typeof scaleInControlsSchema>;
/** `scaleInControls` resolved: the allowance and the window in ms. */
export type ScaleInControls = z.output<typeof scaleInControlsSchema>;

/** What {@link applyScaleInControls} returns: the guard's result and the peaks to remember. */
export interface ScaleInControlsResult extends GuardResult {
  /** The running peaks of the trailing window with this recommendation recorded. */
  readonly peaks: readonly RecommendationRecord[];
}

/**
 * GCP scale-in controls: record `desired` (the stabilized recommendation) and hold a scale-in to
 * no lower than `peak − allowance`, where the peak is the largest recommendation strictly newer
 * than `now − timeWindow` and a percent allowance is that percent of the peak, rounded down so it
 * is never exceeded. It never raises capacity above `current`, and never changes a scale-out.
 *
 * `peaks` holds only the records that can still be a window's peak (each larger than every later
 * one), so it stays small however often the group ticks.
 *
 * @example
 * // Blog example: at most 10 VMs removed per 20 minutes; the load halves 40 → 20.
 * applyScaleInControls({ current: 40, desired: 20, now: 60_000,
 *   controls: { maxScaledInReplicas: { fixed: 10 }, timeWindow: 1_200_000 },
 *   peaks: [{ at: 0, capacity: 40 }] }).capacity; // 30
 */
export function applyScaleInControls(args: {
  readonly current: number;
  readonly desired: number;
  readonly now: number;
  readonly controls: ScaleInControls;
  readonly peaks: readonly RecommendationRecord[];
}): ScaleInControlsResult {
  const { current, desired, now, controls } = args;
  const cutoff = now - controls.timeWindow;
  const peaks = args.peaks.filter((record) => record.at > cutoff);
  while (peaks.length > 0 && (peaks[peaks.length - 1] as RecommendationRecord).capacity <= desired)
    peaks.pop();
  peaks.push({ at: now, capacity: desired });
  const peak = (peaks[0] as RecommendationRecord).capacity;
  const allowance =
    'fixed' in controls.maxScaledInReplicas
      ? controls.maxScaledInReplicas.fixed
      : Math.floor((peak * controls.maxScaledInReplicas.percent) / 100);
  const floor = Math.min(current, peak - allowance);
  if (desired >= current || desired >= floor) return { ...PASS(desired), peaks };
  return {
    capacity: floor,
    reason: 'ScaleInControlled',
    message: `scale-in controls allow at most ${allowance} below the peak recommendation ${peak} of the last ${formatDuration(controls.timeWindow)}`,
    peaks,
  };
}
