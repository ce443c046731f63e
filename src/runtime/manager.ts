import { z } from 'zod';
import {
  type ScalingGroupConfig,
  type ScalingGroupConfigInput,
  validateGroupConfig,
} from '../config/group.js';
import { argumentError, parseOrThrow } from '../config/issues.js';
import { durationSchema } from '../core/duration.js';
import { everyRule } from '../core/schedule.js';
import type { Decision } from '../core/types.js';
import { ConfigError, GroupNotFoundError, TidewayError, toError } from '../errors.js';
import { type Clock, type Scheduler, systemClock, systemScheduler } from '../ports/clock.js';
import { detectCapabilities, type ResourceController } from '../ports/controller.js';
import { type Logger, noopLogger } from '../ports/logger.js';
import type { MetricsProvider } from '../ports/metrics.js';
import { acceptsJobEvents, receiveRuleEvent } from '../rules/registry.js';
import { StopSwitch } from './call.js';
import { EventLog, type ScalingEventQuery, type ScalingEventRecord } from './event-log.js';
import { MANAGER_EVENT_NAMES, type ManagerEvents, type PauseDirection, SafeEventEmitter } from './events.js';
import { type ForecastStatus, type GroupContext, ScalingGroup } from './scaling-group.js';
import { type ManagerSnapshot, type RestoreOptions, readSnapshot, writeSnapshot } from './snapshot.js';
import { summarize } from './summarize.js';

/**
 * What `new AutoScalingManager(...)` takes. Only the two ports are required.
 */
export interface AutoScalingManagerOptions {
  /** Where metrics come from. */
  readonly metrics: MetricsProvider;
  /** What changes capacity. */
  readonly controller: ResourceController;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default systemScheduler */
  readonly scheduler?: Scheduler;
  /** @default noopLogger */
  readonly logger?: Logger;
  /** How many events the history keeps (all groups together). @default 10000 */
  readonly historyLimit?: number;
}

const optionsSchema = z.strictObject({
  metrics: z.custom<MetricsProvider>((v) => hasMethods(v, ['read']), {
    params: { expected: 'a MetricsProvider (an object with a read(request, { signal }) method)' },
  }),
  controller: z.custom<ResourceController>((v) => hasMethods(v, ['getCapacity', 'setCapacity']), {
    params: { expected: 'a ResourceController (an object with getCapacity and setCapacity methods)' },
  }),
  clock: z
    .custom<Clock>((v) => hasMethods(v, ['now']), { params: { expected: 'a Clock (an object with now())' } })
    .optional(),
  scheduler: z
    .custom<Scheduler>((v) => hasMethods(v, ['setTimeout', 'clearTimeout']), {
      params: { expected: 'a Scheduler (an object with setTimeout and clearTimeout)' },
    })
    .optional(),
  logger: z
    .custom<Logger>((v) => hasMethods(v, ['debug', 'info', 'warn', 'error']), {
      params: { expected: 'a Logger (an object with debug, info, warn and error)' },
    })
    .optional(),
  historyLimit: z.number().int().min(0).max(10_000_000).default(10_000),
});

function hasMethods(value: unknown, names: readonly string[]): boolean {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    names.every((n) => typeof (value as Record<string, unknown>)[n] === 'function')
  );
}

/** Options of {@link AutoScalingManager.setGroupCapacity}. */
export interface SetCapacityOptions {
  /** Why, in words; recorded in the decision. @default 'manual change' */
  readonly reason?: string;
  /** Suspend automatic decisions for this long (`"2h"` or ms). Without it, rules resume on the next tick. */
  readonly holdFor?: string | number;
}

const setCapacityOptionsSchema = z.strictObject({
  reason: z.string().min(1).optional(),
  holdFor: durationSchema.optional(),
});

const pauseDirectionSchema = z.enum(['scale-out', 'scale-in', 'both']);

// A range that ends before it starts matches nothing: a caller's mistake, not an empty answer.
function checkRange(
  range: { from?: number | undefined; to?: number | undefined },
  ctx: z.RefinementCtx,
): void {
  const { from, to } = range;
  if (from === undefined || to === undefined || from <= to) return;
  ctx.addIssue({
    code: 'custom',
    path: ['to'],
    message: 'to ≥ from',
    input: to,
    params: { expected: `a time ≥ from (${from})` },
  });
}

const timeRangeShape = { from: z.number().optional(), to: z.number().optional() };

