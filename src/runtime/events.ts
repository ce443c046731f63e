import { EventEmitter } from 'eventemitter3';
import type { Decision, ForecastAccuracy } from '../core/types.js';

/** A scale direction as pause and resume name it. */
export type PauseDirection = 'scale-out' | 'scale-in' | 'both';

/** Payload of `scaled`: the controller accepted a capacity change. */
export interface ScaledEvent {
  /** The group. */
  readonly groupId: string;
  /** When, ms since the epoch. */
  readonly at: number;
  /** Capacity before. */
  readonly from: number;
  /** Capacity after. */
  readonly to: number;
  /** The decision that asked for it. */
  readonly decision: Decision;
}

/** Payload of `scale-failed`: the controller rejected or timed out on a capacity change. */
export interface ScaleFailedEvent {
  /** The group. */
  readonly groupId: string;
  /** When, ms since the epoch. */
  readonly at: number;
  /** Capacity before. */
  readonly from: number;
  /** Capacity that was asked for. */
  readonly to: number;
  /** What went wrong. */
  readonly error: Error;
  /** The decision that asked for it; the next tick decides (and so retries) afresh. */
  readonly decision: Decision;
}

/** Payload of `metrics-unavailable`: some metrics had no data or could not be read. */
export interface MetricsUnavailableEvent {
  /** The group. */
  readonly groupId: string;
  /** When, ms since the epoch. */
  readonly at: number;
  /** The metrics affected. */
  readonly metrics: readonly string[];
  /** `missing`: the provider had no samples; `failed`: the call failed; `timeout`: it did not answer in time. */
  readonly reason: 'missing' | 'failed' | 'timeout';
  /** The failure, for `failed` and `timeout`. */
  readonly error?: Error;
  /**
   * For `missing`: what was wrong with the provider's answer, for each metric it did answer for
   * (no series, a malformed one, or samples none of which is usable, counted by cause).
   */
  readonly details?: Readonly<Record<string, string>>;
}

/** Payload of `tick-skipped`. */
export interface TickSkippedEvent {
  /** The group. */
  readonly groupId: string;
  /** When, ms since the epoch. */
  readonly at: number;
  /**
   * `in-flight`: the previous tick had not finished, so this one was skipped (ticks of one group
   * never overlap). `superseded`: the group was updated, removed or manually scaled while the
   * tick was reading, so its result was discarded. `overrun`: the host stalled past several
   * due times (e.g. a blocked event loop or a suspended machine) and `count` ticks were missed.
   */
  readonly reason: 'in-flight' | 'superseded' | 'overrun';
  /** How many ticks this entry stands for. @default 1 */
  readonly count?: number;
}

/** Payload of `group-registered` and `group-removed`. */
export interface GroupEvent {
  /** The group. */
  readonly groupId: string;
  /** When, ms since the epoch. */
  readonly at: number;
}

/** Payload of `group-updated`. */
export interface GroupUpdatedEvent extends GroupEvent {
  /** Top-level config keys whose value changed. */
  readonly changed: readonly string[];
}

/** Payload of `paused` and `resumed`. */
export interface PauseEvent extends GroupEvent {
  /** The direction paused or resumed. */
  readonly direction: PauseDirection;
}

/** Payload of `error`: something failed that tideway handled. */
export interface ErrorEvent {
  /** The group, when the failure concerns one. */
  readonly groupId?: string;
  /** When, ms since the epoch. */
  readonly at: number;
  /** Where it happened. */
  readonly source: 'controller' | 'listener' | 'internal';
  /** What went wrong. */
  readonly error: Error;
}

/** Payload of `forecast-degraded` and `forecast-recovered`. */
export interface ForecastAccuracyEvent {
  /** The group. */
  readonly groupId: string;
  /** When, ms since the epoch. */
  readonly at: number;
  /** The predictive rule's name. */
  readonly rule: string;
  /** The model in use (for `auto`, the one it chose), or null without one. */
  readonly model: string | null;
  /** The rolling accuracy record that moved the gate. */
  readonly accuracy: ForecastAccuracy;
}

/**
 * Every event the manager emits, mapped to its payload tuple. Names are past-tense facts.
 */
