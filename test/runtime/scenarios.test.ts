/**
 * The scaling loop, scenario by scenario: each is plain data run by the one shared runner in
 * `scenario-runner.ts`. Expected numbers come from the documented rules; the arithmetic is in
 * the comments.
 *
 * Conventions shared by every scenario unless it says otherwise:
 * - group `web`: min 1, max 10, one tick every 15 s, one target-tracking rule on `busy_ratio`
 *   with target 0.5, the default 10 % tolerance and statistic `last` (so the value a tick sees is
 *   the step in force at that instant);
 * - target tracking (Kubernetes `Value` target): ratio = value / 0.5; within [0.9, 1.1] keep,
 *   else desired = ceil(ratio × ready units);
 * - default behavior (Kubernetes): scale-up at most max(+4 units, +100 %) per 15 s, no window;
 *   scale-down 100 % per 15 s with a 5-minute stabilization window (max of the recommendations
 *   strictly newer than now − 5 m, history seeded with the current size on the first tick);
 * - metric samples every 5 s; the controller fake provisions instantly.
 */
import type { ScalingGroupConfigInput } from 'tideway';
import { describe, expect, it } from 'vitest';
import { decisionsOf, eventsOf, runScenario, type Scenario } from './scenario-runner.js';

const sec = (n: number): number => n * 1000;

function group(overrides: Partial<ScalingGroupConfigInput> = {}): ScalingGroupConfigInput {
  return {
    id: 'web',
    minCapacity: 1,
    maxCapacity: 10,
    evaluationInterval: '15s',
    rules: [{ kind: 'target-tracking', metric: 'busy_ratio', target: 0.5, statistic: 'last' }],
    ...overrides,
  };
}

/** No scale-down stabilization, so cooldowns, holds and pauses are the only brakes. */
const NO_DOWN_WINDOW = { scaleDown: { stabilizationWindow: 0 } };

const SCALE_OUT: Scenario = {
  name: 'scale-out: follows the load up and stops at maxCapacity',
  group: group(),
  controller: { initial: 2 },
  metrics: {
    busy_ratio: [
      [0, 0.4],
      [sec(30), 0.75],
    ],
  },
  until: sec(90),
  expect: {
    decisions: [
      // ratio 0.8 is outside tolerance but ceil(0.8 × 2) = 2 is no change
      [0, 'NoChange', 2],
      [sec(15), 'NoChange', 2],
      // ratio 1.5: ceil(1.5 × 2) = 3; ceil(1.5 × 3) = 5; ceil(1.5 × 5) = 8 (rate limit 8 + 4 = 12 allows it)
      [sec(30), 'ScaleOut', 3, 'busy_ratio 0.75 is above target 0.5'],
      [sec(45), 'ScaleOut', 5],
      [sec(60), 'ScaleOut', 8],
      // ceil(1.5 × 8) = 12 > max 10
      [sec(75), 'TooManyReplicas', 10],
      [sec(90), 'TooManyReplicas', 10],
    ],
    setCapacityCalls: [
      [sec(30), 3, true],
      [sec(45), 5, true],
      [sec(60), 8, true],
      [sec(75), 10, true],
    ],
    capacity: [
      [sec(29), 2],
      [sec(30), 3],
      [sec(90), 10],
    ],
    events: [{ kind: 'scaled', match: { groupId: 'web', at: sec(30), from: 2, to: 3 } }],
    eventCounts: { scaled: 4, 'scale-failed': 0, 'metrics-unavailable': 0, error: 0 },
  },
};

