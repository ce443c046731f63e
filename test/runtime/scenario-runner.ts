/**
 * The one runner for the loop's scenario objects (STYLE.md §9). A scenario is plain data: a group
 * config, metric steps, the fakes' starting state, timed actions and expectations. The runner
 * builds ManualClock + InMemoryMetricsProvider + RecordingResourceController +
 * AutoScalingManager, moves time only with `advanceAsync`, and checks the expectations.
 *
 * A `fork` action snapshots the manager, round-trips the snapshot through JSON and restores it
 * into a fresh manager on its own clock and fakes (world B). From then on every action and every
 * step of time is applied to both worlds in lockstep, and the runner asserts that B continues
 * exactly as A does: same decisions, same event history, same controller calls, same snapshot.
 */
import {
  AutoScalingManager,
  type Decision,
  MANAGER_EVENT_NAMES,
  type ManagerEventName,
  type ManagerEvents,
  type PauseDirection,
  type ReasonCode,
  type ScalingGroupConfigInput,
  type SetCapacityOptions,
} from 'tideway';
import { InMemoryMetricsProvider, ManualClock, RecordingResourceController } from 'tideway/testing';
import { expect } from 'vitest';

/** A metric value that holds from `at` until the next step. */
export type Step = readonly [at: number, value: number];

/** Something done at a given time, after every tick due at that instant has settled. */
export type Action = { readonly at: number } & (
  | {
      readonly do: 'setGroupCapacity';
      readonly capacity: number;
      readonly options?: SetCapacityOptions;
    }
  | { readonly do: 'pause' | 'resume'; readonly direction?: PauseDirection }
  | { readonly do: 'releaseHold' }
  | { readonly do: 'evaluate' }
  | { readonly do: 'update'; readonly patch: Partial<ScalingGroupConfigInput> }
  | { readonly do: 'metricsFault'; readonly mode: 'fail' | 'hang'; readonly count?: number }
  | {
      readonly do: 'controllerFault';
      readonly method: 'getCapacity' | 'setCapacity';
      readonly mode: 'fail' | 'hang';
      readonly count?: number;
    }
  | { readonly do: 'latency'; readonly ms: number }
  | { readonly do: 'setExternally'; readonly capacity: number }
  | { readonly do: 'start' | 'stop' }
  | { readonly do: 'fork' }
  | { readonly do: 'check'; readonly check: (world: World) => void }
  /** Several actions back to back, as a host calls them in one go: no timer runs in between. */
  | { readonly do: 'together'; readonly actions: readonly Action[] }
);

/** `[at, reason, desired, message substring?]` of one decision. */
export type DecisionExpectation = readonly [
  at: number,
  reason: ReasonCode,
  desired: number,
  message?: string,
];

/** An event that must have been emitted: its kind and a subset of its payload. */
export interface EventExpectation {
  readonly kind: ManagerEventName;
  readonly match?: Readonly<Record<string, unknown>>;
}

/** What must hold once the scenario has run to `until`. */
export interface Expectations {
  /** `[at, capacity]`: the controller's desired capacity once time reached `at` (in every world). */
  readonly capacity?: readonly (readonly [at: number, capacity: number])[];
  /**
   * Every decision made at the listed instants, in emission order: the decisions at those
   * instants must be exactly these (other instants are not checked).
   */
  readonly decisions?: readonly DecisionExpectation[];
  /** Events that must have been emitted. */
  readonly events?: readonly EventExpectation[];
  /** Exactly how many events of these kinds were emitted. */
  readonly eventCounts?: Readonly<Partial<Record<ManagerEventName, number>>>;
  /** Every `setCapacity` call the controller received, as `[at, capacity, ok]`. */
  readonly setCapacityCalls?: readonly (readonly [at: number, capacity: number, ok: boolean])[];
  /** Anything else, on the finished run. */
  readonly check?: (run: ScenarioRun) => void;
}

