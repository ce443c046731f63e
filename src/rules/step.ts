import { z } from 'zod';
import { durationSchema } from '../core/duration.js';
import { formatNumber, STATISTICS, type Statistic } from '../core/statistics.js';
import type { Observation, Proposal } from '../core/types.js';
import { readMetric } from './shared.js';

/** How the aggregated metric is compared with the threshold to decide the alarm is breached. */
export type StepComparison = '>=' | '>' | '<=' | '<';

/** The comparisons a step rule may use. */
export const STEP_COMPARISONS: readonly StepComparison[] = ['>=', '>', '<=', '<'];

/**
 * How a step's `adjustment` changes capacity, as AWS names it:
 * - `ChangeInCapacity`: add `adjustment` units (negative removes).
 * - `ExactCapacity`: set capacity to `adjustment`.
 * - `PercentChangeInCapacity`: add `adjustment` % of the current capacity, rounded as AWS does.
 */
export type AdjustmentType = 'ChangeInCapacity' | 'ExactCapacity' | 'PercentChangeInCapacity';

/** The adjustment types a step rule may use. */
export const ADJUSTMENT_TYPES: readonly AdjustmentType[] = [
  'ChangeInCapacity',
  'ExactCapacity',
  'PercentChangeInCapacity',
];

// zod v4 numbers are finite, so an unbounded side is written by leaving the bound out.
const bound = z.number();

const stepSchema = z.strictObject({
  lower: bound.optional(),
  upper: bound.optional(),
  adjustment: z.number().int(),
});

/** One step: a range of `metric − threshold` and the adjustment it applies. */
export type StepAdjustment = z.output<typeof stepSchema>;

function issue(
  ctx: z.core.$RefinementCtx,
  path: (string | number)[],
  expected: string,
  input: unknown,
  received?: string,
): void {
  ctx.addIssue({
    code: 'custom',
    path,
    message: expected,
    input,
    params: received === undefined ? { expected } : { expected, received },
  });
}

