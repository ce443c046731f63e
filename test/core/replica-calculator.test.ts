// Cases transcribed from Kubernetes' own unit tests (kubernetes/kubernetes,
// pkg/controller/podautoscaler):
//   - replica_calculator_test.go (commit 00067268967ec95a40035bd666374a1caf48dd1a):
//     TestReplicaCalc* and TestGroupPods
//   - horizontal_test.go (commit 003e86297d18a8538c9da3619871393f9703bf70):
//     TestConvertDesiredReplicasWithRules (scaleUpLimitFactor = 8, set in that file's init())
//   - horizontal_test.go (an older stored version, before behavior existed):
//     TestNormalizeDesiredReplicas, which exercises stabilizeRecommendation
// Each row is named `<TestName> / <case>`. Inputs and expectations are copied as numbers; the Go
// harness (runTest / prepareTestClientSet) is re-expressed by `buildPods` and `buildMetrics` below:
//   - every pod has 2 containers, each requesting `requests[i]` and using `levels[i]` milli-units,
//     so a pod's request and usage are twice the table value (numContainersPerPod = 2);
//   - readiness defaults to True, phase to Running, start time and Ready transition to the zero
//     time; `hot` = started now, `cool` = started 3 minutes ago;
//   - tolerance 0.1, CPU initialization period 2 minutes, initial-readiness delay 10 seconds.
import { describe, expect, it } from 'vitest';
import { recommendationLog, recommendationRecords } from '../../src/core/recommendations.js';
import {
  computeReplicasForMetrics,
  convertDesiredReplicasWithRules,
  externalReplicas,
  groupPods,
  isWithin,
  type MetricOutcome,
  metricReplicas,
  normalizeDesiredReplicas,
  objectReplicas,
  type PodInfo,
  type PodMetric,
  type PodMetrics,
  type PodPhase,
  perPodExternalReplicas,
  perPodObjectReplicas,
  type ReadinessTimings,
  resourceReplicas,
  stabilizeRecommendation,
} from '../../src/core/replica-calculator.js';
import type { RecommendationRecord } from '../../src/core/types.js';
import { CONVERT_CASES, NORMALIZE_CASES } from './fixtures/k8s-normalize-cases.js';

const NOW = 1_700_000_000_000;
const MINUTE = 60_000;
const SECOND = 1000;
const TIMINGS: ReadinessTimings = {
  cpuInitializationPeriod: 2 * MINUTE,
  delayOfInitialReadinessStatus: 10 * SECOND,
};
const TOLERANCES = { scaleDown: 0.1, scaleUp: 0.1 };
const CONTAINERS = 2;

type Start = 'hot' | 'cool';

interface PodSpec {
  readonly currentReplicas: number;
  readonly podReadiness?: readonly boolean[];
  readonly podStartTime?: readonly Start[];
  readonly podPhase?: readonly PodPhase[];
  readonly podDeletionTimestamp?: readonly boolean[];
  /** Per-container request, milli-units (resource cases only). */
  readonly requests?: readonly number[];
}

/** `prepareTestClientSet`: the pods the fake lister returns. */
function buildPods(spec: PodSpec): PodInfo[] {
  const count = Math.max(spec.currentReplicas, spec.podPhase?.length ?? 0);
  const pods: PodInfo[] = [];
  for (let i = 0; i < count; i++) {
    const start = spec.podStartTime?.[i];
    const request = spec.requests?.[i];
    pods.push({
      name: `test-pod-${i}`,
      phase: spec.podPhase?.[i] ?? 'Running',
      ready: spec.podReadiness?.[i] ?? true,
      readyLastTransition: 0,
      startTime: start === 'hot' ? NOW : start === 'cool' ? NOW - 3 * MINUTE : 0,
      ...(spec.podDeletionTimestamp?.[i] ? { deletionTimestamp: NOW } : {}),
      ...(request === undefined ? {} : { requests: Array.from({ length: CONTAINERS }, () => request) }),
    });
  }
  return pods;
}

/** `prepareTestMetricsClient` / `prepareTestCMClient`: one sample per level. */
function buildMetrics(
  levels: readonly number[],
  perContainer: boolean,
  podNames?: readonly string[],
): PodMetrics {
  const metrics: Record<string, PodMetric> = {};
  levels.forEach((level, i) => {
    metrics[podNames?.[i] ?? `test-pod-${i}`] = {
      value: perContainer ? level * CONTAINERS : level,
      timestamp: 0,
      window: MINUTE,
    };
  });
  return metrics;
}

const F = false;
const T = true;

