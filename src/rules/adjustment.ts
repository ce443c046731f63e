import { z } from 'zod';
import { compareThreshold, type ThresholdOperator } from '../core/azure.js';
import { formatNumber } from '../core/statistics.js';
import { expectedIssue } from './shared.js';

/**
 * How an `adjustment` changes capacity, as AWS names it (step and simple scaling):
 * - `ChangeInCapacity`: add `adjustment` units (negative removes).
 * - `ExactCapacity`: set capacity to `adjustment`.
 * - `PercentChangeInCapacity`: add `adjustment` % of the current capacity, rounded as AWS does.
 *
 * @example
 * const type: AdjustmentType = 'PercentChangeInCapacity';
 */
export type AdjustmentType = 'ChangeInCapacity' | 'ExactCapacity' | 'PercentChangeInCapacity';

/**
 * The adjustment types a step or simple rule may use.
 *
 * @example
 * ADJUSTMENT_TYPES.includes('ExactCapacity'); // true
 */
export const ADJUSTMENT_TYPES: readonly AdjustmentType[] = [
  'ChangeInCapacity',
  'ExactCapacity',
  'PercentChangeInCapacity',
];

/**
 * Zod schema of `adjustmentType`.
 *
 * @example
 * adjustmentTypeSchema.parse('ExactCapacity');
 */
export const adjustmentTypeSchema = z.enum(ADJUSTMENT_TYPES as [AdjustmentType, ...AdjustmentType[]]);

/**
 * Zod schema of the comparisons an alarm may use to decide it is breached.
 *
 * @example
 * comparisonSchema.parse('>=');
 */
export const comparisonSchema = z.enum(['>=', '>', '<=', '<']);

/**
 * How the aggregated metric is compared with the threshold to decide the alarm is breached
 * (CloudWatch's GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanOrEqualToThreshold,
 * LessThanThreshold).
 *
 * @example
 * const comparison: Comparison = '>=';
 */
export type Comparison = z.output<typeof comparisonSchema>;

const OPERATORS: Readonly<Record<Comparison, ThresholdOperator>> = {
  '>=': 'GreaterThanOrEqual',
  '>': 'GreaterThan',
  '<=': 'LessThanOrEqual',
  '<': 'LessThan',
};

/**
 * Whether `value` breaches `threshold` by `comparison`.
 *
 * @example
 * breaches(50, '>=', 50); // true
 * breaches(50, '>', 50); // false
 */
export function breaches(value: number, comparison: Comparison, threshold: number): boolean {
  return compareThreshold(value, OPERATORS[comparison], threshold);
}

/**
 * Whether a comparison breaches above the threshold (`>=`, `>`) rather than below it.
 *
 * @example
 * isAbove('>='); // true
 */
export function isAbove(comparison: Comparison): boolean {
  return comparison === '>=' || comparison === '>';
}

/**
 * The checks AWS makes of an adjustment: `ExactCapacity` is never negative, a percent is never
 * below −100 (it would ask for negative capacity), and `minAdjustmentMagnitude` is only for
 * `PercentChangeInCapacity`.
 *
 * @example
 * checkAdjustment(ctx, rule.adjustmentType, rule.adjustment, ['adjustment']);
 */
export function checkAdjustment(
  ctx: z.core.$RefinementCtx,
  adjustmentType: AdjustmentType,
  adjustment: number,
  path: (string | number)[],
): void {
  if (adjustmentType === 'ExactCapacity' && adjustment < 0) {
    expectedIssue(ctx, path, "an adjustment ≥ 0 with adjustmentType 'ExactCapacity'", adjustment);
  }
  if (adjustmentType === 'PercentChangeInCapacity' && adjustment < -100) {
    expectedIssue(
      ctx,
      path,
      "an adjustment ≥ -100 with adjustmentType 'PercentChangeInCapacity'",
      adjustment,
    );
  }
}

/**
 * The check that `minAdjustmentMagnitude` is only set with `PercentChangeInCapacity`, as the
 * AWS API requires.
 *
 * @example
 * checkMinAdjustmentMagnitude(ctx, rule);
 */
export function checkMinAdjustmentMagnitude(
  ctx: z.core.$RefinementCtx,
  rule: { readonly adjustmentType: AdjustmentType; readonly minAdjustmentMagnitude?: number | undefined },
): void {
  if (rule.minAdjustmentMagnitude !== undefined && rule.adjustmentType !== 'PercentChangeInCapacity') {
    expectedIssue(
      ctx,
      ['minAdjustmentMagnitude'],
      "`minAdjustmentMagnitude` only with adjustmentType 'PercentChangeInCapacity'",
      rule.minAdjustmentMagnitude,
      `adjustmentType '${rule.adjustmentType}'`,
    );
  }
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
 * The capacity an adjustment asks for from `current`, never below 0. The group's min/max are
 * applied later by the bounds stage, as AWS clamps a policy's result to the group's limits.
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

/**
 * An adjustment as a person reads it: `+2 units`, `exactly 4 units`, `-10%`.
 *
 * @example
 * adjustmentLabel('PercentChangeInCapacity', -10); // '-10%'
 */
export function adjustmentLabel(adjustmentType: AdjustmentType, adjustment: number): string {
  const sign = adjustment >= 0 ? '+' : '';
  switch (adjustmentType) {
    case 'ChangeInCapacity':
      return `${sign}${adjustment} units`;
    case 'ExactCapacity':
      return `exactly ${adjustment} units`;
    case 'PercentChangeInCapacity':
      return `${sign}${formatNumber(adjustment)}%`;
  }
}
