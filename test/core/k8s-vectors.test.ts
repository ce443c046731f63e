// Peer vectors for the Kubernetes HPA (/work/shared/reference/peer-vectors.json, system
// `kubernetes-hpa`), each row named by the vector id and citing its source_url. The numbers in
// the vectors are copied here, since tests never read ../shared.
import { describe, expect, it } from 'vitest';
import { behaviorSchema, limitRate } from '../../src/core/behavior.js';
import {
  computeReplicasForMetrics,
  DEFAULT_TOLERANCES,
  type MetricOutcome,
} from '../../src/core/replica-calculator.js';
import type { Observation, Proposal } from '../../src/core/types.js';
import type { UnitInfo } from '../../src/ports/controller.js';
import {
  proposeTargetTracking,
  type TargetTrackingRuleInput,
  targetTrackingRuleSchema,
} from '../../src/rules/target-tracking.js';

const HPA_DOC = 'https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/';
const NOW = 1_700_000_000_000;
const MI = 1024 * 1024;

const rule = (over: Omit<TargetTrackingRuleInput, 'kind'>) =>
  targetTrackingRuleSchema.parse({ kind: 'target-tracking', perUnit: true, ...over });

/** Every unit in service for an hour; `values` by unit id, one sample each, 1 s old. */
function observe(metric: string, values: Record<string, number | undefined>, capacity: number): Observation {
  const units: UnitInfo[] = Object.keys(values).map((id) => ({
    id,
    state: 'in-service',
    launchedAt: NOW - 3_600_000,
    readyAt: NOW - 3_500_000,
  }));
  const perUnit: Record<string, { timestamp: number; value: number }[]> = {};
  let total = 0;
  for (const [id, value] of Object.entries(values)) {
    if (value === undefined) continue;
    perUnit[id] = [{ timestamp: NOW - 1000, value }];
    total += value;
  }
  return {
    now: NOW,
    capacity,
    readyCapacity: capacity,
    units,
    metrics: { [metric]: { status: 'ok', samples: [{ timestamp: NOW - 1000, value: total }], perUnit } },
  };
}

const toOutcome = (p: Proposal): MetricOutcome =>
  p.outcome === 'propose' ? { replicas: p.capacity as number, metric: p.rule } : { error: p.message };