describe('resourceReplicas (Utilization target) — replica_calculator_test.go', () => {
  it.each([
    {
      name: 'TestReplicaCalcScaleUp / scale up',
      currentReplicas: 3,
      requests: [1000, 1000, 1000],
      levels: [300, 500, 700],
      targetUtilization: 30,
      expectedReplicas: 5,
      expectedUtilization: 50,
      expectedValue: CONTAINERS * 500,
    },
    {
      name: 'TestReplicaCalcScaleUpUnreadyLessScale / unready pod counted as 0 on scale-up',
      currentReplicas: 3,
      podReadiness: [F, T, T],
      requests: [1000, 1000, 1000],
      levels: [300, 500, 700],
      targetUtilization: 30,
      expectedReplicas: 4,
      expectedUtilization: 60,
      expectedValue: CONTAINERS * 600,
    },
    {
      name: 'TestReplicaCalcScaleUpHotCpuLessScale / hot pod counted as 0 on scale-up',
      currentReplicas: 3,
      podStartTime: ['hot', 'cool', 'cool'] as Start[],
      requests: [1000, 1000, 1000],
      levels: [300, 500, 700],
      targetUtilization: 30,
      expectedReplicas: 4,
      expectedUtilization: 60,
      expectedValue: CONTAINERS * 600,
    },
    {
      name: 'TestReplicaCalcScaleUpUnreadyNoScale / unready pods keep it within tolerance',
      currentReplicas: 3,
      podReadiness: [T, F, F],
      requests: [1000, 1000, 1000],
      levels: [400, 500, 700],
      targetUtilization: 30,
      expectedReplicas: 3,
      expectedUtilization: 40,
      expectedValue: CONTAINERS * 400,
    },
    {
      name: 'TestReplicaCalcScaleHotCpuNoScale / hot unready pods keep it within tolerance',
      currentReplicas: 3,
      podReadiness: [T, F, F],
      podStartTime: ['cool', 'hot', 'hot'] as Start[],
      requests: [1000, 1000, 1000],
      levels: [400, 500, 700],
      targetUtilization: 30,
      expectedReplicas: 3,
      expectedUtilization: 40,
      expectedValue: CONTAINERS * 400,
    },
    {
      name: 'TestReplicaCalcScaleUpIgnoresFailedPods / failed pods ignored',
      currentReplicas: 2,
      podReadiness: [T, T, F, F],
      podPhase: ['Running', 'Running', 'Failed', 'Failed'] as PodPhase[],
      requests: [1000, 1000, 1000, 1000],
      levels: [500, 700],
      targetUtilization: 30,
      expectedReplicas: 4,
      expectedUtilization: 60,
      expectedValue: CONTAINERS * 600,
    },
    {
      name: 'TestReplicaCalcScaleUpIgnoresDeletionPods / terminating pods ignored',
      currentReplicas: 2,
      podReadiness: [T, T, F, F],
      podPhase: ['Running', 'Running', 'Running', 'Running'] as PodPhase[],
      podDeletionTimestamp: [F, F, T, T],
      requests: [1000, 1000, 1000, 1000],
      levels: [500, 700],
      targetUtilization: 30,
      expectedReplicas: 4,
      expectedUtilization: 60,
      expectedValue: CONTAINERS * 600,
    },
    {
      name: 'TestReplicaCalcScaleDown / scale down',
      currentReplicas: 5,
      requests: [1000, 1000, 1000, 1000, 1000],
      levels: [100, 300, 500, 250, 250],
      targetUtilization: 50,
      expectedReplicas: 3,
      expectedUtilization: 28,
      expectedValue: CONTAINERS * 280,
    },
    {
      name: 'TestReplicaCalcScaleDownIncludeUnreadyPods / unready pods left out on scale-down',
      currentReplicas: 5,
      podReadiness: [T, T, T, F, F],
      requests: [1000, 1000, 1000, 1000, 1000],
      levels: [100, 300, 500, 250, 250],
      targetUtilization: 50,
      expectedReplicas: 2,
      expectedUtilization: 30,
      expectedValue: CONTAINERS * 300,
    },
    {
      name: 'TestReplicaCalcScaleDownExcludeUnscheduledPods / pending pods left out',
      currentReplicas: 5,
      podReadiness: [T, F, F, F, F],
      podPhase: ['Running', 'Pending', 'Pending', 'Pending', 'Pending'] as PodPhase[],
      requests: [1000, 1000, 1000, 1000, 1000],
      levels: [100],
      targetUtilization: 50,
      expectedReplicas: 1,
      expectedUtilization: 10,
      expectedValue: CONTAINERS * 100,
    },
    {
      name: 'TestReplicaCalcScaleDownIgnoreHotCpuPods / hot pods left out on scale-down',
      currentReplicas: 5,
      podStartTime: ['cool', 'cool', 'cool', 'hot', 'hot'] as Start[],
      requests: [1000, 1000, 1000, 1000, 1000],
      levels: [100, 300, 500, 250, 250],
      targetUtilization: 50,
      expectedReplicas: 2,
      expectedUtilization: 30,
      expectedValue: CONTAINERS * 300,
    },
    {
      name: 'TestReplicaCalcScaleDownIgnoresFailedPods / failed pods ignored',
      currentReplicas: 5,
      podReadiness: [T, T, T, T, T, F, F],
      podPhase: ['Running', 'Running', 'Running', 'Running', 'Running', 'Failed', 'Failed'] as PodPhase[],
      requests: [1000, 1000, 1000, 1000, 1000, 1000, 1000],
      levels: [100, 300, 500, 250, 250],
      targetUtilization: 50,
      expectedReplicas: 3,
      expectedUtilization: 28,
      expectedValue: CONTAINERS * 280,
    },
    {
      name: 'TestReplicaCalcScaleDownIgnoresDeletionPods / terminating pods ignored',
      currentReplicas: 5,
      podReadiness: [T, T, T, T, T, F, F],
      podPhase: ['Running', 'Running', 'Running', 'Running', 'Running', 'Running', 'Running'] as PodPhase[],
      podDeletionTimestamp: [F, F, F, F, F, T, T],
      requests: [1000, 1000, 1000, 1000, 1000, 1000, 1000],
      levels: [100, 300, 500, 250, 250],
      targetUtilization: 50,
      expectedReplicas: 3,
      expectedUtilization: 28,
      expectedValue: CONTAINERS * 280,
    },
    {
      name: 'TestReplicaCalcTolerance / 102% of target stays put',
      currentReplicas: 3,
      requests: [900, 1000, 1100],
      levels: [1010, 1030, 1020],
      targetUtilization: 100,
      expectedReplicas: 3,
      expectedUtilization: 102,
      expectedValue: CONTAINERS * 1020,
    },
    {
      name: 'TestReplicaCalcSuperfluousMetrics / samples of unknown pods skipped',
      currentReplicas: 4,
      requests: [1000, 1000, 1000, 1000],
      levels: [4000, 9500, 3000, 7000, 3200, 2000],
      targetUtilization: 100,
      expectedReplicas: 24,
      expectedUtilization: 587,
      expectedValue: CONTAINERS * 5875,
    },
    {
      name: 'TestReplicaCalcMissingMetrics / missing pods at 100% on scale-down',
      currentReplicas: 4,
      requests: [1000, 1000, 1000, 1000],
      levels: [400, 95],
      targetUtilization: 100,
      expectedReplicas: 3,
      expectedUtilization: 24,
      expectedValue: 495,
    },
    {
      name: 'TestReplicaCalcMissingMetricsNoChangeEq / at target',
      currentReplicas: 2,
      requests: [1000, 1000],
      levels: [1000],
      targetUtilization: 100,
      expectedReplicas: 2,
      expectedUtilization: 100,
      expectedValue: CONTAINERS * 1000,
    },
    {
      name: 'TestReplicaCalcMissingMetricsNoChangeGt / missing pod at 0 keeps it within tolerance',
      currentReplicas: 2,
      requests: [1000, 1000],
      levels: [1900],
      targetUtilization: 100,
      expectedReplicas: 2,
      expectedUtilization: 190,
      expectedValue: CONTAINERS * 1900,
    },
    {
      name: 'TestReplicaCalcMissingMetricsNoChangeLt / missing pod at 100% flips direction',
      currentReplicas: 2,
      requests: [1000, 1000],
      levels: [600],
      targetUtilization: 100,
      expectedReplicas: 2,
      expectedUtilization: 60,
      expectedValue: CONTAINERS * 600,
    },
    {
      name: 'TestReplicaCalcMissingMetricsUnreadyChange / unready + missing, no change',
      currentReplicas: 3,
      podReadiness: [F, T, T],
      requests: [1000, 1000, 1000],
      levels: [100, 450],
      targetUtilization: 50,
      expectedReplicas: 3,
      expectedUtilization: 45,
      expectedValue: CONTAINERS * 450,
    },
    {
      name: 'TestReplicaCalcMissingMetricsHotCpuNoChange / hot + missing, no change',
      currentReplicas: 3,
      podStartTime: ['hot', 'cool', 'cool'] as Start[],
      requests: [1000, 1000, 1000],
      levels: [100, 450],
      targetUtilization: 50,
      expectedReplicas: 3,
      expectedUtilization: 45,
      expectedValue: CONTAINERS * 450,
    },
    {
      name: 'TestReplicaCalcMissingMetricsUnreadyScaleUp / unready + missing at 0 on scale-up',
      currentReplicas: 3,
      podReadiness: [F, T, T],
      requests: [1000, 1000, 1000],
      levels: [100, 2000],
      targetUtilization: 50,
      expectedReplicas: 4,
      expectedUtilization: 200,
      expectedValue: CONTAINERS * 2000,
    },
    {
      name: 'TestReplicaCalcMissingMetricsHotCpuScaleUp / hot unready + missing at 0 on scale-up',
      currentReplicas: 3,
      podReadiness: [F, T, T],
      podStartTime: ['hot', 'cool', 'cool'] as Start[],
      requests: [1000, 1000, 1000],
      levels: [100, 2000],
      targetUtilization: 50,
      expectedReplicas: 4,
      expectedUtilization: 200,
      expectedValue: CONTAINERS * 2000,
    },
    {
      name: 'TestReplicaCalcMissingMetricsUnreadyScaleDown / unready left out, missing at 100%',
      currentReplicas: 4,
      podReadiness: [F, T, T, T],
      requests: [1000, 1000, 1000, 1000],
      levels: [100, 100, 100],
      targetUtilization: 50,
      expectedReplicas: 3,
      expectedUtilization: 10,
      expectedValue: CONTAINERS * 100,
    },
    {
      name: 'TestReplicaCalcDuringRollingUpdateWithMaxSurge / surge pod without metrics holds',
      currentReplicas: 2,
      podPhase: ['Running', 'Running', 'Running'] as PodPhase[],
      requests: [1000, 1000, 1000],
      levels: [100, 100],
      targetUtilization: 50,
      expectedReplicas: 2,
      expectedUtilization: 10,
      expectedValue: CONTAINERS * 100,
    },
    // Target derived in Go as int32((1/(2*(1-0.1)) + .01) * 100) = 56; expected ceil(0.8840 * 10).
    {
      name: 'TestReplicaCalcComputedToleranceAlgImplementation / just outside tolerance scales down',
      currentReplicas: 10,
      requests: [400, 200, 310, 290, 302, 298, 301, 299, 300, 300],
      levels: [150, 150, 150, 150, 150, 150, 150, 150, 150, 150],
      targetUtilization: 56,
      expectedReplicas: 9,
      expectedUtilization: 50,
      expectedValue: CONTAINERS * 150,
    },
    // Target derived in Go as int32((1/(2*(1-0.1)) + .004) * 100) = 55.
    {
      name: 'TestReplicaCalcComputedToleranceAlgImplementation / just inside tolerance stays',
      currentReplicas: 10,
      requests: [400, 200, 310, 290, 302, 298, 301, 299, 300, 300],
      levels: [150, 150, 150, 150, 150, 150, 150, 150, 150, 150],
      targetUtilization: 55,
      expectedReplicas: 10,
      expectedUtilization: 50,
      expectedValue: CONTAINERS * 150,
    },
  ])('$name', (tc) => {
    const result = resourceReplicas({
      currentReplicas: tc.currentReplicas,
      pods: buildPods(tc),
      metrics: buildMetrics(tc.levels, true),
      now: NOW,
      tolerances: TOLERANCES,
      timings: TIMINGS,
      targetUtilization: tc.targetUtilization,
      resource: 'cpu',
    });
    expect(result).toEqual({
      replicas: tc.expectedReplicas,
      usage: tc.expectedUtilization,
      rawAverageValue: tc.expectedValue,
      timestamp: 0,
    });
  });

  it.each([
    {
      name: 'TestReplicaCalcDisjointResourcesMetrics / samples only for unknown pods',
      currentReplicas: 1,
      requests: [1000],
      levels: [100],
      podNames: ['an-older-pod-name'],
      error: 'no metrics returned matched known pods',
    },
    {
      name: 'TestReplicaCalcEmptyMetrics / no samples at all',
      currentReplicas: 4,
      requests: [1000, 1000, 1000],
      levels: [],
      error: 'unable to get metrics for resource cpu: no metrics returned from resource metrics API',
    },
    {
      name: 'TestReplicaCalcEmptyCPURequest / pod without a request',
      currentReplicas: 1,
      requests: [],
      levels: [200],
      error: 'missing request for',
    },
  ])('$name', (tc) => {
    expect(() =>
      resourceReplicas({
        currentReplicas: tc.currentReplicas,
        pods: buildPods(tc),
        metrics: buildMetrics(tc.levels, true, tc.podNames),
        now: NOW,
        tolerances: TOLERANCES,
        timings: TIMINGS,
        targetUtilization: 100,
        resource: 'cpu',
      }),
    ).toThrow(tc.error);
  });
});

