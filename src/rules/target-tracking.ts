import { z } from 'zod';
import { durationSchema } from '../core/duration.js';
import { isWithin, type Tolerances } from '../core/replica-calculator.js';
import { formatNumber, STATISTICS, type Statistic, toMilli } from '../core/statistics.js';
import type { Observation, Proposal } from '../core/types.js';
import { exactlyOneTarget, readMetric } from './shared.js';

/** Tolerance per direction; "no change" while `1 − scaleDown ≤ ratio ≤ 1 + scaleUp` (Kubernetes `Tolerances`). */
export type Tolerance = Tolerances;

const toleranceValue = z.number().min(0);

/**
 * Zod schema of a target-tracking rule. Give exactly one of:
 * - `target` — the metric's value should equal this (Kubernetes `Value` target: desired =
 *   ceil(value / target × ready units)); use it for averages such as a busy ratio or CPU %.
 * - `targetPerUnit` — each unit should carry this much (Kubernetes `AverageValue`: desired =
 *   ceil(value / targetPerUnit)); use it for totals such as queue depth or requests per second.
 */
export const targetTrackingRuleSchema = z
  .strictObject({
    kind: z.literal('target-tracking'),
    name: z.string().min(1).optional(),
    metric: z.string().min(1),
    target: z.number().positive().optional(),
    targetPerUnit: z.number().positive().optional(),
    tolerance: z
      .union(
        [
          toleranceValue.max(1),
          z.strictObject({ scaleUp: toleranceValue.optional(), scaleDown: toleranceValue.max(1).optional() }),
        ],
        { error: 'a number in [0, 1], or { scaleUp, scaleDown } with scaleUp ≥ 0 and scaleDown in [0, 1]' },
      )
      .default(0.1)
      .transform(
        (t): Tolerance =>
          typeof t === 'number'
            ? { scaleUp: t, scaleDown: t }
            : { scaleUp: t.scaleUp ?? 0.1, scaleDown: t.scaleDown ?? 0.1 },
      ),
    window: durationSchema.default(60_000).refine((ms) => ms > 0, {
      message: 'a window longer than 0',
      params: { expected: 'a window longer than 0' },
    }),
    statistic: z.enum(STATISTICS as [Statistic, ...Statistic[]]).default('average'),
  })
  .superRefine(exactlyOneTarget);

/** A target-tracking rule as written. */
export type TargetTrackingRuleInput = z.input<typeof targetTrackingRuleSchema>;
/** A target-tracking rule with defaults applied. */
export type TargetTrackingRule = z.output<typeof targetTrackingRuleSchema>;

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/**
 * Evaluate a target-tracking rule with the Kubernetes arithmetic (milli-units, inclusive and
 * per-direction tolerance, ceil). When no unit is ready yet the current capacity is the base, so
 * booting units never read as an empty group.
 *
 * @example
 * proposeTargetTracking(rule, 0, observation).capacity;
 */
export function proposeTargetTracking(
  rule: TargetTrackingRule,
  index: number,
  observation: Observation,
): Proposal {
  const { name, perUnit, targetMilli, targetValue, targetLabel } = prepare(rule);
  const reading = readMetric(rule, name, index, observation);
  if ('outcome' in reading) return reading;
  const value = reading.value;
  const current = observation.capacity;
  const usage = toMilli(value);
  const shown = formatNumber(value);
  if (current === 0) {
    // Scale from zero: no tolerance, as the HPA's getUsageRatioReplicaCount.
    return {
      rule: name,
      ruleIndex: index,
      outcome: 'propose',
      capacity: Math.max(0, Math.ceil(usage / targetMilli)),
      reason: 'ScaleFromZero',
      message: `${rule.metric} ${shown} with no units for ${targetLabel}`,
      details: { value, ratio: perUnit ? 0 : round(usage / targetMilli) },
    };
  }
  const ratio = perUnit ? usage / (targetMilli * current) : usage / targetMilli;
  if (isWithin(ratio, rule.tolerance)) {
    return {
      rule: name,
      ruleIndex: index,
      outcome: 'propose',
      capacity: current,
      reason: 'WithinTolerance',
      message: `${rule.metric} ${shown} is within tolerance of ${targetLabel}${perUnit ? forUnits(targetValue, current) : ''}`,
      details: { value, ratio: round(ratio) },
    };
  }
  const base = observation.readyCapacity > 0 ? observation.readyCapacity : current;
  const capacity = Math.max(0, perUnit ? Math.ceil(usage / targetMilli) : Math.ceil(ratio * base));
  const above = value > (perUnit ? targetValue * current : targetValue);
  return {
    rule: name,
    ruleIndex: index,
    outcome: 'propose',
    capacity,
    // Outside tolerance the reason says where the metric is, even when rounding keeps capacity.
    reason: ratio > 1 ? 'AboveTarget' : 'BelowTarget',
    message: `${rule.metric} ${shown} ${above ? 'is above' : 'is below'} ${targetLabel}${perUnit ? forUnits(targetValue, current) : ''}`,
    details: { value, ratio: round(ratio) },
  };
}

/** ` (50 for 5 units)`: the total a per-unit target amounts to at the current capacity. */
function forUnits(perUnit: number, units: number): string {
  return ` (${formatNumber(perUnit * units)} for ${units} unit${units === 1 ? '' : 's'})`;
}

interface Prepared {
  readonly name: string;
  readonly perUnit: boolean;
  readonly targetValue: number;
  readonly targetMilli: number;
  readonly targetLabel: string;
}

// Rules are immutable parsed config, so what every tick would recompute is worked out once.
const prepared = new WeakMap<TargetTrackingRule, Prepared>();

function prepare(rule: TargetTrackingRule): Prepared {
  let p = prepared.get(rule);
  if (p === undefined) {
    const perUnit = rule.targetPerUnit !== undefined;
    const targetValue = (rule.targetPerUnit ?? rule.target) as number;
    p = {
      name: rule.name ?? `target-tracking:${rule.metric}`,
      perUnit,
      targetValue,
      targetMilli: toMilli(targetValue),
      targetLabel: perUnit ? `target ${targetValue} per unit` : `target ${targetValue}`,
    };
    prepared.set(rule, p);
  }
  return p;
}