const SCALE_OUT_PROVISIONING: Scenario = {
  name: 'scale-out: units still provisioning do not count as ready',
  group: group(),
  controller: { initial: 2, provisioningDelay: sec(30) },
  metrics: { busy_ratio: [[0, 0.75]] },
  actions: [
    {
      at: sec(15),
      do: 'check',
      check: (w) => expect(w.controller.capacityOf('web')).toEqual({ desired: 3, ready: 2, provisioning: 1 }),
    },
  ],
  until: sec(60),
  expect: {
    decisions: [
      // ceil(1.5 × 2 ready) = 3
      [0, 'ScaleOut', 3],
      // the third unit is not ready until 30 s: ceil(1.5 × 2 ready) = 3, no change
      [sec(15), 'NoChange', 3],
      // 3 ready: ceil(4.5) = 5
      [sec(30), 'ScaleOut', 5],
      [sec(45), 'NoChange', 5],
      // 5 ready: ceil(7.5) = 8
      [sec(60), 'ScaleOut', 8],
    ],
  },
};

const STABILIZATION: Scenario = {
  name: 'scale-in: held by the 5-minute stabilization window, released when it has passed',
  group: group(),
  controller: { initial: 4 },
  metrics: {
    busy_ratio: [
      [0, 0.5],
      [sec(30), 0.2],
    ],
  },
  until: sec(330),
  expect: {
    decisions: [
      // ratio 1.0 is within tolerance; recommendations 4 at 0 s (and the seed) and at 15 s
      [0, 'NoChange', 4],
      [sec(15), 'NoChange', 4],
      // ratio 0.4: ceil(0.4 × 4) = 2, but the window still holds the 4 recommended at 15 s
      [sec(30), 'ScaleDownStabilized', 4],
      [sec(300), 'ScaleDownStabilized', 4],
      // 315 s − 5 m = 15 s: the 4 at 15 s is no longer strictly inside; all later ones are 2
      [sec(315), 'ScaleIn', 2],
      // ceil(0.4 × 2) = 1, but 2 was recommended from 45 s to 315 s
      [sec(330), 'ScaleDownStabilized', 2],
    ],
    setCapacityCalls: [[sec(315), 2, true]],
  },
};

const COOLDOWN: Scenario = {
  name: 'cooldown: scale-out waits after a scale-out, scale-in waits after any change',
  group: group({ cooldown: { scaleOut: '1m', scaleIn: '2m' }, behavior: NO_DOWN_WINDOW }),
  controller: { initial: 2 },
  metrics: {
    busy_ratio: [
      [0, 0.75],
      [sec(75), 0.2],
      [sec(315), 1.0],
    ],
  },
  until: sec(315),
  expect: {
    decisions: [
      // ceil(1.5 × 2) = 3
      [0, 'ScaleOut', 3],
      // wants ceil(1.5 × 3) = 5, but the scale-out at 0 s blocks scale-out until 60 s
      [sec(15), 'CooldownActive', 3, 'scale-out cooldown'],
      [sec(45), 'CooldownActive', 3],
      [sec(60), 'ScaleOut', 5],
      // ratio 0.4: ceil(0.4 × 5) = 2, but the scale-out at 60 s blocks scale-in until 180 s
      [sec(75), 'CooldownActive', 5, 'scale-in cooldown'],
      [sec(165), 'CooldownActive', 5],
      [sec(180), 'ScaleIn', 2],
      // ceil(0.4 × 2) = 1, but the scale-in at 180 s blocks scale-in until 300 s
      [sec(195), 'CooldownActive', 2, 'scale-in cooldown'],
      [sec(285), 'CooldownActive', 2],
      [sec(300), 'ScaleIn', 1],
      // ratio 2: ceil(2 × 1) = 2; the scale-in at 300 s does not delay a scale-out
      [sec(315), 'ScaleOut', 2],
    ],
    setCapacityCalls: [
      [0, 3, true],
      [sec(60), 5, true],
      [sec(180), 2, true],
      [sec(300), 1, true],
      [sec(315), 2, true],
    ],
  },
};