describe('metricReplicas (Pods metric, AverageValue) — replica_calculator_test.go', () => {
  it.each([
    {
      name: 'TestReplicaCalcScaleUpCM / scale up',
      currentReplicas: 3,
      levels: [20000, 10000, 30000],
      target: 15000,
      expectedReplicas: 4,
      expectedUtilization: 20000,
    },
    {
      name: 'TestReplicaCalcScaleUpCMUnreadyHotCpuNoLessScale / readiness ignored for custom metrics',
      currentReplicas: 3,
      podReadiness: [T, T, F],
      podStartTime: ['cool', 'cool', 'hot'] as Start[],
      levels: [50000, 10000, 30000],
      target: 15000,
      expectedReplicas: 6,
      expectedUtilization: 30000,
    },
    {
      name: 'TestReplicaCalcScaleUpCMUnreadyHotCpuScaleWouldScaleDown / readiness ignored for custom metrics',
      currentReplicas: 3,
      podReadiness: [F, T, F],
      podStartTime: ['hot', 'cool', 'hot'] as Start[],
      levels: [50000, 15000, 30000],
      target: 15000,
      expectedReplicas: 7,
      expectedUtilization: 31666,
    },
    // The Go test declares these two as podMetric despite the name; transcribed as declared.
    {
      name: 'TestReplicaCalcScaleUpCMExternal / one pod (declared as podMetric)',
      currentReplicas: 1,
      levels: [8600],
      target: 4400,
      expectedReplicas: 2,
      expectedUtilization: 8600,
    },
    {
      name: 'TestReplicaCalcScaleUpCMExternalNoLabels / one pod (declared as podMetric)',
      currentReplicas: 1,
      levels: [8600],
      target: 4400,
      expectedReplicas: 2,
      expectedUtilization: 8600,
    },
    {
      name: 'TestReplicaCalcScaleDownCM / scale down',
      currentReplicas: 5,
      levels: [12000, 12000, 12000, 12000, 12000],
      target: 20000,
      expectedReplicas: 3,
      expectedUtilization: 12000,
    },
    {
      name: 'TestReplicaCalcToleranceCM / within tolerance',
      currentReplicas: 3,
      levels: [20000, 21000, 21000],
      target: 20000,
      expectedReplicas: 3,
      expectedUtilization: 20666,
    },
  ])('$name', (tc) => {
    const result = metricReplicas({
      currentReplicas: tc.currentReplicas,
      pods: buildPods(tc),
      metrics: buildMetrics(tc.levels, false),
      now: NOW,
      tolerances: TOLERANCES,
      timings: TIMINGS,
      targetAverageValue: tc.target,
    });
    expect(result).toEqual({ replicas: tc.expectedReplicas, usage: tc.expectedUtilization, timestamp: 0 });
  });
});

