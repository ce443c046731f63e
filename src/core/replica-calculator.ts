/**
 * A port of the Kubernetes HPA replica calculator (`pkg/controller/podautoscaler`:
 * `replica_calculator.go`, `metrics/utilization.go`) and of the behavior-less normalization in
 * `horizontal.go` (`computeReplicasForMetrics`, `normalizeDesiredReplicas`,
 * `stabilizeRecommendation`, `convertDesiredReplicasWithRules`).
 *
 * Every quantity is an integer in milli-units, as the controller reads it with `MilliValue()`
 * (see {@link toMilli}); every time is epoch milliseconds and `now` is always passed in.
 * Integer division truncates where Go's `int64` division truncates, so percentages and averages
 * are cut before the ratio is formed, exactly as Kubernetes does.
 */
import { recordRecommendation } from './recommendations.js';
import type { RecommendationLog } from './types.js';

/** Largest value Kubernetes stores in an `int32` replica count. */
const MAX_INT32 = 2_147_483_647;

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

/** A pod phase (`v1.PodPhase`). */
export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

/** The parts of a pod the calculator reads. */
export interface PodInfo {
  /** Pod name; metric samples are matched to pods by it. */
  readonly name: string;
  /** `status.phase`. */
  readonly phase: PodPhase;
  /** Status of the `Ready` condition; `undefined` when the pod has no `Ready` condition. */
  readonly ready: boolean | undefined;
  /**
   * `lastTransitionTime` of the `Ready` condition, epoch ms.
   * @default 0 (Kubernetes' zero time)
   */
  readonly readyLastTransition?: number;
  /** `status.startTime`, epoch ms; `undefined` when the pod has not started. */
  readonly startTime?: number;
  /** `metadata.deletionTimestamp`, epoch ms; set while the pod is terminating. */
  readonly deletionTimestamp?: number;
  /**
   * Resource request in milli-units: one number per container (summed) or the pod total.
   * `undefined` means no request, which is an error for a Utilization target.
   */
  readonly requests?: number | readonly number[];
}

/** One pod's metric sample (`metricsclient.PodMetric`). */
export interface PodMetric {
  /** Value in milli-units (for resources: the sum over the pod's containers). */
  readonly value: number;
  /**
   * When the sample was taken, epoch ms.
   * @default 0
   */
  readonly timestamp?: number;
  /**
   * The window the sample was averaged over, ms.
   * @default 0
   */
  readonly window?: number;
}

/** Pod metric samples by pod name (`metricsclient.PodMetricsInfo`). */
export type PodMetrics = Readonly<Record<string, PodMetric>>;

/** The readiness timings of {@link groupPods} (`--horizontal-pod-autoscaler-*` flags). */
export interface ReadinessTimings {
  /**
   * How long after start a pod's CPU samples are distrusted.
   * @default 300_000 (5 minutes; the Kubernetes unit tests use 2 minutes)
   */
  readonly cpuInitializationPeriod: number;
  /**
   * How long after start a NotReady pod still counts as never having been ready.
   * @default 30_000 (30 s; the Kubernetes unit tests use 10 s)
   */
  readonly delayOfInitialReadinessStatus: number;
}

/** The controller defaults for {@link ReadinessTimings}. */
export const DEFAULT_READINESS_TIMINGS: ReadinessTimings = {
  cpuInitializationPeriod: 300_000,
  delayOfInitialReadinessStatus: 30_000,
};

// ---------------------------------------------------------------------------------------------
// Tolerance (§3)
// ---------------------------------------------------------------------------------------------

/** How far a usage ratio may sit below (`scaleDown`) or above (`scaleUp`) 1 with no change. */
export interface Tolerances {
  /** Allowed shortfall below 1, e.g. `0.1`. */
  readonly scaleDown: number;
  /** Allowed excess above 1, e.g. `0.1`. */
  readonly scaleUp: number;
}

/** `--horizontal-pod-autoscaler-tolerance`, 0.1 on both sides. */
export const DEFAULT_TOLERANCES: Tolerances = { scaleDown: 0.1, scaleUp: 0.1 };

/**
 * Kubernetes `Tolerances.isWithin`: true when `1 − scaleDown ≤ ratio ≤ 1 + scaleUp`; both ends
 * inclusive.
 *
 * @example
 * isWithin(1.1, { scaleDown: 0.1, scaleUp: 0.1 }); // true
 * isWithin(0.65, { scaleDown: 0.34, scaleUp: 0.1 }); // false
 */
