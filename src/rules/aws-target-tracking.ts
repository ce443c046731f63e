import { z } from 'zod';
import { durationSchema } from '../core/duration.js';
import { formatNumber } from '../core/statistics.js';
import type { Observation, Proposal } from '../core/types.js';
import {
  type ActivityMemory,
  applyApplicationCooldown,
  countWarming,
  readActivity,
  readOutsideWarmup,
  readWarmup,
  recordActivity,
  rememberActivity,
} from './activity.js';
import { expectedIssue, metricWindowSchema, reasonOfChange, statisticSchema } from './shared.js';

/**
 * The instance warm-up an AWS target-tracking rule uses when none is given: 300 s, where AWS's
 * fallback chain (`EstimatedInstanceWarmup` → `DefaultInstanceWarmup` → `DefaultCooldown`) ends.
 */
export const DEFAULT_AWS_INSTANCE_WARMUP = 300_000;

/** Application Auto Scaling's `ScaleOutCooldown` / `ScaleInCooldown` when one of the pair is left out: 300 s. */
export const DEFAULT_AWS_APPLICATION_COOLDOWN = 300_000;

/**
 * Zod schema of an AWS target-tracking rule, as EC2 Auto Scaling and Application Auto Scaling
 * compute it: capacity = ceil(current × metric / target) in both directions — a need for 1.5
 * more units adds 2, a surplus of 1.5 removes 1 — with no tolerance band.
 *
 * Between activities it follows one of the two services:
 * - EC2 Auto Scaling (the default; `instanceWarmup`): units launched less than `instanceWarmup`
 *   ago count as warming; they are left out of the metric when per-unit samples and units are
 *   observed, the target is applied to the units outside warm-up while the warming ones count
 *   toward the result (no second scale-out for the same need), and scale-in waits until no unit
 *   warms up.
 * - Application Auto Scaling (`scaleOutCooldown` and/or `scaleInCooldown`): during the scale-out
 *   cooldown a further scale-out only adds what goes beyond the first; scale-in waits for the
 *   scale-in cooldown, which a scale-out ends.
 *
 * `disableScaleIn` keeps only the scale-out half: when the rule would scale in it abstains, so
 * under `aws` arbitration it does not stand in the way of other rules' scale-in.
 *
 * @example
 * awsTargetTrackingRuleSchema.parse({ kind: 'aws-target-tracking', metric: 'cpu', target: 50 });
 * // → { …, statistic: 'average', window: 60000, disableScaleIn: false }
 */
export const awsTargetTrackingRuleSchema = z
  .strictObject({
    kind: z.literal('aws-target-tracking'),
    /** @default `aws-target-tracking:<metric>` */
    name: z.string().min(1).optional(),
    /** A metric that falls as capacity grows (a per-unit average such as CPU %, requests per unit). */
    metric: z.string().min(1),
    /** AWS `TargetValue`. */
    target: z.number().positive(),
    /** @default 'average' */
    statistic: statisticSchema('average'),
    /** @default '1m' */
    window: metricWindowSchema,
    /** AWS `DisableScaleIn`. @default false */
    disableScaleIn: z.boolean().default(false),
    /** EC2 `EstimatedInstanceWarmup`. @default '5m' (without cooldowns) */
    instanceWarmup: durationSchema.optional(),
    /** Application Auto Scaling `ScaleOutCooldown`. @default '5m' (when `scaleInCooldown` is given) */
    scaleOutCooldown: durationSchema.optional(),
    /** Application Auto Scaling `ScaleInCooldown`. @default '5m' (when `scaleOutCooldown` is given) */
    scaleInCooldown: durationSchema.optional(),
  })
  .superRefine((rule, ctx) => {
    if (
      rule.instanceWarmup !== undefined &&
      (rule.scaleOutCooldown !== undefined || rule.scaleInCooldown !== undefined)
    ) {
      expectedIssue(
        ctx,
        ['instanceWarmup'],
        'either `instanceWarmup` (EC2 Auto Scaling) or `scaleOutCooldown`/`scaleInCooldown` (Application Auto Scaling), not both',
        rule.instanceWarmup,
        'both',
      );
    }
  });

