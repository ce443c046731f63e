import type { ScaleDirection } from '../core/types.js';
import type { ScalingEventRecord } from '../runtime/event-log.js';
import { checkCount, checkGroupId, checkOptions, checkTime, invalid, readEvents } from './records.js';

/** A query over the action log; every field narrows the result. */
export interface ActionLogQuery {
  /** Only this group. */
  readonly groupId?: string;
  /** Only scale-outs (`out`) or scale-ins (`in`). */
  readonly direction?: ScaleDirection;
  /** Only actions at or after this time. */
  readonly from?: number;
  /** Only actions before this time. */
  readonly to?: number;
  /** At most this many, the newest. */
  readonly limit?: number;
}

/** One applied capacity change and why it was made. */
export interface ActionLogEntry {
  /** When it was applied, ms since the epoch. */
  readonly at: number;
  /** The group. */
  readonly groupId: string;
  /** Capacity before. */
  readonly from: number;
  /** Capacity after. */
  readonly to: number;
  /** `out` or `in`. */
  readonly direction: ScaleDirection;
  /** The decision's stable reason code (`ScaleOut`, `ManualOverride`, …). */
  readonly reason: string;
  /** The decision's sentence; null when the decision is not in the events (aged out of the history). */
  readonly message: string | null;
  /** The decision that asked for it. */
  readonly decisionId: string;
  /** When that decision was made; null when it is not in the events. */
  readonly decidedAt: number | null;
  /** The `scaled` record's position in the history. */
  readonly seq: number;
}

/**
 * The history of applied actions with the reason for each: one row per `scaled` record, newest
 * first, joined to its decision for the sentence that explains it. Reads `scaled` and `decision`
 * records and ignores the rest, so the unfiltered history can be passed as it is.
 *
 * @param events event records in any order, e.g. `manager.getScalingEvents({ kinds: ['decision', 'scaled'] })`
 * @param query narrows the rows like `getScalingEvents` does (`from` inclusive, `to` exclusive, `limit` newest)
 * @throws RangeError on a malformed record or query (the message names the path)
 * @example
 * for (const row of actionLog(manager.getScalingEvents(), { groupId: 'web', limit: 20 }))
 *   console.log(new Date(row.at).toISOString(), `${row.from} → ${row.to}`, row.reason, row.message);
 */
export function actionLog(events: readonly ScalingEventRecord[], query?: ActionLogQuery): ActionLogEntry[] {
  const q = checkOptions(query, 'query');
  const groupId = checkGroupId(q.groupId, 'query.groupId');
  const direction = q.direction;
  if (direction !== undefined && direction !== 'out' && direction !== 'in')
    throw invalid('query.direction', '"out" or "in"', direction);
  const from = q.from === undefined ? undefined : checkTime(q.from, 'query.from');
  const to = q.to === undefined ? undefined : checkTime(q.to, 'query.to');
  const limit = q.limit === undefined ? Number.POSITIVE_INFINITY : checkCount(q.limit, 'query.limit');

  const applied = readEvents(events).applied;
  const rows: ActionLogEntry[] = [];
  for (let i = applied.length - 1; i >= 0 && rows.length < limit; i--) {
    const a = applied[i] as (typeof applied)[number];
    if (groupId !== undefined && a.groupId !== groupId) continue;
    if (direction !== undefined && a.direction !== direction) continue;
    if (from !== undefined && a.at < from) continue;
    if (to !== undefined && a.at >= to) continue;
    rows.push({
      at: a.at,
      groupId: a.groupId,
      from: a.from,
      to: a.to,
      direction: a.direction,
      reason: a.reason,
      message: a.decision?.message ?? null,
      decisionId: a.decisionId,
      decidedAt: a.decision?.at ?? null,
      seq: a.seq,
    });
  }
  return rows;
}
