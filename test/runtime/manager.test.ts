/**
 * AutoScalingManager's API: registration, updates, removal, manual changes, construction,
 * events and their history, listeners, start/stop, evaluate, metric history and restore.
 */
import {
  AutoScalingManager,
  ConfigError,
  type Decision,
  GroupNotFoundError,
  type Logger,
  MANAGER_EVENT_NAMES,
  type ManagerEvents,
  type ScalingGroupConfigInput,
  TidewayError,
} from 'tideway';
import { InMemoryMetricsProvider, ManualClock, RecordingResourceController } from 'tideway/testing';
import { describe, expect, it } from 'vitest';

const sec = (n: number): number => n * 1000;

function config(overrides: Partial<ScalingGroupConfigInput> = {}): ScalingGroupConfigInput {
  return {
    id: 'web',
    minCapacity: 1,
    maxCapacity: 10,
    rules: [{ kind: 'target-tracking', metric: 'busy_ratio', target: 0.5, statistic: 'last' }],
    ...overrides,
  };
}

/** One sample every 5 s for an hour, `value(t)` each. */
function series(value: (t: number) => number): { timestamp: number; value: number }[] {
  const out: { timestamp: number; value: number }[] = [];
  for (let t = 0; t <= sec(3600); t += 5000) out.push({ timestamp: t, value: value(t) });
  return out;
}

interface Setup {
  clock: ManualClock;
  metrics: InMemoryMetricsProvider;
  controller: RecordingResourceController;
  manager: AutoScalingManager;
}

/** busy_ratio 0.5 (ratio 1.0 against target 0.5: no change) unless told otherwise. */
function setup(
  options: { initial?: number; busy?: number; historyLimit?: number; logger?: Logger } = {},
): Setup {
  const clock = new ManualClock(0);
  const metrics = new InMemoryMetricsProvider({
    scheduler: clock,
    series: { busy_ratio: series(() => options.busy ?? 0.5) },
  });
  const controller = new RecordingResourceController({ clock, initial: options.initial ?? 2 });
  const manager = new AutoScalingManager({
    metrics,
    controller,
    clock,
    scheduler: clock,
    ...(options.historyLimit !== undefined ? { historyLimit: options.historyLimit } : {}),
    ...(options.logger !== undefined ? { logger: options.logger } : {}),
  });
  return { clock, metrics, controller, manager };
}

function collect<K extends keyof ManagerEvents>(manager: AutoScalingManager, kind: K): ManagerEvents[K][0][] {
  const out: ManagerEvents[K][0][] = [];
  manager.on(kind, ((payload: ManagerEvents[K][0]) => {
    out.push(payload);
  }) as never);
  return out;
}

/** The error a call throws (sync) or rejects with (async). */
async function failure(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

function setCapacityCalls(controller: RecordingResourceController): [number, number][] {
  return controller.calls.filter((c) => c.method === 'setCapacity').map((c) => [c.at, c.capacity as number]);
}

/** What an outside observer can see of a manager. */
function observable(manager: AutoScalingManager) {
  return {
    groups: manager.listScalingGroups().map((g) => g.config),
    events: manager.getScalingEvents(),
    snapshot: manager.snapshot(),
  };
}

describe('registerScalingGroup, getScalingGroup, listScalingGroups', () => {
  it('registers a group with defaults applied and announces it', () => {
    const { manager } = setup();
    const registered = collect(manager, 'group-registered');
    const group = manager.registerScalingGroup(config());
    expect(manager.getScalingGroup('web')).toBe(group);
    expect(group.id).toBe('web');
    expect(group.config).toMatchObject({
      evaluationInterval: 15_000,
      cooldown: { scaleOut: 0, scaleIn: 0 },
      timeouts: { metrics: 10_000, controller: 30_000 },
    });
    expect(group.status).toMatchObject({ capacity: null, lastDecision: null, hold: null, evaluating: false });
    expect(registered).toEqual([{ groupId: 'web', at: 0 }]);
  });

  it('lists groups in registration order; get of an unknown id is undefined', () => {
    const { manager } = setup();
    for (const id of ['b', 'a', 'c']) manager.registerScalingGroup(config({ id }));
    expect(manager.listScalingGroups().map((g) => g.id)).toEqual(['b', 'a', 'c']);
    expect(manager.getScalingGroup('nope')).toBeUndefined();
  });

  it('rejects a duplicate id with a ConfigError at path "id"', async () => {
    const { manager } = setup();
    manager.registerScalingGroup(config());
    const error = await failure(() => manager.registerScalingGroup(config({ maxCapacity: 20 })));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
    expect((error as ConfigError).issues.map((i) => i.path)).toEqual(['id']);
    expect(manager.getScalingGroup('web')?.config.maxCapacity).toBe(10);
  });

  const invalid: { name: string; config: unknown; path: string }[] = [
    { name: 'duplicate id', config: config({ maxCapacity: 20 }), path: 'id' },
    {
      name: 'minCapacity above maxCapacity',
      config: config({ id: 'x', minCapacity: 5, maxCapacity: 2 }),
      path: 'maxCapacity',
    },
    { name: 'misspelt key', config: { ...config({ id: 'x' }), maxCapacty: 3 }, path: 'maxCapacty' },
    {
      name: 'rule without a target',
      config: config({ id: 'x', rules: [{ kind: 'target-tracking', metric: 'm' }] as never }),
      path: 'rules[0].target',
    },
    {
      name: 'bad duration',
      config: config({ id: 'x', evaluationInterval: 'soon' }),
      path: 'evaluationInterval',
    },
  ];

  it.each(invalid)('a failed registration ($name) leaves the manager exactly as before', async (row) => {
    const { manager, clock } = setup();
    manager.registerScalingGroup(config());
    manager.start();
    await clock.advanceAsync(sec(20));
    const before = observable(manager);
    const timers = clock.pending;
    const error = await failure(() => manager.registerScalingGroup(row.config as ScalingGroupConfigInput));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.path)).toContain(row.path);
    expect(observable(manager)).toEqual(before);
    expect(clock.pending).toBe(timers);
  });

  it('a group registered while running ticks at once', async () => {
    const { manager, clock } = setup();
    manager.start();
    await clock.advanceAsync(sec(7));
    manager.registerScalingGroup(config());
    const decisions = collect(manager, 'decision');
    await clock.advanceAsync(sec(15));
    // at once (7 s), then one interval later (22 s)
    expect(decisions.map((d) => d.at)).toEqual([sec(7), sec(22)]);
  });
});

