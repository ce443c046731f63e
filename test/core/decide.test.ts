import { describe, expect, it } from 'vitest';
import type { Behavior } from '../../src/core/behavior.js';
import {
  type DecideConfig,
  type DecideInput,
  decide,
  describeDecision,
  manualDecision,
  recordScaling,
} from '../../src/core/decide.js';
import { recommendationLog, recommendationRecords } from '../../src/core/recommendations.js';
import {
  type DecisionState,
  initialDecisionState,
  type Observation,
  type Proposal,
  type StageName,
} from '../../src/core/types.js';
import { K8S_DEFAULTS } from './k8s-defaults.js';

// Expected numbers are worked out by hand from the Kubernetes rules (k8s-hpa.md §6) and the
// guard rules in src/core/guards.ts; each row shows its arithmetic.

const S = 1000;
const NOW = 1_700_000_000_000;

const BEHAVIOR: Behavior = K8S_DEFAULTS;

const CONFIG: DecideConfig = {
  minCapacity: 1,
  maxCapacity: 40,
  arbitration: 'max',
  behavior: BEHAVIOR,
  cooldown: { scaleOut: 0, scaleIn: 0 },
};

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  }
  return value;
}

const wants = (capacity: number, rule = 'cpu'): Proposal => ({
  rule,
  ruleIndex: 0,
  outcome: 'propose',
  capacity,
  reason: 'AboveTarget',
  message: `${rule} wants ${capacity}`,
});
const noData = (rule = 'queue'): Proposal => ({
  rule,
  ruleIndex: 1,
  outcome: 'invalid',
  reason: 'MetricMissing',
  message: `metric ${rule} has no data`,
});

function input(over: {
  current: number;
  proposals: Proposal[];
  config?: Partial<DecideConfig>;
  state?: Partial<DecisionState>;
}): DecideInput {
  const observation: Observation = {
    now: NOW,
    capacity: over.current,
    readyCapacity: over.current,
    metrics: {},
  };
  return deepFreeze({
    groupId: 'web',
    sequence: 7,
    config: { ...CONFIG, ...over.config },
    state: { ...initialDecisionState(), ...over.state },
    observation,
    proposals: over.proposals,
  });
}

const stages = (trace: readonly { stage: StageName }[]) => trace.map((s) => s.stage);