const timeRangeSchema = z.strictObject(timeRangeShape).superRefine(checkRange);

const eventQuerySchema = z
  .strictObject({
    groupId: z.string().optional(),
    kinds: z.array(z.enum(MANAGER_EVENT_NAMES)).optional(),
    ...timeRangeShape,
    limit: z.number().int().nonnegative().optional(),
  })
  .superRefine(checkRange);

/**
 * Decides and applies the capacity of every registered scaling group: on a schedule (`start()`),
 * on demand (`evaluate()`), or by hand (`setGroupCapacity()`). Emits typed events and keeps a
 * bounded history of them. Never throws out of its loop: failures become events and decisions.
 *
 * @example
 * const manager = new AutoScalingManager({ metrics, controller });
 * manager.registerScalingGroup({
 *   id: 'ci-runners', minCapacity: 0, maxCapacity: 40,
 *   rules: [{ kind: 'target-tracking', metric: 'busy_ratio', target: 0.8 }],
 * });
 * manager.on('decision', (d) => console.log(d.reason, d.message));
 * manager.start();
 */
export class AutoScalingManager extends SafeEventEmitter<ManagerEvents> {
  private readonly groups = new Map<string, ScalingGroup>();
  private readonly metrics: MetricsProvider;
  private readonly controller: ResourceController;
  private readonly clock: Clock;
  private readonly scheduler: Scheduler;
  private readonly logger: Logger;
  private readonly log: EventLog;
  private readonly context: GroupContext;
  private running = false;
  private readonly stops = new StopSwitch();

  /**
   * @param options the two ports, and optionally clock, scheduler, logger and history size.
   * @throws ConfigError when an option is missing or malformed
   */
  constructor(options: AutoScalingManagerOptions) {
    super();
    const parsed = parseOrThrow(optionsSchema, options, {
      subject: 'manager options',
    });
    this.metrics = parsed.metrics;
    this.controller = parsed.controller;
    this.clock = parsed.clock ?? systemClock;
    this.scheduler = parsed.scheduler ?? systemScheduler;
    this.logger = parsed.logger ?? noopLogger;
    this.log = new EventLog(parsed.historyLimit, (kind, payload) => summarize(kind, payload as never));
    this.context = {
      metrics: this.metrics,
      controller: this.controller,
      clock: this.clock,
      scheduler: this.scheduler,
      logger: this.logger,
      stop: this.stops,
      publish: (kind, payload) => this.publish(kind, payload),
      publishDecision: (group, decision) => {
        if (this.log.limit > 0 && group.keepInHistory(decision)) {
          this.log.append('decision', decision.at, decision.groupId, decision);
        }
        this.emitOne('decision', decision);
      },
    };
  }

  /** True between `start()` and `stop()`. */
  get isRunning(): boolean {
    return this.running;
  }

  // Every event has one payload, so it is passed as one argument: no rest arrays or spread calls.
  private publish<K extends keyof ManagerEvents>(kind: K, payload: ManagerEvents[K][0]): void {
    const { at, groupId } = payload as { at: number; groupId?: string };
    if (this.log.limit > 0) {
      this.log.append(kind, at, groupId ?? null, payload);
    }
    if (kind === 'error') {
      const summary = summarize('error', payload as never);
      this.logger.error(summary.message, summary.data);
    }
    this.emitOne(kind, payload);
  }

  protected override onListenerError(event: string, error: unknown): void {
    const err = toError(error);
    if (event === 'error') {
      this.logger.error(`An 'error' listener threw: ${err.message}`, { event });
      return;
    }
    this.publish('error', {
      at: this.clock.now(),
      source: 'listener',
      error: new TidewayError('LISTENER_FAILED', `A '${event}' listener threw: ${err.message}`, {
        cause: err,
      }),
    });
  }

  private group(groupId: string): ScalingGroup {
    const group = this.groups.get(groupId);
    if (group === undefined) throw new GroupNotFoundError(groupId);
    return group;
  }