describe('updateScalingGroup', () => {
  it('merges the patch over the config and reports the changed keys', () => {
    const { manager } = setup();
    manager.registerScalingGroup(config({ labels: { team: 'build' } }));
    const updated = collect(manager, 'group-updated');
    const group = manager.updateScalingGroup('web', { maxCapacity: 20, cooldown: '1m' });
    expect(group.config).toMatchObject({
      id: 'web',
      minCapacity: 1,
      maxCapacity: 20,
      cooldown: { scaleOut: 60_000, scaleIn: 60_000 },
      labels: { team: 'build' },
    });
    expect(group.config.rules).toHaveLength(1);
    expect(updated).toHaveLength(1);
    expect([...(updated[0]?.changed ?? [])].sort()).toEqual(['cooldown', 'maxCapacity']);
    manager.updateScalingGroup('web', { maxCapacity: 20 });
    expect(updated[1]).toMatchObject({ groupId: 'web', changed: [] });
  });

  it('validates the merged config as a whole; on failure nothing changes', async () => {
    const { manager } = setup();
    manager.registerScalingGroup(config());
    const before = observable(manager);
    const error = await failure(() => manager.updateScalingGroup('web', { minCapacity: 50 }));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.path)).toEqual(['maxCapacity']);
    expect(observable(manager)).toEqual(before);
  });

  it('refuses to change the id', async () => {
    const { manager } = setup();
    manager.registerScalingGroup(config());
    const error = await failure(() => manager.updateScalingGroup('web', { id: 'api' }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: 'ARGUMENT_INVALID' });
    expect((error as ConfigError).issues.map((i) => i.path)).toEqual(['id']);
    expect(manager.getScalingGroup('api')).toBeUndefined();
    // repeating its own id is fine
    expect(manager.updateScalingGroup('web', { id: 'web', maxCapacity: 9 }).config.maxCapacity).toBe(9);
  });

  it('throws GroupNotFoundError for an unknown group', async () => {
    const { manager } = setup();
    const error = await failure(() => manager.updateScalingGroup('nope', { maxCapacity: 3 }));
    expect(error).toBeInstanceOf(GroupNotFoundError);
    expect(error).toMatchObject({ code: 'GROUP_NOT_FOUND', groupId: 'nope' });
  });

  it('discards a tick in flight (superseded)', async () => {
    const { manager, clock, metrics, controller } = setup({ busy: 1.0 });
    metrics.setLatency(sec(20));
    manager.registerScalingGroup(config({ timeouts: { metrics: '1m' } }));
    const decisions = collect(manager, 'decision');
    const skipped = collect(manager, 'tick-skipped');
    manager.start();
    await clock.advanceAsync(sec(10));
    expect(manager.getScalingGroup('web')?.status.evaluating).toBe(true);
    manager.updateScalingGroup('web', { maxCapacity: 9 });
    await clock.advanceAsync(sec(10));
    // the read of the tick at 0 s answered at 20 s, after the update: its result is dropped
    expect(decisions).toEqual([]);
    expect(skipped.map((s) => [s.at, s.reason])).toEqual([
      [sec(15), 'in-flight'],
      [sec(20), 'superseded'],
    ]);
    expect(setCapacityCalls(controller)).toEqual([]);
  });

  it('keeps what the group remembers (pause, hold)', async () => {
    const { manager } = setup();
    manager.registerScalingGroup(config());
    manager.pause('web', 'scale-in');
    await manager.setGroupCapacity('web', 4, { holdFor: '1h' });
    manager.updateScalingGroup('web', { maxCapacity: 20 });
    expect(manager.getScalingGroup('web')?.status).toMatchObject({
      paused: { scaleOut: false, scaleIn: true },
      hold: { capacity: 4, until: sec(3600) },
    });
  });

  it('a new evaluationInterval takes effect at once', async () => {
    const { manager, clock } = setup();
    manager.registerScalingGroup(config());
    const decisions = collect(manager, 'decision');
    manager.start();
    await clock.advanceAsync(sec(20));
    manager.updateScalingGroup('web', { evaluationInterval: '1m' });
    await clock.advanceAsync(sec(130));
    expect(decisions.map((d) => d.at)).toEqual([0, sec(15), sec(20), sec(80), sec(140)]);
  });
});

describe('a manual change during a tick', () => {
  it('discards the tick in flight and wins', async () => {
    const { manager, clock, metrics, controller } = setup({ busy: 1.0 });
    metrics.setLatency(sec(20));
    manager.registerScalingGroup(config({ timeouts: { metrics: '1m' } }));
    const decisions = collect(manager, 'decision');
    const skipped = collect(manager, 'tick-skipped');
    manager.start();
    await clock.advanceAsync(sec(5));
    await manager.setGroupCapacity('web', 6);
    await clock.advanceAsync(sec(15));
    // the read of the tick at 0 s answered at 20 s: dropped, so the 2 → 4 it would decide never happens
    expect(skipped.map((e) => [e.at, e.reason])).toEqual([
      [sec(15), 'in-flight'],
      [sec(20), 'superseded'],
    ]);
    expect(decisions.map((d) => [d.at, d.reason, d.desired])).toEqual([[sec(5), 'ManualOverride', 6]]);
    expect(setCapacityCalls(controller)).toEqual([[sec(5), 6]]);
  });
});

