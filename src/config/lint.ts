import { isLegacyBehavior } from '../core/legacy-behavior.js';
import { nextFire } from '../core/schedule.js';
import { type Rule, ruleName } from '../rules/registry.js';
import { reviewScoreRule } from '../rules/score-templates.js';
import { type ScalingGroupConfig, type ScalingGroupConfigInput, validateGroupConfig } from './group.js';

/** Stable codes of {@link lintGroupConfig} warnings. */
export type LintCode =
  | 'thresholds-too-close'
  | 'thresholds-contradict'
  | 'step-ranges-overlap'
  | 'cooldown-shorter-than-warmup'
  | 'schedule-never-fires'
  | 'schedule-too-short'
  | 'schedules-without-rules'
  | 'too-many-schedules'
  | 'metric-does-not-fall'
  | 'targets-conflict'
  | 'bounds-leave-no-room'
  | 'predictive-without-fallback'
  | 'score-advice'
  | 'cooldown-outlasts-stabilization';

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
  /** The instant "never fires" is judged from, ms. @default 0 (the epoch: only schedules that never fire at all) */
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
 * - **Step ranges.** A scale-out and a scale-in step (or simple) rule on one metric whose alarm
 *   ranges overlap, or whose dead band is narrower than the margin. (Gaps and overlaps inside
 *   one step rule are errors, rejected at registration.)
 * - **Cooldown shorter than warm-up.** The scale-out cooldown is shorter than the time a new unit
 *   takes to serve (a rule's `instanceWarmup`, or the group's `provisioningLeadTime`), so the
 *   group scales out again before the last scale-out has had any effect.
 * - **A schedule that never fires** after `options.now`; one shorter than 5 minutes, more than
 *   128 of them, or schedules with no rule beside them (GCP's limits on scaling schedules).
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

  lintCooldownVsStabilization(group, out);
  lintTargets(rules, out);
  lintThresholds(rules, margin, out);
  lintPredictive(rules, out);

  lintScheduleLimits(group, out);
  const from = options.now ?? 0;
  group.schedules.forEach((schedule, i) => {
    if (nextFire(schedule, from) === null) {
      out.push({
        path: `schedules[${i}]`,
        code: 'schedule-never-fires',
        message: `this schedule never fires after ${new Date(from).toISOString()}: its end has passed, it is disabled, or no date matches its cron outside the holidays`,
      });
    }
  });
  return out;
}

// GCP's limits on scaling schedules (a minimum duration of 5 minutes, at most 128 per group, and
// another signal beside them): outside them a schedule is easily a mistake.
const MIN_SCHEDULE_DURATION = 300_000;
const MAX_SCHEDULES = 128;

function lintScheduleLimits(group: ScalingGroupConfig, out: LintWarning[]): void {
  group.schedules.forEach((schedule, i) => {
    if (schedule.duration !== undefined && schedule.duration < MIN_SCHEDULE_DURATION) {
      out.push({
        path: `schedules[${i}].duration`,
        code: 'schedule-too-short',
        message: `this schedule lasts ${schedule.duration} ms; under 5 minutes a unit barely starts before it ends (GCP requires at least 5 minutes)`,
      });
    }
  });
  if (group.schedules.length > MAX_SCHEDULES) {
    out.push({
      path: 'schedules',
      code: 'too-many-schedules',
      message: `${group.schedules.length} schedules; more than ${MAX_SCHEDULES} (GCP's limit per group) is hard to reason about — merge overlapping ones`,
    });
  }
  if (group.schedules.length > 0 && group.rules.length === 0) {
    out.push({
      path: 'rules',
      code: 'schedules-without-rules',
      message:
        'the group has schedules but no rule, so nothing reacts to load between or beyond them (GCP requires another signal)',
    });
  }
}