describe('objectReplicas / externalReplicas (Value target) — replica_calculator_test.go', () => {
  it.each([
    {
      name: 'TestReplicaCalcScaleUpCMObject / scale up',
      kind: 'object',
      currentReplicas: 3,
      levels: [20000],
      target: 15000,
      expectedReplicas: 4,
      expectedUtilization: 20000,
    },
    {
      name: 'TestReplicaCalcScaleUpCMObjectIgnoresUnreadyPods / base is Running+Ready pods',
      kind: 'object',
      currentReplicas: 3,
      podReadiness: [F, T, F],
      levels: [50000],
      target: 10000,
      expectedReplicas: 5,
      expectedUtilization: 50000,
    },
    {
      name: 'TestReplicaCalcScaleDownCMObject / scale down',
      kind: 'object',
      currentReplicas: 5,
      levels: [12000],
      target: 20000,
      expectedReplicas: 3,
      expectedUtilization: 12000,
    },
    {
      name: 'TestReplicaCalcToleranceCMObject / within tolerance',
      kind: 'object',
      currentReplicas: 3,
      levels: [20666],
      target: 20000,
      expectedReplicas: 3,
      expectedUtilization: 20666,
    },
    {
      name: 'TestReplicaCalcScaleUpCMExternalIgnoresUnreadyPods / base is Running+Ready pods',
      kind: 'external',
      currentReplicas: 3,
      podReadiness: [F, T, F],
      levels: [8600],
      target: 4400,
      expectedReplicas: 2,
      expectedUtilization: 8600,
    },
    {
      name: 'TestReplicaCalcScaleDownCMExternal / scale down',
      kind: 'external',
      currentReplicas: 5,
      levels: [8600],
      target: 14334,
      expectedReplicas: 3,
      expectedUtilization: 8600,
    },
    {
      name: 'TestReplicaCalcToleranceCMExternal / within tolerance',
      kind: 'external',
      currentReplicas: 3,
      levels: [8600],
      target: 8888,
      expectedReplicas: 3,
      expectedUtilization: 8600,
    },
  ])('$name', (tc) => {
    const common = {
      currentReplicas: tc.currentReplicas,
      targetValue: tc.target,
      pods: buildPods(tc),
      tolerances: TOLERANCES,
    };
    const result =
      tc.kind === 'object'
        ? objectReplicas({ ...common, value: tc.levels[0] as number })
        : externalReplicas({ ...common, values: tc.levels });
    expect(result).toEqual({ replicas: tc.expectedReplicas, usage: tc.expectedUtilization });
  });
});

