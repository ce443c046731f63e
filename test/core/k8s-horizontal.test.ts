// Kubernetes conformance: cases transcribed from the HPA controller's own tests and run through
// the exported pure functions (replica calculator → computeReplicasForMetrics →
// normalizeDesiredReplicas, or behaviorSchema for the API defaults).
//   - kubernetes/kubernetes pkg/controller/podautoscaler/horizontal_test.go (the stored version with
//     TestScaleUp … TestScaleDownPerPodCMExternal; scaleUpLimitFactor = 8 from that file's init()):
//     whole-controller cases, re-expressed by `pods`, `cpu` and `reconcile` below;
//   - kubernetes/kubernetes pkg/apis/autoscaling/v2beta2/defaults_test.go: TestGenerateScaleUpRules,
//     TestGenerateScaleDownRules (the defaulting of `behavior`; the scale-down window the API
//     leaves nil is the controller's 5-minute --horizontal-pod-autoscaler-downscale-stabilization).
// Each row is named `<TestName>` or `<TestName> / <case>`. The controller harness in
// horizontal_test.go gives every pod its request and usage as listed (one container's worth is
// enough: utilization is a ratio), a Ready condition whose last transition is the pod's start
// time, start time = the zero time unless `hot` (now) or `cool` (3 minutes ago), metric samples
// stamped now over a 1-minute window; tolerance 0.1, CPU initialization period 2 minutes,
// initial-readiness delay 10 s. A nil `recommendations` is seeded with the current size (so a first
// scale-down is stabilized), an empty one is not.
import { describe, expect, it } from 'vitest';
import { behaviorSchema } from '../../src/core/behavior.js';
import { recommendationLog } from '../../src/core/recommendations.js';
import {
  computeReplicasForMetrics,
  externalReplicas,
  type MetricOutcome,
  metricReplicas,
  normalizeDesiredReplicas,
  objectReplicas,
  type PodInfo,
  type PodMetrics,
  type PodPhase,
  perPodExternalReplicas,
  perPodObjectReplicas,
  type ReadinessTimings,
  resourceReplicas,
} from '../../src/core/replica-calculator.js';
import type { RecommendationRecord } from '../../src/core/types.js';

const NOW = 1_700_000_000_000;
const MINUTE = 60_000;
const TIMINGS: ReadinessTimings = {
  cpuInitializationPeriod: 2 * MINUTE,
  delayOfInitialReadinessStatus: 10_000,
};
const SCALE_UP_LIMIT_FACTOR = 8;

type Start = 'hot' | 'cool' | undefined;

interface PodSpec {
  readonly readiness?: readonly boolean[];
  readonly start?: readonly Start[];
  readonly phase?: readonly PodPhase[];
  readonly deletion?: readonly boolean[];
  /** Request per pod, milli-units. */
  readonly request?: number;
}

/** The harness's pod list: `count` pods named pod-0…, Running, Ready, started at the zero time. */
function pods(count: number, spec: PodSpec = {}): PodInfo[] {
  return Array.from({ length: count }, (_, i) => {
    const start = spec.start?.[i];
    const startTime = start === 'hot' ? NOW : start === 'cool' ? NOW - 3 * MINUTE : 0;
    return {
      name: `pod-${i}`,
      phase: spec.phase?.[i] ?? 'Running',
      ready: spec.readiness?.[i] ?? true,
      startTime,
      readyLastTransition: startTime,
      ...(spec.deletion?.[i] ? { deletionTimestamp: NOW } : {}),
      ...(spec.request === undefined ? {} : { requests: spec.request }),
    };
  });
}

/** Samples for pod-0… stamped now over one minute (the fake metrics server's window). */
function levels(values: readonly number[]): PodMetrics {
  return Object.fromEntries(
    values.map((value, i) => [`pod-${i}`, { value, timestamp: NOW, window: MINUTE }]),
  );
}

