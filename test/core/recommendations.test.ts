import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  recommendationLog,
  recommendationRecords,
  recordRecommendation,
} from '../../src/core/recommendations.js';

describe('recommendation log', () => {
  it('lays records out as [at, capacity] pairs in order', () => {
    expect(
      recommendationLog([
        { at: 0, capacity: 4 },
        { at: 15_000, capacity: 6 },
      ]),
    ).toEqual([0, 4, 15_000, 6]);
    expect(recommendationLog([])).toEqual([]);
  });

  it('reads pairs back as records and ignores a dangling odd element', () => {
    expect(recommendationRecords([0, 4, 15_000, 6])).toEqual([
      { at: 0, capacity: 4 },
      { at: 15_000, capacity: 6 },
    ]);
    expect(recommendationRecords([0, 4, 9])).toEqual([{ at: 0, capacity: 4 }]);
  });

  it('round-trips any list of records', () => {
    const record = fc.record({ at: fc.integer({ min: 0, max: 2 ** 40 }), capacity: fc.nat(10_000) });
    fc.assert(
      fc.property(fc.array(record, { maxLength: 40 }), (records) => {
        expect(recommendationRecords(recommendationLog(records))).toEqual(records);
      }),
    );
  });

  it('appends at slot −1 and overwrites the pair at an even slot, never touching its input', () => {
    const log = Object.freeze([0, 4, 15_000, 6]);
    expect(recordRecommendation(log, -1, 30_000, 5)).toEqual([0, 4, 15_000, 6, 30_000, 5]);
    expect(recordRecommendation(log, 0, 30_000, 5)).toEqual([30_000, 5, 15_000, 6]);
    expect(recordRecommendation(log, 2, 30_000, 5)).toEqual([0, 4, 30_000, 5]);
    expect(log).toEqual([0, 4, 15_000, 6]);
  });
});
