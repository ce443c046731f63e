/**
 * Properties of the loop and of the pure pipeline, for random metric series and random valid
 * configs. The loop runs through the shared scenario runner on a ManualClock.
 */
import fc from 'fast-check';
import {
  type Behavior,
  type DecideConfig,
  type DecisionState,
  decide,
  type Proposal,
  type ScalingGroupConfigInput,
} from 'tideway';
import { describe, expect, it } from 'vitest';
import { recommendationLog } from '../../src/core/recommendations.js';
import { type Action, decisionsOf, runScenario, type Scenario, setCapacityCalls } from './scenario-runner.js';

// ---------------------------------------------------------------------------------------------
// Random inputs for the loop

const policy = fc.record({
  type: fc.constantFrom('units' as const, 'percent' as const),
  value: fc.integer({ min: 1, max: 200 }),
  period: fc.integer({ min: 1000, max: 120_000 }),
});

const direction = fc.record(
  {
    stabilizationWindow: fc.integer({ min: 0, max: 300_000 }),
    selectPolicy: fc.constantFrom('max' as const, 'min' as const, 'disabled' as const),
    policies: fc.array(policy, { minLength: 1, maxLength: 3 }),
  },
  { requiredKeys: [] },
);

/** A fraction in [0, 1], as thousandths (shrinks towards 0). */
const fraction = fc.integer({ min: 0, max: 1000 }).map((n) => n / 1000);

const metricValue = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 200 }).map((n) => n / 100), weight: 12 },
  { arbitrary: fc.constant(Number.NaN), weight: 1 },
);

const faultKind = fc.constantFrom(
  'metrics-fail' as const,
  'metrics-hang' as const,
  'set-fail' as const,
  'set-hang' as const,
  'get-fail' as const,
);

const loopInput = fc.record({
  min: fc.integer({ min: 0, max: 8 }),
  span: fc.integer({ min: 0, max: 20 }),
  initial: fc.integer({ min: 0, max: 35 }),
  desired: fc.option(fraction, { nil: undefined }),
  target: fc.integer({ min: 1, max: 10 }).map((n) => n / 10),
  tolerance: fc.integer({ min: 0, max: 50 }).map((n) => n / 100),
  statistic: fc.constantFrom(
    'average' as const,
    'last' as const,
    'max' as const,
    'min' as const,
    'sum' as const,
  ),
  window: fc.constantFrom(15_000, 60_000, 120_000),
  behavior: fc.record({ scaleUp: direction, scaleDown: direction }, { requiredKeys: [] }),
  cooldown: fc.record({
    scaleOut: fc.integer({ min: 0, max: 180_000 }),
    scaleIn: fc.integer({ min: 0, max: 180_000 }),
  }),
  interval: fc.constantFrom(5_000, 10_000, 15_000, 30_000),
  provisioningDelay: fc.integer({ min: 0, max: 120_000 }),
  ticks: fc.integer({ min: 20, max: 200 }),
  steps: fc.array(fc.tuple(fraction, metricValue), { minLength: 1, maxLength: 8 }),
  pauses: fc.array(
    fc.record({
      at: fraction,
      op: fc.constantFrom('pause' as const, 'resume' as const),
      direction: fc.constantFrom('scale-out' as const, 'scale-in' as const, 'both' as const),
    }),
    { maxLength: 3 },
  ),
  hold: fc.record({ at: fraction, duration: fc.integer({ min: 1, max: 600_000 }), capacity: fraction }),
  faults: fc.array(fc.record({ at: fraction, kind: faultKind }), { maxLength: 4 }),
});

type LoopInput = typeof loopInput extends fc.Arbitrary<infer T> ? T : never;

function bounds(input: LoopInput): { min: number; max: number } {
  return { min: input.min, max: input.min + input.span };
}

function pick(f: number, low: number, high: number): number {
  return low + Math.round(f * (high - low));
}

function faultAction(at: number, kind: LoopInput['faults'][number]['kind']): Action {
  switch (kind) {
    case 'metrics-fail':
      return { at, do: 'metricsFault', mode: 'fail' };
    case 'metrics-hang':
      return { at, do: 'metricsFault', mode: 'hang' };
    case 'set-fail':
      return { at, do: 'controllerFault', method: 'setCapacity', mode: 'fail' };
    case 'set-hang':
      return { at, do: 'controllerFault', method: 'setCapacity', mode: 'hang' };
    case 'get-fail':
      return { at, do: 'controllerFault', method: 'getCapacity', mode: 'fail' };
  }
}

