import { describe, expect, it } from 'vitest';
import type { JsonValue, Observation } from '../../src/core/types.js';
import {
  applyApplicationCooldown,
  countWarming,
  happened,
  lastActivityAt,
  readActivity,
  readWarmup,
  recordActivity,
} from '../../src/rules/activity.js';

const obs = (over: Partial<Observation> = {}): Observation => ({
  now: 600_000,
  capacity: 6,
  readyCapacity: 6,
  metrics: {},
  ...over,
});

describe('lastActivityAt', () => {
  it.each([
    { name: 'unknown when the observation does not say', over: {}, expected: undefined },
    {
      name: 'null when capacity never moved',
      over: { lastScaleOutAt: null, lastScaleInAt: null },
      expected: null,
    },
    { name: 'the only one known', over: { lastScaleOutAt: 10 }, expected: 10 },
    { name: 'the later of the two', over: { lastScaleOutAt: 10, lastScaleInAt: 50 }, expected: 50 },
    {
      name: 'a scale-in and a null scale-out',
      over: { lastScaleOutAt: null, lastScaleInAt: 5 },
      expected: 5,
    },
  ] as { name: string; over: Partial<Observation>; expected: number | null | undefined }[])(
    '$name',
    ({ over, expected }) => {
      expect(lastActivityAt(obs(over))).toBe(expected);
    },
  );
});

describe('happened', () => {
  it.each([
    { name: 'trusts memory when the observation does not say', over: {}, expected: true },
    { name: 'no scale-out ever: it did not happen', over: { lastScaleOutAt: null }, expected: false },
    { name: 'a scale-out at that tick', over: { lastScaleOutAt: 100 }, expected: true },
    { name: 'only an older scale-out', over: { lastScaleOutAt: 99 }, expected: false },
  ] as { name: string; over: Partial<Observation>; expected: boolean }[])('$name', ({ over, expected }) => {
    expect(happened(obs(over), 'out', 100)).toBe(expected);
  });
});

describe('reading memory', () => {
  it.each([
    { name: 'nothing', memory: undefined, activity: {}, warmup: undefined },
    { name: 'not an object', memory: 3, activity: {}, warmup: undefined },
    {
      name: 'malformed parts are dropped',
      memory: { activity: { out: { at: 'x', base: 1 }, in: { at: 5 } }, warmup: { capacity: 2 } },
      activity: { in: { at: 5 } },
      warmup: undefined,
    },
    {
      name: 'well-formed parts are kept, bad launches dropped',
      memory: {
        activity: { out: { at: 1, base: 4 } },
        warmup: { capacity: 2, seenAt: 3, launches: [[1, 2], ['x', 1], [4]] },
      },
      activity: { out: { at: 1, base: 4 } },
      warmup: { capacity: 2, seenAt: 3, launches: [[1, 2]] },
    },
  ] as { name: string; memory: JsonValue | undefined; activity: object; warmup: object | undefined }[])(
    '$name',
    ({ memory, activity, warmup }) => {
      expect(readActivity(memory)).toEqual(activity);
      expect(readWarmup(memory)).toEqual(warmup);
    },
  );
});

describe('countWarming', () => {
  it('with units: pending, warming and recently ready units, by weight', () => {
    const w = countWarming(
      obs({
        capacity: 10,
        units: [
          { id: 'a', state: 'in-service', readyAt: 0, weight: 2 },
          { id: 'b', state: 'in-service', readyAt: 500_000, weight: 2 },
          { id: 'c', state: 'pending', weight: 4 },
          { id: 'd', state: 'warming' },
          { id: 'e', state: 'draining', readyAt: 590_000 },
        ],
      }),
      300_000,
      undefined,
    );
    expect(w.warming).toBe(7);
    expect([...(w.ids ?? [])]).toEqual(['b', 'c', 'd']);
    expect(w.memory).toBeUndefined();
  });

  it('without units: launches seen in memory, dated by lastScaleOutAt, expire after the warm-up', () => {
    const first = countWarming(obs({ now: 0, capacity: 4 }), 60_000, undefined);
    expect(first).toEqual({ warming: 0, memory: { capacity: 4, seenAt: 0, launches: [] } });
    const second = countWarming(obs({ now: 15_000, capacity: 6, lastScaleOutAt: 0 }), 60_000, first.memory);
    expect(second).toEqual({ warming: 2, memory: { capacity: 6, seenAt: 15_000, launches: [[0, 2]] } });
    const third = countWarming(obs({ now: 60_000, capacity: 6, lastScaleOutAt: 0 }), 60_000, second.memory);
    expect(third.warming).toBe(0);
  });

  it('without units: unready units count whatever their age, and warming never exceeds capacity', () => {
    expect(countWarming(obs({ capacity: 6, readyCapacity: 2 }), 60_000, undefined).warming).toBe(4);
    const shrunk = countWarming(obs({ now: 20_000, capacity: 1 }), 60_000, {
      capacity: 1,
      seenAt: 15_000,
      launches: [[10_000, 5]],
    });
    expect(shrunk.warming).toBe(1);
  });
});

describe('applyApplicationCooldown', () => {
  const cooldowns = { scaleOut: 300_000, scaleIn: 300_000 };
  it('a scale-out during a scale-in cooldown acts at once', () => {
    const v = applyApplicationCooldown(
      obs({ lastScaleInAt: 500_000 }),
      cooldowns,
      { in: { at: 500_000 } },
      (b) => b + 1,
    );
    expect(v).toEqual({ act: true, capacity: 7, base: 6 });
  });

  it('records a scale-out with its base and a scale-in with its time', () => {
    expect(recordActivity({}, 5, 4, 6, 4)).toEqual({ out: { at: 5, base: 4 } });
    expect(recordActivity({ out: { at: 1, base: 2 } }, 5, 4, 3, 4)).toEqual({
      out: { at: 1, base: 2 },
      in: { at: 5 },
    });
    expect(recordActivity({}, 5, 4, 4, 4)).toEqual({});
  });
});
