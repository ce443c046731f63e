import type { DurationInput } from '../core/duration.js';
import type { ScalingEventQuery, ScalingEventRecord } from '../runtime/event-log.js';
import type { ManagerEventName } from '../runtime/events.js';
import { type ActionLogEntry, actionLog } from './action-log.js';
import { type ActionsPerDayReport, actionsPerDay } from './actions.js';
import { type EfficiencyReport, efficiencyScore, type MetricPoint } from './efficiency.js';
import { type ScalingLatencyReport, scalingLatency } from './latency.js';
import { detectOscillation, type OscillationReport } from './oscillation.js';
import {
  type AnalyticsRange,
  checkCount,
  checkDuration,
  checkNonNegative,
  checkRange,
  checkTarget,
  checkTolerance,
  checkUtcOffset,
  invalid,
  isObject,
  readEvents,
} from './records.js';
import { integrateCapacity, type SavingsReport } from './savings.js';

/**
 * What {@link analyzeGroup} reads: the two history methods of an `AutoScalingManager`, so a
 * manager can be passed as it is (or anything that serves the same data, such as a restored
 * snapshot behind a small adapter).
 */
export interface AnalyticsSource {
  /** Event records, in any order (the manager returns newest first). */
  getScalingEvents(query: ScalingEventQuery): readonly ScalingEventRecord[];
  /** `[timestamp, value]` samples of one metric of one group, oldest first. */
  getMetricHistory(
    groupId: string,
    metric: string,
    range?: { from?: number; to?: number },
  ): readonly MetricPoint[];
}

/** Which metric to score efficiency on, and against what. */
export interface EfficiencyTarget {
  /** A utilization-like metric the group's rules read (so the manager keeps its history). */
  readonly metric: string;
  /** Its target. */
  readonly target: number;
  /** @default 0.1 */
  readonly tolerance?: number;
  /** @default no limit */
  readonly maxGap?: DurationInput;
}

/** Options of {@link analyzeGroup}. */
export interface AnalyzeGroupOptions {
  /** The range analysed (`from` inclusive, `to` exclusive); the caller says what "now" is. */
  readonly range: AnalyticsRange;
  /** Reversal window for oscillation (`"10m"` or ms). @default '10m' */
  readonly oscillationWindow?: DurationInput;
  /** Reversals within one window that make the group flapping. @default 2 */
  readonly minReversals?: number;
  /** Score efficiency on this metric. @default not scored (`efficiency` is null) */
  readonly efficiency?: EfficiencyTarget;
  /** Capacity at `range.from` for the savings. @default inferred from the events */
  readonly initialCapacity?: number;
  /** Static fleet to compare with. @default the peak capacity run in the range */
  readonly staticCapacity?: number;
  /** Where days start, ms east of UTC. @default 0 */
  readonly utcOffset?: number;
  /** Most rows in `log`, newest kept. @default 100 */
  readonly actionLimit?: number;
}

/** What the event history could cover. */
export interface HistoryCoverage {
  /** The oldest record of the group the history still holds, or null when it holds none. */
  readonly oldestEventAt: number | null;
  /**
   * True when nothing of the group inside the range can have been dropped from the bounded
   * history: its oldest record is at or before `range.from`, or is its registration.
   */
  readonly complete: boolean;
}

/** Everything {@link analyzeGroup} works out for one group over one range. */
export interface GroupAnalysis {
  /** The group. */
  readonly groupId: string;
  /** The range analysed. */
  readonly range: AnalyticsRange;
  /** Whether the history reaches back far enough; read the rest with this in mind. */
  readonly history: HistoryCoverage;
  /** Decision-to-applied latency per direction, and failed attempts. */
  readonly latency: ScalingLatencyReport;
  /** Scale-outs and scale-ins per day. */
  readonly actions: ActionsPerDayReport;
  /** Reversals and flapping. */
  readonly oscillation: OscillationReport;
  /** Utilization efficiency, or null when no `efficiency` metric was asked for. */
  readonly efficiency: EfficiencyReport | null;
  /** Unit-hours against a static fleet, or null when no record shows the starting capacity and none was given. */
  readonly savings: SavingsReport | null;
  /** Applied actions with their reasons, newest first, at most `actionLimit`. */
  readonly log: readonly ActionLogEntry[];
}

const KINDS: readonly ManagerEventName[] = ['group-registered', 'decision', 'scaled', 'scale-failed'];