const HOLD: Scenario = {
  name: 'manual hold: setGroupCapacity with holdFor suspends the rules until the hold ends',
  group: group({ behavior: NO_DOWN_WINDOW }),
  controller: { initial: 2 },
  metrics: {
    busy_ratio: [
      [0, 0.5],
      [sec(45), 0.2],
    ],
  },
  actions: [
    { at: sec(30), do: 'setGroupCapacity', capacity: 6, options: { reason: 'release day', holdFor: '2m' } },
    {
      at: sec(30),
      do: 'check',
      check: (w) =>
        expect(w.manager.getScalingGroup('web')?.status.hold).toEqual({
          capacity: 6,
          until: sec(150), // 30 s + 2 m
          reason: 'release day',
        }),
    },
    {
      at: sec(150),
      do: 'check',
      check: (w) => expect(w.manager.getScalingGroup('web')?.status.hold).toBeNull(),
    },
  ],
  until: sec(150),
  expect: {
    decisions: [
      [sec(30), 'NoChange', 2],
      [sec(30), 'ManualOverride', 6, 'release day'],
      // ratio 0.4: ceil(0.4 × 6) = 3, held
      [sec(45), 'ManualHold', 6],
      [sec(135), 'ManualHold', 6],
      // the hold ends at 150 s exactly
      [sec(150), 'ScaleIn', 3],
    ],
    // nothing automatic between the manual change and the end of the hold
    setCapacityCalls: [
      [sec(30), 6, true],
      [sec(150), 3, true],
    ],
  },
};

const RELEASE_HOLD: Scenario = {
  name: 'manual hold: releaseHold ends it early and the rules resume on the next tick',
  group: group(),
  controller: { initial: 2 },
  metrics: {
    busy_ratio: [
      [0, 0.5],
      [sec(30), 1.0],
    ],
  },
  actions: [
    { at: sec(10), do: 'setGroupCapacity', capacity: 3, options: { holdFor: '1h' } },
    { at: sec(50), do: 'releaseHold' },
  ],
  until: sec(60),
  expect: {
    decisions: [
      [sec(10), 'ManualOverride', 3],
      // ratio 1.0 within tolerance of 3 units
      [sec(15), 'NoChange', 3],
      // ratio 2: ceil(2 × 3) = 6, held
      [sec(30), 'ManualHold', 3],
      [sec(45), 'ManualHold', 3],
      [sec(60), 'ScaleOut', 6],
    ],
    setCapacityCalls: [
      [sec(10), 3, true],
      [sec(60), 6, true],
    ],
  },
};

const PAUSE_OUT: Scenario = {
  name: 'pause scale-out: scale-in still happens; resume lets scale-out through',
  group: group({ minCapacity: 2, behavior: NO_DOWN_WINDOW }),
  controller: { initial: 4 },
  metrics: {
    busy_ratio: [
      [0, 0.75],
      [sec(60), 0.2],
      [sec(120), 0.75],
    ],
  },
  actions: [
    { at: 0, do: 'pause', direction: 'scale-out' },
    {
      at: 0,
      do: 'check',
      check: (w) =>
        expect(w.manager.getScalingGroup('web')?.status.paused).toEqual({ scaleOut: true, scaleIn: false }),
    },
    { at: sec(105), do: 'resume', direction: 'scale-out' },
  ],
  until: sec(120),
  expect: {
    decisions: [
      // ceil(1.5 × 4) = 6, paused
      [0, 'ScaleOutPaused', 4, 'scale-out is paused'],
      [sec(45), 'ScaleOutPaused', 4],
      // ceil(0.4 × 4) = 2: scale-in is not paused
      [sec(60), 'ScaleIn', 2],
      // ceil(0.4 × 2) = 1 < min 2
      [sec(75), 'TooFewReplicas', 2],
      // ceil(1.5 × 2) = 3
      [sec(120), 'ScaleOut', 3],
    ],
    events: [
      { kind: 'paused', match: { groupId: 'web', direction: 'scale-out', at: 0 } },
      { kind: 'resumed', match: { groupId: 'web', direction: 'scale-out', at: sec(105) } },
    ],
    setCapacityCalls: [
      [sec(60), 2, true],
      [sec(120), 3, true],
    ],
  },
};

