/**
 * ManualClock is public API (`tideway/testing`): the simulated clock and scheduler every test
 * and the simulator drive time with.
 */
import { ManualClock, seededRandom } from 'tideway/testing';
import { describe, expect, it } from 'vitest';

describe('ManualClock', () => {
  it('starts at the given time (default 0) and moves only when told', () => {
    expect(new ManualClock().now()).toBe(0);
    const clock = new ManualClock(1_700_000_000_000);
    expect(clock.now()).toBe(1_700_000_000_000);
    clock.setTimeout(() => {}, 10);
    expect(clock.now()).toBe(1_700_000_000_000);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY])('rejects a start of %s', (start) => {
    expect(() => new ManualClock(start)).toThrow(RangeError);
  });

  it('runs timers in time order, and timers due at the same instant in the order they were set', () => {
    const clock = new ManualClock();
    const log: string[] = [];
    clock.setTimeout(() => log.push('c@30'), 30);
    clock.setTimeout(() => log.push('a@10'), 10);
    clock.setTimeout(() => log.push('b1@20'), 20);
    clock.setTimeout(() => log.push('b2@20'), 20);
    clock.setTimeout(() => log.push('b3@20'), 20);
    expect(clock.advance(30)).toBe(5);
    expect(log).toEqual(['a@10', 'b1@20', 'b2@20', 'b3@20', 'c@30']);
  });

  it('keeps order for many timers (seeded random delays, many ties)', () => {
    const clock = new ManualClock();
    const random = seededRandom(7);
    const set: { at: number; index: number }[] = [];
    const ran: number[] = [];
    for (let index = 0; index < 500; index++) {
      const at = Math.floor(random.next() * 50);
      set.push({ at, index });
      clock.setTimeout(() => ran.push(index), at);
    }
    clock.advance(50);
    const expected = [...set].sort((x, y) => x.at - y.at || x.index - y.index).map((t) => t.index);
    expect(ran).toEqual(expected);
  });

  it('shows each timer the time it was due', () => {
    const clock = new ManualClock(100);
    const seen: number[] = [];
    for (const delay of [5, 1, 3]) clock.setTimeout(() => seen.push(clock.now()), delay);
    clock.advance(10);
    expect(seen).toEqual([101, 103, 105]);
    expect(clock.now()).toBe(110);
  });

  it('runs timers that callbacks set during the same advance, when due within it', () => {
    const clock = new ManualClock();
    const log: string[] = [];
    clock.setTimeout(() => {
      log.push(`first@${clock.now()}`);
      clock.setTimeout(() => log.push(`same-instant@${clock.now()}`), 0);
      clock.setTimeout(() => log.push(`later@${clock.now()}`), 5);
      clock.setTimeout(() => log.push('too-late'), 50);
    }, 10);
    clock.setTimeout(() => log.push(`other@${clock.now()}`), 10);
    expect(clock.advance(20)).toBe(4);
    expect(log).toEqual(['first@10', 'other@10', 'same-instant@10', 'later@15']);
    expect(clock.pending).toBe(1);
    expect(clock.nextTimerAt()).toBe(60);
  });

  it('counts negative and NaN delays as 0', () => {
    const clock = new ManualClock(50);
    const seen: number[] = [];
    clock.setTimeout(() => seen.push(clock.now()), -10);
    clock.setTimeout(() => seen.push(clock.now()), Number.NaN);
    clock.advance(0);
    expect(seen).toEqual([50, 50]);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])(
    'advance(%s) throws RangeError and moves nothing',
    async (ms) => {
      const clock = new ManualClock(5);
      expect(() => clock.advance(ms)).toThrow(RangeError);
      await expect(clock.advanceAsync(ms)).rejects.toThrow(RangeError);
      expect(clock.now()).toBe(5);
    },
  );

  describe('clearTimeout', () => {
    it('cancels a timer', () => {
      const clock = new ManualClock();
      const log: string[] = [];
      const handle = clock.setTimeout(() => log.push('cancelled'), 10);
      clock.setTimeout(() => log.push('kept'), 10);
      expect(clock.pending).toBe(2);
      clock.clearTimeout(handle);
      expect(clock.pending).toBe(1);
      clock.clearTimeout(handle); // twice is harmless
      expect(clock.pending).toBe(1);
      expect(clock.advance(10)).toBe(1);
      expect(log).toEqual(['kept']);
      expect(clock.pending).toBe(0);
    });

    it('a callback can cancel a later timer of the same advance', () => {
      const clock = new ManualClock();
      const log: string[] = [];
      let later: unknown;
      clock.setTimeout(() => clock.clearTimeout(later), 10);
      later = clock.setTimeout(() => log.push('should not run'), 20);
      clock.advance(30);
      expect(log).toEqual([]);
      expect(clock.pending).toBe(0);
    });

    it.each([
      { name: 'null', handle: null },
      { name: 'undefined', handle: undefined },
      { name: 'a number', handle: 42 },
      { name: 'a foreign object', handle: {} },
    ])('ignores an unknown handle: $name', ({ handle }) => {
      const clock = new ManualClock();
      clock.setTimeout(() => {}, 10);
      clock.clearTimeout(handle);
      expect(clock.pending).toBe(1);
    });

    it('ignores a handle whose timer already ran', async () => {
      // The Scheduler port says so, and callWithTimeout relies on it: it clears its timer
      // from inside that timer's own callback when a call times out.
      const clock = new ManualClock();
      const ran = clock.setTimeout(() => {}, 10);
      clock.setTimeout(() => {}, 100);
      clock.advance(10);
      expect(clock.pending).toBe(1);
      clock.clearTimeout(ran);
      expect(clock.pending).toBe(1);
      const self: { handle?: unknown } = {};
      self.handle = clock.setTimeout(() => clock.clearTimeout(self.handle), 20);
      await clock.advanceAsync(20);
      expect(clock.pending).toBe(1);
      expect(clock.nextTimerAt()).toBe(100);
    });
  });

  describe('nextTimerAt and pending', () => {
    it('report the earliest live timer and how many wait', () => {
      const clock = new ManualClock();
      expect(clock.nextTimerAt()).toBeUndefined();
      expect(clock.pending).toBe(0);
      const first = clock.setTimeout(() => {}, 10);
      clock.setTimeout(() => {}, 30);
      expect(clock.nextTimerAt()).toBe(10);
      clock.clearTimeout(first);
      expect(clock.nextTimerAt()).toBe(30);
      expect(clock.pending).toBe(1);
    });
  });

  describe('advance vs advanceAsync', () => {
    /** A timer whose callback continues asynchronously and then sets another timer. */
    function chain(clock: ManualClock, log: number[]): void {
      clock.setTimeout(async () => {
        await Promise.resolve();
        await Promise.resolve();
        clock.setTimeout(() => log.push(clock.now()), 5);
      }, 10);
    }

    it('advance does not wait for async work a timer starts', () => {
      const clock = new ManualClock();
      const log: number[] = [];
      chain(clock, log);
      clock.advance(20);
      expect(log).toEqual([]);
      expect(clock.now()).toBe(20);
    });

    it('advanceAsync lets it settle before time moves on, so its timers run on time', async () => {
      const clock = new ManualClock();
      const log: number[] = [];
      chain(clock, log);
      expect(await clock.advanceAsync(20)).toBe(2);
      expect(log).toEqual([15]);
      expect(clock.now()).toBe(20);
    });

    it('advanceAsync settles work started before it was called and ends at the target', async () => {
      const clock = new ManualClock();
      const log: number[] = [];
      void Promise.resolve().then(() => clock.setTimeout(() => log.push(clock.now()), 3));
      await clock.advanceAsync(10);
      expect(log).toEqual([3]);
      expect(clock.now()).toBe(10);
    });

    it('advanceToAsync moves to an absolute time; flush moves none', async () => {
      const clock = new ManualClock(1000);
      const log: number[] = [];
      clock.setTimeout(() => log.push(clock.now()), 250);
      let settled = false;
      void Promise.resolve().then(() => {
        settled = true;
      });
      await clock.flush();
      expect(settled).toBe(true);
      expect(clock.now()).toBe(1000);
      await clock.advanceToAsync(1500);
      expect(log).toEqual([1250]);
      expect(clock.now()).toBe(1500);
    });
  });
});
