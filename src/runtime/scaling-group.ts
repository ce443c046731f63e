import type { ScalingGroupConfig } from '../config/group.js';
import { formulaMetricQueries, withCompositeMetrics } from '../core/composite.js';
import { manualDecision, recordScaling } from '../core/decide.js';
import { decideScheduled } from '../core/decide-scheduled.js';
import { formatDuration } from '../core/duration.js';
import { everyRule, rulesInEffect } from '../core/schedule.js';
import {
  type Decision,
  type DecisionState,
  type ForecastAccuracy,
  initialDecisionState,
  type JsonValue,
  type Observation,
  type Proposal,
  type RuleForecast,
} from '../core/types.js';
import { TidewayError, toError } from '../errors.js';
import { createForecaster } from '../forecast/create.js';
import { loadForecaster } from '../forecast/load.js';
import type { Clock, Scheduler, TimerHandle } from '../ports/clock.js';
import type {
  CapacityState,
  ControllerCapabilities,
  ResourceController,
  ScaleContext,
  UnitLister,
} from '../ports/controller.js';
import type { Logger } from '../ports/logger.js';
import type { CallOptions, MetricQuery, MetricsProvider } from '../ports/metrics.js';
import { DEFAULT_SCHEDULING_BUFFER } from '../rules/predictive.js';
import { metricQueries, proposeAll, ruleName } from '../rules/registry.js';
import { callWithTimeout, type StopSwitch } from './call.js';
import type { ManagerEvents } from './events.js';
import { ForecastTracker, type ForecastTrackerState } from './forecasting.js';
import { MetricHistory } from './metric-history.js';
import { failedObservations, toObservations } from './observe.js';

/** What a group needs from its manager. */
export interface GroupContext {
  readonly metrics: MetricsProvider;
  readonly controller: ResourceController;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly logger: Logger;
  /** Ends port calls in flight when the manager stops. */
  readonly stop: StopSwitch;
  /** Emit an event and record it in the history. */
  readonly publish: <K extends keyof ManagerEvents>(kind: K, ...args: ManagerEvents[K]) => void;
  /** Emit a decision of this group, keeping it in the history when it is worth keeping. */
  readonly publishDecision: (group: ScalingGroup, decision: Decision) => void;
}

interface MetricsRead {
  readonly metrics: Observation['metrics'];
  readonly missing: string[] | undefined;
  readonly error: Error | undefined;
}

/**
 * A read-only view of a group's runtime state.
 */
export interface ScalingGroupStatus {
  /** Capacity as last read from, or accepted by, the controller; null before the first tick. */
  readonly capacity: number | null;
  /** The latest decision, or null. */
  readonly lastDecision: Decision | null;
  /** The active manual hold, or null. */
  readonly hold: DecisionState['hold'];
  /** Paused directions. */
  readonly paused: DecisionState['paused'];
  /** When capacity last went up, or null. */
  readonly lastScaleOutAt: number | null;
  /** When capacity last went down, or null. */
  readonly lastScaleInAt: number | null;
  /** A configured `desiredCapacity` waiting to be applied on the next tick, or null. */
  readonly pendingDesiredCapacity: number | null;
  /** True while a tick is running. */
  readonly evaluating: boolean;
}

/** One predictive rule's forecasting state, from `AutoScalingManager.getForecastStatus`. */
export interface ForecastStatus {
  /** The rule's name. */
  readonly rule: string;
  /** The rule's index: in the group's `rules`, then numbering on through each profile's `rules`. */
  readonly ruleIndex: number;
  /** The model in use (for `auto`, `auto:<chosen>`), or null before the first fit. */
  readonly model: string | null;
  /** Whether accuracy is below the rule's gate (the rule then abstains). */
  readonly degraded: boolean;
  /** The rolling accuracy record, or null before any forecast matured. */
  readonly accuracy: ForecastAccuracy | null;
}

/**
 * One registered scaling group at run time: its validated config, what the pipeline remembers,
 * recent metric samples, and the tick that observes, decides and applies. Obtain one from
 * `AutoScalingManager.getScalingGroup`; change it through the manager.
 */
