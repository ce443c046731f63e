import { durationSchema, formatDuration, positiveDurationSchema } from '../core/duration.js';
import type { JsonValue, Observation, Proposal } from '../core/types.js';

/**
 * A CI job event from outside the tick (a GitHub `workflow_job` webhook, a scale-set listener's
 * job message): `queued` when a job waits for a runner, `completed` when it finished or was
 * cancelled. `at` is when it happened, ms since the epoch.
 *
 * @example
 * const event: JobEvent = { type: 'queued', at: clock.now() };
 */
export interface JobEvent {
  /** What happened to the job. */
  readonly type: 'queued' | 'completed';
  /** When, ms since the epoch. */
  readonly at: number;
}

/**
 * One capacity reservation (ARC's `capacityReservations`): made by a `queued` job event,
 * counted while `expiresAt > now`. `expiresAt` is null while the reservation waits for a free
 * slot under the rule's limit; its timer starts when it becomes active.
 */
export interface Reservation {
  /** When the job was queued. */
  readonly at: number;
  /** When it stops counting, or null while it waits for a slot. */
  readonly expiresAt: number | null;
}

/**
 * Zod schema of the reservation duration (ARC HRA `scaleUpTriggers[].duration`): how long a
 * reservation counts if its `completed` event never arrives.
 *
 * @default '10m' (ARC's default when the duration is not above 0)
 * @example
 * reservationDurationSchema.parse('30m'); // 1800000
 */
export const reservationDurationSchema = positiveDurationSchema('a duration');

/**
 * Zod schema of ARC's scale-down delay (HRA `scaleDownDelaySecondsAfterScaleOut`, controller
 * flag `--default-scale-down-delay`): no scale-in until this long after the last scale-out.
 *
 * @example
 * scaleDownDelaySchema.parse('5m'); // 300000
 */
export const scaleDownDelaySchema = durationSchema;

function reservationsOf(memory: JsonValue | undefined): Reservation[] {
  if (memory === null || typeof memory !== 'object' || Array.isArray(memory)) return [];
  const list = memory.reservations;
  if (!Array.isArray(list)) return [];
  const out: Reservation[] = [];
  for (const item of list) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) continue;
    const { at, expiresAt } = item;
    if (typeof at !== 'number') continue;
    out.push({ at, expiresAt: typeof expiresAt === 'number' ? expiresAt : null });
  }
  return out;
}

function activate(list: Reservation[], from: number, duration: number, limit: number): void {
  let active = list.filter((r) => r.expiresAt !== null).length;
  for (let i = 0; i < list.length && active < limit; i++) {
    const r = list[i] as Reservation;
    if (r.expiresAt !== null) continue;
    list[i] = { at: r.at, expiresAt: from + duration };
    active++;
  }
}

/**
 * Drop the reservations expired by `now`, one expiry at a time in time order, starting each
 * waiting reservation's timer at the instant a slot freed up.
 */
function settle(list: Reservation[], now: number, duration: number, limit: number): Reservation[] {
  const out = [...list];
  for (;;) {
    let first = -1;
    for (let i = 0; i < out.length; i++) {
      const expiresAt = (out[i] as Reservation).expiresAt;
      // ARC counts a reservation while ExpirationTime.After(now): it is gone at exactly expiresAt.
      if (expiresAt !== null && expiresAt <= now) {
        if (first < 0 || expiresAt < ((out[first] as Reservation).expiresAt as number)) first = i;
      }
    }
    if (first < 0) return out;
    const freedAt = (out[first] as Reservation).expiresAt as number;
    out.splice(first, 1);
    activate(out, freedAt, duration, limit);
  }
}

/** What the job-event reducer needs from a rule. */
export interface ReservationSettings {
  /** How long a reservation counts. */
  readonly reservationDuration: number;
  /** Active reservations at most; later ones wait. @default Infinity */
  readonly reservationLimit?: number | undefined;
}

