// Hand-built simulation and comparison results for the report tests. The shapes follow
// src/sim/types.ts; the numbers come from closed-form curves (no randomness), so every fixture is
// the same on every run and a test can say exactly what a chart must draw.
import { downsample, forecastOf } from '../../src/sim/report.js';
import type {
  ComparisonResult,
  ComparisonRun,
  ParetoPoint,
  SimulationDecision,
  SimulationResult,
  SimulationScores,
} from '../../src/sim/types.js';

/** 2024-01-01 00:00 UTC. */
export const T0 = Date.UTC(2024, 0, 1);
const HOUR = 3_600_000;

/** A hostile string: markup, an attribute break-out and a script, in one. */
export const HOSTILE = `<script>alert("x")</script>"><img src=x onerror=alert(1)>&amp;'`;

export interface SimulationFixtureOptions {
  /** Timeline samples. @default 240 */
  readonly points?: number;
  /** Sample interval, ms. @default 60_000 */
  readonly step?: number;
  /** @default 'steady' */
  readonly name?: string;
  /** @default 'hpa-like' */
  readonly policy?: string;
  /** Provisioning lag in samples. @default 3 */
  readonly lag?: number;
  /** Builds each decision's message. @default a plain sentence */
  readonly message?: (decision: Omit<SimulationDecision, 'message'>, index: number) => string;
  /** Decision reason codes. @default ScaleOut / ScaleIn */
  readonly reason?: (from: number, to: number) => string;
  /** Load amplitude multiplier, so runs of a comparison differ. @default 1 */
  readonly amplitude?: number;
}

/**
 * A run over `points` samples: a slow wave of load with a one-sample spike every 997 samples,
 * demand = ⌈load / 50⌉, desired = the highest demand of the last 4 samples (a reactive policy
 * with a short stabilization window), ready = desired `lag` samples ago, paid = max(desired,
 * ready), cost accumulating paid unit-hours at 0.5 per unit-hour.
 */
export function simulationFixture(options: SimulationFixtureOptions = {}): SimulationResult {
  const points = options.points ?? 240;
  const step = options.step ?? 60_000;
  const lag = options.lag ?? 3;
  const amplitude = options.amplitude ?? 1;
  const capacityPerUnit = 50;
  const price = 0.5;
  const times: number[] = [];
  const load: number[] = [];
  const demand: number[] = [];
  const desired: number[] = [];
  const ready: number[] = [];
  const paid: number[] = [];
  const cost: number[] = [];
  const decisions: SimulationDecision[] = [];
  const period = Math.max(8, points / 3);
  for (let i = 0; i < points; i++) {
    times.push(T0 + i * step);
    const wave = 220 + 160 * amplitude * Math.sin((2 * Math.PI * i) / period);
    const spike = i % 997 === 500 ? 400 : 0;
    load.push(Math.round((wave + spike) * 100) / 100);
    demand.push(Math.ceil((load[i] as number) / capacityPerUnit));
    let want = 0;
    for (let j = Math.max(0, i - 3); j <= i; j++) want = Math.max(want, demand[j] as number);
    desired.push(want);
    ready.push(desired[Math.max(0, i - lag)] as number);
    paid.push(Math.max(desired[i] as number, ready[i] as number));
    cost.push(i === 0 ? 0 : (cost[i - 1] as number) + ((paid[i - 1] as number) * step * price) / HOUR);
    if (i > 0 && desired[i] !== desired[i - 1]) {
      const from = desired[i - 1] as number;
      const to = desired[i] as number;
      const base = {
        at: times[i] as number,
        from,
        to,
        reason: options.reason?.(from, to) ?? (to > from ? 'ScaleOut' : 'ScaleIn'),
      };
      decisions.push({
        ...base,
        message: options.message?.(base, decisions.length) ?? `Capacity changed from ${from} to ${to}.`,
      });
    }
  }
  const outs = decisions.filter((d) => d.to > d.from).length;
  const end = T0 + points * step;
  return {
    format: 'tideway.simulation',
    version: 1,
    name: options.name ?? 'steady',
    policy: options.policy ?? 'hpa-like',
    seed: 1,
    trace: { points, start: T0, end, step, hash: '811c9dc5' },
    fleet: {
      capacityPerUnit,
      provisioningDelay: lag * step,
      drainDelay: { distribution: 'uniform', min: 30_000, max: 90_000 },
      initialCapacity: demand[0] ?? 0,
      billing: { granularity: 1_000, minimum: 60_000, pricePerUnitHour: price },
    },
    // A warm-up of 10 samples, so the chart shades it.
    scored: { start: T0 + 10 * step, end },
    scores: scoresFixture({
      duration: end - T0 - 10 * step,
      scaleOuts: outs,
      scaleIns: decisions.length - outs,
      cost: cost[cost.length - 1] ?? 0,
    }),
    timeline: { times, load, demand, ready, desired, paid, cost },
    decisions,
  };
}

/** Scores with every field set to a distinct, recognisable value; `overrides` replace some. */
export function scoresFixture(overrides: Partial<SimulationScores> = {}): SimulationScores {
  return {
    thetaU: 3.25,
    thetaO: 41.5,
    tauU: 12.5,
    tauO: 70.25,
    k: 4.5,
    kPrime: 8.75,
    kappa: 13.25,
    jitter: 1.125,
    duration: 4 * HOUR,
    sloViolationMinutes: 17,
    unservedShare: 0.0125,
    unitHours: 25.5,
    billedUnitHours: 26,
    cost: 13,
    oracleUnitHours: 18.25,
    staticPeakUnitHours: 40,
    costVsOracle: 1.424657,
    costVsStaticPeak: 0.65,
    scaleOuts: 9,
    scaleIns: 8,
    scaleOutToReady: { count: 9, mean: 181_000, p50: 180_000, p95: 240_000, max: 242_500 },
    ...overrides,
  };
}

