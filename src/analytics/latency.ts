import type { ScalingEventRecord } from '../runtime/event-log.js';
import {
  type AnalyticsRange,
  type AttemptWithDecision,
  checkGroupId,
  checkOptions,
  checkRange,
  inRange,
  type LatencyStats,
  latencyStats,
  readEvents,
} from './records.js';

/** Options of {@link scalingLatency}. */
export interface ScalingLatencyOptions {
  /** Only this group. @default every group in the events */
  readonly groupId?: string;
  /** Only attempts (`scaled` / `scale-failed` records) in this range. @default all */
  readonly range?: AnalyticsRange;
}

/** Latency of one direction, with the attempts that did not end in a measured change. */
export interface DirectionLatency extends LatencyStats {
  /** `scale-failed` records: the controller rejected or timed out; not in the statistics. */
  readonly failed: number;
  /**
   * `scaled` records whose decision is not in the events (aged out of the bounded history, or
   * filtered away by the caller); counted, but not in the statistics.
   */
  readonly unmatched: number;
}

/** What {@link scalingLatency} returns. */
export interface ScalingLatencyReport {
  /** Capacity increases. */
  readonly scaleOut: DirectionLatency;
  /** Capacity decreases. */
  readonly scaleIn: DirectionLatency;
}

/**
 * How long it takes from a decision to the change being applied, per direction: for each
 * `scaled` record, `scaled.at − decision.at`, where the decision is the `decision` record whose
 * `data.decision.id` equals the scaled record's `data.decisionId` (the latest such one before it,
 * in the same group). A decision's `at` is when its tick started, so the latency covers reading
 * capacity and metrics as well as the controller call. Failed attempts (`scale-failed`) are
 * counted per direction but not measured. Direction comes from the record's `from` → `to`.
 *
 * Pass the events of the whole history (not only the range): a decision made just before the
 * range is still needed to measure a change applied inside it.
 *
 * @param events event records in any order, e.g. `manager.getScalingEvents({ groupId })`
 * @throws RangeError on a malformed record or option (the message names the path)
 * @example
 * const { scaleOut, scaleIn } = scalingLatency(manager.getScalingEvents({ groupId: 'web' }));
 * console.log(`scale-out p95 ${scaleOut.p95} ms over ${scaleOut.count}, ${scaleOut.failed} failed`);
 */
export function scalingLatency(
  events: readonly ScalingEventRecord[],
  options?: ScalingLatencyOptions,
): ScalingLatencyReport {
  const opts = checkOptions(options, 'options');
  const groupId = checkGroupId(opts.groupId, 'options.groupId');
  const range = opts.range === undefined ? undefined : checkRange(opts.range, 'options.range');
  const read = readEvents(events);
  const keep = (a: AttemptWithDecision): boolean =>
    (groupId === undefined || a.groupId === groupId) && inRange(a.at, range);
  return {
    scaleOut: direction('out', read.applied.filter(keep), read.failed.filter(keep)),
    scaleIn: direction('in', read.applied.filter(keep), read.failed.filter(keep)),
  };
}

function direction(
  which: 'out' | 'in',
  applied: readonly AttemptWithDecision[],
  failed: readonly AttemptWithDecision[],
): DirectionLatency {
  const latencies: number[] = [];
  let unmatched = 0;
  for (const action of applied) {
    if (action.direction !== which) continue;
    if (action.decision === null) unmatched++;
    else latencies.push(action.at - action.decision.at);
  }
  return {
    ...latencyStats(latencies),
    failed: failed.filter((f) => f.direction === which).length,
    unmatched,
  };
}