describe('perPodObjectReplicas / perPodExternalReplicas (AverageValue) — replica_calculator_test.go', () => {
  it.each([
    {
      name: 'TestReplicaCalcScaleUpCMPerPodObject / scale up',
      kind: 'object',
      currentReplicas: 3,
      levels: [20000],
      target: 5000,
      expectedReplicas: 4,
      expectedUtilization: 6667,
    },
    {
      name: 'TestReplicaCalcScaleDownPerPodCMObject / scale down',
      kind: 'object',
      currentReplicas: 5,
      levels: [6000],
      target: 2000,
      expectedReplicas: 3,
      expectedUtilization: 1200,
    },
    {
      name: 'TestReplicaCalcTolerancePerPodCMObject / within tolerance',
      kind: 'object',
      currentReplicas: 4,
      levels: [20166],
      target: 5000,
      expectedReplicas: 4,
      expectedUtilization: 5042,
    },
    {
      name: 'TestReplicaCalcScaleUpPerPodCMExternal / scale up',
      kind: 'external',
      currentReplicas: 3,
      levels: [8600],
      target: 2150,
      expectedReplicas: 4,
      expectedUtilization: 2867,
    },
    {
      name: 'TestReplicaCalcScaleDownPerPodCMExternal / scale down',
      kind: 'external',
      currentReplicas: 5,
      levels: [8600],
      target: 2867,
      expectedReplicas: 3,
      expectedUtilization: 1720,
    },
    {
      name: 'TestReplicaCalcTolerancePerPodCMExternal / within tolerance',
      kind: 'external',
      currentReplicas: 3,
      levels: [8600],
      target: 2900,
      expectedReplicas: 3,
      expectedUtilization: 2867,
    },
  ])('$name', (tc) => {
    // runTest passes tc.currentReplicas as the status replica count.
    const common = {
      statusReplicas: tc.currentReplicas,
      targetAverageValue: tc.target,
      tolerances: TOLERANCES,
    };
    const result =
      tc.kind === 'object'
        ? perPodObjectReplicas({ ...common, value: tc.levels[0] as number })
        : perPodExternalReplicas({ ...common, values: tc.levels });
    expect(result).toEqual({ replicas: tc.expectedReplicas, usage: tc.expectedUtilization });
  });
});