/** An AWS target-tracking rule as written. */
export type AwsTargetTrackingRuleInput = z.input<typeof awsTargetTrackingRuleSchema>;
/** An AWS target-tracking rule with defaults applied. */
export type AwsTargetTrackingRule = z.output<typeof awsTargetTrackingRuleSchema>;

/**
 * AWS's conservative rounding of a target-tracking result: `ceil(capacity × metric / target)`,
 * which rounds a scale-out up and a scale-in's removal down. The product is snapped to 12
 * significant digits first, so 10 × 0.55 / 0.5 is 11, not 11.000000000000002 → 12.
 *
 * @example
 * awsTargetCapacity(10, 57.5, 50); // 12 (11.5: 1.5 more rounds up to 2)
 * awsTargetCapacity(10, 42.5, 50); // 9 (8.5: 1.5 fewer rounds down to 1)
 */
export function awsTargetCapacity(capacity: number, value: number, target: number): number {
  return Math.max(0, Math.ceil(exactCapacity(capacity, value, target)));
}

/** `capacity × value / target` before rounding, snapped as {@link awsTargetCapacity} snaps it. */
function exactCapacity(capacity: number, value: number, target: number): number {
  return Number(((capacity * value) / target).toPrecision(12));
}

/**
 * Whether the rule follows EC2's instance warm-up (no Application Auto Scaling cooldowns given).
 *
 * @example
 * awsUsesWarmup(awsTargetTrackingRuleSchema.parse({ kind: 'aws-target-tracking', metric: 'cpu', target: 50 })); // true
 */
export function awsUsesWarmup(rule: AwsTargetTrackingRule): boolean {
  return rule.scaleOutCooldown === undefined && rule.scaleInCooldown === undefined;
}

function cooldownsOf(rule: AwsTargetTrackingRule): { scaleOut: number; scaleIn: number } | undefined {
  if (awsUsesWarmup(rule)) return undefined;
  return {
    scaleOut: rule.scaleOutCooldown ?? DEFAULT_AWS_APPLICATION_COOLDOWN,
    scaleIn: rule.scaleInCooldown ?? DEFAULT_AWS_APPLICATION_COOLDOWN,
  };
}

/**
 * Evaluate an AWS target-tracking rule (see {@link awsTargetTrackingRuleSchema}). With no units
 * at all the metric cannot be per unit: above the target it asks for 1 unit (`ScaleFromZero`),
 * else 0. Without data the rule is `invalid` (AWS's INSUFFICIENT_DATA stops the policy): it blocks
 * scale-in but never scale-out.
 *
 * `details`: `value` (outside warm-up when it could be computed so), `target`, `ratio`
 * (value / target), `exact` (the unrounded capacity); with warm-up `warming` and `base` (the
 * capacity outside warm-up); with cooldowns `base` when an earlier scale-out counted; `wanted`
 * when the proposal was held at the current capacity.
 *
 * @example
 * proposeAwsTargetTracking(rule, 0, observation).capacity;
 */