export function isWithin(ratio: number, tolerances: Tolerances): boolean {
  return 1 - tolerances.scaleDown <= ratio && ratio <= 1 + tolerances.scaleUp;
}

// ---------------------------------------------------------------------------------------------
// Pod grouping (§2.1)
// ---------------------------------------------------------------------------------------------

/** Result of {@link groupPods}. */
export interface PodGroups {
  /** Pods whose samples are used as they are. */
  readonly readyPodCount: number;
  /** Pending pods, and (CPU only) pods not ready or still warming up. */
  readonly unreadyPods: ReadonlySet<string>;
  /** Pods with no sample. */
  readonly missingPods: ReadonlySet<string>;
  /** Terminating and Failed pods, dropped completely. */
  readonly ignoredPods: ReadonlySet<string>;
}

/**
 * Kubernetes `groupPods`: sort pods into ready, unready, missing and ignored. Only the `cpu`
 * resource looks at readiness and start time, because only CPU spikes while a pod starts; every
 * other metric counts a NotReady pod that has a sample as ready.
 *
 * @example
 * groupPods([{ name: 'a', phase: 'Pending', ready: false }], {}, 'cpu', 0,
 *   DEFAULT_READINESS_TIMINGS).unreadyPods; // Set { 'a' }
 */
export function groupPods(
  pods: readonly PodInfo[],
  metrics: PodMetrics,
  resource: string,
  now: number,
  timings: ReadinessTimings,
): PodGroups {
  let readyPodCount = 0;
  const unreadyPods = new Set<string>();
  const missingPods = new Set<string>();
  const ignoredPods = new Set<string>();
  for (const pod of pods) {
    if (pod.deletionTimestamp !== undefined || pod.phase === 'Failed') {
      ignoredPods.add(pod.name);
      continue;
    }
    if (pod.phase === 'Pending') {
      unreadyPods.add(pod.name);
      continue;
    }
    const metric = Object.hasOwn(metrics, pod.name) ? metrics[pod.name] : undefined;
    if (metric === undefined) {
      missingPods.add(pod.name);
      continue;
    }
    if (resource === 'cpu') {
      let unready: boolean;
      if (pod.ready === undefined || pod.startTime === undefined) {
        unready = true;
      } else {
        const transition = pod.readyLastTransition ?? 0;
        if (pod.startTime + timings.cpuInitializationPeriod > now) {
          // Still initializing: distrust the sample unless a full window was collected since the
          // pod last changed readiness.
          unready = !pod.ready || (metric.timestamp ?? 0) < transition + (metric.window ?? 0);
        } else {
          // Only a pod that has never been ready is left out; one that went NotReady later
          // still counts, so a flapping probe does not hide load.
          unready = !pod.ready && pod.startTime + timings.delayOfInitialReadinessStatus > transition;
        }
      }
      if (unready) {
        unreadyPods.add(pod.name);
        continue;
      }
    }
    readyPodCount++;
  }
  return { readyPodCount, unreadyPods, missingPods, ignoredPods };
}

// ---------------------------------------------------------------------------------------------
// Per-metric proposals (§2.2 – §2.5)
// ---------------------------------------------------------------------------------------------

/** A replica proposal for one metric. */
export interface ReplicaProposal {
  /** Proposed replica count. */
  readonly replicas: number;
  /**
   * The current value as Kubernetes reports it in `status.currentMetrics`: the utilization
   * percent for a Utilization target, otherwise the (per-pod) value in milli-units.
   */
  readonly usage: number;
  /** The sample timestamp, when the source has one. */
  readonly timestamp?: number;
}

/** A Utilization proposal, which also reports the raw average (`currentAverageValue`). */
export interface ResourceReplicaProposal extends ReplicaProposal {
  /** `floor(Σusage / n)` over the pods used in the first pass, milli-units. */
  readonly rawAverageValue: number;
}

/** Arguments shared by the pod-based calculations. */
export interface PodMetricArgs {
  /** Current (spec) replicas. */
  readonly currentReplicas: number;
  /** Pods matched by the target's selector. */
  readonly pods: readonly PodInfo[];
  /** Samples by pod name. */
  readonly metrics: PodMetrics;
  /** The clock reading for readiness checks, epoch ms. */
  readonly now: number;
  /** @default DEFAULT_TOLERANCES */
  readonly tolerances?: Tolerances;
  /** @default DEFAULT_READINESS_TIMINGS */
  readonly timings?: ReadinessTimings;
}

