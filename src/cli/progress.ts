import type { CliIo } from './io.js';

/**
 * One progress line: a bar, the count and what is being counted.
 *
 * @example
 * progressLine(3, 12, 'runs', 12); // '[###.........] 3/12 runs'
 */
export function progressLine(done: number, total: number, what: string, width = 24): string {
  const share = total > 0 ? Math.min(1, Math.max(0, done / total)) : 1;
  const filled = Math.round(share * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${what}`;
}

/** Draws progress on stderr, or does nothing. */
export interface Progress {
  /** Show a line of text (a status without a count). */
  status(text: string): void;
  /** Show the bar at `done` of `total`. */
  update(done: number, total: number): void;
  /** Take the progress line away, so what follows starts on a clean line. */
  finish(): void;
}

const NO_PROGRESS: Progress = { status() {}, update() {}, finish() {} };

// Carriage return, then erase the whole line (ANSI EL 2).
const CLEAR_LINE = '\r\u001b[2K';

/**
 * A progress display for long runs, drawn only when stderr is a terminal: with
 * `io.stderrWrite` it redraws one line in place and erases it at the end; without it, each
 * update is a line of its own. When stderr is not a terminal nothing is written at all, so a
 * log or a pipe gets only the results.
 *
 * @param prefix put before every line, e.g. `tideway simulate: `
 * @param what what the bar counts, e.g. `runs`
 */
export function createProgress(io: CliIo, prefix: string, what: string): Progress {
  if (io.isTTY !== true) return NO_PROGRESS;
  const write = io.stderrWrite;
  let drawn = false;
  const show = (text: string) => {
    if (write === undefined) {
      io.stderr(prefix + text);
      return;
    }
    write(CLEAR_LINE + prefix + text);
    drawn = true;
  };
  return {
    status: show,
    update: (done, total) => show(progressLine(done, total, what)),
    finish() {
      if (write !== undefined && drawn) write(CLEAR_LINE);
      drawn = false;
    },
  };
}