export class ScalingGroup {
  /** @internal */ decisionState: DecisionState = initialDecisionState();
  /** @internal */ sequence = 0;
  /** @internal */ lastKnownCapacity: number | null = null;
  /** @internal */ pendingDesired: number | null;
  /** @internal bumped whenever something makes an in-flight tick's result stale */ generation = 0;
  /** @internal */ inFlight: Promise<Decision | undefined> | null = null;
  /** @internal */ timer: TimerHandle | null = null;
  /** @internal */ nextDueAt: number | null = null;
  /** @internal */ readonly histories = new Map<string, MetricHistory>();
  /** @internal */ lastDecision: Decision | null = null;
  /** @internal what each rule remembered from its last evaluation, by rule index */
  ruleMemory: (JsonValue | undefined)[] = [];
  /** @internal reason and starting capacity of the last decision kept in the event history */
  lastLoggedReason: string | null = null;
  /** @internal */ lastLoggedCurrent: number | null = null;
  private queries: MetricQuery[];
  /** @internal the forecast side of each predictive rule, by rule index */
  trackers = new Map<number, ForecastTracker>();
  private cfg: ScalingGroupConfig;

  /** @internal */
  constructor(
    config: ScalingGroupConfig,
    /** Optional controller capabilities detected at registration. */
    readonly capabilities: ControllerCapabilities,
    private readonly ctx: GroupContext,
  ) {
    this.cfg = config;
    // Every profile's rules are read too, so a profile has data the moment it becomes active.
    this.queries = formulaMetricQueries(metricQueries(everyRule(config)), config);
    this.trackers = this.buildTrackers(config);
    this.pendingDesired = config.desiredCapacity ?? null;
  }

  /** The group's id. */
  get id(): string {
    return this.cfg.id;
  }

  /** The validated config, with defaults applied and durations in ms. */
  get config(): ScalingGroupConfig {
    return this.cfg;
  }

  /** The metrics the group's rules read. */
  get metricQueries(): readonly MetricQuery[] {
    return this.queries;
  }

  /** A snapshot of the group's runtime state. */
  get status(): ScalingGroupStatus {
    const s = this.decisionState;
    return {
      capacity: this.lastKnownCapacity,
      lastDecision: this.lastDecision,
      hold: s.hold,
      paused: s.paused,
      lastScaleOutAt: s.lastScaleOutAt,
      lastScaleInAt: s.lastScaleInAt,
      pendingDesiredCapacity: this.pendingDesired,
      evaluating: this.inFlight !== null,
    };
  }

  /**
   * @internal Replace the config (already validated). A `desiredCapacity` is applied again only
   * when the update itself set it.
   */
  reconfigure(config: ScalingGroupConfig, desiredCapacitySet: boolean): void {
    // A rule keeps what it remembered only if the same rule (kind and name) is still at its index
    // (profiles' rules included): a failure count or a cooldown means nothing to a different rule.
    const before = everyRule(this.cfg);
    const after = everyRule(config);
    this.ruleMemory = this.ruleMemory.map((memory, i) => {
      const old = before[i];
      const next = after[i];
      return old !== undefined &&
        next !== undefined &&
        old.kind === next.kind &&
        ruleName(old) === ruleName(next)
        ? memory
        : undefined;
    });
    this.cfg = config;
    // Every profile's rules are read too, so a profile has data the moment it becomes active.
    this.queries = formulaMetricQueries(metricQueries(everyRule(config)), config);
    this.trackers = this.buildTrackers(config);
    if (desiredCapacitySet && config.desiredCapacity !== undefined)
      this.pendingDesired = config.desiredCapacity;
    const read = new Set(this.queries.map((q) => q.name));
    for (const [name, history] of this.histories) {
      // History of a metric no rule reads any more would never be pruned again.
      if (read.has(name)) history.retention = config.metricRetention;
      else this.histories.delete(name);
    }
    this.generation++;
  }