const PAUSE_IN: Scenario = {
  name: 'pause scale-in: scale-out still happens; resume lets scale-in through',
  group: group({ behavior: NO_DOWN_WINDOW }),
  controller: { initial: 4 },
  metrics: {
    busy_ratio: [
      [0, 0.2],
      [sec(60), 0.75],
      [sec(75), 0.2],
    ],
  },
  actions: [
    { at: 0, do: 'pause', direction: 'scale-in' },
    { at: sec(90), do: 'resume', direction: 'scale-in' },
  ],
  until: sec(105),
  expect: {
    decisions: [
      // ceil(0.4 × 4) = 2, paused
      [0, 'ScaleInPaused', 4, 'scale-in is paused'],
      [sec(45), 'ScaleInPaused', 4],
      // ceil(1.5 × 4) = 6: scale-out is not paused
      [sec(60), 'ScaleOut', 6],
      // ceil(0.4 × 6) = 3, paused
      [sec(75), 'ScaleInPaused', 6],
      [sec(90), 'ScaleInPaused', 6],
      [sec(105), 'ScaleIn', 3],
    ],
    setCapacityCalls: [
      [sec(60), 6, true],
      [sec(105), 3, true],
    ],
  },
};

const BOUNDS_WHILE_PAUSED: Scenario = {
  name: 'bounds: lowering maxCapacity below current brings it back within bounds even while paused',
  group: group(),
  controller: { initial: 8 },
  metrics: { busy_ratio: [[0, 0.5]] },
  actions: [
    { at: 0, do: 'pause', direction: 'both' },
    { at: sec(30), do: 'update', patch: { maxCapacity: 5 } },
  ],
  until: sec(60),
  expect: {
    decisions: [
      // ratio 1.0 is within tolerance: the rule proposes 8; bounds win over the pause
      [sec(30), 'NoChange', 8],
      [sec(45), 'TooManyReplicas', 5],
      [sec(60), 'NoChange', 5],
    ],
    events: [{ kind: 'group-updated', match: { groupId: 'web', changed: ['maxCapacity'] } }],
    setCapacityCalls: [[sec(45), 5, true]],
  },
};

const BOUNDS_WHILE_HELD: Scenario = {
  name: 'bounds: raising minCapacity above a held capacity brings it back within bounds',
  group: group(),
  controller: { initial: 2 },
  metrics: { busy_ratio: [[0, 0.5]] },
  actions: [
    { at: sec(10), do: 'setGroupCapacity', capacity: 3, options: { holdFor: '1h' } },
    { at: sec(30), do: 'update', patch: { minCapacity: 5 } },
  ],
  until: sec(45),
  expect: {
    decisions: [
      [sec(10), 'ManualOverride', 3],
      [sec(30), 'NoChange', 3],
      [sec(45), 'TooFewReplicas', 5],
    ],
    setCapacityCalls: [
      [sec(10), 3, true],
      [sec(45), 5, true],
    ],
  },
};