describe('decide: the trace', () => {
  it.each([
    {
      // Seeded history {4, now}: up window 0 → upRec 6; rate limit max(4 + 4, 8) = 8 ≥ 6.
      name: 'a plain scale-out within every limit: only arbitrate',
      current: 4,
      proposals: [wants(6)],
      config: {},
      state: {},
      trace: [{ stage: 'arbitrate', from: 4, to: 6, reason: 'ScaleOut' }],
      desired: 6,
    },
    {
      // Seeded history {10, now}: the 300 s down window holds max(4, 10) = 10.
      name: 'the first scale-in is held by the seeded record: arbitrate → stabilize',
      current: 10,
      proposals: [wants(4)],
      config: {},
      state: {},
      trace: [
        { stage: 'arbitrate', from: 10, to: 4, reason: 'ScaleIn' },
        { stage: 'stabilize', from: 4, to: 10, reason: 'ScaleDownStabilized' },
      ],
      desired: 10,
    },
    {
      // Up limit max(2 + 4, 2 × 2) = 6 < max 40.
      name: 'a fast scale-out is rate-limited: arbitrate → rate-limit (ScaleUpLimit)',
      current: 2,
      proposals: [wants(20)],
      config: {},
      state: {},
      trace: [
        { stage: 'arbitrate', from: 2, to: 20, reason: 'ScaleOut' },
        { stage: 'rate-limit', from: 20, to: 6, reason: 'ScaleUpLimit' },
      ],
      desired: 6,
    },
    {
      // Up limit max(8 + 4, 16) = 16 > max 10 → the max is the tighter bound.
      name: 'max is applied by the rate stage on the way up: arbitrate → rate-limit (TooManyReplicas)',
      current: 8,
      proposals: [wants(20)],
      config: { maxCapacity: 10 },
      state: {},
      trace: [
        { stage: 'arbitrate', from: 8, to: 20, reason: 'ScaleOut' },
        { stage: 'rate-limit', from: 20, to: 10, reason: 'TooManyReplicas' },
      ],
      desired: 10,
    },
    {
      // lastScaleOutAt 10 s ago, 60 s cooldown → 50 000 ms left.
      name: 'a scale-out in its cooldown: arbitrate → cooldown',
      current: 4,
      proposals: [wants(6)],
      config: { cooldown: { scaleOut: 60 * S, scaleIn: 0 } },
      state: { lastScaleOutAt: NOW - 10 * S },
      trace: [
        { stage: 'arbitrate', from: 4, to: 6, reason: 'ScaleOut' },
        { stage: 'cooldown', from: 6, to: 4, reason: 'CooldownActive' },
      ],
      desired: 4,
    },
    {
      name: 'a paused direction: arbitrate → pause',
      current: 4,
      proposals: [wants(6)],
      config: {},
      state: { paused: { scaleOut: true, scaleIn: false } },
      trace: [
        { stage: 'arbitrate', from: 4, to: 6, reason: 'ScaleOut' },
        { stage: 'pause', from: 6, to: 4, reason: 'ScaleOutPaused' },
      ],
      desired: 4,
    },
    {
      name: 'an active hold: arbitrate → hold',
      current: 4,
      proposals: [wants(6)],
      config: {},
      state: { hold: { capacity: 4, until: NOW + 1, reason: 'release' } },
      trace: [
        { stage: 'arbitrate', from: 4, to: 6, reason: 'ScaleOut' },
        { stage: 'hold', from: 6, to: 4, reason: 'ManualHold' },
      ],
      desired: 4,
    },
    {
      // Current 12 is above max 10. Seeded {12, now} holds the scale-in at 12; bounds pull it to 10.
      name: 'above max: arbitrate → stabilize → bounds',
      current: 12,
      proposals: [wants(11)],
      config: { maxCapacity: 10 },
      state: {},
      trace: [
        { stage: 'arbitrate', from: 12, to: 11, reason: 'ScaleIn' },
        { stage: 'stabilize', from: 11, to: 12, reason: 'ScaleDownStabilized' },
        { stage: 'bounds', from: 12, to: 10, reason: 'TooManyReplicas' },
      ],
      desired: 10,
    },
    {
      // History (not seeded) {30, 30 s ago} with a 60 s up window → min(40, 30) = 30;
      // rate limit max(2 + 4, 4) = 6; cooldown puts 2 back; bounds lift 2 to min 3.
      name: 'every number-changing stage in order: arbitrate → stabilize → rate-limit → cooldown → bounds',
      current: 2,
      proposals: [wants(40)],
      config: {
        minCapacity: 3,
        behavior: { ...BEHAVIOR, scaleUp: { ...BEHAVIOR.scaleUp, stabilizationWindow: 60 * S } },
        cooldown: { scaleOut: 60 * S, scaleIn: 0 },
      },
      state: { recommendations: [NOW - 30 * S, 30], lastScaleOutAt: NOW - S },
      trace: [
        { stage: 'arbitrate', from: 2, to: 40, reason: 'ScaleOut' },
        { stage: 'stabilize', from: 40, to: 30, reason: 'ScaleUpStabilized' },
        { stage: 'rate-limit', from: 30, to: 6, reason: 'ScaleUpLimit' },
        { stage: 'cooldown', from: 6, to: 2, reason: 'CooldownActive' },
        { stage: 'bounds', from: 2, to: 3, reason: 'TooFewReplicas' },
      ],
      desired: 3,
    },
    {
      // Rate limit max(2 + 4, 4) = 6; the hold puts 2 back; bounds lift 2 to min 3.
      name: 'rate-limit → hold → bounds',
      current: 2,
      proposals: [wants(20)],
      config: { minCapacity: 3 },
      state: { hold: { capacity: 2, until: NOW + 60 * S, reason: 'freeze' } },
      trace: [
        { stage: 'arbitrate', from: 2, to: 20, reason: 'ScaleOut' },
        { stage: 'rate-limit', from: 20, to: 6, reason: 'ScaleUpLimit' },
        { stage: 'hold', from: 6, to: 2, reason: 'ManualHold' },
        { stage: 'bounds', from: 2, to: 3, reason: 'TooFewReplicas' },
      ],
      desired: 3,
    },
    {
      name: 'no rules below min: arbitrate (NoRecommendation) → bounds',
      current: 0,
      proposals: [],
      config: {},
      state: {},
      trace: [
        { stage: 'arbitrate', from: 0, to: 0, reason: 'NoRecommendation' },
        { stage: 'bounds', from: 0, to: 1, reason: 'TooFewReplicas' },
      ],
      desired: 1,
    },
  ])('$name', ({ current, proposals, config, state, trace, desired }) => {
    const { decision } = decide(input({ current, proposals, config, state }));
    expect(decision.trace.map(({ stage, from, to, reason }) => ({ stage, from, to, reason }))).toEqual(trace);
    expect(decision.desired).toBe(desired);
    expect(decision.direction).toBe(desired > current ? 'out' : desired < current ? 'in' : 'none');
    // The decision's reason is the last stage's reason.
    const first = decision.trace[0];
    const last = decision.trace[decision.trace.length - 1];
    expect(decision.reason).toBe(last?.reason);
    // The message says what happened, then why: the rules' words first and the last stage's words last.
    expect(decision.message.startsWith(describeDecision(current, desired, '').slice(0, -1))).toBe(true);
    expect(decision.message).toContain(first?.message);
    expect(decision.message.endsWith(`${last?.message}.`)).toBe(true);
    // Internal placeholders never leak into a sentence meant for people.
    expect(decision.message).not.toMatch(/\b(null|undefined|NaN)\b/);
    // One sentence: capital first, one full stop at the end, none in between.
    expect(decision.message).toMatch(/^[A-Z][^\n]*\.$/);
    expect(decision.message.slice(0, -1)).not.toMatch(/\.(\s|$)/);
    // Stages appear in pipeline order, each at most once.
    const order: StageName[] = [
      'arbitrate',
      'stabilize',
      'rate-limit',
      'cooldown',
      'pause',
      'hold',
      'bounds',
    ];
    const seen = stages(decision.trace);
    expect(seen).toEqual(order.filter((s) => seen.includes(s)));
  });

  it('a stage that runs but changes nothing is left out of the trace', () => {
    // Cooldown configured but the last scale-out was long ago; bounds [1, 40] contain 6.
    const { decision } = decide(
      input({
        current: 4,
        proposals: [wants(6)],
        config: { cooldown: { scaleOut: 60 * S, scaleIn: 60 * S } },
        state: { lastScaleOutAt: NOW - 3600 * S, hold: { capacity: 4, until: NOW - 1, reason: 'old' } },
      }),
    );
    expect(stages(decision.trace)).toEqual(['arbitrate']);
  });
});

