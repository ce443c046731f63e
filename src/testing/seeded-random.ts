import type { Random } from '../ports/random.js';

/**
 * A fast, seeded {@link Random} (mulberry32): the same seed gives the same sequence on every
 * platform.
 *
 * @param seed any 32-bit integer
 * @example
 * const random = seededRandom(42);
 * random.next(); // always the same first number for seed 42
 */
export function seededRandom(seed: number): Random {
  if (!Number.isInteger(seed)) throw new RangeError(`seededRandom: expected an integer seed, got ${seed}`);
  let state = seed >>> 0;
  return {
    next(): number {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}
