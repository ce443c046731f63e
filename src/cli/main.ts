import { existsSync, realpathSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError } from '../errors.js';
import { CsvError } from '../sim/trace-csv.js';
import { runDemo } from './demo.js';
import { type CliIo, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './io.js';
import { SIMULATE_HELP, simulateCommand } from './simulate.js';
import { VALIDATE_HELP, validateCommand } from './validate.js';

export type { CliIo } from './io.js';
export { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './io.js';

const BUNDLED_NAME =
  'the bundled NYC taxi trace: passengers per 30 min (Numenta Anomaly Benchmark, nyc_taxi.csv, MIT)';

const USAGE = `Usage: tideway <command> [options]

Commands:
  simulate   Replay a load trace through a policy (or compare policies) and score it
  validate   Check a policy file and print it with defaults filled in
  demo       Replay a load trace through the autoscaler and report what it cost

Options:
  -h, --help Show help (also: tideway <command> --help, tideway help <command>)

Exit codes: 0 done; 1 bad input (file, trace, config); 2 usage error.`;

const DEMO_USAGE = `Usage: tideway demo [--trace <path>] [--days <N>] [--rows <N>] [--report <path>]

Replays a timestamp,value CSV through tideway's default policy (target tracking on the load,
800 per unit where a unit serves 1,000 per trace step at its SLO) and the baselines hpa-like,
react, static-peak and oracle-lead, on the real manager against a simulated fleet whose units
take 5 minutes to become ready. Prints the default policy's decisions every 2 hours, a summary
(unit-hours against a static peak-sized fleet, minutes under-provisioned), the comparison table,
and writes an HTML report.

Options:
  --trace <path>   The CSV to replay (header 'timestamp,value'; times as YYYY-MM-DD HH:MM:SS
                   read as UTC, ISO 8601, or epoch seconds/ms). Default: the bundled NYC taxi
                   trace (examples/data/nab_nyc_taxi.csv).
  --days <N>       Replay the last N days of the trace; 0 replays all of it. Default: 28.
  --rows <N>       How many table rows to print, one every 2 hours. Default: 24 (the first
                   2 days); 0 leaves the table out.
  --report <path>  Where to write the HTML report. Default: report.html.
  -h, --help       Show this help.`;

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
 * const code = await run(['validate', 'policy.json'], { stdout: console.log, stderr: console.error, readFile });
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) return usageError(io, 'tideway: expected a command', `\n${USAGE}`);
  if (command === '-h' || command === '--help' || command === 'help') {
    const topic = command === 'help' ? rest[0] : undefined;
    if (topic !== undefined && Object.hasOwn(COMMAND_HELP, topic)) {
      io.stdout(COMMAND_HELP[topic as keyof typeof COMMAND_HELP]);
      return EXIT_OK;
    }
    if (topic !== undefined) return unknownCommand(io, topic);
    io.stdout(USAGE);
    return EXIT_OK;
  }
  switch (command) {
    case 'simulate':
      return simulateCommand(rest, io);
    case 'validate':
      return validateCommand(rest, io);
    case 'demo':
      return demo(rest, io);
    default:
      return unknownCommand(io, command);
  }
}

const COMMAND_HELP = { simulate: SIMULATE_HELP, validate: VALIDATE_HELP, demo: DEMO_USAGE } as const;

function unknownCommand(io: CliIo, command: string): number {
  const what = command.startsWith('-') ? 'option' : 'command';
  return usageError(
    io,
    `tideway: unknown ${what} ${JSON.stringify(command)}; expected one of ${Object.keys(COMMAND_HELP).join(', ')}`,
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
  const whole = (flag: string, text: string | undefined): number | undefined | null => {
    if (text === undefined) return undefined;
    const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (Number.isSafeInteger(n)) return n;
    usageError(
      io,
      `tideway demo: --${flag}: expected a whole number ≥ 0, got ${JSON.stringify(text)}`,
      DEMO_HELP_HINT,
    );
    return null;
  };
  const rows = whole('rows', values.rows);
  const days = whole('days', values.days);
  if (rows === null || days === null) return EXIT_USAGE;
  const reportPath = values.report ?? 'report.html';
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
    const traceName = values.trace === undefined ? 'nab_nyc_taxi.csv' : path;
    if (values.trace === undefined) io.stdout(`source: ${BUNDLED_NAME}`);
    const result = await runDemo(csv, {
      traceName,
      ...(rows !== undefined ? { rows } : {}),
      ...(days !== undefined ? { days } : {}),
    });
    io.stdout(result.text);
    if (io.writeFile !== undefined) {
      try {
        await io.writeFile(reportPath, result.report);
      } catch (error) {
        io.stderr(`tideway demo: cannot write ${JSON.stringify(reportPath)}: ${(error as Error).message}`);
        return EXIT_FAILED;
      }
      io.stdout(
        `\nreport written to ${reportPath} (open it in a browser; it loads nothing from the network)`,
      );
    }
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CsvError || error instanceof RangeError || error instanceof ConfigError) {
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
      days: { type: 'string' },
      report: { type: 'string' },
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
  // `tideway simulate … | head` closes stdout early: the reader has what it wanted, so stop
  // quietly instead of dying on an unhandled EPIPE.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? EXIT_OK);
  });
  const io: CliIo = {
    stdout: (text) => process.stdout.write(`${text}\n`),
    stderr: (text) => process.stderr.write(`${text}\n`),
    readFile: (path) => readFile(path, 'utf8'),
    writeFile: (path, text) => writeFile(path, text, 'utf8'),
    isTTY: process.stderr.isTTY === true,
    stderrWrite: (chunk) => process.stderr.write(chunk),
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