/** One metric's outcome, as computeReplicasForMetrics sees it: a proposal or the error. */
function outcome(
  compute: () => { replicas: number },
  reason: 'FailedGetResourceMetric' | 'FailedGetPodsMetric' = 'FailedGetResourceMetric',
): MetricOutcome {
  try {
    return { replicas: compute().replicas };
  } catch (error) {
    return { error: error as Error, reason };
  }
}

/** A metric of an unknown source type (`Type: "CheddarCheese"` in the tests). */
const cheddar: MetricOutcome = {
  error: 'invalid metric source type "CheddarCheese"',
  reason: 'InvalidMetricSourceType',
};

interface Reconciled {
  readonly replicas: number;
  readonly reason: string;
}

/** `reconcileAutoscaler` for an HPA without `behavior`, from the metric outcomes on. */
function reconcile(
  spec: number,
  min: number,
  max: number,
  outcomes: readonly MetricOutcome[],
  recommendations: readonly RecommendationRecord[] | null = null,
): Reconciled {
  const metrics = computeReplicasForMetrics(outcomes, spec);
  if (!metrics.valid) return { replicas: spec, reason: metrics.reason };
  const normalized = normalizeDesiredReplicas({
    currentReplicas: spec,
    desiredReplicas: metrics.replicas,
    minReplicas: min,
    maxReplicas: max,
    now: NOW,
    recommendations: recommendationLog(recommendations ?? [{ at: NOW, capacity: spec }]),
    scaleUpLimitFactor: SCALE_UP_LIMIT_FACTOR,
  });
  return {
    replicas: normalized.replicas,
    reason: normalized.scalingLimited ? normalized.limitReason : normalized.ableToScaleReason,
  };
}

const cpu = (current: number, target: number, values: readonly number[], podList: PodInfo[]) =>
  outcome(() =>
    resourceReplicas({
      currentReplicas: current,
      targetUtilization: target,
      resource: 'cpu',
      pods: podList,
      metrics: levels(values),
      now: NOW,
      timings: TIMINGS,
    }),
  );

const qps = (current: number, averageValue: number, values: readonly number[], podList: PodInfo[]) =>
  outcome(
    () =>
      metricReplicas({
        currentReplicas: current,
        targetAverageValue: averageValue,
        pods: podList,
        metrics: levels(values),
        now: NOW,
        timings: TIMINGS,
      }),
    'FailedGetPodsMetric',
  );

const REQ = 1000;
const none: readonly RecommendationRecord[] = [];

