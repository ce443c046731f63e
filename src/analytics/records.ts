/**
 * Shared reading of event records for the analytics: validation with path / expected / got
 * messages, the typed view of the three kinds the analytics read, and small numeric helpers.
 * Internal: the public functions live in the files beside this one.
 */
import { describeValue } from '../config/issues.js';
import { parseDuration } from '../core/duration.js';
import type { ScaleDirection } from '../core/types.js';

/**
 * A time range, ms since the epoch: `from` inclusive, `to` exclusive — the same convention as
 * `ScalingEventQuery` and `getMetricHistory`.
 *
 * @example
 * const lastDay: AnalyticsRange = { from: now - 86_400_000, to: now };
 */
export interface AnalyticsRange {
  /** Inclusive start, ms since the epoch. */
  readonly from: number;
  /** Exclusive end, ms since the epoch; after `from`. */
  readonly to: number;
}

/** A `decision` record, read. */
export interface DecisionRead {
  readonly seq: number;
  readonly at: number;
  readonly groupId: string;
  readonly id: string;
  readonly direction: ScaleDirection | 'none';
  readonly reason: string;
  readonly message: string;
  /** Capacity the decision started from. */
  readonly current: number;
}

/** A `scaled` or `scale-failed` record, read. */
export interface AttemptRead {
  readonly seq: number;
  readonly at: number;
  readonly groupId: string;
  readonly from: number;
  readonly to: number;
  readonly direction: ScaleDirection;
  readonly decisionId: string;
  readonly reason: string;
}

/** An applied action or a failed attempt, with the decision that asked for it when known. */
export interface AttemptWithDecision extends AttemptRead {
  /** The decision record with the attempt's id, the latest one before it; null when not in the events. */
  readonly decision: DecisionRead | null;
}

/** Everything the analytics read from a list of event records, oldest first. */
export interface ReadEvents {
  /** `decision` records, oldest first. */
  readonly decisions: readonly DecisionRead[];
  /** `scaled` records that changed capacity, oldest first, joined to their decision. */
  readonly applied: readonly AttemptWithDecision[];
  /** `scale-failed` records, oldest first, joined to their decision. */
  readonly failed: readonly AttemptWithDecision[];
  /** Group ids seen in the records read, sorted. */
  readonly groupIds: readonly string[];
}

/** The error every check throws: `path: expected …, got …`. */
export function invalid(path: string, expected: string, got: unknown): RangeError {
  return new RangeError(`${path}: expected ${expected}, got ${describeValue(got)}`);
}

/** A plain object (not null, not an array), for reading fields. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Check an options argument: undefined (→ `{}`) or an object. */
export function checkOptions<T extends object>(value: T | undefined, path: string): Partial<T> {
  if (value === undefined) return {};
  if (!isObject(value)) throw invalid(path, 'an object of options', value);
  return value;
}

/** Check a time: a finite number of ms since the epoch. */
export function checkTime(value: unknown, path: string): number {
  // ±8.64e15 ms is the range a Date can represent.
  if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > 8.64e15)
    throw invalid(path, 'a finite number of ms since the epoch (within ±8.64e15)', value);
  return value;
}

/** Check a range: finite `from` and a `to` after it. */
export function checkRange(value: unknown, path: string): AnalyticsRange {
  if (!isObject(value)) throw invalid(path, 'a range { from, to } of ms since the epoch', value);
  const from = checkTime(value.from, `${path}.from`);
  const to = checkTime(value.to, `${path}.to`);
  if (!(to > from)) throw invalid(`${path}.to`, `a time after ${path}.from (${from})`, to);
  return { from, to };
}

/** Check an optional group id: undefined or a non-empty string. */
export function checkGroupId(value: unknown, path: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw invalid(path, 'a non-empty group id', value);
  return value;
}

/** Check a duration (`"5m"` or ms) that must be longer than 0, and return ms. */
export function checkDuration(value: unknown, path: string): number {
  const ms =
    typeof value === 'string' || typeof value === 'number'
      ? parseDuration(value as string | number)
      : undefined;
  if (ms === undefined || ms <= 0)
    throw invalid(path, 'a duration longer than 0, such as "30s", "5m" or a number of ms', value);
  return ms;
}

/** The widest offset any time zone uses (UTC+14), ms. */
const MAX_UTC_OFFSET = 14 * 3_600_000;

/** Check a fixed offset from UTC: whole ms within ±14 hours. */
export function checkUtcOffset(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || Math.abs(value) > MAX_UTC_OFFSET)
    throw invalid(path, 'a whole number of ms within ±14 hours (±50400000)', value);
  return value;
}

/** Check a target: a finite number greater than 0. */
export function checkTarget(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
    throw invalid(path, 'a finite number greater than 0', value);
  return value;
}

/** Check a tolerance: a number in [0, 1]. */
export function checkTolerance(value: unknown, path: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1))
    throw invalid(path, 'a number in [0, 1]', value);
  return value;
}

/** Check a whole number ≥ `min`. */
export function checkCount(value: unknown, path: string, min = 0): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
    throw invalid(path, `a whole number ≥ ${min}`, value);
  return value;
}

/** Check a finite number ≥ 0. */
export function checkNonNegative(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw invalid(path, 'a finite number ≥ 0', value);
  return value;
}