export function proposeAwsTargetTracking(
  rule: AwsTargetTrackingRule,
  index: number,
  observation: Observation,
): Proposal {
  const name = rule.name ?? `aws-target-tracking:${rule.metric}`;
  const saved = observation.memory?.[index];
  const cooldowns = cooldownsOf(rule);
  const warm =
    cooldowns === undefined
      ? countWarming(observation, rule.instanceWarmup ?? DEFAULT_AWS_INSTANCE_WARMUP, readWarmup(saved))
      : undefined;
  const activity = cooldowns === undefined ? undefined : readActivity(saved);
  const remember = (proposal: Proposal, next: ActivityMemory | undefined = activity): Proposal =>
    rememberActivity(proposal, warm?.memory, next);

  const reading = readOutsideWarmup(rule, name, index, observation, warm);
  if ('outcome' in reading) return remember(reading);
  const { value, outside } = reading;
  const { capacity: current } = observation;
  const target = rule.target;
  const ratio = value / target;
  const shown = `${rule.metric} ${formatNumber(value)}`;
  const side = value > target ? 'above' : value < target ? 'below' : 'at';
  const reason = reasonOfChange(value, target);
  const numbers = { value, target, ratio: Number(ratio.toPrecision(12)) };

  if (current === 0) {
    const capacity = value > target ? 1 : 0;
    return remember({
      rule: name,
      ruleIndex: index,
      outcome: 'propose',
      capacity,
      reason: capacity > 0 ? 'ScaleFromZero' : reason,
      message: `${shown} is ${side} target ${formatNumber(target)} with no units`,
      details: { ...numbers, exact: capacity },
    });
  }

  const warming = warm?.warming ?? 0;
  if (warm !== undefined && warming > 0) {
    const base = current - warming;
    // With every in-service unit still warming there is no metric outside warm-up to act on.
    const wanted =
      outside !== undefined && 'empty' in outside ? current : awsTargetCapacity(base, value, target);
    const exact = exactCapacity(base, value, target);
    if (wanted > current) {
      return remember({
        rule: name,
        ruleIndex: index,
        outcome: 'propose',
        capacity: wanted,
        reason,
        message: `${shown} is ${side} target ${formatNumber(target)} on the ${base} units outside warm-up, which need ${wanted} with ${warming} warming`,
        details: { ...numbers, exact, base, warming },
      });
    }
    if (wanted < current && rule.disableScaleIn) {
      return remember({
        rule: name,
        ruleIndex: index,
        outcome: 'abstain',
        reason: 'ScaleInDisabled',
        message: `${shown} is ${side} target ${formatNumber(target)}, but the rule's scale-in is disabled`,
        details: { ...numbers, exact, base, warming, wanted },
      });
    }
    return remember({
      rule: name,
      ruleIndex: index,
      outcome: 'propose',
      capacity: current,
      reason: 'WarmingUp',
      message: `${shown} is ${side} target ${formatNumber(target)}, but ${warming} of ${current} units are warming up, so ${wanted < current ? `scale-in to ${wanted} waits` : `the ${wanted} units it needs are already there`}`,
      details: { ...numbers, exact, base, warming, wanted },
    });
  }

  const exact = exactCapacity(current, value, target);
  const wanted = awsTargetCapacity(current, value, target);
  if (wanted < current && rule.disableScaleIn) {
    return remember({
      rule: name,
      ruleIndex: index,
      outcome: 'abstain',
      reason: 'ScaleInDisabled',
      message: `${shown} is ${side} target ${formatNumber(target)} and would scale in to ${wanted}, but the rule's scale-in is disabled`,
      details: { ...numbers, exact, wanted },
    });
  }
  if (activity !== undefined && cooldowns !== undefined) {
    const verdict = applyApplicationCooldown(observation, cooldowns, activity, (base) =>
      awsTargetCapacity(base, value, target),
    );
    if (!verdict.act) {
      return remember({
        rule: name,
        ruleIndex: index,
        outcome: 'abstain',
        reason: 'RuleCooldown',
        message: `${shown} is ${side} target ${formatNumber(target)}, but ${verdict.message}`,
        details: { ...numbers, exact, wanted, cooldownLeft: verdict.left },
      });
    }
    return remember(
      {
        rule: name,
        ruleIndex: index,
        outcome: 'propose',
        capacity: verdict.capacity,
        reason,
        message:
          verdict.base === current
            ? `${shown} is ${side} target ${formatNumber(target)}: ${current} units × ${formatNumber(numbers.ratio)} → ${verdict.capacity}`
            : `${shown} is ${side} target ${formatNumber(target)}: counted from ${verdict.base} units before the scale-out still in cooldown → ${verdict.capacity}`,
        details: { ...numbers, exact, base: verdict.base },
      },
      recordActivity(activity, observation.now, current, verdict.capacity, verdict.base),
    );
  }
  return remember({
    rule: name,
    ruleIndex: index,
    outcome: 'propose',
    capacity: wanted,
    reason,
    message: `${shown} is ${side} target ${formatNumber(target)}: ${current} units × ${formatNumber(numbers.ratio)} → ${wanted}`,
    details: { ...numbers, exact },
  });
}
