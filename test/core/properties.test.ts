import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ArbitrationMode, arbitrate } from '../../src/core/arbitrate.js';
import type { Behavior } from '../../src/core/behavior.js';
import { type DecideConfig, decide } from '../../src/core/decide.js';
import { recommendationLog } from '../../src/core/recommendations.js';
import type { DecisionState, Proposal } from '../../src/core/types.js';

// Properties of the pipeline across every arbitration mode and the scale-in controls: whatever the
// rules propose, capacity ends inside [min, max], and a paused direction never moves.

const NOW = 10_000_000;
const past = fc.integer({ min: NOW - 1_200_000, max: NOW });
const RULES = ['a', 'b', 'c', 'd'];

const policy = fc.record({
  type: fc.constantFrom('units' as const, 'percent' as const),
  value: fc.integer({ min: 1, max: 200 }),
  period: fc.integer({ min: 1000, max: 120_000 }),
});
const direction = fc.record({
  stabilizationWindow: fc.integer({ min: 0, max: 600_000 }),
  selectPolicy: fc.constantFrom('max' as const, 'min' as const, 'disabled' as const),
  policies: fc.array(policy, { minLength: 1, maxLength: 3 }),
});

const FORMULAS = [
  'max(a, b, c, d)',
  'a ?? b ?? c ?? 3',
  'avg(a, b) * 2',
  'count([a, b, c, d], { # > 5 }) > 1 ? 40 : 0',
  'a - 100',
  'clamp(sum(a, b, c), 0, 1000)',
  'a / (b - b)',
  'metric("m", "average") * 3 ?? 1',
];

const arbitration: fc.Arbitrary<ArbitrationMode> = fc.oneof(
  fc.constantFrom<ArbitrationMode>('max', 'aws', 'azure', 'priority'),
  fc.constantFrom(...FORMULAS).map((formula): ArbitrationMode => ({ formula, window: 60_000 })),
  fc
    .constantFrom(
      () => 1e9,
      () => -5,
      () => Number.NaN,
      () => null,
      (p: readonly Proposal[]) => p.length * 7.5,
      () => {
        throw new Error('boom');
      },
    )
    .map((custom): ArbitrationMode => ({ custom })),
);

const config = fc
  .record({
    min: fc.integer({ min: 0, max: 15 }),
    span: fc.integer({ min: 0, max: 25 }),
    arbitration,
    behavior: fc.record({ scaleUp: direction, scaleDown: direction }),
    scaleInControls: fc.option(
      fc.record({
        maxScaledInReplicas: fc.oneof(
          fc.integer({ min: 0, max: 30 }).map((fixed) => ({ fixed })),
          fc.integer({ min: 0, max: 100 }).map((percent) => ({ percent })),
        ),
        timeWindow: fc.integer({ min: 1, max: 1_200_000 }),
      }),
      { nil: undefined },
    ),
  })
  .map(
    ({ min, span, arbitration, behavior, scaleInControls }): DecideConfig => ({
      minCapacity: min,
      maxCapacity: min + span,
      arbitration,
      behavior: behavior as Behavior,
      cooldown: { scaleOut: 0, scaleIn: 0 },
      scaleInControls,
    }),
  );

const proposal = fc.oneof(
  fc.record({ outcome: fc.constant('propose' as const), capacity: fc.integer({ min: 0, max: 80 }) }),
  fc.record({ outcome: fc.constant('abstain' as const) }),
  fc.record({ outcome: fc.constant('invalid' as const) }),
);
const proposals = fc.array(proposal, { maxLength: RULES.length }).map((list) =>
  list.map(
    (p, i): Proposal => ({
      rule: RULES[i] as string,
      ruleIndex: i,
      ...p,
      reason: p.outcome === 'invalid' ? 'MetricMissing' : 'AboveTarget',
      message: `${RULES[i]} ${p.outcome}`,
    }),
  ),
);