export interface ManagerEvents {
  /** A tick (or a manual change) produced a decision. */
  decision: [decision: Decision];
  /** The controller accepted a capacity change. */
  scaled: [event: ScaledEvent];
  /** The controller rejected a capacity change. */
  'scale-failed': [event: ScaleFailedEvent];
  /** Some metrics had no data or could not be read. */
  'metrics-unavailable': [event: MetricsUnavailableEvent];
  /** A tick was skipped or its result discarded. */
  'tick-skipped': [event: TickSkippedEvent];
  /** A group was registered. */
  'group-registered': [event: GroupEvent];
  /** A group's config was changed. */
  'group-updated': [event: GroupUpdatedEvent];
  /** A group was removed. */
  'group-removed': [event: GroupEvent];
  /** Automatic scaling was paused. */
  paused: [event: PauseEvent];
  /** Automatic scaling was resumed. */
  resumed: [event: PauseEvent];
  /** Something failed that tideway handled (including a listener that threw). */
  error: [event: ErrorEvent];
  /** A predictive rule's accuracy fell below its gate: the group's reactive rules decide alone. */
  'forecast-degraded': [event: ForecastAccuracyEvent];
  /** A degraded predictive rule's accuracy recovered: it takes part in decisions again. */
  'forecast-recovered': [event: ForecastAccuracyEvent];
}

/** Every event name. */
export type ManagerEventName = keyof ManagerEvents;

// A key per event name: the compiler rejects this object when an event is added without it.
const EVENT_NAME_KEYS: { readonly [K in ManagerEventName]: true } = {
  decision: true,
  scaled: true,
  'scale-failed': true,
  'metrics-unavailable': true,
  'tick-skipped': true,
  'group-registered': true,
  'group-updated': true,
  'group-removed': true,
  paused: true,
  resumed: true,
  error: true,
  'forecast-degraded': true,
  'forecast-recovered': true,
};

/**
 * Every event name the manager emits, in the order {@link ManagerEvents} lists them.
 *
 * @example
 * for (const name of MANAGER_EVENT_NAMES) manager.on(name, (event) => log(name, event));
 */
export const MANAGER_EVENT_NAMES = Object.freeze(Object.keys(EVENT_NAME_KEYS)) as readonly [
  ManagerEventName,
  ...ManagerEventName[],
];

interface StoredListener {
  fn: (...args: unknown[]) => void;
  context: unknown;
  once: boolean;
}

/**
 * An eventemitter3 emitter whose `emit` calls every listener even when one throws: a throwing
 * listener is reported through `onListenerError` and never reaches the code that emitted.
 */
export class SafeEventEmitter<Events extends EventEmitter.ValidEventTypes> extends EventEmitter<Events> {
  /**
   * Call every listener of `event`. Returns true when there were listeners.
   */
  override emit<T extends EventEmitter.EventNames<Events>>(
    event: T,
    ...args: EventEmitter.EventArgs<Events, T>
  ): boolean {
    return this.dispatch(event, args, undefined);
  }

  /**
   * `emit` for the one-payload events the manager sends on every tick, without the rest array
   * `emit` takes or the argument array `apply` needs.
   */
  protected emitOne<T extends EventEmitter.EventNames<Events>>(
    event: T,
    payload: EventEmitter.EventArgs<Events, T>[0],
  ): void {
    this.dispatch(event, undefined, payload);
  }

  /** Call each listener with `args`, or with `payload` alone when `args` is undefined. */
  private dispatch(
    event: EventEmitter.EventNames<Events>,
    args: readonly unknown[] | undefined,
    payload: unknown,
  ): boolean {
    const key = (EventEmitter.prefixed ? `${EventEmitter.prefixed}${String(event)}` : event) as string;
    // eventemitter3 keeps one listener as an object and several as an array; removeListener
    // replaces (never mutates) the array, so iterating the one read here is safe.
    const stored = (
      this as unknown as { _events: Record<string, StoredListener | StoredListener[] | undefined> }
    )._events[key];
    if (stored === undefined) return false;
    if (!Array.isArray(stored)) this.callListener(event, stored, args, payload);
    else for (const listener of stored) this.callListener(event, listener, args, payload);
    return true;
  }

  private callListener(
    event: EventEmitter.EventNames<Events>,
    listener: StoredListener,
    args: readonly unknown[] | undefined,
    payload: unknown,
  ): void {
    if (listener.once) this.removeListener(event, listener.fn as never, undefined, true);
    try {
      if (args === undefined) listener.fn.call(listener.context, payload);
      else listener.fn.apply(listener.context, args as unknown[]);
    } catch (error) {
      this.onListenerError(String(event), error);
    }
  }

  /** Called when a listener throws. Override to report it. */
  protected onListenerError(_event: string, _error: unknown): void {}
}