const SLOW_PROVIDER: Scenario = {
  name: 'slow provider: ticks never overlap; ticks due meanwhile are skipped and recorded',
  group: group({ timeouts: { metrics: '30s' } }),
  controller: { initial: 2 },
  providerLatency: sec(20),
  metrics: { busy_ratio: [[0, 0.75]] },
  actions: [{ at: sec(5), do: 'evaluate' }],
  until: sec(110),
  expect: {
    decisions: [
      // each tick starts at 0, 30, 60, 90 s and answers 20 s later
      [0, 'ScaleOut', 3],
      // scale-ups are recorded when applied (20 s, 50 s, …) and count for 15 s from then:
      // at 30 s the +1 at 20 s counts: period start 3 − 1 = 2, limit max(2 + 4, 2 × 2) = 6 ≥ ceil(4.5) = 5
      [sec(30), 'ScaleOut', 5],
      // at 60 s the +2 at 50 s counts: period start 3, limit max(7, 6) = 7 < ceil(7.5) = 8
      [sec(60), 'ScaleUpLimit', 7],
      // at 90 s: period start 7 − 2 = 5, limit max(9, 10) = 10; ceil(1.5 × 7) = 11 > max 10
      [sec(90), 'TooManyReplicas', 10],
    ],
    eventCounts: { decision: 4, 'tick-skipped': 5, 'metrics-unavailable': 0 },
    check: ({ a }) => {
      // skipped: the evaluate() at 5 s and the ticks due at 15, 45, 75 and 105 s
      expect(eventsOf(a, 'tick-skipped').map((e) => [e.at, e.reason])).toEqual([
        [sec(5), 'in-flight'],
        [sec(15), 'in-flight'],
        [sec(45), 'in-flight'],
        [sec(75), 'in-flight'],
        [sec(105), 'in-flight'],
      ]);
      expect(a.evaluations).toEqual([{ at: sec(5), result: undefined }]);
      // one read per tick that ran, each starting only after the previous one answered
      expect(a.metrics.reads).toBe(4);
      expect(a.controller.calls.filter((c) => c.method === 'getCapacity').map((c) => c.at)).toEqual([
        0,
        sec(30),
        sec(60),
        sec(90),
      ]);
      expect(a.emitted.filter((e) => e.kind === 'decision').map((e) => e.clockAt)).toEqual([
        sec(20),
        sec(50),
        sec(80),
        sec(110),
      ]);
      expect(eventsOf(a, 'scaled').map((e) => [e.at, e.to])).toEqual([
        [sec(20), 3],
        [sec(50), 5],
        [sec(80), 7],
        [sec(110), 10],
      ]);
    },
  },
};

const PROVIDER_TIMEOUT: Scenario = {
  name: 'slow provider: a read longer than timeouts.metrics times out and the tick keeps capacity',
  group: group({ timeouts: { metrics: '10s' } }),
  controller: { initial: 2 },
  providerLatency: sec(20),
  metrics: { busy_ratio: [[0, 0.75]] },
  actions: [{ at: sec(40), do: 'latency', ms: 0 }],
  until: sec(45),
  expect: {
    decisions: [
      [0, 'MetricsUnavailable', 2, 'could not be read'],
      [sec(15), 'MetricsUnavailable', 2],
      [sec(30), 'MetricsUnavailable', 2],
      // the provider answers at once again
      [sec(45), 'ScaleOut', 3],
    ],
    eventCounts: { 'metrics-unavailable': 3, 'tick-skipped': 0, scaled: 1 },
    check: ({ a }) => {
      for (const event of eventsOf(a, 'metrics-unavailable')) {
        expect(event).toMatchObject({ groupId: 'web', metrics: ['busy_ratio'], reason: 'timeout' });
        expect(event.error).toMatchObject({ code: 'TIMEOUT' });
      }
      // each timed-out decision is emitted when its timeout fires, 10 s after the tick began
      expect(
        a.emitted
          .filter((e) => e.kind === 'decision')
          .map((e) => [(e.payload as { at: number }).at, e.clockAt]),
      ).toEqual([
        [0, sec(10)],
        [sec(15), sec(25)],
        [sec(30), sec(40)],
        [sec(45), sec(45)],
      ]);
    },
  },
};