describe('decide: the decision', () => {
  it('carries the id, time, proposals and the messages of each stage', () => {
    const proposals = [wants(20)];
    const { decision } = decide(input({ current: 2, proposals }));
    expect(decision).toEqual({
      id: 'web#7',
      groupId: 'web',
      at: NOW,
      current: 2,
      recommended: 20,
      desired: 6,
      direction: 'out',
      reason: 'ScaleUpLimit',
      // The rules' reason, what they recommended, and the stage that changed it.
      message:
        'Scale out from 2 to 6: cpu wants 20 (rules recommend 20); the desired capacity is increasing faster than the scale-up policies allow.',
      proposals,
      trace: [
        { stage: 'arbitrate', from: 2, to: 20, reason: 'ScaleOut', message: 'cpu wants 20' },
        {
          stage: 'rate-limit',
          from: 20,
          to: 6,
          reason: 'ScaleUpLimit',
          message: 'the desired capacity is increasing faster than the scale-up policies allow',
        },
      ],
    });
  });

  it.each([
    {
      name: 'scale-in held by stabilization',
      current: 10,
      proposals: [wants(4)],
      state: {},
      message:
        'Keep 10: cpu wants 4 (rules recommend 4); recent recommendations were higher, so the highest of the scale-down window applies.',
    },
    {
      name: 'scale-out cooldown',
      current: 4,
      proposals: [wants(6)],
      state: { lastScaleOutAt: NOW - 10 * S },
      message: 'Keep 4: cpu wants 6 (rules recommend 6); scale-out cooldown has 50000 ms left.',
    },
    {
      name: 'manual hold',
      current: 4,
      proposals: [wants(6)],
      state: { hold: { capacity: 4, until: Date.UTC(2030, 0, 1), reason: 'release day' } },
      message:
        'Keep 4: cpu wants 6 (rules recommend 6); a manual hold ("release day") is active until 2030-01-01T00:00:00.000Z.',
    },
    {
      name: 'scale-in blocked by a missing metric',
      current: 6,
      proposals: [wants(3), noData()],
      state: {},
      // Only the arbitrate stage: the rules' reason alone.
      message: 'Keep 6: metric queue has no data, so scale-in to 3 is blocked.',
    },
  ])('message for $name', ({ current, proposals, state, message }) => {
    const config = { cooldown: { scaleOut: 60 * S, scaleIn: 0 } };
    expect(decide(input({ current, proposals, config, state })).decision.message).toBe(message);
  });

  it('no recommendation, then bounds: the sentence names both reasons and no placeholder', () => {
    // Current 0 below min 1 with every metric missing: arbitrate has no number, bounds lift 0 to 1.
    const { decision } = decide(input({ current: 0, proposals: [noData('cpu')] }));
    expect(decision.recommended).toBeNull();
    expect(decision.desired).toBe(1);
    expect(decision.reason).toBe('TooFewReplicas');
    expect(decision.message.startsWith('Scale out from 0 to 1: metric cpu has no data')).toBe(true);
    expect(decision.message.endsWith('0 is below the minimum capacity 1.')).toBe(true);
    expect(decision.message).not.toContain('rules recommend null');
  });

  it('all metrics unavailable: recommended is null and nothing changes', () => {
    const { decision, state } = decide(input({ current: 5, proposals: [noData('cpu'), noData('queue')] }));
    expect(decision.recommended).toBeNull();
    expect(decision.desired).toBe(5);
    expect(decision.reason).toBe('MetricsUnavailable');
    expect(decision.message).toBe('Keep 5: metric cpu has no data.');
    expect(state.recommendations).toEqual([]);
  });
});