describe(`kubernetes-hpa peer vectors (${HPA_DOC})`, () => {
  it.each([
    // currentMetric 200m against 100m doubles the replicas; 50m halves them.
    { name: 'hpa-ratio-double', value: 0.2, units: 3, expected: 6 },
    { name: 'hpa-ratio-halve', value: 0.05, units: 4, expected: 2 },
  ])('$name: desired = ceil(current × currentMetric / targetMetric)', ({ value, units, expected }) => {
    const values = Object.fromEntries(Array.from({ length: units }, (_, i) => [`u${i}`, value]));
    const p = proposeTargetTracking(
      rule({ metric: 'm', targetPerUnit: 0.1 }),
      0,
      observe('m', values, units),
    );
    expect(p.capacity).toBe(expected);
    expect(p.details?.ratio).toBe(value / 0.1);
  });

  it.each([
    {
      name: 'hpa-tolerance-default: ratio 1.1 is within the default 0.1',
      value: 1.1,
      expected: 4,
      reason: 'WithinTolerance',
    },
    {
      name: 'hpa-tolerance-default: ratio 0.9 is within the default 0.1',
      value: 0.9,
      expected: 4,
      reason: 'WithinTolerance',
    },
    {
      name: 'hpa-tolerance-default: ratio 1.11 is outside, scale up',
      value: 1.11,
      expected: 5,
      reason: 'AboveTarget',
    },
    {
      name: 'hpa-tolerance-default: ratio 0.89 is outside (ceil(3.56) keeps 4)',
      value: 0.89,
      expected: 4,
      reason: 'BelowTarget',
    },
    {
      name: 'hpa-tolerance-default: ratio 0.7 is outside, scale down',
      value: 0.7,
      expected: 3,
      reason: 'BelowTarget',
    },
  ])('$name', ({ value, expected, reason }) => {
    const values = { a: value, b: value, c: value, d: value };
    const r = rule({ metric: 'm', targetPerUnit: 1 });
    expect(r.tolerance).toEqual(DEFAULT_TOLERANCES);
    const p = proposeTargetTracking(r, 0, observe('m', values, 4));
    expect(p.capacity).toBe(expected);
    expect(p.reason).toBe(reason);
  });

  it.each([
    // target 100Mi with behavior.scaleUp.tolerance 0.05: scale up only above 105Mi; scale-down keeps 10 %.
    { name: 'hpa-tolerance-per-direction: 105Mi holds', mi: 105, expected: 2, reason: 'WithinTolerance' },
    { name: 'hpa-tolerance-per-direction: 106Mi scales up', mi: 106, expected: 3, reason: 'AboveTarget' },
    {
      name: 'hpa-tolerance-per-direction: 90Mi holds (10 % down)',
      mi: 90,
      expected: 2,
      reason: 'WithinTolerance',
    },
    {
      name: 'hpa-tolerance-per-direction: 89Mi is outside the 10 % (ceil(1.78) keeps 2)',
      mi: 89,
      expected: 2,
      reason: 'BelowTarget',
    },
  ])('$name', ({ mi, expected, reason }) => {
    const r = rule({ metric: 'memory', targetPerUnit: 100 * MI, tolerance: { scaleUp: 0.05 } });
    const p = proposeTargetTracking(r, 0, observe('memory', { a: mi * MI, b: mi * MI }, 2));
    expect(p.capacity).toBe(expected);
    expect(p.reason).toBe(reason);
  });

  it('hpa-defaults: an unset behavior gets the documented defaults', () => {
    expect(behaviorSchema.parse({})).toEqual({
      scaleDown: {
        stabilizationWindow: 300_000,
        selectPolicy: 'max',
        policies: [{ type: 'percent', value: 100, period: 15_000 }],
      },
      scaleUp: {
        stabilizationWindow: 0,
        selectPolicy: 'max',
        policies: [
          { type: 'units', value: 4, period: 15_000 },
          { type: 'percent', value: 100, period: 15_000 },
        ],
      },
    });
  });

  describe('hpa-scale-down-policies: Pods 4 / 60 s and Percent 10 / 60 s, 80 → 10', () => {
    const behavior = behaviorSchema.parse({
      scaleDown: {
        stabilizationWindow: 0,
        policies: [
          { type: 'units', value: 4, period: '60s' },
          { type: 'percent', value: 10, period: '60s' },
        ],
      },
    });
    const step = (current: number) =>
      limitRate({ current, desired: 10, min: 1, max: 100, now: NOW, behavior, events: { up: [], down: [] } });
    it.each([
      { name: 'first step removes 8 (10 % of 80)', current: 80, expected: 72 },
      { name: 'second step: 10 % of 72 = 7.2, rounded up to 8 removed', current: 72, expected: 64 },
      { name: 'below 40 replicas the Pods policy removes 4 (the larger change)', current: 30, expected: 26 },
    ])('$name', ({ current, expected }) => {
      const result = step(current);
      expect(result.capacity).toBe(expected);
      expect(result.reason).toBe('ScaleDownLimit');
    });
  });

  describe('hpa-missing-metrics: missing units at 100 % on a scale-down, 0 on a scale-up', () => {
    // K8s TestReplicaCalcMissingMetrics: samples for 2 of 4 units (0.4 and 0.095 cores of 1),
    // target 100 %: first pass 24 % → scale down; the missing units at 100 % give 62 % → 3.
    it('scale-down: missing units are assumed at their request, so 4 → 3, not 1', () => {
      const r = rule({ metric: 'cpu', targetUtilization: 100, request: 1 });
      const p = proposeTargetTracking(
        r,
        0,
        observe('cpu', { a: 0.4, b: 0.095, c: undefined, d: undefined }, 4),
      );
      expect(p.capacity).toBe(3);
      expect(p.details).toMatchObject({ value: 24, readyUnits: 2, missingUnits: 2 });
    });
    // K8s TestReplicaCalcMissingMetricsNoChangeGt: one of 2 units at 190 %; the missing one at 0
    // gives 95 %, within tolerance, so no change.
    it('scale-up: a missing unit at 0 % pulls the ratio into tolerance, so nothing changes', () => {
      const r = rule({ metric: 'cpu', targetUtilization: 100, request: 1 });
      const p = proposeTargetTracking(r, 0, observe('cpu', { a: 1.9, b: undefined }, 2));
      expect(p.capacity).toBe(2);
      expect(p.reason).toBe('AboveTarget');
    });
    it('not-yet-ready units count as 0 % on a scale-up (K8s TestScaleUpUnreadyLessScale: 3 → 4, not 5)', () => {
      const r = rule({ metric: 'cpu', targetUtilization: 30, request: 1, startup: {} });
      const obs = observe('cpu', { a: 0.3, b: 0.5, c: 0.7 }, 3);
      const units = (obs.units as UnitInfo[]).map((u, i) =>
        i === 0 ? { id: u.id, state: 'warming' as const, launchedAt: NOW - 3_600_000 } : u,
      );
      const p = proposeTargetTracking(r, 0, { ...obs, units });
      expect(p.capacity).toBe(4);
      expect(p.details).toMatchObject({ readyUnits: 2, unreadyUnits: 1 });
    });
    it('direction flip: unready units at 0 would turn a scale-up into a scale-down, so no change', () => {
      // K8s TestScaleUpUnreadyNoScale: 40 % on the one ready unit, 13 % counting the two unready.
      const r = rule({ metric: 'cpu', targetUtilization: 30, request: 1, startup: {} });
      const obs = observe('cpu', { a: 0.4, b: 0.5, c: 0.7 }, 3);
      const units = (obs.units as UnitInfo[]).map((u, i) =>
        i === 0 ? u : { id: u.id, state: 'warming' as const, launchedAt: NOW - 3_600_000 },
      );
      expect(proposeTargetTracking(r, 0, { ...obs, units }).capacity).toBe(3);
    });
  });

  describe('hpa-multi-metric: the largest proposal; a failed metric blocks only a scale-down', () => {
    const cpu = rule({ metric: 'cpu', targetUtilization: 50, request: 1 });
    const qps = rule({ metric: 'qps', targetPerUnit: 10 });
    const run = (cpuValue: number, qpsObserved: boolean) => {
      const base = observe('cpu', { a: cpuValue, b: cpuValue, c: cpuValue, d: cpuValue }, 4);
      const obs: Observation = {
        ...base,
        metrics: {
          ...base.metrics,
          qps: qpsObserved
            ? {
                status: 'ok',
                samples: [{ timestamp: NOW - 1000, value: 40 }],
                perUnit: Object.fromEntries(
                  ['a', 'b', 'c', 'd'].map((id) => [id, [{ timestamp: NOW - 1000, value: 10 }]]),
                ),
              }
            : { status: 'failed', samples: [], error: 'timeout' },
        },
      };
      return computeReplicasForMetrics(
        [proposeTargetTracking(cpu, 0, obs), proposeTargetTracking(qps, 1, obs)].map(toOutcome),
        4,
      );
    };
    it('both valid: the largest wins (cpu 100 % → 8 over qps at target → 4)', () => {
      expect(run(1, true)).toMatchObject({ valid: true, replicas: 8, metric: 'target-tracking:cpu' });
    });
    it('one failed, the other wants a scale-up: scale up', () => {
      expect(run(1, false)).toMatchObject({ valid: true, replicas: 8 });
    });
    it('one failed, the other wants a scale-down: no recommendation (blocked)', () => {
      expect(run(0.1, false)).toMatchObject({ valid: false });
    });
  });
});
