import type { ScalingEventRecord } from '../runtime/event-log.js';
import {
  type AnalyticsRange,
  checkGroupId,
  checkOptions,
  checkRange,
  checkUtcOffset,
  invalid,
  readEvents,
} from './records.js';

const DAY = 86_400_000;
/** A range longer than this would make an unreasonably long table. */
const MAX_DAYS = 36_600;

/** Options of {@link actionsPerDay}. */
export interface ActionsPerDayOptions {
  /** Only this group. @default every group in the events */
  readonly groupId?: string;
  /**
   * Where days start, as a fixed offset from UTC in ms (east positive: `3_600_000` for UTC+1).
   * A fixed offset does not follow daylight-saving changes. @default 0 (UTC days)
   */
  readonly utcOffset?: number;
}

/** The actions of one day. */
export interface DailyActions {
  /** The calendar day at `utcOffset`, `YYYY-MM-DD`. */
  readonly day: string;
  /** Start of the part of the day inside the range, ms since the epoch. */
  readonly from: number;
  /** End (exclusive) of the part of the day inside the range. */
  readonly to: number;
  /** Capacity increases applied. */
  readonly scaleOuts: number;
  /** Capacity decreases applied. */
  readonly scaleIns: number;
  /** `scaleOuts + scaleIns`. */
  readonly total: number;
}

/** What {@link actionsPerDay} returns. */
export interface ActionsPerDayReport {
  /** Every day the range touches, oldest first, days without actions included. */
  readonly days: readonly DailyActions[];
  /** Capacity increases over the range. */
  readonly scaleOuts: number;
  /** Capacity decreases over the range. */
  readonly scaleIns: number;
  /** All actions over the range. */
  readonly total: number;
  /** `total` per 24 hours of range (the range need not be whole days). */
  readonly meanPerDay: number;
}

/**
 * Count applied actions (`scaled` records) per calendar day: scale-outs, scale-ins and their
 * total, over `range`. Days are cut at midnight at a fixed `utcOffset`; the first and last day
 * are clipped to the range, and every day the range touches gets a row, so a chart of the rows
 * has no holes.
 *
 * @param events event records in any order, e.g. `manager.getScalingEvents({ kinds: ['scaled'] })`
 * @param range `from` inclusive, `to` exclusive, ms since the epoch
 * @throws RangeError on a malformed record, range or option (the message names the path)
 * @example
 * const week = { from: Date.parse('2026-03-02T00:00:00Z'), to: Date.parse('2026-03-09T00:00:00Z') };
 * for (const d of actionsPerDay(manager.getScalingEvents({ groupId: 'web' }), week).days)
 *   console.log(d.day, d.scaleOuts, d.scaleIns);
 */
export function actionsPerDay(
  events: readonly ScalingEventRecord[],
  range: AnalyticsRange,
  options?: ActionsPerDayOptions,
): ActionsPerDayReport {
  const { from, to } = checkRange(range, 'range');
  const opts = checkOptions(options, 'options');
  const groupId = checkGroupId(opts.groupId, 'options.groupId');
  const offset = opts.utcOffset === undefined ? 0 : checkUtcOffset(opts.utcOffset, 'options.utcOffset');

  // Day k (at the offset) runs over UTC instants [k·DAY − offset, (k+1)·DAY − offset).
  const dayOf = (t: number): number => Math.floor((t + offset) / DAY);
  const first = dayOf(from);
  const last = dayOf(to - 1);
  if (last - first + 1 > MAX_DAYS)
    throw invalid('range', `a range of at most ${MAX_DAYS} days`, `${last - first + 1} days`);
  const outs = new Array<number>(last - first + 1).fill(0);
  const ins = new Array<number>(last - first + 1).fill(0);

  for (const action of readEvents(events).applied) {
    if (groupId !== undefined && action.groupId !== groupId) continue;
    if (action.at < from || action.at >= to) continue;
    const i = dayOf(action.at) - first;
    if (action.direction === 'out') outs[i] = (outs[i] as number) + 1;
    else ins[i] = (ins[i] as number) + 1;
  }

  const days: DailyActions[] = [];
  let scaleOuts = 0;
  let scaleIns = 0;
  for (let i = 0; i < outs.length; i++) {
    const k = first + i;
    const o = outs[i] as number;
    const n = ins[i] as number;
    scaleOuts += o;
    scaleIns += n;
    days.push({
      day: new Date(k * DAY).toISOString().slice(0, 10),
      from: Math.max(from, k * DAY - offset),
      to: Math.min(to, (k + 1) * DAY - offset),
      scaleOuts: o,
      scaleIns: n,
      total: o + n,
    });
  }
  const total = scaleOuts + scaleIns;
  return { days, scaleOuts, scaleIns, total, meanPerDay: total / ((to - from) / DAY) };
}