function requestOf(pod: PodInfo, resource: string): number {
  const { requests } = pod;
  if (requests === undefined) {
    throw new Error(`missing request for ${resource} in pod ${pod.name}`);
  }
  if (typeof requests === 'number') return requests;
  let total = 0;
  for (const value of requests) total += value;
  return total;
}

function firstTimestamp(metrics: PodMetrics): number | undefined {
  for (const name in metrics) return metrics[name]?.timestamp;
  return undefined;
}

function withTimestamp<T extends object>(proposal: T, timestamp: number | undefined): T {
  return timestamp === undefined ? proposal : { ...proposal, timestamp };
}

/** `metrics.GetResourceUtilizationRatio`; skips samples of pods with no known request. */
function utilizationRatio(
  metrics: ReadonlyMap<string, number>,
  requests: ReadonlyMap<string, number>,
  targetUtilization: number,
): { ratio: number; utilization: number; rawAverageValue: number } {
  let metricsTotal = 0;
  let requestsTotal = 0;
  let entries = 0;
  for (const [name, value] of metrics) {
    const request = requests.get(name);
    // Samples of unknown pods are treated as extraneous; missing requests are checked earlier.
    if (request === undefined) continue;
    metricsTotal += value;
    requestsTotal += request;
    entries++;
  }
  if (requestsTotal === 0) throw new Error('no metrics returned matched known pods');
  const utilization = Math.trunc((metricsTotal * 100) / requestsTotal);
  return {
    ratio: utilization / targetUtilization,
    utilization,
    rawAverageValue: Math.trunc(metricsTotal / entries),
  };
}

/** `metrics.GetMetricUsageRatio`. */
function usageRatio(metrics: ReadonlyMap<string, number>, target: number): { ratio: number; usage: number } {
  let total = 0;
  for (const value of metrics.values()) total += value;
  const usage = Math.trunc(total / metrics.size);
  return { ratio: usage / target, usage };
}

/** The first steps both pod-based paths share: list, group, and drop unusable samples. */
function prepare(args: PodMetricArgs, resource: string): { groups: PodGroups; samples: Map<string, number> } {
  if (args.pods.length === 0) {
    throw new Error('no pods returned by selector while calculating replica count');
  }
  const groups = groupPods(
    args.pods,
    args.metrics,
    resource,
    args.now,
    args.timings ?? DEFAULT_READINESS_TIMINGS,
  );
  const samples = new Map<string, number>();
  for (const name in args.metrics) {
    if (groups.ignoredPods.has(name) || groups.unreadyPods.has(name)) continue;
    samples.set(name, (args.metrics[name] as PodMetric).value);
  }
  if (samples.size === 0) {
    throw new Error('did not receive metrics for targeted pods (pods might be unready)');
  }
  return { groups, samples };
}

/** The conservative second pass's two guards: no direction flip, no move against the ratio. */
function guardedReplicas(
  currentReplicas: number,
  ratio: number,
  newRatio: number,
  count: number,
  tolerances: Tolerances,
): number {
  if (isWithin(newRatio, tolerances) || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1)) {
    return currentReplicas;
  }
  const replicas = Math.ceil(newRatio * count);
  if ((newRatio < 1 && replicas > currentReplicas) || (newRatio > 1 && replicas < currentReplicas)) {
    return currentReplicas;
  }
  return replicas;
}

/**
 * Kubernetes `GetResourceReplicas`: a Resource metric with a Utilization target (percent of
 * request). The fast path scales the ready-pod count by the ratio; with missing pods, or unready
 * pods on a scale-up, a second pass assumes missing pods use `max(100, target)`% on a scale-down
 * (0 on a scale-up) and unready pods 0 on a scale-up, then refuses to flip direction. The reported
 * utilization is always the first pass's. Throws where Kubernetes returns an error.
 *
 * @example
 * resourceReplicas({ currentReplicas: 3, targetUtilization: 30, resource: 'cpu', now: 0,
 *   pods: ['a', 'b', 'c'].map((name) => ({ name, phase: 'Running', ready: true, startTime: -600_000,
 *     requests: 1000 })),
 *   metrics: { a: { value: 300 }, b: { value: 500 }, c: { value: 700 } } });
 * // { replicas: 5, usage: 50, rawAverageValue: 500 }
 */
