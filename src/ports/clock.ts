/**
 * The source of "now". Everything in tideway reads time through this port.
 *
 * @default systemClock
 * @example
 * const clock: Clock = { now: () => 1_700_000_000_000 };
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** An opaque handle returned by {@link Scheduler.setTimeout}. */
export type TimerHandle = unknown;

/**
 * Runs callbacks later. The manager's loop and call timeouts go through this port, so a
 * simulated scheduler (`ManualClock` from `tideway/testing`) runs them without real waiting.
 *
 * @default systemScheduler
 */
export interface Scheduler {
  /** Run `callback` once, `delay` milliseconds from now. */
  setTimeout(callback: () => void, delay: number): TimerHandle;
  /** Cancel a pending callback; a handle that already ran is ignored. */
  clearTimeout(handle: TimerHandle): void;
}

/**
 * The system clock (`Date.now`).
 *
 * @example
 * systemClock.now();
 */
export const systemClock: Clock = { now: () => Date.now() };

/**
 * The system timer functions. Timers are unref'd so a running manager never keeps a process
 * alive on its own.
 *
 * @example
 * const handle = systemScheduler.setTimeout(() => {}, 1000);
 * systemScheduler.clearTimeout(handle);
 */
export const systemScheduler: Scheduler = {
  setTimeout(callback, delay) {
    const handle = setTimeout(callback, delay);
    (handle as { unref?: () => void }).unref?.();
    return handle;
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};