interface Shape {
  /** Which faults to inject. @default all */
  readonly faults?: 'all' | 'metrics' | 'none';
  /** Inject faults only after this time. */
  readonly faultsAfter?: number;
  readonly pauses?: boolean;
  readonly hold?: boolean;
  readonly provisioning?: boolean;
  readonly extra?: readonly Action[];
}

function toScenario(input: LoopInput, shape: Shape = {}): Scenario {
  const { min, max } = bounds(input);
  const until = input.ticks * input.interval;
  const group: ScalingGroupConfigInput = {
    id: 'prop',
    minCapacity: min,
    maxCapacity: max,
    evaluationInterval: input.interval,
    rules: [
      {
        kind: 'target-tracking',
        metric: 'load',
        target: input.target,
        tolerance: input.tolerance,
        statistic: input.statistic,
        window: input.window,
      },
    ],
    behavior: input.behavior,
    cooldown: input.cooldown,
    ...(input.desired !== undefined ? { desiredCapacity: pick(input.desired, min, max) } : {}),
  };
  const actions: Action[] = [];
  if (shape.pauses ?? true) {
    for (const p of input.pauses)
      actions.push({ at: pick(p.at, 0, until), do: p.op, direction: p.direction });
  }
  if (shape.hold ?? true) actions.push(holdAction(input));
  const faults = shape.faults ?? 'all';
  const after = shape.faultsAfter ?? 0;
  for (const f of input.faults) {
    if (faults === 'none' || (faults === 'metrics' && !f.kind.startsWith('metrics'))) continue;
    actions.push(faultAction(pick(f.at, after + 1, until), f.kind));
  }
  actions.push(...(shape.extra ?? []));
  return {
    name: 'property',
    group,
    controller: {
      initial: input.initial,
      provisioningDelay: (shape.provisioning ?? true) ? input.provisioningDelay : 0,
    },
    metrics: { load: input.steps.map(([at, value]) => [pick(at, 0, until), value] as const) },
    actions,
    until,
  };
}

/** The hold: after the first tick, so the configured desiredCapacity has been applied. */
function holdAction(input: LoopInput): Action & { do: 'setGroupCapacity' } {
  const { min, max } = bounds(input);
  const until = input.ticks * input.interval;
  return {
    at: pick(input.hold.at, input.interval, until - 1),
    do: 'setGroupCapacity',
    capacity: pick(input.hold.capacity, min, max),
    options: { reason: 'property hold', holdFor: input.hold.duration },
  };
}

const RUNS = { numRuns: 50 };
/** Each loop property takes about a second alone; leave room for a busy machine. */
const LOOP_TIMEOUT = 30_000;

