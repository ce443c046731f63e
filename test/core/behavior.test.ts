import { describe, expect, it } from 'vitest';
import {
  type Behavior,
  behaviorSchema,
  changeInPeriod,
  DEFAULT_BEHAVIOR,
  limitRate,
  recordScaleEvent,
  type ScaleEvents,
  type ScalingPolicy,
  type ScalingRules,
  scaleDownLimit,
  scaleUpLimit,
  stabilize,
} from '../../src/core/behavior.js';
import { recommendationLog, recommendationRecords } from '../../src/core/recommendations.js';
import type { RecommendationRecord, ScaleEventRecord } from '../../src/core/types.js';
import { K8S_DEFAULTS } from './k8s-defaults.js';

// Expected values in this file are worked out by hand from the Kubernetes rules
// (/work/shared/reference/k8s-hpa.md §6). Rows named "K8s <Test> / <case>" reproduce a case from
// kubernetes/kubernetes pkg/controller/podautoscaler/horizontal_test.go (commit 003e86297d18).

const S = 1000;
const NOW = 10_000_000;

const units = (value: number, periodSeconds: number): ScalingPolicy => ({
  type: 'units',
  value,
  period: periodSeconds * S,
});
const percent = (value: number, periodSeconds: number): ScalingPolicy => ({
  type: 'percent',
  value,
  period: periodSeconds * S,
});
const rules = (
  policies: ScalingPolicy[],
  selectPolicy: ScalingRules['selectPolicy'] = 'max',
  stabilizationWindow = 0,
): ScalingRules => ({ stabilizationWindow, selectPolicy, policies });

/** horizontal_test.go `generateScalingRules`: Pods policy first, then Percent; a 0 leaves one out. */
function generateScalingRules(
  pods: number,
  podsPeriod: number,
  pct: number,
  pctPeriod: number,
  stabilizationWindowSeconds: number,
): ScalingRules {
  const policies: ScalingPolicy[] = [];
  if (pods !== 0) policies.push(units(pods, podsPeriod));
  if (pct !== 0) policies.push(percent(pct, pctPeriod));
  return rules(policies, 'max', stabilizationWindowSeconds * S);
}

/**
 * horizontal_test.go `generateEventsUniformDistribution`: event i of n sits at
 * `period − seg·(i+1) + seg/2` seconds ago (seg = period / n), e.g. [1, 5, 9] over 120 s → 100 s,
 * 60 s and 20 s ago. (Go converts to whole seconds; these tables only use exact ones.)
 */
function uniformEvents(raw: number[], periodSeconds: number): ScaleEventRecord[] {
  const seg = periodSeconds / raw.length;
  return raw.map((change, i) => ({
    at: NOW - Math.trunc(periodSeconds - seg * (i + 1) + seg / 2) * S,
    change,
    outdated: false,
  }));
}

const withRules = (over: { scaleUp?: ScalingRules; scaleDown?: ScalingRules }): Behavior => ({
  scaleUp: over.scaleUp ?? K8S_DEFAULTS.scaleUp,
  scaleDown: over.scaleDown ?? K8S_DEFAULTS.scaleDown,
});

const windows = (upSeconds: number, downSeconds: number): Behavior => ({
  scaleUp: { ...K8S_DEFAULTS.scaleUp, stabilizationWindow: upSeconds * S },
  scaleDown: { ...K8S_DEFAULTS.scaleDown, stabilizationWindow: downSeconds * S },
});

const rec = (capacity: number, secondsAgo: number): RecommendationRecord => ({
  at: NOW - secondsAgo * S,
  capacity,
});

/** `stabilize` at NOW over a history given as records. */
const stabilizeFrom = (
  history: readonly RecommendationRecord[],
  args: { current: number; desired: number; behavior: Behavior },
) => stabilize({ ...args, now: NOW, recommendations: recommendationLog(history) });

const NO_EVENTS: ScaleEvents = { up: [], down: [] };

describe('DEFAULT_BEHAVIOR and behaviorSchema', () => {
  it('DEFAULT_BEHAVIOR is the Kubernetes default (up: 4 units or 100 % per 15 s; down: 300 s window, 100 % per 15 s)', () => {
    expect(DEFAULT_BEHAVIOR).toEqual(K8S_DEFAULTS);
  });

  it('an empty behavior gets every default', () => {
    expect(behaviorSchema.parse({})).toEqual(K8S_DEFAULTS);
  });

  it('each missing field takes its own default (window set, policies kept)', () => {
    const parsed = behaviorSchema.parse({ scaleDown: { stabilizationWindow: '1m' } });
    expect(parsed.scaleDown).toEqual({ ...K8S_DEFAULTS.scaleDown, stabilizationWindow: 60 * S });
    expect(parsed.scaleUp).toEqual(K8S_DEFAULTS.scaleUp);
  });

  it('user policies REPLACE the default list instead of extending it', () => {
    const parsed = behaviorSchema.parse({
      scaleUp: { selectPolicy: 'min', policies: [{ type: 'percent', value: 50, period: '1m' }] },
    });
    expect(parsed.scaleUp).toEqual({
      stabilizationWindow: 0,
      selectPolicy: 'min',
      policies: [percent(50, 60)],
    });
  });
});