export function resourceReplicas(
  args: PodMetricArgs & {
    /** Target percent of request (`averageUtilization`). */
    readonly targetUtilization: number;
    /** Resource name; `cpu` turns on the readiness checks. */
    readonly resource: string;
  },
): ResourceReplicaProposal {
  const { currentReplicas, targetUtilization, resource } = args;
  const tolerances = args.tolerances ?? DEFAULT_TOLERANCES;
  if (Object.keys(args.metrics).length === 0) {
    throw new Error(
      `unable to get metrics for resource ${resource}: no metrics returned from resource metrics API`,
    );
  }
  const timestamp = firstTimestamp(args.metrics);
  const { groups, samples } = prepare(args, resource);
  const requests = new Map<string, number>();
  for (const pod of args.pods) requests.set(pod.name, requestOf(pod, resource));

  const first = utilizationRatio(samples, requests, targetUtilization);
  const result = (replicas: number): ResourceReplicaProposal =>
    withTimestamp({ replicas, usage: first.utilization, rawAverageValue: first.rawAverageValue }, timestamp);
  const ratio = first.ratio;
  const scaleUpWithUnready = groups.unreadyPods.size > 0 && ratio > 1;
  if (!scaleUpWithUnready && groups.missingPods.size === 0) {
    if (isWithin(ratio, tolerances)) return result(currentReplicas);
    return result(Math.ceil(ratio * groups.readyPodCount));
  }

  if (groups.missingPods.size > 0) {
    // Missing data may allow a scale-up but never drive a scale-down: on the way down a missing
    // pod is assumed to run at least at its request (or at target, if that is higher).
    const fallback = Math.max(100, targetUtilization);
    for (const name of groups.missingPods) {
      if (ratio < 1) samples.set(name, Math.trunc(((requests.get(name) ?? 0) * fallback) / 100));
      else if (ratio > 1) samples.set(name, 0);
    }
  }
  if (scaleUpWithUnready) {
    for (const name of groups.unreadyPods) samples.set(name, 0);
  }
  const second = utilizationRatio(samples, requests, targetUtilization);
  return result(guardedReplicas(currentReplicas, ratio, second.ratio, samples.size, tolerances));
}

/** Kubernetes `calcPlainMetricReplicas`, shared by AverageValue resource and Pods metrics. */
function plainMetricReplicas(args: PodMetricArgs, target: number, resource: string): ReplicaProposal {
  const { currentReplicas } = args;
  const tolerances = args.tolerances ?? DEFAULT_TOLERANCES;
  const timestamp = firstTimestamp(args.metrics);
  const { groups, samples } = prepare(args, resource);
  const first = usageRatio(samples, target);
  const result = (replicas: number): ReplicaProposal =>
    withTimestamp({ replicas, usage: first.usage }, timestamp);
  const ratio = first.ratio;
  const scaleUpWithUnready = groups.unreadyPods.size > 0 && ratio > 1;
  if (!scaleUpWithUnready && groups.missingPods.size === 0) {
    if (isWithin(ratio, tolerances)) return result(currentReplicas);
    return result(Math.ceil(ratio * groups.readyPodCount));
  }
  // On a scale-down a missing pod is assumed to be exactly at target, so it holds capacity.
  for (const name of groups.missingPods) samples.set(name, ratio < 1 ? target : 0);
  if (scaleUpWithUnready) {
    for (const name of groups.unreadyPods) samples.set(name, 0);
  }
  const second = usageRatio(samples, target);
  return result(guardedReplicas(currentReplicas, ratio, second.ratio, samples.size, tolerances));
}

/**
 * Kubernetes `GetRawResourceReplicas`: a Resource metric with an AverageValue target (milli-units
 * per pod). Same passes as {@link resourceReplicas}, on `floor(Σ/n) / target`; a missing pod is
 * assumed to be at target on a scale-down.
 *
 * @example
 * rawResourceReplicas({ currentReplicas: 2, targetAverageValue: 500, resource: 'memory', now: 0,
 *   pods: [{ name: 'a', phase: 'Running', ready: true }, { name: 'b', phase: 'Running', ready: true }],
 *   metrics: { a: { value: 900 }, b: { value: 1100 } } }).replicas; // 4
 */
export function rawResourceReplicas(
  args: PodMetricArgs & {
    /** Target average value per pod, milli-units. */
    readonly targetAverageValue: number;
    /** Resource name; `cpu` turns on the readiness checks. */
    readonly resource: string;
  },
): ReplicaProposal {
  if (Object.keys(args.metrics).length === 0) {
    throw new Error(
      `unable to get metrics for resource ${args.resource}: no metrics returned from resource metrics API`,
    );
  }
  return plainMetricReplicas(args, args.targetAverageValue, args.resource);
}