describe('loop properties', () => {
  it(
    'capacity always stays within [minCapacity, maxCapacity]',
    async () => {
      await fc.assert(
        fc.asyncProperty(loopInput, async (input) => {
          const { min, max } = bounds(input);
          const { a } = await runScenario(toScenario(input));
          for (const [at, capacity] of setCapacityCalls(a)) {
            expect(capacity, `setCapacity at ${at}`).toBeGreaterThanOrEqual(min);
            expect(capacity, `setCapacity at ${at}`).toBeLessThanOrEqual(max);
          }
          for (const d of decisionsOf(a)) {
            // without a capacity reading a decision can only restate the last known one
            if (d.reason === 'CapacityUnavailable') continue;
            expect(d.desired, `${d.id} (${d.reason})`).toBeGreaterThanOrEqual(min);
            expect(d.desired, `${d.id} (${d.reason})`).toBeLessThanOrEqual(max);
          }
          const { desired } = a.controller.capacityOf('prop');
          expect(desired).toBeGreaterThanOrEqual(min);
          expect(desired).toBeLessThanOrEqual(max);
        }),
        RUNS,
      );
    },
    LOOP_TIMEOUT,
  );

  it(
    'capacity never changes while a manual hold is active, except by the manual change itself',
    async () => {
      await fc.assert(
        fc.asyncProperty(loopInput, async (input) => {
          const hold = holdAction(input);
          const holdEnds = hold.at + input.hold.duration;
          let mark = -1;
          // Mark the controller's call list just before the manual change (same instant, earlier in order).
          const scenario = toScenario(input, { faults: 'metrics', hold: false });
          const marked: Scenario = {
            ...scenario,
            actions: [
              ...(scenario.actions ?? []),
              {
                at: hold.at,
                do: 'check',
                check: (w) => {
                  mark = w.controller.calls.length;
                },
              },
              hold,
            ],
          };
          const { a } = await runScenario(marked);
          expect(mark).toBeGreaterThanOrEqual(0);
          const during = a.controller.calls
            .slice(mark)
            .filter((c) => c.method === 'setCapacity' && c.at < holdEnds)
            .map((c) => ({ at: c.at, capacity: c.capacity, reason: c.context?.reason }));
          // the manual change calls the controller only when capacity differs
          expect(during.filter((c) => c.reason !== 'ManualOverride')).toEqual([]);
          expect(during.length).toBeLessThanOrEqual(1);
          if (during.length === 1)
            expect(during[0]).toEqual({ at: hold.at, capacity: hold.capacity, reason: 'ManualOverride' });
          const manual = decisionsOf(a).filter((d) => d.reason === 'ManualOverride');
          expect(manual.map((d) => [d.at, d.desired])).toEqual([[hold.at, hold.capacity]]);
        }),
        RUNS,
      );
    },
    LOOP_TIMEOUT,
  );

  it(
    'the same inputs give identical decisions, events and controller calls',
    async () => {
      await fc.assert(
        fc.asyncProperty(loopInput, async (input) => {
          const first = await runScenario(toScenario(input));
          const second = await runScenario(toScenario(input));
          expect(JSON.stringify(decisionsOf(second.a))).toBe(JSON.stringify(decisionsOf(first.a)));
          expect(JSON.stringify(second.a.manager.getScalingEvents())).toBe(
            JSON.stringify(first.a.manager.getScalingEvents()),
          );
          expect(second.a.controller.calls).toEqual(first.a.controller.calls);
        }),
        { numRuns: 40 },
      );
    },
    LOOP_TIMEOUT,
  );

  it(
    'a manager restored from a snapshot taken at any moment continues exactly as the original',
    async () => {
      await fc.assert(
        fc.asyncProperty(loopInput, fraction, async (input, f) => {
          const until = input.ticks * input.interval;
          // Leave room after the fork for a decision even if a read hangs until its 10 s timeout.
          const forkAt = pick(f, 0, until - 2 * input.interval - 11_000);
          // The fake controller's state is copied by size, so nothing may be provisioning at the
          // fork; faults queued before the fork live in A's fakes only, so they come after it.
          const scenario = toScenario(input, {
            provisioning: false,
            faultsAfter: forkAt,
            extra: [{ at: forkAt, do: 'fork' }],
          });
          const run = await runScenario(scenario);
          expect(run.b).toBeDefined();
        }),
        { numRuns: 40 },
      );
    },
    LOOP_TIMEOUT,
  );
});

// ---------------------------------------------------------------------------------------------
// The pure pipeline

const NOW = 10_000_000;
const past = fc.integer({ min: NOW - 600_000, max: NOW });

const resolvedDirection = fc.record({
  stabilizationWindow: fc.integer({ min: 0, max: 600_000 }),
  selectPolicy: fc.constantFrom('max' as const, 'min' as const, 'disabled' as const),
  policies: fc.array(policy, { minLength: 1, maxLength: 3 }),
});

const decideConfig = fc
  .record({
    min: fc.integer({ min: 0, max: 15 }),
    span: fc.integer({ min: 0, max: 25 }),
    behavior: fc.record({ scaleUp: resolvedDirection, scaleDown: resolvedDirection }),
    cooldown: fc.record({
      scaleOut: fc.integer({ min: 0, max: 600_000 }),
      scaleIn: fc.integer({ min: 0, max: 600_000 }),
    }),
  })
  .map(
    ({ min, span, behavior, cooldown }): DecideConfig => ({
      minCapacity: min,
      maxCapacity: min + span,
      arbitration: 'max',
      behavior: behavior as Behavior,
      cooldown,
    }),
  );

const scaleEvent = fc.record({ at: past, change: fc.integer({ min: 1, max: 10 }), outdated: fc.boolean() });