describe('decide: the returned state', () => {
  it('records the unstabilized recommendation after the seeded current size', () => {
    const { state } = decide(input({ current: 10, proposals: [wants(4)] }));
    // Seed {10, now}, then the raw recommendation 4 (not the stabilized 10).
    expect(recommendationRecords(state.recommendations)).toEqual([
      { at: NOW, capacity: 10 },
      { at: NOW, capacity: 4 },
    ]);
  });

  it('does not seed when there is history: appends to it', () => {
    const history = [{ at: NOW - 60 * S, capacity: 8 }];
    const { state, decision } = decide(
      input({ current: 10, proposals: [wants(4)], state: { recommendations: recommendationLog(history) } }),
    );
    // max(4, 8) = 8 in the 300 s window.
    expect(decision.desired).toBe(8);
    expect(recommendationRecords(state.recommendations)).toEqual([...history, { at: NOW, capacity: 4 }]);
  });

  it('MetricsIncomplete does not record a recommendation', () => {
    const history = recommendationLog([{ at: NOW - 60 * S, capacity: 6 }]);
    const { state, decision } = decide(
      input({ current: 6, proposals: [wants(3), noData()], state: { recommendations: history } }),
    );
    expect(decision.reason).toBe('MetricsIncomplete');
    expect(decision.desired).toBe(6);
    expect(state.recommendations).toEqual(history);
  });

  it('MetricsIncomplete on a fresh group records nothing (not even the seed)', () => {
    const { state } = decide(input({ current: 6, proposals: [wants(3), noData()] }));
    expect(state.recommendations).toEqual([]);
  });

  it.each([
    { name: 'expired exactly now (now = until)', until: NOW },
    { name: 'expired a minute ago', until: NOW - 60 * S },
  ])('an expired hold is cleared from the returned state: $name', ({ until }) => {
    const { state, decision } = decide(
      input({ current: 4, proposals: [wants(6)], state: { hold: { capacity: 4, until, reason: 'r' } } }),
    );
    expect(state.hold).toBeNull();
    expect(decision.desired).toBe(6);
  });

  it('an active hold is kept in the returned state', () => {
    const hold = { capacity: 4, until: NOW + 1, reason: 'r' };
    const { state } = decide(input({ current: 4, proposals: [wants(6)], state: { hold } }));
    expect(state.hold).toEqual(hold);
  });

  it('decide itself records no scale event and no scale time (only recordScaling does)', () => {
    const { state } = decide(input({ current: 2, proposals: [wants(20)] }));
    expect(state.scaleUpEvents).toEqual([]);
    expect(state.scaleDownEvents).toEqual([]);
    expect(state.lastScaleOutAt).toBeNull();
    expect(state.lastScaleInAt).toBeNull();
  });
});