const PERCENT = 'PercentChangeInCapacity';

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
    statistic: z.enum(STATISTICS as [Statistic, ...Statistic[]]).default('average'),
    /** @default '1m' */
    window: durationSchema.default(60_000).refine((ms) => ms > 0, {
      message: 'a window longer than 0',
      params: { expected: 'a window longer than 0' },
    }),
    threshold: bound,
    comparison: z.enum(STEP_COMPARISONS as [StepComparison, ...StepComparison[]]),
    adjustmentType: z.enum(ADJUSTMENT_TYPES as [AdjustmentType, ...AdjustmentType[]]),
    steps: z.array(stepSchema).min(1),
    minAdjustmentMagnitude: z.number().int().positive().optional(),
  })
  .superRefine((rule, ctx) => {
    if (rule.minAdjustmentMagnitude !== undefined && rule.adjustmentType !== PERCENT) {
      issue(
        ctx,
        ['minAdjustmentMagnitude'],
        "`minAdjustmentMagnitude` only with adjustmentType 'PercentChangeInCapacity'",
        rule.minAdjustmentMagnitude,
        `adjustmentType '${rule.adjustmentType}'`,
      );
    }
    rule.steps.forEach((step, i) => {
      if (rule.adjustmentType === 'ExactCapacity' && step.adjustment < 0) {
        issue(
          ctx,
          ['steps', i, 'adjustment'],
          "an adjustment ≥ 0 with adjustmentType 'ExactCapacity'",
          step.adjustment,
        );
      }
      // Below −100 % a percent step would ask for negative capacity.
      if (rule.adjustmentType === PERCENT && step.adjustment < -100) {
        issue(
          ctx,
          ['steps', i, 'adjustment'],
          "an adjustment ≥ -100 with adjustmentType 'PercentChangeInCapacity'",
          step.adjustment,
        );
      }
    });
    checkRanges(rule.steps, rule.comparison === '>=' || rule.comparison === '>', ctx);
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
      issue(
        ctx,
        ['steps', i],
        'a `lower` or an `upper` bound (a step cannot be unbounded on both sides)',
        step,
      );
      shapeOk = false;
      return;
    }
    if (step.lower !== undefined && step.upper !== undefined && step.upper <= step.lower) {
      issue(
        ctx,
        ['steps', i, 'upper'],
        `an \`upper\` bound greater than \`lower\` (${step.lower})`,
        step.upper,
      );
      shapeOk = false;
    }
    if (step.lower === undefined) {
      if (openLower !== undefined) {
        issue(
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
        issue(
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
      issue(
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
    issue(
      ctx,
      ['steps', first, 'lower'],
      'no `lower` bound on the lowest step, since a negative `lower` bound needs a step without one',
      lowest,
    );
  } else if (above && lowest !== undefined && lowest > 0) {
    issue(
      ctx,
      ['steps', first, 'lower'],
      'a `lower` bound of 0 (or none) on the lowest step, so every breach above the threshold matches a step',
      lowest,
    );
  }
  if (highest !== undefined && highest > 0) {
    issue(
      ctx,
      ['steps', last, 'upper'],
      'no `upper` bound on the highest step, since a positive `upper` bound needs a step without one',
      highest,
    );
  } else if (!above && highest !== undefined && highest < 0) {
    issue(
      ctx,
      ['steps', last, 'upper'],
      'an `upper` bound of 0 (or none) on the highest step, so every breach below the threshold matches a step',
      highest,
    );
  } else if (above && highest !== undefined) {
    issue(
      ctx,
      ['steps', last, 'upper'],
      'no `upper` bound on the highest step, so every breach above the threshold matches a step',
      highest,
    );
  }
  if (!above && lowest !== undefined && lowest >= 0) {
    issue(
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
 * Round a fractional percent delta as AWS does: between 0 and 1 becomes 1, above 1 rounds down,
 * between −1 and 0 becomes −1, below −1 rounds toward zero; 0 stays 0.
 *
 * @example
 * roundPercentDelta(12.7); // 12
 * roundPercentDelta(-0.58); // -1
 */
export function roundPercentDelta(raw: number): number {
  if (raw === 0) return 0;
  if (raw > 0) return raw < 1 ? 1 : Math.floor(raw);
  return raw > -1 ? -1 : Math.ceil(raw);
}

/**
 * The capacity a step adjustment asks for from `current`, never below 0. The group's min/max
 * are applied later by the bounds stage, as AWS clamps a policy's result to the group's limits.
 *
 * @example
 * applyAdjustment('PercentChangeInCapacity', 25, 4, 2); // 6 (25 % of 4 is 1, raised to 2)
 */
export function applyAdjustment(
  adjustmentType: AdjustmentType,
  adjustment: number,
  current: number,
  minAdjustmentMagnitude?: number,
): number {
  switch (adjustmentType) {
    case 'ChangeInCapacity':
      return Math.max(0, current + adjustment);
    case 'ExactCapacity':
      return Math.max(0, adjustment);
    case 'PercentChangeInCapacity': {
      let delta = roundPercentDelta((current * adjustment) / 100);
      if (minAdjustmentMagnitude !== undefined && delta !== 0 && Math.abs(delta) < minAdjustmentMagnitude) {
        delta = Math.sign(delta) * minAdjustmentMagnitude;
      }
      return Math.max(0, current + delta);
    }
  }
}

function breached(value: number, comparison: StepComparison, threshold: number): boolean {
  switch (comparison) {
    case '>=':
      return value >= threshold;
    case '>':
      return value > threshold;
    case '<=':
      return value <= threshold;
    case '<':
      return value < threshold;
  }
}

function adjustmentLabel(rule: StepRule, adjustment: number): string {
  switch (rule.adjustmentType) {
    case 'ChangeInCapacity':
      return `${adjustment >= 0 ? '+' : ''}${adjustment} units`;
    case 'ExactCapacity':
      return `exactly ${adjustment} units`;
    case 'PercentChangeInCapacity':
      return `${adjustment >= 0 ? '+' : ''}${adjustment}%`;
  }
}

/**
 * Evaluate a step rule as AWS step scaling does: abstain unless the aggregated metric breaches
 * the threshold; otherwise apply the adjustment of the step holding `metric − threshold` to the
 * current capacity.
 *
 * @example
 * proposeStep(rule, 0, observation).capacity;
 */
export function proposeStep(rule: StepRule, index: number, observation: Observation): Proposal {
  const name = rule.name ?? `step:${rule.metric}`;
  const reading = readMetric(rule, name, index, observation);
  if ('outcome' in reading) return reading;
  const value = reading.value;
  const shown = formatNumber(value);
  const threshold = rule.threshold;
  if (!breached(value, rule.comparison, threshold)) {
    return {
      rule: name,
      ruleIndex: index,
      outcome: 'abstain',
      reason: 'Abstained',
      message: `${rule.metric} ${shown} does not breach ${rule.comparison} ${formatNumber(threshold)}`,
      details: { value, threshold },
    };
  }
  // 0.7 − 0.5 is 0.19999999999999996 in floating point; snapping to 12 significant digits keeps a
  // metric sitting exactly on a step bound in the step the user wrote.
  const difference = Number((value - threshold).toPrecision(12));
  const above = rule.comparison === '>=' || rule.comparison === '>';
  const stepIndex = rule.steps.findIndex((step) =>
    above
      ? lowerOf(step) <= difference && difference < upperOf(step)
      : lowerOf(step) < difference && difference <= upperOf(step),
  );
  const step = rule.steps[stepIndex];
  if (step === undefined) {
    // The schema makes the steps cover every breach; this guards rules built without it.
    return {
      rule: name,
      ruleIndex: index,
      outcome: 'invalid',
      reason: 'RuleFailed',
      message: `no step of ${name} holds ${rule.metric} ${shown} − threshold ${formatNumber(threshold)}`,
      details: { value, threshold, difference },
    };
  }
  const current = observation.capacity;
  const capacity = applyAdjustment(
    rule.adjustmentType,
    step.adjustment,
    current,
    rule.minAdjustmentMagnitude,
  );
  return {
    rule: name,
    ruleIndex: index,
    outcome: 'propose',
    capacity,
    // The reason says which side of the threshold the metric is on, as target tracking does.
    reason: above ? 'AboveTarget' : 'BelowTarget',
    message: `${rule.metric} ${shown} breaches ${rule.comparison} ${formatNumber(threshold)}, so steps[${stepIndex}] applies ${adjustmentLabel(rule, step.adjustment)} to ${current} (${capacity - current >= 0 ? '+' : ''}${capacity - current})`,
    details: {
      value,
      threshold,
      difference,
      step: stepIndex,
      adjustmentType: rule.adjustmentType,
      adjustment: step.adjustment,
      delta: capacity - current,
    },
  };
}
