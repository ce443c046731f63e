import { TidewayError, TimeoutError } from '../errors.js';
import type { Scheduler, TimerHandle } from '../ports/clock.js';
import type { CallOptions } from '../ports/metrics.js';

/** Something the stop switch can end: a node of its list of calls in flight. */
interface Stoppable {
  stop(): void;
  /** @internal links of the stop switch's list; null when not in one */
  prevCall: Stoppable | null;
  /** @internal */
  nextCall: Stoppable | null;
}

/**
 * What ends every port call in flight when the manager stops. A list of calls rather than one
 * shared AbortSignal: adding and removing a listener on a signal costs time in proportion to how
 * many there are, which made thousands of concurrent calls quadratic. The list is linked through
 * the calls themselves, so adding and removing one allocates and hashes nothing.
 */
export class StopSwitch {
  private head: Stoppable | null = null;
  /** True from `stop()` until `reset()`. */
  stopped = false;

  /** Register a call to end on stop. */
  add(call: Stoppable): void {
    const head = this.head;
    call.prevCall = null;
    call.nextCall = head;
    if (head !== null) head.prevCall = call;
    this.head = call;
  }

  /** Forget a call (one not registered, or already forgotten, is ignored). */
  delete(call: Stoppable): void {
    const { prevCall, nextCall } = call;
    if (prevCall === null && this.head !== call) return;
    if (prevCall === null) this.head = nextCall;
    else prevCall.nextCall = nextCall;
    if (nextCall !== null) nextCall.prevCall = prevCall;
    call.prevCall = null;
    call.nextCall = null;
  }

  /** End every registered call once and refuse new calls until {@link reset}. */
  stop(): void {
    this.stopped = true;
    const pending: Stoppable[] = [];
    for (let call = this.head; call !== null; call = call.nextCall) pending.push(call);
    for (const call of pending) {
      call.prevCall = null;
      call.nextCall = null;
    }
    this.head = null;
    // Oldest first, as the calls were made.
    for (let i = pending.length - 1; i >= 0; i--) (pending[i] as Stoppable).stop();
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
  #prev: Stoppable | null = null;
  #next: Stoppable | null = null;
  readonly #settings: CallSettings;
  readonly #resolve: (value: T) => void;
  readonly #reject: (error: unknown) => void;

  constructor(settings: CallSettings, resolve: (value: T) => void, reject: (error: unknown) => void) {
    this.#settings = settings;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  /** @internal the stop switch's links, kept private so the port sees only `signal` */
  get prevCall(): Stoppable | null {
    return this.#prev;
  }

  set prevCall(call: Stoppable | null) {
    this.#prev = call;
  }

  /** @internal */
  get nextCall(): Stoppable | null {
    return this.#next;
  }

  set nextCall(call: Stoppable | null) {
    this.#next = call;
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
  // The executor only hands out the resolving functions: a shared function, not a closure
  // made (with its context) for every call.
  const result = new Promise<T>(capture);
  const call = new PortCall<T>(settings, capturedResolve as (value: T) => void, capturedReject);
  capturedResolve = undefined;
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
  return result;
}

const SETTLED = Promise.resolve();

let capturedResolve: ((value: never) => void) | undefined;
let capturedReject: (error: unknown) => void = () => {};

function capture(resolve: (value: never) => void, reject: (error: unknown) => void): void {
  capturedResolve = resolve;
  capturedReject = reject;
}

function abortError(operation: string): TidewayError {
  return new TidewayError('ABORTED', `${operation} was aborted because the manager stopped.`);
}