describe('decide: purity', () => {
  it('same input → deep-equal output; the (deep-frozen) input is never mutated', () => {
    const make = () =>
      input({
        current: 2,
        proposals: [wants(40), noData()],
        config: { minCapacity: 3, cooldown: { scaleOut: 60 * S, scaleIn: 60 * S } },
        state: {
          recommendations: recommendationLog([
            { at: NOW - 900 * S, capacity: 1 },
            { at: NOW - 30 * S, capacity: 30 },
          ]),
          scaleUpEvents: [{ at: NOW - 5 * S, change: 1, outdated: false }],
          lastScaleOutAt: NOW - 120 * S,
          hold: { capacity: 2, until: NOW - 1, reason: 'old' },
        },
      });
    const frozen = make();
    const snapshot = structuredClone(frozen);
    const first = decide(frozen);
    const second = decide(frozen);
    expect(second).toEqual(first);
    expect(decide(make())).toEqual(first);
    expect(frozen).toEqual(snapshot);
    expect(Object.isFrozen(frozen.state.recommendations)).toBe(true);
  });
});

describe('manualDecision', () => {
  const base = {
    groupId: 'web',
    sequence: 3,
    now: NOW,
    current: 4,
    min: 2,
    max: 40,
    why: 'release day',
  } as const;

  it.each([
    {
      name: 'inside the bounds: applied as requested',
      requested: 12,
      reason: 'ManualOverride' as const,
      desired: 12,
      trace: [{ stage: 'arbitrate', from: 4, to: 12, reason: 'ManualOverride', message: 'release day' }],
      finalReason: 'ManualOverride',
      message: 'Scale out from 4 to 12: release day.',
    },
    {
      name: 'above max: clamped to 40',
      requested: 50,
      reason: 'ManualOverride' as const,
      desired: 40,
      trace: [
        { stage: 'arbitrate', from: 4, to: 50, reason: 'ManualOverride', message: 'release day' },
        {
          stage: 'bounds',
          from: 50,
          to: 40,
          reason: 'TooManyReplicas',
          message: '50 is above the maximum capacity 40',
        },
      ],
      finalReason: 'TooManyReplicas',
      message: 'Scale out from 4 to 40: 50 is above the maximum capacity 40.',
    },
    {
      name: 'below min: clamped to 2',
      requested: 0,
      reason: 'ConfiguredCapacity' as const,
      desired: 2,
      trace: [
        { stage: 'arbitrate', from: 4, to: 0, reason: 'ConfiguredCapacity', message: 'release day' },
        {
          stage: 'bounds',
          from: 0,
          to: 2,
          reason: 'TooFewReplicas',
          message: '0 is below the minimum capacity 2',
        },
      ],
      finalReason: 'TooFewReplicas',
      message: 'Scale in from 4 to 2: 0 is below the minimum capacity 2.',
    },
    {
      name: 'the same size: kept',
      requested: 4,
      reason: 'ConfiguredCapacity' as const,
      desired: 4,
      trace: [{ stage: 'arbitrate', from: 4, to: 4, reason: 'ConfiguredCapacity', message: 'release day' }],
      finalReason: 'ConfiguredCapacity',
      message: 'Keep 4: release day.',
    },
  ])('$name', ({ requested, reason, desired, trace, finalReason, message }) => {
    const decision = manualDecision({ ...base, requested, reason });
    expect(decision).toEqual({
      id: 'web#3',
      groupId: 'web',
      at: NOW,
      current: 4,
      recommended: requested,
      desired,
      direction: desired > 4 ? 'out' : desired < 4 ? 'in' : 'none',
      reason: finalReason,
      message,
      proposals: [],
      trace,
    });
  });
});

