import type { Decision, ReasonCode, ScaleDirection } from '../core/types.js';
import { AutoScalingManager } from '../runtime/manager.js';
import { formatTimestamp, parseTraceCsv } from '../sim/trace-csv.js';
import { InMemoryMetricsProvider } from '../testing/in-memory-metrics.js';
import { ManualClock } from '../testing/manual-clock.js';
import { RecordingResourceController } from '../testing/recording-controller.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;

/** Options of {@link runDemo}. Every number has a default that suits the bundled taxi trace. */
export interface DemoOptions {
  /** How the trace is named in the output. @default 'trace' */
  readonly traceName?: string;
  /** How many table rows to print; 0 leaves the table out. @default 24 */
  readonly rows?: number;
  /** Time between table rows, in ms. @default 7_200_000 (2 h; 24 rows cover the first 2 days) */
  readonly rowEvery?: number;
  /** The load one unit serves at its SLO, in the trace's unit. @default 1000 */
  readonly capacityPerUnit?: number;
  /** The share of `capacityPerUnit` the policy fills: `targetPerUnit = capacityPerUnit × this`. @default 0.8 */
  readonly targetUtilization?: number;
  /** How long a launched unit takes to become ready, in ms. @default 300_000 (5 min) */
  readonly provisioningDelay?: number;
  /** How often the manager evaluates, in ms. @default 300_000 (5 min) */
  readonly evaluationInterval?: number;
}

/** One decision as the demo keeps it (the full `Decision` minus proposals and trace). */
export interface DemoDecision {
  /** When, ms since the epoch. */
  readonly at: number;
  /** Capacity before. */
  readonly current: number;
  /** Capacity decided. */
  readonly desired: number;
  /** `out`, `in` or `none`. */
  readonly direction: ScaleDirection | 'none';
  /** Stable reason code. */
  readonly reason: ReasonCode;
  /** One sentence. */
  readonly message: string;
}

/**
 * What one replay measured. Every quantity is exact for the replay (no sampling) and is defined
 * over the replay span `[start, end)`:
 *
 * - `load(t)`: the value of the last trace row at or before `t` (a step function). The last row
 *   holds for one more step, `end − lastTimestamp` = the trace's final spacing, so each row
 *   covers one interval and `end − start` is the trace's full length.
 * - `desired(t)`: the capacity the controller was asked to run at `t` (after every change made
 *   at `t`). Units are paid from launch, so this is what a bill counts.
 * - `ready(t)`: units launched at least `provisioningDelay` ago and not removed (removals are
 *   immediate and cancel pending launches first, as `RecordingResourceController` does).
 */
export interface DemoSummary {
  /** The trace's name as given. */
  readonly traceName: string;
  /** Rows in the trace. */
  readonly rows: number;
  /** First timestamp, ms since the epoch. */
  readonly start: number;
  /** End of the replay span, ms since the epoch (see above). */
  readonly end: number;
  /** `(end − start)` in hours. */
  readonly durationHours: number;
  /** Highest value in the trace. */
  readonly peakLoad: number;
  /** Timestamp of the first row holding `peakLoad`. */
  readonly peakAt: number;
  /** Load one unit serves at its SLO. */
  readonly capacityPerUnit: number;
  /** The target-tracking rule's `targetPerUnit`. */
  readonly targetPerUnit: number;
  /** The group's `minCapacity` (1). */
  readonly minCapacity: number;
  /** The group's `maxCapacity`: `max(min, ceil(peakLoad / targetPerUnit))`, enough to hold the target at the peak. */
  readonly maxCapacity: number;
  /** Units running when the replay starts: `ceil(load(start) / targetPerUnit)` within [min, max]. */
  readonly initialCapacity: number;
  /** ms a launched unit takes to become ready. */
  readonly provisioningDelay: number;
  /** ms between evaluations. */
  readonly evaluationInterval: number;
  /** The rule's metric window, ms: the largest spacing between rows, at least 30 min. */
  readonly ruleWindow: number;
  /** ∫ desired(t) dt over the span, in unit-hours. */
  readonly unitHours: number;
  /** `unitHours / durationHours`. */
  readonly averageUnits: number;
  /** The largest `desired(t)`. */
  readonly maxUnits: number;
  /** Size of a static fleet that serves the peak: `max(min, ceil(peakLoad / capacityPerUnit))`. */
  readonly staticUnits: number;
  /** `staticUnits × durationHours`. */
  readonly staticUnitHours: number;
  /** `100 × (1 − unitHours / staticUnitHours)`. */
  readonly savingPercent: number;
  /** Minutes of the span with `ready(t) × capacityPerUnit < load(t)`. */
  readonly underProvisionedMinutes: number;
  /** `underProvisionedMinutes` as a percentage of the span. */
  readonly underProvisionedPercent: number;
  /** Accepted capacity increases (`scaled` events with `to > from`). */
  readonly scaleOuts: number;
  /** Accepted capacity decreases (`scaled` events with `to < from`). */
  readonly scaleIns: number;
  /** Decisions made (one per evaluation). */
  readonly decisions: number;
  /** Decisions by reason code. */
  readonly reasons: Readonly<Partial<Record<ReasonCode, number>>>;
}