describe('removeScalingGroup', () => {
  it('throws GroupNotFoundError for an unknown id', async () => {
    const { manager } = setup();
    const error = await failure(() => manager.removeScalingGroup('nope'));
    expect(error).toBeInstanceOf(GroupNotFoundError);
    expect(error).toMatchObject({ code: 'GROUP_NOT_FOUND', groupId: 'nope' });
  });

  it('stops the group; its events stay in the history', async () => {
    const { manager, clock } = setup();
    manager.registerScalingGroup(config());
    manager.registerScalingGroup(config({ id: 'api' }));
    manager.start();
    await clock.advanceAsync(sec(20));
    const removed = collect(manager, 'group-removed');
    manager.removeScalingGroup('web');
    expect(removed).toEqual([{ groupId: 'web', at: sec(20) }]);
    expect(manager.getScalingGroup('web')).toBeUndefined();
    expect(manager.listScalingGroups().map((g) => g.id)).toEqual(['api']);
    expect(clock.pending).toBe(1); // api's next tick only
    const decisions = collect(manager, 'decision');
    await clock.advanceAsync(sec(60));
    expect(decisions.every((d) => d.groupId === 'api')).toBe(true);
    // busy 0.5 at target 0.5: NoChange at 0 s and again at 15 s; the history folds the repeat
    // into the entry at 0 s.
    expect(manager.getScalingEvents({ groupId: 'web', kinds: ['decision'] }).map((e) => e.at)).toEqual([0]);
  });

  it('discards a tick in flight', async () => {
    const { manager, clock, metrics, controller } = setup({ busy: 1.0 });
    metrics.setLatency(sec(5));
    manager.registerScalingGroup(config());
    const decisions = collect(manager, 'decision');
    manager.start();
    await clock.advanceAsync(sec(1));
    manager.removeScalingGroup('web');
    await clock.advanceAsync(sec(30));
    expect(decisions).toEqual([]);
    expect(setCapacityCalls(controller)).toEqual([]);
  });
});

describe('setGroupCapacity', () => {
  it.each([
    { name: 'below minCapacity', capacity: 0 },
    { name: 'above maxCapacity', capacity: 11 },
    { name: 'not whole', capacity: 2.5 },
    { name: 'NaN', capacity: Number.NaN },
  ])('rejects a capacity $name with ARGUMENT_INVALID and changes nothing', async ({ capacity }) => {
    const { manager, controller } = setup();
    manager.registerScalingGroup(config());
    const decisions = collect(manager, 'decision');
    const error = await failure(() => manager.setGroupCapacity('web', capacity));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: 'ARGUMENT_INVALID' });
    expect((error as ConfigError).issues.map((i) => i.path)).toEqual(['capacity']);
    expect(decisions).toEqual([]);
    expect(controller.calls).toEqual([]);
  });

  it('rejects a malformed holdFor with ARGUMENT_INVALID at path "holdFor"', async () => {
    const { manager, controller } = setup();
    manager.registerScalingGroup(config());
    const error = await failure(() => manager.setGroupCapacity('web', 3, { holdFor: 'soon' }));
    expect(error).toMatchObject({ code: 'ARGUMENT_INVALID' });
    expect((error as ConfigError).issues.map((i) => i.path)).toEqual(['holdFor']);
    expect(setCapacityCalls(controller)).toEqual([]);
  });

  it('rejects an unknown group with GroupNotFoundError', async () => {
    const { manager } = setup();
    await expect(manager.setGroupCapacity('nope', 3)).rejects.toBeInstanceOf(GroupNotFoundError);
  });

  it('applies at once, ignoring cooldowns, and returns the decision', async () => {
    const { manager, controller, clock } = setup({ busy: 1.0 });
    manager.registerScalingGroup(config({ cooldown: '1h' }));
    await manager.evaluate('web'); // 2 → 4, starting a 1 h cooldown
    await clock.advanceAsync(sec(60));
    const decision = await manager.setGroupCapacity('web', 7, { reason: 'load test', holdFor: '10m' });
    expect(decision).toMatchObject({ reason: 'ManualOverride', current: 4, desired: 7, at: sec(60) });
    expect(decision.message).toContain('load test');
    expect(controller.capacityOf('web').desired).toBe(7);
    expect(manager.getScalingGroup('web')?.status).toMatchObject({
      capacity: 7,
      hold: { capacity: 7, until: sec(660), reason: 'load test' },
      lastDecision: decision,
    });
  });

  it('rejects with CONTROLLER_FAILED when the controller fails; no hold is set', async () => {
    const { manager, controller } = setup();
    manager.registerScalingGroup(config());
    const failed = collect(manager, 'scale-failed');
    controller.failNext('setCapacity', 1, new Error('quota exceeded'));
    const error = await failure(() => manager.setGroupCapacity('web', 5, { holdFor: '1h' }));
    expect(error).toBeInstanceOf(TidewayError);
    expect(error).toMatchObject({ code: 'CONTROLLER_FAILED' });
    expect((error as Error).message).toContain('quota exceeded');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ groupId: 'web', from: 2, to: 5 });
    expect(manager.getScalingGroup('web')?.status.hold).toBeNull();
    expect(controller.capacityOf('web').desired).toBe(2);
  });
});

describe('pause, resume, releaseHold', () => {
  it('throw GroupNotFoundError for an unknown group', async () => {
    const { manager } = setup();
    for (const call of [
      () => manager.pause('nope'),
      () => manager.resume('nope'),
      () => manager.releaseHold('nope'),
    ]) {
      expect(await failure(call)).toBeInstanceOf(GroupNotFoundError);
    }
  });

  it('rejects an unknown direction with ARGUMENT_INVALID and changes nothing', async () => {
    const { manager } = setup();
    manager.registerScalingGroup(config());
    const error = await failure(() => manager.pause('web', 'sideways' as never));
    expect(error).toMatchObject({ code: 'ARGUMENT_INVALID' });
    expect(manager.getScalingGroup('web')?.status.paused).toEqual({ scaleOut: false, scaleIn: false });
  });

  it('pause defaults to both directions and emits paused/resumed', () => {
    const { manager } = setup();
    manager.registerScalingGroup(config());
    const paused = collect(manager, 'paused');
    const resumed = collect(manager, 'resumed');
    manager.pause('web');
    expect(manager.getScalingGroup('web')?.status.paused).toEqual({ scaleOut: true, scaleIn: true });
    manager.resume('web', 'scale-in');
    expect(manager.getScalingGroup('web')?.status.paused).toEqual({ scaleOut: true, scaleIn: false });
    expect(paused).toEqual([{ groupId: 'web', at: 0, direction: 'both' }]);
    expect(resumed).toEqual([{ groupId: 'web', at: 0, direction: 'scale-in' }]);
  });
});