describe('stabilize', () => {
  describe('K8s TestNormalizeDesiredReplicasWithBehavior', () => {
    // The test passes both windows explicitly; an unset one is 0 s.
    it.each([
      {
        name: 'K8s TestNormalizeDesiredReplicasWithBehavior / empty recommendations for scaling down',
        behavior: windows(0, 0),
        history: [],
        current: 100,
        desired: 5,
        expected: 5,
        stored: [5],
      },
      {
        // down window 180 s holds max(3, 4, 5) = 5; both records are newer than 180 s → append.
        name: 'K8s TestNormalizeDesiredReplicasWithBehavior / simple scale down stabilization',
        behavior: windows(0, 180),
        history: [rec(4, 120), rec(5, 60)],
        current: 100,
        desired: 3,
        expected: 5,
        stored: [4, 5, 3],
      },
      {
        // up window 300 s holds min(7, 4, 5) = 4.
        name: 'K8s TestNormalizeDesiredReplicasWithBehavior / simple scale up stabilization',
        behavior: windows(300, 0),
        history: [rec(4, 120), rec(5, 60)],
        current: 1,
        desired: 7,
        expected: 4,
        stored: [4, 5, 7],
      },
      {
        // up window only: upRec = min(3, 1, 2) = 1, downRec = 3 → current 100 falls to 3.
        name: 'K8s TestNormalizeDesiredReplicasWithBehavior / no scale down stabilization',
        behavior: windows(300, 0),
        history: [rec(1, 120), rec(2, 60)],
        current: 100,
        desired: 3,
        expected: 3,
        stored: [1, 2, 3],
      },
      {
        // down window only: upRec = 3, downRec = max(3, 4, 5) = 5 → current 1 rises to 3.
        name: 'K8s TestNormalizeDesiredReplicasWithBehavior / no scale up stabilization',
        behavior: windows(0, 300),
        history: [rec(4, 120), rec(5, 60)],
        current: 1,
        desired: 3,
        expected: 3,
        stored: [4, 5, 3],
      },
      {
        // both records older than both (0 s) windows: the LAST one (index 1) is overwritten.
        name: 'K8s TestNormalizeDesiredReplicasWithBehavior / no scale down stabilization, reuse recommendation element',
        behavior: windows(0, 0),
        history: [rec(10, 600), rec(9, 540)],
        current: 100,
        desired: 3,
        expected: 3,
        stored: [10, 3],
      },
      {
        name: 'K8s TestNormalizeDesiredReplicasWithBehavior / no scale up stabilization, reuse recommendation element',
        behavior: windows(0, 0),
        history: [rec(10, 600), rec(9, 540)],
        current: 1,
        desired: 100,
        expected: 100,
        stored: [10, 100],
      },
      {
        // down 180 s: max(3, 4, 5) = 5; records at 600 s and 540 s are old, the last of them (index 3) is reused.
        name: 'K8s TestNormalizeDesiredReplicasWithBehavior / scale down stabilization, reuse one of obsolete recommendation element',
        behavior: windows(0, 180),
        history: [rec(10, 600), rec(4, 60), rec(5, 120), rec(9, 540)],
        current: 100,
        desired: 3,
        expected: 5,
        stored: [10, 4, 5, 3],
      },
      {
        // up 300 s: min(100, 6, 5, 9) = 5; only the 6000 s-old record is older than both windows.
        name: 'K8s TestNormalizeDesiredReplicasWithBehavior / scale up stabilization, reuse one of obsolete recommendation element',
        behavior: windows(300, 0),
        history: [rec(10, 6000), rec(6, 60), rec(5, 120), rec(9, 180)],
        current: 1,
        desired: 100,
        expected: 5,
        stored: [100, 6, 5, 9],
      },
      {
        // upRec = min(1, 3) = 1, downRec = max(1, 3) = 3; current 2 is inside [1, 3] → stays 2.
        name: 'K8s TestNormalizeDesiredReplicasWithBehavior / scale up and down stabilization, do not scale up when prenormalized rec goes down',
        behavior: windows(300, 300),
        history: [rec(2, 6000), rec(3, 180)],
        current: 2,
        desired: 1,
        expected: 2,
        stored: null,
      },
      {
        // upRec = min(3, 1) = 1, downRec = max(3, 1) = 3; current 2 stays.
        name: 'K8s TestNormalizeDesiredReplicasWithBehavior / scale up and down stabilization, do not scale down when prenormalized rec goes up',
        behavior: windows(300, 300),
        history: [rec(2, 6000), rec(1, 180)],
        current: 2,
        desired: 3,
        expected: 2,
        stored: null,
      },
    ])('$name', ({ behavior, history, current, desired, expected, stored }) => {
      const result = stabilizeFrom(history, { current, desired, behavior });
      const records = recommendationRecords(result.recommendations);
      expect(result.capacity).toBe(expected);
      if (stored !== null) expect(records.map((r) => r.capacity)).toEqual(stored);
      // The new record is always the unstabilized desired value, stamped now.
      expect(records).toContainEqual({ at: NOW, capacity: desired });
    });
  });

  it.each([
    {
      name: 'up window: a record exactly at now − 60 s is outside (strict >) → 10 passes',
      behavior: windows(60, 0),
      history: [{ at: NOW - 60 * S, capacity: 3 }],
      current: 2,
      desired: 10,
      capacity: 10,
      reason: null,
    },
    {
      name: 'up window: a record at now − 59.999 s is inside → min(10, 3) = 3',
      behavior: windows(60, 0),
      history: [{ at: NOW - 60 * S + 1, capacity: 3 }],
      current: 2,
      desired: 10,
      capacity: 3,
      reason: 'ScaleUpStabilized',
    },
    {
      name: 'down window: a record exactly at now − 300 s is outside (strict >) → 4 passes',
      behavior: windows(0, 300),
      history: [{ at: NOW - 300 * S, capacity: 9 }],
      current: 10,
      desired: 4,
      capacity: 4,
      reason: null,
    },
    {
      name: 'down window: a record at now − 299.999 s is inside → max(4, 9) = 9',
      behavior: windows(0, 300),
      history: [{ at: NOW - 300 * S + 1, capacity: 9 }],
      current: 10,
      desired: 4,
      capacity: 9,
      reason: 'ScaleDownStabilized',
    },
    {
      name: 'the result starts at current: max of the down window (12) above current (10) never scales up',
      behavior: windows(0, 300),
      history: [rec(12, 60)],
      current: 10,
      desired: 4,
      capacity: 10,
      reason: 'ScaleDownStabilized',
    },
    {
      name: 'the result starts at current: min of the up window (2) below current (5) never scales down',
      behavior: windows(300, 0),
      history: [rec(2, 60)],
      current: 5,
      desired: 9,
      capacity: 5,
      reason: 'ScaleUpStabilized',
    },
    {
      // K8s recordInitialRecommendation seeds {current, now}; the first scale-down is then held.
      name: 'seeded first record {current 10, now}: the 5-minute window holds a scale-in to 4 at 10',
      behavior: K8S_DEFAULTS,
      history: [{ at: NOW, capacity: 10 }],
      current: 10,
      desired: 4,
      capacity: 10,
      reason: 'ScaleDownStabilized',
    },
    {
      name: 'seeded first record {current 4, now}: a 0 s up window lets a scale-out to 9 through',
      behavior: K8S_DEFAULTS,
      history: [{ at: NOW, capacity: 4 }],
      current: 4,
      desired: 9,
      capacity: 9,
      reason: null,
    },
  ])('$name', ({ behavior, history, current, desired, capacity, reason }) => {
    const result = stabilizeFrom(history, { current, desired, behavior });
    expect(result.capacity).toBe(capacity);
    expect(result.reason).toBe(reason);
  });

  it.each([
    {
      // down 300 s: records 900 s and 600 s ago are older than both windows; index 1 is the LAST such.
      name: 'overwrites the LAST record older than both windows (index 1 of [900 s, 600 s, 100 s] ago)',
      behavior: windows(0, 300),
      history: [rec(5, 900), rec(6, 600), rec(8, 100)],
      expected: [rec(5, 900), { at: NOW, capacity: 7 }, rec(8, 100)],
    },
    {
      name: 'appends when no record is older than both windows',
      behavior: windows(0, 300),
      history: [rec(5, 200), rec(6, 100)],
      expected: [rec(5, 200), rec(6, 100), { at: NOW, capacity: 7 }],
    },
    {
      // 120 s ago is older than the 60 s down window but inside the 600 s up window → still in use.
      name: 'a record older than only ONE window is kept (up 600 s, down 60 s, record 120 s ago) → append',
      behavior: windows(600, 60),
      history: [rec(5, 120)],
      expected: [rec(5, 120), { at: NOW, capacity: 7 }],
    },
    {
      name: 'a record exactly at the longer cutoff (300 s ago) is not older → append',
      behavior: windows(0, 300),
      history: [rec(5, 300)],
      expected: [rec(5, 300), { at: NOW, capacity: 7 }],
    },
  ])('$name', ({ behavior, history, expected }) => {
    const frozen = Object.freeze(recommendationLog(history));
    const result = stabilize({ current: 7, desired: 7, now: NOW, behavior, recommendations: frozen });
    expect(recommendationRecords(result.recommendations)).toEqual(expected);
    // The input history is left as it was.
    expect(recommendationRecords(frozen)).toEqual(history);
  });
});

