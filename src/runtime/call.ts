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

/** What every port call of a manager shares: where its timers go and what ends it on stop. */
export interface CallEnv {
  readonly scheduler: Scheduler;
  readonly stop: StopSwitch;
}

/**
 * A port call that failed (the port rejected or threw, it timed out, or the manager stopped),
 * delivered by {@link callPort} as a value rather than a rejection: a tick starts several calls
 * before it awaits any, and a rejection nobody awaits yet would be reported as unhandled.
 */
export class CallFailure {
  constructor(readonly error: unknown) {}
}

/** {@link PortCall.outcome} of a call that has not settled yet. */
export const PENDING: unique symbol = Symbol('pending');

/**
 * One port call in flight: the options the port gets (its `signal`, made on first read) and
 * the bookkeeping that settles the call once — with the port's answer, a timeout, or a stop.
 * One object per call holding everything the call needs, methods on the prototype: calls are
 * made thousands of times a second, so none of them allocates a settings object or a closure.
 *
 * Its outcome can be read synchronously once settled, and a promise of it is made only when
 * asked for: a tick that awaits one call usually finds the others it started already settled,
 * and then pays for neither their promises nor their awaits.
 */
export class PortCall<T> implements CallOptions, Stoppable {
  // True private fields: the object is what the port receives, and it must see only `signal`.
  #outcome: T | CallFailure | typeof PENDING = PENDING;
  #timer: TimerHandle | undefined;
  #controller: AbortController | undefined;
  #abortReason: Error | undefined;
  #prev: Stoppable | null = null;
  #next: Stoppable | null = null;
  readonly #env: CallEnv;
  readonly #operation: string;
  readonly #groupId: string;
  readonly #timeout: number;
  #promise: Promise<T | CallFailure> | undefined;
  #resolve: ((value: T | CallFailure) => void) | undefined;

  /** @internal */
  constructor(env: CallEnv, operation: string, groupId: string, timeout: number) {
    this.#env = env;
    this.#operation = operation;
    this.#groupId = groupId;
    this.#timeout = timeout;
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

  /** @internal the answer, or the failure, once settled; {@link PENDING} until then */
  get outcome(): T | CallFailure | typeof PENDING {
    return this.#outcome;
  }

  /** @internal a promise of the outcome: the answer, or a {@link CallFailure} (it never rejects) */
  result(): Promise<T | CallFailure> {
    if (this.#promise === undefined) {
      const outcome = this.#outcome;
      if (outcome === PENDING) {
        // The executor only hands out the resolving functions: a shared function, not a
        // closure made (with its context) for every call.
        this.#promise = new Promise<T | CallFailure>(capture);
        this.#resolve = capturedResolve as (value: T | CallFailure) => void;
        capturedResolve = undefined;
      } else {
        this.#promise = Promise.resolve(outcome);
      }
    }
    return this.#promise;
  }

  #describe(): string {
    return `${this.#operation}(${this.#groupId})`;
  }

  #settle(outcome: T | CallFailure): boolean {
    if (this.#outcome !== PENDING) return false;
    this.#outcome = outcome;
    this.#env.stop.delete(this);
    if (this.#timer !== undefined) this.#env.scheduler.clearTimeout(this.#timer);
    this.#resolve?.(outcome);
    return true;
  }

  /** @internal the port answered */
  answer(value: T): void {
    this.#settle(value);
  }

  /** @internal the port failed */
  failWith(error: unknown): void {
    this.#settle(new CallFailure(error));
  }

  #abort(error: Error): void {
    if (this.#outcome !== PENDING) return;
    this.#abortReason = error;
    this.#settle(new CallFailure(error));
    this.#controller?.abort(error);
  }

  /** @internal the manager stopped */
  stop(): void {
    this.#abort(abortError(this.#describe()));
  }

  /** @internal arm the timeout unless the port already answered */
  arm(): void {
    if (this.#outcome !== PENDING) return;
    const timeout = this.#timeout;
    this.#timer = this.#env.scheduler.setTimeout(
      () => this.#abort(new TimeoutError(this.#describe(), timeout)),
      timeout,
    );
  }
}

/** A port method called as `method.call(port, arg, options)`. */
export type PortMethod<P, A, T> = (this: P, arg: A, options: CallOptions) => Promise<T> | T;

/**
 * Call `method` of `port` as `port.method(arg, options)` with a timeout through the injected
 * scheduler. The call's `signal` aborts when the timeout fires or the manager stops, and the
 * call settles at once then, so a hung port can never hold a tick forever. A failure is a
 * {@link CallFailure} outcome, never a rejection.
 *
 * The port, method and argument are passed apart, not as a closure, so a call allocates no
 * function. Two costs are only paid when needed: the AbortController is created when the port
 * first reads `signal`, and the timer is armed only if the port has not answered by the time
 * already-settled promises have run — no time passes between those jobs, so the deadline is the
 * same, and an in-process port that answers at once never costs a timer.
 */
export function callPort<P, A, T>(
  env: CallEnv,
  operation: string,
  groupId: string,
  timeout: number,
  port: P,
  method: PortMethod<P, A, T>,
  arg: A,
): PortCall<T> {
  const call = new PortCall<T>(env, operation, groupId, timeout);
  if (env.stop.stopped) {
    call.failWith(abortError(`${operation}(${groupId})`));
    return call;
  }
  env.stop.add(call);
  let promise: Promise<T> | T;
  try {
    promise = method.call(port, arg, call);
  } catch (error) {
    promise = Promise.reject(error);
  }
  (promise instanceof Promise ? promise : Promise.resolve(promise)).then(
    (value) => call.answer(value),
    (error: unknown) => call.failWith(error),
  );
  // A reaction on a settled promise runs after the port's own (queued just above) — and costs
  // far less than queueMicrotask, which wraps every callback in an AsyncResource. The call
  // waits in a queue rather than in a closure: the jobs run in the order they were queued, so
  // each takes the call queued with it.
  queueArming(call as PortCall<unknown>);
  return call;
}

const SETTLED = Promise.resolve();

/**
 * Calls waiting for their arming job, `armHead` to `armTail`. The indices go back to 0 whenever
 * the queue empties (after every burst of calls), so the array is reused, never resized.
 */
const toArm: (PortCall<unknown> | undefined)[] = [];
let armHead = 0;
let armTail = 0;

function queueArming(call: PortCall<unknown>): void {
  toArm[armTail++] = call;
  SETTLED.then(armNext);
}

function armNext(): void {
  const call = toArm[armHead] as PortCall<unknown>;
  toArm[armHead++] = undefined;
  if (armHead === armTail) {
    armHead = 0;
    armTail = 0;
  }
  call.arm();
}

let capturedResolve: ((value: never) => void) | undefined;

function capture(resolve: (value: never) => void): void {
  capturedResolve = resolve;
}

function abortError(operation: string): TidewayError {
  return new TidewayError('ABORTED', `${operation} was aborted because the manager stopped.`);
}
