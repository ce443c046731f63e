/**
 * Self-contained HTML reports of simulation and comparison results.
 *
 * Everything here is a pure function of its input: no I/O, no clock, no randomness, so the same
 * result always renders to the same bytes. A page carries its CSS and SVG inline and references
 * nothing outside itself (a Content-Security-Policy of `default-src 'none'` makes sure of it), so
 * it can be attached to a CI run, mailed, or opened from disk with no network.
 *
 * @packageDocumentation
 */
import { argumentError } from '../config/issues.js';
import type {
  ComparisonResult,
  ComparisonRun,
  DelaySpec,
  ForecastBand,
  LatencyStats,
  ParetoPoint,
  SimulationDecision,
  SimulationResult,
  SimulationScores,
} from './types.js';

// --- public surface ------------------------------------------------------------------------------

/**
 * Vertices each plotted series may have at most, unless {@link ReportOptions.maxPoints} says
 * otherwise. 1,200 is above the pixel width of a chart, so nothing visible is lost.
 */
export const DEFAULT_MAX_POINTS = 1200;

/**
 * Rows the decision table lists at most per run; the rest are counted in a note. Every decision
 * is still marked on the decision strip.
 */
export const DECISION_TABLE_ROWS = 100;

/** Options of {@link renderReport} and {@link reportData}. */
export interface ReportOptions {
  /**
   * The page's heading and `<title>`.
   * @default `tideway simulation — <run name>` or `tideway comparison — <n> runs`
   */
  readonly title?: string;
  /**
   * Vertices each plotted series may have at most (an integer ≥ 8); see {@link downsample}.
   * @default 1200
   */
  readonly maxPoints?: number;
}

/**
 * A forecast to draw over a run's load: the mean and a band, at `times` (ms, increasing), in the
 * trace's unit like `timeline.load` (the chart divides it by capacity per unit, as it does load).
 * Not part of {@link SimulationResult} yet; a result carrying a `forecast` field of this shape is
 * drawn with it (see {@link forecastOf}).
 *
 * @example
 * const forecast: ForecastBand = { times: [0, 60_000], mean: [10, 12], lower: [8, 9], upper: [12, 15] };
 */
export type { ForecastBand } from './types.js';

/**
 * How a series is drawn: `line` joins the vertices; `step` holds each value until the next time
 * (a piecewise-constant series such as units), so {@link downsample} adds the corners.
 */
export type SeriesShape = 'line' | 'step';

/** The vertices {@link downsample} keeps: parallel arrays, times increasing. */
export interface DownsampledSeries {
  /** ms since the epoch, increasing (equal for the two vertices of a step corner). */
  readonly times: number[];
  /** The value at each vertex. */
  readonly values: number[];
}

/**
 * Reduce a series to the vertices a chart draws, at most `maxPoints` of them, deterministically:
 *
 * 1. Points whose time or value is not finite, or whose time does not increase, are dropped.
 * 2. Points that change nothing on screen are dropped (lossless): for `line`, a point equal to
 *    both neighbours; for `step`, a point equal to the one before (the last point is kept so the
 *    series reaches the end).
 * 3. If more remain than the budget (`maxPoints` for `line`, ⌊(maxPoints + 1) / 2⌋ for `step`),
 *    the first and last points are kept and the rest are split into ⌊(budget − 2) / 2⌋ buckets
 *    of equal *time*; each bucket keeps its minimum and its maximum (the first on ties), in time
 *    order. This is M4 without first/last per bucket: a spike of a single sample survives.
 *    For `step`, step 2 is applied again.
 * 4. For `step`, a corner vertex `(tᵢ, vᵢ₋₁)` is put before each vertex whose value changed, so
 *    a polyline through the result draws the steps; this at most doubles the count, which the
 *    halved budget allows for.
 *
 * @param times ms, increasing
 * @param values one per time (extra entries of the longer array are ignored)
 * @param maxPoints an integer ≥ 8
 * @param shape @default 'line'
 * @throws ConfigError (`ARGUMENT_INVALID`) when `maxPoints` is not an integer ≥ 8
 * @example
 * // 14 points, budget 8: first, last, and the min and max of 3 buckets; the spike of 9 survives
 * const times = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
 * downsample(times, [0, 1, 9, 2, 3, 2, 1, 0, 4, -3, 2, 1, 2, 5], 8).values; // [0, 1, 9, 0, 4, -3, 2, 5]
 * downsample([0, 10, 20], [1, 1, 3], 10, 'step'); // { times: [0, 20, 20], values: [1, 1, 3] }
 */
export function downsample(
  times: readonly number[],
  values: readonly number[],
  maxPoints: number,
  shape: SeriesShape = 'line',
): DownsampledSeries {
  assertMaxPoints(maxPoints);
  const n = Math.min(times.length, values.length);
  let keep: number[] = [];
  let lastTime = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const t = num(times, i);
    if (Number.isFinite(t) && Number.isFinite(num(values, i)) && t > lastTime) {
      keep.push(i);
      lastTime = t;
    }
  }
  keep = shape === 'step' ? stepChanges(keep, values) : dropFlat(keep, values);
  const budget = shape === 'step' ? Math.floor((maxPoints + 1) / 2) : maxPoints;
  if (keep.length > budget) {
    keep = minMaxBuckets(keep, times, values, budget);
    if (shape === 'step') keep = stepChanges(keep, values);
  }
  const out: DownsampledSeries = { times: [], values: [] };
  for (let j = 0; j < keep.length; j++) {
    const i = keep[j] ?? 0;
    if (shape === 'step' && j > 0) {
      const previous = num(values, keep[j - 1] ?? 0);
      if (previous !== num(values, i)) {
        out.times.push(num(times, i));
        out.values.push(previous);
      }
    }
    out.times.push(num(times, i));
    out.values.push(num(values, i));
  }
  return out;
}

/**
 * Whether `value` has the shape of a {@link ForecastBand}: four arrays of numbers of one length.
 *
 * @example
 * isForecastBand({ times: [0], mean: [1], lower: [0], upper: [2] }); // true
 * isForecastBand({ times: [0], mean: [1] }); // false
 */
export function isForecastBand(value: unknown): value is ForecastBand {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const arrays = [v.times, v.mean, v.lower, v.upper];
  const length = Array.isArray(v.times) ? v.times.length : -1;
  return arrays.every(
    (a) => Array.isArray(a) && a.length === length && a.every((x) => typeof x === 'number'),
  );
}

/**
 * The forecast a result carries in a `forecast` field, when it has one of the shape of a
 * {@link ForecastBand} with at least one point; otherwise undefined.
 *
 * @example
 * forecastOf({ ...result, forecast: { times: [t], mean: [5], lower: [4], upper: [7] } }); // the band
 * forecastOf(result); // undefined
 */
export function forecastOf(result: unknown): ForecastBand | undefined {
  if (typeof result !== 'object' || result === null || !('forecast' in result)) return undefined;
  const forecast = (result as { readonly forecast: unknown }).forecast;
  return isForecastBand(forecast) && forecast.times.length > 0 ? forecast : undefined;
}

/**
 * The data a report page shows, as JSON: the downsampled series exactly as drawn, the decision
 * markers and the rows listed, the scores, and for a comparison the runs, win rates and Pareto
 * front. Object keys are sorted and nested objects indented by 2 spaces; arrays of plain values
 * stay on one line to keep large series compact. Numbers that JSON cannot hold are written as the
 * strings `"Infinity"`, `"-Infinity"` and `"NaN"`. The page embeds the same JSON in
 * `<script type="application/json" id="tideway-data">`.
 *
 * @throws ConfigError (`ARGUMENT_INVALID`) for an input that is neither format, or a bad option
 * @example
 * const data = JSON.parse(reportData(result)); // data.kind === 'simulation'
 */
