import { describe, expect, it } from 'vitest';
import type { MetricSample, MetricsResponse } from '../../src/ports/metrics.js';
import type { CustomRuleFunction } from '../../src/rules/custom.js';
import { SimulatedFleet } from '../../src/sim/fleet.js';
import { simulate } from '../../src/sim/simulate.js';
import { SIMULATED_METRICS, TraceMetrics } from '../../src/sim/trace-metrics.js';
import { ManualClock } from '../../src/testing/manual-clock.js';

const SEC = 1000;
const MIN = 60_000;
/** 2024-01-01 00:00 UTC. */
const T0 = Date.UTC(2024, 0, 1);

/** A load that is `values[i]` from `times[i]` on (0 before the first). */
function stepLoad(times: number[], values: number[]): (t: number) => number {
  return (t) => {
    let value = 0;
    for (let i = 0; i < times.length && (times[i] as number) <= t; i++) value = values[i] as number;
    return value;
  };
}

interface Rig {
  clock: ManualClock;
  fleet: SimulatedFleet;
  metrics: TraceMetrics;
  /** Move the clock to `t` and take a sample there. */
  sampleAt(t: number): void;
  /** What a rule asking for `names` over `window` would be answered at `now`. */
  read(now: number, names: readonly string[], window: number, perUnit?: boolean): Promise<MetricsResponse>;
}

/** A fleet of `ready` units (ready at 0) on a manual clock, measured with capacity c per unit. */
function rig(options: { ready: number; load: (t: number) => number; c: number; step: number }): Rig {
  const clock = new ManualClock(0);
  const fleet = new SimulatedFleet({
    clock,
    provisioningDelay: () => 0,
    drainDelay: () => 0,
    initialCapacity: options.ready,
  });
  const metrics = new TraceMetrics(options.load, fleet, options.c, options.step);
  return {
    clock,
    fleet,
    metrics,
    sampleAt(t) {
      clock.advance(t - clock.now());
      metrics.sample(t);
    },
    read(now, names, window, perUnit = false) {
      return metrics.read(
        { groupId: 'g', now, labels: {}, metrics: names.map((name) => ({ name, window, perUnit })) },
        { signal: new AbortController().signal },
      );
    },
  };
}

/** Every value of one metric sampled so far, NaN-free (a read over all time). */
async function column(r: Rig, name: string): Promise<[number, number][]> {
  const response = await r.read(r.clock.now(), [name], Number.MAX_SAFE_INTEGER);
  return (response[name]?.samples ?? []).map((s) => [s.timestamp, s.value]);
}

