// decide() with `behavior: { mode: 'legacy' }`: Kubernetes' normalization for an HPA without
// `spec.behavior` (horizontal.go `normalizeDesiredReplicas`: stabilizeRecommendation, then
// convertDesiredReplicasWithRules with the controller's scale-up limit factor 2). The transcribed
// cases come from ./fixtures/k8s-normalize-cases.ts (shared with replica-calculator.test.ts);
// the rest are worked by hand, with the arithmetic beside each row.
import { describe, expect, it } from 'vitest';
import { validateGroupConfig } from '../../src/config/group.js';
import { type DecideConfig, type DecideInput, decide, recordScaling } from '../../src/core/decide.js';
import { groupBehaviorSchema, type LegacyBehavior } from '../../src/core/legacy-behavior.js';
import { recommendationLog, recommendationRecords } from '../../src/core/recommendations.js';
import { normalizeDesiredReplicas } from '../../src/core/replica-calculator.js';
import {
  initialDecisionState,
  type Proposal,
  type RecommendationRecord,
  type StageRecord,
} from '../../src/core/types.js';
import type { ConfigError } from '../../src/errors.js';
import { CONVERT_CASES, NORMALIZE_CASES } from './fixtures/k8s-normalize-cases.js';
import { K8S_DEFAULTS } from './k8s-defaults.js';

const NOW = 1_700_000_000_000;
const MINUTE = 60_000;
const LEGACY: LegacyBehavior = { mode: 'legacy', downscaleStabilization: 5 * MINUTE };

const wants = (capacity: number): Proposal => ({
  rule: 'cpu',
  ruleIndex: 0,
  outcome: 'propose',
  capacity,
  reason: 'AboveTarget',
  message: `cpu wants ${capacity}`,
});

function input(args: {
  current: number;
  desired: number;
  min: number;
  max: number;
  recommendations?: readonly RecommendationRecord[];
  behavior?: DecideConfig['behavior'];
}): DecideInput {
  return {
    groupId: 'web',
    sequence: 1,
    config: {
      minCapacity: args.min,
      maxCapacity: args.max,
      arbitration: 'max',
      behavior: args.behavior ?? LEGACY,
      cooldown: { scaleOut: 0, scaleIn: 0 },
    },
    state: { ...initialDecisionState(), recommendations: recommendationLog(args.recommendations ?? []) },
    observation: { now: NOW, capacity: args.current, readyCapacity: args.current, metrics: {} },
    proposals: [wants(args.desired)],
  };
}

const after = (trace: readonly StageRecord[]) =>
  trace.slice(1).map(({ stage, from, to, reason }) => ({ stage, from, to, reason }));

// A record older than any window: nothing is stabilized, and decide() does not seed the history.
const OLD = [{ at: NOW - 60 * MINUTE, capacity: 0 }];

describe('decide with legacy behavior: TestConvertDesiredReplicasWithRules rows (factor-independent)', () => {
  it.each(CONVERT_CASES.filter((c) => c.factorIndependent))('$name', (tc) => {
    const { decision } = decide(
      input({ current: tc.current, desired: tc.desired, min: tc.min, max: tc.max, recommendations: OLD }),
    );
    expect(decision.desired).toBe(tc.expected);
    const limited = decision.trace.find((s) => s.stage === 'rate-limit');
    if (tc.condition === 'DesiredWithinRange') expect(limited).toBeUndefined();
    else expect(limited).toMatchObject({ from: tc.desired, to: tc.expected, reason: tc.condition });
  });
});