  /**
   * @internal Whether the event history should keep this decision: when it changes capacity, or
   * its reason or starting capacity differs from the last one kept (a run of identical "keep"
   * decisions is one entry; keyed on the capacity too, so a change made outside tideway still
   * reaches the history).
   */
  keepInHistory(decision: Decision): boolean {
    if (
      decision.direction === 'none' &&
      this.lastLoggedReason === decision.reason &&
      this.lastLoggedCurrent === decision.current
    ) {
      return false;
    }
    this.lastLoggedReason = decision.reason;
    this.lastLoggedCurrent = decision.current;
    return true;
  }

  /** Recent samples of one metric as `[timestamp, value]` pairs, oldest first. */
  metricHistory(metric: string, from?: number, to?: number): [number, number][] {
    return this.histories.get(metric)?.toArray(from, to) ?? [];
  }

  /**
   * @internal Run one tick unless one is already running (then record the skip).
   */
  tick(): Promise<Decision | undefined> {
    if (this.inFlight !== null) {
      this.ctx.publish('tick-skipped', { groupId: this.id, at: this.ctx.clock.now(), reason: 'in-flight' });
      return Promise.resolve(undefined);
    }
    const run = this.tickBody();
    this.inFlight = run;
    // Cleared by a reaction registered before the caller's own, so whoever awaits the tick sees
    // the group idle — without a second async frame around every tick.
    const clear = (): void => {
      if (this.inFlight === run) this.inFlight = null;
    };
    run.then(clear, clear);
    return run;
  }

  private call<T>(operation: string, timeout: number, run: (options: CallOptions) => Promise<T>): Promise<T> {
    return callWithTimeout(run, {
      timeout,
      scheduler: this.ctx.scheduler,
      stop: this.ctx.stop,
      operation,
      groupId: this.id,
    });
  }

  private async readCapacity(): Promise<CapacityState> {
    return this.toCapacity(await this.requestCapacity());
  }

  private requestCapacity(): Promise<number | CapacityState> {
    return this.call('getCapacity', this.cfg.timeouts.controller, (options) =>
      this.ctx.controller.getCapacity(this.id, options),
    );
  }

  private toCapacity(raw: number | CapacityState): CapacityState {
    if (typeof raw === 'number' && isCount(raw)) return { desired: raw };
    const state = raw as CapacityState;
    if (
      raw === null ||
      typeof raw !== 'object' ||
      !isCount(state.desired) ||
      (state.ready !== undefined && !isCount(state.ready))
    ) {
      throw new Error(
        `getCapacity(${this.id}) returned ${JSON.stringify(raw)}; expected a whole number ≥ 0 or { desired, ready? }`,
      );
    }
    return state;
  }

  /** Read every metric; never rejects: a failure is returned as data for the tick to report. */
  private async readMetrics(queries: readonly MetricQuery[], now: number): Promise<MetricsRead> {
    try {
      const response = await this.call('metrics.read', this.cfg.timeouts.metrics, (options) =>
        this.ctx.metrics.read({ groupId: this.id, now, labels: this.cfg.labels, metrics: queries }, options),
      );
      if (response === null || typeof response !== 'object') {
        throw new Error(
          `metrics.read(${this.id}) resolved with ${String(response)}; expected an object of series`,
        );
      }
      const metrics = toObservations(queries, response, now);
      let missing: string[] | undefined;
      for (const query of queries) {
        if (metrics[query.name]?.status !== 'ok') {
          missing ??= [];
          missing.push(query.name);
        }
      }
      return { metrics, missing, error: undefined };
    } catch (error) {
      const err = toError(error);
      return { metrics: failedObservations(queries, err.message), missing: undefined, error: err };
    }
  }