describe('TraceMetrics', () => {
  it('offers the documented metrics', () => {
    expect(SIMULATED_METRICS).toEqual([
      'load',
      'utilization',
      'queue_length',
      'queue_wait',
      'served',
      'ready_units',
    ]);
  });

  it.each<{ name: string; ready: number; load: number; expected: Record<string, number> }>([
    {
      // 30 / (2 × 10) = 1.5: overloaded; served min(30, 2 × 10) = 20.
      name: 'overloaded',
      ready: 2,
      load: 30,
      expected: { load: 30, utilization: 1.5, served: 20, ready_units: 2 },
    },
    {
      // 12 / (4 × 10) = 0.3; served min(12, 40) = 12.
      name: 'under target',
      ready: 4,
      load: 12,
      expected: { load: 12, utilization: 0.3, served: 12, ready_units: 4 },
    },
    {
      // No load: utilization 0 / 10 = 0 (a real sample, unlike the no-unit case).
      name: 'idle',
      ready: 1,
      load: 0,
      expected: { load: 0, utilization: 0, served: 0, ready_units: 1 },
    },
  ])('one sample: load, utilization = load / (ready × c), served, ready units ($name)', async (row) => {
    const r = rig({ ready: row.ready, load: () => row.load, c: 10, step: MIN });
    r.sampleAt(0);
    const response = await r.read(0, Object.keys(row.expected), MIN);
    const got = Object.fromEntries(
      Object.entries(response).map(([name, series]) => [name, series?.samples.map((s) => s.value)]),
    );
    expect(got).toEqual(Object.fromEntries(Object.entries(row.expected).map(([k, v]) => [k, [v]])));
  });

  it('has no utilization sample while no unit is ready (nothing to measure), and resumes after', async () => {
    const r = rig({ ready: 0, load: () => 5, c: 10, step: MIN });
    r.sampleAt(0);
    r.sampleAt(30 * SEC);
    r.fleet.add(30 * SEC, 60 * SEC);
    r.sampleAt(60 * SEC);
    // 5 / (1 × 10) = 0.5 once u1 is ready at 60 s; nothing at 0 and 30 s.
    expect(await column(r, 'utilization')).toEqual([[60 * SEC, 0.5]]);
    expect(await column(r, 'ready_units')).toEqual([
      [0, 0],
      [30 * SEC, 0],
      [60 * SEC, 1],
    ]);
    expect(await column(r, 'served')).toEqual([
      [0, 0],
      [30 * SEC, 0],
      [60 * SEC, 5],
    ]);
  });

  it('backlog of a steady overload grows by (λ − s·c) · Δ / step per sample, and drains, never below 0', async () => {
    // c = 10, one unit, trace step 60 s, samples every 30 s (Δ / step = 0.5).
    // λ = 30 throughout: each sample adds (30 − 10) · 0.5 = 10 → 0, 10, 20, 30.
    const r = rig({ ready: 1, load: () => 30, c: 10, step: MIN });
    for (const t of [0, 30, 60, 90]) r.sampleAt(t * SEC);
    expect(await column(r, 'queue_length')).toEqual([
      [0, 0],
      [30 * SEC, 10],
      [60 * SEC, 20],
      [90 * SEC, 30],
    ]);

    const idle = rig({ ready: 2, load: () => 5, c: 10, step: MIN });
    for (const t of [0, 30, 60]) idle.sampleAt(t * SEC);
    // Spare capacity never makes the queue negative: max(0, 0 + (5 − 20) · 0.5) = 0.
    expect(await column(idle, 'queue_length')).toEqual([
      [0, 0],
      [30 * SEC, 0],
      [60 * SEC, 0],
    ]);
  });

  it.each<{ name: string; load: (t: number) => number; readyFrom: number | null; expected: number[] }>([
    {
      // The load is a step function: [30 s, 60 s) carried λ = 30 and [60 s, 90 s) λ = 0.
      //   0 s: 0
      //  30 s: [0, 30) at λ 30:   0 + (30 − 10) · 0.5 = 10
      //  60 s: [30, 60) at λ 30: 10 + (30 − 10) · 0.5 = 20
      //  90 s: [60, 90) at λ 0:  20 + (0 − 10) · 0.5 = 15
      // 120 s: [90, 120) at λ 0: 15 − 5 = 10
      // Charging each interval with the load at its end instead loses the 10 units of work that
      // arrived in [30 s, 60 s) (backlog 10, 5, 0, 0), and on a trace sampled once per step it
      // shows each step's arrivals one sample before they happen.
      name: 'λ = 30 on [0, 60 s) then 0, one unit',
      load: stepLoad([0, 60 * SEC], [30, 0]),
      readyFrom: null,
      expected: [0, 10, 20, 15, 10],
    },
    {
      // λ = 30 throughout; a second unit is ready from 60 s, so [30 s, 60 s) was still served by
      // one unit: 0, 10, 10 + 10 = 20, then 20 + (30 − 20) · 0.5 = 25, 30.
      name: 'a unit ready at 60 s serves nothing before 60 s',
      load: () => 30,
      readyFrom: 60 * SEC,
      expected: [0, 10, 20, 25, 30],
    },
  ])(
    'backlog: the time since the last sample is charged with what held during it ($name)',
    async ({ load, readyFrom, expected }) => {
      // c = 10, one unit ready from the start, trace step 60 s, samples every 30 s (Δ / step = 0.5).
      const r = rig({ ready: 1, load, c: 10, step: MIN });
      if (readyFrom !== null) r.fleet.add(0, readyFrom);
      for (const t of [0, 30, 60, 90, 120]) r.sampleAt(t * SEC);
      expect(await column(r, 'queue_length')).toEqual(expected.map((v, i) => [i * 30 * SEC, v]));
    },
  );

  it('queue_wait: seconds the backlog takes to drain at the current service rate', async () => {
    // c = 10, two units, trace step 60 s, samples every 60 s (Δ / step = 1), λ = 40 constant:
    // backlog 0, 0 + (40 − 20) = 20, 40; wait = backlog / (2 × 10) steps × 60 s = 0, 60, 120 s.
    const r = rig({ ready: 2, load: () => 40, c: 10, step: MIN });
    for (const t of [0, 60, 120]) r.sampleAt(t * SEC);
    expect(await column(r, 'queue_length')).toEqual([
      [0, 0],
      [60 * SEC, 20],
      [120 * SEC, 40],
    ]);
    expect(await column(r, 'queue_wait')).toEqual([
      [0, 0],
      [60 * SEC, 60],
      [120 * SEC, 120],
    ]);
  });

  it('queue_wait has no sample while work waits and no unit is ready, and is 0 with no backlog', async () => {
    const r = rig({ ready: 0, load: () => 10, c: 10, step: MIN });
    r.sampleAt(0); // backlog 0 → wait 0
    r.sampleAt(60 * SEC); // backlog 10 with no unit: no wait can be given
    expect(await column(r, 'queue_wait')).toEqual([[0, 0]]);
    expect(await column(r, 'queue_length')).toEqual([
      [0, 0],
      [60 * SEC, 10],
    ]);
  });

  it('answers with the samples in (now − window, now]: the window start excluded, the future left out', async () => {
    const r = rig({ ready: 1, load: (t) => t / SEC, c: 10, step: MIN });
    for (const t of [0, 30, 60, 90]) r.sampleAt(t * SEC);
    const loads = async (now: number, window: number) =>
      ((await r.read(now, ['load'], window)).load?.samples ?? []).map((s: MetricSample) => s.timestamp / SEC);
    expect(await loads(90 * SEC, 60 * SEC)).toEqual([60, 90]); // 30 is exactly now − window: out
    expect(await loads(75 * SEC, 60 * SEC)).toEqual([30, 60]); // 90 is after now: out
    expect(await loads(90 * SEC, 61 * SEC)).toEqual([30, 60, 90]);
    expect(await loads(90 * SEC, 1)).toEqual([90]);
    expect(await loads(-1, MIN)).toEqual([]);
  });

  it('leaves out metrics it does not offer', async () => {
    const r = rig({ ready: 1, load: () => 1, c: 10, step: MIN });
    r.sampleAt(0);
    expect(Object.keys(await r.read(0, ['load', 'cpu'], MIN))).toEqual(['load']);
  });

  it('gives utilization per ready unit when asked: every ready unit carries the same share', async () => {
    const r = rig({ ready: 2, load: () => 30, c: 10, step: MIN });
    r.fleet.add(0, 90 * SEC); // u3, booting until 90 s
    r.sampleAt(0);
    r.sampleAt(60 * SEC);
    const response = await r.read(60 * SEC, ['utilization', 'load'], 2 * MIN, true);
    // 30 / (2 × 10) = 1.5 at both instants (u3 is not ready), for u1 and u2 only.
    const samples = [
      { timestamp: 0, value: 1.5 },
      { timestamp: 60 * SEC, value: 1.5 },
    ];
    expect(response.utilization).toEqual({ samples, perUnit: { u1: samples, u2: samples } });
    // Only utilization is spread per unit; other metrics come as plain series.
    expect(response.load).toEqual({
      samples: [
        { timestamp: 0, value: 30 },
        { timestamp: 60 * SEC, value: 30 },
      ],
    });
    // Without perUnit, none.
    expect((await r.read(60 * SEC, ['utilization'], 2 * MIN)).utilization).toEqual({ samples });
  });

  it('gives no per-unit series when there is no utilization sample', async () => {
    const r = rig({ ready: 0, load: () => 30, c: 10, step: MIN });
    r.sampleAt(0);
    expect((await r.read(0, ['utilization'], MIN, true)).utilization).toEqual({ samples: [] });
  });
});