describe('decide with legacy behavior: the scale-up limit max(2 × current, 4)', () => {
  it.each([
    {
      // TestUpscaleCap's inputs: 3 pods at 100/200/300 m of a 100 m request, target 10 % →
      // 200 % / 10 % × 3 = 60. The test sets factor 8 (→ 24); the controller's 2 gives max(6, 4) = 6.
      name: 'TestUpscaleCap inputs with factor 2: 3 → 6 (ScaleUpLimit)',
      current: 3,
      desired: 60,
      min: 1,
      max: 100,
      trace: [{ stage: 'rate-limit', from: 60, to: 6, reason: 'ScaleUpLimit' }],
      desired_: 6,
    },
    {
      // TestUpscaleCapGreaterThanMaxReplicas, with maxReplicas 5 below the factor-2 limit 6.
      name: 'TestUpscaleCapGreaterThanMaxReplicas inputs, max 5 < limit 6: TooManyReplicas',
      current: 3,
      desired: 60,
      min: 1,
      max: 5,
      trace: [{ stage: 'rate-limit', from: 60, to: 5, reason: 'TooManyReplicas' }],
      desired_: 5,
    },
    {
      // max(2 × 1, 4) = 4: the floor of the limit.
      name: 'from 1 the limit is the minimum 4',
      current: 1,
      desired: 10,
      min: 1,
      max: 100,
      trace: [{ stage: 'rate-limit', from: 10, to: 4, reason: 'ScaleUpLimit' }],
      desired_: 4,
    },
    {
      // The window's maximum (7) also raises a scale-up, as stabilizeRecommendation does;
      // then max(2 × 3, 4) = 6 caps it.
      name: 'a higher recent recommendation raises a scale-up, then the limit caps it',
      current: 3,
      desired: 5,
      min: 1,
      max: 100,
      recommendations: [{ at: NOW - MINUTE, capacity: 7 }],
      trace: [
        { stage: 'stabilize', from: 5, to: 7, reason: 'ScaleDownStabilized' },
        { stage: 'rate-limit', from: 7, to: 6, reason: 'ScaleUpLimit' },
      ],
      desired_: 6,
    },
  ])('$name', (tc) => {
    const { decision } = decide(input({ ...tc, recommendations: tc.recommendations ?? OLD }));
    expect(decision.desired).toBe(tc.desired_);
    expect(after(decision.trace)).toEqual(tc.trace);
    expect(decision.reason).toBe(tc.trace[tc.trace.length - 1]?.reason);
  });

  it('the behavior path differs on the same input: 3 → 7 by max(+4 units, +100 %)', () => {
    const { decision } = decide(
      input({ current: 3, desired: 60, min: 1, max: 100, recommendations: OLD, behavior: K8S_DEFAULTS }),
    );
    expect(decision.desired).toBe(7);
  });
});

describe('decide with legacy behavior: TestNormalizeDesiredReplicas rows (current 5, bounds [1, 10])', () => {
  it.each(NORMALIZE_CASES.filter((c) => c.recs.length > 0))('$name', (tc) => {
    const recommendations = tc.recs.map(([capacity, ago]) => ({ at: NOW - ago, capacity }));
    const { decision, state } = decide(
      input({ current: 5, desired: tc.desired, min: 1, max: 10, recommendations }),
    );
    expect(decision.desired).toBe(tc.expected);
    const log = recommendationRecords(state.recommendations);
    expect(log).toHaveLength(tc.logLength);
    expect(log).toContainEqual({ at: NOW, capacity: tc.desired });
    const stabilized = decision.trace.find((s) => s.stage === 'stabilize');
    if (tc.expected === tc.desired) expect(stabilized).toBeUndefined();
    else
      expect(stabilized).toMatchObject({ from: tc.desired, to: tc.expected, reason: 'ScaleDownStabilized' });
    // The pipeline agrees with the exported pure function it is built from.
    const pure = normalizeDesiredReplicas({
      currentReplicas: 5,
      desiredReplicas: tc.desired,
      minReplicas: 1,
      maxReplicas: 10,
      now: NOW,
      recommendations: recommendationLog(recommendations),
    });
    expect(decision.desired).toBe(pure.replicas);
  });

  it('TestScaleDownStabilizeInitialSize: an empty history is seeded with the current size', () => {
    // 5 → 3 with no history: reconcileAutoscaler seeds {5, now}, so the window holds 5.
    const { decision } = decide(input({ current: 5, desired: 3, min: 1, max: 10 }));
    expect(decision.desired).toBe(5);
    expect(decision.reason).toBe('ScaleDownStabilized');
  });

  it.each([
    // A recommendation of 8 made 7 minutes ago: outside a 5-minute window, inside a 10-minute one.
    { name: 'downscaleStabilization 5m: 8 from 7 minutes ago has expired → 3', window: 5, desired: 3 },
    { name: 'downscaleStabilization 10m: 8 from 7 minutes ago still holds → 8', window: 10, desired: 8 },
  ])('$name', ({ window, desired }) => {
    const behavior = groupBehaviorSchema.parse({ mode: 'legacy', downscaleStabilization: `${window}m` });
    const { decision } = decide(
      input({
        current: 8,
        desired: 3,
        min: 1,
        max: 10,
        behavior,
        recommendations: [{ at: NOW - 7 * MINUTE, capacity: 8 }],
      }),
    );
    expect(decision.desired).toBe(desired);
  });
});