describe('groupPods — replica_calculator_test.go TestGroupPods', () => {
  // The stored test predates the unready/ignored split: its `expectIgnoredPods` is what
  // groupPods now returns as `unreadyPods` (Pending and not-ready CPU pods).
  const pod = (
    name: string,
    extra: { start?: number; ready?: boolean; transition?: number } = {},
  ): PodInfo => ({
    name,
    phase: 'Succeeded',
    ready: extra.ready,
    ...(extra.start === undefined ? {} : { startTime: NOW + extra.start }),
    ...(extra.transition === undefined ? {} : { readyLastTransition: NOW + extra.transition }),
  });
  const sample = (timestamp?: number, window?: number): PodMetric => ({
    value: 1,
    ...(timestamp === undefined ? {} : { timestamp: NOW + timestamp }),
    ...(window === undefined ? {} : { window }),
  });
  it.each([
    {
      name: 'TestGroupPods / void',
      pods: [],
      metrics: {},
      resource: 'cpu',
      ready: 0,
      unready: [],
      missing: [],
    },
    {
      name: 'TestGroupPods / count in a ready pod - memory',
      pods: [pod('bentham')],
      metrics: { bentham: sample(0, MINUTE) },
      resource: 'memory',
      ready: 1,
      unready: [],
      missing: [],
    },
    {
      name: 'TestGroupPods / ignore a pod without ready condition - CPU',
      pods: [pod('lucretius', { start: 0 })],
      metrics: { lucretius: sample() },
      resource: 'cpu',
      ready: 0,
      unready: ['lucretius'],
      missing: [],
    },
    {
      name: 'TestGroupPods / count in a ready pod with fresh metrics during initialization period - CPU',
      pods: [pod('bentham', { start: -MINUTE, ready: true, transition: -30 * SECOND })],
      metrics: { bentham: sample(0, 30 * SECOND) },
      resource: 'cpu',
      ready: 1,
      unready: [],
      missing: [],
    },
    {
      name: 'TestGroupPods / ignore a ready pod without fresh metrics during initialization period - CPU',
      pods: [pod('bentham', { start: -MINUTE, ready: true, transition: -30 * SECOND })],
      metrics: { bentham: sample(0, 60 * SECOND) },
      resource: 'cpu',
      ready: 0,
      unready: ['bentham'],
      missing: [],
    },
    {
      name: 'TestGroupPods / ignore an unready pod during initialization period - CPU',
      pods: [pod('lucretius', { start: -10 * MINUTE, ready: false, transition: -9 * MINUTE - 54 * SECOND })],
      metrics: { lucretius: sample() },
      resource: 'cpu',
      ready: 0,
      unready: ['lucretius'],
      missing: [],
    },
    {
      name: 'TestGroupPods / count in a ready pod without fresh metrics after initialization period - CPU',
      pods: [pod('bentham', { start: -3 * MINUTE, ready: true, transition: -3 * MINUTE })],
      metrics: { bentham: sample(-2 * MINUTE, MINUTE) },
      resource: 'cpu',
      ready: 1,
      unready: [],
      missing: [],
    },
    {
      name: 'TestGroupPods / count in an unready pod that was ready after initialization period - CPU',
      pods: [pod('lucretius', { start: -10 * MINUTE, ready: false, transition: -9 * MINUTE })],
      metrics: { lucretius: sample() },
      resource: 'cpu',
      ready: 1,
      unready: [],
      missing: [],
    },
    {
      name: 'TestGroupPods / ignore pod that has never been ready after initialization period - CPU',
      pods: [pod('lucretius', { start: -10 * MINUTE, ready: false, transition: -9 * MINUTE - 50 * SECOND })],
      metrics: { lucretius: sample() },
      resource: 'cpu',
      ready: 1,
      unready: [],
      missing: [],
    },
    {
      name: 'TestGroupPods / a missing pod',
      pods: [pod('epicurus', { start: -3 * MINUTE })],
      metrics: {},
      resource: 'cpu',
      ready: 0,
      unready: [],
      missing: ['epicurus'],
    },
    {
      name: 'TestGroupPods / several pods',
      pods: [
        pod('lucretius', { start: 0 }),
        pod('niccolo', { start: -3 * MINUTE, ready: true, transition: -3 * MINUTE }),
        pod('epicurus', { start: -3 * MINUTE }),
      ],
      metrics: { lucretius: sample(), niccolo: sample() },
      resource: 'cpu',
      ready: 1,
      unready: ['lucretius'],
      missing: ['epicurus'],
    },
    {
      name: 'TestGroupPods / pending pods are ignored',
      pods: [{ name: 'unscheduled', phase: 'Pending', ready: undefined } satisfies PodInfo],
      metrics: {},
      resource: 'cpu',
      ready: 0,
      unready: ['unscheduled'],
      missing: [],
    },
  ])('$name', (tc) => {
    const groups = groupPods(tc.pods, tc.metrics, tc.resource, NOW, TIMINGS);
    expect(groups.readyPodCount).toBe(tc.ready);
    expect(groups.unreadyPods).toEqual(new Set(tc.unready));
    expect(groups.missingPods).toEqual(new Set(tc.missing));
    expect(groups.ignoredPods).toEqual(new Set());
  });
});