  /**
   * Register a scaling group. Validates the whole config first: on any problem it throws a
   * `ConfigError` and the manager is left exactly as it was. When running, the group's loop
   * starts at once.
   *
   * @returns the live group handle
   * @throws ConfigError on invalid config or a duplicate id
   */
  registerScalingGroup(config: ScalingGroupConfigInput): ScalingGroup {
    const parsed = validateGroupConfig(config);
    if (this.groups.has(parsed.id)) {
      throw new ConfigError(
        [
          {
            path: 'id',
            segments: ['id'],
            code: 'duplicate_id',
            expected: 'an id not already registered',
            received: JSON.stringify(parsed.id),
            message: `id: expected an id not already registered, got ${JSON.stringify(parsed.id)} (remove it first, or use updateScalingGroup)`,
          },
        ],
        { subject: 'scaling group config' },
      );
    }
    const group = new ScalingGroup(parsed, detectCapabilities(this.controller), this.context);
    this.groups.set(parsed.id, group);
    this.publish('group-registered', { groupId: parsed.id, at: this.clock.now() });
    if (this.running) this.schedule(group, 0);
    return group;
  }

  /**
   * Change a group's config. `patch` is merged over the current config (top-level keys replace)
   * and the result validated as a whole; on any problem nothing changes. What the group
   * remembers (stabilization, cooldowns, holds, pauses, history) is kept; a tick in flight is
   * discarded.
   *
   * @throws GroupNotFoundError, ConfigError
   */
  updateScalingGroup(groupId: string, patch: Partial<ScalingGroupConfigInput>): ScalingGroup {
    const group = this.group(groupId);
    if (patch === null || typeof patch !== 'object') {
      throw argumentError('patch', 'an object of config keys', patch);
    }
    if (patch.id !== undefined && patch.id !== groupId) {
      throw argumentError(
        'id',
        `the group's own id ${JSON.stringify(groupId)} (ids cannot change)`,
        patch.id,
      );
    }
    const before = group.config;
    // desiredCapacity is an instruction applied once, not a standing bound: it is carried into
    // the new config only when this update sets it, so later bound changes never trip on it.
    const { desiredCapacity: _applied, ...kept } = stripUndefined(before);
    const next: ScalingGroupConfig = validateGroupConfig({ ...kept, ...patch });
    const changed = Object.keys(next).filter(
      (key) =>
        JSON.stringify(next[key as keyof ScalingGroupConfig]) !==
        JSON.stringify(before[key as keyof ScalingGroupConfig]),
    );
    const intervalChanged = next.evaluationInterval !== before.evaluationInterval;
    group.reconfigure(next, patch.desiredCapacity !== undefined);
    this.publish('group-updated', { groupId, at: this.clock.now(), changed });
    if (this.running && intervalChanged) this.schedule(group, 0);
    return group;
  }

  /**
   * Remove a group: its loop stops and a tick in flight is discarded. Its events stay in the
   * history until they age out.
   *
   * @throws GroupNotFoundError
   */
  removeScalingGroup(groupId: string): void {
    const group = this.group(groupId);
    this.unschedule(group);
    group.generation++;
    this.groups.delete(groupId);
    this.publish('group-removed', { groupId, at: this.clock.now() });
  }

  /** The live handle of a group, or undefined. */
  getScalingGroup(groupId: string): ScalingGroup | undefined {
    return this.groups.get(groupId);
  }

  /** Every registered group, in registration order. */
  listScalingGroups(): ScalingGroup[] {
    return [...this.groups.values()];
  }

  /**
   * Tell a group that a CI job was queued or completed (a GitHub `workflow_job` webhook, say).
   * Every rule that takes job events updates its capacity reservations at once — a `queued` job
   * adds one with an expiry, a `completed` one removes the oldest — and the next tick acts on
   * them. Returns how many rules took the event (0 when none of the group's rules uses job events).
   *
   * @throws GroupNotFoundError; ConfigError (`ARGUMENT_INVALID`) for a malformed event
   * @example
   * manager.recordJobEvent('ci-runners', { type: 'queued' });
   */
  recordJobEvent(
    groupId: string,
    event: { readonly type: 'queued' | 'completed'; readonly at?: number },
  ): number {
    const group = this.group(groupId);
    if (
      event === null ||
      typeof event !== 'object' ||
      (event.type !== 'queued' && event.type !== 'completed')
    ) {
      throw argumentError(
        'event.type',
        '"queued" or "completed"',
        (event as { type?: unknown } | null)?.type,
        'recordJobEvent',
      );
    }
    if (event.at !== undefined && !Number.isFinite(event.at)) {
      throw argumentError('event.at', 'a finite time in ms since the epoch', event.at, 'recordJobEvent');
    }
    const now = event.at ?? this.clock.now();
    let taken = 0;
    everyRule(group.config).forEach((rule, index) => {
      if (!acceptsJobEvents(rule)) return;
      group.ruleMemory[index] = receiveRuleEvent(
        rule,
        group.ruleMemory[index],
        { type: event.type, at: now },
        now,
      );
      taken++;
    });
    return taken;
  }