function toMemory(list: readonly Reservation[]): JsonValue {
  return { reservations: list.map((r) => ({ at: r.at, expiresAt: r.expiresAt })) };
}

/**
 * The pure reducer for job events (ARC's webhook-based autoscaler): expire what `now` ended,
 * then a `queued` event appends one reservation (active for `reservationDuration` if fewer than
 * `reservationLimit` are active, else waiting), and a `completed` event removes the oldest
 * reservation and lets the oldest waiting one start. Returns the rule's next memory.
 *
 * @example
 * let memory = applyJobEvent(undefined, { type: 'queued', at: 0 }, 0, { reservationDuration: 600000 });
 * memory = applyJobEvent(memory, { type: 'completed', at: 5000 }, 5000, { reservationDuration: 600000 });
 */
export function applyJobEvent(
  memory: JsonValue | undefined,
  event: JobEvent,
  now: number,
  settings: ReservationSettings,
): JsonValue {
  const duration = settings.reservationDuration;
  const limit = settings.reservationLimit ?? Number.POSITIVE_INFINITY;
  const list = settle(reservationsOf(memory), now, duration, limit);
  if (event.type === 'queued') {
    list.push({ at: now, expiresAt: null });
  } else if (list.length > 0) {
    list.shift();
  }
  activate(list, now, duration, limit);
  return toMemory(list);
}

/**
 * The reservations a rule holds at `now`: the active count and the memory to keep (expired
 * ones dropped; waiting ones started as slots freed). Memory is undefined when none are left.
 *
 * @example
 * const { active, memory } = currentReservations(observation.memory?.[index], now, settings);
 */
export function currentReservations(
  memory: JsonValue | undefined,
  now: number,
  settings: ReservationSettings,
): { readonly active: number; readonly waiting: number; readonly memory: JsonValue | undefined } {
  const list = settle(
    reservationsOf(memory),
    now,
    settings.reservationDuration,
    settings.reservationLimit ?? Number.POSITIVE_INFINITY,
  );
  const active = list.filter((r) => r.expiresAt !== null).length;
  return { active, waiting: list.length - active, memory: list.length === 0 ? undefined : toMemory(list) };
}

/**
 * The reservations of a rule that accepts job events only when it sets a `reservationDuration`:
 * none (and no memory) without one, else {@link currentReservations} of the rule's memory.
 *
 * @example
 * const { active, memory } = optionalReservations(rule.reservationDuration, observation.memory?.[index], now);
 */
export function optionalReservations(
  reservationDuration: number | undefined,
  memory: JsonValue | undefined,
  now: number,
): { readonly active: number; readonly memory: JsonValue | undefined } {
  if (reservationDuration === undefined) return { active: 0, memory: undefined };
  return currentReservations(memory, now, { reservationDuration });
}

/**
 * ARC's scale-down delay (HRA `computeReplicasWithCache`): when a proposal is below the current
 * capacity and the last scale-out was less than `delay` ago (`lastScaleOut + delay` strictly
 * after now), keep the current capacity instead, with reason `ScaleDownDelayed` and
 * `details.undelayed`.
 *
 * @example
 * delayScaleDown(proposal, observation, 600000);
 */
export function delayScaleDown(proposal: Proposal, observation: Observation, delay: number): Proposal {
  const current = observation.capacity;
  const last = observation.lastScaleOutAt;
  if (proposal.outcome !== 'propose' || proposal.capacity === undefined || proposal.capacity >= current) {
    return proposal;
  }
  if (last === undefined || last === null || last + delay <= observation.now) return proposal;
  return {
    ...proposal,
    capacity: current,
    reason: 'ScaleDownDelayed',
    message: `${proposal.message}, but capacity went up less than ${formatDuration(delay)} ago, so it keeps ${current}`,
    details: { ...proposal.details, undelayed: proposal.capacity },
  };
}