/**
 * Kubernetes `GetMetricReplicas`: a Pods (custom per-pod) metric with an AverageValue target.
 * Readiness is not consulted, so a NotReady pod with a sample counts.
 *
 * @example
 * metricReplicas({ currentReplicas: 3, targetAverageValue: 15_000, now: 0,
 *   pods: ['a', 'b', 'c'].map((name) => ({ name, phase: 'Running', ready: true })),
 *   metrics: { a: { value: 20_000 }, b: { value: 10_000 }, c: { value: 30_000 } } });
 * // { replicas: 4, usage: 20_000 }
 */
export function metricReplicas(
  args: PodMetricArgs & {
    /** Target average value per pod, milli-units. */
    readonly targetAverageValue: number;
  },
): ReplicaProposal {
  if (Object.keys(args.metrics).length === 0) {
    throw new Error('unable to get metric: no metrics returned from custom metrics API');
  }
  return plainMetricReplicas(args, args.targetAverageValue, '');
}

/** Arguments of the Value-target calculations ({@link objectReplicas}, {@link externalReplicas}). */
export interface ValueTargetArgs {
  /** Current (spec) replicas; 0 means scale-from-zero. */
  readonly currentReplicas: number;
  /** Target value, milli-units. */
  readonly targetValue: number;
  /** Pods matched by the target's selector; only Running and Ready pods count. */
  readonly pods: readonly PodInfo[];
  /** @default DEFAULT_TOLERANCES */
  readonly tolerances?: Tolerances;
  /** The sample timestamp to report, when known. */
  readonly timestamp?: number;
}

/** Kubernetes `getUsageRatioReplicaCount`. */
function usageRatioReplicaCount(
  currentReplicas: number,
  ratio: number,
  pods: readonly PodInfo[],
  tolerances: Tolerances,
): number {
  // Scale-from-zero has no pods to measure against, so the ratio itself is the answer.
  if (currentReplicas === 0) return Math.min(Math.ceil(ratio), MAX_INT32);
  if (isWithin(ratio, tolerances)) return currentReplicas;
  if (pods.length === 0) {
    throw new Error(
      'unable to calculate ready pods: no pods returned by selector while calculating replica count',
    );
  }
  let ready = 0;
  for (const pod of pods) if (pod.phase === 'Running' && pod.ready === true) ready++;
  return Math.min(Math.ceil(ratio * ready), MAX_INT32);
}

/**
 * Kubernetes `GetObjectMetricReplicas`: an Object metric with a Value target. The ratio
 * `value / target` scales the count of Running and Ready pods; at 0 current replicas it is
 * `ceil(ratio)` with no tolerance check.
 *
 * @example
 * objectReplicas({ currentReplicas: 3, targetValue: 15_000, value: 20_000,
 *   pods: ['a', 'b', 'c'].map((name) => ({ name, phase: 'Running', ready: true })) });
 * // { replicas: 4, usage: 20_000 }
 */
export function objectReplicas(
  args: ValueTargetArgs & {
    /** The object's metric value, milli-units. */
    readonly value: number;
  },
): ReplicaProposal {
  const tolerances = args.tolerances ?? DEFAULT_TOLERANCES;
  const replicas = usageRatioReplicaCount(
    args.currentReplicas,
    args.value / args.targetValue,
    args.pods,
    tolerances,
  );
  return withTimestamp({ replicas, usage: args.value }, args.timestamp);
}

function sumExternal(values: readonly number[]): number {
  if (values.length === 0) {
    throw new Error('unable to get external metric: no metrics returned from external metrics API');
  }
  let usage = 0;
  for (const value of values) usage += value;
  // Kubernetes caps the sum at the int64 maximum instead of overflowing.
  return Math.min(usage, Number.MAX_SAFE_INTEGER);
}

/**
 * Kubernetes `GetExternalMetricReplicas`: an External metric with a Value target. The usage is
 * the sum of all returned series; otherwise as {@link objectReplicas}.
 *
 * @example
 * externalReplicas({ currentReplicas: 5, targetValue: 14_334, values: [8600],
 *   pods: ['a', 'b', 'c', 'd', 'e'].map((name) => ({ name, phase: 'Running', ready: true })) });
 * // { replicas: 3, usage: 8600 }
 */
export function externalReplicas(
  args: ValueTargetArgs & {
    /** Every returned series value, milli-units. */
    readonly values: readonly number[];
  },
): ReplicaProposal {
  const tolerances = args.tolerances ?? DEFAULT_TOLERANCES;
  const usage = sumExternal(args.values);
  const replicas = usageRatioReplicaCount(
    args.currentReplicas,
    usage / args.targetValue,
    args.pods,
    tolerances,
  );
  return withTimestamp({ replicas, usage }, args.timestamp);
}

