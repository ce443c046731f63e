import type { RecommendationLog, RecommendationRecord } from './types.js';

/**
 * The log with `capacity` recorded at `now`: written over the pair that starts at `slot` (an
 * even index, a record the windows no longer count), or appended when `slot` is −1. A new array,
 * sized exactly, as it is kept until the next tick.
 *
 * @internal Shared by `stabilize` and `stabilizeRecommendation`.
 */
export function recordRecommendation(
  log: RecommendationLog,
  slot: number,
  now: number,
  capacity: number,
): number[] {
  if (slot >= 0) {
    const next = log.slice();
    next[slot] = now;
    next[slot + 1] = capacity;
    return next;
  }
  // concat copies into an array of exactly the new length, keeping the unboxed double elements.
  return log.concat(now, capacity);
}

/**
 * The records of a recommendation log, in slot order.
 *
 * @example
 * recommendationRecords([0, 4, 15_000, 6]); // [{ at: 0, capacity: 4 }, { at: 15_000, capacity: 6 }]
 */
export function recommendationRecords(log: RecommendationLog): RecommendationRecord[] {
  const records: RecommendationRecord[] = [];
  for (let i = 0; i + 1 < log.length; i += 2) {
    records.push({ at: log[i] as number, capacity: log[i + 1] as number });
  }
  return records;
}

/**
 * A recommendation log holding `records`, in their order.
 *
 * @example
 * recommendationLog([{ at: 0, capacity: 4 }]); // [0, 4]
 */
export function recommendationLog(records: readonly RecommendationRecord[]): number[] {
  const log: number[] = [];
  for (const record of records) log.push(record.at, record.capacity);
  return log;
}
