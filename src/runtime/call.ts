import { TidewayError, TimeoutError } from '../errors.js';
import type { Scheduler, TimerHandle } from '../ports/clock.js';
import type { CallOptions } from '../ports/metrics.js';

/** Something the stop switch can end. */
interface Stoppable {
  stop(): void;
}

/**
 * What ends every port call in flight when the manager stops. A set of calls rather than one
 * shared AbortSignal: adding and removing a listener on a signal costs time in proportion to how
 * many there are, which made thousands of concurrent calls quadratic.
 */
export class StopSwitch {
  private readonly calls = new Set<Stoppable>();
  /** True from `stop()` until `reset()`. */
  stopped = false;

  /** Register a call to end on stop. */
  add(call: Stoppable): void {
    this.calls.add(call);
  }

  /** Forget a call. */
  delete(call: Stoppable): void {
    this.calls.delete(call);
  }

  /** End every registered call once and refuse new calls until {@link reset}. */
  stop(): void {
    this.stopped = true;
    const pending = [...this.calls];
    this.calls.clear();
    for (const call of pending) call.stop();
  }

  /** Accept calls again. */
  reset(): void {
    this.stopped = false;
  }
}

interface CallSettings {
  readonly timeout: number;
  readonly scheduler: Scheduler;
  readonly stop: StopSwitch;
  readonly operation: string;
  readonly groupId: string;
}

/**
 * One port call in flight: the options the port gets (its `signal`, made on first read) and
 * the bookkeeping that settles the call once — with the port's answer, a timeout, or a stop.
 * One object per call, methods on the prototype: calls are made thousands of times a second.
 */
class PortCall<T> implements CallOptions, Stoppable {
  // True private fields: the object is what the port receives, and it must see only `signal`.
  #settled = false;
  #timer: TimerHandle | undefined;
  #controller: AbortController | undefined;
  #abortReason: Error | undefined;
  readonly #settings: CallSettings;
  readonly #resolve: (value: T) => void;
  readonly #reject: (error: unknown) => void;

  constructor(settings: CallSettings, resolve: (value: T) => void, reject: (error: unknown) => void) {
    this.#settings = settings;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#abortReason !== undefined) this.#controller.abort(this.#abortReason);
    }
    return this.#controller.signal;
  }

  #describe(): string {
    return `${this.#settings.operation}(${this.#settings.groupId})`;
  }

  #finish(): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    this.#settings.stop.delete(this);
    if (this.#timer !== undefined) this.#settings.scheduler.clearTimeout(this.#timer);
    return true;
  }

  /** @internal the port answered */
  answer(value: T): void {
    if (this.#finish()) this.#resolve(value);
  }

  /** @internal the port failed */
  failWith(error: unknown): void {
    if (this.#finish()) this.#reject(error);
  }

  #abort(error: Error): void {
    if (!this.#finish()) return;
    this.#abortReason = error;
    this.#controller?.abort(error);
    this.#reject(error);
  }

  /** @internal the manager stopped */
  stop(): void {
    this.#abort(abortError(this.#describe()));
  }

  /** @internal arm the timeout unless the port already answered */
  arm(): void {
    if (this.#settled) return;
    const { timeout, scheduler } = this.#settings;
    this.#timer = scheduler.setTimeout(
      () => this.#abort(new TimeoutError(this.#describe(), timeout)),
      timeout,
    );
  }
}

/**
 * Run a port call with a timeout through the injected scheduler. The call's `signal` aborts when
 * the timeout fires or the manager stops, and the returned promise settles at once then, so a
 * hung port can never hold a tick forever.
 *
 * Two costs are only paid when needed: the AbortController is created when the port first
 * reads `signal`, and the timer is armed only if the port has not answered by the time
 * already-settled promises have run — no time passes between those jobs, so the deadline is the
 * same, and an in-process port that answers at once never costs a timer.
 */
export function callWithTimeout<T>(
  run: (options: CallOptions) => Promise<T>,
  settings: CallSettings,
): Promise<T> {
  if (settings.stop.stopped) {
    return Promise.reject(abortError(`${settings.operation}(${settings.groupId})`));
  }
  return new Promise<T>((resolve, reject) => {
    const call = new PortCall<T>(settings, resolve, reject);
    settings.stop.add(call);
    let promise: Promise<T>;
    try {
      promise = run(call);
    } catch (error) {
      promise = Promise.reject(error);
    }
    (promise instanceof Promise ? promise : Promise.resolve(promise)).then(
      (value) => call.answer(value),
      (error: unknown) => call.failWith(error),
    );
    // A reaction on a settled promise runs after the port's own (queued just above) — and costs
    // far less than queueMicrotask, which wraps every callback in an AsyncResource.
    SETTLED.then(() => call.arm());
  });
}

const SETTLED = Promise.resolve();

function abortError(operation: string): TidewayError {
  return new TidewayError('ABORTED', `${operation} was aborted because the manager stopped.`);
}