describe('constructor', () => {
  const clock = new ManualClock(0);
  const metrics = new InMemoryMetricsProvider();
  const controller = new RecordingResourceController({ clock });
  const rows: { name: string; options: unknown; path: string }[] = [
    { name: 'metrics missing', options: { controller }, path: 'metrics' },
    { name: 'metrics without read()', options: { metrics: {}, controller }, path: 'metrics' },
    { name: 'controller missing', options: { metrics }, path: 'controller' },
    {
      name: 'controller without setCapacity()',
      options: { metrics, controller: { getCapacity: () => Promise.resolve(1) } },
      path: 'controller',
    },
    { name: 'clock without now()', options: { metrics, controller, clock: {} }, path: 'clock' },
    {
      name: 'scheduler without clearTimeout()',
      options: { metrics, controller, scheduler: { setTimeout: () => 1 } },
      path: 'scheduler',
    },
    {
      name: 'logger without error()',
      options: { metrics, controller, logger: { info() {} } },
      path: 'logger',
    },
    {
      name: 'negative historyLimit',
      options: { metrics, controller, historyLimit: -1 },
      path: 'historyLimit',
    },
    {
      name: 'fractional historyLimit',
      options: { metrics, controller, historyLimit: 1.5 },
      path: 'historyLimit',
    },
    { name: 'misspelt option', options: { metrics, controller, clok: clock }, path: 'clok' },
  ];

  it.each(rows)('throws a ConfigError naming the path: $name', async ({ options, path }) => {
    const error = await failure(() => new AutoScalingManager(options as never));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
    expect((error as ConfigError).issues.map((i) => i.path)).toContain(path);
    expect((error as Error).message).toContain(path);
  });

  it('throws a ConfigError for no options at all', async () => {
    expect(await failure(() => new AutoScalingManager(undefined as never))).toBeInstanceOf(ConfigError);
  });

  it('accepts the two ports alone', () => {
    const manager = new AutoScalingManager({ metrics, controller });
    expect(manager.isRunning).toBe(false);
    expect(manager.listScalingGroups()).toEqual([]);
  });
});

describe('event history', () => {
  async function twoGroups(historyLimit?: number) {
    const s = setup(historyLimit !== undefined ? { busy: 1.0, historyLimit } : { busy: 1.0 });
    s.manager.registerScalingGroup(config({ id: 'a' }));
    s.manager.registerScalingGroup(config({ id: 'b' }));
    s.manager.start();
    await s.clock.advanceAsync(sec(45));
    return s;
  }

  it('lists events newest first with increasing sequence numbers', async () => {
    const { manager } = await twoGroups();
    const all = manager.getScalingEvents();
    expect(all.length).toBeGreaterThan(10);
    for (let i = 1; i < all.length; i++) {
      expect((all[i - 1] as { seq: number }).seq).toBe((all[i] as { seq: number }).seq + 1);
      expect((all[i - 1] as { at: number }).at).toBeGreaterThanOrEqual((all[i] as { at: number }).at);
    }
    // the oldest are the registrations
    expect(all.slice(-2).map((e) => [e.kind, e.groupId])).toEqual([
      ['group-registered', 'b'],
      ['group-registered', 'a'],
    ]);
    // plain JSON
    expect(JSON.parse(JSON.stringify(all))).toEqual(all);
  });

  it('filters by group, kinds, from (inclusive) and to (exclusive), and limits to the newest', async () => {
    const { manager } = await twoGroups();
    const all = manager.getScalingEvents();
    const ofA = manager.getScalingEvents({ groupId: 'a' });
    expect(ofA.length).toBeGreaterThan(0);
    expect(ofA).toEqual(all.filter((e) => e.groupId === 'a'));

    const scaled = manager.getScalingEvents({ kinds: ['scaled', 'group-registered'] });
    expect(new Set(scaled.map((e) => e.kind))).toEqual(new Set(['scaled', 'group-registered']));
    expect(scaled).toEqual(all.filter((e) => e.kind === 'scaled' || e.kind === 'group-registered'));

    // ticks at 0, 15, 30, 45 s: [15 s, 30 s) holds only the tick at 15 s
    const window = manager.getScalingEvents({ from: sec(15), to: sec(30) });
    expect(window.length).toBeGreaterThan(0);
    expect(window.every((e) => e.at === sec(15))).toBe(true);
    expect(window).toEqual(all.filter((e) => e.at === sec(15)));

    // busy 1.0 at target 0.5 from 2 units: 0 s 2→4, 15 s 4→8 (ScaleOut), 30 s 8→10 and 45 s
    // keep 10 (both TooManyReplicas). The 45 s decision starts from 10, not 8, so it is not a
    // repeat of the 30 s one and is kept: the newest two are 45 s and 30 s.
    const newest = manager.getScalingEvents({ groupId: 'b', kinds: ['decision'], limit: 2 });
    expect(newest.map((e) => e.at)).toEqual([sec(45), sec(30)]);
    expect(newest.map((e) => (e.data.decision as Decision).id)).toEqual(['b#4', 'b#3']);
  });

  it.each([
    { name: 'a negative limit', query: { limit: -3 }, path: 'limit', expected: 'a number ≥ 0' },
    { name: 'a fractional limit', query: { limit: 1.5 }, path: 'limit', expected: 'an integer' },
    {
      name: 'an end before the start',
      query: { from: sec(30), to: sec(15) },
      path: 'to',
      expected: `a time ≥ from (${sec(30)})`,
    },
    {
      name: 'an infinite time',
      query: { to: Number.POSITIVE_INFINITY },
      path: 'to',
      expected: 'a finite number',
    },
    {
      name: 'an unknown kind',
      query: { kinds: ['scale'] },
      path: 'kinds[0]',
      expected: expect.stringContaining('one of "decision", "scaled", "scale-failed"'),
    },
    {
      name: 'a misspelt key',
      query: { group: 'a' },
      path: 'group',
      expected: 'one of the known keys (groupId, kinds, from, to, limit)',
    },
  ])(
    'rejects a query with $name (ARGUMENT_INVALID at "$path"), not an empty answer',
    async ({ query, path, expected }) => {
      const { manager } = setup();
      manager.registerScalingGroup(config());
      const error = await failure(() => manager.getScalingEvents(query as never));
      expect(error).toBeInstanceOf(ConfigError);
      expect(error).toMatchObject({ code: 'ARGUMENT_INVALID', issues: [{ path, expected }] });
    },
  );

  it('suggests the key meant when a query key is misspelt', () => {
    const { manager } = setup();
    expect(() => manager.getScalingEvents({ group: 'a' } as never)).toThrow('did you mean "groupId"?');
  });

  it('folds repeated unchanged decisions into one entry, and keeps every change', async () => {
    const { manager, clock, metrics } = setup({ busy: 0.5 });
    manager.registerScalingGroup(config());
    const emitted = collect(manager, 'decision');
    manager.start();
    await clock.advanceAsync(sec(150)); // ticks at 0, 15, …, 150 s: 11 NoChange decisions
    expect(emitted).toHaveLength(11);
    const kept = () =>
      manager.getScalingEvents({ kinds: ['decision'] }).map((e) => (e.data.decision as Decision).id);
    expect(kept()).toEqual(['web#1']);
    // The busy ratio (which this fake does not tie to capacity) doubles from 155 s: the ticks at
    // 165 s (2→4) and 180 s (4→8) both scale out, and every change is kept.
    metrics.set(
      'busy_ratio',
      series((t) => (t >= sec(155) ? 1.0 : 0.5)),
    );
    await clock.advanceAsync(sec(30)); // ticks at 165 s and 180 s
    expect(emitted.slice(11).map((d) => [d.reason, d.direction])).toEqual([
      ['ScaleOut', 'out'],
      ['ScaleOut', 'out'],
    ]);
    expect(kept()).toEqual(['web#13', 'web#12', 'web#1']);
    // and a repeat of a change's reason is kept too when it changes capacity
    expect(emitted[12]?.reason).toBe(emitted[11]?.reason);
    // the kept entry carries the decision without its proposals
    const entry = manager.getScalingEvents({ kinds: ['decision'], limit: 1 })[0];
    expect(entry?.data.decision).not.toHaveProperty('proposals');
    expect(entry?.data.decision).toMatchObject({
      id: 'web#13',
      reason: 'ScaleOut',
      trace: expect.any(Array),
    });
  });

  it('keeps at most historyLimit events, dropping the oldest', async () => {
    const full = await twoGroups();
    const bounded = await twoGroups(5);
    const all = full.manager.getScalingEvents();
    expect(bounded.manager.getScalingEvents()).toEqual(all.slice(0, 5));
    expect(bounded.manager.snapshot().events).toEqual(all.slice(0, 5).reverse());
  });

  it('historyLimit 0 keeps nothing but events are still emitted', async () => {
    const s = setup({ historyLimit: 0 });
    const decisions = collect(s.manager, 'decision');
    s.manager.registerScalingGroup(config());
    await s.manager.evaluate('web');
    expect(decisions).toHaveLength(1);
    expect(s.manager.getScalingEvents()).toEqual([]);
  });
});

