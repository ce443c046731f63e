import { medianStep } from '../sim/simulate.js';
import { CsvError, parseTraceCsv, type Trace } from '../sim/trace-csv.js';

/** Gaps in a trace: steps longer than {@link GAP_FACTOR} × its median step. */
export interface TraceGaps {
  /** The trace's median step, ms. */
  readonly step: number;
  /** How many steps are gaps. */
  readonly count: number;
  /** The longest step, ms (0 when there are no gaps). */
  readonly longest: number;
  /** Where the longest gap starts, ms since the epoch. */
  readonly longestAt: number;
}

/** A step longer than this many median steps is a gap worth a warning. */
export const GAP_FACTOR = 3;

/**
 * Parse a load trace for the simulator: {@link parseTraceCsv}, plus loads must not be negative
 * (the simulator's rule), reported with the line like every other CSV problem.
 *
 * @throws CsvError naming the line
 * @example
 * readLoadTrace('timestamp,value\n2026-01-01 00:00:00,5\n'); // { timestamps: [1767225600000], values: [5] }
 */
export function readLoadTrace(text: string): Trace {
  const trace = parseTraceCsv(text);
  const row = trace.values.findIndex((v) => v < 0);
  if (row >= 0) {
    throw new CsvError(
      lineOfRow(text, row),
      `expected a load ≥ 0 in column "value", got ${JSON.stringify(String(trace.values[row]))}`,
    );
  }
  return trace;
}

/** The 1-based line of data row `row` (0-based), counted as parseTraceCsv counts: blank lines skipped, the first non-blank is the header. */
function lineOfRow(text: string, row: number): number {
  const lines = text.split(/\r?\n/);
  let seen = -1; // -1: the header is still to come
  for (let i = 0; i < lines.length; i++) {
    if ((lines[i] as string).trim() === '') continue;
    if (seen === row) return i + 1;
    seen++;
  }
  return 0;
}

/**
 * Find the gaps of a trace. The simulator holds the load across a gap (a step function), which
 * may not be what the data meant, so the CLI warns about them.
 *
 * @example
 * traceGaps([0, 60_000, 120_000, 600_000]); // { step: 60000, count: 1, longest: 480000, longestAt: 120000 }
 */
export function traceGaps(timestamps: readonly number[]): TraceGaps {
  const step = medianStep(timestamps);
  let count = 0;
  let longest = 0;
  let longestAt = 0;
  for (let i = 1; i < timestamps.length; i++) {
    const from = timestamps[i - 1] as number;
    const gap = (timestamps[i] as number) - from;
    if (gap <= GAP_FACTOR * step) continue;
    count++;
    if (gap > longest) {
      longest = gap;
      longestAt = from;
    }
  }
  return { step, count, longest, longestAt };
}
