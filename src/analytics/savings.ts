import type { ScalingEventRecord } from '../runtime/event-log.js';
import {
  type AnalyticsRange,
  checkGroupId,
  checkNonNegative,
  checkOptions,
  checkRange,
  invalid,
  type ReadEvents,
  readEvents,
} from './records.js';

const HOUR = 3_600_000;

/** Options of {@link savingsVsStatic}. */
export interface SavingsOptions {
  /** The group; required when the events hold more than one. */
  readonly groupId?: string;
  /**
   * Capacity at `range.from`. @default the latest capacity the events show before the range
   * (a `scaled` record's `to`, or a decision's `current`), else the earliest one inside it
   * (a `scaled` record's `from`, or a decision's `current`)
   */
  readonly initialCapacity?: number;
  /** Size of the static fleet to compare with. @default the peak capacity run in the range */
  readonly staticCapacity?: number;
}

/** What {@link savingsVsStatic} returns. */
export interface SavingsReport {
  /** Capacity at `range.from`, as given or inferred. */
  readonly initialCapacity: number;
  /** Unit-hours actually run: capacity integrated over the range, ÷ 3 600 000. */
  readonly unitHours: number;
  /** Time-weighted mean capacity. */
  readonly meanCapacity: number;
  /** Highest capacity held for any time in the range. */
  readonly peakCapacity: number;
  /** The static fleet compared with. */
  readonly staticCapacity: number;
  /** `staticCapacity × range length`, in unit-hours. */
  readonly staticUnitHours: number;
  /** `staticUnitHours − unitHours` (negative when the static fleet would have been cheaper). */
  readonly savedUnitHours: number;
  /** `savedUnitHours / staticUnitHours`; null when the static fleet runs nothing. */
  readonly savingFraction: number | null;
  /**
   * Times the events showed a capacity other than the one tideway last set (changed outside
   * tideway, or by records missing from the events). The change is counted from the record that
   * showed it, the earliest time the events prove it.
   */
  readonly outsideChanges: number;
}

interface Observation {
  readonly at: number;
  readonly seq: number;
  /** Capacity the record shows before it. */
  readonly before: number;
  /** Capacity the record leaves. */
  readonly after: number;
}

/**
 * Unit-hours a group actually ran against a static fleet over the same range. Capacity is
 * integrated over time as a step function: it starts at `initialCapacity` and changes at each
 * `scaled` record (`from` → `to`). `decision` records are read as observations too (their
 * `current` is the capacity the controller reported), so a change made outside tideway is picked
 * up at the next tick instead of being missed until the next action; decisions with reason
 * `CapacityUnavailable` are skipped, as their `current` is only the last known value.
 *
 * Capacity here is what the controller was asked to run (desired), booting units included.
 *
 * @param events event records in any order; pass the history before the range too, so the
 *   capacity at its start can be inferred
 * @param range `from` inclusive, `to` exclusive, ms since the epoch
 * @throws RangeError on a malformed record or option, several groups without `groupId`, or no
 *   way to know the starting capacity (the message names the path)
 * @example
 * const report = savingsVsStatic(manager.getScalingEvents({ groupId: 'web' }), lastWeek);
 * console.log(`${report.unitHours} unit-hours run, ${Math.round((report.savingFraction ?? 0) * 100)} % saved`);
 */
export function savingsVsStatic(
  events: readonly ScalingEventRecord[],
  range: AnalyticsRange,
  options?: SavingsOptions,
): SavingsReport {
  const { from, to } = checkRange(range, 'range');
  const opts = checkOptions(options, 'options');
  let groupId = checkGroupId(opts.groupId, 'options.groupId');
  const given =
    opts.initialCapacity === undefined
      ? undefined
      : checkNonNegative(opts.initialCapacity, 'options.initialCapacity');
  const staticGiven =
    opts.staticCapacity === undefined
      ? undefined
      : checkNonNegative(opts.staticCapacity, 'options.staticCapacity');

  const read = readEvents(events);
  if (groupId === undefined && read.groupIds.length > 1)
    throw invalid(
      'options.groupId',
      `one of ${read.groupIds.join(', ')} (the events hold several groups)`,
      groupId,
    );
  groupId ??= read.groupIds[0];
  const report = integrateCapacity(read, groupId, { from, to }, given, staticGiven);
  if (report === null) {
    throw invalid(
      'options.initialCapacity',
      'a number ≥ 0 (no scaled or decision record shows the capacity to start from)',
      undefined,
    );
  }
  return report;
}

/**
 * @internal The arithmetic of {@link savingsVsStatic} on checked input; null when the starting
 * capacity is neither given nor shown by any record.
 */
export function integrateCapacity(
  read: ReadEvents,
  groupId: string | undefined,
  range: AnalyticsRange,
  given: number | undefined,
  staticGiven: number | undefined,
): SavingsReport | null {
  const { from, to } = range;
  const observations: Observation[] = [];
  for (const a of read.applied)
    if (a.groupId === groupId) observations.push({ at: a.at, seq: a.seq, before: a.from, after: a.to });
  for (const d of read.decisions)
    if (d.groupId === groupId && d.reason !== 'CapacityUnavailable')
      observations.push({ at: d.at, seq: d.seq, before: d.current, after: d.current });
  observations.sort((a, b) => a.at - b.at || a.seq - b.seq);

  let start = observations.findIndex((o) => o.at >= from);
  if (start < 0) start = observations.length;
  const initial = given ?? observations[start - 1]?.after ?? inside(observations[start], to)?.before;
  if (initial === undefined) return null;

  let capacity = initial;
  let t = from;
  let area = 0;
  let peak = 0;
  let outsideChanges = 0;
  const hold = (until: number): void => {
    if (until > t) {
      area += capacity * (until - t);
      if (capacity > peak) peak = capacity;
      t = until;
    }
  };
  for (let i = start; i < observations.length; i++) {
    const o = observations[i] as Observation;
    if (o.at >= to) break;
    hold(o.at);
    if (o.before !== capacity) outsideChanges++;
    capacity = o.after;
  }
  hold(to);

  const span = to - from;
  const staticCapacity = staticGiven ?? peak;
  const staticArea = staticCapacity * span;
  const unitHours = area / HOUR;
  const staticUnitHours = staticArea / HOUR;
  const savedUnitHours = (staticArea - area) / HOUR;
  return {
    initialCapacity: initial,
    unitHours,
    meanCapacity: area / span,
    peakCapacity: peak,
    staticCapacity,
    staticUnitHours,
    savedUnitHours,
    savingFraction: staticArea > 0 ? (staticArea - area) / staticArea : null,
    outsideChanges,
  };
}

function inside(observation: Observation | undefined, to: number): Observation | undefined {
  return observation !== undefined && observation.at < to ? observation : undefined;
}