export function reportData(input: SimulationResult | ComparisonResult, options: ReportOptions = {}): string {
  return stableJson(buildView(input, options));
}

/**
 * Render a simulation or comparison result as one self-contained HTML page (inline CSS and SVG,
 * no script, no external reference).
 *
 * A simulation shows load (÷ capacity per unit) against demand, ready, desired and paid units,
 * with a forecast band when the result carries one; cumulative cost; every applied decision on a
 * strip plus a table of the first {@link DECISION_TABLE_ROWS}; and every score with its unit. A
 * comparison shows every run with its key scores and speedup, the win rates, the cost-vs-SLO
 * Pareto front of each trace and delay as a scatter, and each run's charts when `results` is
 * present. Each plotted series is one `<polyline>` (the forecast band one `<path>`) carrying
 * `data-series`, `data-run` and `data-points` (its vertex count, see {@link downsample}).
 *
 * @throws ConfigError (`ARGUMENT_INVALID`) for an input that is neither format, or a bad option
 * @example
 * await writeFile('report.html', renderReport(simulate(options), { title: 'nightly' }));
 */
export function renderReport(
  input: SimulationResult | ComparisonResult,
  options: ReportOptions = {},
): string {
  const view = buildView(input, options);
  const body = view.kind === 'simulation' ? simulationBody(view) : comparisonBody(view);
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    // Belt and braces: even a bug here cannot make the page fetch anything.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(view.title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<h1>${esc(view.title)}</h1>`,
    body,
    `<script type="application/json" id="tideway-data">${jsonForHtml(stableJson(view))}</script>`,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

// System fonts only: a web font would be an external reference.
const CSS = `
:root { color-scheme: light; }
body { margin: 0; background: #f9fafb; color: #111827; font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; }
main { max-width: 1000px; margin: 0 auto; padding: 16px 20px 40px; background: #fff; }
h1 { font-size: 22px; margin: 8px 0 12px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #e5e7eb; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 20px 0 6px; }
h4 { font-size: 14px; margin: 16px 0 6px; }
section.run + section.run { margin-top: 32px; }
svg { display: block; width: 100%; height: auto; overflow: visible; }
svg.chart { max-width: 960px; }
svg.scatter { max-width: 470px; }
.grid { display: flex; flex-wrap: wrap; gap: 12px; }
figure { margin: 0; flex: 1 1 440px; max-width: 470px; }
figcaption { text-align: center; font-size: 13px; color: #374151; }
table { border-collapse: collapse; margin: 6px 0; font-size: 13px; }
th, td { border-bottom: 1px solid #e5e7eb; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f3f4f6; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.meaning { color: #4b5563; }
tr.front td { background: #eff6ff; }
tr.out td:nth-child(4) { color: #15803d; }
tr.in td:nth-child(4) { color: #c2410c; }
.star { color: #2563eb; }
.tag { font-size: 11px; background: #e5e7eb; border-radius: 3px; padding: 0 4px; }
.note, .lead { color: #4b5563; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; font-size: 13px; margin: 8px 0; }
dl.facts dt { color: #6b7280; }
dl.facts dd { margin: 0; }
td.barcell { width: 240px; }
.bar { display: block; height: 10px; background: #2563eb; border-radius: 2px; }
code { font-size: 12px; }
`.trim();

// --- the view: exactly what the page shows ------------------------------------------------------

interface SeriesView extends DownsampledSeries {
  readonly shape: SeriesShape;
}

interface RunView {
  readonly name: string;
  readonly policy: string;
  readonly seed: number;
  readonly trace: SimulationResult['trace'];
  readonly fleet: SimulationResult['fleet'];
  readonly scored: SimulationResult['scored'];
  /** The charts' time axis. */
  readonly domain: { readonly start: number; readonly end: number };
  /** By `data-series` name, except the band, stored as its two bounds. */
  readonly series: Readonly<Record<string, SeriesView>>;
  readonly decisions: {
    readonly count: number;
    readonly markers: {
      readonly scaleOut: number[];
      readonly scaleIn: number[];
      readonly unchanged: number[];
    };
    readonly rows: SimulationDecision[];
    readonly notListed: number;
  };
  readonly scores: SimulationScores;
}

interface SimulationView {
  readonly format: 'tideway.report';
  readonly version: 1;
  readonly kind: 'simulation';
  readonly title: string;
  readonly maxPoints: number;
  readonly run: RunView;
}

interface RunRowView extends ComparisonRun {
  readonly pareto: boolean;
}

interface ComparisonView {
  readonly format: 'tideway.report';
  readonly version: 1;
  readonly kind: 'comparison';
  readonly title: string;
  readonly maxPoints: number;
  readonly baseline: string;
  readonly runs: RunRowView[];
  /** Highest first, ties by policy. */
  readonly winRates: { readonly policy: string; readonly rate: number }[];
  readonly pareto: readonly ParetoPoint[];
  readonly results?: RunView[];
}

type View = SimulationView | ComparisonView;

function buildView(input: SimulationResult | ComparisonResult, options: ReportOptions): View {
  const maxPoints = options.maxPoints ?? DEFAULT_MAX_POINTS;
  assertMaxPoints(maxPoints);
  if (options.title !== undefined && typeof options.title !== 'string') {
    throw argumentError('options.title', 'a string', options.title, 'report argument');
  }
  const format = (input as { readonly format?: unknown } | null)?.format;
  if (format === 'tideway.simulation') {
    const result = input as SimulationResult;
    return {
      format: 'tideway.report',
      version: 1,
      kind: 'simulation',
      title: options.title ?? `tideway simulation — ${String(result.name)}`,
      maxPoints,
      run: runView(result, maxPoints),
    };
  }
  if (format === 'tideway.comparison') {
    const comparison = input as ComparisonResult;
    const front = new Set(comparison.pareto.map((p) => runKey(p)));
    const view: ComparisonView = {
      format: 'tideway.report',
      version: 1,
      kind: 'comparison',
      title:
        options.title ??
        `tideway comparison — ${comparison.runs.length} run${comparison.runs.length === 1 ? '' : 's'}`,
      maxPoints,
      baseline: comparison.baseline,
      runs: comparison.runs.map((run) => ({ ...run, pareto: front.has(runKey(run)) })),
      winRates: Object.entries(comparison.winRates)
        .map(([policy, rate]) => ({ policy, rate }))
        .sort((a, b) => b.rate - a.rate || compareText(a.policy, b.policy)),
      pareto: comparison.pareto,
    };
    return comparison.results === undefined
      ? view
      : { ...view, results: comparison.results.map((r) => runView(r, maxPoints)) };
  }
  throw argumentError(
    'input.format',
    "'tideway.simulation' or 'tideway.comparison'",
    format,
    'report argument',
  );
}

function runView(result: SimulationResult, maxPoints: number): RunView {
  const { timeline } = result;
  const perUnit = result.fleet.capacityPerUnit;
  const series: Record<string, SeriesView> = {};
  const add = (name: string, times: readonly number[], values: readonly number[], shape: SeriesShape) => {
    series[name] = { shape, ...downsample(times, values, maxPoints, shape) };
  };
  // Load is a rate sampled at each time: a line. Units change in steps: step series.
  if (perUnit > 0)
    add(
      'load-units',
      timeline.times,
      timeline.load.map((v) => v / perUnit),
      'line',
    );
  add('demand', timeline.times, timeline.demand, 'step');
  add('ready', timeline.times, timeline.ready, 'step');
  add('desired', timeline.times, timeline.desired, 'step');
  add('paid', timeline.times, timeline.paid, 'step');
  add('cost', timeline.times, timeline.cost, 'line');

  const forecast = forecastOf(result);
  if (forecast !== undefined && perUnit > 0) {
    const units = (values: readonly number[]) => values.map((v) => v / perUnit);
    // The band is one series drawn from its two bounds, so each bound gets half the budget.
    const half = Math.floor(maxPoints / 2);
    series['forecast-lower'] = { shape: 'line', ...downsample(forecast.times, units(forecast.lower), half) };
    series['forecast-upper'] = { shape: 'line', ...downsample(forecast.times, units(forecast.upper), half) };
    add('forecast-mean', forecast.times, units(forecast.mean), 'line');
  }

  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const s of Object.values(series)) {
    if (s.times.length === 0) continue;
    start = Math.min(start, s.times[0] ?? start);
    end = Math.max(end, s.times[s.times.length - 1] ?? end);
  }
  if (!(start < end)) {
    // No or one sample: fall back to the trace's range, padded so the axis has a width.
    const from = Number.isFinite(start) ? start : result.trace.start;
    const to = Number.isFinite(start) ? end : result.trace.end;
    start = from;
    end = to > from ? to : from + HOUR;
  }

  const markers = { scaleOut: [] as number[], scaleIn: [] as number[], unchanged: [] as number[] };
  for (const d of result.decisions) {
    (d.to > d.from ? markers.scaleOut : d.to < d.from ? markers.scaleIn : markers.unchanged).push(d.at);
  }
  const rows = result.decisions.slice(0, DECISION_TABLE_ROWS);
  return {
    name: result.name,
    policy: result.policy,
    seed: result.seed,
    trace: result.trace,
    fleet: result.fleet,
    scored: result.scored,
    domain: { start, end },
    series,
    decisions: {
      count: result.decisions.length,
      markers,
      rows,
      notListed: result.decisions.length - rows.length,
    },
    scores: result.scores,
  };
}

