import { z } from 'zod';
import { formatNumber } from '../core/statistics.js';
import type { Observation, Proposal } from '../core/types.js';
import {
  delayScaleDown,
  optionalReservations,
  reservationDurationSchema,
  scaleDownDelaySchema,
} from './job-events.js';
import { metricReadingFields, readMetric, reasonOfChange, roundRatio, withMemory } from './shared.js';

/**
 * Zod schema of a percentage-runners-busy rule: ARC's HorizontalRunnerAutoscaler metric
 * `PercentageRunnersBusy` (controllers `suggestReplicasByPercentageRunnersBusy`). `metric` is
 * the number of busy runners; fractionBusy = busy / current capacity. At or above
 * `scaleUpThreshold` the rule proposes ceil(current × `scaleUpFactor`) or current +
 * `scaleUpAdjustment`; below `scaleDownThreshold`, trunc(current × `scaleDownFactor`) or current −
 * `scaleDownAdjustment`; otherwise current. A factor and an adjustment of the same direction
 * cannot be combined. A result of 0 or less stands for the group's minimum (ARC falls back to
 * `minReplicas`); job-event reservations are added on top; a scale-in within
 * `scaleDownDelayAfterScaleOut` of the last scale-out keeps the current capacity.
 *
 * @example
 * percentageRunnersBusyRuleSchema.parse({ kind: 'percentage-runners-busy', metric: 'busy_runners' });
 * // → { kind: 'percentage-runners-busy', metric: 'busy_runners', statistic: 'last', window: 60000,
 * //     scaleUpThreshold: 0.8, scaleDownThreshold: 0.3, scaleDownDelayAfterScaleOut: 600000 }
 */
export const percentageRunnersBusyRuleSchema = z
  .strictObject({
    kind: z.literal('percentage-runners-busy'),
    /** @default `percentage-runners-busy:<metric>` */
    name: z.string().min(1).optional(),
    /** The number of busy runners. */
    metric: z.string().min(1),
    ...metricReadingFields,
    /** Scale out when busy / current is at least this. @default 0.8 */
    scaleUpThreshold: z.number().min(0).default(0.8),
    /** Scale in when busy / current is below this. @default 0.3 */
    scaleDownThreshold: z.number().min(0).default(0.3),
    /** Multiply the capacity by this to scale out (rounded up). @default 1.3 (without an adjustment) */
    scaleUpFactor: z.number().positive().optional(),
    /** Multiply the capacity by this to scale in (truncated). @default 0.7 (without an adjustment) */
    scaleDownFactor: z.number().positive().optional(),
    /** Add this many units to scale out, instead of a factor. */
    scaleUpAdjustment: z.number().int().positive().optional(),
    /** Remove this many units to scale in, instead of a factor. */
    scaleDownAdjustment: z.number().int().positive().optional(),
    /** ARC `scaleDownDelaySecondsAfterScaleOut`. @default '10m' */
    scaleDownDelayAfterScaleOut: scaleDownDelaySchema.default(600_000),
    /** Accept job events: each `queued` one reserves a unit this long (ARC `scaleUpTriggers[].duration`). */
    reservationDuration: reservationDurationSchema.optional(),
  })
  .superRefine((rule, ctx) => {
    for (const [adjustment, factor] of [
      ['scaleUpAdjustment', 'scaleUpFactor'],
      ['scaleDownAdjustment', 'scaleDownFactor'],
    ] as const) {
      if (rule[adjustment] === undefined || rule[factor] === undefined) continue;
      ctx.addIssue({
        code: 'custom',
        path: [adjustment],
        message: `either \`${adjustment}\` or \`${factor}\``,
        input: rule[adjustment],
        params: { expected: `either \`${adjustment}\` or \`${factor}\``, received: 'both' },
      });
    }
  });

/** A percentage-runners-busy rule as written. */
export type PercentageRunnersBusyRuleInput = z.input<typeof percentageRunnersBusyRuleSchema>;
/** A percentage-runners-busy rule with defaults applied. */
export type PercentageRunnersBusyRule = z.output<typeof percentageRunnersBusyRuleSchema>;

/**
 * ARC's PercentageRunnersBusy arithmetic on plain numbers, with the same float operations, so a
 * current capacity of 0 gives fractionBusy NaN (0 busy: no change) or Infinity (busy > 0).
 *
 * @example
 * suggestByPercentageRunnersBusy(rule, 10, 8); // 13: 8 / 10 ≥ 0.8, ceil(10 × 1.3)
 */
export function suggestByPercentageRunnersBusy(
  rule: PercentageRunnersBusyRule,
  desiredBefore: number,
  busy: number,
): number {
  const fractionBusy = busy / desiredBefore;
  if (fractionBusy >= rule.scaleUpThreshold) {
    return rule.scaleUpAdjustment !== undefined
      ? desiredBefore + rule.scaleUpAdjustment
      : Math.ceil(desiredBefore * (rule.scaleUpFactor ?? 1.3));
  }
  if (fractionBusy < rule.scaleDownThreshold) {
    return rule.scaleDownAdjustment !== undefined
      ? desiredBefore - rule.scaleDownAdjustment
      : Math.trunc(desiredBefore * (rule.scaleDownFactor ?? 0.7));
  }
  return desiredBefore;
}

/**
 * Evaluate a percentage-runners-busy rule (see {@link percentageRunnersBusyRuleSchema}).
 * `details`: `busy`, `fractionBusy` (when finite), `desiredBefore`, `suggested`, `reserved`.
 *
 * @example
 * proposePercentageRunnersBusy(rule, 0, observation).capacity;
 */
export function proposePercentageRunnersBusy(
  rule: PercentageRunnersBusyRule,
  index: number,
  observation: Observation,
): Proposal {
  const name = rule.name ?? `percentage-runners-busy:${rule.metric}`;
  const reservations = optionalReservations(
    rule.reservationDuration,
    observation.memory?.[index],
    observation.now,
  );
  const reading = readMetric(rule, name, index, observation);
  if ('outcome' in reading) return withMemory(reading, reservations.memory);
  const busy = reading.value;
  const before = observation.capacity;
  const suggested = suggestByPercentageRunnersBusy(rule, before, busy);
  // ARC uses minReplicas when the suggestion is not above 0; the group's minimum does that here.
  const capacity = Math.max(0, suggested) + reservations.active;
  const fractionBusy = busy / before;
  const shownFraction = Number.isFinite(fractionBusy) ? formatNumber(fractionBusy) : 'undefined';
  const direction = suggested > before ? 'above' : suggested < before ? 'below' : 'between';
  const proposal: Proposal = {
    rule: name,
    ruleIndex: index,
    outcome: 'propose',
    capacity,
    reason: reasonOfChange(suggested, before),
    message:
      `${formatNumber(busy)} of ${before} runners busy (${shownFraction}) is ${direction === 'between' ? 'between the thresholds' : `${direction} the ${direction === 'above' ? 'scale-up' : 'scale-down'} threshold`}, so ${capacity}` +
      (reservations.active > 0 ? ` with ${reservations.active} reserved` : ''),
    details: {
      busy,
      ...(Number.isFinite(fractionBusy) ? { fractionBusy: roundRatio(fractionBusy) } : {}),
      desiredBefore: before,
      suggested,
      reserved: reservations.active,
    },
  };
  return withMemory(
    delayScaleDown(proposal, observation, rule.scaleDownDelayAfterScaleOut),
    reservations.memory,
  );
}
