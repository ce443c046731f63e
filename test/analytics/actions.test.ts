/**
 * actionsPerDay: applied actions per calendar day at a fixed UTC offset.
 */
import { describe, expect, it } from 'vitest';
import { actionsPerDay } from '../../src/analytics/actions.js';
import { expectRangeError, History } from './history.js';

const H = 3_600_000;
const DAY = 24 * H;
/** Monday 2026-03-02 00:00 UTC. */
const T0 = Date.UTC(2026, 2, 2);

// out at 01:00 on the 2nd, in at 05:00 on the 2nd, nothing on the 3rd, out at 23:59 on the 4th (UTC).
const history = new History()
  .action(T0 + H, 1, 2, 4)
  .action(T0 + 5 * H, 2, 4, 3)
  .other('metrics-unavailable', T0 + DAY + H)
  .action(T0 + 2 * DAY + 23 * H + 59 * 60_000, 3, 3, 6);

describe('actionsPerDay', () => {
  it.each([
    {
      name: 'UTC days, a quiet day included',
      range: { from: T0, to: T0 + 3 * DAY },
      utcOffset: undefined,
      days: [
        ['2026-03-02', T0, T0 + DAY, 1, 1],
        ['2026-03-03', T0 + DAY, T0 + 2 * DAY, 0, 0],
        ['2026-03-04', T0 + 2 * DAY, T0 + 3 * DAY, 1, 0],
      ],
    },
    {
      // At UTC+1 the 23:59 action is 00:59 on the 5th, and the range's last hour is the 5th too.
      name: 'UTC+1: days start an hour earlier in UTC',
      range: { from: T0, to: T0 + 3 * DAY },
      utcOffset: H,
      days: [
        ['2026-03-02', T0, T0 + 23 * H, 1, 1],
        ['2026-03-03', T0 + 23 * H, T0 + DAY + 23 * H, 0, 0],
        ['2026-03-04', T0 + DAY + 23 * H, T0 + 2 * DAY + 23 * H, 0, 0],
        ['2026-03-05', T0 + 2 * DAY + 23 * H, T0 + 3 * DAY, 1, 0],
      ],
    },
    {
      // At UTC−5 the range starts at 19:00 on the 1st; 01:00 UTC is 20:00 on the 1st, 05:00 UTC is midnight.
      name: 'UTC−5: the first hours belong to the day before',
      range: { from: T0, to: T0 + DAY },
      utcOffset: -5 * H,
      days: [
        ['2026-03-01', T0, T0 + 5 * H, 1, 0],
        ['2026-03-02', T0 + 5 * H, T0 + DAY, 0, 1],
      ],
    },
    {
      // from is inclusive (the 05:00 action counts), to exclusive (nothing at the end).
      name: 'a partial day clipped to the range',
      range: { from: T0 + 5 * H, to: T0 + 17 * H },
      utcOffset: undefined,
      days: [['2026-03-02', T0 + 5 * H, T0 + 17 * H, 0, 1]],
    },
  ])('$name', ({ range, utcOffset, days }) => {
    const report = actionsPerDay(history.records, range, utcOffset === undefined ? {} : { utcOffset });
    expect(report.days).toEqual(
      days.map(([day, from, to, scaleOuts, scaleIns]) => ({
        day,
        from,
        to,
        scaleOuts,
        scaleIns,
        total: (scaleOuts as number) + (scaleIns as number),
      })),
    );
  });

  it('totals the range and averages per 24 hours', () => {
    // 3 actions (2 out, 1 in) over 3 days → 1 per day; over the first 12 h: 2 actions → 4 per day.
    expect(actionsPerDay(history.records, { from: T0, to: T0 + 3 * DAY })).toMatchObject({
      scaleOuts: 2,
      scaleIns: 1,
      total: 3,
      meanPerDay: 1,
    });
    expect(actionsPerDay(history.records, { from: T0, to: T0 + 12 * H }).meanPerDay).toBe(4);
  });

  it('ignores failed attempts and filters by group', () => {
    const h = new History()
      .decision(T0, 1, { current: 1, desired: 2 })
      .failed(T0 + 1, 1, 2, 1)
      .action(T0 + H, 2, 1, 2, 0, 'web')
      .action(T0 + H, 1, 5, 4, 0, 'api');
    const range = { from: T0, to: T0 + DAY };
    expect(actionsPerDay(h.records, range)).toMatchObject({ scaleOuts: 1, scaleIns: 1, total: 2 });
    expect(actionsPerDay(h.records, range, { groupId: 'api' })).toMatchObject({ scaleOuts: 0, scaleIns: 1 });
  });

  it.each([
    {
      name: 'an offset beyond 14 hours',
      range: { from: T0, to: T0 + DAY },
      options: { utcOffset: 15 * H },
      message: 'options.utcOffset: expected a whole number of ms within ±14 hours (±50400000), got 54000000',
    },
    {
      name: 'a fractional offset',
      range: { from: T0, to: T0 + DAY },
      options: { utcOffset: 0.5 },
      message: 'options.utcOffset: expected a whole number of ms within ±14 hours (±50400000), got 0.5',
    },
    {
      name: 'a range of more than 100 years of days',
      range: { from: 0, to: 40_000 * DAY },
      options: {},
      message: 'range: expected a range of at most 36600 days, got "40000 days"',
    },
    {
      name: 'a missing range',
      range: undefined,
      options: {},
      message: 'range: expected a range { from, to } of ms since the epoch, got nothing',
    },
  ])('rejects $name', ({ range, options, message }) => {
    expectRangeError(() => actionsPerDay([], range as never, options), message);
  });
});