// --- page bodies ------------------------------------------------------------------------------

function simulationBody(view: SimulationView): string {
  return runSection(view.run, 0, 2);
}

function comparisonBody(view: ComparisonView): string {
  const traces = unique(view.runs.map((r) => r.trace));
  const delays = unique(view.runs.map((r) => r.delay));
  const policies = unique(view.runs.map((r) => r.policy));
  const parts = [
    `<p class="lead">${view.runs.length} runs: ${plural(policies.length, 'policy', 'policies')} × ${plural(
      traces.length,
      'trace',
    )} × ${plural(delays.length, 'delay')}. Speedup is measured against <strong>${esc(
      view.baseline,
    )}</strong>; ★ marks runs on the cost-vs-SLO Pareto front of their trace and delay.</p>`,
    '<h2>Runs</h2>',
    runsTable(view),
    '<h2>Win rates</h2>',
    '<p class="note">Share of pairwise metric comparisons each policy wins over all traces and delays (ties count half).</p>',
    winRatesTable(view.winRates),
    '<h2>Pareto front: cost vs SLO-violation minutes</h2>',
    '<p class="note">One chart per trace and delay. Filled points joined by the dashed line are on the front (no other run is both cheaper and violates the SLO less); hollow points are dominated.</p>',
    `<div class="grid">${paretoCharts(view)}</div>`,
  ];
  if (view.results !== undefined) {
    parts.push('<h2>Runs in detail</h2>');
    view.results.forEach((run, i) => {
      const row = view.runs[i];
      const heading = row === undefined ? undefined : `${row.trace} · ${row.delay} · ${row.policy}`;
      parts.push(runSection(run, i, 3, heading));
    });
  }
  return parts.join('\n');
}

function runSection(run: RunView, index: number, level: number, heading?: string): string {
  const h = (offset: number, text: string) => `<h${level + offset}>${esc(text)}</h${level + offset}>`;
  const parts = [`<section class="run" id="run-${index}" data-run="${index}">`];
  if (heading !== undefined) parts.push(h(0, heading));
  parts.push(facts(run));
  parts.push(h(heading === undefined ? 0 : 1, 'Load and capacity'));
  parts.push(capacityChart(run, index));
  parts.push(h(heading === undefined ? 0 : 1, 'Cumulative cost'));
  parts.push(costChart(run, index));
  parts.push(h(heading === undefined ? 0 : 1, 'Decisions'));
  parts.push(decisionStrip(run, index));
  parts.push(decisionTable(run));
  parts.push(h(heading === undefined ? 0 : 1, 'Scores'));
  parts.push(scoreTable(run.scores, run.fleet.billing.pricePerUnitHour));
  parts.push('</section>');
  return parts.join('\n');
}

function facts(run: RunView): string {
  const { trace, fleet, scored } = run;
  const items: [string, string][] = [
    ['run', run.name],
    ['policy', run.policy],
    ['seed', String(run.seed)],
    [
      'trace',
      `${formatNumber(trace.points)} points, ${formatTime(trace.start)} to ${formatTime(trace.end)} UTC, step ${formatDuration(trace.step)}, hash ${trace.hash}`,
    ],
    ['scored', `${formatTime(scored.start)} to ${formatTime(scored.end)} UTC`],
    ['capacity per unit', formatNumber(fleet.capacityPerUnit)],
    ['provisioning delay', formatDelay(fleet.provisioningDelay)],
    ['drain delay', formatDelay(fleet.drainDelay)],
    ['initial capacity', `${formatNumber(fleet.initialCapacity)} units`],
    [
      'billing',
      `${formatNumber(fleet.billing.pricePerUnitHour)} per unit-hour, per ${formatDuration(
        fleet.billing.granularity,
      )}, at least ${formatDuration(fleet.billing.minimum)}`,
    ],
  ];
  return `<dl class="facts">${items.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`;
}

// --- charts -----------------------------------------------------------------------------------

const HOUR = 3_600_000;
const CHART_WIDTH = 960;
const MARGIN = { left: 64, right: 20, bottom: 44 };

interface LegendItem {
  readonly label: string;
  readonly color: string;
  readonly kind: 'line' | 'band' | 'tick';
  readonly dash?: string;
  readonly width?: number;
}

interface SeriesStyle {
  readonly label: string;
  readonly color: string;
  readonly width: number;
  readonly dash?: string;
}

const STYLES: Readonly<Record<string, SeriesStyle>> = {
  'load-units': { label: 'load ÷ capacity per unit', color: '#2563eb', width: 1.2 },
  demand: { label: 'demand (units)', color: '#6b7280', width: 1.2 },
  ready: { label: 'ready units', color: '#16a34a', width: 2.2 },
  desired: { label: 'desired capacity', color: '#9333ea', width: 1.4, dash: '6 3' },
  paid: { label: 'paid units (incl. booting, draining)', color: '#d97706', width: 1, dash: '2 2' },
  'forecast-mean': { label: 'forecast mean', color: '#0891b2', width: 1.4, dash: '4 3' },
  cost: { label: 'cumulative cost', color: '#dc2626', width: 1.8 },
};
const BAND_COLOR = '#67e8f9';

interface Frame {
  readonly id: string;
  readonly height: number;
  readonly top: number;
  readonly t0: number;
  readonly t1: number;
  readonly yMax: number;
}