describe('listeners', () => {
  it('MANAGER_EVENT_NAMES names every event: listening to all of them hears what the history records', async () => {
    const { manager } = setup({ busy: 1.0 });
    expect(new Set(MANAGER_EVENT_NAMES).size).toBe(MANAGER_EVENT_NAMES.length);
    const heard: string[] = [];
    for (const name of MANAGER_EVENT_NAMES) manager.on(name, () => heard.push(name));
    manager.registerScalingGroup(config());
    await manager.evaluate('web');
    manager.pause('web', 'scale-in');
    manager.resume('web', 'scale-in');
    manager.updateScalingGroup('web', config({ maxCapacity: 12 }));
    manager.removeScalingGroup('web');
    const recorded = manager
      .getScalingEvents()
      .map((e) => e.kind)
      .reverse();
    expect(recorded).toEqual([
      'group-registered',
      'decision',
      'scaled',
      'paused',
      'resumed',
      'group-updated',
      'group-removed',
    ]);
    expect(heard).toEqual(recorded);
  });

  it('a listener that throws never breaks the loop', async () => {
    const { manager, clock, controller } = setup({ busy: 1.0 });
    manager.registerScalingGroup(config());
    manager.on('decision', () => {
      throw new Error('listener bug');
    });
    const decisions = collect(manager, 'decision');
    const errors = collect(manager, 'error');
    manager.start();
    await clock.advanceAsync(sec(30));
    // the other listener still got every decision, and the ticks went on and scaled
    expect(decisions.map((d) => d.at)).toEqual([0, sec(15), sec(30)]);
    expect(setCapacityCalls(controller)).toEqual([
      [0, 4],
      [sec(15), 8],
      [sec(30), 10],
    ]);
    expect(errors).toHaveLength(3);
    for (const error of errors) {
      expect(error.source).toBe('listener');
      expect(error.error).toMatchObject({ code: 'LISTENER_FAILED' });
      expect(error.error.message).toContain('listener bug');
    }
    expect(manager.getScalingEvents({ kinds: ['error'] })).toHaveLength(3);
  });

  it("an 'error' listener that throws is logged, not re-emitted", async () => {
    const lines: string[] = [];
    const logger: Logger = {
      debug() {},
      info() {},
      warn() {},
      error: (message) => {
        lines.push(message);
      },
    };
    const { manager } = setup({ logger });
    manager.registerScalingGroup(config());
    manager.on('decision', () => {
      throw new Error('first');
    });
    manager.on('error', () => {
      throw new Error('second');
    });
    const errors = collect(manager, 'error');
    const decision = await manager.evaluate('web');
    expect(decision?.reason).toBe('NoChange');
    expect(errors).toHaveLength(1);
    expect(lines.some((l) => l.includes('second'))).toBe(true);
  });

  it('once listeners fire once; off removes a listener', async () => {
    const { manager } = setup();
    manager.registerScalingGroup(config());
    const once: Decision[] = [];
    const always: Decision[] = [];
    const removed: Decision[] = [];
    const record = (d: Decision) => {
      removed.push(d);
    };
    manager.once('decision', (d) => {
      once.push(d);
    });
    manager.on('decision', (d) => {
      always.push(d);
    });
    manager.on('decision', record);
    await manager.evaluate('web');
    manager.off('decision', record);
    await manager.evaluate('web');
    await manager.evaluate('web');
    expect(once.map((d) => d.id)).toEqual(['web#1']);
    expect(always.map((d) => d.id)).toEqual(['web#1', 'web#2', 'web#3']);
    expect(removed.map((d) => d.id)).toEqual(['web#1']);
  });
});

