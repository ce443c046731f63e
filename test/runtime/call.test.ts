/**
 * callPort: every port call goes through it, with the injected scheduler. `callWithTimeout`
 * below adapts it to a promise that rejects on failure, which these tests read most easily.
 */
import { ManualClock } from 'tideway/testing';
import { describe, expect, it } from 'vitest';
import { TidewayError, TimeoutError } from '../../src/errors.js';
import type { CallOptions } from '../../src/ports/metrics.js';
import { type CallEnv, CallFailure, callPort, StopSwitch } from '../../src/runtime/call.js';

function options(clock: ManualClock, stop = new StopSwitch()) {
  return { timeout: 1000, scheduler: clock, stop, operation: 'metrics.read', groupId: 'web' };
}

type Run<T> = (options: CallOptions) => Promise<T>;

function invoke<T>(this: Run<T>, _arg: undefined, o: CallOptions): Promise<T> {
  return this(o);
}

/** `run` through callPort, as a promise that rejects with the call's error when it fails. */
async function callWithTimeout<T>(
  run: Run<T>,
  settings: CallEnv & { timeout: number; operation: string; groupId: string },
): Promise<T> {
  const call = callPort(
    settings,
    settings.operation,
    settings.groupId,
    settings.timeout,
    run,
    invoke<T>,
    undefined,
  );
  const outcome = await call.result();
  if (outcome instanceof CallFailure) throw outcome.error;
  return outcome;
}

/** A call that settles only when told to, and keeps the options it was given. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  let given: CallOptions | undefined;
  const run = (o: CallOptions) => {
    given = o;
    return new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
  };
  return {
    run,
    resolve: (v: T) => resolve(v),
    reject: (e: unknown) => reject(e),
    signal: () => (given as CallOptions).signal,
  };
}

type Settled<T> =
  | { status: 'pending' }
  | { status: 'resolved'; value: T }
  | { status: 'rejected'; error: unknown };

const watched = new WeakMap<Promise<unknown>, () => Settled<unknown>>();

/** Start watching a promise at once, so a rejection is never left unhandled. */
function watch<T>(promise: Promise<T>): Promise<T> {
  let out = { status: 'pending' } as Settled<T>;
  promise.then(
    (value) => {
      out = { status: 'resolved', value };
    },
    (error: unknown) => {
      out = { status: 'rejected', error };
    },
  );
  watched.set(promise, () => out);
  return promise;
}

/** Where a watched promise stands after pending jobs ran. */
async function state<T>(promise: Promise<T>, clock: ManualClock): Promise<Settled<T>> {
  if (!watched.has(promise)) watch(promise);
  const read = watched.get(promise);
  await clock.flush();
  return (read as () => Settled<T>)();
}

describe('callWithTimeout', () => {
  it('an answer already settled never arms a timer', async () => {
    const clock = new ManualClock();
    const promise = callWithTimeout(() => Promise.resolve(7), options(clock));
    await expect(promise).resolves.toBe(7);
    expect(clock.pending).toBe(0);
  });

  it('a pending call arms its timer once settled promises ran, and clears it on answer', async () => {
    const clock = new ManualClock();
    const call = deferred<number>();
    const promise = callWithTimeout(call.run, options(clock));
    expect(clock.pending).toBe(0); // armed in a microtask, not synchronously
    await clock.flush();
    expect(clock.pending).toBe(1);
    call.resolve(7);
    await expect(promise).resolves.toBe(7);
    expect(clock.pending).toBe(0);
    expect(call.signal().aborted).toBe(false);
  });

  it('passes a rejection through unchanged', async () => {
    const clock = new ManualClock();
    const failure = new Error('backend down');
    await expect(callWithTimeout(() => Promise.reject(failure), options(clock))).rejects.toBe(failure);
    expect(clock.pending).toBe(0);
  });

  it('turns a synchronous throw into a rejection', async () => {
    const clock = new ManualClock();
    const failure = new Error('thrown before returning a promise');
    const promise = callWithTimeout(() => {
      throw failure;
    }, options(clock));
    await expect(promise).rejects.toBe(failure);
    expect(clock.pending).toBe(0);
  });

  it('times out: rejects with TimeoutError exactly at the timeout (counted from the call) and aborts it', async () => {
    const clock = new ManualClock();
    const call = deferred<number>();
    const promise = watch(callWithTimeout(call.run, options(clock)));
    await clock.advanceAsync(999);
    expect((await state(promise, clock)).status).toBe('pending');
    await clock.advanceAsync(1);
    const settled = await state(promise, clock);
    expect(settled.status).toBe('rejected');
    const error = settled.status === 'rejected' ? settled.error : undefined;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: 'TIMEOUT', timeout: 1000 });
    expect((error as Error).message).toContain('metrics.read(web)');
    expect(call.signal().aborted).toBe(true);
    expect(call.signal().reason).toBe(error);
    // a late answer is ignored
    call.resolve(7);
    expect(await state(promise, clock)).toEqual(settled);
  });

  it('a signal first read after the timeout is already aborted with the timeout as reason', async () => {
    const clock = new ManualClock();
    let given: CallOptions | undefined;
    const promise = watch(
      callWithTimeout((o) => {
        given = o;
        return new Promise<number>(() => {});
      }, options(clock)),
    );
    await clock.advanceAsync(1000);
    const settled = await state(promise, clock);
    expect(settled.status).toBe('rejected');
    const signal = (given as CallOptions).signal;
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe(settled.status === 'rejected' ? settled.error : undefined);
  });

  it('stop() rejects every call in flight at once with ABORTED and aborts them', async () => {
    const clock = new ManualClock();
    const stop = new StopSwitch();
    const calls = [deferred<number>(), deferred<number>()];
    const promises = calls.map((c) => watch(callWithTimeout(c.run, options(clock, stop))));
    await clock.flush();
    stop.stop();
    for (const [i, promise] of promises.entries()) {
      const settled = await state(promise, clock);
      expect(settled.status).toBe('rejected');
      const error = settled.status === 'rejected' ? settled.error : undefined;
      expect(error).toBeInstanceOf(TidewayError);
      expect(error).toMatchObject({ code: 'ABORTED' });
      expect(calls[i]?.signal().aborted).toBe(true);
    }
    expect(clock.pending).toBe(0);
  });

  it('does not start a call while stopped, and does again after reset()', async () => {
    const clock = new ManualClock();
    const stop = new StopSwitch();
    stop.stop();
    let started = 0;
    const run = () => {
      started++;
      return Promise.resolve(1);
    };
    await expect(callWithTimeout(run, options(clock, stop))).rejects.toMatchObject({ code: 'ABORTED' });
    expect(started).toBe(0);
    stop.reset();
    await expect(callWithTimeout(run, options(clock, stop))).resolves.toBe(1);
    expect(started).toBe(1);
  });

  it('a settled call no longer reacts to stop()', async () => {
    const clock = new ManualClock();
    const stop = new StopSwitch();
    const call = deferred<number>();
    const promise = callWithTimeout(call.run, options(clock, stop));
    call.resolve(3);
    await expect(promise).resolves.toBe(3);
    stop.stop();
    expect(call.signal().aborted).toBe(false);
  });
});