function plotWidth(): number {
  return CHART_WIDTH - MARGIN.left - MARGIN.right;
}

function xOf(frame: Frame, t: number): number {
  return MARGIN.left + ((t - frame.t0) / (frame.t1 - frame.t0)) * plotWidth();
}

function yOf(frame: Frame, v: number): number {
  const h = frame.height - frame.top - MARGIN.bottom;
  return frame.top + h - (v / frame.yMax) * h;
}

function capacityChart(run: RunView, index: number): string {
  const names = ['paid', 'demand', 'load-units', 'forecast-mean', 'desired', 'ready'].filter(
    (name) => run.series[name] !== undefined,
  );
  const lower = run.series['forecast-lower'];
  const upper = run.series['forecast-upper'];
  const band = lower !== undefined && upper !== undefined ? { lower, upper } : undefined;
  const legend: LegendItem[] = ['load-units', 'demand', 'ready', 'desired', 'paid', 'forecast-mean']
    .filter((name) => run.series[name] !== undefined)
    .map((name) => legendOf(name));
  if (band !== undefined) legend.push({ label: 'forecast band', color: BAND_COLOR, kind: 'band' });
  const peak = maxOf([...names.map((n) => run.series[n]?.values ?? []), band?.upper.values ?? []]);
  const top = legendHeight(legend);
  const y = niceAxis(peak);
  const f: Frame = {
    id: `r${index}-capacity`,
    height: 330 + top,
    top,
    t0: run.domain.start,
    t1: run.domain.end,
    yMax: y.max,
  };
  const demandPeak = maxOf([run.series.demand?.values ?? []]);
  const readyPeak = maxOf([run.series.ready?.values ?? []]);
  const parts = [
    svgOpen(
      f,
      'capacity',
      index,
      `Load and capacity of ${run.name}`,
      `Load in capacity units, demand, ready, desired and paid units from ${formatTime(f.t0)} to ${formatTime(
        f.t1,
      )} UTC${band === undefined ? '' : ', with the forecast band'}. Peak demand ${formatNumber(
        demandPeak,
      )} units; peak ready ${formatNumber(readyPeak)} units.`,
    ),
    scoredShade(f, run.scored),
    timeAxis(f),
    valueAxis(f, y.step, 'units'),
  ];
  if (band !== undefined) parts.push(bandPath(f, index, band.lower, band.upper));
  for (const name of names) parts.push(polyline(f, index, name, run.series[name] as SeriesView));
  parts.push(legendSvg(legend), '</svg>');
  return parts.join('\n');
}

function costChart(run: RunView, index: number): string {
  const cost = run.series.cost as SeriesView;
  const legend = [legendOf('cost')];
  const top = legendHeight(legend);
  const y = niceAxis(maxOf([cost.values]));
  const f: Frame = {
    id: `r${index}-cost`,
    height: 200 + top,
    top,
    t0: run.domain.start,
    t1: run.domain.end,
    yMax: y.max,
  };
  const total = cost.values[cost.values.length - 1] ?? 0;
  return [
    svgOpen(
      f,
      'cost',
      index,
      `Cumulative cost of ${run.name}`,
      `Cumulative cost from ${formatTime(f.t0)} to ${formatTime(f.t1)} UTC, reaching ${formatNumber(total)}.`,
    ),
    scoredShade(f, run.scored),
    timeAxis(f),
    valueAxis(f, y.step, `cost (${formatNumber(run.fleet.billing.pricePerUnitHour)} per unit-hour)`),
    polyline(f, index, 'cost', cost),
    legendSvg(legend),
    '</svg>',
  ].join('\n');
}

function decisionStrip(run: RunView, index: number): string {
  const { markers } = run.decisions;
  const legend: LegendItem[] = [
    { label: `scale-out (${formatNumber(markers.scaleOut.length)})`, color: '#16a34a', kind: 'tick' },
    { label: `scale-in (${formatNumber(markers.scaleIn.length)})`, color: '#ea580c', kind: 'tick' },
  ];
  if (markers.unchanged.length > 0) {
    legend.push({
      label: `no change (${formatNumber(markers.unchanged.length)})`,
      color: '#6b7280',
      kind: 'tick',
    });
  }
  const top = legendHeight(legend);
  const f: Frame = {
    id: `r${index}-decisions`,
    height: 48 + top + MARGIN.bottom,
    top,
    t0: run.domain.start,
    t1: run.domain.end,
    yMax: 1,
  };
  const mid = yOf(f, 0.5);
  // One path per kind holds every marker, so even thousands of decisions stay a few elements.
  const ticks = (kind: string, times: readonly number[], from: number, length: number, color: string) =>
    times.length === 0
      ? ''
      : `<path data-markers="${kind}" data-run="${index}" data-count="${times.length}" stroke="${color}" stroke-width="1.5" fill="none" d="${times
          .map((t) => `M${coord(xOf(f, t))},${coord(from)}v${length}`)
          .join('')}"/>`;
  return [
    svgOpen(
      f,
      'decisions',
      index,
      `Decisions of ${run.name}`,
      `${plural(run.decisions.count, 'applied capacity change')}: ${markers.scaleOut.length} scale-outs above the line, ${markers.scaleIn.length} scale-ins below it, from ${formatTime(f.t0)} to ${formatTime(f.t1)} UTC.`,
    ),
    scoredShade(f, run.scored),
    timeAxis(f, false),
    `<line x1="${MARGIN.left}" x2="${CHART_WIDTH - MARGIN.right}" y1="${coord(mid)}" y2="${coord(mid)}" stroke="#9ca3af"/>`,
    ticks('scale-out', markers.scaleOut, mid - 2, -18, '#16a34a'),
    ticks('scale-in', markers.scaleIn, mid + 2, 18, '#ea580c'),
    ticks('unchanged', markers.unchanged, mid - 8, 16, '#6b7280'),
    legendSvg(legend),
    '</svg>',
  ].join('\n');
}

function decisionTable(run: RunView): string {
  const { rows, count, notListed } = run.decisions;
  if (count === 0) return '<p class="note">No capacity changes were applied.</p>';
  const body = rows
    .map((d, i) => {
      const delta = d.to - d.from;
      const kind = delta > 0 ? 'out' : delta < 0 ? 'in' : 'same';
      return `<tr class="${kind}"><td class="num">${i + 1}</td><td>${esc(formatTime(d.at, true))}</td><td class="num">${esc(
        formatNumber(d.from),
      )} → ${esc(formatNumber(d.to))}</td><td class="num">${delta > 0 ? '+' : delta < 0 ? '−' : '±'}${esc(
        formatNumber(Math.abs(delta)),
      )}</td><td><code>${esc(String(d.reason))}</code></td><td>${esc(String(d.message))}</td></tr>`;
    })
    .join('\n');
  const note =
    notListed > 0
      ? `<p class="note" data-more="${notListed}">${esc(formatNumber(notListed))} more decisions not listed (all ${esc(
          formatNumber(count),
        )} are marked on the strip above and counted in the scores).</p>`
      : '';
  return `<table class="decisions"><thead><tr><th>#</th><th>time (UTC)</th><th>capacity</th><th>change</th><th>reason</th><th>message</th></tr></thead>
<tbody>
${body}
</tbody></table>${note}`;
}