describe('recordScaling', () => {
  it('a scale-out stores an up event of the change and sets lastScaleOutAt', () => {
    const before = deepFreeze({ ...initialDecisionState(), lastScaleInAt: NOW - 5 * S });
    const after = recordScaling(before, 4, 6, NOW, BEHAVIOR);
    expect(after.scaleUpEvents).toEqual([{ at: NOW, change: 2, outdated: false }]);
    expect(after.scaleDownEvents).toEqual([]);
    expect(after.lastScaleOutAt).toBe(NOW);
    expect(after.lastScaleInAt).toBe(NOW - 5 * S);
  });

  it('a scale-in stores a down event of the change and sets lastScaleInAt', () => {
    const before = deepFreeze({ ...initialDecisionState(), lastScaleOutAt: NOW - 5 * S });
    const after = recordScaling(before, 6, 1, NOW, BEHAVIOR);
    expect(after.scaleDownEvents).toEqual([{ at: NOW, change: 5, outdated: false }]);
    expect(after.scaleUpEvents).toEqual([]);
    expect(after.lastScaleInAt).toBe(NOW);
    expect(after.lastScaleOutAt).toBe(NOW - 5 * S);
  });

  it('keeps the rest of the state (recommendations, hold, pause)', () => {
    const before = deepFreeze({
      ...initialDecisionState(),
      recommendations: [NOW, 3],
      hold: { capacity: 3, until: NOW + 1, reason: 'r' },
      paused: { scaleOut: false, scaleIn: true },
    });
    const after = recordScaling(before, 3, 5, NOW, BEHAVIOR);
    expect(after.recommendations).toBe(before.recommendations);
    expect(after.hold).toBe(before.hold);
    expect(after.paused).toBe(before.paused);
  });

  it('no change returns the same state', () => {
    const before = deepFreeze(initialDecisionState());
    expect(recordScaling(before, 4, 4, NOW, BEHAVIOR)).toBe(before);
  });

  it('feeds the rate limit: after +4 now, defaults allow (8 − 4) + 4 = 8, not 12, in the next 15 s', () => {
    const state = recordScaling(initialDecisionState(), 4, 8, NOW, BEHAVIOR);
    const { decision } = decide({
      groupId: 'web',
      sequence: 2,
      config: CONFIG,
      state,
      observation: { now: NOW + 5 * S, capacity: 8, readyCapacity: 8, metrics: {} },
      proposals: [wants(30)],
    });
    // periodStart = 8 − 4 = 4 → max(4 + 4, 4 × 2) = 8 → no room: clamped back to current 8.
    expect(decision.desired).toBe(8);
    expect(decision.reason).toBe('ScaleUpLimit');
  });
});

describe('describeDecision', () => {
  it.each([
    { name: 'out', current: 4, desired: 6, expected: 'Scale out from 4 to 6: busy.' },
    { name: 'in', current: 6, desired: 4, expected: 'Scale in from 6 to 4: busy.' },
    { name: 'none', current: 4, desired: 4, expected: 'Keep 4: busy.' },
  ])('$name', ({ current, desired, expected }) => {
    expect(describeDecision(current, desired, 'busy')).toBe(expected);
  });
});