const PROVIDER_FAILURE: Scenario = {
  name: 'provider failure: capacity unchanged, metrics-unavailable (failed), decision MetricsUnavailable',
  group: group(),
  controller: { initial: 2 },
  metrics: { busy_ratio: [[0, 0.75]] },
  actions: [{ at: sec(10), do: 'metricsFault', mode: 'fail' }],
  until: sec(30),
  expect: {
    decisions: [
      [0, 'ScaleOut', 3],
      [sec(15), 'MetricsUnavailable', 3, 'metrics backend unavailable'],
      // the next read works again: ceil(1.5 × 3) = 5
      [sec(30), 'ScaleOut', 5],
    ],
    events: [
      {
        kind: 'metrics-unavailable',
        match: { groupId: 'web', at: sec(15), metrics: ['busy_ratio'], reason: 'failed' },
      },
    ],
    eventCounts: { 'metrics-unavailable': 1, 'scale-failed': 0 },
    capacity: [[sec(15), 3]],
    setCapacityCalls: [
      [0, 3, true],
      [sec(30), 5, true],
    ],
  },
};

const CONTROLLER_FAILURE: Scenario = {
  name: 'controller failure: scale-failed, nothing recorded as scaled, the next tick retries',
  group: group({ cooldown: { scaleOut: '1m' } }),
  controller: { initial: 2 },
  metrics: { busy_ratio: [[0, 0.75]] },
  actions: [
    { at: 0, do: 'controllerFault', method: 'setCapacity', mode: 'fail' },
    {
      at: sec(10),
      do: 'check',
      check: (w) => {
        const status = w.manager.getScalingGroup('web')?.status;
        // the failed change left no trace: capacity as before, no scale-out to cool down from
        expect(status).toMatchObject({ capacity: 2, lastScaleOutAt: null, lastScaleInAt: null });
        expect(status?.lastDecision).toMatchObject({ reason: 'ScaleOut', desired: 3 });
        expect(w.controller.capacityOf('web').desired).toBe(2);
      },
    },
  ],
  until: sec(30),
  expect: {
    decisions: [
      [0, 'ScaleOut', 3],
      // not CooldownActive: the failed scale-out at 0 s started no cooldown
      [sec(15), 'ScaleOut', 3],
      // the successful scale-out at 15 s did
      [sec(30), 'CooldownActive', 3],
    ],
    events: [{ kind: 'scale-failed', match: { groupId: 'web', at: 0, from: 2, to: 3 } }],
    eventCounts: { 'scale-failed': 1, scaled: 1 },
    setCapacityCalls: [
      [0, 3, false],
      [sec(15), 3, true],
    ],
    capacity: [
      [0, 2],
      [sec(15), 3],
    ],
  },
};

const CAPACITY_UNAVAILABLE: Scenario = {
  name: 'controller failure: getCapacity fails → error event and CapacityUnavailable, capacity kept',
  group: group(),
  controller: { initial: 2 },
  metrics: { busy_ratio: [[0, 0.75]] },
  actions: [{ at: sec(10), do: 'controllerFault', method: 'getCapacity', mode: 'fail' }],
  until: sec(30),
  expect: {
    decisions: [
      [0, 'ScaleOut', 3],
      // the last known capacity is kept
      [sec(15), 'CapacityUnavailable', 3],
      [sec(30), 'ScaleOut', 5],
    ],
    events: [{ kind: 'error', match: { groupId: 'web', at: sec(15), source: 'controller' } }],
    setCapacityCalls: [
      [0, 3, true],
      [sec(30), 5, true],
    ],
  },
};

const CAPACITY_TIMEOUT: Scenario = {
  name: 'controller timeout: getCapacity longer than timeouts.controller → CapacityUnavailable',
  group: group({ timeouts: { controller: '20s' } }),
  controller: { initial: 2 },
  metrics: { busy_ratio: [[0, 0.75]] },
  actions: [{ at: sec(10), do: 'controllerFault', method: 'getCapacity', mode: 'hang' }],
  until: sec(45),
  expect: {
    decisions: [
      [0, 'ScaleOut', 3],
      // the read at 15 s hangs until its 20 s timeout
      [sec(15), 'CapacityUnavailable', 3, 'did not finish within 20000 ms'],
      [sec(45), 'ScaleOut', 5],
    ],
    events: [
      { kind: 'error', match: { groupId: 'web', at: sec(35), source: 'controller' } },
      { kind: 'tick-skipped', match: { at: sec(30), reason: 'in-flight' } },
    ],
    check: ({ a }) => {
      expect(eventsOf(a, 'error')[0]?.error).toMatchObject({ code: 'TIMEOUT' });
    },
  },
};

