import { z } from 'zod';
import { type ScalingGroupConfigInput, validateGroupConfig } from '../config/group.js';
import { argumentError, parseOrThrow } from '../config/issues.js';
import { DURATION_EXPECTED, parseDuration } from '../core/duration.js';
import { AutoScalingManager } from '../runtime/manager.js';
import { ManualClock } from '../testing/manual-clock.js';
import { seededRandom } from '../testing/seeded-random.js';
import { BASELINES, baselinePolicy, type ResolvedPolicy } from './baselines.js';
import { delaySampler, fleetOptionsSchema, SimulatedFleet, type SimulatedUnit } from './fleet.js';
import {
  demandSeries,
  elasticityScores,
  integrate,
  latencyStats,
  sloViolationTime,
  unitCharges,
  unservedShare,
} from './scores.js';
import { TraceMetrics } from './trace-metrics.js';
import type {
  BaselineName,
  DelaySpec,
  SimulationDecision,
  SimulationOptions,
  SimulationResult,
  SimulationScores,
  StepSeries,
  TimeRange,
} from './types.js';

const duration = () =>
  z.union([z.string(), z.number()]).refine((v) => parseDuration(v) !== undefined, {
    message: DURATION_EXPECTED,
    params: { expected: DURATION_EXPECTED },
  });

// Traces run to hundreds of thousands of points: each array is checked in one loop rather than
// by a schema per element.
const numberArray = (what: string, min: number | undefined, one: string) =>
  z
    .custom<number[]>((v) => Array.isArray(v) && v.length > 0, {
      params: { expected: `a non-empty array of ${what}` },
    })
    .superRefine((array, ctx) => {
      for (let i = 0; i < array.length; i++) {
        const v = array[i];
        if (typeof v !== 'number' || !Number.isFinite(v) || (min !== undefined && v < min)) {
          ctx.addIssue({
            code: 'custom',
            path: [i],
            message: one,
            input: v,
            params: { expected: one },
          });
          return;
        }
      }
    });

const traceSchema = z
  .strictObject({
    timestamps: numberArray(
      'finite numbers (ms since the epoch)',
      undefined,
      'a finite number (ms since the epoch)',
    ),
    values: numberArray('finite numbers ≥ 0', 0, 'a finite number ≥ 0'),
  })
  .superRefine((trace, ctx) => {
    if (trace.timestamps.length !== trace.values.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['values'],
        message: 'as many values as timestamps',
        input: trace.values.length,
        params: {
          expected: `${trace.timestamps.length} values (one per timestamp)`,
          received: `${trace.values.length}`,
        },
      });
    }
    for (let i = 1; i < trace.timestamps.length; i++) {
      if (!((trace.timestamps[i] as number) > (trace.timestamps[i - 1] as number))) {
        ctx.addIssue({
          code: 'custom',
          path: ['timestamps', i],
          message: 'strictly increasing timestamps',
          input: trace.timestamps[i],
          params: { expected: `a timestamp after ${trace.timestamps[i - 1]}` },
        });
        return;
      }
    }
  });

const optionsSchema = z.strictObject({
  trace: traceSchema,
  policy: z.union([z.enum(BASELINES as [BaselineName, ...BaselineName[]]), z.looseObject({})], {
    error: `a baseline name (${BASELINES.join(', ')}) or a scaling group config`,
  }),
  fleet: fleetOptionsSchema,
  seed: z.number().int().optional(),
  sampleInterval: duration()
    .refine((v) => (parseDuration(v) as number) > 0, {
      params: { expected: 'a sample interval longer than 0' },
    })
    .optional(),
  warmup: duration().optional(),
  name: z.string().min(1).optional(),
});

/** One hour, ms. */
const HOUR = 3_600_000;