describe('changeInPeriod', () => {
  // K8s TestStoreScaleEvents checks getReplicasChangePerPeriod(60, previous events) before storing.
  it.each([
    {
      name: 'K8s TestStoreScaleEvents / empty entries with two-policy-behavior → 0',
      events: [],
      expected: 0,
    },
    {
      name: 'K8s TestStoreScaleEvents / one outdated entry to be replaced with behavior → 7 @ 61 s is out → 0',
      events: [[7, 61]],
      expected: 0,
    },
    {
      name: 'K8s TestStoreScaleEvents / one actual entry to be not touched with behavior → 7 @ 58 s → 7',
      events: [[7, 58]],
      expected: 7,
    },
    {
      name: 'K8s TestStoreScaleEvents / two entries, one of them to be replaced → only 6 @ 59 s → 6',
      events: [
        [7, 61],
        [6, 59],
      ],
      expected: 6,
    },
    {
      name: 'K8s TestStoreScaleEvents / replace one entry, use policies with different periods → 8 + 6 = 14',
      events: [
        [8, 29],
        [6, 59],
        [7, 61],
        [9, 61],
      ],
      expected: 14,
    },
    {
      name: 'K8s TestStoreScaleEvents / two entries, both actual → 7 + 6 = 13',
      events: [
        [7, 58],
        [6, 59],
      ],
      expected: 13,
    },
    { name: 'an event exactly at now − 60 s is out (strict >) → 0', events: [[5, 60]], expected: 0 },
  ])('$name', ({ events, expected }) => {
    const records = events.map(([change, ago]) => ({
      at: NOW - (ago as number) * S,
      change: change as number,
      outdated: false,
    }));
    expect(changeInPeriod(records, 60 * S, NOW)).toBe(expected);
  });
});