function svgOpen(frame: Frame, chart: string, index: number, title: string, desc: string): string {
  return `<svg class="chart" data-chart="${chart}" data-run="${index}" viewBox="0 0 ${CHART_WIDTH} ${frame.height}" width="${CHART_WIDTH}" height="${frame.height}" role="img" aria-labelledby="${frame.id}-title ${frame.id}-desc" font-size="11">
<title id="${frame.id}-title">${esc(title)}</title>
<desc id="${frame.id}-desc">${esc(desc)}</desc>`;
}

/** Grey out the warm-up (and anything after the scored range): not scored, still shown. */
function scoredShade(frame: Frame, scored: RunView['scored']): string {
  const out: string[] = [];
  const top = frame.top;
  const height = frame.height - frame.top - MARGIN.bottom;
  const shade = (from: number, to: number, label: string) => {
    const x1 = xOf(frame, Math.max(from, frame.t0));
    const x2 = xOf(frame, Math.min(to, frame.t1));
    if (x2 - x1 < 0.5) return;
    out.push(
      `<rect class="unscored" x="${coord(x1)}" y="${coord(top)}" width="${coord(x2 - x1)}" height="${coord(
        height,
      )}" fill="#f3f4f6"><title>${esc(label)}</title></rect>`,
    );
  };
  if (scored.start > frame.t0) shade(frame.t0, scored.start, 'warm-up: not scored');
  if (scored.end < frame.t1) shade(scored.end, frame.t1, 'after the scored range');
  return out.join('');
}

function polyline(frame: Frame, index: number, name: string, series: DownsampledSeries): string {
  const style = STYLES[name] ?? { label: name, color: '#111827', width: 1 };
  const points = series.times.map(
    (t, i) => `${coord(xOf(frame, t))},${coord(yOf(frame, series.values[i] ?? 0))}`,
  );
  return `<polyline data-series="${esc(name)}" data-run="${index}" data-points="${points.length}" fill="none" stroke="${style.color}" stroke-width="${style.width}"${
    style.dash === undefined ? '' : ` stroke-dasharray="${style.dash}"`
  } stroke-linejoin="round" points="${points.join(' ')}"><title>${esc(style.label)}</title></polyline>`;
}

function bandPath(frame: Frame, index: number, lower: DownsampledSeries, upper: DownsampledSeries): string {
  const vertex = (s: DownsampledSeries, i: number) =>
    `${coord(xOf(frame, s.times[i] ?? 0))},${coord(yOf(frame, s.values[i] ?? 0))}`;
  const forward = lower.times.map((_, i) => vertex(lower, i));
  const back = upper.times.map((_, i) => vertex(upper, upper.times.length - 1 - i));
  const all = [...forward, ...back];
  const d = all.length === 0 ? '' : `M${all[0]}${all.length > 1 ? `L${all.slice(1).join(' ')}` : ''}Z`;
  return `<path data-series="forecast-band" data-run="${index}" data-points="${all.length}" fill="${BAND_COLOR}" fill-opacity="0.35" stroke="none" d="${d}"><title>forecast band</title></path>`;
}

function timeAxis(frame: Frame, grid = true): string {
  const bottom = frame.height - MARGIN.bottom;
  const span = frame.t1 - frame.t0;
  const step = timeStep(span, Math.max(2, Math.floor(plotWidth() / 130)));
  const out = [
    `<line x1="${MARGIN.left}" x2="${CHART_WIDTH - MARGIN.right}" y1="${bottom}" y2="${bottom}" stroke="#374151"/>`,
  ];
  for (let t = firstTick(frame.t0, step); t <= frame.t1; t += step) {
    const x = coord(xOf(frame, t));
    if (grid) out.push(`<line x1="${x}" x2="${x}" y1="${frame.top}" y2="${bottom}" stroke="#e5e7eb"/>`);
    out.push(`<line x1="${x}" x2="${x}" y1="${bottom}" y2="${bottom + 4}" stroke="#374151"/>`);
    out.push(
      `<text x="${x}" y="${bottom + 16}" text-anchor="middle" fill="#374151">${esc(formatTime(t, step < 60_000))}</text>`,
    );
  }
  out.push(
    `<text x="${MARGIN.left + plotWidth() / 2}" y="${frame.height - 6}" text-anchor="middle" fill="#6b7280">time (UTC)</text>`,
  );
  return out.join('\n');
}

function valueAxis(frame: Frame, step: number, label: string): string {
  const bottom = frame.height - MARGIN.bottom;
  const out = [
    `<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${frame.top}" y2="${bottom}" stroke="#374151"/>`,
  ];
  for (let i = 0; i * step <= frame.yMax * (1 + 1e-9); i++) {
    const v = i * step;
    const y = coord(yOf(frame, v));
    if (i > 0) {
      out.push(
        `<line x1="${MARGIN.left}" x2="${CHART_WIDTH - MARGIN.right}" y1="${y}" y2="${y}" stroke="#e5e7eb"/>`,
      );
    }
    out.push(`<line x1="${MARGIN.left - 4}" x2="${MARGIN.left}" y1="${y}" y2="${y}" stroke="#374151"/>`);
    out.push(
      `<text x="${MARGIN.left - 7}" y="${y}" dy="0.32em" text-anchor="end" fill="#374151">${esc(formatNumber(v))}</text>`,
    );
  }
  const cy = coord(frame.top + (bottom - frame.top) / 2);
  out.push(
    `<text x="14" y="${cy}" transform="rotate(-90 14 ${cy})" text-anchor="middle" fill="#6b7280">${esc(label)}</text>`,
  );
  return out.join('\n');
}

function legendOf(name: string): LegendItem {
  const style = STYLES[name] ?? { label: name, color: '#111827', width: 1 };
  return {
    label: style.label,
    color: style.color,
    kind: 'line',
    width: style.width,
    ...(style.dash === undefined ? {} : { dash: style.dash }),
  };
}

/** Legend items left to right from the plot's left edge, wrapping; returns where each goes. */
function legendLayout(items: readonly LegendItem[]): { item: LegendItem; x: number; row: number }[] {
  const out: { item: LegendItem; x: number; row: number }[] = [];
  let x = MARGIN.left;
  let row = 0;
  for (const item of items) {
    // An estimate of the label's width: the page has no script to measure text.
    const width = 30 + item.label.length * 6.2 + 18;
    if (x + width > CHART_WIDTH - MARGIN.right && x > MARGIN.left) {
      row++;
      x = MARGIN.left;
    }
    out.push({ item, x, row });
    x += width;
  }
  return out;
}

function legendHeight(items: readonly LegendItem[]): number {
  const rows = legendLayout(items).reduce((n, l) => Math.max(n, l.row + 1), 0);
  return 14 + rows * 18;
}

function legendSvg(items: readonly LegendItem[]): string {
  const parts = legendLayout(items).map(({ item, x, row }) => {
    const y = 12 + row * 18;
    const swatch =
      item.kind === 'band'
        ? `<rect x="${x}" y="${y - 6}" width="24" height="10" fill="${item.color}" fill-opacity="0.35"/>`
        : item.kind === 'tick'
          ? `<line x1="${x + 12}" x2="${x + 12}" y1="${y - 7}" y2="${y + 5}" stroke="${item.color}" stroke-width="2"/>`
          : `<line x1="${x}" x2="${x + 24}" y1="${y}" y2="${y}" stroke="${item.color}" stroke-width="${Math.max(
              1.5,
              item.width ?? 1.5,
            )}"${item.dash === undefined ? '' : ` stroke-dasharray="${item.dash}"`}/>`;
    return `${swatch}<text x="${x + 30}" y="${y}" dy="0.32em" fill="#111827">${esc(item.label)}</text>`;
  });
  return `<g class="legend">${parts.join('')}</g>`;
}