describe('recordScaling with legacy behavior', () => {
  it('keeps the cooldown timestamps and records no scale event (no rate policy reads them)', () => {
    const state = recordScaling(initialDecisionState(), 2, 4, NOW, LEGACY);
    expect(state).toMatchObject({ lastScaleOutAt: NOW, scaleUpEvents: [], scaleDownEvents: [] });
  });
});

describe('behavior in the group schema', () => {
  const base = { id: 'web', minCapacity: 1, maxCapacity: 10 };
  const errorOf = (behavior: unknown): string[] => {
    try {
      validateGroupConfig({ ...base, behavior });
    } catch (error) {
      return (error as ConfigError).issues.map((i) => i.message);
    }
    throw new Error('expected a ConfigError');
  };

  it.each([
    {
      name: "{ mode: 'legacy' } takes the controller's 5-minute window",
      input: { mode: 'legacy' },
      window: 300_000,
    },
    {
      name: 'downscaleStabilization is a duration',
      input: { mode: 'legacy', downscaleStabilization: '10m' },
      window: 600_000,
    },
  ])('$name', ({ input: behavior, window }) => {
    expect(validateGroupConfig({ ...base, behavior }).behavior).toEqual({
      mode: 'legacy',
      downscaleStabilization: window,
    });
  });

  it("mode 'kubernetes' is the default, written out", () => {
    const written = validateGroupConfig({
      ...base,
      behavior: { mode: 'kubernetes', scaleDown: { stabilizationWindow: '1m' } },
    });
    const implied = validateGroupConfig({ ...base, behavior: { scaleDown: { stabilizationWindow: '1m' } } });
    expect(written.behavior).toEqual(implied.behavior);
    expect(validateGroupConfig(base).behavior).toEqual(K8S_DEFAULTS);
  });

  it.each([
    {
      name: 'an unknown mode',
      behavior: { mode: 'legasy' },
      message: 'behavior.mode: expected one of "legacy", "kubernetes", nothing, got "legasy"',
    },
    {
      name: 'a bad window',
      behavior: { mode: 'legacy', downscaleStabilization: -1 },
      message: 'behavior.downscaleStabilization: expected',
    },
    {
      name: 'a misspelt key',
      behavior: { mode: 'legacy', downscaleStabilisation: '5m' },
      message: 'behavior.downscaleStabilisation: unknown key (did you mean "downscaleStabilization"?)',
    },
    {
      name: 'rate policies do not mix with legacy',
      behavior: { mode: 'legacy', scaleUp: { policies: [] } },
      message: 'behavior.scaleUp: unknown key',
    },
  ])('rejects $name', ({ behavior, message }) => {
    const messages = errorOf(behavior);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(message);
  });
});