/** One scenario: data only. */
export interface Scenario {
  readonly name: string;
  /** Where the clock starts. @default 0 */
  readonly start?: number;
  /** The group under test. */
  readonly group: ScalingGroupConfigInput;
  /** Metric steps by name, sampled every `sampleEvery` ms; no sample before the first step. */
  readonly metrics?: Readonly<Record<string, readonly Step[]>>;
  /** @default 5000 */
  readonly sampleEvery?: number;
  /** The controller fake's starting capacity and provisioning delay. */
  readonly controller?: { readonly initial?: number; readonly provisioningDelay?: number };
  /** The provider's answer latency, in ms of simulated time. @default 0 */
  readonly providerLatency?: number;
  /** The manager's `historyLimit`. */
  readonly historyLimit?: number;
  /** Start the loop at `start` (after the actions due at `start`). @default true */
  readonly autoStart?: boolean;
  /** Timed actions; actions due at `start` run before the loop starts. */
  readonly actions?: readonly Action[];
  /** Run until this time. */
  readonly until: number;
  /** What must hold. */
  readonly expect?: Expectations;
}

/** Everything emitted, with the simulated time at which it was emitted. */
export interface Emitted {
  readonly kind: ManagerEventName;
  readonly clockAt: number;
  readonly payload: ManagerEvents[ManagerEventName][0];
}

/** One manager with its clock and fakes. */
export interface World {
  readonly label: 'A' | 'B';
  readonly groupId: string;
  readonly clock: ManualClock;
  readonly metrics: InMemoryMetricsProvider;
  readonly controller: RecordingResourceController;
  readonly manager: AutoScalingManager;
  readonly emitted: Emitted[];
  /** What `evaluate()` resolved with, by the time it was called. */
  readonly evaluations: { at: number; result: Decision | undefined }[];
  /** `setGroupCapacity` calls that rejected. */
  readonly rejections: { at: number; error: unknown }[];
}

/** A finished run. */
export interface ScenarioRun {
  /** The manager the scenario started with. */
  readonly a: World;
  /** The manager restored from A's snapshot, when the scenario forked. */
  readonly b: World | undefined;
  /** When the fork happened. */
  readonly forkedAt: number | undefined;
}

/** The decisions a world emitted, in order. */
export function decisionsOf(world: World): Decision[] {
  return world.emitted.filter((e) => e.kind === 'decision').map((e) => e.payload as Decision);
}

/** The payloads of one kind a world emitted, in order. */
export function eventsOf<K extends ManagerEventName>(world: World, kind: K): ManagerEvents[K][0][] {
  return world.emitted.filter((e) => e.kind === kind).map((e) => e.payload as ManagerEvents[K][0]);
}

/** The `setCapacity` calls a world's controller received, as `[at, capacity, ok]`. */
export function setCapacityCalls(world: World): [number, number, boolean][] {
  return world.controller.calls
    .filter((c) => c.method === 'setCapacity')
    .map((c) => [c.at, c.capacity as number, c.ok]);
}

/**
 * Samples of step series: one every `every` ms from `from` through `until`, each taking the
 * value of the latest step at or before it; none before the first step.
 */
export function sampleSteps(
  steps: readonly Step[],
  from: number,
  until: number,
  every: number,
): { timestamp: number; value: number }[] {
  const sorted = [...steps].sort((x, y) => x[0] - y[0]);
  const out: { timestamp: number; value: number }[] = [];
  for (let t = from; t <= until; t += every) {
    let value: number | undefined;
    for (const [at, v] of sorted) if (at <= t) value = v;
    if (value !== undefined) out.push({ timestamp: t, value });
  }
  return out;
}

function buildMetrics(scenario: Scenario, clock: ManualClock, latency: number): InMemoryMetricsProvider {
  const start = scenario.start ?? 0;
  const every = scenario.sampleEvery ?? 5000;
  const series: Record<string, { timestamp: number; value: number }[]> = {};
  for (const [name, steps] of Object.entries(scenario.metrics ?? {})) {
    // A little past `until`, so a tick at `until` sees its sample.
    series[name] = sampleSteps(steps, start, scenario.until + every, every);
  }
  return new InMemoryMetricsProvider({ series, scheduler: clock, latency });
}

function buildWorld(
  label: 'A' | 'B',
  scenario: Scenario,
  now: number,
  initial: number,
  latency: number,
): World {
  const clock = new ManualClock(now);
  const metrics = buildMetrics(scenario, clock, latency);
  const controller = new RecordingResourceController({
    clock,
    initial,
    provisioningDelay: scenario.controller?.provisioningDelay ?? 0,
  });
  const manager = new AutoScalingManager({
    metrics,
    controller,
    clock,
    scheduler: clock,
    ...(scenario.historyLimit !== undefined ? { historyLimit: scenario.historyLimit } : {}),
  });
  const world: World = {
    label,
    groupId: scenario.group.id,
    clock,
    metrics,
    controller,
    manager,
    emitted: [],
    evaluations: [],
    rejections: [],
  };
  for (const kind of MANAGER_EVENT_NAMES) {
    manager.on(kind, (payload: ManagerEvents[ManagerEventName][0]) => {
      world.emitted.push({ kind, clockAt: clock.now(), payload });
    });
  }
  return world;
}

