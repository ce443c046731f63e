import type { Rule } from '../rules/registry.js';
import { ruleName } from '../rules/registry.js';
import { reviewScoreRule } from '../rules/score-templates.js';
import type { ThresholdRule } from '../rules/threshold.js';
import { type ScalingGroupConfig, type ScalingGroupConfigInput, validateGroupConfig } from './group.js';

/** Stable codes of {@link lintGroupConfig} warnings. */
export type LintCode =
  | 'thresholds-too-close'
  | 'thresholds-contradict'
  | 'step-ranges-gap'
  | 'step-ranges-overlap'
  | 'cooldown-shorter-than-warmup'
  | 'schedule-never-fires'
  | 'metric-does-not-fall'
  | 'targets-conflict'
  | 'bounds-leave-no-room'
  | 'predictive-without-fallback'
  | 'score-advice';

/** A config that is valid but probably not what was meant. */
export interface LintWarning {
  /** Where (`rules[2].threshold`, `cooldown`). */
  readonly path: string;
  /** Stable code. */
  readonly code: LintCode;
  /** One sentence: what is wrong and what to do. */
  readonly message: string;
}

/** Options of {@link lintGroupConfig}. */
export interface LintOptions {
  /**
   * Two threshold rules on one metric closer than this share of the larger threshold warn, as
   * Azure's guidance asks for an adequate margin between scale-out and scale-in. @default 0.2
   */
  readonly minThresholdMargin?: number;
  /**
   * Decides whether a schedule ever fires after `now` (the schedules module provides it); without
   * it, schedules are not checked.
   */
  readonly scheduleFires?: (schedule: unknown, now: number) => boolean;
  /** The instant "never fires" is judged from, ms. Required with `scheduleFires`. */
  readonly now?: number;
}

// Metric names that read as totals or counts: these grow with the load, not with the load per
// unit, so adding units never lowers them.
const TOTAL_LIKE =
  /(^|[_.\-\s])(count|total|sum|requests?|rps|qps|queue|queued|backlog|messages?|jobs?|connections?|sessions?|lag)($|[_.\-\s])/i;

/**
 * Look for valid configs that will not behave as meant, and say why, with paths:
 * - **Thresholds too close or contradicting.** A scale-out and a scale-in threshold rule on the
 *   same metric either overlap, so both fire at once, or sit within `minThresholdMargin` of each
 *   other, so ordinary noise flaps the group. Weighted-score thresholds less than 20 points apart
 *   are flagged too.
 * - **Step ranges.** Step rules on one metric whose ranges overlap, or leave a gap between the
 *   scale-out and scale-in alarms. Such a gap is often meant as a dead band, so it is only
 *   flagged when it is narrower than the margin.
 * - **Cooldown shorter than warm-up.** The scale-out cooldown is shorter than the time a new unit
 *   takes to serve (a rule's `instanceWarmup`, or the group's `provisioningLeadTime`), so the
 *   group scales out again before the last scale-out has had any effect.
 * - **A schedule that never fires** (with `scheduleFires`).
 * - **A target-tracking metric that does not fall as capacity grows.** A `target` (Value) on a
 *   total such as a request count or queue length keeps rising; use `targetPerUnit`.
 * - **Rules that can never be satisfied together.** Two target-tracking rules hold one metric at
 *   different targets. Or `minCapacity` equals `maxCapacity`, so the rules can never change
 *   anything.
 * - **A predictive rule that scales with no reactive rule beside it.** When its forecast
 *   degrades, nothing decides.
 *
 * Throws `ConfigError` when the config is not valid at all.
 *
 * @example
 * lintGroupConfig(config).map((w) => `${w.path}: ${w.message}`);
 */
export function lintGroupConfig(
  config: ScalingGroupConfigInput | ScalingGroupConfig,
  options: LintOptions = {},
): LintWarning[] {
  const group = validateGroupConfig(config as ScalingGroupConfigInput);
  const margin = options.minThresholdMargin ?? 0.2;
  const out: LintWarning[] = [];
  const rules = group.rules;

  if (group.minCapacity === group.maxCapacity && rules.length > 0) {
    out.push({
      path: 'maxCapacity',
      code: 'bounds-leave-no-room',
      message: `minCapacity and maxCapacity are both ${group.minCapacity}, so no rule can ever change the capacity`,
    });
  }

  rules.forEach((rule, i) => {
    const at = `rules[${i}]`;
    if (rule.kind === 'target-tracking' && rule.target !== undefined && TOTAL_LIKE.test(rule.metric)) {
      out.push({
        path: `${at}.target`,
        code: 'metric-does-not-fall',
        message: `${rule.metric} reads as a total, which does not fall as units are added, so a Value target keeps scaling out; use targetPerUnit`,
      });
    }
    if (rule.kind === 'weighted-score') {
      for (const advice of reviewScoreRule(rule)) {
        out.push({ path: `${at}.${advice.path}`, code: 'score-advice', message: advice.message });
      }
    }
    const warmup = warmupOf(rule);
    const leadTime = warmup ?? group.provisioningLeadTime;
    if (leadTime !== undefined && group.cooldown.scaleOut > 0 && group.cooldown.scaleOut < leadTime) {
      out.push({
        path: 'cooldown.scaleOut',
        code: 'cooldown-shorter-than-warmup',
        message: `the scale-out cooldown (${group.cooldown.scaleOut} ms) is shorter than the ${warmup !== undefined ? `warm-up of ${ruleName(rule)}` : 'provisioning lead time'} (${leadTime} ms), so the group scales out again before new units serve`,
      });
    }
  });

  lintTargets(rules, out);
  lintThresholds(rules, margin, out);
  lintPredictive(rules, out);

  const schedules = (group as { schedules?: readonly unknown[] }).schedules;
  if (options.scheduleFires !== undefined && schedules !== undefined) {
    const now = options.now ?? 0;
    schedules.forEach((schedule, i) => {
      if (!options.scheduleFires?.(schedule, now)) {
        out.push({
          path: `schedules[${i}]`,
          code: 'schedule-never-fires',
          message:
            'this schedule never fires after now (its end date has passed, or no date matches its cron)',
        });
      }
    });
  }
  return out;
}