describe('start and stop', () => {
  it('start ticks at once and then every evaluationInterval; a second start changes nothing', async () => {
    const { manager, clock } = setup();
    manager.registerScalingGroup(config({ evaluationInterval: '10s' }));
    const decisions = collect(manager, 'decision');
    manager.start();
    manager.start();
    expect(manager.isRunning).toBe(true);
    expect(clock.pending).toBe(1);
    await clock.advanceAsync(sec(30));
    expect(decisions.map((d) => d.at)).toEqual([0, sec(10), sec(20), sec(30)]);
  });

  it('stop aborts calls in flight, resolves without time passing, and leaves no timers', async () => {
    const { manager, clock, metrics, controller } = setup({ busy: 1.0 });
    manager.registerScalingGroup(config({ timeouts: { metrics: '1h' } }));
    metrics.hangNext();
    manager.start();
    await clock.advanceAsync(0);
    expect(manager.getScalingGroup('web')?.status.evaluating).toBe(true);
    await manager.stop();
    expect(clock.now()).toBe(0);
    expect(manager.isRunning).toBe(false);
    expect(manager.getScalingGroup('web')?.status.evaluating).toBe(false);
    expect(clock.pending).toBe(0);
    expect(clock.nextTimerAt()).toBeUndefined();
    const reads = metrics.reads;
    await clock.advanceAsync(sec(3600));
    expect(metrics.reads).toBe(reads);
    expect(setCapacityCalls(controller)).toEqual([]);
    await manager.stop(); // stopping twice is harmless
  });

  it('stop leaves no timers after calls that timed out', async () => {
    const { manager, clock, metrics } = setup();
    metrics.setLatency(sec(20));
    manager.registerScalingGroup(config({ timeouts: { metrics: '10s' } }));
    const unavailable = collect(manager, 'metrics-unavailable');
    manager.start();
    await clock.advanceAsync(sec(30));
    expect(unavailable.map((e) => e.reason)).toEqual(['timeout', 'timeout']);
    await manager.stop();
    expect(clock.nextTimerAt()).toBeUndefined();
    expect(clock.pending).toBe(0);
  });

  it('stop while a change is being applied reports it as failed, never as scaled', async () => {
    const { manager, clock, controller } = setup({ busy: 1.0 });
    manager.registerScalingGroup(config());
    const failed = collect(manager, 'scale-failed');
    const scaled = collect(manager, 'scaled');
    controller.hangNext('setCapacity');
    manager.start();
    await clock.advanceAsync(0);
    await manager.stop();
    expect(scaled).toEqual([]);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ from: 2, to: 4 });
    expect(failed[0]?.error).toMatchObject({ code: 'ABORTED' });
    expect(manager.getScalingGroup('web')?.status).toMatchObject({ capacity: 2, lastScaleOutAt: null });
    expect(clock.pending).toBe(0);
  });

  it('a host that stalls past several due times skips ahead and records the missed ticks once', async () => {
    const clock = new ManualClock(0);
    // A scheduler that fires its first timer 50 s late, as a blocked event loop would.
    let stall = sec(50);
    const scheduler = {
      setTimeout: (callback: () => void, delay: number) => {
        const late = stall;
        stall = 0;
        return clock.setTimeout(callback, delay + late);
      },
      clearTimeout: (handle: unknown) => clock.clearTimeout(handle),
    };
    const metrics = new InMemoryMetricsProvider({ series: { busy_ratio: series(() => 0.5) } });
    const controller = new RecordingResourceController({ clock, initial: 2 });
    const manager = new AutoScalingManager({ metrics, controller, clock, scheduler });
    manager.registerScalingGroup(config());
    const decisions = collect(manager, 'decision');
    const skipped = collect(manager, 'tick-skipped');
    manager.start();
    await clock.advanceAsync(sec(80));
    // due at 0 s, ran at 50 s; 15, 30 and 45 s were missed; the schedule continues at 60 s
    expect(skipped).toEqual([{ groupId: 'web', at: sec(50), reason: 'overrun', count: 3 }]);
    expect(decisions.map((d) => d.at)).toEqual([sec(50), sec(60), sec(75)]);
  });

  it('start after stop resumes where the schedule stood', async () => {
    const { manager, clock } = setup();
    manager.registerScalingGroup(config());
    const decisions = collect(manager, 'decision');
    manager.start();
    await clock.advanceAsync(sec(5));
    await manager.stop();
    await clock.advanceAsync(sec(5));
    manager.start();
    await clock.advanceAsync(sec(20));
    // stopped at 5 s with the next tick due at 15 s; restarted at 10 s
    expect(decisions.map((d) => d.at)).toEqual([0, sec(15), sec(30)]);
  });
});

describe('evaluate', () => {
  it('runs one tick now and resolves with its decision, without start()', async () => {
    const { manager, controller } = setup({ busy: 1.0 });
    manager.registerScalingGroup(config());
    const emitted = collect(manager, 'decision');
    const decision = await manager.evaluate('web');
    // ratio 2: ceil(2 × 2) = 4
    expect(decision).toMatchObject({
      id: 'web#1',
      current: 2,
      desired: 4,
      reason: 'ScaleOut',
      direction: 'out',
    });
    expect(emitted).toEqual([decision]);
    expect(manager.getScalingGroup('web')?.status.lastDecision).toEqual(decision);
    expect(controller.capacityOf('web').desired).toBe(4);
  });

  it('throws GroupNotFoundError for an unknown group', async () => {
    const { manager } = setup();
    expect(await failure(() => manager.evaluate('nope'))).toBeInstanceOf(GroupNotFoundError);
  });
});

