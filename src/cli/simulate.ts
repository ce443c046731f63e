import { basename, extname } from 'node:path';
import { formatDuration, parseDuration } from '../core/duration.js';
import { ConfigError } from '../errors.js';
import { metricQueries } from '../rules/registry.js';
import { BASELINES } from '../sim/baselines.js';
import { compare, formatComparison } from '../sim/compare.js';
import { renderReport, reportData } from '../sim/report.js';
import { simulate } from '../sim/simulate.js';
import { CsvError, formatTimestamp, type Trace } from '../sim/trace-csv.js';
import { SIMULATED_METRICS } from '../sim/trace-metrics.js';
import type {
  BaselineName,
  ComparisonResult,
  DelaySpec,
  FleetOptions,
  PolicySpec,
  SimulationResult,
} from '../sim/types.js';
import {
  durationOption,
  integerOption,
  listOption,
  parseCommandArgs,
  positiveNumberOption,
  UsageError,
} from './args.js';
import { type CliIo, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './io.js';
import { readPolicyFile } from './policy-file.js';
import { createProgress } from './progress.js';
import { formatNumber, formatSummary } from './summary.js';
import { GAP_FACTOR, readLoadTrace, traceGaps } from './trace.js';

const PREFIX = 'tideway simulate: ';

/** The one-line synopsis printed with every usage error. */
export const SIMULATE_USAGE_LINE =
  'Usage: tideway simulate --trace <csv> --config <file|baseline> [--capacity-per-unit <n>] [--delay <d>] ' +
  '[--compare <a,b>] [--baseline <name>] [--seed <n>] [--warmup <d>] [--report <html>] [--json <file>]';

const HINT = "Run 'tideway simulate --help' for details.";

/** `tideway simulate --help`. */
export const SIMULATE_HELP = `Usage: tideway simulate --trace <csv> --config <file|baseline> [options]

Replays a load trace through a scaling policy against a simulated fleet, and scores it: the SPEC RG
elasticity metrics (θU, θO, τU, τO, κ, jitter), SLO-violation minutes, unserved load, billed
unit-hours and cost. With --compare, also runs baselines on the same trace and prints a table.

Options:
  --trace <path>           The load, a CSV with the header 'timestamp,value'. Times: ISO 8601,
                           'YYYY-MM-DD HH:MM:SS' (read as UTC) or epoch seconds/ms; strictly
                           increasing; steps may be irregular. The load holds from one row to the
                           next; metrics are sampled every min(median step, 60s, the policy's
                           evaluationInterval). Required.
  --config <path|name>     The policy: a JSON scaling group config (id optional; default: the
                           file's base name), or {"group": {...}, "fleet": {...}} to give the
                           fleet too. Or a baseline name instead of a path (write ./hpa-like for
                           a file of that name): static-peak, static-mean, oracle, oracle-lead,
                           hpa-like, react, hist, reg. Required.
  --capacity-per-unit <n>  Load one ready unit serves at its SLO, in the trace's unit per step.
                           Overrides fleet.capacityPerUnit; one of the two is required.
  --delay <duration>       Provisioning delay, launch to ready: 90s, 5m, 0. Overrides
                           fleet.provisioningDelay. Default: the file's, else 0. With --compare,
                           repeat it or list several (30s,5m) to compare at each.
  --compare <a,b,...>      Also run these baselines on the trace and print a comparison table
                           instead of the summary.
  --baseline <name>        With --compare: speedups are against this policy (a baseline, or the
                           --config policy's name). Default: hpa-like, run even when not listed.
  --seed <n>               Seed of the random delay draws (fleet delay distributions). Default: 1.
  --warmup <duration>      Leading time left out of the scores (every policy still runs it),
                           e.g. 1d. Default: 0.
  --report <path>          Write a self-contained HTML report (no external references).
  --json <path>            Write the report's data as JSON (format "tideway.report": the scores
                           and the series as the report draws them).
  -h, --help               Show this help.

Exit codes: 0 done; 1 bad input (unreadable file, malformed trace or config); 2 usage error.
See docs/cli.md for the file formats.`;

interface SimulateArgs {
  readonly trace: string;
  readonly config: string;
  readonly delays: readonly DelaySpec[];
  readonly capacityPerUnit: number | undefined;
  readonly compare: readonly BaselineName[] | undefined;
  readonly baseline: string | undefined;
  readonly seed: number | undefined;
  readonly warmup: string | number | undefined;
  readonly report: string | undefined;
  readonly json: string | undefined;
}

function isBaseline(name: string): name is BaselineName {
  return (BASELINES as readonly string[]).includes(name);
}

/** Read and check the options; a problem with them is a {@link UsageError}. */
function parseSimulateArgs(argv: readonly string[]): SimulateArgs | 'help' {
  const { values } = parseCommandArgs(
    argv,
    {
      trace: { type: 'string' },
      config: { type: 'string' },
      delay: { type: 'string', multiple: true },
      'capacity-per-unit': { type: 'string' },
      compare: { type: 'string', multiple: true },
      baseline: { type: 'string' },
      seed: { type: 'string' },
      warmup: { type: 'string' },
      report: { type: 'string' },
      json: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    false,
  );
  if (values.help === true) return 'help';
  if (values.trace === undefined) throw new UsageError('missing --trace <csv>: the load trace to replay');
  if (values.config === undefined) {
    throw new UsageError('missing --config <file|baseline>: the policy to simulate');
  }
  const delays = listOption(values.delay).map((text) => durationOption('--delay', text));
  let compareWith: BaselineName[] | undefined;
  if (values.compare !== undefined) {
    const names = listOption(values.compare);
    if (names.length === 0) throw new UsageError('--compare: expected baseline names such as hpa-like,react');
    compareWith = names.map((name) => {
      if (!isBaseline(name)) {
        throw new UsageError(
          `--compare: unknown baseline ${JSON.stringify(name)}; expected one of ${BASELINES.join(', ')}`,
        );
      }
      return name;
    });
  }
  if (compareWith === undefined && delays.length > 1) {
    throw new UsageError(`--delay: expected one delay without --compare, got ${delays.length}`);
  }
  if (compareWith === undefined && values.baseline !== undefined) {
    throw new UsageError('--baseline: only applies with --compare');
  }
  return {
    trace: values.trace,
    config: values.config,
    delays,
    capacityPerUnit:
      values['capacity-per-unit'] === undefined
        ? undefined
        : positiveNumberOption('--capacity-per-unit', values['capacity-per-unit']),
    compare: compareWith,
    baseline: values.baseline,
    seed: values.seed === undefined ? undefined : integerOption('--seed', values.seed),
    warmup: values.warmup === undefined ? undefined : durationOption('--warmup', values.warmup),
    report: values.report,
    json: values.json,
  };
}

function usage(io: CliIo, message: string): number {
  io.stderr(`${PREFIX}${message}\n${SIMULATE_USAGE_LINE}\n${HINT}`);
  return EXIT_USAGE;
}

function failed(io: CliIo, lines: readonly string[]): number {
  io.stderr(lines.map((line) => PREFIX + line).join('\n'));
  return EXIT_FAILED;
}

async function read(io: CliIo, path: string): Promise<string | Error> {
  try {
    return await io.readFile(path);
  } catch (error) {
    return error as Error;
  }
}

/** The policy `--config` names, with the label it goes by and the fleet its file gives. */
type LoadedPolicy = {
  readonly policy: PolicySpec;
  readonly label: string;
  readonly fileFleet: Partial<FleetOptions>;
  readonly fromFile: boolean;
};

async function loadPolicy(io: CliIo, path: string): Promise<LoadedPolicy | string[]> {
  if (isBaseline(path)) return { policy: path, label: path, fileFleet: {}, fromFile: false };
  const text = await read(io, path);
  if (text instanceof Error) return [`cannot read ${JSON.stringify(path)}: ${text.message}`];
  const file = readPolicyFile(text, basename(path, extname(path)));
  if (!file.ok) return file.problems.map((problem) => `${path}: ${problem}`);
  const { group, label, fleet, resolvedGroup, wrapped } = file.policy;
  // A rule on a metric the simulator does not offer sees no data and never scales: say so.
  const offered = SIMULATED_METRICS as readonly string[];
  const unknown = metricQueries(resolvedGroup.rules)
    .map((q) => q.name)
    .filter((name) => !offered.includes(name));
  if (unknown.length > 0) {
    io.stderr(
      `${PREFIX}warning: ${path}: ${wrapped ? 'group.' : ''}rules read ${unknown.map((n) => JSON.stringify(n)).join(', ')}, ` +
        `which the simulator does not offer (it offers ${offered.join(', ')}); those rules will see no data`,
    );
  }
  return { policy: group, label, fileFleet: fleet, fromFile: true };
}

async function loadTrace(io: CliIo, path: string): Promise<Trace | string[]> {
  const text = await read(io, path);
  if (text instanceof Error) return [`cannot read ${JSON.stringify(path)}: ${text.message}`];
  try {
    return readLoadTrace(text);
  } catch (error) {
    if (error instanceof CsvError) return [`${path}: ${error.message}`];
    throw error;
  }
}

/**
 * `tideway simulate`: replay a trace through one policy and print its scores, or through it and
 * some baselines and print a comparison; optionally write an HTML report and its JSON data.
 *
 * @returns the exit code
 * @example
 * await simulateCommand(['--trace', 'load.csv', '--config', 'hpa-like', '--capacity-per-unit', '100'], io);
 */
export async function simulateCommand(argv: readonly string[], io: CliIo): Promise<number> {
  let args: SimulateArgs | 'help';
  try {
    args = parseSimulateArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) return usage(io, error.message);
    throw error;
  }
  if (args === 'help') {
    io.stdout(SIMULATE_HELP);
    return EXIT_OK;
  }

  const loaded = await loadPolicy(io, args.config);
  if (Array.isArray(loaded)) return failed(io, loaded);
  const capacityPerUnit = args.capacityPerUnit ?? loaded.fileFleet.capacityPerUnit;
  if (capacityPerUnit === undefined) {
    return usage(
      io,
      loaded.fromFile
        ? `capacity per unit is not set: pass --capacity-per-unit <n> or set fleet.capacityPerUnit in ${args.config}`
        : 'capacity per unit is not set: pass --capacity-per-unit <n> (a baseline has no fleet settings)',
    );
  }
  const names: string[] = [];
  if (args.compare !== undefined) {
    if (loaded.fromFile && isBaseline(loaded.label)) {
      return failed(io, [
        `${args.config}: the policy is named ${JSON.stringify(loaded.label)}, as a baseline is; give the group another id to compare it`,
      ]);
    }
    names.push(loaded.label, ...args.compare.filter((name) => name !== loaded.label));
    if (args.baseline !== undefined && !names.includes(args.baseline) && !isBaseline(args.baseline)) {
      return usage(
        io,
        `--baseline: expected one of the compared policies (${names.join(', ')}) or a baseline (${BASELINES.join(', ')}), got ${JSON.stringify(args.baseline)}`,
      );
    }
  }

  const trace = await loadTrace(io, args.trace);
  if (Array.isArray(trace)) return failed(io, trace);
  const traceName = basename(args.trace);
  const gaps = traceGaps(trace.timestamps);
  const first = trace.timestamps[0] as number;
  const length = (trace.timestamps[trace.timestamps.length - 1] as number) + gaps.step - first;
  if (args.warmup !== undefined && (parseDuration(args.warmup) as number) >= length) {
    return failed(io, [
      `--warmup: expected a warm-up shorter than the trace (${traceName} spans ${formatDuration(length)}), got ${JSON.stringify(String(args.warmup))}`,
    ]);
  }
  if (gaps.count > 0) {
    io.stderr(
      `${PREFIX}warning: ${traceName} has ${formatNumber(gaps.count)} gap${gaps.count === 1 ? '' : 's'} longer than ` +
        `${GAP_FACTOR}× its median step of ${formatDuration(gaps.step)} (${gaps.count === 1 ? '' : 'the longest: '}` +
        `${formatDuration(gaps.longest)} from ${formatTimestamp(gaps.longestAt)}); the load is held across gaps`,
    );
  }

  const fleet: FleetOptions = {
    ...loaded.fileFleet,
    capacityPerUnit,
    ...(args.delays.length === 1 ? { provisioningDelay: args.delays[0] as DelaySpec } : {}),
  };
  const common = {
    ...(args.seed !== undefined ? { seed: args.seed } : {}),
    ...(args.warmup !== undefined ? { warmup: args.warmup } : {}),
  };
  const progress = createProgress(io, PREFIX, 'runs');
  let output: SimulationResult | ComparisonResult;
  try {
    if (args.compare === undefined) {
      progress.status(`simulating ${loaded.label} on ${traceName}…`);
      output = await simulate({
        trace,
        policy: loaded.policy,
        fleet,
        name: `${loaded.label} on ${traceName}`,
        ...common,
      });
    } else {
      const baseline = args.baseline ?? 'hpa-like';
      const policyCount = names.length + (names.includes(baseline) ? 0 : 1);
      // Show the empty bar at once: the first run of a long trace can take a while.
      progress.update(0, policyCount * Math.max(1, args.delays.length));
      output = await compare({
        traces: [{ name: traceName, trace }],
        policies: names.map((name) =>
          name === loaded.label ? { name, policy: loaded.policy } : { name, policy: name as BaselineName },
        ),
        fleet,
        ...(args.delays.length > 0 ? { delays: args.delays } : {}),
        baseline,
        ...common,
        keepResults: args.report !== undefined || args.json !== undefined,
        onProgress: (done, total) => progress.update(done, total),
      });
    }
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return failed(
      io,
      error.issues.map((issue) => issue.message),
    );
  } finally {
    progress.finish();
  }
  if (output.format === 'tideway.simulation') {
    io.stdout(formatSummary(output, traceName));
  } else {
    const policyCount = new Set(output.runs.map((run) => run.policy)).size;
    const perUnit = formatNumber(capacityPerUnit, Number.isInteger(capacityPerUnit) ? 0 : 2);
    io.stdout(
      `tideway simulate: ${policyCount} policies on ${traceName}, ${perUnit} per unit, seed ${args.seed ?? 1}\n\n${formatComparison(output)}`,
    );
  }

  for (const [path, kind, render] of [
    [args.report, 'report', () => renderReport(output)],
    [args.json, 'data', () => reportData(output)],
  ] as const) {
    if (path === undefined) continue;
    if (io.writeFile === undefined)
      return failed(io, [`cannot write ${JSON.stringify(path)}: no file output here`]);
    try {
      await io.writeFile(path, render());
    } catch (error) {
      return failed(io, [`cannot write ${JSON.stringify(path)}: ${(error as Error).message}`]);
    }
    io.stdout(`${kind} written to ${path}`);
  }
  return EXIT_OK;
}