/** What {@link runDemo} returns. */
export interface DemoResult {
  /** The sample table (empty when `rows` is 0). */
  readonly table: string;
  /** The numbers. */
  readonly summary: DemoSummary;
  /** Everything to print: introduction, table and summary. */
  readonly text: string;
  /** Every decision, oldest first. */
  readonly decisions: readonly DemoDecision[];
}

const GROUP = 'demo';
const METRIC = 'load';

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name}: expected a number > 0, got ${value}`);
  }
  return value;
}

/**
 * Replay a `timestamp,value` trace as the load on one scaling group, through the real
 * `AutoScalingManager` on a `ManualClock`, and measure what the policy cost and how often it
 * fell short. Deterministic: the same input always gives the same text.
 *
 * The group: one target-tracking rule on the load with `targetPerUnit = capacityPerUnit ×
 * targetUtilization` (statistic `last`, so each evaluation sees `load(now)` exactly), the
 * default behaviour (Kubernetes': scale-out by at most max(4 units, 100 %) per 15 s; a 5-min
 * scale-down stabilization window, which at a 5-min interval holds nothing back because it keeps
 * only recommendations strictly newer than now − 5 min), min 1, max enough for the peak; a
 * `RecordingResourceController` whose units are ready `provisioningDelay` after launch.
 *
 * @throws CsvError for a malformed trace; RangeError for bad options
 * @example
 * const { text, summary } = await runDemo(csv, { traceName: 'nyc_taxi', rows: 12 });
 */
export async function runDemo(csvText: string, options: DemoOptions = {}): Promise<DemoResult> {
  const traceName = options.traceName ?? 'trace';
  const rowCount = options.rows ?? 24;
  if (!Number.isInteger(rowCount) || rowCount < 0) {
    throw new RangeError(`rows: expected a whole number ≥ 0, got ${rowCount}`);
  }
  const rowEvery = positive('rowEvery', options.rowEvery ?? 2 * HOUR);
  const capacityPerUnit = positive('capacityPerUnit', options.capacityPerUnit ?? 1000);
  const utilization = positive('targetUtilization', options.targetUtilization ?? 0.8);
  const provisioningDelay = options.provisioningDelay ?? 5 * MINUTE;
  if (!Number.isInteger(provisioningDelay) || provisioningDelay < 0) {
    throw new RangeError(`provisioningDelay: expected a whole number ≥ 0 of ms, got ${provisioningDelay}`);
  }
  const evaluationInterval = positive('evaluationInterval', options.evaluationInterval ?? 5 * MINUTE);
  const targetPerUnit = capacityPerUnit * utilization;

  const { timestamps, values } = parseTraceCsv(csvText);
  const n = timestamps.length;
  if (n < 2) throw new RangeError(`trace: expected at least 2 rows to replay, got ${n}`);
  const start = timestamps[0] as number;
  const last = timestamps[n - 1] as number;
  const end = last + (last - (timestamps[n - 2] as number));
  let peakLoad = values[0] as number;
  let peakAt = start;
  let largestGap = 0;
  for (let i = 1; i < n; i++) {
    const v = values[i] as number;
    if (v > peakLoad) {
      peakLoad = v;
      peakAt = timestamps[i] as number;
    }
    largestGap = Math.max(largestGap, (timestamps[i] as number) - (timestamps[i - 1] as number));
  }
  const minCapacity = 1;
  const maxCapacity = Math.max(minCapacity, Math.ceil(peakLoad / targetPerUnit));
  const clamp = (units: number) => Math.min(maxCapacity, Math.max(minCapacity, units));
  // Start with the fleet the first row needs, as a service already running would be; starting
  // from the minimum would charge the policy for a cold start the trace does not contain.
  const initialCapacity = clamp(Math.ceil((values[0] as number) / targetPerUnit));
  // The window reaches back over the largest gap between rows, so every evaluation has the
  // latest row in it; with `last`, the rule then reads exactly load(now).
  const ruleWindow = Math.max(30 * MINUTE, largestGap);

  const clock = new ManualClock(start);
  const metrics = new InMemoryMetricsProvider({ series: { [METRIC]: { timestamps, values } } });
  const controller = new RecordingResourceController({
    clock,
    initial: initialCapacity,
    provisioningDelay,
    record: false,
  });
  const manager = new AutoScalingManager({ metrics, controller, clock, scheduler: clock });
  manager.registerScalingGroup({
    id: GROUP,
    minCapacity,
    maxCapacity,
    evaluationInterval,
    rules: [
      { kind: 'target-tracking', metric: METRIC, targetPerUnit, window: ruleWindow, statistic: 'last' },
    ],
  });

  const decisions: DemoDecision[] = [];
  const reasons: Partial<Record<ReasonCode, number>> = {};
  manager.on('decision', (d: Decision) => {
    decisions.push({
      at: d.at,
      current: d.current,
      desired: d.desired,
      direction: d.direction,
      reason: d.reason,
      message: d.message,
    });
    reasons[d.reason] = (reasons[d.reason] ?? 0) + 1;
  });

  // The fleet as a step function: a snapshot of the controller at every instant it can change
  // (start, each accepted change, each launch becoming ready). Several at one instant: the
  // last one holds from then on.
  const fleet: { at: number; desired: number; ready: number }[] = [];
  const snapshot = () => fleet.push({ at: clock.now(), ...controller.capacityOf(GROUP) });
  snapshot();
  let scaleOuts = 0;
  let scaleIns = 0;
  manager.on('scaled', (event) => {
    snapshot();
    if (event.to > event.from) {
      scaleOuts++;
      if (provisioningDelay > 0) clock.setTimeout(snapshot, provisioningDelay);
    } else {
      scaleIns++;
    }
  });

  // The fakes never fail, so any failure means the numbers below would be wrong: refuse them.
  const failures: string[] = [];
  manager.on('error', (event) => failures.push(event.error.message));
  manager.on('scale-failed', (event) => failures.push(event.error.message));

  manager.start();
  // Run every evaluation and readiness change strictly before `end` (times are whole ms).
  await clock.advanceToAsync(end - 1);
  await manager.stop();
  if (failures.length > 0) {
    throw new Error(`the replay reported ${failures.length} failure(s); the first: ${failures[0]}`);
  }

  // Integrate over the merged breakpoints of load(t) and the fleet, both step functions.
  let unitMs = 0;
  let underMs = 0;
  let maxUnits = 0;
  let i = 0;
  let j = 0;
  for (let t = start; t < end; ) {
    while (i + 1 < n && (timestamps[i + 1] as number) <= t) i++;
    while (j + 1 < fleet.length && (fleet[j + 1] as { at: number }).at <= t) j++;
    const units = fleet[j] as { desired: number; ready: number };
    const next = Math.min(
      end,
      i + 1 < n ? (timestamps[i + 1] as number) : end,
      j + 1 < fleet.length ? (fleet[j + 1] as { at: number }).at : end,
    );
    const span = next - t;
    unitMs += units.desired * span;
    if (units.ready * capacityPerUnit < (values[i] as number)) underMs += span;
    maxUnits = Math.max(maxUnits, units.desired);
    t = next;
  }

  const durationHours = (end - start) / HOUR;
  const unitHours = unitMs / HOUR;
  const staticUnits = Math.max(minCapacity, Math.ceil(peakLoad / capacityPerUnit));
  const staticUnitHours = staticUnits * durationHours;
  const summary: DemoSummary = {
    traceName,
    rows: n,
    start,
    end,
    durationHours,
    peakLoad,
    peakAt,
    capacityPerUnit,
    targetPerUnit,
    minCapacity,
    maxCapacity,
    initialCapacity,
    provisioningDelay,
    evaluationInterval,
    ruleWindow,
    unitHours,
    averageUnits: unitHours / durationHours,
    maxUnits,
    staticUnits,
    staticUnitHours,
    savingPercent: 100 * (1 - unitHours / staticUnitHours),
    underProvisionedMinutes: underMs / MINUTE,
    underProvisionedPercent: (100 * underMs) / (end - start),
    scaleOuts,
    scaleIns,
    decisions: decisions.length,
    reasons,
  };

  const table =
    rowCount === 0
      ? ''
      : renderTable({ start, end, rowCount, rowEvery, timestamps, values, fleet, decisions });
  const text = [
    ...renderIntro(summary),
    '',
    ...(table === '' ? [] : [table, '']),
    ...renderSummary(summary),
  ].join('\n');
  return { table, summary, text, decisions };
}

/** The value of the last point at or before `t` in a sorted step function (index −1: none). */
function indexAt(times: readonly number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((times[mid] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

function renderTable(args: {
  start: number;
  end: number;
  rowCount: number;
  rowEvery: number;
  timestamps: readonly number[];
  values: readonly number[];
  fleet: readonly { at: number; desired: number; ready: number }[];
  decisions: readonly DemoDecision[];
}): string {
  const { timestamps, values, fleet, decisions } = args;
  const fleetTimes = fleet.map((f) => f.at);
  const decisionTimes = decisions.map((d) => d.at);
  const header = ['time (UTC)', 'load', 'units', 'ready', 'decision'];
  const rows: string[][] = [];
  for (let k = 0; k < args.rowCount; k++) {
    const t = args.start + k * args.rowEvery;
    if (t >= args.end) break;
    const load = values[indexAt(timestamps, t)] as number;
    const units = fleet[indexAt(fleetTimes, t)] as { desired: number; ready: number };
    const d = decisions[indexAt(decisionTimes, t)];
    let decision = '-';
    if (d !== undefined) {
      decision = d.direction === 'none' ? d.reason : `${d.reason} ${d.current}→${d.desired}`;
      if (d.at !== t) decision += ` (at ${formatTimestamp(d.at).slice(11, 16)})`;
    }
    rows.push([
      formatTimestamp(t).slice(0, 16),
      formatNumber(load),
      String(units.desired),
      String(units.ready),
      decision,
    ]);
  }
  const right = [false, true, true, true, false];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] as string).length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((text, c) => (right[c] ? text.padStart(widths[c] as number) : text.padEnd(widths[c] as number)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function renderIntro(s: DemoSummary): string[] {
  const span = `${formatTimestamp(s.start).slice(0, 16)} → ${formatTimestamp(s.end).slice(0, 16)} UTC`;
  return [
    `tideway demo: replaying ${s.traceName}`,
    `  ${formatNumber(s.rows)} rows, ${span} (${formatDays(s.durationHours)}); ` +
      `peak load ${formatNumber(s.peakLoad)} at ${formatTimestamp(s.peakAt).slice(0, 16)}`,
    `  policy: target tracking at ${formatNumber(s.targetPerUnit)} per unit ` +
      `(${formatNumber((100 * s.targetPerUnit) / s.capacityPerUnit)} % of the ${formatNumber(s.capacityPerUnit)} a unit serves), ` +
      `units ${s.minCapacity}–${s.maxCapacity}, evaluated every ${formatMinutes(s.evaluationInterval)}, ` +
      `new units ready after ${formatMinutes(s.provisioningDelay)}`,
  ];
}

function renderSummary(s: DemoSummary): string[] {
  const rows: [string, string][] = [
    [
      'unit-hours used',
      `${formatNumber(s.unitHours, 1)} (average ${formatNumber(s.averageUnits, 1)} units, at most ${s.maxUnits})`,
    ],
    [
      'static fleet for the peak',
      `${formatNumber(s.staticUnitHours, 1)} (${s.staticUnits} units × ${formatNumber(s.durationHours, 1)} h)`,
    ],
    ['saving', `${formatNumber(s.savingPercent, 1)} %`],
    [
      'under-provisioned',
      `${formatNumber(s.underProvisionedMinutes, 1)} min (${formatNumber(s.underProvisionedPercent, 3)} % of the time)`,
    ],
    ['scale-outs / scale-ins', `${formatNumber(s.scaleOuts)} / ${formatNumber(s.scaleIns)}`],
    ['decisions', formatNumber(s.decisions)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return [
    'summary (exact, over the whole replay):',
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
    '  (units are paid from launch; under-provisioned: ready units × capacity per unit < load)',
  ];
}

/** Thousands separated by commas, fixed decimals; independent of the machine's locale. */
function formatNumber(value: number, decimals = 0): string {
  const fixed = Math.abs(value).toFixed(decimals);
  const [whole = '0', fraction] = fixed.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const sign = value < 0 && Number(fixed) !== 0 ? '-' : '';
  return `${sign}${grouped}${fraction !== undefined ? `.${fraction}` : ''}`;
}

function formatDays(hours: number): string {
  const days = hours / 24;
  return Number.isInteger(days) ? `${days} days` : `${formatNumber(hours, 1)} h`;
}

function formatMinutes(ms: number): string {
  const minutes = ms / MINUTE;
  return Number.isInteger(minutes) ? `${minutes} min` : `${ms / 1000} s`;
}
