import { z } from 'zod';
import { durationSchema } from '../core/duration.js';
import { formatNumber } from '../core/statistics.js';
import type { Observation, Proposal } from '../core/types.js';
import {
  applyApplicationCooldown,
  countWarming,
  readActivity,
  readOutsideWarmup,
  readWarmup,
  recordActivity,
  rememberActivity,
} from './activity.js';
import {
  adjustmentLabel,
  adjustmentTypeSchema,
  applyAdjustment,
  breaches,
  type Comparison,
  checkAdjustment,
  checkMinAdjustmentMagnitude,
  comparisonSchema,
  isAbove,
} from './adjustment.js';
import { expectedIssue, metricWindowSchema, statisticSchema } from './shared.js';

/** How the aggregated metric is compared with the threshold to decide the alarm is breached. */
export type StepComparison = Comparison;

/** The comparisons a step rule may use. */
export const STEP_COMPARISONS: readonly StepComparison[] = comparisonSchema.options;

// zod v4 numbers are finite, so an unbounded side is written by leaving the bound out.
const bound = z.number();

const stepSchema = z.strictObject({
  lower: bound.optional(),
  upper: bound.optional(),
  adjustment: z.number().int(),
});

/** One step: a range of `metric − threshold` and the adjustment it applies. */
export type StepAdjustment = z.output<typeof stepSchema>;

/**
 * Zod schema of a step rule, AWS EC2 Auto Scaling step scaling: when the aggregated metric
 * breaches `threshold` (by `comparison`), the step whose range holds `metric − threshold` applies
 * its adjustment to the current capacity. Bounds are relative to the threshold. Above the
 * threshold (`>=`, `>`) a step matches `lower ≤ diff < upper`; below it (`<=`, `<`)
 * `lower < diff ≤ upper`. A missing bound is unbounded on that side.
 *
 * Checked as AWS checks steps: ranges neither overlap nor leave a gap, at most one step lacks a
 * `lower` and one an `upper` bound, no step lacks both, a negative `lower` needs a step without
 * one and a positive `upper` a step without one; and every breach must match a step.
 *
 * What happens between activities follows one of the two AWS services:
 * - EC2 Auto Scaling (`instanceWarmup`): no cooldown; capacity still warming up counts toward
 *   the next scale-out (an adjustment is applied to the capacity outside warm-up, so repeated
 *   breaches in one step collapse into one activity), and scale-in waits until no unit warms.
 * - Application Auto Scaling (`cooldown`): during the cooldown after a scale-out, a further
 *   scale-out only adds what goes beyond the first; scale-in waits for the cooldown after a
 *   scale-in, which a scale-out ends.
 * With neither, every breach is acted on at once, as EC2 step scaling without warm-up.
 *
 * @example
 * stepRuleSchema.parse({
 *   kind: 'step', metric: 'cpu', threshold: 50, comparison: '>=', adjustmentType: 'ChangeInCapacity',
 *   steps: [{ lower: 0, upper: 20, adjustment: 1 }, { lower: 20, adjustment: 3 }],
 * });
 */
export const stepRuleSchema = z
  .strictObject({
    kind: z.literal('step'),
    name: z.string().min(1).optional(),
    metric: z.string().min(1),
    /** @default 'average' */
    statistic: statisticSchema('average'),
    /** @default '1m' */
    window: metricWindowSchema,
    threshold: bound,
    comparison: comparisonSchema,
    adjustmentType: adjustmentTypeSchema,
    steps: z.array(stepSchema).min(1),
    minAdjustmentMagnitude: z.number().int().positive().optional(),
    /** EC2 `EstimatedInstanceWarmup`: how long a new unit counts as warming up. Not with `cooldown`. */
    instanceWarmup: durationSchema.optional(),
    /** Application Auto Scaling `Cooldown` (AWS's default is 300 s). Not with `instanceWarmup`. */
    cooldown: durationSchema.optional(),
  })
  .superRefine((rule, ctx) => {
    checkMinAdjustmentMagnitude(ctx, rule);
    rule.steps.forEach((step, i) => {
      checkAdjustment(ctx, rule.adjustmentType, step.adjustment, ['steps', i, 'adjustment']);
    });
    if (rule.instanceWarmup !== undefined && rule.cooldown !== undefined) {
      expectedIssue(
        ctx,
        ['cooldown'],
        'either `instanceWarmup` (EC2 Auto Scaling) or `cooldown` (Application Auto Scaling), not both',
        rule.cooldown,
        'both',
      );
    }
    checkRanges(rule.steps, isAbove(rule.comparison), ctx);
  });

/** A step rule as written. */
export type StepRuleInput = z.input<typeof stepRuleSchema>;
/** A step rule with defaults applied. */
export type StepRule = z.output<typeof stepRuleSchema>;