describe('decide: GCP peak stabilization and scale-in controls', () => {
  const MIN = 60 * S;
  // GCP: recommendation = peak over a 10-minute stabilization period (gcp-stabilization-and-modes,
  // https://cloud.google.com/compute/docs/autoscaler/understanding-autoscaler-decisions). That is
  // the Kubernetes scale-down stabilization window, so behavior gives it; no rate policy limits.
  const GCP_BEHAVIOR: Behavior = {
    scaleUp: {
      stabilizationWindow: 0,
      selectPolicy: 'max',
      policies: [{ type: 'percent', value: 1000, period: 15 * S }],
    },
    scaleDown: {
      stabilizationWindow: 10 * MIN,
      selectPolicy: 'max',
      policies: [{ type: 'percent', value: 100, period: 15 * S }],
    },
  };

  function tick(
    state: DecisionState,
    now: number,
    current: number,
    wanted: number,
    config: Partial<DecideConfig>,
  ) {
    return decide({
      groupId: 'mig',
      sequence: 1,
      config: { ...CONFIG, minCapacity: 0, maxCapacity: 100, behavior: GCP_BEHAVIOR, ...config },
      state,
      observation: { now, capacity: current, readyCapacity: current, metrics: {} },
      proposals: [wants(wanted)],
    });
  }

  it('gcp-stabilization-and-modes: the recommendation is the peak of the last 10 minutes', () => {
    let state = initialDecisionState();
    state = tick(state, NOW, 40, 40, {}).state;
    // Load falls to 20 at minute 1: the peak 40 of the window holds until it is 10 minutes old.
    const held = tick(state, NOW + MIN, 40, 20, {});
    expect(held.decision.desired).toBe(40);
    expect(held.decision.reason).toBe('ScaleDownStabilized');
    const later = tick(held.state, NOW + 10 * MIN + 1, 40, 20, {});
    // Records at NOW (40) is out of the window; NOW+1m (20) and now (20) remain.
    expect(later.decision.desired).toBe(20);
  });

  it('gcp-scale-in-controls-blog: without controls ~50 % go in one step after stabilization; with them 10 per 20 minutes', () => {
    const controls = { maxScaledInReplicas: { fixed: 10 }, timeWindow: 20 * MIN };
    const run = (scaleInControls?: typeof controls) => {
      let state = initialDecisionState();
      let current = 40;
      const sizes: number[] = [];
      // Load halves at minute 0; one tick a minute for 45 minutes.
      for (let minute = 0; minute <= 45; minute++) {
        const out = tick(
          state,
          NOW + minute * MIN,
          current,
          minute === 0 ? 40 : 20,
          scaleInControls ? { scaleInControls } : {},
        );
        state = out.state;
        current = out.decision.desired;
        sizes.push(current);
      }
      return sizes;
    };
    const without = run();
    // The 40 recommended at minute 0 leaves the 10-minute window at minute 10: 40 → 20 at once.
    expect(without[9]).toBe(40);
    expect(without[10]).toBe(20);

    const withControls = run(controls);
    expect(withControls[10]).toBe(30);
    // The controls remember GCP's recommendation, the stabilized one: 40 until minute 9, 20 from
    // minute 10. The last 40 (minute 9) leaves the 20-minute window at minute 29.
    expect(withControls[28]).toBe(30);
    expect(withControls[29]).toBe(20);
    for (let i = 1; i < withControls.length; i++) {
      // Never more than 10 removed within any 20 minutes (the window excludes its start).
      const from = Math.max(0, i - 19);
      expect(Math.max(...withControls.slice(from, i + 1)) - (withControls[i] as number)).toBeLessThanOrEqual(
        10,
      );
    }
  });

  it('records the stage and reason in the trace', () => {
    const out = tick(
      { ...initialDecisionState(), scaleInPeaks: [{ at: NOW - MIN, capacity: 40 }] },
      NOW,
      40,
      10,
      {
        behavior: K8S_DEFAULTS_NO_WINDOW,
        scaleInControls: { maxScaledInReplicas: { fixed: 5 }, timeWindow: 10 * MIN },
      },
    );
    expect(out.decision.trace.map((t) => [t.stage, t.from, t.to, t.reason])).toEqual([
      ['arbitrate', 40, 10, 'ScaleIn'],
      ['scale-in-controls', 10, 35, 'ScaleInControlled'],
    ]);
    expect(out.decision.desired).toBe(35);
    expect(out.decision.reason).toBe('ScaleInControlled');
    expect(out.state.scaleInPeaks).toEqual([
      { at: NOW - MIN, capacity: 40 },
      { at: NOW, capacity: 10 },
    ]);
  });

  it('leaves the state untouched without scale-in controls', () => {
    const out = tick(initialDecisionState(), NOW, 4, 4, {});
    expect(out.state.scaleInPeaks).toBeUndefined();
  });

  it('passes the observation and bounds to a custom arbitration', () => {
    const out = tick(initialDecisionState(), NOW, 4, 4, {
      arbitration: { custom: (_p, ctx) => ctx.maxCapacity / 10 + ctx.observation.capacity },
      behavior: K8S_DEFAULTS_NO_WINDOW,
    });
    expect(out.decision.recommended).toBe(14);
    expect(out.decision.desired).toBe(14);
  });
});

