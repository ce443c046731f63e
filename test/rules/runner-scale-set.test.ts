import { describe, expect, it } from 'vitest';
import { validateGroupConfig } from '../../src/config/group.js';
import type { JsonValue, Observation } from '../../src/core/types.js';
import { ConfigError } from '../../src/errors.js';
import { acceptsJobEvents, receiveRuleEvent, ruleSchema } from '../../src/rules/registry.js';
import {
  applyJobEvent,
  proposeRunnerScaleSet,
  runnerScaleSetRuleSchema,
} from '../../src/rules/runner-scale-set.js';

// arc-scale-sets-min-runners: ARC ADR 2023-11-02 (min runners semantics):
// desired = min(maxRunners, assignedJobs + minRunners), minRunners = idle runners.
const ADR =
  'https://github.com/actions/actions-runner-controller/blob/master/docs/adrs/2023-11-02-min-runners-semantics.md';
const NOW = 2_000_000;
const MIN = 60_000;

const rule = (over: object = {}) => runnerScaleSetRuleSchema.parse({ kind: 'runner-scale-set', ...over });
const observe = (capacity: number, extra: Partial<Observation> = {}): Observation => ({
  now: NOW,
  capacity,
  readyCapacity: capacity,
  metrics: {},
  ...extra,
});
const assigned = (value: number) => ({
  assigned: { status: 'ok' as const, samples: [{ timestamp: NOW - 1, value }] },
});

describe(`proposeRunnerScaleSet: arc-scale-sets-min-runners (${ADR})`, () => {
  it.each([
    { name: '3 assigned + 2 idle, max 10 → 5', jobs: 3, min: 2, max: 10, expected: 5 },
    { name: '9 assigned + 2 idle, max 10 → 10', jobs: 9, min: 2, max: 10, expected: 10 },
    { name: 'no job, 2 idle → 2', jobs: 0, min: 2, max: 10, expected: 2 },
    { name: 'no limit: 30 assigned + 0 idle → 30', jobs: 30, min: 0, max: undefined, expected: 30 },
  ])('$name', ({ jobs, min, max, expected }) => {
    const r = rule({ metric: 'assigned', minRunners: min, maxRunners: max });
    expect(proposeRunnerScaleSet(r, 0, observe(4, { metrics: assigned(jobs) })).capacity).toBe(expected);
  });

  it('counts job-event reservations as assigned jobs when no metric is given', () => {
    const r = rule({ minRunners: 1, maxRunners: 3 });
    let memory: JsonValue | undefined;
    for (const at of [NOW - 3000, NOW - 2000, NOW - 1000, NOW - 500]) {
      memory = applyJobEvent(memory, { type: 'queued', at }, at, r);
    }
    // 3 active (the limit), 1 waiting: min(3, 3 + 1) = 3
    expect(proposeRunnerScaleSet(r, 0, observe(1, { memory: [memory] }))).toMatchObject({
      capacity: 3,
      details: { assigned: 3, waiting: 1 },
    });
  });

  it('keeps the scale-in for scaleDownDelayAfterScaleOut', () => {
    const r = rule({ metric: 'assigned', scaleDownDelayAfterScaleOut: '5m' });
    const obs = observe(6, { metrics: assigned(1), lastScaleOutAt: NOW - 4 * MIN });
    expect(proposeRunnerScaleSet(r, 0, obs)).toMatchObject({ capacity: 6, reason: 'ScaleDownDelayed' });
  });

  it('the group schema rejects maxRunners below minRunners', () => {
    let error: unknown;
    try {
      validateGroupConfig({
        id: 'set',
        minCapacity: 0,
        maxCapacity: 10,
        rules: [{ kind: 'runner-scale-set', minRunners: 3, maxRunners: 2 }],
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => [i.path, i.message])).toEqual([
      ['rules[0].maxRunners', 'rules[0].maxRunners: expected a number ≥ minRunners (3), got 2'],
    ]);
  });
});

describe('receiveRuleEvent', () => {
  const queued = { type: 'queued' as const, at: NOW };
  it.each([
    { name: 'a scale set without a metric', input: { kind: 'runner-scale-set' }, accepts: true },
    { name: 'a scale set with a metric', input: { kind: 'runner-scale-set', metric: 'a' }, accepts: false },
    {
      name: 'percentage-runners-busy with a reservation duration',
      input: { kind: 'percentage-runners-busy', metric: 'busy', reservationDuration: '30m' },
      accepts: true,
    },
    { name: 'workflow-runs without one', input: { kind: 'workflow-runs', metric: 'jobs' }, accepts: false },
    { name: 'a queue rule', input: { kind: 'queue', metric: 'q', targetPerUnit: 1 }, accepts: false },
  ])('routes a job event to $name: $accepts', ({ input, accepts }) => {
    const parsed = ruleSchema.parse(input);
    expect(acceptsJobEvents(parsed)).toBe(accepts);
    const next = receiveRuleEvent(parsed, undefined, queued, NOW);
    expect(next === undefined).toBe(!accepts);
  });

  it('the 30-minute reservation of a percentage-runners-busy rule', () => {
    const parsed = ruleSchema.parse({
      kind: 'percentage-runners-busy',
      metric: 'b',
      reservationDuration: '30m',
    });
    expect(receiveRuleEvent(parsed, undefined, queued, NOW)).toEqual({
      reservations: [{ at: NOW, expiresAt: NOW + 30 * MIN }],
    });
  });
});