function checkRanges(steps: readonly StepAdjustment[], above: boolean, ctx: z.core.$RefinementCtx): void {
  let shapeOk = true;
  let openLower: number | undefined;
  let openUpper: number | undefined;
  steps.forEach((step, i) => {
    if (step.lower === undefined && step.upper === undefined) {
      expectedIssue(
        ctx,
        ['steps', i],
        'a `lower` or an `upper` bound (a step cannot be unbounded on both sides)',
        step,
      );
      shapeOk = false;
      return;
    }
    if (step.lower !== undefined && step.upper !== undefined && step.upper <= step.lower) {
      expectedIssue(
        ctx,
        ['steps', i, 'upper'],
        `an \`upper\` bound greater than \`lower\` (${step.lower})`,
        step.upper,
      );
      shapeOk = false;
    }
    if (step.lower === undefined) {
      if (openLower !== undefined) {
        expectedIssue(
          ctx,
          ['steps', i, 'lower'],
          `at most one step without a \`lower\` bound (steps[${openLower}] has none)`,
          undefined,
        );
        shapeOk = false;
      } else openLower = i;
    }
    if (step.upper === undefined) {
      if (openUpper !== undefined) {
        expectedIssue(
          ctx,
          ['steps', i, 'upper'],
          `at most one step without an \`upper\` bound (steps[${openUpper}] has none)`,
          undefined,
        );
        shapeOk = false;
      } else openUpper = i;
    }
  });
  // Order is only meaningful once each step is a proper range.
  if (!shapeOk) return;
  const order = steps.map((_, i) => i).sort((a, b) => lowerOf(steps[a]) - lowerOf(steps[b]));
  for (let k = 1; k < order.length; k++) {
    const p = order[k - 1] as number;
    const n = order[k] as number;
    const end = upperOf(steps[p]);
    const start = lowerOf(steps[n]);
    if (end !== start) {
      const what = end > start ? 'overlap' : 'leave a gap';
      expectedIssue(
        ctx,
        ['steps', n, 'lower'],
        `a \`lower\` bound equal to steps[${p}].upper (${formatBound(end)}) so the steps do not ${what}`,
        steps[n]?.lower,
      );
      return;
    }
  }
  const first = order[0] as number;
  const last = order[order.length - 1] as number;
  const lowest = steps[first]?.lower;
  const highest = steps[last]?.upper;
  if (lowest !== undefined && lowest < 0) {
    expectedIssue(
      ctx,
      ['steps', first, 'lower'],
      'no `lower` bound on the lowest step, since a negative `lower` bound needs a step without one',
      lowest,
    );
  } else if (above && lowest !== undefined && lowest > 0) {
    expectedIssue(
      ctx,
      ['steps', first, 'lower'],
      'a `lower` bound of 0 (or none) on the lowest step, so every breach above the threshold matches a step',
      lowest,
    );
  }
  if (highest !== undefined && highest > 0) {
    expectedIssue(
      ctx,
      ['steps', last, 'upper'],
      'no `upper` bound on the highest step, since a positive `upper` bound needs a step without one',
      highest,
    );
  } else if (!above && highest !== undefined && highest < 0) {
    expectedIssue(
      ctx,
      ['steps', last, 'upper'],
      'an `upper` bound of 0 (or none) on the highest step, so every breach below the threshold matches a step',
      highest,
    );
  } else if (above && highest !== undefined) {
    expectedIssue(
      ctx,
      ['steps', last, 'upper'],
      'no `upper` bound on the highest step, so every breach above the threshold matches a step',
      highest,
    );
  }
  if (!above && lowest !== undefined && lowest >= 0) {
    expectedIssue(
      ctx,
      ['steps', first, 'lower'],
      'no `lower` bound on the lowest step, so every breach below the threshold matches a step',
      lowest,
    );
  }
}

function lowerOf(step: StepAdjustment | undefined): number {
  return step?.lower ?? Number.NEGATIVE_INFINITY;
}

function upperOf(step: StepAdjustment | undefined): number {
  return step?.upper ?? Number.POSITIVE_INFINITY;
}

function formatBound(value: number): string {
  return Number.isFinite(value) ? formatNumber(value) : value > 0 ? '+∞' : '−∞';
}

/**
 * Evaluate a step rule as AWS step scaling does: abstain unless the aggregated metric breaches
 * the threshold; otherwise apply the adjustment of the step holding `metric − threshold` to the
 * current capacity, then the rule's warm-up (EC2) or cooldown (Application Auto Scaling).
 *
 * `details`: `value`, `threshold`, and on a breach `difference`, `step`, `adjustmentType`,
 * `adjustment`, `delta` (the change proposed); with a warm-up `warming` (capacity warming up);
 * with a cooldown `base` (the capacity the adjustment was applied to).
 *
 * @example
 * proposeStep(rule, 0, observation).capacity;
 */
