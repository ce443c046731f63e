import { TidewayError } from '../errors.js';

/**
 * A trace read from a `timestamp,value` CSV: parallel arrays, timestamps in ms since the epoch,
 * strictly increasing.
 */
export interface Trace {
  /** Milliseconds since the Unix epoch, strictly increasing. */
  readonly timestamps: number[];
  /** The value of each row, finite. */
  readonly values: number[];
}

/**
 * A CSV trace was rejected. `line` is the 1-based line of the file the problem is on (0 when
 * it concerns the whole file).
 */
export class CsvError extends TidewayError {
  /** 1-based line number, or 0 for the whole file. */
  readonly line: number;

  /** @param line 1-based line number (0: the whole file); @param problem one sentence */
  constructor(line: number, problem: string) {
    super('TRACE_INVALID', line > 0 ? `line ${line}: ${problem}` : problem);
    this.line = line;
  }
}

const TIMESTAMP_EXPECTED =
  'a timestamp (YYYY-MM-DD HH:MM:SS read as UTC, ISO 8601 such as 2014-07-01T00:00:00Z, or epoch seconds or milliseconds)';

// Date, then optionally a time after a space or `T`, then optionally a zone. Without a zone the
// time is read as UTC: trace files such as NAB's carry local times with no zone, and reading
// them as UTC keeps every printed time equal to the one in the file, on any machine.
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const EPOCH = /^\d+(?:\.\d+)?$/;

// Epoch numbers below this are seconds, at or above it milliseconds: 1e11 seconds is the year
// 5138, while 1e11 milliseconds is March 1973, before any trace worth replaying.
const EPOCH_MS_FROM = 1e11;

/**
 * Read one timestamp cell: `YYYY-MM-DD HH:MM:SS` (UTC), ISO 8601 with `T` and an optional
 * zone (`Z`, `+02:00`, `+0200`; UTC without one), a bare date (UTC midnight), or epoch seconds
 * or milliseconds (a number below 1e11 is seconds). Returns ms since the epoch, or undefined
 * when the cell is none of those or names a day or time that does not exist.
 *
 * @example
 * parseTimestamp('2014-07-01 00:30:00'); // 1404174600000
 * parseTimestamp('1404174600');          // 1404174600000
 */
export function parseTimestamp(text: string): number | undefined {
  if (EPOCH.test(text)) {
    const n = Number(text);
    if (!Number.isFinite(n)) return undefined;
    return Math.round(n < EPOCH_MS_FROM ? n * 1000 : n);
  }
  const m = ISO.exec(text);
  if (m === null) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  const ms = frac === '' ? 0 : Math.round(Number(`0.${frac}`) * 1000);
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Date.UTC rolls 2014-02-30 over to March; a day that does not exist is an error instead.
  if (new Date(utc).getUTCDate() !== day) return undefined;
  return utc - zoneOffset(zone);
}

function zoneOffset(zone: string | undefined): number {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
}

/** Render ms since the epoch as `YYYY-MM-DD HH:MM:SS` in UTC, as trace files write times. */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

function cell(text: string): string {
  const trimmed = text.trim();
  // A quoted cell: drop the quotes (quoted commas are not supported; traces have none).
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')
    ? trimmed.slice(1, -1).replace(/""/g, '"').trim()
    : trimmed;
}

function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/**
 * Parse a trace CSV. The first non-blank line is a header naming the columns `timestamp` and
 * `value` (any order, any case; other columns are ignored). Each later non-blank line is one
 * row; blank lines are skipped. Timestamps are read by {@link parseTimestamp} and must strictly
 * increase; values must be finite numbers. Every error names the line it is on.
 *
 * @throws CsvError on the first problem found
 * @example
 * parseTraceCsv('timestamp,value\n2014-07-01 00:00:00,10844\n');
 * // { timestamps: [1404172800000], values: [10844] }
 */
export function parseTraceCsv(text: string): Trace {
  const lines = text.split(/\r?\n/);
  if (lines[0]?.startsWith('\uFEFF')) lines[0] = lines[0].slice(1);

  let index = 0;
  while (index < lines.length && (lines[index] as string).trim() === '') index++;
  if (index === lines.length) {
    throw new CsvError(0, 'expected a header line "timestamp,value", got an empty file');
  }
  const headerLine = index + 1;
  const header = (lines[index] as string).split(',').map((name) => cell(name).toLowerCase());
  const timeColumn = header.indexOf('timestamp');
  const valueColumn = header.indexOf('value');
  if (timeColumn < 0 || valueColumn < 0) {
    throw new CsvError(
      headerLine,
      `expected a header with the columns "timestamp" and "value", got ${quote((lines[index] as string).trim())}`,
    );
  }

  const timestamps: number[] = [];
  const values: number[] = [];
  let previousLine = 0;
  for (index++; index < lines.length; index++) {
    const raw = lines[index] as string;
    if (raw.trim() === '') continue;
    const line = index + 1;
    const cells = raw.split(',');
    if (cells.length !== header.length) {
      throw new CsvError(
        line,
        `expected ${header.length} columns as in the header, got ${cells.length} in ${quote(raw.trim())}`,
      );
    }
    const timeText = cell(cells[timeColumn] as string);
    const timestamp = parseTimestamp(timeText);
    if (timestamp === undefined) {
      throw new CsvError(
        line,
        `expected ${TIMESTAMP_EXPECTED} in column "timestamp", got ${quote(timeText)}`,
      );
    }
    const valueText = cell(cells[valueColumn] as string);
    // Number('') is 0 and Number('0x1f') is 31; neither is a number a trace means.
    const value = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(valueText) ? Number(valueText) : Number.NaN;
    if (!Number.isFinite(value)) {
      throw new CsvError(line, `expected a number in column "value", got ${quote(valueText)}`);
    }
    const previous = timestamps[timestamps.length - 1];
    if (previous !== undefined && timestamp <= previous) {
      throw new CsvError(
        line,
        `expected a timestamp after ${formatTimestamp(previous)} (line ${previousLine}), got ${quote(timeText)}` +
          (timestamp === previous ? ' (the same instant)' : ' (earlier)') +
          '; rows must be in strictly increasing time order',
      );
    }
    timestamps.push(timestamp);
    values.push(value);
    previousLine = line;
  }
  if (timestamps.length === 0) {
    throw new CsvError(0, `expected at least one row after the header (line ${headerLine}), got none`);
  }
  return { timestamps, values };
}