const NO_RULES: Scenario = {
  name: 'a group without rules keeps capacity within bounds and never reads metrics',
  group: group({ rules: [] }),
  controller: { initial: 12 },
  until: sec(30),
  expect: {
    decisions: [
      [0, 'TooManyReplicas', 10],
      [sec(15), 'NoRecommendation', 10, 'the group has no rules'],
      [sec(30), 'NoRecommendation', 10],
    ],
    setCapacityCalls: [[0, 10, true]],
    check: ({ a }) => expect(a.metrics.reads).toBe(0),
  },
};

const CONFIGURED_CAPACITY: Scenario = {
  name: 'configured desiredCapacity is applied on the first tick, then the rules take over',
  group: group({ desiredCapacity: 5 }),
  controller: { initial: 2 },
  metrics: { busy_ratio: [[0, 0.5]] },
  actions: [
    {
      at: 0,
      do: 'check',
      check: (w) => expect(w.manager.getScalingGroup('web')?.status.pendingDesiredCapacity).toBe(5),
    },
    {
      at: sec(10),
      do: 'check',
      check: (w) => expect(w.manager.getScalingGroup('web')?.status.pendingDesiredCapacity).toBeNull(),
    },
  ],
  until: sec(15),
  expect: {
    decisions: [
      [0, 'ConfiguredCapacity', 5, 'desiredCapacity 5'],
      // ratio 1.0 within tolerance of 5 units
      [sec(15), 'NoChange', 5],
    ],
    setCapacityCalls: [[0, 5, true]],
  },
};

const CONFIGURED_CAPACITY_RETRIED: Scenario = {
  name: 'configured desiredCapacity is retried when the controller rejects it',
  group: group({ desiredCapacity: 5 }),
  controller: { initial: 2 },
  metrics: { busy_ratio: [[0, 0.5]] },
  actions: [{ at: 0, do: 'controllerFault', method: 'setCapacity', mode: 'fail' }],
  until: sec(30),
  expect: {
    decisions: [
      [0, 'ConfiguredCapacity', 5],
      [sec(15), 'ConfiguredCapacity', 5],
      [sec(30), 'NoChange', 5],
    ],
    setCapacityCalls: [
      [0, 5, false],
      [sec(15), 5, true],
    ],
  },
};

const CONFIGURED_CAPACITY_UPDATE: Scenario = {
  name: 'configured desiredCapacity is applied again only when an update sets it',
  group: group({ desiredCapacity: 2 }),
  controller: { initial: 2 },
  metrics: { busy_ratio: [[0, 0.75]] },
  actions: [
    { at: sec(20), do: 'update', patch: { maxCapacity: 9 } },
    { at: sec(35), do: 'update', patch: { desiredCapacity: 4 } },
  ],
  until: sec(45),
  expect: {
    decisions: [
      [0, 'ConfiguredCapacity', 2],
      [sec(15), 'ScaleOut', 3],
      // an update of maxCapacity leaves the rules in charge: ceil(1.5 × 3) = 5
      [sec(30), 'ScaleOut', 5],
      [sec(45), 'ConfiguredCapacity', 4],
    ],
  },
};