export function proposeStep(rule: StepRule, index: number, observation: Observation): Proposal {
  const name = rule.name ?? `step:${rule.metric}`;
  const saved = observation.memory?.[index];
  const warm =
    rule.instanceWarmup === undefined
      ? undefined
      : countWarming(observation, rule.instanceWarmup, readWarmup(saved));
  const activity = rule.cooldown === undefined ? undefined : readActivity(saved);
  const remember = (proposal: Proposal, next = activity): Proposal =>
    rememberActivity(proposal, warm?.memory, next);
  // EC2 leaves warming instances out of the aggregated metric; tideway can when it knows both
  // the units and their per-unit samples.
  const reading = readOutsideWarmup(rule, name, index, observation, warm);
  if ('outcome' in reading) return remember(reading);
  const value = reading.value;
  const shown = formatNumber(value);
  const threshold = rule.threshold;
  if (!breaches(value, rule.comparison, threshold)) {
    return remember({
      rule: name,
      ruleIndex: index,
      outcome: 'abstain',
      reason: 'Abstained',
      message: `${rule.metric} ${shown} does not breach ${rule.comparison} ${formatNumber(threshold)}`,
      details: { value, threshold },
    });
  }
  // 0.7 − 0.5 is 0.19999999999999996 in floating point; snapping to 12 significant digits keeps a
  // metric sitting exactly on a step bound in the step the user wrote.
  const difference = Number((value - threshold).toPrecision(12));
  const above = isAbove(rule.comparison);
  const stepIndex = rule.steps.findIndex((step) =>
    above
      ? lowerOf(step) <= difference && difference < upperOf(step)
      : lowerOf(step) < difference && difference <= upperOf(step),
  );
  const step = rule.steps[stepIndex];
  if (step === undefined) {
    // The schema makes the steps cover every breach; this guards rules built without it.
    return remember({
      rule: name,
      ruleIndex: index,
      outcome: 'invalid',
      reason: 'RuleFailed',
      message: `no step of ${name} holds ${rule.metric} ${shown} − threshold ${formatNumber(threshold)}`,
      details: { value, threshold, difference },
    });
  }
  const current = observation.capacity;
  const from = (base: number) =>
    applyAdjustment(rule.adjustmentType, step.adjustment, base, rule.minAdjustmentMagnitude);
  const breach = `${rule.metric} ${shown} breaches ${rule.comparison} ${formatNumber(threshold)}, so steps[${stepIndex}] applies ${adjustmentLabel(rule.adjustmentType, step.adjustment)}`;
  const details = {
    value,
    threshold,
    difference,
    step: stepIndex,
    adjustmentType: rule.adjustmentType,
    adjustment: step.adjustment,
  };
  // The reason says which side of the threshold the metric is on, as target tracking does.
  const reason = above ? 'AboveTarget' : 'BelowTarget';

  if (warm !== undefined && warm.warming > 0) {
    // EC2: warming capacity counts toward the next scale-out, and no policy scales in while
    // units warm up — the proposal holds at least the current capacity, blocking others' scale-in.
    const base = current - warm.warming;
    const direct = from(current);
    const wanted = direct < current ? direct : from(base);
    if (wanted > current) {
      return remember({
        rule: name,
        ruleIndex: index,
        outcome: 'propose',
        capacity: wanted,
        reason,
        message: `${breach} to the ${base} units outside warm-up (${warm.warming} warming) (${wanted - current >= 0 ? '+' : ''}${wanted - current})`,
        details: { ...details, delta: wanted - current, warming: warm.warming },
      });
    }
    return remember({
      rule: name,
      ruleIndex: index,
      outcome: 'propose',
      capacity: current,
      reason: 'WarmingUp',
      message: `${breach}, but ${warm.warming} of ${current} units are warming up, so it ${wanted < current ? 'waits to scale in' : `already has the ${wanted} units it asks for`}`,
      details: { ...details, delta: 0, warming: warm.warming, wanted },
    });
  }

  if (activity !== undefined && rule.cooldown !== undefined) {
    const verdict = applyApplicationCooldown(
      observation,
      { scaleOut: rule.cooldown, scaleIn: rule.cooldown },
      activity,
      from,
    );
    if (!verdict.act) {
      return remember({
        rule: name,
        ruleIndex: index,
        outcome: 'abstain',
        reason: 'RuleCooldown',
        message: `${breach}, but ${verdict.message}`,
        details: { ...details, cooldownLeft: verdict.left },
      });
    }
    const capacity = verdict.capacity;
    return remember(
      {
        rule: name,
        ruleIndex: index,
        outcome: 'propose',
        capacity,
        reason,
        message:
          verdict.base === current
            ? `${breach} to ${current} (${signed(capacity - current)})`
            : `${breach} to ${verdict.base}, the capacity before the scale-out still in cooldown (${signed(capacity - current)} more)`,
        details: { ...details, delta: capacity - current, base: verdict.base },
      },
      recordActivity(activity, observation.now, current, capacity, verdict.base),
    );
  }

  const capacity = from(current);
  return remember({
    rule: name,
    ruleIndex: index,
    outcome: 'propose',
    capacity,
    reason,
    message: `${breach} to ${current} (${signed(capacity - current)})`,
    details: { ...details, delta: capacity - current },
  });
}

function signed(n: number): string {
  return `${n >= 0 ? '+' : ''}${n}`;
}
