/**
 * callWithTimeout: every port call goes through it, with the injected scheduler.
 */
import { ManualClock } from 'tideway/testing';
import { describe, expect, it } from 'vitest';
import { TidewayError, TimeoutError } from '../../src/errors.js';
import { callWithTimeout } from '../../src/runtime/call.js';

function options(clock: ManualClock, parent = new AbortController().signal) {
  return { timeout: 1000, scheduler: clock, parent, operation: 'metrics.read(web)' };
}

/** A call that settles only when told to, and remembers its signal. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  let signal: AbortSignal | undefined;
  const run = (s: AbortSignal) => {
    signal = s;
    return new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
  };
  return {
    run,
    resolve: (v: T) => resolve(v),
    reject: (e: unknown) => reject(e),
    signal: () => signal as AbortSignal,
  };
}

type Settled<T> =
  | { status: 'pending' }
  | { status: 'resolved'; value: T }
  | { status: 'rejected'; error: unknown };

/** Where a promise stands after pending jobs ran. */
async function state<T>(promise: Promise<T>, clock: ManualClock): Promise<Settled<T>> {
  let out = { status: 'pending' } as Settled<T>;
  promise.then(
    (value) => {
      out = { status: 'resolved', value };
    },
    (error: unknown) => {
      out = { status: 'rejected', error };
    },
  );
  await clock.flush();
  return out;
}

describe('callWithTimeout', () => {
  it('resolves with the value and clears its timer', async () => {
    const clock = new ManualClock();
    const call = deferred<number>();
    const promise = callWithTimeout(call.run, options(clock));
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

  it('times out: rejects with TimeoutError exactly at the timeout and aborts the call', async () => {
    const clock = new ManualClock();
    const call = deferred<number>();
    const promise = callWithTimeout(call.run, options(clock));
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

  it('a parent abort rejects at once with ABORTED and aborts the call', async () => {
    const clock = new ManualClock();
    const parent = new AbortController();
    const call = deferred<number>();
    const promise = callWithTimeout(call.run, options(clock, parent.signal));
    parent.abort();
    const settled = await state(promise, clock);
    expect(settled.status).toBe('rejected');
    const error = settled.status === 'rejected' ? settled.error : undefined;
    expect(error).toBeInstanceOf(TidewayError);
    expect(error).toMatchObject({ code: 'ABORTED' });
    expect(call.signal().aborted).toBe(true);
    expect(clock.pending).toBe(0);
  });

  it('does not start the call when the parent is already aborted', async () => {
    const clock = new ManualClock();
    const parent = new AbortController();
    parent.abort();
    let started = false;
    const promise = callWithTimeout(
      () => {
        started = true;
        return Promise.resolve(1);
      },
      options(clock, parent.signal),
    );
    await expect(promise).rejects.toMatchObject({ code: 'ABORTED' });
    expect(started).toBe(false);
    expect(clock.pending).toBe(0);
  });

  it('stops listening to the parent once settled', async () => {
    const clock = new ManualClock();
    const parent = new AbortController();
    const call = deferred<number>();
    const promise = callWithTimeout(call.run, options(clock, parent.signal));
    call.resolve(3);
    await expect(promise).resolves.toBe(3);
    parent.abort();
    expect(call.signal().aborted).toBe(false);
  });
});
