import { z } from 'zod';
import { assertNever } from '../core/assert.js';
import { positiveDurationSchema } from '../core/duration.js';
import {
  groupPods,
  isWithin,
  metricReplicas,
  type PodInfo,
  type PodMetrics,
  type ReadinessTimings,
  type ReplicaProposal,
  rawResourceReplicas,
  resourceReplicas,
  type Tolerances,
} from '../core/replica-calculator.js';
import { aggregate, formatNumber, toMilli } from '../core/statistics.js';
import type { Observation, Proposal } from '../core/types.js';
import type { UnitInfo } from '../ports/controller.js';
import type { MetricSample } from '../ports/metrics.js';
import { exactlyOneTarget, metricWindowSchema, readMetric, roundRatio, statisticSchema } from './shared.js';

/** Tolerance per direction; "no change" while `1 − scaleDown ≤ ratio ≤ 1 + scaleUp` (Kubernetes `Tolerances`). */
export type Tolerance = Tolerances;

const toleranceValue = z.number().min(0);

/**
 * When per-unit samples taken while a unit starts up are distrusted — the Kubernetes HPA's CPU
 * readiness rules (`--horizontal-pod-autoscaler-cpu-initialization-period` and
 * `--horizontal-pod-autoscaler-initial-readiness-delay`). Set it for metrics that spike while a
 * unit boots, such as CPU.
 */
export const startupSchema = z.strictObject({
  /**
   * For this long after launch a unit's sample counts only if the unit is ready and a whole
   * window was measured since it last changed readiness.
   * @default '5m'
   */
  initializationPeriod: positiveDurationSchema('an initialization period').default(300_000),
  /**
   * A unit that is not ready and whose readiness last changed within this long of its launch has
   * never been ready, so its sample is left out.
   * @default '30s'
   */
  initialReadinessDelay: positiveDurationSchema('an initial readiness delay').default(30_000),
});

/**
 * Zod schema of a target-tracking rule.
 *
 * On the aggregate series (`perUnit` unset), give exactly one of:
 * - `target` — the metric's value should equal this (Kubernetes `Value` target: desired =
 *   ceil(value / target × ready units)); use it for averages such as a busy ratio or CPU %.
 * - `targetPerUnit` — each unit should carry this much (Kubernetes `AverageValue`: desired =
 *   ceil(value / targetPerUnit)); use it for totals such as queue depth or requests per second.
 *
 * With `perUnit: true` the rule reads one series per unit, as the HPA reads pod metrics, and
 * handles ready, unready and missing units as the HPA does; give exactly one of:
 * - `targetPerUnit` — the average of the units' values should equal this (Kubernetes
 *   `AverageValue` on a Pods or Resource metric).
 * - `targetUtilization` — the units' total value should be this percent of their total request
 *   (Kubernetes `Utilization`); each unit's request comes from `UnitInfo.requests[metric]`, else
 *   from `request`.
 *
 * @example
 * targetTrackingRuleSchema.parse({ kind: 'target-tracking', metric: 'cpu', perUnit: true,
 *   targetUtilization: 60, request: 0.5, startup: {} });
 */