describe('convertDesiredReplicasWithRules — horizontal_test.go (scaleUpLimitFactor = 8)', () => {
  it.each(CONVERT_CASES)('$name', (tc) => {
    const result = convertDesiredReplicasWithRules(tc.current, tc.desired, tc.min, tc.max, 8);
    expect([result.replicas, result.reason]).toEqual([tc.expected, tc.condition]);
  });
});

describe('stabilizeRecommendation — horizontal_test.go TestNormalizeDesiredReplicas (5-minute window)', () => {
  it.each(NORMALIZE_CASES)('$name', (tc) => {
    const recs: RecommendationRecord[] = tc.recs.map(([capacity, ago]) => ({ at: NOW - ago, capacity }));
    const result = stabilizeRecommendation(tc.desired, recommendationLog(recs), NOW, 5 * MINUTE);
    const records = recommendationRecords(result.recommendations);
    expect(result.replicas).toBe(tc.expected);
    expect(records).toHaveLength(tc.logLength);
    expect(records).toContainEqual({ at: NOW, capacity: tc.desired });
  });
});

// The rows below are not transcribed; they pin reference rules the Kubernetes tests above do not.
describe('tideway checks of k8s-hpa.md rules', () => {
  it.each([
    { name: 'isWithin / lower bound is inclusive', ratio: 0.9, tolerances: TOLERANCES, within: true },
    { name: 'isWithin / upper bound is inclusive', ratio: 1.1, tolerances: TOLERANCES, within: true },
    { name: 'isWithin / just above', ratio: 1.1000001, tolerances: TOLERANCES, within: false },
    {
      name: 'isWithin / asymmetric 0.34 scales down 0.65',
      ratio: 0.65,
      tolerances: { scaleDown: 0.34, scaleUp: 0.1 },
      within: false,
    },
    {
      name: 'isWithin / asymmetric 0.36 holds 0.65',
      ratio: 0.65,
      tolerances: { scaleDown: 0.36, scaleUp: 0.1 },
      within: true,
    },
  ])('$name', (tc) => {
    expect(isWithin(tc.ratio, tc.tolerances)).toBe(tc.within);
  });

  it.each([
    {
      name: 'computeReplicasForMetrics / max of valid proposals',
      outcomes: [{ replicas: 3 }, { replicas: 7, metric: 'qps' }, { replicas: 5 }] as MetricOutcome[],
      spec: 4,
      expected: { valid: true, replicas: 7, reason: 'ValidMetricFound', metric: 'qps' },
    },
    {
      name: 'computeReplicasForMetrics / an invalid metric blocks a scale-down (TestNoScaleDownOneMetricInvalid)',
      outcomes: [{ replicas: 3 }, { error: 'unknown', reason: 'InvalidMetricSourceType' }] as MetricOutcome[],
      spec: 5,
      expected: { valid: false, reason: 'InvalidMetricSourceType' },
    },
    {
      name: 'computeReplicasForMetrics / an invalid metric does not block a scale-up (TestScaleUpOneMetricEmpty)',
      outcomes: [{ replicas: 4 }, { error: 'boom', reason: 'FailedGetExternalMetric' }] as MetricOutcome[],
      spec: 3,
      expected: { valid: true, replicas: 4, reason: 'ValidMetricFound' },
    },
    {
      name: 'computeReplicasForMetrics / all invalid reports the first failure',
      outcomes: [
        { error: 'a', reason: 'FailedGetPodsMetric' },
        { error: 'b', reason: 'FailedGetObjectMetric' },
      ] as MetricOutcome[],
      spec: 3,
      expected: { valid: false, reason: 'FailedGetPodsMetric' },
    },
    {
      name: 'computeReplicasForMetrics / a first proposal of 0 is replaced',
      outcomes: [{ replicas: 0 }, { replicas: 2 }] as MetricOutcome[],
      spec: 2,
      expected: { valid: true, replicas: 2, reason: 'ValidMetricFound' },
    },
  ])('$name', (tc) => {
    expect(computeReplicasForMetrics(tc.outcomes, tc.spec)).toMatchObject(tc.expected);
  });

  it('objectReplicas / scale-from-zero skips tolerance: usage 1000, target 1000 → 1', () => {
    expect(objectReplicas({ currentReplicas: 0, targetValue: 1000, value: 1000, pods: [] }).replicas).toBe(1);
  });

  it('resourceReplicas / missing pods assume max(100, target)% on scale-down', () => {
    // 1 of 2 pods reports 10% of a 150% target; the missing pod is assumed at 150%:
    // (100 + 1500) / 2000 = 80% → 80 / 150 = 0.533 → ceil(0.533 × 2) = 2 (a 100% fallback gives 1).
    const pods = buildPods({ currentReplicas: 2, requests: [500, 500] });
    const result = resourceReplicas({
      currentReplicas: 2,
      pods,
      metrics: { 'test-pod-0': { value: 100 } },
      now: NOW,
      timings: TIMINGS,
      targetUtilization: 150,
      resource: 'cpu',
    });
    expect(result).toEqual({ replicas: 2, usage: 10, rawAverageValue: 100 });
  });

  it('normalizeDesiredReplicas / stabilized scale-down reports ScaleDownStabilized', () => {
    const result = normalizeDesiredReplicas({
      currentReplicas: 4,
      desiredReplicas: 2,
      minReplicas: 1,
      maxReplicas: 10,
      now: NOW,
      recommendations: [NOW - MINUTE, 4],
    });
    expect(result).toMatchObject({
      replicas: 4,
      stabilized: 4,
      ableToScaleReason: 'ScaleDownStabilized',
      limitReason: 'DesiredWithinRange',
      scalingLimited: false,
    });
  });

  it('normalizeDesiredReplicas / default factor 2 limits 3 → 6 with ScaleUpLimit', () => {
    const result = normalizeDesiredReplicas({
      currentReplicas: 3,
      desiredReplicas: 20,
      minReplicas: 1,
      maxReplicas: 100,
      now: NOW,
      recommendations: [],
    });
    expect(result).toMatchObject({ replicas: 6, limitReason: 'ScaleUpLimit', scalingLimited: true });
  });
});
