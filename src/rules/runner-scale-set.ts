import { z } from 'zod';
import { formatNumber } from '../core/statistics.js';
import type { JsonValue, Observation, Proposal } from '../core/types.js';
import {
  applyJobEvent as applyReservationEvent,
  currentReservations,
  delayScaleDown,
  type JobEvent,
  reservationDurationSchema,
  scaleDownDelaySchema,
} from './job-events.js';
import { metricReadingFields, readMetric, reasonOfChange, withMemory } from './shared.js';

/**
 * Zod schema of a runner-scale-set rule: ARC runner scale sets (ADR 2023-11-02, "min runners
 * semantics"): desired = min(`maxRunners`, assigned jobs + `minRunners`), where `minRunners` is
 * the number of idle runners to keep. Assigned jobs come from `metric` when given, else from
 * job events: each `queued` event reserves one runner for `reservationDuration` (unless a
 * `completed` event releases it first, oldest first); reservations beyond `maxRunners` wait and
 * start their timer when a slot frees. A scale-in within `scaleDownDelayAfterScaleOut` of the
 * last scale-out keeps the current capacity (HRA's delay; scale sets have none, so 0 by default).
 *
 * @example
 * runnerScaleSetRuleSchema.parse({ kind: 'runner-scale-set', minRunners: 2, maxRunners: 20 });
 * // → { kind: 'runner-scale-set', minRunners: 2, maxRunners: 20, statistic: 'last',
 * //     window: 60000, reservationDuration: 600000, scaleDownDelayAfterScaleOut: 0 }
 */
export const runnerScaleSetRuleSchema = z
  .strictObject({
    kind: z.literal('runner-scale-set'),
    /** @default `runner-scale-set:<metric>`, or `runner-scale-set:job-events` */
    name: z.string().min(1).optional(),
    /** Jobs assigned to this scale set; leave out to count job-event reservations instead. */
    metric: z.string().min(1).optional(),
    ...metricReadingFields,
    /** Idle runners to keep beside the assigned jobs. @default 0 */
    minRunners: z.number().int().min(0).default(0),
    /** The most runners. @default no limit */
    maxRunners: z.number().int().min(0).optional(),
    /** How long a `queued` job event's reservation counts. @default '10m' */
    reservationDuration: reservationDurationSchema.default(600_000),
    /** No scale-in until this long after a scale-out. @default 0 */
    scaleDownDelayAfterScaleOut: scaleDownDelaySchema.default(0),
  })
  .superRefine((rule, ctx) => {
    if (rule.maxRunners === undefined || rule.maxRunners >= rule.minRunners) return;
    ctx.addIssue({
      code: 'custom',
      path: ['maxRunners'],
      message: `a number ≥ minRunners (${rule.minRunners})`,
      input: rule.maxRunners,
      params: { expected: `a number ≥ minRunners (${rule.minRunners})` },
    });
  });

/** A runner-scale-set rule as written. */
export type RunnerScaleSetRuleInput = z.input<typeof runnerScaleSetRuleSchema>;
/** A runner-scale-set rule with defaults applied. */
export type RunnerScaleSetRule = z.output<typeof runnerScaleSetRuleSchema>;

function settingsOf(rule: RunnerScaleSetRule) {
  return {
    reservationDuration: rule.reservationDuration,
    reservationLimit: rule.maxRunners ?? Number.POSITIVE_INFINITY,
  };
}

/**
 * The runner-scale-set job-event reducer: the rule's next memory after `event` at `now`
 * (see {@link applyReservationEvent}). A rule that reads `metric` ignores job events.
 *
 * @example
 * memory = applyJobEvent(memory, { type: 'queued', at: now }, now, rule);
 */
export function applyJobEvent(
  memory: JsonValue | undefined,
  event: JobEvent,
  now: number,
  rule: RunnerScaleSetRule,
): JsonValue | undefined {
  if (rule.metric !== undefined) return memory;
  return applyReservationEvent(memory, event, now, settingsOf(rule));
}

/**
 * Evaluate a runner-scale-set rule: min(maxRunners, assigned + minRunners), delayed on scale-in.
 * `details`: `assigned`, `minRunners`, `maxRunners` (when set), `waiting` (reservations waiting
 * for a slot).
 *
 * @example
 * proposeRunnerScaleSet(rule, 0, observation).capacity;
 */
export function proposeRunnerScaleSet(
  rule: RunnerScaleSetRule,
  index: number,
  observation: Observation,
): Proposal {
  const name = rule.name ?? `runner-scale-set:${rule.metric ?? 'job-events'}`;
  let assigned: number;
  let waiting = 0;
  let memory: JsonValue | undefined;
  if (rule.metric === undefined) {
    const reservations = currentReservations(observation.memory?.[index], observation.now, settingsOf(rule));
    assigned = reservations.active;
    waiting = reservations.waiting;
    memory = reservations.memory;
  } else {
    const reading = readMetric({ ...rule, metric: rule.metric }, name, index, observation);
    if ('outcome' in reading) return reading;
    assigned = Math.max(0, Math.ceil(reading.value));
  }
  const max = rule.maxRunners ?? Number.POSITIVE_INFINITY;
  const capacity = Math.min(max, assigned + rule.minRunners);
  const current = observation.capacity;
  const proposal: Proposal = {
    rule: name,
    ruleIndex: index,
    outcome: 'propose',
    capacity,
    reason: reasonOfChange(capacity, current),
    message:
      `${formatNumber(assigned)} assigned jobs + ${rule.minRunners} idle runners` +
      (capacity < assigned + rule.minRunners ? `, capped at ${capacity}` : `, so ${capacity}`) +
      (waiting > 0 ? ` (${waiting} reservations waiting)` : ''),
    details: {
      assigned,
      minRunners: rule.minRunners,
      ...(rule.maxRunners === undefined ? {} : { maxRunners: rule.maxRunners }),
      waiting,
    },
  };
  return withMemory(delayScaleDown(proposal, observation, rule.scaleDownDelayAfterScaleOut), memory);
}