describe('K8s horizontal_test.go: whole-controller cases through the pure functions', () => {
  it.each([
    {
      name: 'TestScaleUp',
      run: () => reconcile(3, 2, 6, [cpu(3, 30, [300, 500, 700], pods(3, { request: REQ }))]),
      expected: 5,
    },
    {
      name: 'TestScaleUpUnreadyLessScale',
      run: () =>
        reconcile(3, 2, 6, [
          cpu(3, 30, [300, 500, 700], pods(3, { request: REQ, readiness: [false, true, true] })),
        ]),
      expected: 4,
    },
    {
      name: 'TestScaleUpHotCpuLessScale',
      run: () =>
        reconcile(3, 2, 6, [
          cpu(3, 30, [300, 500, 700], pods(3, { request: REQ, start: ['hot', 'cool', 'cool'] })),
        ]),
      expected: 4,
    },
    {
      name: 'TestScaleUpUnreadyNoScale',
      run: () =>
        reconcile(3, 2, 6, [
          cpu(3, 30, [400, 500, 700], pods(3, { request: REQ, readiness: [true, false, false] })),
        ]),
      expected: 3,
      reason: 'ReadyForNewScale',
    },
    {
      name: 'TestScaleUpHotCpuNoScale',
      run: () =>
        reconcile(3, 2, 6, [
          cpu(
            3,
            30,
            [400, 500, 700],
            pods(3, { request: REQ, readiness: [true, false, false], start: ['cool', 'hot', 'hot'] }),
          ),
        ]),
      expected: 3,
      reason: 'ReadyForNewScale',
    },
    {
      name: 'TestScaleUpIgnoresFailedPods',
      run: () =>
        reconcile(2, 2, 6, [
          cpu(
            2,
            30,
            [500, 700],
            pods(4, {
              request: REQ,
              readiness: [true, true, false, false],
              phase: ['Running', 'Running', 'Failed', 'Failed'],
            }),
          ),
        ]),
      expected: 4,
    },
    {
      name: 'TestScaleUpIgnoresDeletionPods',
      run: () =>
        reconcile(2, 2, 6, [
          cpu(
            2,
            30,
            [500, 700],
            pods(4, {
              request: REQ,
              readiness: [true, true, false, false],
              deletion: [false, false, true, true],
            }),
          ),
        ]),
      expected: 4,
    },
    {
      name: 'TestScaleUpCM',
      run: () => reconcile(3, 2, 6, [qps(3, 15_000, [20_000, 10_000, 30_000], pods(3))]),
      expected: 4,
    },
    {
      name: 'TestScaleUpCMUnreadyAndHotCpuNoLessScale',
      run: () =>
        reconcile(3, 2, 6, [
          qps(
            3,
            15_000,
            [50_000, 10_000, 30_000],
            pods(3, { readiness: [true, true, false], start: ['cool', 'cool', 'hot'] }),
          ),
        ]),
      expected: 6,
    },
    {
      name: 'TestScaleUpCMUnreadyandCpuHot',
      run: () =>
        reconcile(3, 2, 6, [
          qps(
            3,
            15_000,
            [50_000, 15_000, 30_000],
            pods(3, { readiness: [false, true, false], start: ['hot', 'cool', 'hot'] }),
          ),
        ]),
      expected: 6,
      reason: 'TooManyReplicas',
    },
    {
      name: 'TestScaleUpHotCpuNoScaleWouldScaleDown',
      run: () =>
        reconcile(3, 2, 6, [
          qps(3, 15_000, [50_000, 15_000, 30_000], pods(3, { start: ['hot', 'cool', 'hot'] })),
        ]),
      expected: 6,
      reason: 'TooManyReplicas',
    },
    {
      name: 'TestScaleUpCMObject',
      run: () =>
        reconcile(3, 2, 6, [
          outcome(() =>
            objectReplicas({ currentReplicas: 3, targetValue: 15_000, value: 20_000, pods: pods(3) }),
          ),
        ]),
      expected: 4,
    },
    {
      name: 'TestScaleUpFromZeroCMObject',
      run: () =>
        reconcile(0, 0, 6, [
          outcome(() => objectReplicas({ currentReplicas: 0, targetValue: 15_000, value: 20_000, pods: [] })),
        ]),
      expected: 2,
    },
    {
      name: 'TestScaleUpFromZeroIgnoresToleranceCMObject',
      run: () =>
        reconcile(0, 0, 6, [
          outcome(() => objectReplicas({ currentReplicas: 0, targetValue: 1000, value: 1000, pods: [] })),
        ]),
      expected: 1,
    },
    {
      name: 'TestScaleUpPerPodCMObject',
      run: () =>
        reconcile(3, 2, 6, [
          outcome(() =>
            perPodObjectReplicas({ statusReplicas: 3, targetAverageValue: 10_000, value: 40_000 }),
          ),
        ]),
      expected: 4,
    },
    {
      name: 'TestScaleUpCMExternal',
      run: () =>
        reconcile(3, 2, 6, [
          outcome(() =>
            externalReplicas({ currentReplicas: 3, targetValue: 6666, values: [8600], pods: pods(3) }),
          ),
        ]),
      expected: 4,
    },
    {
      name: 'TestScaleUpPerPodCMExternal',
      run: () =>
        reconcile(3, 2, 6, [
          outcome(() =>
            perPodExternalReplicas({ statusReplicas: 3, targetAverageValue: 2222, values: [8600] }),
          ),
        ]),
      expected: 4,
    },
    {
      name: 'TestScaleDown',
      run: () => reconcile(5, 2, 6, [cpu(5, 50, [100, 300, 500, 250, 250], pods(5, { request: REQ }))], none),
      expected: 3,
    },
    {
      name: 'TestScaleDownContainerResource',
      run: () => reconcile(5, 2, 6, [cpu(5, 50, [100, 300, 500, 250, 250], pods(5, { request: REQ }))], none),
      expected: 3,
    },
    {
      name: 'TestScaleUpOneMetricInvalid: an invalid metric never blocks a scale-up',
      run: () => reconcile(3, 2, 6, [cpu(3, 30, [300, 400, 500], pods(3, { request: REQ })), cheddar]),
      expected: 4,
    },
    {
      name: 'TestScaleUpFromZeroOneMetricInvalid',
      run: () => reconcile(0, 0, 6, [cpu(0, 30, [300, 400, 500], pods(3, { request: REQ })), cheddar], none),
      expected: 4,
    },
    {
      name: 'TestScaleUpBothMetricsEmpty: only an invalid metric → ScalingActive False, no change',
      run: () => reconcile(3, 2, 6, [cheddar]),
      expected: 3,
      reason: 'InvalidMetricSourceType',
    },
    {
      name: 'TestScaleDownStabilizeInitialSize: nil recommendations are seeded with the current size',
      run: () => reconcile(5, 2, 6, [cpu(5, 50, [100, 300, 500, 250, 250], pods(5, { request: REQ }))], null),
      expected: 5,
      reason: 'ScaleDownStabilized',
    },
    {
      name: 'TestScaleDownCM',
      run: () =>
        reconcile(5, 2, 6, [qps(5, 20_000, [12_000, 12_000, 12_000, 12_000, 12_000], pods(5))], none),
      expected: 3,
    },
    {
      name: 'TestScaleDownCMObject',
      run: () =>
        reconcile(
          5,
          2,
          6,
          [
            outcome(() =>
              objectReplicas({ currentReplicas: 5, targetValue: 20_000, value: 12_000, pods: pods(5) }),
            ),
          ],
          none,
        ),
      expected: 3,
    },
    {
      name: 'TestScaleDownToZeroCMObject',
      run: () =>
        reconcile(
          5,
          0,
          6,
          [
            outcome(() =>
              objectReplicas({ currentReplicas: 5, targetValue: 20_000, value: 0, pods: pods(5) }),
            ),
          ],
          none,
        ),
      expected: 0,
    },
    {
      name: 'TestScaleDownPerPodCMObject',
      run: () =>
        reconcile(
          5,
          2,
          6,
          [
            outcome(() =>
              perPodObjectReplicas({ statusReplicas: 5, targetAverageValue: 20_000, value: 60_000 }),
            ),
          ],
          none,
        ),
      expected: 3,
    },
    {
      name: 'TestScaleDownCMExternal',
      run: () =>
        reconcile(
          5,
          2,
          6,
          [
            outcome(() =>
              externalReplicas({ currentReplicas: 5, targetValue: 14_400, values: [8600], pods: pods(5) }),
            ),
          ],
          none,
        ),
      expected: 3,
    },
    {
      name: 'TestScaleDownToZeroCMExternal',
      run: () =>
        reconcile(
          5,
          0,
          6,
          [
            outcome(() =>
              externalReplicas({ currentReplicas: 5, targetValue: 14_400, values: [0], pods: pods(5) }),
            ),
          ],
          none,
        ),
      expected: 0,
    },
    {
      name: 'TestScaleDownPerPodCMExternal',
      run: () =>
        reconcile(
          5,
          2,
          6,
          [
            outcome(() =>
              perPodExternalReplicas({ statusReplicas: 5, targetAverageValue: 3000, values: [8600] }),
            ),
          ],
          none,
        ),
      expected: 3,
    },
  ])('$name → $expected', ({ run, expected, reason }) => {
    const result = run();
    expect(result.replicas).toBe(expected);
    if (reason !== undefined) expect(result.reason).toBe(reason);
  });
});