/**
 * Replay a load trace through a policy against a simulated fleet and score it.
 *
 * A group-config policy runs in the real {@link AutoScalingManager} on a `ManualClock`: at each
 * of its fixed-rate due times the simulator calls `evaluate()` and awaits the tick, so every
 * decision goes through the same pipeline as in production. The fleet launches units with a
 * provisioning delay (fixed, or drawn from a seeded distribution), removes them with a drain
 * delay, and bills them from launch to release; booting and draining units are paid for but do
 * not serve. Metrics (see `TraceMetrics`) are sampled at every `sampleInterval`, before any tick
 * due at the same instant. `oracle` and `oracle-lead` are played directly from the demand curve.
 *
 * Deterministic: the same options and seed give a byte-identical `JSON.stringify` of the result.
 *
 * @throws ConfigError (`ARGUMENT_INVALID`) for malformed options, or `CONFIG_INVALID` for a bad policy
 * @example
 * const result = await simulate({ trace, policy: 'hpa-like', fleet: { capacityPerUnit: 100, provisioningDelay: '90s' } });
 * result.scores.sloViolationMinutes;
 */
export async function simulate(options: SimulationOptions): Promise<SimulationResult> {
  const parsed = parseOrThrow(optionsSchema, options, {
    code: 'ARGUMENT_INVALID',
    subject: 'simulation options',
  });
  const { timestamps, values } = parsed.trace;
  if (parsed.fleet.capacityPerUnit === undefined) {
    throw argumentError(
      'fleet.capacityPerUnit',
      'the load one ready unit serves at the SLO (a number > 0)',
      undefined,
      'simulation options',
    );
  }
  const c = parsed.fleet.capacityPerUnit;
  const step = medianStep(timestamps);
  const start = timestamps[0] as number;
  const end = (timestamps[timestamps.length - 1] as number) + step;
  const warmup = parsed.warmup !== undefined ? (parseDuration(parsed.warmup) as number) : 0;
  if (warmup >= end - start) {
    throw argumentError(
      'warmup',
      `a warm-up shorter than the trace (${end - start} ms)`,
      warmup,
      'simulation options',
    );
  }
  const seed = parsed.seed ?? 1;
  const load: StepSeries = { times: timestamps, values };
  const demand = demandSeries(load, c, 0);
  const peakDemand = Math.max(0, ...demand.values);
  const meanLoad = integrate(load, { start, end }) / (end - start);

  const policy: ResolvedPolicy =
    typeof parsed.policy === 'string'
      ? baselinePolicy(parsed.policy, { capacityPerUnit: c, peakDemand, meanLoad })
      : {
          name: nameOf(parsed.policy),
          kind: 'group',
          config: { id: 'sim', ...(parsed.policy as object) } as never,
        };
  const group = policy.kind === 'group' ? validateGroupConfig(policy.config) : undefined;
  // A policy never ticks between samples: by default metrics are sampled at the trace's step,
  // the policy's period, or every minute, whichever is shortest.
  const sampleInterval =
    parsed.sampleInterval !== undefined
      ? (parseDuration(parsed.sampleInterval) as number)
      : Math.min(step, 60_000, group?.evaluationInterval ?? 60_000);

  const random = seededRandom(seed);
  const provisioningDelay: DelaySpec = (parsed.fleet.provisioningDelay ?? 0) as DelaySpec;
  const drainDelay: DelaySpec = (parsed.fleet.drainDelay ?? 0) as DelaySpec;
  const oracle = policy.kind === 'oracle' && !policy.lead;
  // The oracle has no delays, but a malformed delay is still an error, whatever the policy:
  // both samplers are built (which validates them) before the oracle sets them aside.
  const provisioningSampler = delaySampler(provisioningDelay, random);
  const drainSampler = delaySampler(drainDelay, random);
  const drawProvisioning = oracle ? () => 0 : provisioningSampler;
  const drawDrain = oracle ? () => 0 : drainSampler;
  const firstDemand = demand.values[0] as number;
  const initialCapacity =
    parsed.fleet.initialCapacity ??
    (group !== undefined
      ? (group.desiredCapacity ?? Math.min(group.maxCapacity, Math.max(group.minCapacity, firstDemand)))
      : firstDemand);

  const clock = new ManualClock(start);
  const fleet = new SimulatedFleet({
    clock,
    provisioningDelay: drawProvisioning,
    drainDelay: drawDrain,
    initialCapacity,
  });
  const loadAt = stepReader(load);
  const metrics = new TraceMetrics(loadAt, fleet, c, step);
  const billing = {
    granularity: parseDuration(parsed.fleet.billing?.granularity ?? '1s') as number,
    minimum: parseDuration(parsed.fleet.billing?.minimum ?? '60s') as number,
    pricePerUnitHour: parsed.fleet.billing?.pricePerUnitHour ?? 1,
  };

  const timeline = {
    times: [] as number[],
    load: [] as number[],
    demand: [] as number[],
    ready: [] as number[],
    desired: [] as number[],
    paid: [] as number[],
    cost: [] as number[],
  };
  let cost = 0;
  let lastPaid = 0;
  let lastSampleAt = start;
  const takeSample = (t: number): void => {
    metrics.sample(t);
    cost += (lastPaid * (t - lastSampleAt) * billing.pricePerUnitHour) / HOUR;
    const paid = fleet.paidAt(t);
    const l = loadAt(t);
    timeline.times.push(t);
    timeline.load.push(l);
    timeline.demand.push(Math.ceil(l / c));
    timeline.ready.push(fleet.readyAt(t));
    timeline.desired.push(fleet.desired);
    timeline.paid.push(paid);
    timeline.cost.push(cost);
    lastPaid = paid;
    lastSampleAt = t;
  };

  const decisions: SimulationDecision[] = [];
  const scaleOuts: { at: number; units: SimulatedUnit[] }[] = [];

  if (group !== undefined) {
    const manager = new AutoScalingManager({
      metrics,
      controller: fleet,
      clock,
      scheduler: clock,
      historyLimit: 0,
    });
    manager.registerScalingGroup((policy as { config: ScalingGroupConfigInput }).config);
    manager.on('scaled', (event) => {
      decisions.push({
        at: event.at,
        from: event.from,
        to: event.to,
        reason: event.decision.reason,
        message: event.decision.message,
      });
      if (event.to > event.from) {
        scaleOuts.push({
          at: event.at,
          units: fleet.units.slice(fleet.units.length - (event.to - event.from)),
        });
      }
    });
    const interval = group.evaluationInterval;
    let nextSample = start;
    let nextTick = start;
    while (nextSample < end || nextTick < end) {
      // Samples first at a shared instant: a tick sees the sample taken at its own time.
      if (nextSample <= nextTick && nextSample < end) {
        clock.advance(nextSample - clock.now());
        takeSample(nextSample);
        nextSample += sampleInterval;
      } else {
        clock.advance(nextTick - clock.now());
        await manager.evaluate(group.id);
        nextTick += interval;
      }
    }
  } else {
    playOracle(
      policy.kind === 'oracle' && policy.lead,
      demand,
      start,
      end,
      fleet,
      drawProvisioning,
      decisions,
      scaleOuts,
      sampleInterval,
      clock,
      takeSample,
    );
  }
  clock.advance(end - clock.now());

  const scored: TimeRange = { start: start + warmup, end };
  const supply = supplySeries(fleet.units, start, end);
  const lifetimes = fleet.units
    .map((u) => ({
      launchedAt: u.launchedAt,
      releasedAt: Math.min(u.releasedAt ?? end, Math.max(end, u.launchedAt)),
    }))
    .filter((u) => u.releasedAt > u.launchedAt);
  const charges = unitCharges(lifetimes, billing, scored);
  const oracleUnitHours = integrate(demand, scored) / HOUR;
  const scoredPeak = peakOver(demand, scored);
  const staticPeakUnitHours = (scoredPeak * (scored.end - scored.start)) / HOUR;
  const inRange = (at: number) => at >= scored.start && at < scored.end;
  const readyLatencies: number[] = [];
  for (const action of scaleOuts) {
    if (!inRange(action.at) || action.units.length === 0) continue;
    // Only actions whose every unit came up count: a launch cancelled while booting never
    // delivered capacity.
    if (action.units.some((u) => u.removedAt !== null && u.removedAt < u.readyAt)) continue;
    readyLatencies.push(Math.max(...action.units.map((u) => u.readyAt)) - action.at);
  }
  const scores: SimulationScores = {
    ...elasticityScores(demand, supply, scored),
    ...instability(demand, supply, scored, step),
    duration: scored.end - scored.start,
    sloViolationMinutes: sloViolationTime(load, supply, c, scored) / 60_000,
    unservedShare: unservedShare(load, supply, c, scored),
    unitHours: charges.unitHours,
    billedUnitHours: charges.billedUnitHours,
    cost: charges.billedUnitHours * billing.pricePerUnitHour,
    oracleUnitHours,
    staticPeakUnitHours,
    costVsOracle: ratio(charges.billedUnitHours, oracleUnitHours),
    costVsStaticPeak: ratio(charges.billedUnitHours, staticPeakUnitHours),
    scaleOuts: decisions.filter((d) => d.to > d.from && inRange(d.at)).length,
    scaleIns: decisions.filter((d) => d.to < d.from && inRange(d.at)).length,
    scaleOutToReady: latencyStats(readyLatencies),
  };

  return {
    format: 'tideway.simulation',
    version: 1,
    name: parsed.name ?? policy.name,
    policy: policy.name,
    seed,
    trace: { points: timestamps.length, start, end, step, hash: fnv1a(timestamps, values) },
    fleet: { capacityPerUnit: c, provisioningDelay, drainDelay, initialCapacity, billing },
    scored,
    scores,
    timeline,
    decisions,
  };
}

