import type { ScalingGroupConfig } from '../config/group.js';
import { argumentError } from '../config/issues.js';
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
  UnitInfo,
  UnitLister,
} from '../ports/controller.js';
import type { Logger } from '../ports/logger.js';
import type {
  CallOptions,
  MetricQuery,
  MetricSample,
  MetricsProvider,
  MetricsRequest,
  MetricsResponse,
} from '../ports/metrics.js';
import { DEFAULT_SCHEDULING_BUFFER } from '../rules/predictive.js';
import { metricQueries, proposeAll, ruleName } from '../rules/registry.js';
import { CallFailure, callPort, PENDING, type PortCall, type PortMethod, type StopSwitch } from './call.js';
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
  readonly publish: <K extends keyof ManagerEvents>(kind: K, payload: ManagerEvents[K][0]) => void;
  /** Emit a decision of this group, keeping it in the history when it is worth keeping. */
  readonly publishDecision: (group: ScalingGroup, decision: Decision) => void;
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
  // Set by adopt(), called from the constructor.
  private queries!: MetricQuery[];
  /** Whether the config has composite metrics or profiles with rules: most have neither. */
  private composites = false;
  private profileRules = false;
  /** True while a tick's body runs: a body that ended synchronously is never marked in flight. */
  private ticking = false;
  /** @internal the forecast side of each predictive rule, by rule index */
  trackers = new Map<number, ForecastTracker>();
  private cfg!: ScalingGroupConfig;

  /** @internal */
  constructor(
    config: ScalingGroupConfig,
    /** Optional controller capabilities detected at registration. */
    readonly capabilities: ControllerCapabilities,
    private readonly ctx: GroupContext,
  ) {
    this.adopt(config);
    this.pendingDesired = config.desiredCapacity ?? null;
  }

  // What a tick needs from the config is worked out here, once per config, not on every tick.
  private adopt(config: ScalingGroupConfig): void {
    this.cfg = config;
    // Every profile's rules are read too, so a profile has data the moment it becomes active.
    this.queries = formulaMetricQueries(metricQueries(everyRule(config)), config);
    this.composites = Object.keys(config.compositeMetrics).length > 0;
    this.profileRules = config.profiles.some((profile) => profile.rules !== undefined);
    this.trackers = this.buildTrackers(config);
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
    this.adopt(config);
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

  /**
   * Recent samples of one metric as `[timestamp, value]` pairs, oldest first: empty until the
   * metric has data.
   *
   * @throws ConfigError (`ARGUMENT_INVALID`) when no rule of the group reads `metric`
   */
  metricHistory(metric: string, from?: number, to?: number): [number, number][] {
    const history = this.histories.get(metric);
    if (history !== undefined) return history.toArray(from, to);
    if (this.queries.some((q) => q.name === metric)) return [];
    const names = this.queries.map((q) => JSON.stringify(q.name));
    throw argumentError(
      'metric',
      names.length === 0
        ? `a metric the group's rules read (they read none)`
        : `a metric the group's rules read: one of ${names.join(', ')}`,
      metric,
    );
  }

  /**
   * @internal Run one tick unless one is already running (then record the skip).
   */
  tick(): Promise<Decision | undefined> {
    if (this.inFlight !== null) {
      this.ctx.publish('tick-skipped', { groupId: this.id, at: this.ctx.clock.now(), reason: 'in-flight' });
      return Promise.resolve(undefined);
    }
    this.ticking = true;
    const run = this.tickBody();
    // The body clears `inFlight` as it ends, before its promise settles, so whoever awaits the
    // tick sees the group idle. It can end before this line: when a call is refused at once
    // (the manager is stopping) and nothing is left to await, or on a throw before any await.
    if (this.ticking) this.inFlight = run;
    return run;
  }

  /** Call a port method with the group's id or request and a timeout; a failure is a value. */
  private call<P, A, T>(
    operation: string,
    timeout: number,
    port: P,
    method: PortMethod<P, A, T>,
    arg: A,
  ): PortCall<T> {
    return callPort(this.ctx, operation, this.id, timeout, port, method, arg);
  }

  private requestCapacity(): PortCall<number | CapacityState> {
    const { controller } = this.ctx;
    return this.call(
      'getCapacity',
      this.cfg.timeouts.controller,
      controller,
      controller.getCapacity,
      this.id,
    );
  }

  private async readCapacity(): Promise<CapacityState> {
    const raw = await this.requestCapacity().result();
    if (raw instanceof CallFailure) throw raw.error;
    return this.toCapacity(raw);
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

  /** Ask the metrics provider for `queries` at `now`. */
  private requestMetrics(queries: readonly MetricQuery[], now: number): PortCall<MetricsResponse> {
    const { metrics } = this.ctx;
    const request: MetricsRequest = { groupId: this.id, now, labels: this.cfg.labels, metrics: queries };
    return this.call('metrics.read', this.cfg.timeouts.metrics, metrics, metrics.read, request);
  }

  /**
   * Turn the provider's answer into observations, reporting what is missing or failed (unless
   * the tick is stale). A failure or a malformed answer marks every metric failed.
   */
  private observeMetrics(
    queries: readonly MetricQuery[],
    response: MetricsResponse | CallFailure,
    now: number,
    report: boolean,
  ): Observation['metrics'] {
    let error: Error | undefined;
    let metrics: Observation['metrics'] = {};
    if (response instanceof CallFailure) error = toError(response.error);
    else {
      try {
        if (response === null || typeof response !== 'object') {
          throw new Error(
            `metrics.read(${this.id}) resolved with ${String(response)}; expected an object of series`,
          );
        }
        metrics = toObservations(queries, response, now);
      } catch (thrown) {
        error = toError(thrown);
      }
    }
    if (error !== undefined) {
      if (report) {
        this.ctx.publish('metrics-unavailable', {
          groupId: this.id,
          at: now,
          metrics: queries.map((q) => q.name),
          reason: (error as { code?: string }).code === 'TIMEOUT' ? 'timeout' : 'failed',
          error,
        });
      }
      return failedObservations(queries, error.message);
    }
    let missing: string[] | undefined;
    let details: Record<string, string> | undefined;
    for (const query of queries) {
      const observed = metrics[query.name];
      if (observed?.status !== 'ok') {
        missing ??= [];
        missing.push(query.name);
        if (observed?.error !== undefined) {
          details ??= {};
          details[query.name] = observed.error;
        }
      }
    }
    if (report && missing !== undefined) {
      this.ctx.publish('metrics-unavailable', {
        groupId: this.id,
        at: now,
        metrics: missing,
        reason: 'missing',
        ...(details === undefined ? {} : { details }),
      });
    }
    return metrics;
  }

  // The async body holds only what crosses an await: everything it keeps is saved with it at
  // every await, so the synchronous work is done in the methods it calls.
  private async tickBody(): Promise<Decision | undefined> {
    // Cleared as the body ends, before its promise settles, so whoever awaits the tick sees the
    // group idle — without a second async frame or a reaction around every tick.
    try {
      const generation = this.generation;
      const startedAt = this.ctx.clock.now();

      // Capacity and metrics are read at once: neither depends on the other, and a tick then
      // waits for the slower port, not for both in turn. The call made last is awaited first:
      // ports in process answer in order, so the other has then settled too and needs no await.
      // Failures are outcomes, not rejections, so neither can go unhandled meanwhile.
      const queries = this.queries;
      const capacityCall = this.requestCapacity();
      const metricsCall = queries.length > 0 ? this.requestMetrics(queries, startedAt) : undefined;
      const unitsRead = this.requestUnits(queries);
      const metricsOutcome = metricsCall === undefined ? undefined : await metricsCall.result();
      let rawCapacity = capacityCall.outcome;
      if (rawCapacity === PENDING) rawCapacity = await capacityCall.result();
      let capacity: CapacityState;
      try {
        if (rawCapacity instanceof CallFailure) throw rawCapacity.error;
        capacity = this.toCapacity(rawCapacity);
      } catch (error) {
        if (generation !== this.generation) return this.superseded();
        return this.capacityUnavailable(toError(error), startedAt);
      }
      const metrics =
        metricsOutcome === undefined
          ? {}
          : this.observeMetrics(queries, metricsOutcome, startedAt, generation === this.generation);
      const units = unitsRead === undefined ? undefined : await unitsRead;
      if (generation !== this.generation) return this.superseded();

      const current = capacity.desired;
      this.lastKnownCapacity = current;
      this.remember(metrics, startedAt);
      const forecasts =
        this.trackers.size === 0 ? undefined : await this.advanceForecasts(metrics, startedAt);
      if (generation !== this.generation) return this.superseded();

      const pending = this.pendingDesired;
      const decision = this.decideNow(capacity, metrics, units, forecasts, startedAt);
      if (decision.desired !== current) {
        const failure = this.applied(decision, await this.requestScale(decision).result());
        if (failure === null && pending !== null && this.pendingDesired === pending)
          this.pendingDesired = null;
      }
      return decision;
    } finally {
      this.ticking = false;
      this.inFlight = null;
    }
  }

  /**
   * Per-unit rules tell ready, unready and missing units apart by the unit list; without it (no
   * capability, or the call failed) every unit that reported counts as ready.
   */
  private requestUnits(
    queries: readonly MetricQuery[],
  ): Promise<readonly UnitInfo[] | undefined> | undefined {
    if (!this.capabilities.listUnits || !queries.some((q) => q.perUnit)) return undefined;
    const { ctx } = this;
    const lister = ctx.controller as ResourceController & UnitLister;
    return this.call('listUnits', this.cfg.timeouts.controller, lister, lister.listUnits, this.id)
      .result()
      .then((listed) => {
        if (!(listed instanceof CallFailure)) return listed;
        ctx.publish('error', {
          groupId: this.id,
          at: ctx.clock.now(),
          source: 'controller',
          error: toError(listed.error),
        });
        return undefined;
      });
  }

  /** The decision of a tick whose capacity read failed: keep the last known capacity. */
  private capacityUnavailable(err: Error, startedAt: number): Decision {
    const { ctx } = this;
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

  /** Decide from what the tick observed, and publish the decision. */
  private decideNow(
    capacity: CapacityState,
    metrics: Observation['metrics'],
    units: readonly UnitInfo[] | undefined,
    forecasts: Record<number, RuleForecast> | undefined,
    startedAt: number,
  ): Decision {
    const current = capacity.desired;
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
        metrics: this.composites
          ? withCompositeMetrics(metrics, startedAt, this.cfg.compositeMetrics)
          : metrics,
        memory: this.ruleMemory,
        lastScaleOutAt: state.lastScaleOutAt,
        lastScaleInAt: state.lastScaleInAt,
      };
      // Set only when present (as own properties, not by spreading, which copies generically).
      if (forecasts !== undefined) (observation as { forecasts?: typeof forecasts }).forecasts = forecasts;
      if (units !== undefined) (observation as { units?: typeof units }).units = units;
      // The active profile's rules, when it has any, decide instead of the group's.
      let proposals: readonly Proposal[];
      if (this.profileRules) {
        const inEffect = rulesInEffect(this.cfg, startedAt);
        proposals = proposeAll(inEffect.rules, observation, inEffect.firstIndex);
      } else {
        proposals = proposeAll(this.cfg.rules, observation, 0);
      }
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
    this.ctx.publishDecision(this, decision);
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
          const response = await this.requestMetrics([query], now).result();
          if (response instanceof CallFailure) throw response.error;
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
    // The observed metrics are exactly the queried ones: walking the query list is cheaper than
    // enumerating the keys of an object made this tick.
    const queries = this.queries;
    for (let i = 0; i < queries.length; i++) {
      const name = (queries[i] as MetricQuery).name;
      const observed = metrics[name];
      if (observed === undefined || observed.status !== 'ok') continue;
      let history = this.histories.get(name);
      if (history === undefined) {
        history = new MetricHistory(this.cfg.metricRetention);
        this.histories.set(name, history);
      }
      const samples = observed.samples;
      for (let j = 0; j < samples.length; j++) {
        const sample = samples[j] as MetricSample;
        history.push(sample.timestamp, sample.value);
      }
      history.prune(now);
    }
  }

  /** Ask the controller for `decision.desired`. */
  private requestScale(decision: Decision): PortCall<void> {
    return this.call('setCapacity', this.cfg.timeouts.controller, this, this.scaleTo, decision);
  }

  // A method, not a closure, so a capacity change allocates no function (see requestScale).
  private scaleTo(decision: Decision, options: CallOptions): Promise<void> {
    return this.ctx.controller.setCapacity(this.id, decision.desired, new ScaleRequest(options, decision));
  }

  /**
   * Record the outcome of `requestScale`: on success remember the change for rate policies and
   * cooldowns. Never throws: a failure becomes `scale-failed`, and the next tick decides again
   * from what the controller then reports.
   *
   * @returns null on success, else the error
   */
  private applied(decision: Decision, result: unknown): Error | null {
    const { ctx } = this;
    const from = decision.current;
    const to = decision.desired;
    if (result instanceof CallFailure) {
      const err = toError(result.error);
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
    const failure = this.applied(decision, await this.requestScale(decision).result());
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