export const targetTrackingRuleSchema = z
  .strictObject({
    kind: z.literal('target-tracking'),
    name: z.string().min(1).optional(),
    metric: z.string().min(1),
    target: z.number().positive().optional(),
    targetPerUnit: z.number().positive().optional(),
    /**
     * Read per-unit samples (`MetricSeries.perUnit`) instead of the aggregate series.
     * @default false
     */
    perUnit: z.boolean().optional(),
    /** Percent of each unit's request (Kubernetes `averageUtilization`); needs `perUnit`. */
    targetUtilization: z.number().int().positive().optional(),
    /** Request per unit in the metric's units, for units that do not report their own. */
    request: z.number().positive().optional(),
    /** Distrust samples of starting units, as the HPA does for CPU; needs `perUnit`. */
    startup: startupSchema.optional(),
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
    window: metricWindowSchema,
    statistic: statisticSchema('average'),
  })
  .superRefine((rule, ctx) => {
    if (rule.perUnit !== true) {
      for (const field of ['targetUtilization', 'request', 'startup'] as const) {
        if (rule[field] !== undefined) {
          const message = `\`${field}\` only with \`perUnit: true\``;
          ctx.addIssue({
            code: 'custom',
            path: [field],
            message,
            input: rule[field],
            params: { expected: message, received: 'perUnit unset' },
          });
        }
      }
      exactlyOneTarget(rule, ctx);
      return;
    }
    if (rule.target !== undefined) {
      const message = 'a per-unit rule takes `targetPerUnit` (AverageValue) or `targetUtilization`';
      ctx.addIssue({
        code: 'custom',
        path: ['target'],
        message,
        input: rule.target,
        params: { expected: message, received: 'target' },
      });
      return;
    }
    if ((rule.targetPerUnit === undefined) === (rule.targetUtilization === undefined)) {
      const message = 'exactly one of `targetPerUnit` or `targetUtilization`';
      ctx.addIssue({
        code: 'custom',
        path: rule.targetPerUnit === undefined ? ['targetUtilization'] : ['targetPerUnit'],
        message,
        input: rule.targetPerUnit,
        params: { expected: message, received: rule.targetPerUnit === undefined ? 'neither' : 'both' },
      });
    }
  });

/** A target-tracking rule as written. */
export type TargetTrackingRuleInput = z.input<typeof targetTrackingRuleSchema>;
/** A target-tracking rule with defaults applied. */
export type TargetTrackingRule = z.output<typeof targetTrackingRuleSchema>;

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
  if (rule.perUnit === true) return proposePerUnit(rule, index, observation);
  const prepared = prepare(rule);
  const { name, perUnit, targetMilli, targetValue } = prepared;
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
      message: prepared.metricLabel + shown + prepared.noUnitsText,
      details: { value, ratio: perUnit ? 0 : roundRatio(usage / targetMilli) },
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
      message: withUnits(prepared.metricLabel + shown + prepared.withinText, perUnit, targetValue, current),
      details: { value, ratio: roundRatio(ratio) },
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
    message: withUnits(
      prepared.metricLabel + shown + (above ? prepared.aboveText : prepared.belowText),
      perUnit,
      targetValue,
      current,
    ),
    details: { value, ratio: roundRatio(ratio) },
  };
}

/** `text`, followed for a per-unit target by what it amounts to at the current capacity. */
function withUnits(text: string, perUnit: boolean, targetValue: number, units: number): string {
  return perUnit ? text + forUnits(targetValue, units) : text;
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
  /** The pieces of the proposal's message around the metric's value, e.g. `'cpu '` and `' is above target 0.6'`. */
  readonly metricLabel: string;
  readonly noUnitsText: string;
  readonly withinText: string;
  readonly aboveText: string;
  readonly belowText: string;
}

// Rules are immutable parsed config, so what every tick would recompute is worked out once —
// including the fixed parts of the message, which is kept with the decision until the group's
// next tick: joining three pieces makes fewer strings to keep than formatting it afresh.
const prepared = new WeakMap<TargetTrackingRule, Prepared>();

function prepare(rule: TargetTrackingRule): Prepared {
  let p = prepared.get(rule);
  if (p === undefined) {
    const perUnit = rule.targetPerUnit !== undefined;
    const targetValue = (rule.targetPerUnit ?? rule.target) as number;
    const targetLabel = perUnit ? `target ${targetValue} per unit` : `target ${targetValue}`;
    p = {
      name: rule.name ?? `target-tracking:${rule.metric}`,
      perUnit,
      targetValue,
      targetMilli: toMilli(targetValue),
      metricLabel: `${rule.metric} `,
      noUnitsText: ` with no units for ${targetLabel}`,
      withinText: ` is within tolerance of ${targetLabel}`,
      aboveText: ` is above ${targetLabel}`,
      belowText: ` is below ${targetLabel}`,
    };
    prepared.set(rule, p);
  }
  return p;
}