/**
 * k, k′ and κ on the trace's step grid (elasticity-metrics §1.2: "in a fixed-step replay, simply
 * the steps"): demand and supply are read at each step's start and their moves compared step to
 * step. Over exact change points instead, a supply change never falls at the same instant as the
 * demand change it answers, so any policy with a delay scores κ ≈ 100 % and the metric stops
 * telling policies apart. θ, τ and jitter stay exact over change points.
 */
function instability(
  demand: StepSeries,
  supply: StepSeries,
  range: TimeRange,
  step: number,
): Pick<SimulationScores, 'k' | 'kPrime' | 'kappa'> {
  const times: number[] = [];
  for (let t = range.start; t < range.end; t += step) times.push(t);
  if (times.length < 2) return { k: 0, kPrime: 0, kappa: 0 };
  const readDemand = stepReader(demand);
  const readSupply = stepReader(supply);
  const onGrid = (read: (t: number) => number): StepSeries => ({ times, values: times.map(read) });
  const scores = elasticityScores(onGrid(readDemand), onGrid(readSupply), range);
  return { k: scores.k, kPrime: scores.kPrime, kappa: scores.kappa };
}

function nameOf(policy: object): string {
  const id = (policy as { id?: unknown }).id;
  return typeof id === 'string' && id !== '' ? id : 'custom';
}