function warmupOf(rule: Rule): number | undefined {
  const value = (rule as { instanceWarmup?: unknown }).instanceWarmup;
  return typeof value === 'number' && value > 0 ? value : undefined;
}

function lintTargets(rules: readonly Rule[], out: LintWarning[]): void {
  const seen = new Map<string, number>();
  rules.forEach((rule, i) => {
    if (rule.kind !== 'target-tracking') return;
    const key = `${rule.metric}|${rule.perUnit === true}|${rule.target === undefined ? 'perUnit' : 'value'}`;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, i);
      return;
    }
    const other = rules[first] as typeof rule;
    const a = other.target ?? other.targetPerUnit ?? other.targetUtilization;
    const b = rule.target ?? rule.targetPerUnit ?? rule.targetUtilization;
    if (a !== b) {
      out.push({
        path: `rules[${i}]`,
        code: 'targets-conflict',
        message: `rules[${first}] holds ${rule.metric} at ${a} and this rule at ${b}: both can never be met, and the larger proposal always wins`,
      });
    }
  });
}

// The value range where a threshold rule fires, as [low, high] with open/closed ends.
function firingRange(
  rule: ThresholdRule,
): { low: number; high: number; lowOpen: boolean; highOpen: boolean } | null {
  const t = rule.threshold;
  switch (rule.operator) {
    case 'GreaterThan':
      return { low: t, high: Number.POSITIVE_INFINITY, lowOpen: true, highOpen: true };
    case 'GreaterThanOrEqual':
      return { low: t, high: Number.POSITIVE_INFINITY, lowOpen: false, highOpen: true };
    case 'LessThan':
      return { low: Number.NEGATIVE_INFINITY, high: t, lowOpen: true, highOpen: true };
    case 'LessThanOrEqual':
      return { low: Number.NEGATIVE_INFINITY, high: t, lowOpen: true, highOpen: false };
    default:
      return null;
  }
}

function lintThresholds(rules: readonly Rule[], margin: number, out: LintWarning[]): void {
  rules.forEach((rule, i) => {
    if (rule.kind !== 'threshold' || rule.direction !== 'in') return;
    const inRange = firingRange(rule);
    if (inRange === null) return;
    rules.forEach((other, j) => {
      if (other.kind !== 'threshold' || other.direction !== 'out' || other.metric !== rule.metric) return;
      if (other.dividePerInstance !== rule.dividePerInstance) return;
      const outRange = firingRange(other);
      if (outRange === null) return;
      const overlaps =
        inRange.high > outRange.low ||
        (inRange.high === outRange.low && !inRange.highOpen && !outRange.lowOpen);
      if (overlaps && Number.isFinite(inRange.high) && Number.isFinite(outRange.low)) {
        out.push({
          path: `rules[${i}].threshold`,
          code: 'thresholds-contradict',
          message: `this scale-in rule fires at ${rule.metric} ${rule.operator} ${rule.threshold} while rules[${j}] scales out at ${other.operator} ${other.threshold}: both fire together`,
        });
        return;
      }
      const gap = outRange.low - inRange.high;
      const scale = Math.max(Math.abs(outRange.low), Math.abs(inRange.high));
      if (Number.isFinite(gap) && scale > 0 && gap / scale < margin) {
        out.push({
          path: `rules[${i}].threshold`,
          code: 'thresholds-too-close',
          message: `the scale-in threshold ${rule.threshold} is within ${Math.round(margin * 100)} % of the scale-out threshold ${other.threshold} of rules[${j}], so ordinary noise flaps the group; widen the margin`,
        });
      }
    });
  });
}

function lintPredictive(rules: readonly Rule[], out: LintWarning[]): void {
  const reactive = rules.some((r) => r.kind !== 'predictive');
  rules.forEach((rule, i) => {
    if (rule.kind === 'predictive' && rule.mode === 'forecast-and-scale' && !reactive) {
      out.push({
        path: `rules[${i}]`,
        code: 'predictive-without-fallback',
        message:
          'this predictive rule scales but no reactive rule stands beside it, so nothing decides while its forecast is degraded or missing',
      });
    }
  });
}
