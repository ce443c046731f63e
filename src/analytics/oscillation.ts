import type { DurationInput } from '../core/duration.js';
import type { ScaleDirection } from '../core/types.js';
import type { ScalingEventRecord } from '../runtime/event-log.js';
import {
  type AnalyticsRange,
  type AttemptWithDecision,
  checkCount,
  checkDuration,
  checkGroupId,
  checkRange,
  inRange,
  invalid,
  isObject,
  readEvents,
} from './records.js';

/** Options of {@link detectOscillation}. */
export interface OscillationOptions {
  /** Two opposite actions at most this far apart (inclusive) are a reversal: `"10m"` or ms. */
  readonly window: DurationInput;
  /** A group with at least this many reversals within one `window` is flapping. @default 2 */
  readonly minReversals?: number;
  /** Only this group. @default every group in the events */
  readonly groupId?: string;
  /** Only actions in this range. @default all */
  readonly range?: AnalyticsRange;
}

/** One applied action, as a reversal names it. */
export interface ActionRef {
  /** When it was applied (the `scaled` record's time). */
  readonly at: number;
  /** Capacity before. */
  readonly from: number;
  /** Capacity after. */
  readonly to: number;
  /** `out` or `in`. */
  readonly direction: ScaleDirection;
  /** The decision that asked for it. */
  readonly decisionId: string;
  /** The decision's reason code. */
  readonly reason: string;
}

/** Two consecutive actions of a group in opposite directions, within the window. */
export interface Reversal {
  /** The group. */
  readonly groupId: string;
  /** `out-in`: a scale-out undone by a scale-in; `in-out`: the other way round. */
  readonly pattern: 'out-in' | 'in-out';
  /** The earlier action. */
  readonly first: ActionRef;
  /** The later action, opposite in direction. */
  readonly second: ActionRef;
  /** `second.at − first.at`, ms. */
  readonly gap: number;
}

/** How one group oscillated. */
export interface GroupOscillation {
  /** The group. */
  readonly groupId: string;
  /** Applied actions considered. */
  readonly actions: number;
  /** Reversals found. */
  readonly reversals: number;
  /** The most reversals that fit in one window (from the first action of the earliest to the second of the latest). */
  readonly maxReversalsInWindow: number;
  /** `maxReversalsInWindow ≥ minReversals`. */
  readonly flapping: boolean;
  /** When it first became flapping (the second action of the reversal that reached `minReversals`), or null. */
  readonly flappingSince: number | null;
}

/** What {@link detectOscillation} returns. */
export interface OscillationReport {
  /** The window used, ms. */
  readonly window: number;
  /** The flapping threshold used. */
  readonly minReversals: number;
  /** How many reversals, over all groups. */
  readonly count: number;
  /** Every reversal, oldest first (by the second action). */
  readonly reversals: readonly Reversal[];
  /** Every group with at least one action considered, by id. */
  readonly groups: readonly GroupOscillation[];
  /** Ids of the flapping groups, sorted. */
  readonly flapping: readonly string[];
}

/**
 * Find direction reversals — a scale-out followed by a scale-in, or the other way round, as
 * consecutive applied actions (`scaled` records) of one group no more than `window` apart — and
 * flag as flapping each group with at least `minReversals` reversals inside one window (measured
 * from the first action of the earliest reversal to the second action of the latest). Manual
 * changes count too: a person undoing the autoscaler is oscillation worth seeing.
 *
 * @param events event records in any order, e.g. `manager.getScalingEvents({ groupId })`
 * @throws RangeError on a malformed record or option (the message names the path)
 * @example
 * const report = detectOscillation(manager.getScalingEvents(), { window: '10m' });
 * for (const r of report.reversals)
 *   console.log(`${r.groupId}: ${r.pattern} after ${r.gap} ms (${r.first.reason} → ${r.second.reason})`);
 * if (report.flapping.length > 0) console.warn('flapping:', report.flapping.join(', '));
 */
export function detectOscillation(
  events: readonly ScalingEventRecord[],
  options: OscillationOptions,
): OscillationReport {
  if (!isObject(options)) throw invalid('options', 'an object with a window', options);
  const window = checkDuration(options.window, 'options.window');
  const minReversals =
    options.minReversals === undefined ? 2 : checkCount(options.minReversals, 'options.minReversals', 1);
  const groupId = checkGroupId(options.groupId, 'options.groupId');
  const range = options.range === undefined ? undefined : checkRange(options.range, 'options.range');

  const byGroup = new Map<string, AttemptWithDecision[]>();
  for (const action of readEvents(events).applied) {
    if (groupId !== undefined && action.groupId !== groupId) continue;
    if (!inRange(action.at, range)) continue;
    let list = byGroup.get(action.groupId);
    if (list === undefined) {
      list = [];
      byGroup.set(action.groupId, list);
    }
    list.push(action);
  }

  const reversals: Reversal[] = [];
  const groups: GroupOscillation[] = [];
  for (const id of [...byGroup.keys()].sort()) {
    const actions = byGroup.get(id) as AttemptWithDecision[];
    const found: Reversal[] = [];
    for (let i = 1; i < actions.length; i++) {
      const first = actions[i - 1] as AttemptWithDecision;
      const second = actions[i] as AttemptWithDecision;
      const gap = second.at - first.at;
      if (first.direction === second.direction || gap > window) continue;
      found.push({
        groupId: id,
        pattern: first.direction === 'out' ? 'out-in' : 'in-out',
        first: ref(first),
        second: ref(second),
        gap,
      });
    }
    // Two pointers: reversals are in time order, so the earliest one still inside the window
    // ending at reversal j only moves forward as j does.
    let most = 0;
    let since: number | null = null;
    let start = 0;
    for (let j = 0; j < found.length; j++) {
      const end = (found[j] as Reversal).second.at;
      while (end - (found[start] as Reversal).first.at > window) start++;
      const inWindow = j - start + 1;
      if (inWindow > most) most = inWindow;
      if (since === null && inWindow >= minReversals) since = end;
    }
    reversals.push(...found);
    groups.push({
      groupId: id,
      actions: actions.length,
      reversals: found.length,
      maxReversalsInWindow: most,
      flapping: most >= minReversals,
      flappingSince: since,
    });
  }
  // Stable sort: reversals of one group at the same instant keep their order.
  reversals.sort(
    (a, b) => a.second.at - b.second.at || (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0),
  );
  return {
    window,
    minReversals,
    count: reversals.length,
    reversals,
    groups,
    flapping: groups.filter((g) => g.flapping).map((g) => g.groupId),
  };
}

function ref(action: AttemptWithDecision): ActionRef {
  return {
    at: action.at,
    from: action.from,
    to: action.to,
    direction: action.direction,
    decisionId: action.decisionId,
    reason: action.reason,
  };
}
