import { defaultPolicy } from '../sim/baselines.js';
import { compare, formatComparison } from '../sim/compare.js';
import { renderReport } from '../sim/report.js';
import { demandSeries } from '../sim/scores.js';
import { formatTimestamp, parseTraceCsv } from '../sim/trace-csv.js';
import type { BaselineName, ComparisonResult, SimulationResult } from '../sim/types.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Options of {@link runDemo}. Every number has a default that suits the bundled taxi trace. */
export interface DemoOptions {
  /** How the trace is named in the output. @default 'trace' */
  readonly traceName?: string;
  /** How many rows the decision table prints; 0 leaves it out. @default 24 */
  readonly rows?: number;
  /** Time between table rows, ms. @default 7_200_000 (2 h: 24 rows cover the first 2 days) */
  readonly rowEvery?: number;
  /** Load one unit serves at its SLO, in the trace's unit. @default 1000 */
  readonly capacityPerUnit?: number;
  /** Launch to ready, ms. @default 300_000 (5 min) */
  readonly provisioningDelay?: number;
  /** Replay the last this-many days of the trace; 0 replays all of it. @default 28 */
  readonly days?: number;
  /** Baselines to compare against. @default hpa-like, react, static-peak, oracle-lead */
  readonly baselines?: readonly BaselineName[];
}

/** The default policy's run in numbers (from its simulation scores). */
export interface DemoSummary {
  /** The trace's name. */
  readonly traceName: string;
  /** Rows replayed. */
  readonly points: number;
  /** First replayed instant, ms. */
  readonly from: number;
  /** End of the replay, ms. */
  readonly to: number;
  /** Billed unit-hours of the default policy. */
  readonly unitHours: number;
  /** Unit-hours of a static fleet sized for the peak demand. */
  readonly staticPeakUnitHours: number;
  /** Size of that static fleet. */
  readonly staticPeakUnits: number;
  /** 1 − unitHours / staticPeakUnitHours. */
  readonly savingVsStaticPeak: number;
  /** Minutes with load above what ready units serve. */
  readonly underProvisionedMinutes: number;
  /** Capacity increases. */
  readonly scaleOuts: number;
  /** Capacity decreases. */
  readonly scaleIns: number;
}

/** What {@link runDemo} produces. */
export interface DemoResult {
  /** The decision table of the default policy. */
  readonly table: string;
  /** The default policy's numbers. */
  readonly summary: DemoSummary;
  /** The comparison with the baselines, as data. */
  readonly comparison: ComparisonResult;
  /** The HTML report of the comparison (the CLI writes it to report.html). */
  readonly report: string;
  /** Everything to print. */
  readonly text: string;
}

/**
 * The demo: replay a trace through tideway's default policy and the baselines on the real
 * manager and simulated fleet (`compare` from `tideway/sim`), and render a decision table, a
 * summary, the comparison table and an HTML report. Pure: the caller reads the CSV and writes the
 * report.
 *
 * @throws CsvError for a malformed CSV
 * @example
 * const { text, report } = await runDemo(readFileSync('examples/data/nab_nyc_taxi.csv', 'utf8'));
 */