describe('scaleUpLimit', () => {
  it.each([
    { name: 'units: 5 + 3 = 8', current: 5, rules: rules([units(3, 60)]), events: NO_EVENTS, expected: 8 },
    {
      name: 'percent rounds UP: ceil(3 × 1.5) = ceil(4.5) = 5',
      current: 3,
      rules: rules([percent(50, 60)]),
      events: NO_EVENTS,
      expected: 5,
    },
    {
      name: 'select max: max(5 + 1, ceil(5 × 1.5) = 8) = 8',
      current: 5,
      rules: rules([units(1, 60), percent(50, 60)], 'max'),
      events: NO_EVENTS,
      expected: 8,
    },
    {
      name: 'select min: min(5 + 1, 8) = 6',
      current: 5,
      rules: rules([units(1, 60), percent(50, 60)], 'min'),
      events: NO_EVENTS,
      expected: 6,
    },
    {
      name: 'select disabled: no room to grow → current 5',
      current: 5,
      rules: rules([units(10, 60)], 'disabled'),
      events: NO_EVENTS,
      expected: 5,
    },
    {
      name: 'K8s defaults without events: max(10 + 4, 2 × 10) = 20',
      current: 10,
      rules: K8S_DEFAULTS.scaleUp,
      events: NO_EVENTS,
      expected: 20,
    },
    {
      name: 'K8s defaults without events, small group: max(2 + 4, 2 × 2) = 6',
      current: 2,
      rules: K8S_DEFAULTS.scaleUp,
      events: NO_EVENTS,
      expected: 6,
    },
    {
      // periodStart = 10 − 3 (added) + 2 (removed) = 9 → 9 + 4 = 13.
      name: 'events of BOTH directions set the period start: (10 − 3 + 2) + 4 = 13',
      current: 10,
      rules: rules([units(4, 60)]),
      events: {
        up: [{ at: NOW - 10 * S, change: 3, outdated: false }],
        down: [{ at: NOW - 20 * S, change: 2, outdated: false }],
      },
      expected: 13,
    },
    {
      name: 'an event exactly one period ago does not count (strict): 10 + 4 = 14',
      current: 10,
      rules: rules([units(4, 60)]),
      events: { up: [{ at: NOW - 60 * S, change: 3, outdated: false }], down: [] },
      expected: 14,
    },
    {
      name: 'an event 1 ms inside the period counts: (10 − 3) + 4 = 11',
      current: 10,
      rules: rules([units(4, 60)]),
      events: { up: [{ at: NOW - 60 * S + 1, change: 3, outdated: false }], down: [] },
      expected: 11,
    },
    {
      // 30 s ago: outside the 15 s policy (10 + 4 = 14), inside the 60 s one ((10 − 3) + 6 = 13).
      name: 'each policy uses its own period: max(10 + 4, (10 − 3) + 6) = 14',
      current: 10,
      rules: rules([units(4, 15), units(6, 60)]),
      events: { up: [{ at: NOW - 30 * S, change: 3, outdated: false }], down: [] },
      expected: 14,
    },
    {
      // Min of Pods 2 (1 + 2 = 3) and Percent 50 (ceil(1 × 1.5) = 2).
      name: 'K8s TestCalculateScaleUpLimitWithScalingRules: select min(1 + 2, ceil(1.5)) = 2',
      current: 1,
      rules: rules([units(2, 60), percent(50, 60)], 'min', 300 * S),
      events: NO_EVENTS,
      expected: 2,
    },
  ])('$name', ({ current, rules: r, events, expected }) => {
    expect(scaleUpLimit(current, events, r, NOW)).toBe(expected);
  });
});

describe('scaleDownLimit', () => {
  it.each([
    { name: 'units: 10 − 3 = 7', current: 10, rules: rules([units(3, 60)]), events: NO_EVENTS, expected: 7 },
    {
      name: 'percent TRUNCATES: trunc(3 × 0.5) = trunc(1.5) = 1 (ceil would give 2)',
      current: 3,
      rules: rules([percent(50, 60)]),
      events: NO_EVENTS,
      expected: 1,
    },
    {
      name: 'percent truncates: trunc(5 × 0.7) = trunc(3.5) = 3',
      current: 5,
      rules: rules([percent(30, 60)]),
      events: NO_EVENTS,
      expected: 3,
    },
    {
      name: 'select max = the LARGEST change = the smallest result: min(10 − 2, 10 × 0.5) = 5',
      current: 10,
      rules: rules([units(2, 60), percent(50, 60)], 'max'),
      events: NO_EVENTS,
      expected: 5,
    },
    {
      name: 'select min = the smallest change = the largest result: max(8, 5) = 8',
      current: 10,
      rules: rules([units(2, 60), percent(50, 60)], 'min'),
      events: NO_EVENTS,
      expected: 8,
    },
    {
      name: 'select disabled: no room to shrink → current 10',
      current: 10,
      rules: rules([units(2, 60)], 'disabled'),
      events: NO_EVENTS,
      expected: 10,
    },
    {
      name: 'K8s default (100 % per 15 s) without events: trunc(10 × 0) = 0',
      current: 10,
      rules: K8S_DEFAULTS.scaleDown,
      events: NO_EVENTS,
      expected: 0,
    },
    {
      // periodStart = 10 − 1 (added) + 2 (removed) = 11 → 11 − 3 = 8.
      name: 'events of BOTH directions set the period start: (10 − 1 + 2) − 3 = 8',
      current: 10,
      rules: rules([units(3, 60)]),
      events: {
        up: [{ at: NOW - 20 * S, change: 1, outdated: false }],
        down: [{ at: NOW - 10 * S, change: 2, outdated: false }],
      },
      expected: 8,
    },
    {
      name: 'an event exactly one period ago does not count (strict): 10 − 3 = 7',
      current: 10,
      rules: rules([units(3, 60)]),
      events: { up: [], down: [{ at: NOW - 60 * S, change: 2, outdated: false }] },
      expected: 7,
    },
    {
      // Min select picks the largest result: max(5 − 2, trunc(5 × 0.5)) = max(3, 2).
      name: 'K8s TestCalculateScaleDownLimitWithBehaviors: select min → max(5 − 2, trunc(2.5)) = 3',
      current: 5,
      rules: rules([units(2, 60), percent(50, 60)], 'min', 300 * S),
      events: NO_EVENTS,
      expected: 3,
    },
  ])('$name', ({ current, rules: r, events, expected }) => {
    expect(scaleDownLimit(current, events, r, NOW)).toBe(expected);
  });
});