const decisionState = fc.record({
  recommendations: fc
    .array(fc.record({ at: past, capacity: fc.integer({ min: 0, max: 50 }) }), { maxLength: 6 })
    .map(recommendationLog),
  scaleUpEvents: fc.array(scaleEvent, { maxLength: 4 }),
  scaleDownEvents: fc.array(scaleEvent, { maxLength: 4 }),
  lastScaleOutAt: fc.option(past, { nil: null }),
  lastScaleInAt: fc.option(past, { nil: null }),
  hold: fc.option(
    fc.record({
      capacity: fc.integer({ min: 0, max: 50 }),
      until: fc.integer({ min: NOW - 60_000, max: NOW + 60_000 }),
      reason: fc.constant('property'),
    }),
    { nil: null },
  ),
  paused: fc.record({ scaleOut: fc.boolean(), scaleIn: fc.boolean() }),
}) as fc.Arbitrary<DecisionState>;

const proposal = fc.oneof(
  fc.record({ outcome: fc.constant('propose' as const), capacity: fc.integer({ min: 0, max: 60 }) }),
  fc.record({ outcome: fc.constant('abstain' as const) }),
  fc.record({ outcome: fc.constant('invalid' as const) }),
);

const proposals = fc.array(proposal, { maxLength: 4 }).map((list) =>
  list.map(
    (p, i): Proposal => ({
      rule: `rule-${i}`,
      ruleIndex: i,
      outcome: p.outcome,
      ...('capacity' in p ? { capacity: p.capacity } : {}),
      reason: p.outcome === 'invalid' ? 'MetricMissing' : 'AboveTarget',
      message: `rule ${i}`,
    }),
  ),
);

const decideInput = fc.record({
  config: decideConfig,
  state: decisionState,
  current: fc.integer({ min: 0, max: 50 }),
  proposals,
});

describe('decide properties', () => {
  it('desired is within [min, max]; the trace explains it; the input state is not mutated', () => {
    fc.assert(
      fc.property(decideInput, ({ config, state, current, proposals: list }) => {
        const before = JSON.stringify(state);
        const { decision } = decide({
          groupId: 'g',
          sequence: 1,
          config,
          state,
          observation: { now: NOW, capacity: current, readyCapacity: current, metrics: {} },
          proposals: list,
        });
        expect(decision.desired).toBeGreaterThanOrEqual(config.minCapacity);
        expect(decision.desired).toBeLessThanOrEqual(config.maxCapacity);
        const last = decision.trace[decision.trace.length - 1];
        expect(decision.trace[0]?.from).toBe(current);
        expect(last?.to).toBe(decision.desired);
        expect(last?.reason).toBe(decision.reason);
        for (let i = 1; i < decision.trace.length; i++) {
          expect(decision.trace[i]?.from).toBe(decision.trace[i - 1]?.to);
        }
        expect(decision.direction).toBe(
          decision.desired > current ? 'out' : decision.desired < current ? 'in' : 'none',
        );
        expect(JSON.stringify(state)).toBe(before);
      }),
      { numRuns: 1000 },
    );
  });

  it('a paused direction never moves unless current is outside the bounds', () => {
    fc.assert(
      fc.property(decideInput, ({ config, state, current, proposals: list }) => {
        const { decision } = decide({
          groupId: 'g',
          sequence: 1,
          config,
          state,
          observation: { now: NOW, capacity: current, readyCapacity: current, metrics: {} },
          proposals: list,
        });
        const within = current >= config.minCapacity && current <= config.maxCapacity;
        if (!within) {
          // only the bounds move it, and only as far as the nearest bound
          const nearest = Math.min(Math.max(current, config.minCapacity), config.maxCapacity);
          if (state.paused.scaleOut && state.paused.scaleIn) expect(decision.desired).toBe(nearest);
          return;
        }
        if (state.paused.scaleOut) expect(decision.desired).toBeLessThanOrEqual(current);
        if (state.paused.scaleIn) expect(decision.desired).toBeGreaterThanOrEqual(current);
      }),
      { numRuns: 1000 },
    );
  });

  it('an active hold keeps capacity; an expired hold is cleared from the state', () => {
    fc.assert(
      fc.property(decideInput, ({ config, state, current, proposals: list }) => {
        const { decision, state: next } = decide({
          groupId: 'g',
          sequence: 1,
          config,
          state,
          observation: { now: NOW, capacity: current, readyCapacity: current, metrics: {} },
          proposals: list,
        });
        const active = state.hold !== null && NOW < state.hold.until;
        const within = current >= config.minCapacity && current <= config.maxCapacity;
        if (active && within) expect(decision.desired).toBe(current);
        expect(next.hold).toEqual(active ? state.hold : null);
      }),
      { numRuns: 1000 },
    );
  });
});