describe('the load a simulated policy sees', () => {
  it('is the trace as a step function: each value holds until the next timestamp', async () => {
    // Trace points at 0, 3 and 4 min; gaps 3 and 1 min, so the step (median of an even count:
    // mean of the middle two) is 2 min and the run ends at 4 + 2 = 6 min. A custom rule that
    // abstains records value('load') on each 1-minute tick at 0, 1, …, 5 min; samples are taken
    // every minute, before the tick of the same instant.
    const seen: [number, number | undefined][] = [];
    const record: CustomRuleFunction = ({ now, value }) => {
      seen.push([(now - T0) / MIN, value('load')]);
      return null;
    };
    const result = await simulate({
      trace: { timestamps: [T0, T0 + 3 * MIN, T0 + 4 * MIN], values: [10, 40, 5] },
      policy: {
        minCapacity: 1,
        maxCapacity: 5,
        evaluationInterval: '1m',
        rules: [
          { kind: 'custom', name: 'record', metrics: [{ name: 'load', window: '1m' }], propose: record },
        ],
      },
      fleet: { capacityPerUnit: 10 },
      sampleInterval: '1m',
    });
    expect(result.trace.step).toBe(2 * MIN);
    expect(seen).toEqual([
      [0, 10],
      [1, 10],
      [2, 10],
      [3, 40],
      [4, 5],
      [5, 5],
    ]);
    expect(result.timeline.load).toEqual([10, 10, 10, 40, 5, 5]);
  });
});
