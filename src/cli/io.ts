/**
 * What the CLI touches, injected so every command can be tested without a process or files.
 * Only `main.ts` builds the real one; the commands read and write through it.
 */
export interface CliIo {
  /** Write normal output (a line or block, without the trailing newline). */
  readonly stdout: (text: string) => void;
  /** Write errors, warnings and usage hints (without the trailing newline). */
  readonly stderr: (text: string) => void;
  /** Read a whole text file. */
  readonly readFile: (path: string) => Promise<string>;
  /**
   * Write a whole text file, replacing it. Commands that write (`simulate --report`, `--json`)
   * fail with a message when it is missing.
   */
  readonly writeFile?: (path: string, text: string) => Promise<void>;
  /**
   * Whether stderr is a terminal. Progress is drawn only then, so logs and pipes stay clean.
   * @default false
   */
  readonly isTTY?: boolean;
  /**
   * Write to stderr exactly as given (no newline added), so the progress line can be redrawn in
   * place with `\r`. Without it, progress falls back to one `stderr` line per update.
   */
  readonly stderrWrite?: (chunk: string) => void;
  /** Where the bundled NYC taxi trace is, or undefined when it is not installed. */
  readonly bundledTrace?: string | undefined;
}

/** Exit codes: 0 done, 1 the command failed (bad file or data), 2 it was called wrongly. */
export const EXIT_OK = 0;
/** The command ran and failed: an unreadable file, a malformed trace or config. */
export const EXIT_FAILED = 1;
/** Usage error: unknown command or option, a missing option, or a bad option value. */
export const EXIT_USAGE = 2;