// ---------------------------------------------------------------------------------------------
// Per-unit samples (Kubernetes Pods and Resource metrics)
// ---------------------------------------------------------------------------------------------

/**
 * The pod the HPA would see for a listed unit. A warm (pooled) unit serves no load, so it is not
 * part of the group; draining and terminated units are dropped as terminating and failed pods are.
 */
function podOf(unit: UnitInfo, metric: string, request: number | undefined, now: number): PodInfo | null {
  const unitRequest = unit.requests?.[metric] ?? request;
  const base = {
    name: unit.id,
    ...(unit.launchedAt === undefined ? {} : { startTime: unit.launchedAt }),
    ...(unitRequest === undefined ? {} : { requests: toMilli(unitRequest) }),
  };
  switch (unit.state) {
    case 'warm':
      return null;
    case 'pending':
      return { ...base, phase: 'Pending', ready: false };
    case 'warming':
      // Not ready since launch: the readiness check reads it as never having been ready.
      return { ...base, phase: 'Running', ready: false, readyLastTransition: unit.launchedAt ?? 0 };
    case 'in-service':
      return {
        ...base,
        phase: 'Running',
        ready: true,
        readyLastTransition: unit.readyAt ?? unit.launchedAt ?? 0,
      };
    case 'draining':
      return { ...base, phase: 'Running', ready: true, deletionTimestamp: now };
    case 'terminated':
      return { ...base, phase: 'Failed', ready: false };
    default:
      return assertNever(unit.state);
  }
}

/** Each unit's statistic over the window, in milli-units, stamped with its newest sample. */
function unitSamples(
  perUnit: Readonly<Record<string, readonly MetricSample[]>>,
  rule: TargetTrackingRule,
  now: number,
): PodMetrics {
  const since = now - rule.window;
  const out: Record<string, { value: number; timestamp: number; window: number }> = {};
  for (const id in perUnit) {
    const series = perUnit[id];
    if (!Array.isArray(series)) continue;
    // Per-unit series come straight from the provider, so unusable samples are dropped here.
    const usable = series.filter(
      (s: MetricSample) => Number.isFinite(s.value) && s.timestamp > since && s.timestamp <= now,
    );
    const value = aggregate(usable, rule.statistic, since);
    if (value === undefined) continue;
    let newest = since;
    for (const s of usable) if (s.timestamp > newest) newest = s.timestamp;
    out[id] = { value: toMilli(value), timestamp: newest, window: rule.window };
  }
  return out;
}

function invalid(name: string, index: number, message: string, reason: Proposal['reason']): Proposal {
  return { rule: name, ruleIndex: index, outcome: 'invalid', reason, message };
}

/**
 * The per-unit path: the HPA's replica calculator over per-unit samples. Units come from
 * `observation.units`; without them every unit that reported counts as ready and none as missing.
 */