/** Arguments of the per-pod AverageValue calculations for Object and External metrics. */
export interface PerPodTargetArgs {
  /** The target's **status** replica count (pods that exist), not the spec count. */
  readonly statusReplicas: number;
  /** Target value per pod, milli-units. */
  readonly targetAverageValue: number;
  /** @default DEFAULT_TOLERANCES */
  readonly tolerances?: Tolerances;
  /** The sample timestamp to report, when known. */
  readonly timestamp?: number;
}

function perPodReplicas(
  usage: number,
  args: PerPodTargetArgs,
): { readonly replicas: number; readonly usage: number } {
  const { statusReplicas, targetAverageValue } = args;
  const ratio = usage / (targetAverageValue * statusReplicas);
  const replicas = isWithin(ratio, args.tolerances ?? DEFAULT_TOLERANCES)
    ? statusReplicas
    : Math.ceil(usage / targetAverageValue);
  return { replicas, usage: Math.ceil(usage / statusReplicas) };
}

/**
 * Kubernetes `GetObjectPerPodMetricReplicas`: an Object metric with an AverageValue target.
 * Outside tolerance the answer is `ceil(value / target)`; the reported usage is
 * `ceil(value / statusReplicas)`. Readiness is not consulted.
 *
 * @example
 * perPodObjectReplicas({ statusReplicas: 3, targetAverageValue: 5000, value: 20_000 });
 * // { replicas: 4, usage: 6667 }
 */
export function perPodObjectReplicas(
  args: PerPodTargetArgs & {
    /** The object's metric value, milli-units. */
    readonly value: number;
  },
): ReplicaProposal {
  return withTimestamp(perPodReplicas(args.value, args), args.timestamp);
}

/**
 * Kubernetes `GetExternalPerPodMetricReplicas`: an External metric with an AverageValue target,
 * over the sum of all returned series; otherwise as {@link perPodObjectReplicas}.
 *
 * @example
 * perPodExternalReplicas({ statusReplicas: 3, targetAverageValue: 2150, values: [8600] });
 * // { replicas: 4, usage: 2867 }
 */
export function perPodExternalReplicas(
  args: PerPodTargetArgs & {
    /** Every returned series value, milli-units. */
    readonly values: readonly number[];
  },
): ReplicaProposal {
  return withTimestamp(perPodReplicas(sumExternal(args.values), args), args.timestamp);
}

// ---------------------------------------------------------------------------------------------
// Combining metrics (§4)
// ---------------------------------------------------------------------------------------------

/** The ScalingActive=False reasons a failed metric can carry. */
export type MetricFailureReason =
  | 'FailedGetResourceMetric'
  | 'FailedGetContainerResourceMetric'
  | 'FailedGetPodsMetric'
  | 'FailedGetObjectMetric'
  | 'FailedGetExternalMetric'
  | 'InvalidMetricSourceType';

/** One metric's outcome: a proposal, or the error that made it invalid. */
export type MetricOutcome =
  | { readonly replicas: number; readonly metric?: string; readonly timestamp?: number }
  | {
      readonly error: Error | string;
      /** @default 'FailedGetResourceMetric' (a metric-less HPA defaults to a CPU resource metric) */
      readonly reason?: MetricFailureReason;
    };

/** Result of {@link computeReplicasForMetrics}. */
export type MetricsDecision =
  | {
      readonly valid: true;
      /** The largest proposal. */
      readonly replicas: number;
      readonly reason: 'ValidMetricFound';
      readonly message: string;
      /** Name of the metric that won, when given. */
      readonly metric?: string;
      /** Timestamp of the winning proposal, when given. */
      readonly timestamp?: number;
    }
  | {
      readonly valid: false;
      /** The first failure's reason; the controller does not rescale. */
      readonly reason: MetricFailureReason;
      readonly message: string;
      /** The first failure. */
      readonly error: Error | string;
    };

/**
 * Kubernetes `computeReplicasForMetrics`: the maximum of the valid proposals, in order (a
 * proposal replaces the running result when that is 0 or it is larger). When every metric is
 * invalid, or some are and the maximum is below `specReplicas`, the result is invalid with the
 * first failure's reason: a broken metric may block a scale-down but never a scale-up.
 * Throws when `outcomes` is empty (the API always defaults at least one metric).
 *
 * @example
 * computeReplicasForMetrics([{ replicas: 3 }, { error: 'timeout', reason: 'FailedGetExternalMetric' }], 5);
 * // { valid: false, reason: 'FailedGetExternalMetric', ... } — would scale down past a broken metric
 */