const record = fc.record({ at: past, capacity: fc.integer({ min: 0, max: 80 }) });
const state = fc.record({
  recommendations: fc.array(record, { maxLength: 6 }).map(recommendationLog),
  scaleUpEvents: fc.constant([]),
  scaleDownEvents: fc.constant([]),
  lastScaleOutAt: fc.constant(null),
  lastScaleInAt: fc.constant(null),
  hold: fc.constant(null),
  paused: fc.record({ scaleOut: fc.boolean(), scaleIn: fc.boolean() }),
  scaleInPeaks: fc.option(fc.array(record, { maxLength: 4 }), { nil: undefined }),
}) as fc.Arbitrary<DecisionState>;

const metric = fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { maxLength: 3 });

describe('decide: properties across arbitration modes and guards', () => {
  it('capacity never leaves [min, max], and a paused direction never moves', () => {
    fc.assert(
      fc.property(
        config,
        state,
        proposals,
        fc.integer({ min: 0, max: 60 }),
        metric,
        (cfg, prior, props, current, values) => {
          const { decision } = decide({
            groupId: 'g',
            sequence: 1,
            config: cfg,
            state: prior,
            observation: {
              now: NOW,
              capacity: current,
              readyCapacity: current,
              metrics: {
                m: {
                  status: 'ok',
                  samples: values.map((value, i) => ({ timestamp: NOW - 1000 * (values.length - i), value })),
                },
              },
            },
            proposals: props,
          });
          const { desired } = decision;
          expect(Number.isInteger(desired)).toBe(true);
          // Bounds win over everything, even over a paused direction (the bounds stage runs last).
          expect(desired).toBeGreaterThanOrEqual(cfg.minCapacity);
          expect(desired).toBeLessThanOrEqual(cfg.maxCapacity);
          if (current >= cfg.minCapacity && current <= cfg.maxCapacity) {
            if (prior.paused.scaleOut) expect(desired).toBeLessThanOrEqual(current);
            if (prior.paused.scaleIn) expect(desired).toBeGreaterThanOrEqual(current);
          }
        },
      ),
      { numRuns: 3000, seed: 42 },
    );
  });

  it('aws arbitration gives the same number as max', () => {
    fc.assert(
      fc.property(proposals, fc.integer({ min: 0, max: 60 }), (props, current) => {
        const aws = arbitrate('aws', props, current);
        const max = arbitrate('max', props, current);
        expect(aws.capacity).toBe(max.capacity);
        expect(aws.reason).toBe(max.reason);
      }),
      { numRuns: 2000, seed: 7 },
    );
  });

  it('scale-in controls never lower capacity more than the allowance below the current size', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        proposals,
        fc.integer({ min: 0, max: 60 }),
        (fixed, props, current) => {
          const { decision } = decide({
            groupId: 'g',
            sequence: 1,
            config: {
              minCapacity: 0,
              maxCapacity: 100,
              arbitration: 'max',
              behavior: {
                scaleUp: {
                  stabilizationWindow: 0,
                  selectPolicy: 'max',
                  policies: [{ type: 'percent', value: 1000, period: 1000 }],
                },
                scaleDown: {
                  stabilizationWindow: 0,
                  selectPolicy: 'max',
                  policies: [{ type: 'percent', value: 100, period: 1000 }],
                },
              },
              cooldown: { scaleOut: 0, scaleIn: 0 },
              scaleInControls: { maxScaledInReplicas: { fixed }, timeWindow: 600_000 },
            },
            state: {
              recommendations: [],
              scaleUpEvents: [],
              scaleDownEvents: [],
              lastScaleOutAt: null,
              lastScaleInAt: null,
              hold: null,
              paused: { scaleOut: false, scaleIn: false },
            },
            observation: { now: NOW, capacity: current, readyCapacity: current, metrics: {} },
            proposals: props,
          });
          // With no history the peak is the current size (seeded), so at most `fixed` go at once.
          expect(current - decision.desired).toBeLessThanOrEqual(fixed);
        },
      ),
      { numRuns: 1000, seed: 11 },
    );
  });
});