  private async tickBody(): Promise<Decision | undefined> {
    const { ctx } = this;
    const generation = this.generation;
    const startedAt = ctx.clock.now();

    // Capacity and metrics are read at once: neither depends on the other, and a tick then
    // waits for the slower port, not for both in turn.
    const queries = this.queries;
    const capacityRead = this.requestCapacity();
    const metricsRead = queries.length > 0 ? this.readMetrics(queries, startedAt) : undefined;
    // Per-unit rules tell ready, unready and missing units apart by the unit list; without it
    // (no capability, or the call failed) every unit that reported counts as ready.
    const unitsRead =
      this.capabilities.listUnits && queries.some((q) => q.perUnit)
        ? this.call('listUnits', this.cfg.timeouts.controller, (options) =>
            (ctx.controller as ResourceController & UnitLister).listUnits(this.id, options),
          ).catch((error: unknown) => {
            ctx.publish('error', {
              groupId: this.id,
              at: ctx.clock.now(),
              source: 'controller',
              error: toError(error),
            });
            return undefined;
          })
        : undefined;
    let capacity: CapacityState;
    try {
      capacity = this.toCapacity(await capacityRead);
    } catch (error) {
      if (metricsRead !== undefined) await metricsRead;
      if (generation !== this.generation) return this.superseded();
      const err = toError(error);
      ctx.publish('error', { groupId: this.id, at: ctx.clock.now(), source: 'controller', error: err });
      const current = this.lastKnownCapacity ?? 0;
      const decision: Decision = {
        id: `${this.id}#${++this.sequence}`,
        groupId: this.id,
        at: startedAt,
        current,
        recommended: null,
        desired: current,
        direction: 'none',
        reason: 'CapacityUnavailable',
        message: `Keep ${current}: the controller did not report the group's capacity (${err.message}).`,
        proposals: [],
        trace: [],
      };
      this.lastDecision = decision;
      ctx.publishDecision(this, decision);
      return decision;
    }
    let metrics: Observation['metrics'] = {};
    if (metricsRead !== undefined) {
      const read = await metricsRead;
      metrics = read.metrics;
      if (generation === this.generation) {
        if (read.error !== undefined) {
          ctx.publish('metrics-unavailable', {
            groupId: this.id,
            at: startedAt,
            metrics: queries.map((q) => q.name),
            reason: (read.error as { code?: string }).code === 'TIMEOUT' ? 'timeout' : 'failed',
            error: read.error,
          });
        } else if (read.missing !== undefined) {
          ctx.publish('metrics-unavailable', {
            groupId: this.id,
            at: startedAt,
            metrics: read.missing,
            reason: 'missing',
          });
        }
      }
    }
    const units = unitsRead === undefined ? undefined : await unitsRead;
    if (generation !== this.generation) return this.superseded();

    const current = capacity.desired;
    this.lastKnownCapacity = current;
    this.remember(metrics, startedAt);
    const forecasts = this.trackers.size === 0 ? undefined : await this.advanceForecasts(metrics, startedAt);
    if (generation !== this.generation) return this.superseded();

    const sequence = ++this.sequence;
    let decision: Decision;
    const pending = this.pendingDesired;
    if (pending !== null) {
      decision = manualDecision({
        groupId: this.id,
        sequence,
        now: startedAt,
        current,
        requested: pending,
        min: this.cfg.minCapacity,
        max: this.cfg.maxCapacity,
        reason: 'ConfiguredCapacity',
        why: `the group's config sets desiredCapacity ${pending}`,
      });
      if (decision.desired === current) this.pendingDesired = null;
    } else {
      const state = this.decisionState;
      const observation: Observation = {
        now: startedAt,
        capacity: current,
        readyCapacity: capacity.ready ?? current,
        metrics: withCompositeMetrics(metrics, startedAt, this.cfg.compositeMetrics),
        memory: this.ruleMemory,
        lastScaleOutAt: state.lastScaleOutAt,
        lastScaleInAt: state.lastScaleInAt,
        ...(forecasts === undefined ? {} : { forecasts }),
        ...(units === undefined ? {} : { units }),
      };
      // The active profile's rules, when it has any, decide instead of the group's.
      const inEffect = rulesInEffect(this.cfg, startedAt);
      const proposals = proposeAll(inEffect.rules, observation, inEffect.firstIndex);
      this.rememberRules(proposals);
      // Schedules and profiles in effect now bound this decision (and may propose).
      const out = decideScheduled({
        groupId: this.id,
        sequence,
        config: this.cfg,
        state,
        observation,
        proposals,
      });
      this.decisionState = out.state;
      decision = out.decision;
    }
    this.lastDecision = decision;
    ctx.publishDecision(this, decision);
    if (decision.desired !== current) {
      const failure = await this.apply(decision);
      if (failure === null && pending !== null && this.pendingDesired === pending) this.pendingDesired = null;
    }
    return decision;
  }