/**
 * One report on one group over one range, from what a running manager already keeps: latency,
 * actions per day, oscillation, efficiency (when a metric and target are given), savings against
 * a static fleet, and the action log. Reads the whole event history of the group (decisions
 * before the range are needed to measure changes inside it, and to know the capacity at its
 * start) and, for efficiency, the metric history up to `range.to`.
 *
 * @param source an `AutoScalingManager`, or anything with the same two history methods
 * @throws RangeError on a malformed source or option (the message names the path); whatever the
 *   source throws (the manager throws `GroupNotFoundError` for the metric history of an unknown group)
 * @example
 * const now = clock.now();
 * const report = analyzeGroup(manager, 'web', {
 *   range: { from: now - 86_400_000, to: now },
 *   efficiency: { metric: 'busy_ratio', target: 0.7 },
 * });
 * console.log(report.latency.scaleOut.p95, report.oscillation.flapping, report.savings?.savingFraction);
 */
export function analyzeGroup(
  source: AnalyticsSource,
  groupId: string,
  options: AnalyzeGroupOptions,
): GroupAnalysis {
  if (
    !isObject(source) ||
    typeof source.getScalingEvents !== 'function' ||
    typeof source.getMetricHistory !== 'function'
  ) {
    throw invalid(
      'source',
      'an object with getScalingEvents and getMetricHistory methods (an AutoScalingManager)',
      source,
    );
  }
  if (typeof groupId !== 'string' || groupId === '')
    throw invalid('groupId', 'a non-empty group id', groupId);
  if (!isObject(options)) throw invalid('options', 'an object with a range', options);
  const range = checkRange(options.range, 'options.range');
  const window = checkDuration(options.oscillationWindow ?? '10m', 'options.oscillationWindow');
  const actionLimit =
    options.actionLimit === undefined ? 100 : checkCount(options.actionLimit, 'options.actionLimit');
  const initialCapacity =
    options.initialCapacity === undefined
      ? undefined
      : checkNonNegative(options.initialCapacity, 'options.initialCapacity');
  const staticCapacity =
    options.staticCapacity === undefined
      ? undefined
      : checkNonNegative(options.staticCapacity, 'options.staticCapacity');
  const minReversals =
    options.minReversals === undefined ? 2 : checkCount(options.minReversals, 'options.minReversals', 1);
  const utcOffset =
    options.utcOffset === undefined ? 0 : checkUtcOffset(options.utcOffset, 'options.utcOffset');
  const efficiency = options.efficiency === undefined ? undefined : checkEfficiency(options.efficiency);

  const events = source.getScalingEvents({ groupId, kinds: KINDS });
  const read = readEvents(events, 'source.getScalingEvents()');
  // The bounded history drops the oldest records of all groups first, so every record of this
  // group newer than its oldest surviving one is still there.
  let oldest: ScalingEventRecord | undefined;
  for (const record of events) {
    if (typeof record.at !== 'number' || typeof record.seq !== 'number') continue;
    if (oldest === undefined || record.at < oldest.at || (record.at === oldest.at && record.seq < oldest.seq))
      oldest = record;
  }

  let efficiencyReport: EfficiencyReport | null = null;
  if (efficiency !== undefined) {
    const samples = source.getMetricHistory(groupId, efficiency.metric, { to: range.to });
    efficiencyReport = efficiencyScore(samples, {
      target: efficiency.target,
      tolerance: efficiency.tolerance,
      range,
      ...(efficiency.maxGap !== undefined ? { maxGap: efficiency.maxGap } : {}),
    });
  }

  return {
    groupId,
    range,
    history: {
      oldestEventAt: oldest?.at ?? null,
      complete: oldest !== undefined && (oldest.kind === 'group-registered' || oldest.at <= range.from),
    },
    latency: scalingLatency(events, { groupId, range }),
    actions: actionsPerDay(events, range, { groupId, utcOffset }),
    oscillation: detectOscillation(events, { window, minReversals, groupId, range }),
    efficiency: efficiencyReport,
    savings: integrateCapacity(read, groupId, range, initialCapacity, staticCapacity),
    log: actionLog(events, { groupId, from: range.from, to: range.to, limit: actionLimit }),
  };
}

function checkEfficiency(value: unknown): Required<Omit<EfficiencyTarget, 'maxGap'>> & { maxGap?: number } {
  const path = 'options.efficiency';
  if (!isObject(value)) throw invalid(path, 'an object { metric, target }', value);
  if (typeof value.metric !== 'string' || value.metric === '')
    throw invalid(`${path}.metric`, 'a metric name', value.metric);
  return {
    metric: value.metric,
    target: checkTarget(value.target, `${path}.target`),
    tolerance: value.tolerance === undefined ? 0.1 : checkTolerance(value.tolerance, `${path}.tolerance`),
    ...(value.maxGap === undefined ? {} : { maxGap: checkDuration(value.maxGap, `${path}.maxGap`) }),
  };
}