// --- comparison pieces -------------------------------------------------------------------------

function runsTable(view: ComparisonView): string {
  const head = [
    'trace',
    'delay',
    'policy',
    'Pareto',
    'billed unit-h',
    'cost',
    'SLO min',
    'unserved',
    'θU %',
    'θO %',
    'κ %',
    'scale-outs / ins',
    'speedup',
  ];
  const rows = view.runs.map((run, i) => {
    const s = run.scores;
    const cells = [
      esc(run.trace),
      esc(run.delay),
      `${esc(run.policy)}${run.policy === view.baseline ? ' <span class="tag">baseline</span>' : ''}`,
      run.pareto ? '<span class="star" title="on the Pareto front">★</span>' : '',
      num3(s.billedUnitHours),
      num3(s.cost),
      num3(s.sloViolationMinutes),
      `${num3(s.unservedShare * 100)} %`,
      num3(s.thetaU),
      num3(s.thetaO),
      num3(s.kappa),
      `${num3(s.scaleOuts)} / ${num3(s.scaleIns)}`,
      `${num3(run.speedup)}×`,
    ];
    return `<tr data-run="${i}" data-pareto="${run.pareto}"${run.pareto ? ' class="front"' : ''}>${cells
      .map((c, j) => `<td${j >= 3 ? ' class="num"' : ''}>${c}</td>`)
      .join('')}</tr>`;
  });
  return `<table class="runs"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>`;
}

function num3(n: number): string {
  return esc(formatNumber(n));
}

function winRatesTable(rates: ComparisonView['winRates']): string {
  if (rates.length === 0) return '<p class="note">No win rates.</p>';
  const rows = rates.map(({ policy, rate }) => {
    const pct = Math.max(0, Math.min(100, rate * 100));
    return `<tr data-policy="${esc(policy)}"><td>${esc(policy)}</td><td class="num">${esc(
      formatNumber(rate * 100),
    )} %</td><td class="barcell"><span class="bar" style="width:${coord(pct)}%"></span></td></tr>`;
  });
  return `<table class="winrates"><thead><tr><th>policy</th><th>win rate</th><th></th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>`;
}

const SCATTER = { width: 470, height: 320, left: 60, right: 16, top: 16, bottom: 44 };

function paretoCharts(view: ComparisonView): string {
  const groups: { trace: string; delay: string; runs: { run: RunRowView; index: number }[] }[] = [];
  view.runs.forEach((run, index) => {
    let group = groups.find((g) => g.trace === run.trace && g.delay === run.delay);
    if (group === undefined) {
      group = { trace: run.trace, delay: run.delay, runs: [] };
      groups.push(group);
    }
    group.runs.push({ run, index });
  });
  if (groups.length === 0) return '<p class="note">No runs.</p>';
  return groups
    .map((group, g) => {
      const front = view.pareto
        .filter((p) => p.trace === group.trace && p.delay === group.delay)
        .slice()
        .sort((a, b) => a.cost - b.cost || a.sloViolationMinutes - b.sloViolationMinutes);
      return `<figure>${scatter(group, front, g)}<figcaption>${esc(group.trace)} · delay ${esc(
        group.delay,
      )}</figcaption></figure>`;
    })
    .join('\n');
}