  private superseded(): undefined {
    this.ctx.publish('tick-skipped', { groupId: this.id, at: this.ctx.clock.now(), reason: 'superseded' });
    return undefined;
  }

  // Keyed by ruleIndex, not position: a profile's rules are numbered after the group's, so the
  // memory of a rule whose profile is not active is left as it was.
  private rememberRules(proposals: readonly Proposal[]): void {
    const memory = this.ruleMemory;
    for (let i = 0; i < proposals.length; i++) {
      const { memory: next, ruleIndex } = proposals[i] as Proposal;
      if (next !== undefined || memory[ruleIndex] !== undefined) memory[ruleIndex] = next;
    }
  }

  /** @internal */
  forecastStatus(): ForecastStatus[] {
    return [...this.trackers].map(([index, tracker]) => ({
      rule: ruleName(tracker.rule),
      ruleIndex: index,
      model: tracker.model,
      degraded: tracker.degraded,
      accuracy: tracker.accuracy(),
    }));
  }

  // A tracker survives a config update only when its rule, index and buffer are unchanged: its
  // history and fitted model belong to exactly that rule.
  private buildTrackers(config: ScalingGroupConfig): Map<number, ForecastTracker> {
    const out = new Map<number, ForecastTracker>();
    // Profiles' predictive rules are tracked while inactive too, so their model is ready on a switch.
    everyRule(config).forEach((rule, index) => {
      if (rule.kind !== 'predictive') return;
      const buffer = rule.schedulingBuffer ?? config.provisioningLeadTime ?? DEFAULT_SCHEDULING_BUFFER;
      const old = this.trackers.get(index);
      out.set(
        index,
        old !== undefined && old.buffer === buffer && JSON.stringify(old.rule) === JSON.stringify(rule)
          ? old
          : new ForecastTracker(rule, buffer, createForecaster),
      );
    });
    return out;
  }

  /** @internal restore trackers saved by a snapshot */
  restoreTrackers(saved: readonly (readonly [number, ForecastTrackerState])[]): void {
    for (const [index, state] of saved) this.trackers.get(index)?.restore(state, loadForecaster);
  }

  private async advanceForecasts(
    metrics: Observation['metrics'],
    now: number,
  ): Promise<Record<number, RuleForecast>> {
    const { ctx } = this;
    const out: Record<number, RuleForecast> = {};
    for (const [index, tracker] of this.trackers) {
      const { rule } = tracker;
      if (!tracker.backfilled) {
        // The model needs days of history, more than a tick reads: ask the provider once.
        const query: MetricQuery = { name: rule.metric, window: rule.history, perUnit: false };
        try {
          const response = await this.call('metrics.read', this.cfg.timeouts.metrics, (options) =>
            ctx.metrics.read({ groupId: this.id, now, labels: this.cfg.labels, metrics: [query] }, options),
          );
          tracker.ingest(toObservations([query], response, now)[rule.metric]?.samples ?? [], now);
          tracker.backfilled = true;
        } catch (error) {
          ctx.publish('error', { groupId: this.id, at: now, source: 'internal', error: toError(error) });
        }
      }
      tracker.ingest(metrics[rule.metric]?.samples ?? [], now);
      const { forecast, change } = tracker.advance(now);
      out[index] = forecast;
      const accuracy = forecast.accuracy;
      if (change !== null && accuracy !== null) {
        ctx.publish(change === 'degraded' ? 'forecast-degraded' : 'forecast-recovered', {
          groupId: this.id,
          at: now,
          rule: ruleName(rule),
          model: tracker.model,
          accuracy,
        });
      }
    }
    return out;
  }