function proposePerUnit(rule: TargetTrackingRule, index: number, observation: Observation): Proposal {
  const name = rule.name ?? `target-tracking:${rule.metric}`;
  const { now } = observation;
  const metric = observation.metrics[rule.metric];
  if (metric === undefined || metric.status !== 'ok') {
    return readMetric(rule, name, index, observation) as Proposal;
  }
  if (metric.perUnit === undefined) {
    return invalid(name, index, `metric ${rule.metric} has no per-unit samples`, 'MetricMissing');
  }
  const metrics = unitSamples(metric.perUnit, rule, now);
  const units = observation.units;
  const pods: PodInfo[] = [];
  if (units === undefined) {
    const requests = rule.request === undefined ? {} : { requests: toMilli(rule.request) };
    for (const id in metrics) pods.push({ name: id, phase: 'Running', ready: true, ...requests });
  } else {
    for (const unit of units) {
      const pod = podOf(unit, rule.metric, rule.request, now);
      if (pod !== null) pods.push(pod);
    }
  }
  if (pods.length === 0) {
    return invalid(name, index, `metric ${rule.metric}: no units to measure`, 'MetricMissing');
  }
  if (Object.keys(metrics).length === 0) {
    return invalid(
      name,
      index,
      `metric ${rule.metric} has no per-unit samples in the last ${rule.window} ms`,
      'MetricMissing',
    );
  }
  const utilization = rule.targetUtilization;
  if (utilization !== undefined) {
    const lacking = pods.find((pod) => pod.requests === undefined);
    if (lacking !== undefined) {
      return invalid(
        name,
        index,
        `unit ${lacking.name} has no request for ${rule.metric}: set the unit's requests or the rule's \`request\``,
        'RuleFailed',
      );
    }
  }
  // Startup readiness needs launch and ready times, which only a unit list carries; the HPA
  // applies it to the `cpu` resource alone, so that is the name the calculator is given.
  const resource = rule.startup !== undefined && units !== undefined ? 'cpu' : '';
  const timings: ReadinessTimings = {
    cpuInitializationPeriod: rule.startup?.initializationPeriod ?? 0,
    delayOfInitialReadinessStatus: rule.startup?.initialReadinessDelay ?? 0,
  };
  const args = {
    currentReplicas: observation.capacity,
    pods,
    metrics,
    now,
    tolerances: rule.tolerance,
    timings,
  };
  let result: ReplicaProposal;
  let ratio: number;
  let shown: string;
  let target: string;
  try {
    if (utilization !== undefined) {
      result = resourceReplicas({ ...args, targetUtilization: utilization, resource });
      ratio = result.usage / utilization;
      shown = `${result.usage}% of request`;
      target = `target ${utilization}%`;
    } else {
      const targetMilli = toMilli(rule.targetPerUnit as number);
      result =
        resource === 'cpu'
          ? rawResourceReplicas({ ...args, targetAverageValue: targetMilli, resource })
          : metricReplicas({ ...args, targetAverageValue: targetMilli });
      ratio = result.usage / targetMilli;
      shown = `${formatNumber(result.usage / 1000)} per unit`;
      target = `target ${rule.targetPerUnit} per unit`;
    }
  } catch (error) {
    return invalid(
      name,
      index,
      `metric ${rule.metric}: ${error instanceof Error ? error.message : String(error)}`,
      'MetricMissing',
    );
  }
  const groups = groupPods(pods, metrics, resource, now, timings);
  const reason = isWithin(ratio, rule.tolerance)
    ? 'WithinTolerance'
    : ratio > 1
      ? 'AboveTarget'
      : 'BelowTarget';
  const where =
    reason === 'WithinTolerance'
      ? 'is within tolerance of'
      : reason === 'AboveTarget'
        ? 'is above'
        : 'is below';
  const partial = groups.unreadyPods.size + groups.missingPods.size;
  return {
    rule: name,
    ruleIndex: index,
    outcome: 'propose',
    capacity: result.replicas,
    reason,
    message:
      `${rule.metric} ${shown} ${where} ${target} over ${groups.readyPodCount} ready unit${groups.readyPodCount === 1 ? '' : 's'}` +
      (partial === 0
        ? ''
        : ` (${groups.unreadyPods.size} unready, ${groups.missingPods.size} without samples, counted conservatively)`),
    details: {
      value: utilization !== undefined ? result.usage : result.usage / 1000,
      ratio: roundRatio(ratio),
      readyUnits: groups.readyPodCount,
      unreadyUnits: groups.unreadyPods.size,
      missingUnits: groups.missingPods.size,
      ignoredUnits: groups.ignoredPods.size,
    },
  };
}