function ratio(value: number, base: number): number | null {
  if (base === 0) return value === 0 ? 1 : null;
  return value / base;
}

/** The median spacing of the timestamps; one point counts as one minute. */
export function medianStep(timestamps: readonly number[]): number {
  if (timestamps.length < 2) return 60_000;
  const gaps: number[] = [];
  for (let i = 1; i < timestamps.length; i++)
    gaps.push((timestamps[i] as number) - (timestamps[i - 1] as number));
  gaps.sort((a, b) => a - b);
  const mid = gaps.length >> 1;
  return gaps.length % 2 === 1
    ? (gaps[mid] as number)
    : Math.round(((gaps[mid - 1] as number) + (gaps[mid] as number)) / 2);
}

/** A reader of a step series for increasing instants (a moving cursor; earlier instants re-search). */
function stepReader(series: StepSeries): (t: number) => number {
  let i = 0;
  return (t) => {
    if (i > 0 && (series.times[i] as number) > t) i = 0;
    while (i + 1 < series.times.length && (series.times[i + 1] as number) <= t) i++;
    return (series.times[i] as number) <= t ? (series.values[i] as number) : 0;
  };
}

function peakOver(series: StepSeries, range: TimeRange): number {
  let peak = 0;
  for (let i = 0; i < series.times.length; i++) {
    const from = series.times[i] as number;
    const to = i + 1 < series.times.length ? (series.times[i + 1] as number) : Number.POSITIVE_INFINITY;
    if (to > range.start && from < range.end) peak = Math.max(peak, series.values[i] as number);
  }
  return peak;
}

