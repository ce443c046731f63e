import { existsSync, realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CsvError } from '../sim/trace-csv.js';
import { runDemo } from './demo.js';

/**
 * What the CLI touches, injected so `run` can be tested without a process or files.
 */
export interface CliIo {
  /** Write normal output (a line or block, without the trailing newline). */
  readonly stdout: (text: string) => void;
  /** Write errors and usage hints (without the trailing newline). */
  readonly stderr: (text: string) => void;
  /** Read a whole text file. */
  readonly readFile: (path: string) => Promise<string>;
  /** Where the bundled NYC taxi trace is, or undefined when it is not installed. */
  readonly bundledTrace?: string | undefined;
}

/** Exit codes: 0 done, 1 the command failed (bad file or data), 2 it was called wrongly. */
export const EXIT_OK = 0;
/** The command ran and failed: an unreadable file, a malformed trace. */
export const EXIT_FAILED = 1;
/** Usage error: unknown command or option, or a bad option value. */
export const EXIT_USAGE = 2;

const BUNDLED_NAME =
  'the bundled NYC taxi trace: passengers per 30 min (Numenta Anomaly Benchmark, nyc_taxi.csv, MIT)';

const USAGE = `Usage: tideway <command> [options]

Commands:
  demo       Replay a load trace through the autoscaler and report what it cost

Options:
  -h, --help Show help (also: tideway <command> --help)

Run 'tideway demo --help' for the demo's options.`;

const DEMO_USAGE = `Usage: tideway demo [--trace <path>] [--rows <N>]

Replays a timestamp,value CSV as the load on one scaling group: a target-tracking policy (each
unit serves 1,000 per step at its SLO; the policy targets 800), evaluated every 5 minutes, with
units that take 5 minutes to become ready. Prints sample rows every 2 hours and a summary.

Options:
  --trace <path>  The CSV to replay (header 'timestamp,value'; times as YYYY-MM-DD HH:MM:SS
                  read as UTC, ISO 8601, or epoch seconds/ms). Default: the bundled NYC taxi
                  trace (examples/data/nab_nyc_taxi.csv).
  --rows <N>      How many table rows to print, one every 2 hours. Default: 24 (the first
                  2 days); 0 prints the summary only.
  -h, --help      Show this help.`;

function usageError(io: CliIo, message: string, help: string): number {
  io.stderr(`${message}\n${help}`);
  return EXIT_USAGE;
}

const HELP_HINT = "Run 'tideway --help' for usage.";
const DEMO_HELP_HINT = "Run 'tideway demo --help' for usage.";

/**
 * Run the `tideway` command with `argv` (the arguments after the program name).
 *
 * @returns the exit code: {@link EXIT_OK}, {@link EXIT_FAILED} or {@link EXIT_USAGE}
 * @example
 * const code = await run(['demo', '--rows', '4'], { stdout: console.log, stderr: console.error, readFile });
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) return usageError(io, 'tideway: expected a command', `\n${USAGE}`);
  if (command === '-h' || command === '--help' || command === 'help') {
    io.stdout(USAGE);
    return EXIT_OK;
  }
  if (command === 'demo') return demo(rest, io);
  const what = command.startsWith('-') ? 'option' : 'command';
  return usageError(
    io,
    `tideway: unknown ${what} ${JSON.stringify(command)}; expected a command such as "demo"`,
    HELP_HINT,
  );
}

async function demo(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parseDemoArgs>;
  try {
    parsed = parseDemoArgs(argv);
  } catch (error) {
    // parseArgs names the offending option in its message ("Unknown option '--x'").
    return usageError(io, `tideway demo: ${(error as Error).message}`, DEMO_HELP_HINT);
  }
  const { values } = parsed;
  if (values.help === true) {
    io.stdout(DEMO_USAGE);
    return EXIT_OK;
  }
  let rows: number | undefined;
  if (values.rows !== undefined) {
    rows = /^\d+$/.test(values.rows) ? Number(values.rows) : Number.NaN;
    if (!Number.isSafeInteger(rows)) {
      return usageError(
        io,
        `tideway demo: --rows: expected a whole number ≥ 0, got ${JSON.stringify(values.rows)}`,
        DEMO_HELP_HINT,
      );
    }
  }
  const path = values.trace ?? io.bundledTrace;
  if (path === undefined) {
    io.stderr(
      'tideway demo: the bundled trace examples/data/nab_nyc_taxi.csv is not installed here; pass --trace <path>',
    );
    return EXIT_FAILED;
  }

  let csv: string;
  try {
    csv = await io.readFile(path);
  } catch (error) {
    io.stderr(`tideway demo: cannot read ${JSON.stringify(path)}: ${(error as Error).message}`);
    return EXIT_FAILED;
  }
  try {
    const traceName = values.trace === undefined ? BUNDLED_NAME : path;
    const result = await runDemo(csv, rows === undefined ? { traceName } : { traceName, rows });
    io.stdout(result.text);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CsvError || error instanceof RangeError) {
      io.stderr(`tideway demo: ${path}: ${error.message}`);
      return EXIT_FAILED;
    }
    throw error;
  }
}

function parseDemoArgs(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: {
      trace: { type: 'string' },
      rows: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: false,
    strict: true,
  });
}

/** The bundled trace, from the source tree (src/cli/) or the build (dist/), when present. */
function findBundledTrace(): string | undefined {
  for (const relative of ['../../examples/data/nab_nyc_taxi.csv', '../examples/data/nab_nyc_taxi.csv']) {
    const path = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(path)) return path;
  }
  return undefined;
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    // realpath both: npm's bin is a symlink to the built file.
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  const io: CliIo = {
    stdout: (text) => process.stdout.write(`${text}\n`),
    stderr: (text) => process.stderr.write(`${text}\n`),
    readFile: (path) => readFile(path, 'utf8'),
    bundledTrace: findBundledTrace(),
  };
  run(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`tideway: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
      process.exitCode = EXIT_FAILED;
    },
  );
}
