import { TidewayError, TimeoutError } from '../errors.js';
import type { Scheduler, TimerHandle } from '../ports/clock.js';
import type { CallOptions } from '../ports/metrics.js';

/**
 * What ends every port call in flight when the manager stops. A set of callbacks rather than
 * one shared AbortSignal: adding and removing a listener on a signal costs time in proportion
 * to how many there are, which made thousands of concurrent calls quadratic.
 */
export class StopSwitch {
  private readonly callbacks = new Set<() => void>();
  /** True from `stop()` until `reset()`. */
  stopped = false;

  /** Register a callback; returns nothing, remove it with {@link delete}. */
  add(callback: () => void): void {
    this.callbacks.add(callback);
  }

  /** Remove a callback. */
  delete(callback: () => void): void {
    this.callbacks.delete(callback);
  }

  /** Run every callback once and refuse new calls until {@link reset}. */
  stop(): void {
    this.stopped = true;
    const pending = [...this.callbacks];
    this.callbacks.clear();
    for (const callback of pending) callback();
  }

  /** Accept calls again. */
  reset(): void {
    this.stopped = false;
  }
}

/**
 * Run a port call with a timeout through the injected scheduler. The call's `signal` aborts when
 * the timeout fires or the manager stops, and the returned promise settles at once then, so a
 * hung port can never hold a tick forever.
 *
 * Two costs are only paid when needed: the AbortController is created when the port first
 * reads `signal`, and the timer is armed only if the port has not answered by the time
 * already-settled promises have run — no time passes inside a microtask, so the deadline is the
 * same, and an in-process port that answers at once never costs a timer.
 */
export function callWithTimeout<T>(
  run: (options: CallOptions) => Promise<T>,
  options: { timeout: number; scheduler: Scheduler; stop: StopSwitch; operation: string; groupId: string },
): Promise<T> {
  const { timeout, scheduler, stop } = options;
  const describe = (): string => `${options.operation}(${options.groupId})`;
  if (stop.stopped) return Promise.reject(abortError(describe()));
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let timer: TimerHandle | undefined;
    let controller: AbortController | undefined;
    let abortReason: unknown;
    const finish = (): boolean => {
      if (settled) return false;
      settled = true;
      stop.delete(onStop);
      if (timer !== undefined) scheduler.clearTimeout(timer);
      return true;
    };
    const fail = (error: Error): void => {
      if (!finish()) return;
      abortReason = error;
      controller?.abort(error);
      reject(error);
    };
    const onStop = (): void => fail(abortError(describe()));
    stop.add(onStop);
    const callOptions: CallOptions = {
      get signal(): AbortSignal {
        if (controller === undefined) {
          controller = new AbortController();
          if (abortReason !== undefined) controller.abort(abortReason);
        }
        return controller.signal;
      },
    };
    let promise: Promise<T>;
    try {
      promise = run(callOptions);
    } catch (error) {
      promise = Promise.reject(error);
    }
    Promise.resolve(promise).then(
      (value) => {
        if (finish()) resolve(value);
      },
      (error: unknown) => {
        if (finish()) reject(error);
      },
    );
    queueMicrotask(() => {
      if (!settled) timer = scheduler.setTimeout(() => fail(new TimeoutError(describe(), timeout)), timeout);
    });
  });
}

function abortError(operation: string): TidewayError {
  return new TidewayError('ABORTED', `${operation} was aborted because the manager stopped.`);
}