  /**
   * Set a group's capacity now, ignoring cooldowns and rules (never the bounds). With `holdFor`,
   * automatic decisions are suspended until the hold ends. Rejects when the controller fails
   * (after emitting `scale-failed`); no hold is set then.
   *
   * @throws GroupNotFoundError; ConfigError (`ARGUMENT_INVALID`) for a capacity outside [min, max]
   * @example
   * await manager.setGroupCapacity('ci-runners', 12, { reason: 'release day', holdFor: '2h' });
   */
  async setGroupCapacity(
    groupId: string,
    capacity: number,
    options: SetCapacityOptions = {},
  ): Promise<Decision> {
    const group = this.group(groupId);
    const { minCapacity, maxCapacity } = group.config;
    if (!Number.isInteger(capacity) || capacity < minCapacity || capacity > maxCapacity) {
      throw argumentError('capacity', `a whole number within [${minCapacity}, ${maxCapacity}]`, capacity);
    }
    const opts = parseOrThrow(setCapacityOptionsSchema, options, {
      code: 'ARGUMENT_INVALID',
      subject: 'setGroupCapacity options',
    });
    return group.setManually(capacity, opts.reason ?? 'manual change', opts.holdFor);
  }

  /**
   * End a manual hold early.
   *
   * @throws GroupNotFoundError
   */
  releaseHold(groupId: string): void {
    const group = this.group(groupId);
    group.decisionState = { ...group.decisionState, hold: null };
  }

  /**
   * Pause automatic scaling of a group in one direction or both. Ticks still run and decide
   * (so decisions show what would have happened); a paused direction never moves except to
   * bring capacity back within [min, max].
   *
   * @throws GroupNotFoundError
   */
  pause(groupId: string, direction: PauseDirection = 'both'): void {
    this.setPaused(groupId, direction, true);
  }

  /**
   * Resume automatic scaling paused by {@link pause}.
   *
   * @throws GroupNotFoundError
   */
  resume(groupId: string, direction: PauseDirection = 'both'): void {
    this.setPaused(groupId, direction, false);
  }

  private setPaused(groupId: string, direction: PauseDirection, value: boolean): void {
    const group = this.group(groupId);
    parseOrThrow(pauseDirectionSchema, direction, { code: 'ARGUMENT_INVALID', subject: 'direction' });
    const paused = group.decisionState.paused;
    group.decisionState = {
      ...group.decisionState,
      paused: {
        scaleOut: direction === 'scale-in' ? paused.scaleOut : value,
        scaleIn: direction === 'scale-out' ? paused.scaleIn : value,
      },
    };
    this.publish(value ? 'paused' : 'resumed', { groupId, at: this.clock.now(), direction });
  }

  /**
   * Run one tick of a group now. Resolves with its decision, or undefined when the tick was
   * skipped (another was in flight) or discarded (the group changed meanwhile). Never rejects
   * for port failures: they become events and decisions.
   *
   * @throws GroupNotFoundError
   */
  evaluate(groupId: string): Promise<Decision | undefined> {
    return this.group(groupId).tick();
  }