// A rule that fires on a condition (a latency threshold) and then waits out its cooldown abstains
// meanwhile; another rule that only sees load then proposes fewer units, and once the scale-down
// window has passed they are removed although the condition may still hold. A scale-down window
// longer than the cooldown lets the rule fire again first.
function lintCooldownVsStabilization(group: ScalingGroupConfig, out: LintWarning[]): void {
  if (isLegacyBehavior(group.behavior)) return;
  const window = group.behavior.scaleDown.stabilizationWindow;
  const scalesIn = group.rules.some(
    (r) => r.kind !== 'threshold' && r.kind !== 'simple' && r.kind !== 'predictive',
  );
  if (!scalesIn) return;
  group.rules.forEach((rule, i) => {
    const outward =
      (rule.kind === 'threshold' && rule.direction === 'out') ||
      (rule.kind === 'simple' && (rule.comparison === '>' || rule.comparison === '>='));
    if (!outward || rule.cooldown <= 0 || window > rule.cooldown) return;
    out.push({
      path: 'behavior.scaleDown.stabilizationWindow',
      code: 'cooldown-outlasts-stabilization',
      message: `the scale-down window (${window} ms) is no longer than the cooldown of rules[${i}] (${rule.cooldown} ms), so the other rules can remove its units while it waits to fire again; make the window longer than the cooldown`,
    });
  });
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

interface Alarm {
  readonly index: number;
  readonly kind: string;
  readonly metric: string;
  readonly perInstance: boolean;
  readonly direction: 'out' | 'in';
  readonly threshold: number;
  /** The alarm fires at the threshold itself (`>=`, `<=`). */
  readonly inclusive: boolean;
  readonly text: string;
}

const OPERATOR_SIDES: Readonly<Record<string, { above: boolean; inclusive: boolean } | undefined>> = {
  GreaterThan: { above: true, inclusive: false },
  GreaterThanOrEqual: { above: true, inclusive: true },
  LessThan: { above: false, inclusive: false },
  LessThanOrEqual: { above: false, inclusive: true },
  '>': { above: true, inclusive: false },
  '>=': { above: true, inclusive: true },
  '<': { above: false, inclusive: false },
  '<=': { above: false, inclusive: true },
};

// Rules that fire on one side of a threshold: threshold rules (their own direction), and AWS
// step and simple rules, read as scale-out above the threshold and scale-in below it, as AWS
// pairs its high and low alarms.
function alarms(rules: readonly Rule[]): Alarm[] {
  const out: Alarm[] = [];
  rules.forEach((rule, index) => {
    if (rule.kind !== 'threshold' && rule.kind !== 'step' && rule.kind !== 'simple') return;
    const op = rule.kind === 'threshold' ? rule.operator : rule.comparison;
    const side = OPERATOR_SIDES[op];
    if (side === undefined) return;
    const direction = rule.kind === 'threshold' ? rule.direction : side.above ? 'out' : 'in';
    // A scale-out rule that fires below its threshold (or the reverse) has no dead band to check.
    if ((direction === 'out') !== side.above) return;
    out.push({
      index,
      kind: rule.kind,
      metric: rule.metric,
      perInstance: rule.kind === 'threshold' && rule.dividePerInstance,
      direction,
      threshold: rule.threshold,
      inclusive: side.inclusive,
      text: `${op} ${rule.threshold}`,
    });
  });
  return out;
}

function lintThresholds(rules: readonly Rule[], margin: number, out: LintWarning[]): void {
  const all = alarms(rules);
  for (const low of all) {
    if (low.direction !== 'in') continue;
    for (const high of all) {
      if (high.direction !== 'out' || high.metric !== low.metric || high.perInstance !== low.perInstance)
        continue;
      const steps = low.kind === 'step' || high.kind === 'step';
      const overlaps =
        low.threshold > high.threshold ||
        (low.threshold === high.threshold && low.inclusive && high.inclusive);
      if (overlaps) {
        out.push({
          path: `rules[${low.index}].threshold`,
          code: steps ? 'step-ranges-overlap' : 'thresholds-contradict',
          message: `this scale-in rule fires at ${low.metric} ${low.text} while rules[${high.index}] scales out at ${high.text}: both fire for the same values`,
        });
        continue;
      }
      const gap = high.threshold - low.threshold;
      const scale = Math.max(Math.abs(high.threshold), Math.abs(low.threshold));
      if (scale > 0 && gap / scale < margin) {
        out.push({
          path: `rules[${low.index}].threshold`,
          code: 'thresholds-too-close',
          message: `the scale-in threshold ${low.threshold} is within ${Math.round(margin * 100)} % of the scale-out threshold ${high.threshold} of rules[${high.index}], so ordinary noise flaps the group; widen the margin`,
        });
      }
    }
  }
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