const S = 1000;
const pods_ = (value: number, periodSeconds: number) => ({
  type: 'units' as const,
  value,
  period: periodSeconds * S,
});
const percent = (value: number, periodSeconds: number) => ({
  type: 'percent' as const,
  value,
  period: periodSeconds * S,
});

describe('K8s defaults_test.go: TestGenerateScaleUpRules / TestGenerateScaleDownRules (behaviorSchema)', () => {
  it.each([
    {
      name: 'TestGenerateScaleDownRules / Default values',
      input: {},
      expected: { stabilizationWindow: 300 * S, selectPolicy: 'max', policies: [percent(100, 15)] },
    },
    {
      name: 'TestGenerateScaleDownRules / All parameters are specified',
      input: { stabilizationWindow: 25 * S, selectPolicy: 'max', policies: [pods_(1, 2), percent(3, 4)] },
      expected: { stabilizationWindow: 25 * S, selectPolicy: 'max', policies: [pods_(1, 2), percent(3, 4)] },
    },
    {
      name: 'TestGenerateScaleDownRules / Percent policy is specified',
      input: { selectPolicy: 'min', policies: [percent(1, 2)] },
      expected: { stabilizationWindow: 300 * S, selectPolicy: 'min', policies: [percent(1, 2)] },
    },
    {
      name: 'TestGenerateScaleDownRules / Pods policy is specified',
      input: { policies: [pods_(3, 4)] },
      expected: { stabilizationWindow: 300 * S, selectPolicy: 'max', policies: [pods_(3, 4)] },
    },
  ] as const)('$name', ({ input, expected }) => {
    expect(behaviorSchema.parse({ scaleDown: input }).scaleDown).toEqual(expected);
  });

  it.each([
    {
      name: 'TestGenerateScaleUpRules / Default values',
      input: {},
      expected: { stabilizationWindow: 0, selectPolicy: 'max', policies: [pods_(4, 15), percent(100, 15)] },
    },
    {
      name: 'TestGenerateScaleUpRules / All parameters are specified',
      input: { stabilizationWindow: 25 * S, selectPolicy: 'max', policies: [pods_(1, 2), percent(3, 4)] },
      expected: { stabilizationWindow: 25 * S, selectPolicy: 'max', policies: [pods_(1, 2), percent(3, 4)] },
    },
    {
      name: 'TestGenerateScaleUpRules / Pod policy is specified',
      input: { selectPolicy: 'min', policies: [pods_(1, 2)] },
      expected: { stabilizationWindow: 0, selectPolicy: 'min', policies: [pods_(1, 2)] },
    },
    {
      name: 'TestGenerateScaleUpRules / Percent policy is specified',
      input: { policies: [percent(7, 10)] },
      expected: { stabilizationWindow: 0, selectPolicy: 'max', policies: [percent(7, 10)] },
    },
    {
      name: 'TestGenerateScaleUpRules / Pod policy and stabilization window are specified',
      input: { stabilizationWindow: 25 * S, policies: [pods_(4, 2)] },
      expected: { stabilizationWindow: 25 * S, selectPolicy: 'max', policies: [pods_(4, 2)] },
    },
    {
      name: 'TestGenerateScaleUpRules / Percent policy and stabilization window are specified',
      input: { stabilizationWindow: 25 * S, policies: [percent(7, 60)] },
      expected: { stabilizationWindow: 25 * S, selectPolicy: 'max', policies: [percent(7, 60)] },
    },
  ] as const)('$name', ({ input, expected }) => {
    expect(behaviorSchema.parse({ scaleUp: input }).scaleUp).toEqual(expected);
  });
});