export function computeReplicasForMetrics(
  outcomes: readonly MetricOutcome[],
  specReplicas: number,
): MetricsDecision {
  if (outcomes.length === 0) throw new Error('Expected at least one metric outcome, got 0');
  let replicas = 0;
  let metric: string | undefined;
  let timestamp: number | undefined;
  let invalidCount = 0;
  let firstFailure: { readonly error: Error | string; readonly reason?: MetricFailureReason } | undefined;
  for (const outcome of outcomes) {
    if ('error' in outcome) {
      if (invalidCount === 0) firstFailure = outcome;
      invalidCount++;
      continue;
    }
    if (replicas === 0 || outcome.replicas > replicas) {
      replicas = outcome.replicas;
      metric = outcome.metric;
      timestamp = outcome.timestamp;
    }
  }
  if (firstFailure !== undefined && (invalidCount >= outcomes.length || replicas < specReplicas)) {
    const { error } = firstFailure;
    return {
      valid: false,
      reason: firstFailure.reason ?? 'FailedGetResourceMetric',
      message: `the HPA was unable to compute the replica count: ${typeof error === 'string' ? error : error.message}`,
      error,
    };
  }
  const decision: MetricsDecision = {
    valid: true,
    replicas,
    reason: 'ValidMetricFound',
    message: `the HPA was able to successfully calculate a replica count${metric === undefined ? '' : ` from ${metric}`}`,
  };
  return {
    ...decision,
    ...(metric === undefined ? {} : { metric }),
    ...(timestamp === undefined ? {} : { timestamp }),
  };
}

// ---------------------------------------------------------------------------------------------
// Normalization without behavior (§5)
// ---------------------------------------------------------------------------------------------

/** The ScalingLimited reasons of {@link convertDesiredReplicasWithRules}. */
export type LimitReason = 'ScaleUpLimit' | 'TooManyReplicas' | 'TooFewReplicas' | 'DesiredWithinRange';

/** Result of {@link convertDesiredReplicasWithRules}. */
export interface ConvertedReplicas {
  /** The clamped replica count. */
  readonly replicas: number;
  /** Why it is (or is not) limited. */
  readonly reason: LimitReason;
  /** Kubernetes' message for the reason. */
  readonly message: string;
}

/** `scaleUpLimitFactor` in `horizontal.go`. */
export const SCALE_UP_LIMIT_FACTOR = 2;
/** `scaleUpLimitMinimum` in `horizontal.go`. */
export const SCALE_UP_LIMIT_MINIMUM = 4;

/**
 * Kubernetes `calculateScaleUpLimit`: `max(factor × current, 4)`, truncated.
 *
 * @example
 * calculateScaleUpLimit(3); // 6
 * calculateScaleUpLimit(1); // 4
 */
export function calculateScaleUpLimit(
  currentReplicas: number,
  factor: number = SCALE_UP_LIMIT_FACTOR,
): number {
  return Math.trunc(Math.max(factor * currentReplicas, SCALE_UP_LIMIT_MINIMUM));
}

/**
 * Kubernetes `convertDesiredReplicasWithRules`: clamp to `[min, min(max, scaleUpLimit)]`.
 * `factor` is the scale-up limit factor (2 in the controller; `horizontal_test.go` sets 8).
 *
 * @example
 * convertDesiredReplicasWithRules(3, 1000, 1, 2000); // { replicas: 6, reason: 'ScaleUpLimit', ... }
 * convertDesiredReplicasWithRules(3, 1, 2, 8).reason; // 'TooFewReplicas'
 */
export function convertDesiredReplicasWithRules(
  currentReplicas: number,
  desiredReplicas: number,
  minReplicas: number,
  maxReplicas: number,
  factor: number = SCALE_UP_LIMIT_FACTOR,
): ConvertedReplicas {
  const scaleUpLimit = calculateScaleUpLimit(currentReplicas, factor);
  const limitedByRate = maxReplicas > scaleUpLimit;
  const maximumAllowed = limitedByRate ? scaleUpLimit : maxReplicas;
  if (desiredReplicas < minReplicas) {
    return {
      replicas: minReplicas,
      reason: 'TooFewReplicas',
      message: 'the desired replica count is less than the minimum replica count',
    };
  }
  if (desiredReplicas > maximumAllowed) {
    return limitedByRate
      ? {
          replicas: maximumAllowed,
          reason: 'ScaleUpLimit',
          message: 'the desired replica count is increasing faster than the maximum scale rate',
        }
      : {
          replicas: maximumAllowed,
          reason: 'TooManyReplicas',
          message: 'the desired replica count is more than the maximum replica count',
        };
  }
  return {
    replicas: desiredReplicas,
    reason: 'DesiredWithinRange',
    message: 'the desired count is within the acceptable range',
  };
}

