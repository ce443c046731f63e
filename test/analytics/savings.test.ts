/**
 * savingsVsStatic: capacity integrated over time from scaled records (and decisions' observed
 * capacity) against a static fleet.
 */
import { describe, expect, it } from 'vitest';
import { type SavingsOptions, savingsVsStatic } from '../../src/analytics/savings.js';
import { expectRangeError, History, s } from './history.js';

const HOUR = 3_600_000;

/** Decided at 0 s and applied at 10 s: 2 → 4; decided and applied at 400 s: 4 → 1. */
const base = (): History =>
  new History()
    .decision(0, 1, { current: 2, desired: 4 })
    .scaled(s(10), 2, 4, 1)
    .decision(s(400), 2, { current: 4, desired: 1 })
    .scaled(s(400), 4, 1, 2);

describe('savingsVsStatic', () => {
  it.each([
    {
      // 2·10 + 4·390 + 1·600 = 2180 unit-s; peak 4 → static 4·1000 = 4000; saved 1820 → 0.455.
      name: 'inferred start, static fleet at the peak',
      history: base(),
      range: { from: 0, to: s(1000) },
      options: {},
      want: { initial: 2, area: 2180, peak: 4, staticCapacity: 4, fraction: 1820 / 4000, outside: 0 },
    },
    {
      // Static 10: 10 000 unit-s; saved 7820.
      name: 'a given static fleet',
      history: base(),
      range: { from: 0, to: s(1000) },
      options: { staticCapacity: 10 },
      want: { initial: 2, area: 2180, peak: 4, staticCapacity: 10, fraction: 7820 / 10_000, outside: 0 },
    },
    {
      // Static 1: 1000 unit-s, 1180 fewer than run → a negative saving.
      name: 'a static fleet smaller than what ran',
      history: base(),
      range: { from: 0, to: s(1000) },
      options: { staticCapacity: 1 },
      want: { initial: 2, area: 2180, peak: 4, staticCapacity: 1, fraction: -1180 / 1000, outside: 0 },
    },
    {
      // [200, 1000): 4 from the 10 s record before the range → 4·200 + 1·600 = 1400; static 4·800 = 3200.
      name: 'a range starting after an action: capacity carried in',
      history: base(),
      range: { from: s(200), to: s(1000) },
      options: {},
      want: { initial: 4, area: 1400, peak: 4, staticCapacity: 4, fraction: 1800 / 3200, outside: 0 },
    },
    {
      // [200, 1000): 4 carried in from the 10 s record, then the 400 s decision shows 6 (set
      // outside tideway): 4·200 + 1·600 = 1400; 6 is held for no time, so the peak stays 4.
      name: 'capacity carried in, contradicted later in the range',
      history: new History()
        .decision(0, 1, { current: 2, desired: 4 })
        .scaled(s(10), 2, 4, 1)
        .decision(s(400), 2, { current: 6, desired: 1 })
        .scaled(s(400), 6, 1, 2),
      range: { from: s(200), to: s(1000) },
      options: {},
      want: { initial: 4, area: 1400, peak: 4, staticCapacity: 4, fraction: 1800 / 3200, outside: 1 },
    },
    {
      // Set to 6 outside tideway between 10 s and 300 s; the 300 s decision observes it:
      // 2·10 + 4·290 + 6·100 + 1·600 = 2380; peak 6 → static 6000.
      name: 'a change outside tideway, seen by the next decision',
      history: new History()
        .decision(0, 1, { current: 2, desired: 4 })
        .scaled(s(10), 2, 4, 1)
        .decision(s(300), 2, { current: 6, desired: 6 })
        .decision(s(400), 3, { current: 6, desired: 1 })
        .scaled(s(400), 6, 1, 3),
      range: { from: 0, to: s(1000) },
      options: {},
      want: { initial: 2, area: 2380, peak: 6, staticCapacity: 6, fraction: 3620 / 6000, outside: 1 },
    },
    {
      // A CapacityUnavailable decision's current (9) is only the last known size: ignored.
      name: 'a decision made without the controller is not an observation',
      history: base().decision(s(500), 3, { current: 9, desired: 9, reason: 'CapacityUnavailable' }),
      range: { from: 0, to: s(1000) },
      options: {},
      want: { initial: 2, area: 2180, peak: 4, staticCapacity: 4, fraction: 1820 / 4000, outside: 0 },
    },
    {
      // Only scaled records (decisions aged out): start at the first one's from (2).
      // 2·100 + 5·200 + 3·200 = 1800; static 5·500 = 2500.
      name: 'scaled records alone',
      history: new History().scaled(s(100), 2, 5, 1).scaled(s(300), 5, 3, 2),
      range: { from: 0, to: s(500) },
      options: {},
      want: { initial: 2, area: 1800, peak: 5, staticCapacity: 5, fraction: 700 / 2500, outside: 0 },
    },
    {
      // Given 3, but the decision at 0 s shows 2: the records win from that instant, and it counts.
      name: 'a given start the records contradict',
      history: base(),
      range: { from: 0, to: s(1000) },
      options: { initialCapacity: 3 },
      want: { initial: 3, area: 2180, peak: 4, staticCapacity: 4, fraction: 1820 / 4000, outside: 1 },
    },
    {
      name: 'no records, a given start: static at that size saves nothing',
      history: new History(),
      range: { from: 0, to: HOUR },
      options: { initialCapacity: 3 },
      want: { initial: 3, area: 3 * 3600, peak: 3, staticCapacity: 3, fraction: 0, outside: 0 },
    },
    {
      name: 'nothing run and a static fleet of nothing: no fraction',
      history: new History(),
      range: { from: 0, to: HOUR },
      options: { initialCapacity: 0 },
      want: { initial: 0, area: 0, peak: 0, staticCapacity: 0, fraction: null, outside: 0 },
    },
  ])('$name', ({ history, range, options, want }) => {
    const report = savingsVsStatic(history.records, range, options as SavingsOptions);
    const span = (range.to - range.from) / 1000;
    expect(report.initialCapacity).toBe(want.initial);
    expect(report.unitHours).toBeCloseTo(want.area / 3600, 12);
    expect(report.meanCapacity).toBeCloseTo(want.area / span, 12);
    expect(report.peakCapacity).toBe(want.peak);
    expect(report.staticCapacity).toBe(want.staticCapacity);
    expect(report.staticUnitHours).toBeCloseTo((want.staticCapacity * span) / 3600, 12);
    expect(report.savedUnitHours).toBeCloseTo((want.staticCapacity * span - want.area) / 3600, 12);
    if (want.fraction === null) expect(report.savingFraction).toBeNull();
    else expect(report.savingFraction).toBeCloseTo(want.fraction, 12);
    expect(report.outsideChanges).toBe(want.outside);
  });

  it('integrates only the chosen group', () => {
    // api: 10 for the whole hour; web: 2 → 4 at 30 min. web = 2·1800 + 4·1800 = 10 800 unit-s = 3 unit-hours.
    const h = new History()
      .decision(0, 1, { group: 'api', current: 10, desired: 10 })
      .action(1_800_000, 1, 2, 4, 0, 'web');
    expect(savingsVsStatic(h.records, { from: 0, to: HOUR }, { groupId: 'web' }).unitHours).toBe(3);
    expect(savingsVsStatic(h.records, { from: 0, to: HOUR }, { groupId: 'api' }).unitHours).toBe(10);
  });

  it.each([
    {
      name: 'several groups and no group id',
      history: new History().action(0, 1, 1, 2, 0, 'web').action(0, 1, 1, 2, 0, 'api'),
      options: {},
      message: 'options.groupId: expected one of api, web (the events hold several groups), got nothing',
    },
    {
      name: 'no way to know the starting capacity',
      history: new History().other('group-registered', 0),
      options: {},
      message:
        'options.initialCapacity: expected a number ≥ 0 (no scaled or decision record shows the capacity to start from), got nothing',
    },
    {
      name: 'a negative static fleet',
      history: new History(),
      options: { initialCapacity: 1, staticCapacity: -1 },
      message: 'options.staticCapacity: expected a finite number ≥ 0, got -1',
    },
    {
      name: 'an infinite starting capacity',
      history: new History(),
      options: { initialCapacity: Number.POSITIVE_INFINITY },
      message: 'options.initialCapacity: expected a finite number ≥ 0, got Infinity',
    },
  ])('rejects $name', ({ history, options, message }) => {
    expectRangeError(() => savingsVsStatic(history.records, { from: 0, to: HOUR }, options), message);
  });

  it('does not count a record after the range end', () => {
    // The 400 s action lies outside [0, 300): 2·10 + 4·290 = 1180.
    const report = savingsVsStatic(base().records, { from: 0, to: s(300) });
    expect(report.unitHours * 3600).toBeCloseTo(1180, 9);
  });
});