/**
 * Ready units over time: a unit serves on [readyAt, removedAt). Only real changes become points,
 * as the SPEC definitions count intervals between changes.
 */
export function supplySeries(units: readonly SimulatedUnit[], start: number, end: number): StepSeries {
  const delta = new Map<number, number>();
  let atStart = 0;
  for (const unit of units) {
    const from = unit.readyAt;
    const to = unit.removedAt ?? Number.POSITIVE_INFINITY;
    if (!(to > from)) continue;
    if (from <= start && to > start) atStart++;
    if (from > start && from < end) delta.set(from, (delta.get(from) ?? 0) + 1);
    if (to > start && to < end && from <= to) {
      if (from > start || to > start) delta.set(to, (delta.get(to) ?? 0) - 1);
    }
  }
  const times = [start];
  const values = [atStart];
  let level = atStart;
  for (const t of [...delta.keys()].sort((a, b) => a - b)) {
    level += delta.get(t) as number;
    if (level !== values[values.length - 1]) {
      times.push(t);
      values.push(level);
    }
  }
  return { times, values };
}

function playOracle(
  lead: boolean,
  demand: StepSeries,
  start: number,
  end: number,
  fleet: SimulatedFleet,
  draw: () => number,
  decisions: SimulationDecision[],
  scaleOuts: { at: number; units: SimulatedUnit[] }[],
  sampleInterval: number,
  clock: ManualClock,
  takeSample: (t: number) => void,
): void {
  // Work out every launch and removal first, then play them in time order with the samples:
  // removals before launches at the same instant, samples after both.
  interface Action {
    at: number;
    order: number;
    run: () => void;
  }
  const actions: Action[] = [];
  let level = demand.values[0] as number;
  for (let i = 1; i < demand.times.length; i++) {
    const at = demand.times[i] as number;
    if (at >= end) break;
    const next = demand.values[i] as number;
    const from = level;
    if (next > level) {
      const units: SimulatedUnit[] = [];
      for (let k = 0; k < next - level; k++) {
        const delay = lead ? draw() : 0;
        actions.push({ at: at - delay, order: 1, run: () => units.push(fleet.add(at - delay, at)) });
      }
      scaleOuts.push({ at, units });
      decisions.push({
        at,
        from,
        to: next,
        reason: lead ? 'OracleLead' : 'Oracle',
        message: `Demand rises to ${next} unit${next === 1 ? '' : 's'}.`,
      });
    } else if (next < level) {
      const count = level - next;
      actions.push({ at, order: 0, run: () => fleet.remove(count, at, { readyOnly: lead }) });
      decisions.push({
        at,
        from,
        to: next,
        reason: lead ? 'OracleLead' : 'Oracle',
        message: `Demand falls to ${next} unit${next === 1 ? '' : 's'}.`,
      });
    }
    level = next;
  }
  for (let t = start; t < end; t += sampleInterval)
    actions.push({ at: t, order: 2, run: () => takeSample(t) });
  actions.sort((a, b) => a.at - b.at || a.order - b.order);
  for (const action of actions) {
    if (action.at > clock.now()) clock.advance(action.at - clock.now());
    action.run();
  }
}

/** FNV-1a (32-bit) over the bytes of the trace's numbers (float64), as hex: names the exact data a result came from. */
function fnv1a(timestamps: readonly number[], values: readonly number[]): string {
  const bytes = new Uint8Array(8);
  const view = new DataView(bytes.buffer);
  let hash = 0x811c9dc5;
  const feed = (n: number) => {
    view.setFloat64(0, n);
    for (let i = 0; i < 8; i++) hash = Math.imul(hash ^ (bytes[i] as number), 0x01000193) >>> 0;
  };
  for (let i = 0; i < timestamps.length; i++) {
    feed(timestamps[i] as number);
    feed(values[i] as number);
  }
  return hash.toString(16).padStart(8, '0');
}