async function perform(world: World, action: Action, pending: Promise<unknown>[]): Promise<void> {
  const { manager, groupId, clock } = world;
  const at = clock.now();
  switch (action.do) {
    case 'setGroupCapacity':
      pending.push(
        manager.setGroupCapacity(groupId, action.capacity, action.options).then(
          () => undefined,
          (error: unknown) => {
            world.rejections.push({ at, error });
          },
        ),
      );
      break;
    case 'pause':
      manager.pause(groupId, action.direction);
      break;
    case 'resume':
      manager.resume(groupId, action.direction);
      break;
    case 'releaseHold':
      manager.releaseHold(groupId);
      break;
    case 'evaluate':
      pending.push(
        manager.evaluate(groupId).then((result) => {
          world.evaluations.push({ at, result });
        }),
      );
      break;
    case 'update':
      manager.updateScalingGroup(groupId, action.patch);
      break;
    case 'metricsFault':
      if (action.mode === 'fail') world.metrics.failNext(action.count ?? 1);
      else world.metrics.hangNext(action.count ?? 1);
      break;
    case 'controllerFault':
      if (action.mode === 'fail') world.controller.failNext(action.method, action.count ?? 1);
      else world.controller.hangNext(action.method, action.count ?? 1);
      break;
    case 'latency':
      world.metrics.setLatency(action.ms);
      break;
    case 'setExternally':
      world.controller.setExternally(groupId, action.capacity);
      break;
    case 'start':
      manager.start();
      break;
    case 'stop':
      pending.push(manager.stop());
      break;
    case 'check':
      action.check(world);
      break;
    case 'together':
      for (const inner of action.actions) await perform(world, inner, pending);
      break;
    case 'fork':
      throw new Error('fork is handled by the runner');
  }
  // Let whatever the action started settle before time moves on.
  await clock.flush();
}

/**
 * Run a scenario and check its expectations. Returns the run for further assertions.
 */
export async function runScenario(scenario: Scenario): Promise<ScenarioRun> {
  const start = scenario.start ?? 0;
  let latency = scenario.providerLatency ?? 0;
  const a = buildWorld('A', scenario, start, scenario.controller?.initial ?? 0, latency);
  a.manager.registerScalingGroup(scenario.group);
  const worlds: World[] = [a];
  const pending: Promise<unknown>[] = [];
  let b: World | undefined;
  let forkedAt: number | undefined;
  let aCallsAtFork = 0;
  let aEmittedAtFork = 0;

  type Timed = { at: number; order: number; run: 'action' | 'capacity' | 'autostart'; action?: Action };
  const timeline: Timed[] = [];
  let order = 0;
  for (const action of scenario.actions ?? [])
    timeline.push({ at: action.at, order: order++, run: 'action', action });
  if (scenario.autoStart ?? true) timeline.push({ at: start, order: order++, run: 'autostart' });
  for (const [at, capacity] of scenario.expect?.capacity ?? []) {
    timeline.push({
      at,
      order: order++,
      run: 'capacity',
      action: {
        at,
        do: 'check',
        check: (world) => {
          expect(
            world.controller.capacityOf(world.groupId).desired,
            `[${world.label}] capacity at ${at} ms`,
          ).toBe(capacity);
        },
      },
    });
  }
  // Actions due at the start instant run before the loop starts; at any other instant, after
  // the ticks due then. Capacity checks at an instant run after that instant's actions.
  const rank = (t: Timed): number =>
    t.run === 'autostart' ? 1 : t.run === 'capacity' ? 2 : t.at === start ? 0 : 1;
  timeline.sort((x, y) => x.at - y.at || rank(x) - rank(y) || x.order - y.order);

  for (const item of timeline) {
    if (item.at < start || item.at > scenario.until) {
      throw new Error(`${scenario.name}: an action at ${item.at} is outside [${start}, ${scenario.until}]`);
    }
    for (const world of worlds) await world.clock.advanceToAsync(item.at);
    if (item.run === 'autostart') {
      for (const world of worlds) {
        world.manager.start();
        await world.clock.flush();
      }
      continue;
    }
    const action = item.action as Action;
    if (action.do === 'fork') {
      if (b !== undefined) throw new Error(`${scenario.name}: only one fork per scenario`);
      // The snapshot must survive a trip through JSON, as it would through a state store.
      const snapshot: unknown = JSON.parse(JSON.stringify(a.manager.snapshot()));
      const fleet = a.controller.capacityOf(a.groupId);
      // The controller fake's state is copied by its size; units still provisioning cannot be.
      expect(fleet.provisioning, 'fork needs a fleet with nothing provisioning').toBe(0);
      b = buildWorld('B', scenario, a.clock.now(), fleet.desired, latency);
      b.manager.restore(snapshot);
      if (a.manager.isRunning) b.manager.start();
      await b.clock.flush();
      worlds.push(b);
      forkedAt = a.clock.now();
      aCallsAtFork = a.controller.calls.length;
      aEmittedAtFork = a.emitted.length;
      continue;
    }
    if (action.do === 'latency') latency = action.ms;
    for (const world of worlds) await perform(world, action, pending);
  }
  for (const world of worlds) await world.clock.advanceToAsync(scenario.until);

  const run: ScenarioRun = { a, b, forkedAt };
  checkExpectations(run, scenario.expect ?? {});
  if (b !== undefined) checkLockstep(a, b, aEmittedAtFork, aCallsAtFork);

  // Clean up: stop aborts anything still in flight, so every pending promise settles.
  for (const world of worlds) await world.manager.stop();
  await Promise.all(pending);
  return run;
}