function field(data: Record<string, unknown>, key: string, path: string, expected: string): unknown {
  if (!(key in data)) throw invalid(`${path}.${key}`, expected, undefined);
  return data[key];
}

function text(data: Record<string, unknown>, key: string, path: string): string {
  const value = field(data, key, path, 'a string');
  if (typeof value !== 'string') throw invalid(`${path}.${key}`, 'a string', value);
  return value;
}

function count(data: Record<string, unknown>, key: string, path: string): number {
  return checkCount(field(data, key, path, 'a whole number ≥ 0'), `${path}.${key}`);
}

/**
 * Read the `decision`, `scaled` and `scale-failed` records out of an event list in any order
 * (`getScalingEvents` returns newest first), oldest first by (`at`, `seq`). Other kinds are
 * skipped unread, so records of kinds added later do not break old analytics. Each applied or
 * failed attempt is joined to the latest `decision` record before it with the same group and id
 * (ids restart when a group is removed and registered again, so the id alone is not enough).
 *
 * @throws RangeError naming the first malformed record field, e.g. `events[3].data.to`
 */
export function readEvents(events: unknown, path = 'events'): ReadEvents {
  if (!Array.isArray(events)) throw invalid(path, 'an array of event records', events);
  type Tagged = { readonly seq: number; readonly at: number; readonly index: number };
  const decisions: (DecisionRead & Tagged)[] = [];
  const attempts: (AttemptRead & Tagged & { readonly failed: boolean })[] = [];
  const groups = new Set<string>();
  for (let index = 0; index < events.length; index++) {
    const record: unknown = events[index];
    const at = `${path}[${index}]`;
    if (!isObject(record)) throw invalid(at, 'an event record', record);
    const kind = record.kind;
    if (kind !== 'decision' && kind !== 'scaled' && kind !== 'scale-failed') {
      if (typeof kind !== 'string') throw invalid(`${at}.kind`, 'an event name', kind);
      continue;
    }
    const time = checkTime(record.at, `${at}.at`);
    const seq = record.seq;
    if (typeof seq !== 'number' || !Number.isFinite(seq)) throw invalid(`${at}.seq`, 'a finite number', seq);
    const groupId = record.groupId;
    if (typeof groupId !== 'string' || groupId === '') throw invalid(`${at}.groupId`, 'a group id', groupId);
    const data = record.data;
    if (!isObject(data)) throw invalid(`${at}.data`, 'an object', data);
    groups.add(groupId);
    if (kind === 'decision') {
      const decision = data.decision;
      const where = `${at}.data.decision`;
      if (!isObject(decision)) throw invalid(where, 'a Decision', decision);
      const direction = decision.direction;
      if (direction !== 'out' && direction !== 'in' && direction !== 'none')
        throw invalid(`${where}.direction`, '"out", "in" or "none"', direction);
      decisions.push({
        seq,
        at: time,
        index,
        groupId,
        id: text(decision, 'id', where),
        direction,
        reason: text(decision, 'reason', where),
        message: text(decision, 'message', where),
        current: count(decision, 'current', where),
      });
      continue;
    }
    const where = `${at}.data`;
    const from = count(data, 'from', where);
    const to = count(data, 'to', where);
    const decisionId = text(data, 'decisionId', where);
    const reason = text(data, 'reason', where);
    // The runtime only applies changes, so from === to is not expected; such a record moved
    // nothing and is not an action in either direction.
    if (from === to) continue;
    attempts.push({
      seq,
      at: time,
      index,
      groupId,
      from,
      to,
      direction: to > from ? 'out' : 'in',
      decisionId,
      reason,
      failed: kind === 'scale-failed',
    });
  }
  const byTime = (a: Tagged, b: Tagged): number => a.at - b.at || a.seq - b.seq || a.index - b.index;
  decisions.sort(byTime);
  attempts.sort(byTime);

  // Walk both lists in time order so each attempt sees only the decisions made before it.
  const latest = new Map<string, DecisionRead>();
  const applied: AttemptWithDecision[] = [];
  const failed: AttemptWithDecision[] = [];
  let d = 0;
  for (const attempt of attempts) {
    while (d < decisions.length && byTime(decisions[d] as Tagged, attempt) <= 0) {
      const decision = decisions[d++] as DecisionRead & Tagged;
      latest.set(key(decision.groupId, decision.id), strip(decision));
    }
    const { failed: isFailure, index: _index, ...read } = attempt;
    const joined: AttemptWithDecision = {
      ...read,
      decision: latest.get(key(attempt.groupId, attempt.decisionId)) ?? null,
    };
    (isFailure ? failed : applied).push(joined);
  }
  return {
    decisions: decisions.map(strip),
    applied,
    failed,
    groupIds: [...groups].sort(),
  };
}

function key(groupId: string, id: string): string {
  return `${groupId}\u0000${id}`;
}

function strip(decision: DecisionRead & { readonly index: number }): DecisionRead {
  const { index: _index, ...rest } = decision;
  return rest;
}

/** Whether `at` lies in `range` (`from` inclusive, `to` exclusive); always true without a range. */
export function inRange(at: number, range: AnalyticsRange | undefined): boolean {
  return range === undefined || (at >= range.from && at < range.to);
}

export type { LatencyStats } from '../core/statistics.js';
export { latencyStats } from '../core/statistics.js';