const HOLD_AFTER_START: Scenario = {
  // DESIGN.md's own example: start(), then setGroupCapacity(…, { holdFor: '2h' }) at once.
  name: 'manual hold set right after start() is not undone by the configured desiredCapacity',
  group: group({ minCapacity: 0, maxCapacity: 40, desiredCapacity: 5 }),
  controller: { initial: 2 },
  metrics: { busy_ratio: [[0, 0.5]] },
  autoStart: false,
  actions: [
    {
      at: 0,
      do: 'together',
      actions: [
        { at: 0, do: 'start' },
        { at: 0, do: 'setGroupCapacity', capacity: 12, options: { reason: 'release day', holdFor: '2h' } },
      ],
    },
  ],
  until: sec(60),
  expect: {
    // the hold is the later, explicit wish: nothing automatic may move capacity for 2 h
    setCapacityCalls: [[0, 12, true]],
    capacity: [
      [0, 12],
      [sec(60), 12],
    ],
  },
};

function forked(base: Scenario, at: number, name: string): Scenario {
  return { ...base, name, actions: [...(base.actions ?? []), { at, do: 'fork' }] };
}

const SCENARIOS: readonly Scenario[] = [
  SCALE_OUT,
  SCALE_OUT_PROVISIONING,
  STABILIZATION,
  COOLDOWN,
  HOLD,
  RELEASE_HOLD,
  PAUSE_OUT,
  PAUSE_IN,
  BOUNDS_WHILE_PAUSED,
  BOUNDS_WHILE_HELD,
  SLOW_PROVIDER,
  PROVIDER_TIMEOUT,
  PROVIDER_FAILURE,
  CONTROLLER_FAILURE,
  CAPACITY_UNAVAILABLE,
  CAPACITY_TIMEOUT,
  NO_RULES,
  CONFIGURED_CAPACITY,
  CONFIGURED_CAPACITY_RETRIED,
  CONFIGURED_CAPACITY_UPDATE,
  HOLD_AFTER_START,
];

/**
 * Snapshot at a moment when the group remembers something that changes what it does next; the
 * runner restores it into a fresh manager and checks both continue identically.
 */
const RESTORED: readonly Scenario[] = [
  forked(COOLDOWN, sec(30), 'snapshot/restore in the middle of a scale-out cooldown'),
  forked(COOLDOWN, sec(120), 'snapshot/restore in the middle of a scale-in cooldown'),
  forked(HOLD, sec(90), 'snapshot/restore in the middle of a manual hold'),
  forked(STABILIZATION, sec(120), 'snapshot/restore in the middle of a stabilization window'),
  forked(PAUSE_IN, sec(80), 'snapshot/restore while scale-in is paused'),
  forked(CONFIGURED_CAPACITY_RETRIED, sec(5), 'snapshot/restore with a configured capacity still pending'),
];

describe('scaling loop scenarios', () => {
  it.each(SCENARIOS)('$name', async (scenario) => {
    await runScenario(scenario);
  });
});

describe('snapshot and restore continue exactly as if never interrupted', () => {
  it.each(RESTORED)('$name', async (scenario) => {
    const run = await runScenario(scenario);
    expect(run.b).toBeDefined();
    // the restored manager made decisions of its own (the runner compared them with A's)
    expect(decisionsOf(run.b as NonNullable<typeof run.b>).length).toBeGreaterThan(0);
  });
});

describe('the scenario runner', () => {
  it('fails a scenario whose expectation does not hold', async () => {
    await expect(runScenario({ ...SCALE_OUT, expect: { capacity: [[sec(30), 4]] } })).rejects.toThrow(
      /capacity at 30000 ms/,
    );
  });

  it('fails a fork whose restored manager diverges', async () => {
    // B's controller is changed behind its back, so B must decide differently from A.
    const diverging: Scenario = forked(
      {
        ...COOLDOWN,
        actions: [
          {
            at: sec(45),
            do: 'check',
            check: (w) => {
              if (w.label === 'B') w.controller.setExternally('web', 4);
            },
          },
        ],
      },
      sec(30),
      'diverging',
    );
    await expect(runScenario(diverging)).rejects.toThrow(/restored manager/);
  });
});