function scatter(
  group: { trace: string; delay: string; runs: { run: RunRowView; index: number }[] },
  front: readonly ParetoPoint[],
  g: number,
): string {
  const { width, height, left, right, top, bottom } = SCATTER;
  // A run with an infinite or missing value has no place on the axes; the description counts it.
  const plottable = (cost: number, minutes: number) => Number.isFinite(cost) && Number.isFinite(minutes);
  const shown = group.runs.filter(({ run }) =>
    plottable(run.scores.billedUnitHours, run.scores.sloViolationMinutes),
  );
  const frontShown = front.filter((p) => plottable(p.cost, p.sloViolationMinutes));
  const hidden = group.runs.length - shown.length;
  const costs = [...shown.map((r) => r.run.scores.billedUnitHours), ...frontShown.map((p) => p.cost)];
  const minutes = [
    ...shown.map((r) => r.run.scores.sloViolationMinutes),
    ...frontShown.map((p) => p.sloViolationMinutes),
  ];
  const lo = costs.length > 0 ? Math.min(...costs) : 0;
  const hi = costs.length > 0 ? Math.max(...costs) : 1;
  const pad = hi > lo ? (hi - lo) * 0.08 : Math.max(Math.abs(hi) * 0.1, 1);
  const xAxis = niceRange(lo - pad, hi + pad);
  const yAxis = niceAxis(Math.max(0, ...minutes));
  const pw = width - left - right;
  const ph = height - top - bottom;
  const x = (v: number) => left + ((v - xAxis.min) / (xAxis.max - xAxis.min)) * pw;
  const y = (v: number) => top + ph - (v / yAxis.max) * ph;
  const id = `p${g}`;
  const names = front.map((p) => p.policy);
  const parts = [
    `<svg class="scatter" data-chart="pareto" data-group="${g}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${id}-title ${id}-desc" font-size="11">`,
    `<title id="${id}-title">${esc(`Cost vs SLO-violation minutes, ${group.trace}, delay ${group.delay}`)}</title>`,
    `<desc id="${id}-desc">${esc(
      `${plural(group.runs.length, 'run')}; the Pareto front has ${front.length}: ${names.join(', ') || 'none'}.${
        hidden > 0 ? ` ${plural(hidden, 'run')} with a non-finite cost or SLO minutes not plotted.` : ''
      }`,
    )}</desc>`,
    `<line x1="${left}" x2="${width - right}" y1="${top + ph}" y2="${top + ph}" stroke="#374151"/>`,
    `<line x1="${left}" x2="${left}" y1="${top}" y2="${top + ph}" stroke="#374151"/>`,
  ];
  for (let i = 0; xAxis.min + i * xAxis.step <= xAxis.max + xAxis.step * 1e-9; i++) {
    const v = xAxis.min + i * xAxis.step;
    const px = coord(x(v));
    parts.push(`<line x1="${px}" x2="${px}" y1="${top}" y2="${top + ph}" stroke="#e5e7eb"/>`);
    parts.push(
      `<text x="${px}" y="${top + ph + 16}" text-anchor="middle" fill="#374151">${esc(formatNumber(v))}</text>`,
    );
  }
  for (let i = 0; i * yAxis.step <= yAxis.max * (1 + 1e-9); i++) {
    const py = coord(y(i * yAxis.step));
    if (i > 0)
      parts.push(`<line x1="${left}" x2="${width - right}" y1="${py}" y2="${py}" stroke="#e5e7eb"/>`);
    parts.push(
      `<text x="${left - 7}" y="${py}" dy="0.32em" text-anchor="end" fill="#374151">${esc(
        formatNumber(i * yAxis.step),
      )}</text>`,
    );
  }
  parts.push(
    `<text x="${left + pw / 2}" y="${height - 6}" text-anchor="middle" fill="#6b7280">billed unit-hours</text>`,
    `<text x="14" y="${top + ph / 2}" transform="rotate(-90 14 ${top + ph / 2})" text-anchor="middle" fill="#6b7280">SLO-violation minutes</text>`,
  );
  if (frontShown.length > 0) {
    const points = frontShown.map((p) => `${coord(x(p.cost))},${coord(y(p.sloViolationMinutes))}`);
    parts.push(
      `<polyline data-series="pareto-front" data-group="${g}" data-points="${points.length}" fill="none" stroke="#2563eb" stroke-width="1.5" stroke-dasharray="5 3" points="${points.join(
        ' ',
      )}"><title>Pareto front</title></polyline>`,
    );
  }
  // Non-front points first so the highlighted ones are drawn on top.
  const ordered = [...shown].sort((a, b) => Number(a.run.pareto) - Number(b.run.pareto));
  for (const { run, index } of ordered) {
    const cx = coord(x(run.scores.billedUnitHours));
    const cy = coord(y(run.scores.sloViolationMinutes));
    const label = `${run.policy}: ${formatNumber(run.scores.billedUnitHours)} unit-h, ${formatNumber(
      run.scores.sloViolationMinutes,
    )} SLO min${run.pareto ? ' (Pareto front)' : ''}`;
    parts.push(
      run.pareto
        ? `<circle class="pareto" data-run="${index}" data-pareto="true" cx="${cx}" cy="${cy}" r="5.5" fill="#2563eb" stroke="#1e3a8a" stroke-width="1.5"><title>${esc(label)}</title></circle>`
        : `<circle data-run="${index}" data-pareto="false" cx="${cx}" cy="${cy}" r="4" fill="#fff" stroke="#6b7280" stroke-width="1.5"><title>${esc(label)}</title></circle>`,
      `<text x="${cx}" y="${cy}" dx="8" dy="-6" fill="${run.pareto ? '#1e3a8a' : '#4b5563'}">${esc(run.policy)}</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('\n');
}

// --- scores -----------------------------------------------------------------------------------

interface ScoreSpec {
  readonly label: string;
  readonly unit: string;
  readonly meaning: string;
  readonly format?: (value: number) => string;
}

const percentOfShare = (v: number) => formatNumber(v * 100);

// Mapped types, so a score added to SimulationScores does not compile until it is listed here.
const SCALAR_SCORES: { readonly [K in Exclude<keyof SimulationScores, 'scaleOutToReady'>]: ScoreSpec } = {
  duration: {
    label: 'scored duration',
    unit: '',
    meaning: 'length of the scored range',
    format: formatDuration,
  },
  sloViolationMinutes: {
    label: 'SLO violation',
    unit: 'min',
    meaning: 'minutes during which load exceeded ready units × capacity per unit',
  },
  unservedShare: {
    label: 'unserved load',
    unit: '%',
    meaning: 'share of offered load not served',
    format: percentOfShare,
  },
  thetaU: {
    label: 'θU under-provisioning accuracy',
    unit: '%',
    meaning: 'time-averaged share of demand not supplied',
  },
  thetaO: {
    label: 'θO over-provisioning accuracy',
    unit: '%',
    meaning: 'time-averaged surplus relative to demand',
  },
  tauU: { label: 'τU under-provisioning time', unit: '% of time', meaning: 'share of time supply < demand' },
  tauO: { label: 'τO over-provisioning time', unit: '% of time', meaning: 'share of time supply > demand' },
  k: { label: 'k over-reaction', unit: '%', meaning: 'share of time supply moves more upward than demand' },
  kPrime: { label: 'k′ under-reaction', unit: '%', meaning: 'share of time supply fails to follow demand' },
  kappa: { label: 'κ = k + k′', unit: '%', meaning: 'total instability' },
  jitter: {
    label: 'jitter',
    unit: 'adaptations/h',
    meaning: 'supply adaptations minus demand adaptations, per hour',
  },
  unitHours: {
    label: 'unit-hours',
    unit: 'unit·h',
    meaning: 'paid from launch to release (booting, draining included)',
  },
  billedUnitHours: {
    label: 'billed unit-hours',
    unit: 'unit·h',
    meaning: 'after billing granularity and minimum',
  },
  cost: { label: 'cost', unit: '', meaning: 'billed unit-hours × price per unit-hour' },
  oracleUnitHours: {
    label: 'oracle unit-hours',
    unit: 'unit·h',
    meaning: 'what exactly meeting demand needs',
  },
  staticPeakUnitHours: {
    label: 'static-peak unit-hours',
    unit: 'unit·h',
    meaning: 'a fixed fleet sized for the peak',
  },
  costVsOracle: { label: 'cost vs oracle', unit: '×', meaning: 'billed ÷ oracle unit-hours' },
  costVsStaticPeak: { label: 'cost vs static peak', unit: '×', meaning: 'billed ÷ static-peak unit-hours' },
  scaleOuts: { label: 'scale-outs', unit: 'changes', meaning: 'capacity increases applied' },
  scaleIns: { label: 'scale-ins', unit: 'changes', meaning: 'capacity decreases applied' },
};

const LATENCY_SCORES: { readonly [K in keyof LatencyStats]: ScoreSpec } = {
  count: {
    label: 'scale-out to ready: count',
    unit: 'scale-outs',
    meaning: 'scale-outs whose units all became ready',
  },
  mean: {
    label: 'scale-out to ready: mean',
    unit: '',
    meaning: 'from applied to every unit ready',
    format: formatDuration,
  },
  p50: { label: 'scale-out to ready: p50', unit: '', meaning: 'median', format: formatDuration },
  p95: {
    label: 'scale-out to ready: p95',
    unit: '',
    meaning: '95th percentile (nearest rank)',
    format: formatDuration,
  },
  max: { label: 'scale-out to ready: max', unit: '', meaning: 'slowest', format: formatDuration },
};

function scoreTable(scores: SimulationScores, price: number): string {
  const rows: string[] = [];
  const row = (key: string, spec: ScoreSpec, value: number | null) => {
    const unit = key === 'cost' ? `at ${formatNumber(price)} per unit-hour` : spec.unit;
    rows.push(
      `<tr data-score="${key}"><td>${esc(spec.label)}</td><td class="num">${esc(
        value === null ? 'n/a' : (spec.format ?? formatNumber)(value),
      )}</td><td>${esc(unit)}</td><td class="meaning">${esc(spec.meaning)}</td><td><code>${key}</code></td></tr>`,
    );
  };
  for (const key of Object.keys(SCALAR_SCORES) as (keyof typeof SCALAR_SCORES)[]) {
    row(key, SCALAR_SCORES[key], scores[key]);
  }
  for (const key of Object.keys(LATENCY_SCORES) as (keyof LatencyStats)[]) {
    row(`scaleOutToReady.${key}`, LATENCY_SCORES[key], scores.scaleOutToReady[key]);
  }
  return `<table class="scores"><thead><tr><th>score</th><th>value</th><th>unit</th><th>meaning</th><th>field</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>`;
}

// --- axes arithmetic ---------------------------------------------------------------------------

/** 1, 2 or 5 × a power of ten, at least `raw`. */
function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
}

/** An axis from 0 with about five ticks reaching at least `peak`. */
function niceAxis(peak: number): { max: number; step: number } {
  const top = peak > 0 && Number.isFinite(peak) ? peak : 1;
  const step = niceStep(top / 5);
  return { max: Math.max(step, Math.ceil((top * 1.04) / step) * step), step };
}

function niceRange(lo: number, hi: number): { min: number; max: number; step: number } {
  const step = niceStep((hi - lo) / 5);
  return { min: Math.floor(lo / step) * step, max: Math.ceil(hi / step) * step, step };
}

const MINUTE = 60_000;
const DAY = 24 * HOUR;
const TIME_STEPS = [
  1_000,
  5_000,
  15_000,
  30_000,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
  28 * DAY,
];

/** The smallest round step giving at most `maxTicks` ticks; multiples of it fall on UTC boundaries. */
function timeStep(span: number, maxTicks: number): number {
  for (const step of TIME_STEPS) if (span / step <= maxTicks) return step;
  return niceStep(span / maxTicks / DAY) * DAY;
}

// The epoch began on a Thursday: weekly ticks are shifted 4 days so they fall on Mondays.
const MONDAY = 4 * DAY;

/** The first multiple of `step` at or after `t0` (for whole weeks, the first Monday 00:00 UTC). */
function firstTick(t0: number, step: number): number {
  const offset = step % (7 * DAY) === 0 ? MONDAY : 0;
  return Math.ceil((t0 - offset) / step) * step + offset;
}

function maxOf(arrays: readonly (readonly number[])[]): number {
  let max = 0;
  for (const a of arrays) for (const v of a) if (v > max && Number.isFinite(v)) max = v;
  return max;
}

/** SVG coordinates to 0.1 px: enough on screen, and keeps big charts small. */
function coord(v: number): string {
  const r = Math.round(v * 10) / 10;
  return String(r === 0 ? 0 : r);
}

// --- text -------------------------------------------------------------------------------------

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** HTML-escape text for element content and quoted attribute values alike. */
function esc(text: string): string {
  return String(text).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/**
 * JSON inside `<script type="application/json">`: `<` and `>` cannot close the element or open
 * a comment once escaped; U+2028/9 are escaped for old parsers. `JSON.parse` reads it unchanged.
 */
function jsonForHtml(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `YYYY-MM-DD HH:MM` (or with `:SS`) in UTC; a time no Date can hold is printed as the number. */
function formatTime(ms: number, seconds = false): string {
  if (!Number.isFinite(ms) || ms < -62_167_219_200_000 || ms > 253_402_300_799_999) return String(ms);
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, seconds ? 19 : 16)}`;
}

function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return formatNumber(ms);
  const sign = ms < 0 ? '−' : '';
  const abs = Math.abs(ms);
  if (abs < 1_000) return `${sign}${formatNumber(abs)} ms`;
  if (abs < MINUTE) return `${sign}${formatNumber(abs / 1_000)} s`;
  // Two units, rounded in the smaller one first, so 23h 59m 50s reads 1d rather than 23h 60m.
  const two = (smalls: number, perBig: number, bigUnit: string, smallUnit: string) => {
    const whole = Math.floor(smalls / perBig);
    const rest = smalls - whole * perBig;
    return rest === 0 ? `${sign}${whole}${bigUnit}` : `${sign}${whole}${bigUnit} ${rest}${smallUnit}`;
  };
  const seconds = Math.round(abs / 1_000);
  if (seconds < 3_600) return two(seconds, 60, 'm', 's');
  const minutes = Math.round(abs / MINUTE);
  if (minutes < 1_440) return two(minutes, 60, 'h', 'm');
  return two(Math.round(abs / HOUR), 24, 'd', 'h');
}

function formatDelay(delay: DelaySpec): string {
  const d = (v: string | number) => (typeof v === 'number' ? formatDuration(v) : v);
  if (typeof delay === 'string' || typeof delay === 'number') return d(delay);
  switch (delay.distribution) {
    case 'uniform':
      return `uniform ${d(delay.min)} to ${d(delay.max)}`;
    case 'lognormal':
      return `lognormal, median ${d(delay.median)}, σ ${formatNumber(delay.sigma)}`;
    case 'exponential':
      return `exponential, mean ${d(delay.mean)}`;
    default:
      return JSON.stringify(delay);
  }
}

/**
 * A number for people, the same on every machine (no locale): thousands separated by commas,
 * at most 3 significant decimals below 1, 2 decimals below 100, 1 below 10,000, none above.
 */
function formatNumber(n: number): string {
  if (Number.isNaN(n)) return '—';
  if (!Number.isFinite(n)) return n > 0 ? '∞' : '−∞';
  const abs = Math.abs(n);
  const sign = n < 0 ? '−' : '';
  if (abs !== 0 && abs < 0.001) return `${sign}${abs.toExponential(1)}`;
  const decimals = abs < 1 ? 3 : abs < 100 ? 2 : abs < 10_000 ? 1 : 0;
  let text = abs.toFixed(decimals);
  if (text.includes('.')) text = text.replace(/0+$/, '').replace(/\.$/, '');
  const [whole = '0', fraction] = text.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const out = fraction === undefined ? grouped : `${grouped}.${fraction}`;
  return out === '0' ? '0' : `${sign}${out}`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function runKey(p: { readonly trace: string; readonly delay: string; readonly policy: string }): string {
  return JSON.stringify([p.trace, p.delay, p.policy]);
}

// --- JSON -------------------------------------------------------------------------------------

/** Sorted keys, 2-space indent, arrays of plain values on one line, non-finite numbers as strings. */
function stableJson(value: unknown, indent = ''): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : `"${String(value)}"`;
  if (typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => v === null || typeof v !== 'object')) {
      return `[${value.map((v) => stableJson(v)).join(', ')}]`;
    }
    return `[\n${value.map((v) => `${inner}${stableJson(v, inner)}`).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => compareText(a, b));
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${stableJson(v, inner)}`).join(',\n')}\n${indent}}`;
}

// --- arguments --------------------------------------------------------------------------------

function assertMaxPoints(maxPoints: number): void {
  if (!Number.isInteger(maxPoints) || maxPoints < 8) {
    throw argumentError('maxPoints', 'an integer ≥ 8', maxPoints, 'report argument');
  }
}

function num(values: readonly number[], i: number): number {
  return values[i] ?? Number.NaN;
}

/** Keep a point only where its value differs from the point before, plus the last point. */
function stepChanges(keep: readonly number[], values: readonly number[]): number[] {
  return keep.filter(
    (i, j) => j === 0 || j === keep.length - 1 || num(values, i) !== num(values, keep[j - 1] ?? 0),
  );
}

/** Drop points equal to both neighbours: the segments either side of them are one line. */
function dropFlat(keep: readonly number[], values: readonly number[]): number[] {
  return keep.filter((i, j) => {
    if (j === 0 || j === keep.length - 1) return true;
    const v = num(values, i);
    return v !== num(values, keep[j - 1] ?? 0) || v !== num(values, keep[j + 1] ?? 0);
  });
}

/** First, last, and the minimum and maximum of each of ⌊(budget − 2) / 2⌋ equal-time buckets. */
function minMaxBuckets(
  keep: readonly number[],
  times: readonly number[],
  values: readonly number[],
  budget: number,
): number[] {
  const m = keep.length;
  const first = keep[0] ?? 0;
  const last = keep[m - 1] ?? 0;
  const buckets = Math.floor((budget - 2) / 2);
  if (buckets < 1) return [first, last];
  const t0 = num(times, first);
  const span = num(times, last) - t0;
  const bucketOf = (i: number) => Math.min(buckets - 1, Math.floor(((num(times, i) - t0) / span) * buckets));
  const out = [first];
  let j = 1;
  while (j < m - 1) {
    const b = bucketOf(keep[j] ?? 0);
    let lo = keep[j] ?? 0;
    let hi = lo;
    let k = j + 1;
    for (; k < m - 1 && bucketOf(keep[k] ?? 0) === b; k++) {
      const i = keep[k] ?? 0;
      if (num(values, i) < num(values, lo)) lo = i;
      if (num(values, i) > num(values, hi)) hi = i;
    }
    if (lo === hi) out.push(lo);
    else out.push(Math.min(lo, hi), Math.max(lo, hi));
    j = k;
  }
  out.push(last);
  return out;
}
