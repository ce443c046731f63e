import type { Clock, Scheduler, TimerHandle } from '../ports/clock.js';

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly callback: () => void;
  cancelled: boolean;
}

function before(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/**
 * A simulated clock and scheduler. Time moves only when told to; `advance` runs due timers in
 * time order (timers due at the same instant in the order they were set), including timers that
 * callbacks set along the way. Inject it as both `clock` and `scheduler`.
 *
 * @example
 * const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
 * const manager = new AutoScalingManager({ metrics, controller, clock, scheduler: clock });
 * manager.start();
 * await clock.advanceAsync(60_000); // one minute of ticks, each settled before the next
 */
export class ManualClock implements Clock, Scheduler {
  private current: number;
  private heap: Timer[] = [];
  private seq = 0;
  private live = 0;

  /** @param start the initial time, ms since the epoch @default 0 */
  constructor(start = 0) {
    if (!Number.isFinite(start))
      throw new RangeError(`ManualClock start: expected a finite number, got ${start}`);
    this.current = start;
  }

  /** The simulated time. */
  now(): number {
    return this.current;
  }

  /** Number of timers waiting to run. */
  get pending(): number {
    return this.live;
  }

  /** When the next timer is due, or undefined when none is pending. */
  nextTimerAt(): number | undefined {
    this.dropCancelled();
    return this.heap[0]?.at;
  }

  /** Run `callback` once, `delay` ms from now (negative or NaN delays count as 0). */
  setTimeout(callback: () => void, delay: number): TimerHandle {
    const timer: Timer = {
      at: this.current + Math.max(0, delay || 0),
      seq: this.seq++,
      callback,
      cancelled: false,
    };
    this.push(timer);
    this.live++;
    return timer;
  }

  /** Cancel a timer; unknown or already-run handles are ignored. */
  clearTimeout(handle: TimerHandle): void {
    const timer = handle as Timer | null | undefined;
    if (timer && typeof timer === 'object' && 'cancelled' in timer && !timer.cancelled) {
      timer.cancelled = true;
      this.live--;
    }
  }

  /**
   * Move time forward by `ms`, running every timer that comes due, synchronously. Async work a
   * timer starts is not awaited; use {@link advanceAsync} for that.
   *
   * @returns how many timers ran
   */
  advance(ms: number): number {
    this.checkStep(ms);
    const target = this.current + ms;
    let ran = 0;
    for (;;) {
      const timer = this.takeDue(target);
      if (timer === undefined) break;
      ran++;
      timer.callback();
    }
    this.current = target;
    return ran;
  }

  /**
   * Move time forward by `ms`, running due timers in order and letting the async work each one
   * starts settle (promise jobs and immediates) before the next runs — as Node drains promise
   * jobs between timer callbacks.
   *
   * @returns how many timers ran
   */
  async advanceAsync(ms: number): Promise<number> {
    this.checkStep(ms);
    const target = this.current + ms;
    let ran = 0;
    await settle();
    for (;;) {
      const timer = this.takeDue(target);
      if (timer === undefined) break;
      timer.callback();
      ran++;
      await settle();
    }
    this.current = target;
    await settle();
    return ran;
  }

  /** Let pending promise jobs settle without moving time. */
  flush(): Promise<void> {
    return settle();
  }

  /** Move time to an absolute instant (see {@link advanceAsync}). */
  advanceToAsync(time: number): Promise<number> {
    return this.advanceAsync(time - this.current);
  }

  private checkStep(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0)
      throw new RangeError(`ManualClock.advance: expected a finite number ≥ 0, got ${ms}`);
  }

  private takeDue(target: number): Timer | undefined {
    this.dropCancelled();
    const top = this.heap[0];
    if (top === undefined || top.at > target) return undefined;
    this.pop();
    this.live--;
    // A timer that ran can no longer be cleared; mark it so clearTimeout ignores it.
    top.cancelled = true;
    if (top.at > this.current) this.current = top.at;
    return top;
  }

  private dropCancelled(): void {
    while (this.heap.length > 0 && (this.heap[0] as Timer).cancelled) this.pop();
  }

  private push(timer: Timer): void {
    const heap = this.heap;
    heap.push(timer);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(timer, heap[parent] as Timer)) break;
      heap[i] = heap[parent] as Timer;
      i = parent;
    }
    heap[i] = timer;
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop() as Timer;
    if (heap.length === 0) return;
    let i = 0;
    const n = heap.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && before(heap[right] as Timer, heap[left] as Timer) ? right : left;
      if (!before(heap[child] as Timer, last)) break;
      heap[i] = heap[child] as Timer;
      i = child;
    }
    heap[i] = last;
  }
}

function settle(): Promise<void> {
  // An immediate runs after every promise job queued before it (and those they queue), so one
  // hop settles any chain of already-resolved awaits.
  return new Promise((resolve) => {
    if (typeof setImmediate === 'function') setImmediate(resolve);
    else setTimeout(resolve, 0);
  });
}