describe('malformed port answers', () => {
  it.each([
    { name: 'a negative number', answer: -1 },
    { name: 'a fraction', answer: 2.5 },
    { name: 'desired missing', answer: { ready: 2 } },
    { name: 'a fractional ready', answer: { desired: 2, ready: 1.5 } },
    { name: 'null', answer: null },
  ])(
    'getCapacity answering $name → error event and CapacityUnavailable, nothing applied',
    async ({ answer }) => {
      const clock = new ManualClock(0);
      const metrics = new InMemoryMetricsProvider({ series: { busy_ratio: series(() => 1.0) } });
      const calls: number[] = [];
      const controller = {
        getCapacity: () => Promise.resolve(answer as never),
        setCapacity: (_id: string, capacity: number) => {
          calls.push(capacity);
          return Promise.resolve();
        },
      };
      const manager = new AutoScalingManager({ metrics, controller, clock, scheduler: clock });
      manager.registerScalingGroup(config());
      const errors = collect(manager, 'error');
      const decision = await manager.evaluate('web');
      expect(decision).toMatchObject({ reason: 'CapacityUnavailable', direction: 'none' });
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ groupId: 'web', source: 'controller' });
      expect(errors[0]?.error.message).toContain('expected a whole number');
      expect(calls).toEqual([]);
    },
  );

  it.each([
    { name: 'null', answer: null },
    { name: 'a string', answer: 'lots' },
  ])('metrics.read resolving $name → metrics-unavailable (failed), capacity kept', async ({ answer }) => {
    const clock = new ManualClock(0);
    const metrics = { read: () => Promise.resolve(answer as never) };
    const controller = new RecordingResourceController({ clock, initial: 2 });
    const manager = new AutoScalingManager({ metrics, controller, clock, scheduler: clock });
    manager.registerScalingGroup(config());
    const unavailable = collect(manager, 'metrics-unavailable');
    const decision = await manager.evaluate('web');
    expect(decision).toMatchObject({ reason: 'MetricsUnavailable', current: 2, desired: 2 });
    expect(unavailable).toEqual([
      expect.objectContaining({ groupId: 'web', metrics: ['busy_ratio'], reason: 'failed' }),
    ]);
  });

  it('a series none of whose samples is usable: the decision, the event and the history say why', async () => {
    const clock = new ManualClock(sec(600));
    // Timestamps in seconds where ms are expected: every sample looks 9+ minutes old.
    const metrics = {
      read: () => Promise.resolve({ busy_ratio: { samples: [{ timestamp: 595, value: 0.9 }] } }),
    };
    const controller = new RecordingResourceController({ clock, initial: 2 });
    const manager = new AutoScalingManager({ metrics, controller, clock, scheduler: clock });
    manager.registerScalingGroup(config());
    const unavailable = collect(manager, 'metrics-unavailable');
    const decision = await manager.evaluate('web');
    const why =
      'the provider answered 1 sample, none usable: 1 older than the 1m window (the newest 9m59s405ms before now)';
    expect(decision).toMatchObject({ reason: 'MetricsUnavailable', desired: 2 });
    expect(decision?.message).toBe(`Keep 2: metric busy_ratio has no data: ${why}.`);
    expect(unavailable).toEqual([
      {
        groupId: 'web',
        at: sec(600),
        metrics: ['busy_ratio'],
        reason: 'missing',
        details: { busy_ratio: why },
      },
    ]);
    const [entry] = manager.getScalingEvents({ kinds: ['metrics-unavailable'] });
    expect(entry?.message).toBe(`Metrics busy_ratio of web are unavailable (missing; busy_ratio: ${why}).`);
    expect(entry?.data).toEqual({ metrics: ['busy_ratio'], reason: 'missing', details: { busy_ratio: why } });
  });

  it('an empty series is plain "no data", with no details', async () => {
    const clock = new ManualClock(0);
    const metrics = { read: () => Promise.resolve({ busy_ratio: { samples: [] } }) };
    const controller = new RecordingResourceController({ clock, initial: 2 });
    const manager = new AutoScalingManager({ metrics, controller, clock, scheduler: clock });
    manager.registerScalingGroup(config());
    const unavailable = collect(manager, 'metrics-unavailable');
    const decision = await manager.evaluate('web');
    expect(decision?.message).toBe('Keep 2: metric busy_ratio has no data.');
    expect(unavailable).toEqual([{ groupId: 'web', at: 0, metrics: ['busy_ratio'], reason: 'missing' }]);
  });

  it('a provider that throws synchronously is a failed read, not a crash', async () => {
    const clock = new ManualClock(0);
    const metrics = {
      read: () => {
        throw new Error('sync boom');
      },
    };
    const controller = new RecordingResourceController({ clock, initial: 2 });
    const manager = new AutoScalingManager({ metrics, controller, clock, scheduler: clock });
    manager.registerScalingGroup(config());
    const unavailable = collect(manager, 'metrics-unavailable');
    const decision = await manager.evaluate('web');
    expect(decision).toMatchObject({ reason: 'MetricsUnavailable', desired: 2 });
    expect(unavailable[0]?.error?.message).toBe('sync boom');
  });
});