// No stabilization and no effective rate limit, so a test sees only the stage under test.
const K8S_DEFAULTS_NO_WINDOW: Behavior = {
  scaleUp: {
    stabilizationWindow: 0,
    selectPolicy: 'max',
    policies: [{ type: 'percent', value: 1000, period: 15 * S }],
  },
  scaleDown: {
    stabilizationWindow: 0,
    selectPolicy: 'max',
    policies: [{ type: 'percent', value: 100, period: 15 * S }],
  },
};

describe('a proposal that raises max capacity (AWS IncreaseMaxCapacity)', () => {
  // aws-predictive-max-buffer: forecast 50, max 40, buffer 10 % → the raised max is 55, and the
  // forecast capacity 50 is applied above the configured max.
  it('lets the decision go above maxCapacity up to the raised max', () => {
    const forecast: Proposal = { ...wants(50, 'forecast'), floor: true, maxCapacity: 55 };
    const { decision } = decide(
      input({ current: 40, proposals: [forecast], config: { behavior: K8S_DEFAULTS_NO_WINDOW } }),
    );
    expect(decision.desired).toBe(50);
  });

  it('still clamps other rules to the raised max, not beyond', () => {
    const forecast: Proposal = { ...wants(50, 'forecast'), floor: true, maxCapacity: 55 };
    const { decision } = decide(
      input({ current: 40, proposals: [wants(70), forecast], config: { behavior: K8S_DEFAULTS_NO_WINDOW } }),
    );
    expect(decision.desired).toBe(55);
    expect(decision.reason).toBe('TooManyReplicas');
  });

  it('without a raise, max holds', () => {
    const { decision } = decide(
      input({ current: 40, proposals: [wants(50)], config: { behavior: K8S_DEFAULTS_NO_WINDOW } }),
    );
    expect(decision.desired).toBe(40);
  });
});

// azure-manual-scale-reset (https://learn.microsoft.com/en-us/azure/azure-monitor/autoscale/autoscale-best-practices):
// with min 3 and max 6, a manual change to 1 or 8 instances is reset to 3 or 6 by the next run.
describe('azure-manual-scale-reset: the next run brings a manual count back within [min, max]', () => {
  it.each([
    { manual: 1, next: 3, reason: 'TooFewReplicas' },
    { manual: 8, next: 6, reason: 'TooManyReplicas' },
  ])('manual $manual → $next', ({ manual, next, reason }) => {
    const config = { minCapacity: 3, maxCapacity: 6, behavior: K8S_DEFAULTS_NO_WINDOW };
    // A rule that is content with the current count, and no rule at all: the bounds apply either way.
    for (const proposals of [[wants(manual)], []]) {
      const { decision } = decide(input({ current: manual, proposals, config }));
      expect(decision.desired).toBe(next);
      expect(decision.reason).toBe(reason);
    }
  });
});