function checkExpectations(run: ScenarioRun, expected: Expectations): void {
  const { a } = run;
  if (expected.decisions !== undefined) {
    const times = new Set(expected.decisions.map((d) => d[0]));
    const actual = decisionsOf(a).filter((d) => times.has(d.at));
    expect(
      actual.map((d) => [d.at, d.reason, d.desired]),
      'decisions at the listed instants',
    ).toEqual(expected.decisions.map(([at, reason, desired]) => [at, reason, desired]));
    expected.decisions.forEach((d, i) => {
      if (d[3] !== undefined)
        expect(actual[i]?.message, `message of the decision at ${d[0]}`).toContain(d[3]);
    });
  }
  for (const event of expected.events ?? []) {
    expect(eventsOf(a, event.kind), `a '${event.kind}' event`).toContainEqual(
      expect.objectContaining(event.match ?? {}),
    );
  }
  for (const [kind, count] of Object.entries(expected.eventCounts ?? {})) {
    expect(eventsOf(a, kind as ManagerEventName).length, `number of '${kind}' events`).toBe(count);
  }
  if (expected.setCapacityCalls !== undefined) {
    expect(setCapacityCalls(a), 'setCapacity calls').toEqual(
      expected.setCapacityCalls.map(([at, capacity, ok]) => [at, capacity, ok]),
    );
  }
  expected.check?.(run);
}

function checkLockstep(a: World, b: World, aEmittedAtFork: number, aCallsAtFork: number): void {
  const aDecisions = a.emitted
    .slice(aEmittedAtFork)
    .filter((e) => e.kind === 'decision')
    .map((e) => e.payload as Decision);
  const bDecisions = decisionsOf(b);
  expect(
    aDecisions.length,
    'decisions after the fork (a fork that decides nothing proves nothing)',
  ).toBeGreaterThan(0);
  const brief = (d: Decision) => ({ id: d.id, desired: d.desired, reason: d.reason, message: d.message });
  expect(bDecisions.map(brief), 'restored manager: decisions').toEqual(aDecisions.map(brief));
  expect(bDecisions, 'restored manager: whole decisions').toEqual(aDecisions);
  expect(b.manager.getScalingEvents(), 'restored manager: event history').toEqual(
    a.manager.getScalingEvents(),
  );
  expect(b.controller.calls, 'restored manager: controller calls').toEqual(
    a.controller.calls.slice(aCallsAtFork),
  );
  expect(b.controller.capacityOf(b.groupId)).toEqual(a.controller.capacityOf(a.groupId));
  expect(b.manager.snapshot(), 'restored manager: snapshot').toEqual(a.manager.snapshot());
}