describe('limitRate', () => {
  const up139 = uniformEvents([1, 5, 9], 120); // 100 s, 60 s, 20 s ago
  const up8_12_9_11 = uniformEvents([8, 12, 9, 11], 120); // 105 s, 75 s, 45 s, 15 s ago

  it.each([
    // --- K8s TestScalingWithRules: scale-up ---
    {
      name: 'K8s TestScalingWithRules / prenormalized desired replicas within range',
      current: 5,
      desired: 7,
      min: 3,
      max: 8,
      behavior: K8S_DEFAULTS,
      events: NO_EVENTS,
      capacity: 7,
      reason: 'DesiredWithinRange',
    },
    {
      // limit max(20 + 4, 40) = 40 > max 10 → max is tighter.
      name: 'K8s TestScalingWithRules / maxReplicas is the limit because maxReplicas < scaleUpLimit',
      current: 20,
      desired: 1000,
      min: 1,
      max: 10,
      behavior: K8S_DEFAULTS,
      events: NO_EVENTS,
      capacity: 10,
      reason: 'TooManyReplicas',
    },
    {
      // limit max(104, 200) = 200 > max 150.
      name: 'K8s TestScalingWithRules / desired replica count is more than the maximum replica count',
      current: 100,
      desired: 1000,
      min: 100,
      max: 150,
      behavior: K8S_DEFAULTS,
      events: NO_EVENTS,
      capacity: 150,
      reason: 'TooManyReplicas',
    },
    {
      // 1 % per 60 s: ceil(3 × 1.01) = ceil(3.03) = 4.
      name: 'K8s TestScalingWithRules / scaleUpLimit is the limit because scaleUpLimit < maxReplicas with user policies',
      current: 3,
      desired: 1000,
      min: 1,
      max: 2000,
      behavior: withRules({ scaleUp: generateScalingRules(0, 0, 1, 60, 0) }),
      events: NO_EVENTS,
      capacity: 4,
      reason: 'ScaleUpLimit',
    },
    {
      name: 'K8s TestScalingWithRules / scaleUp with default behavior: max(10 + 4, 2 × 10) = 20',
      current: 10,
      desired: 50,
      min: 1,
      max: 1000,
      behavior: K8S_DEFAULTS,
      events: NO_EVENTS,
      capacity: 20,
      reason: 'ScaleUpLimit',
    },
    {
      name: 'K8s TestScalingWithRules / scaleUp with pods policy larger than percent policy: max(10 + 100, 20) = 110',
      current: 10,
      desired: 500,
      min: 1,
      max: 1000,
      behavior: withRules({ scaleUp: generateScalingRules(100, 60, 100, 60, 0) }),
      events: NO_EVENTS,
      capacity: 110,
      reason: 'ScaleUpLimit',
    },
    {
      name: 'K8s TestScalingWithRules / scaleUp with percent policy larger than pods policy: max(10 + 2, 20) = 20',
      current: 10,
      desired: 500,
      min: 1,
      max: 1000,
      behavior: withRules({ scaleUp: generateScalingRules(2, 60, 100, 60, 0) }),
      events: NO_EVENTS,
      capacity: 20,
      reason: 'ScaleUpLimit',
    },
    {
      name: 'K8s TestScalingWithRules / scaleUp with spec MaxReplicas limitation with large pod policy: 10 + 100 ≥ 50',
      current: 10,
      desired: 50,
      min: 1,
      max: 1000,
      behavior: withRules({ scaleUp: generateScalingRules(100, 60, 0, 0, 0) }),
      events: NO_EVENTS,
      capacity: 50,
      reason: 'DesiredWithinRange',
    },
    {
      name: 'K8s TestScalingWithRules / scaleUp with pod policy limitation: 10 + 30 = 40',
      current: 10,
      desired: 50,
      min: 1,
      max: 1000,
      behavior: withRules({ scaleUp: generateScalingRules(30, 60, 0, 0, 0) }),
      events: NO_EVENTS,
      capacity: 40,
      reason: 'ScaleUpLimit',
    },
    {
      name: 'K8s TestScalingWithRules / scaleUp with percent policy limitation: ceil(10 × 3) = 30',
      current: 10,
      desired: 50,
      min: 1,
      max: 1000,
      behavior: withRules({ scaleUp: generateScalingRules(0, 0, 200, 60, 0) }),
      events: NO_EVENTS,
      capacity: 30,
      reason: 'ScaleUpLimit',
    },
    {
      // Only the 9 (20 s ago) is inside 60 s: (100 − 9) + 300 = 391 > max 200.
      name: 'K8s TestScalingWithRules / scaleUp with spec MaxReplicas limitation with large pod policy and events',
      current: 100,
      desired: 500,
      min: 1,
      max: 200,
      behavior: withRules({ scaleUp: generateScalingRules(300, 60, 0, 0, 0) }),
      events: { up: up139, down: [] },
      capacity: 200,
      reason: 'TooManyReplicas',
    },
    {
      // (100 − 15) + 5 = 90 < current → clamped back to 100.
      name: 'K8s TestScalingWithRules / scaleUp with currentReplicas limitation with rate.PeriodSeconds with a lot of recent scale up events',
      current: 100,
      desired: 500,
      min: 1,
      max: 1000,
      behavior: withRules({ scaleUp: generateScalingRules(5, 120, 0, 0, 0) }),
      events: { up: up139, down: [] },
      capacity: 100,
      reason: 'ScaleUpLimit',
    },
    {
      name: 'K8s TestScalingWithRules / scaleUp with pod policy and previous scale up events: (100 − 15) + 150 = 235',
      current: 100,
      desired: 500,
      min: 1,
      max: 1000,
      behavior: withRules({ scaleUp: generateScalingRules(150, 120, 0, 0, 0) }),
      events: { up: up139, down: [] },
      capacity: 235,
      reason: 'ScaleUpLimit',
    },
    {
      name: 'K8s TestScalingWithRules / scaleUp with percent policy and previous scale up events: ceil(85 × 3) = 255',
      current: 100,
      desired: 500,
      min: 1,
      max: 1000,
      behavior: withRules({ scaleUp: generateScalingRules(0, 0, 200, 120, 0) }),
      events: { up: up139, down: [] },
      capacity: 255,
      reason: 'ScaleUpLimit',
    },
    {
      // periodStart = 6 − 4 + 2 = 4 → ceil(4 × 4) = 16.
      name: 'K8s TestScalingWithRules / scaleUp with percent policy and previous scale up and down events',
      current: 6,
      desired: 24,
      min: 1,
      max: 1000,
      behavior: withRules({ scaleUp: generateScalingRules(0, 0, 300, 300, 0) }),
      events: { up: uniformEvents([4], 120), down: uniformEvents([2], 120) },
      capacity: 16,
      reason: 'ScaleUpLimit',
    },
    {
      // 60 s: 9 + 11 added → (100 − 20) + 1000 = 1080 ≥ 200.
      name: "K8s TestScalingWithRules / check 'outdated' flag for events for one behavior for up",
      current: 100,
      desired: 200,
      min: 1,
      max: 1000,
      behavior: withRules({ scaleUp: generateScalingRules(1000, 60, 0, 0, 0) }),
      events: { up: up8_12_9_11, down: [] },
      capacity: 200,
      reason: 'DesiredWithinRange',
    },
    // --- K8s TestScalingWithRules: scale-down ---
    {
      name: 'K8s TestScalingWithRules / prenormalized desired replicas < minReplicas',
      current: 3,
      desired: 1,
      min: 2,
      max: 8,
      behavior: K8S_DEFAULTS,
      events: NO_EVENTS,
      capacity: 2,
      reason: 'TooFewReplicas',
    },
    {
      name: 'K8s TestScalingWithRules / prenormalized desired replicas within range when minReplicas is 0',
      current: 1,
      desired: 0,
      min: 0,
      max: 10,
      behavior: K8S_DEFAULTS,
      events: NO_EVENTS,
      capacity: 0,
      reason: 'DesiredWithinRange',
    },
    {
      // Upstream skips this row (testThis); by the rules 1000 − 20 = 980 > min 3.
      name: 'K8s TestScalingWithRules / scaleDownLimit is the limit because scaleDownLimit > minReplicas with user defined policies',
      current: 1000,
      desired: 3,
      min: 3,
      max: 2000,
      behavior: withRules({ scaleDown: generateScalingRules(20, 60, 0, 0, 0) }),
      events: NO_EVENTS,
      capacity: 980,
      reason: 'ScaleDownLimit',
    },
    {
      // Max select → smallest result: min(100 − 20, trunc(100 × 0.99) = 99) = 80.
      name: 'K8s TestScalingWithRules / scaleDown with percent policy larger than pod policy',
      current: 100,
      desired: 2,
      min: 1,
      max: 1000,
      behavior: withRules({ scaleDown: generateScalingRules(20, 60, 1, 60, 300) }),
      events: NO_EVENTS,
      capacity: 80,
      reason: 'ScaleDownLimit',
    },
    {
      name: 'K8s TestScalingWithRules / scaleDown with pod policy larger than percent policy: min(98, 99) = 98',
      current: 100,
      desired: 2,
      min: 1,
      max: 1000,
      behavior: withRules({ scaleDown: generateScalingRules(2, 60, 1, 60, 300) }),
      events: NO_EVENTS,
      capacity: 98,
      reason: 'ScaleDownLimit',
    },
    {
      name: 'K8s TestScalingWithRules / scaleDown with spec MinReplicas limitation with large pod policy: 10 − 100 < min 1',
      current: 10,
      desired: 0,
      min: 1,
      max: 1000,
      behavior: withRules({ scaleDown: generateScalingRules(100, 60, 0, 0, 300) }),
      events: NO_EVENTS,
      capacity: 1,
      reason: 'TooFewReplicas',
    },
    {
      name: 'K8s TestScalingWithRules / scaleDown with spec MinReplicas limitation with large percent policy: trunc(10 × 0) < min 5',
      current: 10,
      desired: 2,
      min: 5,
      max: 1000,
      behavior: withRules({ scaleDown: generateScalingRules(0, 0, 100, 60, 300) }),
      events: NO_EVENTS,
      capacity: 5,
      reason: 'TooFewReplicas',
    },
    {
      name: 'K8s TestScalingWithRules / scaleDown with pod policy limitation: 10 − 5 = 5',
      current: 10,
      desired: 2,
      min: 1,
      max: 1000,
      behavior: withRules({ scaleDown: generateScalingRules(5, 60, 0, 0, 300) }),
      events: NO_EVENTS,
      capacity: 5,
      reason: 'ScaleDownLimit',
    },
    {
      name: 'K8s TestScalingWithRules / scaleDown with percent policy limitation: trunc(10 × 0.5) = 5 = desired',
      current: 10,
      desired: 5,
      min: 1,
      max: 1000,
      behavior: withRules({ scaleDown: generateScalingRules(0, 0, 50, 60, 300) }),
      events: NO_EVENTS,
      capacity: 5,
      reason: 'DesiredWithinRange',
    },
    {
      // Events 100/60/20 s ago are all older than the default 15 s period → limit 0 → desired 5 is allowed.
      name: 'K8s TestScalingWithRules / scaleDown with default policy and previous events',
      current: 10,
      desired: 5,
      min: 1,
      max: 1000,
      behavior: K8S_DEFAULTS,
      events: { up: [], down: uniformEvents([1, 5, 9], 120) },
      capacity: 5,
      reason: 'DesiredWithinRange',
    },
    {
      // (100 + 15) − 115 = 0 < min 1.
      name: 'K8s TestScalingWithRules / scaleDown with spec MinReplicas=nil limitation with large pod policy and previous events',
      current: 100,
      desired: 0,
      min: 1,
      max: 1000,
      behavior: withRules({ scaleDown: generateScalingRules(115, 120, 0, 0, 300) }),
      events: { up: [], down: uniformEvents([1, 5, 9], 120) },
      capacity: 1,
      reason: 'TooFewReplicas',
    },
    {
      name: 'K8s TestScalingWithRules / scaleDown with spec MinReplicas limitation with large pod policy and previous events: 115 − 130 < min 5',
      current: 100,
      desired: 0,
      min: 5,
      max: 1000,
      behavior: withRules({ scaleDown: generateScalingRules(130, 120, 0, 0, 300) }),
      events: { up: [], down: uniformEvents([1, 5, 9], 120) },
      capacity: 5,
      reason: 'TooFewReplicas',
    },
    {
      name: 'K8s TestScalingWithRules / scaleDown with spec MinReplicas limitation with large percent policy and previous events',
      current: 100,
      desired: 2,
      min: 5,
      max: 1000,
      behavior: withRules({ scaleDown: generateScalingRules(0, 0, 100, 120, 300) }),
      events: { up: [], down: uniformEvents([1, 5, 9], 120) },
      capacity: 5,
      reason: 'TooFewReplicas',
    },
    {
      // (100 + 15) − 5 = 110 > current → clamped back to 100.
      name: 'K8s TestScalingWithRules / scaleDown with pod policy limitation and previous events',
      current: 100,
      desired: 2,
      min: 1,
      max: 1000,
      behavior: withRules({ scaleDown: generateScalingRules(5, 120, 0, 0, 300) }),
      events: { up: [], down: uniformEvents([1, 5, 9], 120) },
      capacity: 100,
      reason: 'ScaleDownLimit',
    },
    {
      name: 'K8s TestScalingWithRules / scaleDown with percent policy limitation and previous events: trunc((100 + 12) × 0.5) = 56',
      current: 100,
      desired: 0,
      min: 1,
      max: 1000,
      behavior: withRules({ scaleDown: generateScalingRules(0, 0, 50, 120, 300) }),
      events: { up: [], down: uniformEvents([2, 4, 6], 120) },
      capacity: 56,
      reason: 'ScaleDownLimit',
    },
    {
      // periodStart = 10 − 2 + 4 = 12 → trunc(12 × 0.5) = 6.
      name: 'K8s TestScalingWithRules / scaleDown with percent policy and previous scale up and down events',
      current: 10,
      desired: 1,
      min: 1,
      max: 1000,
      behavior: withRules({ scaleDown: generateScalingRules(0, 0, 50, 180, 0) }),
      events: { up: uniformEvents([2], 120), down: uniformEvents([4], 120) },
      capacity: 6,
      reason: 'ScaleDownLimit',
    },
    {
      // trunc((100 + 30) × 0.9) = 117 > current → clamped back to 100.
      name: 'K8s TestScalingWithRules / scaleDown with previous events preventing further scale down',
      current: 100,
      desired: 0,
      min: 1,
      max: 1000,
      behavior: withRules({ scaleDown: generateScalingRules(0, 0, 10, 120, 300) }),
      events: { up: [], down: uniformEvents([10, 10, 10], 120) },
      capacity: 100,
      reason: 'ScaleDownLimit',
    },
    {
      // (10 + 30) × (1 − 10) = −360 → min 1 is the floor, and desired 5 is above it.
      name: 'K8s TestScalingWithRules / scaleDown with with previous events still allowing more scale down',
      current: 10,
      desired: 5,
      min: 1,
      max: 1000,
      behavior: withRules({ scaleDown: generateScalingRules(0, 0, 1000, 120, 300) }),
      events: { up: [], down: uniformEvents([10, 10, 10], 120) },
      capacity: 5,
      reason: 'DesiredWithinRange',
    },
    {
      name: "K8s TestScalingWithRules / check 'outdated' flag for events for one behavior for down: (100 + 20) − 1000 < 5",
      current: 100,
      desired: 5,
      min: 1,
      max: 1000,
      behavior: withRules({ scaleDown: generateScalingRules(1000, 60, 0, 0, 300) }),
      events: { up: [], down: up8_12_9_11 },
      capacity: 5,
      reason: 'DesiredWithinRange',
    },
    // --- worked by hand ---
    {
      name: 'TSDoc example: current 2 → 20 with defaults is limited to max(2 + 4, 2 × 2) = 6',
      current: 2,
      desired: 20,
      min: 1,
      max: 100,
      behavior: K8S_DEFAULTS,
      events: NO_EVENTS,
      capacity: 6,
      reason: 'ScaleUpLimit',
    },
    {
      name: 'no change → DesiredWithinRange',
      current: 5,
      desired: 5,
      min: 1,
      max: 10,
      behavior: K8S_DEFAULTS,
      events: NO_EVENTS,
      capacity: 5,
      reason: 'DesiredWithinRange',
    },
    {
      // Scaling in from 12 toward 11: max is checked only on the way up.
      name: 'bounds only in the direction of travel: scale-in to 11 above max 10 passes',
      current: 12,
      desired: 11,
      min: 1,
      max: 10,
      behavior: K8S_DEFAULTS,
      events: NO_EVENTS,
      capacity: 11,
      reason: 'DesiredWithinRange',
    },
    {
      // Scaling out from 0 toward 1 with min 2: min is checked only on the way down.
      name: 'bounds only in the direction of travel: scale-out to 1 below min 2 passes',
      current: 0,
      desired: 1,
      min: 2,
      max: 10,
      behavior: K8S_DEFAULTS,
      events: NO_EVENTS,
      capacity: 1,
      reason: 'DesiredWithinRange',
    },
    {
      // disabled → limit = current → allowed 5 < max 10 → ScaleUpLimit.
      name: 'scale-up disabled keeps current with ScaleUpLimit',
      current: 5,
      desired: 9,
      min: 1,
      max: 10,
      behavior: withRules({ scaleUp: rules([units(4, 15)], 'disabled') }),
      events: NO_EVENTS,
      capacity: 5,
      reason: 'ScaleUpLimit',
    },
    {
      name: 'scale-down disabled keeps current with ScaleDownLimit',
      current: 5,
      desired: 2,
      min: 1,
      max: 10,
      behavior: withRules({ scaleDown: rules([percent(100, 15)], 'disabled') }),
      events: NO_EVENTS,
      capacity: 5,
      reason: 'ScaleDownLimit',
    },
    {
      // limit = max 10 exactly: "the limit is tighter" needs max > limit, so the reason is TooManyReplicas.
      name: 'limit equal to max (5 + 5 = 10) reports TooManyReplicas',
      current: 5,
      desired: 20,
      min: 1,
      max: 10,
      behavior: withRules({ scaleUp: rules([units(5, 60)]) }),
      events: NO_EVENTS,
      capacity: 10,
      reason: 'TooManyReplicas',
    },
  ])('$name', ({ current, desired, min, max, behavior, events, capacity, reason }) => {
    expect(limitRate({ current, desired, min, max, now: NOW, behavior, events })).toEqual({
      capacity,
      reason,
    });
  });
});

