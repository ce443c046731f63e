import { argumentError } from '../config/issues.js';
import { formatDuration, parseDuration } from '../core/duration.js';
import { elasticSpeedup, paretoFront, winRates } from './aggregate.js';
import { BASELINES } from './baselines.js';
import { simulate } from './simulate.js';
import type {
  BaselineName,
  ComparisonResult,
  ComparisonRun,
  DelaySpec,
  FleetOptions,
  ParetoPoint,
  PolicySpec,
  SimulationResult,
  TraceInput,
} from './types.js';

/** A policy with the label it goes by in a comparison. */
export interface NamedPolicy {
  /** The label. */
  readonly name: string;
  /**
   * The policy, or a function that makes a fresh one per run: give a function when the policy
   * has a custom rule that keeps state between ticks, so no run inherits another's state.
   */
  readonly policy: PolicySpec | (() => PolicySpec);
}

/** What {@link compare} takes. */
export interface CompareOptions {
  /** Traces to replay, each with a label. */
  readonly traces: readonly { readonly name: string; readonly trace: TraceInput }[];
  /** Policies: baseline names, or labelled policies. */
  readonly policies: readonly (BaselineName | NamedPolicy)[];
  /** Provisioning delays to try; each overrides `fleet.provisioningDelay`. @default [fleet's delay] */
  readonly delays?: readonly DelaySpec[];
  /** The simulated fleet. */
  readonly fleet: FleetOptions;
  /** Speedups are measured against this policy (run too when not listed). @default 'hpa-like' */
  readonly baseline?: string;
  /** Seed of every run. @default 1 */
  readonly seed?: number;
  /** Sample interval of every run. */
  readonly sampleInterval?: string | number;
  /** Warm-up excluded from scoring in every run. */
  readonly warmup?: string | number;
  /** Keep every run's full result in `results` (for reports). @default false */
  readonly keepResults?: boolean;
  /** Called after each run with how many are done of how many. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Lower is better on each of these; they are what win rates count. */
const COMPETED = [
  'thetaU',
  'thetaO',
  'tauU',
  'tauO',
  'kappa',
  'jitter',
  'sloViolationMinutes',
  'billedUnitHours',
] as const;

/**
 * A label for a delay spec: the duration as written (`"90s"`), ms rendered as a duration, or a
 * distribution in one line.
 *
 * @example
 * delayLabel(90_000); // '1m30s'
 */
export function delayLabel(delay: DelaySpec): string {
  if (typeof delay === 'string') return delay;
  if (typeof delay === 'number') return formatDuration(delay);
  switch (delay.distribution) {
    case 'uniform':
      return `uniform(${label(delay.min)}..${label(delay.max)})`;
    case 'lognormal':
      return `lognormal(${label(delay.median)}, σ=${delay.sigma})`;
    case 'exponential':
      return `exponential(${label(delay.mean)})`;
  }
}

function label(value: string | number): string {
  const ms = typeof value === 'number' ? value : parseDuration(value);
  return ms === undefined ? String(value) : formatDuration(ms);
}

function named(policy: BaselineName | NamedPolicy): NamedPolicy {
  return typeof policy === 'string' ? { name: policy, policy } : policy;
}

/**
 * Run every policy on every trace at every delay, then rank them: elastic speedup against the
 * baseline on the same trace and delay (geometric mean of θU, θO, τU, τO ratios, floored at
 * 0.01 %), pairwise win rates over θU, θO, τU, τO, κ, |jitter|, SLO minutes and billed
 * unit-hours, and the Pareto front of billed unit-hours against SLO-violation minutes within each
 * trace and delay. Runs are sequential and deterministic.
 *
 * @throws ConfigError (`ARGUMENT_INVALID`) for duplicate labels or an empty list
 * @example
 * const comparison = await compare({
 *   traces: [{ name: 'taxi', trace }], policies: ['hpa-like', 'react', { name: 'mine', policy }],
 *   delays: ['30s', '5m'], fleet: { capacityPerUnit: 1000 },
 * });
 */
export async function compare(options: CompareOptions): Promise<ComparisonResult> {
  const policies = options.policies.map(named);
  const baseline = options.baseline ?? 'hpa-like';
  if (!policies.some((p) => p.name === baseline)) {
    if (!(BASELINES as readonly string[]).includes(baseline)) {
      throw argumentError(
        'baseline',
        `one of the listed policies or a baseline (${BASELINES.join(', ')})`,
        baseline,
        'comparison options',
      );
    }
    policies.push({ name: baseline, policy: baseline as BaselineName });
  }
  unique(
    'policies',
    policies.map((p) => p.name),
  );
  unique(
    'traces',
    options.traces.map((t) => t.name),
  );
  if (options.traces.length === 0)
    throw argumentError('traces', 'at least one trace', [], 'comparison options');
  const delays = options.delays ?? [options.fleet.provisioningDelay ?? 0];
  if (delays.length === 0) throw argumentError('delays', 'at least one delay', [], 'comparison options');
  unique('delays', delays.map(delayLabel));

  const total = options.traces.length * delays.length * policies.length;
  const runs: ComparisonRun[] = [];
  const results: SimulationResult[] = [];
  let done = 0;
  for (const { name: traceName, trace } of options.traces) {
    for (const delay of delays) {
      const delayName = delayLabel(delay);
      const group: { policy: string; result: SimulationResult }[] = [];
      for (const { name, policy } of policies) {
        const result = await simulate({
          trace,
          policy: typeof policy === 'function' ? policy() : policy,
          fleet: { ...options.fleet, provisioningDelay: delay },
          name: `${name} on ${traceName} at ${delayName}`,
          ...(options.seed !== undefined ? { seed: options.seed } : {}),
          ...(options.sampleInterval !== undefined ? { sampleInterval: options.sampleInterval } : {}),
          ...(options.warmup !== undefined ? { warmup: options.warmup } : {}),
        });
        group.push({ policy: name, result });
        options.onProgress?.(++done, total);
      }
      const base = group.find((g) => g.policy === baseline)?.result.scores;
      for (const { policy, result } of group) {
        runs.push({
          trace: traceName,
          delay: delayName,
          policy,
          scores: result.scores,
          speedup: base === undefined ? 1 : policy === baseline ? 1 : elasticSpeedup(result.scores, base),
        });
        if (options.keepResults) results.push(result);
      }
    }
  }

  const rates = winRates(
    runs.map((run) => ({
      policy: run.policy,
      group: `${run.trace}\u0000${run.delay}`,
      metrics: Object.fromEntries(
        COMPETED.map((key) => [key, key === 'jitter' ? Math.abs(run.scores.jitter) : run.scores[key]]),
      ),
    })),
  );
  const pareto: ParetoPoint[] = [];
  const groups = new Map<string, ParetoPoint[]>();
  for (const run of runs) {
    const key = `${run.trace}\u0000${run.delay}`;
    const list = groups.get(key) ?? [];
    list.push({
      policy: run.policy,
      trace: run.trace,
      delay: run.delay,
      cost: run.scores.billedUnitHours,
      sloViolationMinutes: run.scores.sloViolationMinutes,
    });
    groups.set(key, list);
  }
  for (const points of groups.values()) pareto.push(...paretoFront(points));

  return {
    format: 'tideway.comparison',
    version: 1,
    baseline,
    runs,
    winRates: rates,
    pareto,
    ...(options.keepResults ? { results } : {}),
  };
}

function unique(path: string, names: readonly string[]): void {
  const seen = new Set<string>();
  for (const [index, name] of names.entries()) {
    if (seen.has(name))
      throw argumentError(`${path}[${index}]`, 'a label not used before', name, 'comparison options');
    seen.add(name);
  }
}

/**
 * Render a comparison as a plain-text table: one row per run with the SPEC metrics, SLO
 * minutes, billed unit-hours and their ratio to the oracle, scale-outs, and speedup against the
 * baseline (`*` marks the Pareto front of its trace and delay), then the win rates.
 *
 * @example
 * console.log(formatComparison(await compare(options)));
 */
export function formatComparison(result: ComparisonResult): string {
  const onFront = new Set(result.pareto.map((p) => `${p.trace}\u0000${p.delay}\u0000${p.policy}`));
  const header = [
    'trace',
    'delay',
    'policy',
    'θU %',
    'θO %',
    'τU %',
    'τO %',
    'κ %',
    'SLO min',
    'unit-h',
    'vs oracle',
    'outs',
    'speedup',
    '',
  ];
  const rows = result.runs.map((run) => {
    const s = run.scores;
    return [
      run.trace,
      run.delay,
      run.policy,
      fixed(s.thetaU, 2),
      fixed(s.thetaO, 1),
      fixed(s.tauU, 2),
      fixed(s.tauO, 1),
      fixed(s.kappa, 1),
      fixed(s.sloViolationMinutes, 0),
      fixed(s.billedUnitHours, 0),
      s.costVsOracle === null ? 'n/a' : fixed(s.costVsOracle, 2),
      String(s.scaleOuts),
      fixed(run.speedup, 2),
      onFront.has(`${run.trace}\u0000${run.delay}\u0000${run.policy}`) ? '*' : '',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const numeric = (i: number) => i >= 3 && i < header.length - 1;
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (numeric(i) ? cell.padStart(widths[i] as number) : cell.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  const out = [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  out.push('');
  out.push(
    `speedup: elastic speedup against ${result.baseline} on the same trace and delay (> 1 is better); * Pareto front of unit-hours vs SLO minutes`,
  );
  const rates = Object.entries(result.winRates)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([policy, rate]) => `${policy} ${(rate * 100).toFixed(0)} %`);
  out.push(`win rates (pairwise, all metrics): ${rates.join(', ')}`);
  return out.join('\n');
}

function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : String(value);
}