/** Result of {@link stabilizeRecommendation}. */
export interface StabilizedRecommendation {
  /** `max(desired, every recommendation inside the window)`. */
  readonly replicas: number;
  /** The history with `desired` recorded. */
  readonly recommendations: RecommendationLog;
}

/**
 * Kubernetes `stabilizeRecommendation`: the maximum of `desired` and every recommendation not
 * older than `now − window`. Records the unstabilized `desired`, overwriting the last record
 * older than the window, else appending.
 *
 * @example
 * stabilizeRecommendation(3, [-60_000, 5], 0).replicas; // 5
 */
export function stabilizeRecommendation(
  desiredReplicas: number,
  recommendations: RecommendationLog,
  now: number,
  window = 300_000,
): StabilizedRecommendation {
  const cutoff = now - window;
  let replicas = desiredReplicas;
  let oldSlot = -1;
  for (let i = 0; i + 1 < recommendations.length; i += 2) {
    const capacity = recommendations[i + 1] as number;
    if ((recommendations[i] as number) < cutoff) oldSlot = i;
    else if (capacity > replicas) replicas = capacity;
  }
  return { replicas, recommendations: recordRecommendation(recommendations, oldSlot, now, desiredReplicas) };
}

/** Result of {@link normalizeDesiredReplicas}. */
export interface NormalizedReplicas {
  /** The replica count to scale to. */
  readonly replicas: number;
  /** The stabilized recommendation before min/max/rate limits. */
  readonly stabilized: number;
  /** AbleToScale reason. */
  readonly ableToScaleReason: 'ScaleDownStabilized' | 'ReadyForNewScale';
  /** ScalingLimited reason; the condition is True when `replicas !== stabilized`. */
  readonly limitReason: LimitReason;
  /** Message for `limitReason`. */
  readonly limitMessage: string;
  /** True when the result differs from the stabilized recommendation. */
  readonly scalingLimited: boolean;
  /** The recommendation history with this reconcile recorded. */
  readonly recommendations: RecommendationLog;
}

/**
 * Kubernetes `normalizeDesiredReplicas` (an HPA without `behavior`): stabilize over the
 * downscale window (5 minutes), then {@link convertDesiredReplicasWithRules}.
 *
 * @example
 * normalizeDesiredReplicas({ currentReplicas: 4, desiredReplicas: 2, minReplicas: 1, maxReplicas: 10,
 *   now: 0, recommendations: [-60_000, 4] }).replicas; // 4 (ScaleDownStabilized)
 */
export function normalizeDesiredReplicas(args: {
  readonly currentReplicas: number;
  /** The proposal from {@link computeReplicasForMetrics}. */
  readonly desiredReplicas: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly now: number;
  /** The history so far (see {@link RecommendationLog}). */
  readonly recommendations: RecommendationLog;
  /**
   * `--horizontal-pod-autoscaler-downscale-stabilization`, ms.
   * @default 300_000
   */
  readonly downscaleStabilizationWindow?: number;
  /**
   * Scale-up limit factor.
   * @default 2
   */
  readonly scaleUpLimitFactor?: number;
}): NormalizedReplicas {
  const stabilized = stabilizeRecommendation(
    args.desiredReplicas,
    args.recommendations,
    args.now,
    args.downscaleStabilizationWindow ?? 300_000,
  );
  const converted = convertDesiredReplicasWithRules(
    args.currentReplicas,
    stabilized.replicas,
    args.minReplicas,
    args.maxReplicas,
    args.scaleUpLimitFactor ?? SCALE_UP_LIMIT_FACTOR,
  );
  return {
    replicas: converted.replicas,
    stabilized: stabilized.replicas,
    ableToScaleReason:
      stabilized.replicas === args.desiredReplicas ? 'ReadyForNewScale' : 'ScaleDownStabilized',
    limitReason: converted.reason,
    limitMessage: converted.message,
    scalingLimited: converted.replicas !== stabilized.replicas,
    recommendations: stabilized.recommendations,
  };
}
