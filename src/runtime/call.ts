import { TidewayError, TimeoutError } from '../errors.js';
import type { Scheduler } from '../ports/clock.js';

/**
 * Run a port call with a timeout through the injected scheduler. The call's own signal aborts
 * when the timeout fires or `parent` aborts, and the returned promise settles at once then, so a
 * hung provider can never hold a tick forever.
 */
export function callWithTimeout<T>(
  run: (signal: AbortSignal) => Promise<T>,
  options: { timeout: number; scheduler: Scheduler; parent: AbortSignal; operation: string },
): Promise<T> {
  const { timeout, scheduler, parent, operation } = options;
  if (parent.aborted) return Promise.reject(abortError(operation));
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (): boolean => {
      if (settled) return false;
      settled = true;
      scheduler.clearTimeout(timer);
      parent.removeEventListener('abort', onParentAbort);
      return true;
    };
    const onParentAbort = (): void => {
      if (!finish()) return;
      const error = abortError(operation);
      controller.abort(error);
      reject(error);
    };
    const timer = scheduler.setTimeout(() => {
      if (!finish()) return;
      const error = new TimeoutError(operation, timeout);
      controller.abort(error);
      reject(error);
    }, timeout);
    parent.addEventListener('abort', onParentAbort);
    let promise: Promise<T>;
    try {
      promise = run(controller.signal);
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
  });
}

function abortError(operation: string): TidewayError {
  return new TidewayError('ABORTED', `${operation} was aborted because the manager stopped.`);
}
