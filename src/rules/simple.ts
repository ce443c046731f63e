import { z } from 'zod';
import { durationSchema, formatDuration } from '../core/duration.js';
import { formatNumber } from '../core/statistics.js';
import type { Observation, Proposal } from '../core/types.js';
import { lastActivityAt, readActivity, recordActivity, rememberActivity } from './activity.js';
import {
  adjustmentLabel,
  adjustmentTypeSchema,
  applyAdjustment,
  breaches,
  checkAdjustment,
  checkMinAdjustmentMagnitude,
  comparisonSchema,
} from './adjustment.js';
import { metricWindowSchema, readMetric, statisticSchema } from './shared.js';

/** AWS's `DefaultCooldown`: 300 s. */
export const DEFAULT_SIMPLE_COOLDOWN = 300_000;

/**
 * Zod schema of a simple rule, AWS EC2 Auto Scaling simple scaling: one alarm (the `statistic`
 * of `metric` over `window` compared with `threshold` by `comparison`) and one adjustment
 * (`ChangeInCapacity`, `ExactCapacity` or `PercentChangeInCapacity` with AWS's rounding and
 * `minAdjustmentMagnitude`). After any scaling activity of the group the rule ignores its
 * alarm until the activity has completed (no unit still launching) and `cooldown` has passed.
 *
 * @example
 * simpleRuleSchema.parse({
 *   kind: 'simple', metric: 'cpu', threshold: 80, comparison: '>=',
 *   adjustmentType: 'ChangeInCapacity', adjustment: 2,
 * });
 * // → { …, statistic: 'average', window: 60000, cooldown: 300000 }
 */
export const simpleRuleSchema = z
  .strictObject({
    kind: z.literal('simple'),
    /** @default `simple:<metric>` */
    name: z.string().min(1).optional(),
    metric: z.string().min(1),
    /** How the samples in `window` become the alarm's value. @default 'average' */
    statistic: statisticSchema('average'),
    /** The alarm's period. @default '1m' */
    window: metricWindowSchema,
    threshold: z.number(),
    comparison: comparisonSchema,
    adjustmentType: adjustmentTypeSchema,
    /** AWS `ScalingAdjustment`: units (negative removes), the exact capacity, or a percent. */
    adjustment: z.number().int(),
    minAdjustmentMagnitude: z.number().int().positive().optional(),
    /** AWS `Cooldown`, else the group's `DefaultCooldown`. @default '5m' */
    cooldown: durationSchema.default(DEFAULT_SIMPLE_COOLDOWN),
  })
  .superRefine((rule, ctx) => {
    checkMinAdjustmentMagnitude(ctx, rule);
    checkAdjustment(ctx, rule.adjustmentType, rule.adjustment, ['adjustment']);
  });

/** A simple rule as written. */
export type SimpleRuleInput = z.input<typeof simpleRuleSchema>;
/** A simple rule with defaults applied. */
export type SimpleRule = z.output<typeof simpleRuleSchema>;

/**
 * Whether a scaling activity is still under way: a unit still launching (`pending` or `warming`
 * when units are listed, else fewer ready units than capacity). AWS starts the cooldown only
 * when the last instance has finished launching.
 */
function activityInProgress(observation: Observation): boolean {
  const units = observation.units;
  if (units !== undefined) return units.some((u) => u.state === 'pending' || u.state === 'warming');
  return observation.readyCapacity < observation.capacity;
}

/**
 * Evaluate a simple rule as AWS simple scaling does: abstain unless the alarm is breached;
 * while an activity is in progress or within `cooldown` of the group's last capacity change
 * (`lastScaleOutAt`/`lastScaleInAt`; when the observation does not carry them, of the last
 * change this rule asked for), abstain with `RuleCooldown`; otherwise propose the adjustment
 * applied to the current capacity.
 *
 * `details`: `value`, `threshold`, and on a breach `adjustmentType`, `adjustment`, `delta`; in
 * cooldown `cooldownEndsAt` (ms), or `activityInProgress: true` while units are still launching.
 *
 * @example
 * proposeSimple(rule, 0, observation).capacity;
 */
export function proposeSimple(rule: SimpleRule, index: number, observation: Observation): Proposal {
  const name = rule.name ?? `simple:${rule.metric}`;
  const activity = readActivity(observation.memory?.[index]);
  const remember = (proposal: Proposal): Proposal => rememberActivity(proposal, undefined, activity);
  const reading = readMetric(rule, name, index, observation);
  if ('outcome' in reading) return remember(reading);
  const value = reading.value;
  const threshold = rule.threshold;
  const condition = `${rule.metric} ${formatNumber(value)} ${rule.comparison} ${formatNumber(threshold)}`;
  if (!breaches(value, rule.comparison, threshold)) {
    return remember({
      rule: name,
      ruleIndex: index,
      outcome: 'abstain',
      reason: 'Abstained',
      message: `${rule.metric} ${formatNumber(value)} does not breach ${rule.comparison} ${formatNumber(threshold)}`,
      details: { value, threshold },
    });
  }
  const details = { value, threshold, adjustmentType: rule.adjustmentType, adjustment: rule.adjustment };
  const { now, capacity: current } = observation;
  if (activityInProgress(observation)) {
    return remember({
      rule: name,
      ruleIndex: index,
      outcome: 'abstain',
      reason: 'RuleCooldown',
      message: `${condition}, but the last scaling activity is still in progress (${observation.readyCapacity} of ${current} units ready)`,
      details: { ...details, activityInProgress: true },
    });
  }
  const observed = lastActivityAt(observation);
  const last =
    observed === undefined
      ? Math.max(activity.out?.at ?? Number.NEGATIVE_INFINITY, activity.in?.at ?? Number.NEGATIVE_INFINITY)
      : (observed ?? Number.NEGATIVE_INFINITY);
  if (now < last + rule.cooldown) {
    return remember({
      rule: name,
      ruleIndex: index,
      outcome: 'abstain',
      reason: 'RuleCooldown',
      message: `${condition}, but capacity changed ${formatDuration(now - last)} ago, within the cooldown of ${formatDuration(rule.cooldown)}`,
      details: { ...details, cooldownEndsAt: last + rule.cooldown },
    });
  }
  const capacity = applyAdjustment(
    rule.adjustmentType,
    rule.adjustment,
    current,
    rule.minAdjustmentMagnitude,
  );
  const next = recordActivity(activity, now, current, capacity, current);
  const delta = capacity - current;
  return rememberActivity(
    {
      rule: name,
      ruleIndex: index,
      outcome: 'propose',
      capacity,
      reason: 'ThresholdBreached',
      message: `${condition}, so ${adjustmentLabel(rule.adjustmentType, rule.adjustment)} from ${current} gives ${capacity} (${delta >= 0 ? '+' : ''}${delta})`,
      details: { ...details, delta },
    },
    undefined,
    next,
  );
}