  /**
   * Start the loop: every group ticks at once and then every `evaluationInterval`. A tick that
   * comes due while the previous one of its group is still running is skipped and recorded.
   */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.scheduleAll();
  }

  /**
   * Stop the loop, abort port calls in flight, and resolve once running ticks have settled.
   */
  async stop(): Promise<void> {
    // Also when the loop is not running: ticks started by evaluate() are aborted too.
    this.running = false;
    for (const group of this.groups.values()) {
      this.unschedule(group);
      // Calls in flight are aborted below. A tick still reading ends as superseded; one already
      // applying a change reports it as scale-failed (ABORTED), which is what happened.
      group.generation++;
    }
    this.stops.stop();
    await Promise.allSettled([...this.groups.values()].map((g) => g.inFlight ?? Promise.resolve()));
    this.stops.reset();
  }

  // Each group resumes where its schedule stands (a restored one where its snapshot left it),
  // at once when that time has passed.
  private scheduleAll(): void {
    const now = this.clock.now();
    for (const group of this.groups.values()) {
      const due = group.nextDueAt;
      this.schedule(group, due !== null && due > now ? due - now : 0);
    }
  }

  private schedule(group: ScalingGroup, delay: number): void {
    this.unschedule(group);
    group.nextDueAt = this.clock.now() + delay;
    group.timer = this.scheduler.setTimeout(() => this.fire(group), delay);
  }

  private unschedule(group: ScalingGroup): void {
    if (group.timer !== null) this.scheduler.clearTimeout(group.timer);
    group.timer = null;
  }

  private fire(group: ScalingGroup): void {
    group.timer = null;
    if (!this.running || this.groups.get(group.id) !== group) return;
    // Fixed rate: the next tick is due one interval after this one was due, whatever this one
    // costs; an overrun shows up as a skipped tick, not as drift. If the host stalled past
    // several due times, skip to the next one ahead and record the missed ticks once.
    const interval = group.config.evaluationInterval;
    const now = this.clock.now();
    let due = (group.nextDueAt ?? now) + interval;
    if (due <= now) {
      const missed = Math.floor((now - due) / interval) + 1;
      due += missed * interval;
      this.publish('tick-skipped', { groupId: group.id, at: now, reason: 'overrun', count: missed });
    }
    group.nextDueAt = due;
    group.timer = this.scheduler.setTimeout(() => this.fire(group), Math.max(0, due - now));
    void group.tick().catch((error: unknown) => {
      this.publish('error', {
        groupId: group.id,
        at: this.clock.now(),
        source: 'internal',
        error: toError(error),
      });
    });
  }

  /**
   * Events from the bounded history, newest first.
   *
   * @example
   * manager.getScalingEvents({ groupId: 'ci-runners', kinds: ['scaled'], limit: 10 });
   */
  getScalingEvents(query: ScalingEventQuery = {}): ScalingEventRecord[] {
    parseOrThrow(eventQuerySchema, query, { code: 'ARGUMENT_INVALID', subject: 'event query' });
    return this.log.query(query);
  }

  /**
   * Recent samples of one metric of a group, `[timestamp, value]` pairs, oldest first, kept for
   * the group's `metricRetention`.
   *
   * @throws GroupNotFoundError
   */
  getMetricHistory(
    groupId: string,
    metric: string,
    range: { from?: number; to?: number } = {},
  ): [number, number][] {
    const group = this.group(groupId);
    parseOrThrow(timeRangeSchema, range, { code: 'ARGUMENT_INVALID', subject: 'metric history range' });
    return group.metricHistory(metric, range.from, range.to);
  }

  /**
   * The state of each predictive rule of a group: the model in use (for `auto`, the one it
   * chose), whether its forecast is degraded, and its rolling accuracy record (MASE, sMAPE and
   * 80 % / 95 % interval coverage of past forecasts against what happened).
   *
   * @throws GroupNotFoundError
   * @example
   * manager.getForecastStatus('web'); // [{ rule: 'predictive:rps', model: 'auto:mstl', degraded: false, accuracy: { … } }]
   */
  getForecastStatus(groupId: string): ForecastStatus[] {
    return this.group(groupId).forecastStatus();
  }

  /**
   * Everything the manager remembers, as versioned plain JSON: groups and their config,
   * stabilization and rate history, cooldowns, holds, pauses, metric history, the event history,
   * and where each group's schedule stands.
   */
  snapshot(): ManagerSnapshot {
    return writeSnapshot(this.clock.now(), [...this.groups.values()], this.log.all());
  }

  /**
   * Replace all groups and history with a snapshot's. The snapshot is validated first; on any
   * problem a `ConfigError` (`SNAPSHOT_INVALID`) is thrown and nothing changes. When running,
   * each group's schedule resumes where the snapshot left it. Custom rules' functions, which JSON
   * cannot carry, are given back through `options.customRules`.
   *
   * @throws ConfigError
   */
  restore(snapshot: unknown, options: RestoreOptions = {}): void {
    const restored = readSnapshot(snapshot, this.context, options);
    for (const group of this.groups.values()) {
      this.unschedule(group);
      group.generation++;
    }
    this.groups.clear();
    for (const group of restored.groups) this.groups.set(group.id, group);
    this.log.load(restored.events);
    if (this.running) this.scheduleAll();
  }
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