describe('recordScaleEvent', () => {
  const ev = (change: number, secondsAgo: number, outdated = false): ScaleEventRecord => ({
    at: NOW - secondsAgo * S,
    change,
    outdated,
  });
  const fresh = (change: number): ScaleEventRecord => ({ at: NOW, change, outdated: false });

  // K8s TestStoreScaleEvents stores a change of 5 (10 → 15 up, 10 → 5 down) into the previous events.
  const storeCases = [
    {
      name: 'K8s TestStoreScaleEvents / empty entries with two-policy-behavior',
      rules: generateScalingRules(10, 60, 100, 60, 0),
      previous: [],
      expected: [fresh(5)],
    },
    {
      name: 'K8s TestStoreScaleEvents / one outdated entry to be replaced with behavior',
      rules: generateScalingRules(10, 60, 100, 60, 0),
      previous: [ev(7, 61)],
      expected: [fresh(5)],
    },
    {
      name: 'K8s TestStoreScaleEvents / one actual entry to be not touched with behavior',
      rules: generateScalingRules(10, 60, 100, 60, 0),
      previous: [ev(7, 58)],
      expected: [ev(7, 58), fresh(5)],
    },
    {
      name: 'K8s TestStoreScaleEvents / two entries, one of them to be replaced',
      rules: generateScalingRules(10, 60, 0, 0, 0),
      previous: [ev(7, 61), ev(6, 59)],
      expected: [fresh(5), ev(6, 59)],
    },
    {
      // Longest period 60 s: both 61 s-old events are outdated; the LAST outdated slot is reused.
      name: 'K8s TestStoreScaleEvents / replace one entry, use policies with different periods',
      rules: generateScalingRules(10, 60, 100, 30, 0),
      previous: [ev(8, 29), ev(6, 59), ev(7, 61), ev(9, 61)],
      expected: [ev(8, 29), ev(6, 59), ev(7, 61, true), fresh(5)],
    },
    {
      // Longest period 120 s: nothing is outdated → append.
      name: 'K8s TestStoreScaleEvents / two entries, both actual',
      rules: generateScalingRules(10, 120, 100, 30, 0),
      previous: [ev(7, 58), ev(6, 59)],
      expected: [ev(7, 58), ev(6, 59), fresh(5)],
    },
    {
      name: 'an event exactly one longest period old is not outdated (strict) → append',
      rules: generateScalingRules(10, 60, 0, 0, 0),
      previous: [ev(7, 60)],
      expected: [ev(7, 60), fresh(5)],
    },
    {
      name: 'an event already marked outdated stays outdated and its slot is reused',
      rules: generateScalingRules(10, 60, 0, 0, 0),
      previous: [ev(7, 10, true), ev(6, 20)],
      expected: [fresh(5), ev(6, 20)],
    },
  ];

  it.each(storeCases)('scale-up: $name', ({ rules: r, previous, expected }) => {
    const before = structuredClone(previous);
    const down = [ev(1, 5)];
    const result = recordScaleEvent({ up: previous, down }, 10, 15, NOW, withRules({ scaleUp: r }));
    expect(result.up).toEqual(expected);
    expect(result.down).toBe(down);
    expect(previous).toEqual(before);
  });

  it.each(storeCases)('scale-down: $name', ({ rules: r, previous, expected }) => {
    const before = structuredClone(previous);
    const up = [ev(1, 5)];
    const result = recordScaleEvent({ up, down: previous }, 10, 5, NOW, withRules({ scaleDown: r }));
    expect(result.down).toEqual(expected);
    expect(result.up).toBe(up);
    expect(previous).toEqual(before);
  });

  it('uses the longest period of the direction that moved, not of the other one', () => {
    // Up: longest 60 s → an up event 90 s old is outdated. The 600 s down policy must not keep it.
    const behavior = withRules({ scaleUp: rules([units(4, 60)]), scaleDown: rules([units(1, 600)]) });
    const result = recordScaleEvent({ up: [ev(3, 90), ev(2, 30)], down: [] }, 4, 6, NOW, behavior);
    expect(result.up).toEqual([fresh(2), ev(2, 30)]);
  });

  it('no change stores nothing and returns the same events', () => {
    const events: ScaleEvents = { up: [ev(1, 1)], down: [ev(2, 2)] };
    expect(recordScaleEvent(events, 4, 4, NOW, K8S_DEFAULTS)).toBe(events);
  });
});