/** The fixture with a forecast band attached, as a future `forecast` field would carry it. */
export function withForecast(result: SimulationResult): SimulationResult & {
  readonly forecast: { times: number[]; mean: number[]; lower: number[]; upper: number[] };
} {
  const { times, load } = result.timeline;
  const step = result.trace.step;
  const horizon = Math.floor(times.length / 2);
  const from = times.length - horizon;
  const forecast = {
    times: [] as number[],
    mean: [] as number[],
    lower: [] as number[],
    upper: [] as number[],
  };
  // A forecast issued halfway through, running 30 samples past the end.
  for (let i = from; i < times.length + 30; i++) {
    const mean = load[Math.min(i, load.length - 1)] ?? 0;
    const width = 15 + (40 * (i - from)) / horizon;
    forecast.times.push(T0 + i * step);
    forecast.mean.push(mean);
    forecast.lower.push(Math.max(0, mean - width));
    forecast.upper.push(mean + width);
  }
  return { ...result, forecast };
}

/** Billed unit-hours and SLO minutes of each policy on each trace; the fronts are marked. */
const RUNS: readonly {
  trace: string;
  policy: string;
  billed: number;
  minutes: number;
  pareto: boolean;
  speedup: number;
}[] = [
  { trace: 'nab-cpu', policy: 'hpa-like', billed: 30, minutes: 40, pareto: false, speedup: 1 },
  { trace: 'nab-cpu', policy: 'react', billed: 28, minutes: 25, pareto: true, speedup: 1.4 },
  { trace: 'nab-cpu', policy: 'tideway <predictive>', billed: 34, minutes: 5, pareto: true, speedup: 2.1 },
  { trace: 'nab-cpu', policy: 'static-peak', billed: 60, minutes: 0, pareto: true, speedup: 0.9 },
  { trace: 'wiki "de"', policy: 'hpa-like', billed: 120, minutes: 90, pareto: true, speedup: 1 },
  { trace: 'wiki "de"', policy: 'react', billed: 125, minutes: 95, pareto: false, speedup: 0.8 },
  {
    trace: 'wiki "de"',
    policy: 'tideway <predictive>',
    billed: 131.5,
    minutes: 12,
    pareto: true,
    speedup: 1.9,
  },
  { trace: 'wiki "de"', policy: 'static-peak', billed: 210, minutes: 0, pareto: true, speedup: 0.7 },
];

/**
 * Four policies on two traces with one delay: every run's scores, speedups against `hpa-like`,
 * win rates and the Pareto front of each trace. With `results`, each run's full result too.
 */
export function comparisonFixture(options: { readonly results?: boolean } = {}): ComparisonResult {
  const delay = '30s';
  const runs: ComparisonRun[] = RUNS.map((r) => ({
    trace: r.trace,
    delay,
    policy: r.policy,
    scores: scoresFixture({
      billedUnitHours: r.billed,
      cost: r.billed * 0.5,
      sloViolationMinutes: r.minutes,
    }),
    speedup: r.speedup,
  }));
  const pareto: ParetoPoint[] = RUNS.filter((r) => r.pareto).map((r) => ({
    policy: r.policy,
    trace: r.trace,
    delay,
    cost: r.billed,
    sloViolationMinutes: r.minutes,
  }));
  const base: ComparisonResult = {
    format: 'tideway.comparison',
    version: 1,
    baseline: 'hpa-like',
    runs,
    winRates: { 'hpa-like': 0.4, react: 0.45, 'tideway <predictive>': 0.75, 'static-peak': 0.4 },
    pareto,
  };
  if (options.results !== true) return base;
  const results = RUNS.map((r, i) =>
    simulationFixture({
      points: 180 + 20 * i,
      name: `${r.trace} / ${r.policy}`,
      policy: r.policy,
      lag: 1 + (i % 4),
      amplitude: 0.6 + 0.1 * i,
    }),
  );
  return { ...base, results };
}

/**
 * How many vertices each series of a run's charts must have, by `data-series` name, computed with
 * {@link downsample} straight from the result: load ÷ capacity per unit and cumulative cost as
 * lines, units as steps, and, when there is a forecast, its mean and its band (the two bounds at
 * half the budget each, so the band stays within `maxPoints`).
 */
export function expectedPoints(result: SimulationResult, maxPoints: number): Record<string, number> {
  const { timeline, fleet } = result;
  const n = (values: readonly number[], shape: 'line' | 'step', times = timeline.times, max = maxPoints) =>
    downsample(times, values, max, shape).times.length;
  const out: Record<string, number> = {
    'load-units': n(
      timeline.load.map((v) => v / fleet.capacityPerUnit),
      'line',
    ),
    demand: n(timeline.demand, 'step'),
    ready: n(timeline.ready, 'step'),
    desired: n(timeline.desired, 'step'),
    paid: n(timeline.paid, 'step'),
    cost: n(timeline.cost, 'line'),
  };
  const forecast = forecastOf(result);
  if (forecast !== undefined) {
    const units = (values: readonly number[]) => values.map((v) => v / fleet.capacityPerUnit);
    const half = Math.floor(maxPoints / 2);
    out['forecast-band'] =
      n(units(forecast.lower), 'line', forecast.times, half) +
      n(units(forecast.upper), 'line', forecast.times, half);
    out['forecast-mean'] = n(units(forecast.mean), 'line', forecast.times);
  }
  return out;
}