export async function runDemo(csvText: string, options: DemoOptions = {}): Promise<DemoResult> {
  const traceName = options.traceName ?? 'trace';
  const c = options.capacityPerUnit ?? 1000;
  const delay = options.provisioningDelay ?? 300_000;
  const days = options.days ?? 28;
  const full = parseTraceCsv(csvText);
  const last = full.timestamps[full.timestamps.length - 1] as number;
  const first = days > 0 ? full.timestamps.findIndex((t) => t >= last - days * DAY) : 0;
  const trace = { timestamps: full.timestamps.slice(first), values: full.values.slice(first) };
  const peakDemand = Math.max(
    1,
    ...demandSeries({ times: trace.timestamps, values: trace.values }, c).values,
  );

  const comparison = await compare({
    traces: [{ name: traceName, trace }],
    policies: [
      { name: 'tideway-default', policy: defaultPolicy({ capacityPerUnit: c, peakDemand }) },
      ...(options.baselines ?? (['hpa-like', 'react', 'static-peak', 'oracle-lead'] as const)),
    ],
    delays: [delay],
    fleet: { capacityPerUnit: c },
    baseline: 'hpa-like',
    keepResults: true,
  });
  const result = comparison.results?.[0] as SimulationResult;
  const s = result.scores;
  const summary: DemoSummary = {
    traceName,
    points: result.trace.points,
    from: result.trace.start,
    to: result.trace.end,
    unitHours: s.billedUnitHours,
    staticPeakUnitHours: s.staticPeakUnitHours,
    staticPeakUnits: Math.round((s.staticPeakUnitHours * HOUR) / s.duration),
    savingVsStaticPeak: s.staticPeakUnitHours > 0 ? 1 - s.billedUnitHours / s.staticPeakUnitHours : 0,
    underProvisionedMinutes: s.sloViolationMinutes,
    scaleOuts: s.scaleOuts,
    scaleIns: s.scaleIns,
  };
  const table = decisionTable(result, options.rows ?? 24, options.rowEvery ?? 2 * HOUR);
  const lines = [
    `tideway demo: ${traceName}, ${summary.points} points from ${formatTimestamp(summary.from)} to ${formatTimestamp(summary.to)} (UTC)`,
    `policy tideway-default: target tracking on load, ${0.8 * c} per unit (capacity ${c} per unit), units ready ${delay / 60_000} min after launch`,
    '',
  ];
  if (table !== '') lines.push(table, '');
  lines.push(
    `unit-hours used:        ${fmt(summary.unitHours, 1)} (billed from launch)`,
    `static peak fleet:      ${fmt(summary.staticPeakUnitHours, 1)} (${summary.staticPeakUnits} units all the time)`,
    `saving vs static peak:  ${(summary.savingVsStaticPeak * 100).toFixed(1)} %`,
    `under-provisioned:      ${fmt(summary.underProvisionedMinutes, 0)} min (${((summary.underProvisionedMinutes * 60_000 * 100) / s.duration).toFixed(2)} % of the time)`,
    `scale-outs / scale-ins: ${summary.scaleOuts} / ${summary.scaleIns}`,
    '',
    formatComparison(comparison),
  );
  return {
    table,
    summary,
    comparison,
    report: renderReport(comparison, { title: `tideway demo: ${traceName}` }),
    text: lines.join('\n'),
  };
}

/**
 * Rows every `every` ms from the start: time, load, desired and ready capacity as sampled at
 * that instant (samples come before ticks), and the last capacity change before it (`-` before
 * the first).
 */
function decisionTable(result: SimulationResult, rows: number, every: number): string {
  if (rows <= 0) return '';
  const { timeline, decisions } = result;
  const out = [['time (UTC)', 'load', 'capacity', 'ready', 'last change']];
  let sample = 0;
  let change = -1;
  for (let r = 0; r < rows; r++) {
    const t = result.trace.start + r * every;
    if (t >= result.trace.end) break;
    while (sample + 1 < timeline.times.length && (timeline.times[sample + 1] as number) <= t) sample++;
    while (change + 1 < decisions.length && (decisions[change + 1]?.at as number) < t) change++;
    const d = decisions[change];
    out.push([
      formatTimestamp(t).slice(0, 16),
      fmt(timeline.load[sample] as number, 0),
      String(timeline.desired[sample]),
      String(timeline.ready[sample]),
      d === undefined ? '-' : `${d.reason} ${d.from}→${d.to}`,
    ]);
  }
  const widths = (out[0] as string[]).map((_, i) => Math.max(...out.map((row) => (row[i] as string).length)));
  return out
    .map((row) =>
      row
        .map((cell, i) =>
          i >= 1 && i <= 3 ? cell.padStart(widths[i] as number) : cell.padEnd(widths[i] as number),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function fmt(value: number, digits: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