  private remember(metrics: Observation['metrics'], now: number): void {
    for (const name in metrics) {
      const observed = metrics[name];
      if (observed === undefined || observed.status !== 'ok') continue;
      let history = this.histories.get(name);
      if (history === undefined) {
        history = new MetricHistory(this.cfg.metricRetention);
        this.histories.set(name, history);
      }
      for (const sample of observed.samples) history.push(sample.timestamp, sample.value);
      history.prune(now);
    }
  }

  /**
   * @internal Ask the controller for `decision.desired`; on success remember the change for rate
   * policies and cooldowns. Never throws: a failure becomes `scale-failed`, and the next tick
   * decides again from what the controller then reports.
   *
   * @returns null on success, else the error
   */
  async apply(decision: Decision): Promise<Error | null> {
    const { ctx } = this;
    const from = decision.current;
    const to = decision.desired;
    try {
      await this.call('setCapacity', this.cfg.timeouts.controller, (options) =>
        ctx.controller.setCapacity(this.id, to, new ScaleRequest(options, decision)),
      );
    } catch (error) {
      const err = toError(error);
      ctx.publish('scale-failed', { groupId: this.id, at: ctx.clock.now(), from, to, error: err, decision });
      return err;
    }
    const at = ctx.clock.now();
    this.decisionState = recordScaling(this.decisionState, from, to, at, this.cfg.behavior);
    this.lastKnownCapacity = to;
    ctx.publish('scaled', { groupId: this.id, at, from, to, decision });
    return null;
  }

  /**
   * @internal Set capacity by hand (validated by the manager). The hold is in place before any
   * await, so a tick that starts meanwhile cannot move capacity first; it is rolled back if the
   * controller rejects the change.
   */
  async setManually(capacity: number, why: string, holdFor: number | undefined): Promise<Decision> {
    const { ctx } = this;
    this.generation++;
    // A manual change is the later, explicit instruction: it replaces a configured
    // desiredCapacity still waiting to be applied.
    this.pendingDesired = null;
    const now = ctx.clock.now();
    const previousHold = this.decisionState.hold;
    const hold =
      holdFor !== undefined && holdFor > 0 ? { capacity, until: now + holdFor, reason: why } : null;
    this.decisionState = { ...this.decisionState, hold };
    let current: number;
    try {
      current = (await this.readCapacity()).desired;
    } catch (error) {
      // The change is still wanted; the last known size is the best "before" there is.
      current = this.lastKnownCapacity ?? 0;
      ctx.publish('error', {
        groupId: this.id,
        at: ctx.clock.now(),
        source: 'controller',
        error: toError(error),
      });
    }
    const decision = manualDecision({
      groupId: this.id,
      sequence: ++this.sequence,
      now,
      current,
      requested: capacity,
      min: this.cfg.minCapacity,
      max: this.cfg.maxCapacity,
      reason: 'ManualOverride',
      why: holdFor !== undefined ? `${why} (held for ${formatDuration(holdFor)})` : why,
    });
    this.lastDecision = decision;
    ctx.publishDecision(this, decision);
    if (decision.desired === current) {
      this.lastKnownCapacity = current;
      return decision;
    }
    this.generation++;
    const failure = await this.apply(decision);
    if (failure !== null) {
      if (this.decisionState.hold === hold)
        this.decisionState = { ...this.decisionState, hold: previousHold };
      throw new TidewayError(
        'CONTROLLER_FAILED',
        `Setting ${this.id} to ${capacity} failed: ${failure.message}`,
        {
          cause: failure,
        },
      );
    }
    return decision;
  }
}

/**
 * The context a capacity change is asked with: the call's signal (made only if the controller
 * reads it) and the decision's reason, message, id and idempotency key.
 */
class ScaleRequest implements ScaleContext {
  readonly reason: string;
  readonly message: string;
  readonly decisionId: string;
  readonly #call: CallOptions;
  readonly #desired: number;

  constructor(call: CallOptions, decision: Decision) {
    this.#call = call;
    this.#desired = decision.desired;
    this.reason = decision.reason;
    this.message = decision.message;
    this.decisionId = decision.id;
  }

  get signal(): AbortSignal {
    return this.#call.signal;
  }

  get idempotencyKey(): string {
    return `${this.decisionId}:${this.#desired}`;
  }
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
