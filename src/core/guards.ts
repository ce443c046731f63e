import { z } from 'zod';
import { durationSchema } from './duration.js';
import type { DecisionState, ReasonCode } from './types.js';

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