describe('getMetricHistory', () => {
  it('returns the samples read, oldest first, within metricRetention', async () => {
    const clock = new ManualClock(0);
    const metrics = new InMemoryMetricsProvider({ series: { busy_ratio: series((t) => t / 1e6) } });
    const controller = new RecordingResourceController({ clock, initial: 2 });
    const manager = new AutoScalingManager({ metrics, controller, clock, scheduler: clock });
    manager.registerScalingGroup(config({ metricRetention: '1m' }));
    manager.start();
    await clock.advanceAsync(sec(120));
    // retention 1 m at 120 s keeps samples strictly after 60 s: 65 s … 120 s, every 5 s
    const expected: [number, number][] = [];
    for (let t = sec(65); t <= sec(120); t += 5000) expected.push([t, t / 1e6]);
    expect(manager.getMetricHistory('web', 'busy_ratio')).toEqual(expected);
    // from inclusive, to exclusive
    expect(manager.getMetricHistory('web', 'busy_ratio', { from: sec(80), to: sec(100) })).toEqual(
      expected.filter(([t]) => t >= sec(80) && t < sec(100)),
    );
    expect(await failure(() => manager.getMetricHistory('nope', 'busy_ratio'))).toBeInstanceOf(
      GroupNotFoundError,
    );
  });

  it('is empty for a metric the rules read before it has data', () => {
    const { manager } = setup();
    manager.registerScalingGroup(config());
    expect(manager.getMetricHistory('web', 'busy_ratio')).toEqual([]);
  });

  it('rejects a metric no rule reads (a typo would otherwise read as "no data")', async () => {
    const { manager } = setup();
    manager.registerScalingGroup(config());
    const error = await failure(() => manager.getMetricHistory('web', 'busy_ratoi'));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: 'ARGUMENT_INVALID' });
    expect((error as ConfigError).issues).toMatchObject([
      {
        path: 'metric',
        expected: `a metric the group's rules read: one of "busy_ratio"`,
        received: '"busy_ratoi"',
      },
    ]);
  });

  it.each([
    { name: 'a time that is not a number', range: { from: '10s' }, path: 'from' },
    { name: 'an end before the start', range: { from: sec(20), to: sec(10) }, path: 'to' },
    { name: 'an unknown key', range: { start: 0 }, path: 'start' },
  ])('rejects a range with $name at path "$path"', async ({ range, path }) => {
    const { manager } = setup();
    manager.registerScalingGroup(config());
    const error = await failure(() => manager.getMetricHistory('web', 'busy_ratio', range as never));
    expect(error).toMatchObject({ code: 'ARGUMENT_INVALID' });
    expect((error as ConfigError).issues.map((i) => i.path)).toEqual([path]);
  });
});

describe('snapshot and restore', () => {
  async function running(): Promise<Setup> {
    const s = setup({ busy: 1.0 });
    s.manager.registerScalingGroup(config());
    s.manager.registerScalingGroup(config({ id: 'api' }));
    s.manager.pause('api', 'scale-in');
    s.manager.start();
    await s.clock.advanceAsync(sec(20));
    return s;
  }

  it('a snapshot is versioned plain JSON', async () => {
    const { manager } = await running();
    const snapshot = manager.snapshot();
    expect(snapshot).toMatchObject({ format: 'tideway.manager-snapshot', version: 1, takenAt: sec(20) });
    expect(snapshot.groups.map((g) => g.config.id)).toEqual(['web', 'api']);
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
  });

  /** Set the value at `path` in a JSON copy; an empty path replaces the whole. */
  function broken(snapshot: unknown, path: readonly (string | number)[], value: unknown): unknown {
    if (path.length === 0) return value;
    const copy = JSON.parse(JSON.stringify(snapshot)) as Record<string | number, unknown>;
    let at: Record<string | number, unknown> = copy;
    for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
    at[path[path.length - 1] as string | number] = value;
    return copy;
  }

  const invalid: { name: string; at: (string | number)[]; value: unknown; path: string }[] = [
    { name: 'not an object', at: [], value: 42, path: '' },
    { name: 'wrong format', at: ['format'], value: 'other', path: 'format' },
    { name: 'unknown version', at: ['version'], value: 99, path: 'version' },
    {
      name: 'invalid group config',
      at: ['groups', 0, 'config', 'maxCapacity'],
      value: -1,
      path: 'groups[0].config.maxCapacity',
    },
    {
      name: 'duplicate group id',
      at: ['groups', 1, 'config', 'id'],
      value: 'web',
      path: 'groups[1].config.id',
    },
    {
      name: 'negative hold capacity',
      at: ['groups', 0, 'state', 'hold'],
      value: { capacity: -1, until: 0, reason: 'x' },
      path: 'groups[0].state.hold.capacity',
    },
    { name: 'unknown event kind', at: ['events', 0, 'kind'], value: 'exploded', path: 'events[0].kind' },
  ];

  it.each(invalid)(
    'restore of an invalid snapshot ($name) throws SNAPSHOT_INVALID with a path and changes nothing',
    async ({ at, value, path }) => {
      const source = await running();
      const target = await running();
      target.manager.updateScalingGroup('web', { maxCapacity: 7 });
      const before = observable(target.manager);
      const timers = target.clock.pending;
      const error = await failure(() => target.manager.restore(broken(source.manager.snapshot(), at, value)));
      expect(error).toBeInstanceOf(ConfigError);
      expect(error).toMatchObject({ code: 'SNAPSHOT_INVALID' });
      expect((error as ConfigError).issues.map((i) => i.path)).toContain(path);
      expect(observable(target.manager)).toEqual(before);
      expect(target.clock.pending).toBe(timers);
    },
  );

  it('restore replaces every group and the history, and a running manager resumes the schedule', async () => {
    const source = await running();
    const snapshot = JSON.parse(JSON.stringify(source.manager.snapshot()));
    const clock = new ManualClock(sec(20));
    const metrics = new InMemoryMetricsProvider({ series: { busy_ratio: series(() => 1.0) } });
    const controller = new RecordingResourceController({
      clock,
      initial: {
        web: source.controller.capacityOf('web').desired,
        api: source.controller.capacityOf('api').desired,
      },
    });
    const target = new AutoScalingManager({ metrics, controller, clock, scheduler: clock });
    target.registerScalingGroup(config({ id: 'old' }));
    target.start();
    target.restore(snapshot);
    expect(target.listScalingGroups().map((g) => g.id)).toEqual(['web', 'api']);
    expect(target.getScalingEvents()).toEqual(source.manager.getScalingEvents());
    expect(target.getScalingGroup('api')?.status.paused).toEqual({ scaleOut: false, scaleIn: true });
    const decisions = collect(target, 'decision');
    await clock.advanceAsync(sec(10));
    // the snapshot's next ticks were due at 30 s; 'old' is gone
    expect(decisions.map((d) => [d.groupId, d.at, d.id])).toEqual([
      ['web', sec(30), 'web#3'],
      ['api', sec(30), 'api#3'],
    ]);
  });
});
