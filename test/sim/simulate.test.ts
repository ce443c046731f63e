import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ScalingGroupConfigInput } from '../../src/config/group.js';
import { ConfigError } from '../../src/errors.js';
import type { CustomRuleFunction } from '../../src/rules/custom.js';
import { simulate } from '../../src/sim/simulate.js';
import { parseTraceCsv } from '../../src/sim/trace-csv.js';
import type {
  DelaySpec,
  PolicySpec,
  SimulationOptions,
  SimulationResult,
  TraceInput,
} from '../../src/sim/types.js';

const MIN = 60_000;
const DAY = 86_400_000;
/** 2024-01-01 00:00 UTC. */
const T0 = Date.UTC(2024, 0, 1);

// ─── A run small enough to work out by hand ──────────────────────────────────────────────────
//
// Trace: 4 points 2 min apart, load 10, 35, 35, 10 (step 2 min, so the run is [0, 8 min)).
// Capacity 10 per unit → demand ⌈λ/10⌉ = 1, 4, 4, 1. Provisioning delay fixed at 2 min, drain 0.
// Policy: target tracking on `load` with targetPerUnit 10 (Kubernetes AverageValue: desired =
// ⌈load / 10⌉ when outside the 10 % tolerance), the last sample of a 1-minute window, a
// 1-minute period, and no scale-down stabilization. Samples every minute (the default: the
// trace step, at most 60 s), each taken before the tick of the same instant.
//
// Initial capacity: the first demand, 1 (u1, ready at 0).
// Ticks at 0, 1, …, 7 min (load seen = the sample at the same instant):
//   0, 1 min: load 10, 1 unit: ratio 10 / (10 · 1) = 1 → within tolerance, keep 1.
//   2 min:    load 35: ratio 3.5 → ⌈35 / 10⌉ = 4; the default scale-up rate (max of +4 units or
//             +100 % per 15 s) allows 1 + 4 = 5 ≥ 4 → scale out 1 → 4: u2, u3, u4 launched at
//             2 min, ready at 4 min.
//   3–5 min:  load 35, 4 units (booting ones count as desired): ratio 35 / 40 = 0.875, outside
//             the tolerance, proposes ⌈3.5⌉ = 4 = current → no change.
//   6 min:    load 10: ratio 10 / 40 = 0.25 → ⌈1⌉ = 1; no stabilization, the default scale-down
//             rate (100 % per 15 s) allows it → scale in 4 → 1: u2..u4 removed, released at once.
//   7 min:    load 10, 1 unit: keep.
//
// Supply (ready units): 1 on [0, 4), 4 on [4, 6), 1 on [6, 8). Demand: 1 on [0, 2), 4 on [2, 6),
// 1 on [6, 8). T = 8 min. Pieces: [0,2) d1 s1 · [2,4) d4 s1 · [4,6) d4 s4 · [6,8) d1 s1.
//   θU = 100/8 · (4 − 1)/4 · 2 = 18.75;  θO = 0;  τU = 100/8 · 2 = 25;  τO = 0.
//   k, k′ over T − Δt₁ = 6 min: [2,4) Δd +3, Δs 0 → k′ 2 min; [4,6) Δd 0, Δs +3 → k 2 min;
//   [6,8) both −3 → neither. k = k′ = 100 · 2/6 = 33.3…; κ = 66.6…
//   jitter: E_S = 3 + 3 = E_D = 3 + 3 → 0.
//   SLO minutes: λ/c > s only on [2, 4) (3.5 > 1) → 2.
//   Unserved: ∫(λ − s·c)⁺ = (35 − 10) · 2 = 50 over ∫λ = 10·2 + 35·4 + 10·2 = 180 → 50/180.
//   Unit-hours: u1 8 min + u2..u4 4 min each (launch 2 → release 6) = 20 min = 1/3 h; each is
//   over the 60 s minimum and whole seconds, so billed the same. Oracle ∫d = 1·2 + 4·4 + 1·2 =
//   20 min = 1/3 h too: the 2 min the three booting units are paid for match the 2 min they
//   are missing. Static peak: 4 · 8 min = 32 min = 0.5333 h.
//   Scale-out to ready: one action at 2 min whose units are all ready at 4 min → 120 000 ms.

const tinyTrace: TraceInput = {
  timestamps: [0, 2, 4, 6].map((m) => T0 + m * MIN),
  values: [10, 35, 35, 10],
};

const tinyPolicy = {
  id: 'tiny',
  minCapacity: 1,
  maxCapacity: 10,
  evaluationInterval: '1m',
  behavior: { scaleDown: { stabilizationWindow: 0 } },
  rules: [{ kind: 'target-tracking', metric: 'load', targetPerUnit: 10, statistic: 'last', window: '1m' }],
} satisfies ScalingGroupConfigInput;

const tiny = (over: Partial<SimulationOptions> = {}): Promise<SimulationResult> =>
  simulate({
    trace: tinyTrace,
    policy: tinyPolicy,
    fleet: { capacityPerUnit: 10, provisioningDelay: '2m' },
    ...over,
  });

const at = (minutes: number) => T0 + minutes * MIN;

describe('simulate: a run worked out by hand', () => {
  it('records the trace, the resolved fleet and the scored range', async () => {
    const result = await tiny();
    expect(result).toMatchObject({
      format: 'tideway.simulation',
      version: 1,
      name: 'tiny',
      policy: 'tiny',
      seed: 1,
      trace: { points: 4, start: T0, end: at(8), step: 2 * MIN },
      fleet: {
        capacityPerUnit: 10,
        provisioningDelay: '2m',
        drainDelay: 0,
        initialCapacity: 1,
        billing: { granularity: 1000, minimum: 60_000, pricePerUnitHour: 1 },
      },
      scored: { start: T0, end: at(8) },
    });
    expect(result.trace.hash).toMatch(/^[0-9a-f]{8}$/);
  });

  it('samples the timeline every minute, before the tick of the same instant', async () => {
    const { timeline } = await tiny();
    expect(timeline.times).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map(at));
    expect(timeline.load).toEqual([10, 10, 35, 35, 35, 35, 10, 10]);
    expect(timeline.demand).toEqual([1, 1, 4, 4, 4, 4, 1, 1]);
    // Ready lags the scale-out at 2 min by the 2-minute delay; the sample at 6 min precedes
    // the scale-in tick at 6 min.
    expect(timeline.ready).toEqual([1, 1, 1, 1, 4, 4, 4, 1]);
    expect(timeline.desired).toEqual([1, 1, 1, 4, 4, 4, 4, 1]);
    expect(timeline.paid).toEqual([1, 1, 1, 4, 4, 4, 4, 1]);
    // Cumulative cost, price 1: paid units held since the previous sample, per minute 1/60 h:
    // 0, 1, 2, 3 (1 unit each), then +4 per minute: 7, 11, 15, 19 — in sixtieths.
    expect(timeline.cost.map((c) => Math.round(c * 60 * 1e9) / 1e9)).toEqual([0, 1, 2, 3, 7, 11, 15, 19]);
  });

  it('applies the two decisions worked out above, with their reasons and sentences', async () => {
    const { decisions } = await tiny();
    expect(decisions).toEqual([
      {
        at: at(2),
        from: 1,
        to: 4,
        reason: 'ScaleOut',
        message: 'Scale out from 1 to 4: load 35 is above target 10 per unit (10 for 1 unit).',
      },
      {
        at: at(6),
        from: 4,
        to: 1,
        reason: 'ScaleIn',
        message: 'Scale in from 4 to 1: load 10 is below target 10 per unit (40 for 4 units).',
      },
    ]);
  });

  it('scores supply against demand, SLO, unit-hours and scale-out-to-ready as worked out above', async () => {
    const { scores } = await tiny();
    expect(scores).toEqual({
      thetaU: 18.75,
      thetaO: 0,
      tauU: 25,
      tauO: 0,
      k: expect.closeTo(100 / 3, 9),
      kPrime: expect.closeTo(100 / 3, 9),
      kappa: expect.closeTo(200 / 3, 9),
      jitter: 0,
      duration: 8 * MIN,
      sloViolationMinutes: 2,
      unservedShare: expect.closeTo(50 / 180, 12),
      unitHours: expect.closeTo(1 / 3, 12),
      billedUnitHours: expect.closeTo(1 / 3, 12),
      cost: expect.closeTo(1 / 3, 12),
      oracleUnitHours: expect.closeTo(1 / 3, 12),
      staticPeakUnitHours: expect.closeTo(32 / 60, 12),
      costVsOracle: expect.closeTo(1, 12),
      costVsStaticPeak: expect.closeTo(20 / 32, 12),
      scaleOuts: 1,
      scaleIns: 1,
      scaleOutToReady: { count: 1, mean: 2 * MIN, p50: 2 * MIN, p95: 2 * MIN, max: 2 * MIN },
    });
    // τU · T / 100 is the SLO-violation time when demand is ⌈λ / c⌉ (elasticity-metrics §1.4).
    expect((scores.tauU * scores.duration) / 100 / MIN).toBe(scores.sloViolationMinutes);
  });

  it('excludes the warm-up from every score but keeps the whole run in the timeline', async () => {
    // Scored [4, 8 min): [4,6) d4 s4 and [6,8) d1 s1 — nothing under or over; both move by −3
    // together, so k = k′ = 0 and jitter 0. The scale-out at 2 min is outside, the scale-in at
    // 6 min inside. Unit-hours inside: u1 4 min + u2..u4 2 min each = 10 min; billed: each
    // unit's charge times its share inside — u1 8 min · 4/8, u2..u4 4 min · 2/4 — = 10 min.
    // Oracle ∫d over [4, 8) = 4·2 + 1·2 = 10 min; static peak: the demand 4 holding at 4 min
    // counts, 4 · 4 min = 16 min.
    const result = await tiny({ warmup: '4m' });
    expect(result.scored).toEqual({ start: at(4), end: at(8) });
    expect(result.scores).toMatchObject({
      thetaU: 0,
      thetaO: 0,
      tauU: 0,
      tauO: 0,
      k: 0,
      kPrime: 0,
      jitter: 0,
      duration: 4 * MIN,
      sloViolationMinutes: 0,
      unservedShare: 0,
      scaleOuts: 0,
      scaleIns: 1,
      scaleOutToReady: { count: 0, mean: 0, p50: 0, p95: 0, max: 0 },
    });
    expect(result.scores.unitHours).toBeCloseTo(10 / 60, 12);
    expect(result.scores.billedUnitHours).toBeCloseTo(10 / 60, 12);
    expect(result.scores.oracleUnitHours).toBeCloseTo(10 / 60, 12);
    expect(result.scores.staticPeakUnitHours).toBeCloseTo(16 / 60, 12);
    expect(result.timeline.times).toHaveLength(8);
    expect(result.decisions).toHaveLength(2);
  });

  it.each<{
    name: string;
    billing: { granularity?: string | number; minimum?: string | number; pricePerUnitHour?: number };
    billedMinutes: number;
    price: number;
  }>([
    // Lifetimes: u1 8 min, u2..u4 4 min each (paid exactly: 20 min).
    {
      name: 'exact (granularity 0, no minimum)',
      billing: { granularity: 0, minimum: 0 },
      billedMinutes: 20,
      price: 1,
    },
    // ⌈8/5⌉·5 = 10 and ⌈4/5⌉·5 = 5 each → 10 + 15 = 25 min, at 3 per unit-hour.
    {
      name: '5-minute granularity, no minimum, price 3',
      billing: { granularity: '5m', minimum: 0, pricePerUnitHour: 3 },
      billedMinutes: 25,
      price: 3,
    },
    // Every unit at least 10 min: 10 + 3 · 10 = 40 min.
    { name: '10-minute minimum', billing: { minimum: '10m' }, billedMinutes: 40, price: 1 },
    // Hourly, as Ilyushkin et al.'s charged CPU-hours: four units, one hour each.
    { name: 'hourly', billing: { granularity: '1h', minimum: 0 }, billedMinutes: 240, price: 1 },
  ])('bills by granularity and minimum: $name', async ({ billing, billedMinutes, price }) => {
    const { scores, fleet } = await tiny({
      fleet: { capacityPerUnit: 10, provisioningDelay: '2m', billing },
    });
    expect(scores.unitHours).toBeCloseTo(20 / 60, 12);
    expect(scores.billedUnitHours).toBeCloseTo(billedMinutes / 60, 12);
    expect(scores.cost).toBeCloseTo((billedMinutes / 60) * price, 12);
    // Oracle: 20 min.
    expect(scores.costVsOracle).toBeCloseTo(billedMinutes / 20, 12);
    expect(fleet.billing.pricePerUnitHour).toBe(price);
  });

  it('pays draining units until released, though they no longer serve', async () => {
    // Drain 90 s: u2..u4 stop serving at 6 min and are released at 7.5 min, so the sample at
    // 7 min still pays 4. Unit-hours: u1 8 + 3 · (7.5 − 2) = 24.5 min. Supply is unchanged.
    const drained = await tiny({
      fleet: { capacityPerUnit: 10, provisioningDelay: '2m', drainDelay: '90s' },
    });
    const plain = await tiny();
    expect(drained.timeline.paid).toEqual([1, 1, 1, 4, 4, 4, 4, 4]);
    expect(drained.timeline.ready).toEqual(plain.timeline.ready);
    expect(drained.scores.unitHours).toBeCloseTo(24.5 / 60, 12);
    expect(drained.scores.tauU).toBe(plain.scores.tauU);
  });

  it('runs a policy with a custom rule through the same pipeline', async () => {
    const demand: CustomRuleFunction = ({ value }) => {
      const load = value('load');
      return load === undefined
        ? null
        : { capacity: load / 10, message: `load ${load} asks for ${load / 10}` };
    };
    const policy: PolicySpec = {
      minCapacity: 1,
      maxCapacity: 10,
      evaluationInterval: '1m',
      behavior: { scaleDown: { stabilizationWindow: 0 } },
      rules: [{ kind: 'custom', name: 'demand', metrics: [{ name: 'load', window: '1m' }], propose: demand }],
    };
    const result = await tiny({ policy });
    // ⌈35 / 10⌉ = 4 at 2 min, 10 / 10 = 1 at 6 min: the same supply as the target-tracking run.
    expect(result.policy).toBe('custom');
    expect(result.decisions.map((d) => [d.at, d.from, d.to, d.reason, d.message])).toEqual([
      [at(2), 1, 4, 'ScaleOut', 'Scale out from 1 to 4: load 35 asks for 3.5.'],
      [at(6), 4, 1, 'ScaleIn', 'Scale in from 4 to 1: load 10 asks for 1.'],
    ]);
    expect(result.scores).toEqual((await tiny()).scores);
  });

  it('oracle follows demand with no delay; oracle-lead launches each unit its delay early', async () => {
    // Oracle: supply = demand, nothing under or over; paid = ∫d = 20 min.
    // Oracle-lead with a 2-minute delay: u2..u4 launched at 0 (2 min before demand rises at
    // 2 min), ready at 2 min, removed at 6 min. Still no under-provisioning, but it pays the
    // boot: u1 8 + 3 · 6 = 26 min = 1.3 × the oracle's 20.
    const oracle = await tiny({ policy: 'oracle' });
    const lead = await tiny({ policy: 'oracle-lead' });
    for (const { scores } of [oracle, lead]) {
      expect(scores).toMatchObject({ thetaU: 0, thetaO: 0, tauU: 0, tauO: 0, sloViolationMinutes: 0 });
    }
    expect(oracle.scores.unitHours).toBeCloseTo(20 / 60, 12);
    expect(lead.scores.unitHours).toBeCloseTo(26 / 60, 12);
    expect(lead.scores.costVsOracle).toBeCloseTo(1.3, 12);
    // Billed earlier: paid 4 from the first sample on, while ready follows demand.
    expect(lead.timeline.paid).toEqual([4, 4, 4, 4, 4, 4, 1, 1]);
    expect(lead.timeline.ready).toEqual([1, 1, 4, 4, 4, 4, 1, 1]);
    expect(oracle.timeline.paid).toEqual([1, 1, 4, 4, 4, 4, 1, 1]);
    expect(lead.decisions.map((d) => [d.at, d.from, d.to, d.reason])).toEqual([
      [at(2), 1, 4, 'OracleLead'],
      [at(6), 4, 1, 'OracleLead'],
    ]);
    expect(oracle.decisions[0]).toEqual({
      at: at(2),
      from: 1,
      to: 4,
      reason: 'Oracle',
      message: 'Demand rises to 4 units.',
    });
    // The reactive run launched the same units at 2 min instead, and was short for 2 minutes.
    expect((await tiny()).scores.tauU).toBe(25);
  });

  it.each([
    // K8s HPA arithmetic on a step from 40 to 80 with capacity 10 and target 0.8: at 5 min the
    // 5 ready units run at 80 / 50 = 1.6, so ⌈5 · 1.6 / 0.8⌉ = 10. Once those 10 are ready they
    // run at 80 / 100 = 0.8 = target, so the fleet stays at 10 — with any provisioning delay;
    // the load never exceeds 80, so no correct reading of it asks for more than 10.
    { name: '5-minute delay', delay: '5m' },
    { name: '30-second delay', delay: '30s' },
  ])(
    'hpa-like settles at the HPA size after a load step and never overshoots it ($name)',
    async ({ delay }) => {
      const result = await simulate({
        trace: { timestamps: [0, 5, 10, 15].map(at), values: [40, 80, 80, 80] },
        policy: 'hpa-like',
        fleet: { capacityPerUnit: 10, provisioningDelay: delay, initialCapacity: 5 },
      });
      expect(Math.max(...result.timeline.desired)).toBe(10);
      expect(result.timeline.desired[result.timeline.desired.length - 1]).toBe(10);
    },
  );
});

describe('simulate: option validation', () => {
  const base: SimulationOptions = { trace: tinyTrace, policy: 'oracle', fleet: { capacityPerUnit: 10 } };

  it.each<{ name: string; options: SimulationOptions; path: string; message: RegExp | string }>([
    {
      name: 'timestamps not increasing',
      options: { ...base, trace: { timestamps: [at(0), at(1), at(1)], values: [1, 2, 3] } },
      path: 'trace.timestamps[2]',
      message: `trace.timestamps[2]: expected a timestamp after ${at(1)}, got ${at(1)}`,
    },
    {
      name: 'a negative load',
      options: { ...base, trace: { timestamps: [at(0), at(1)], values: [1, -5] } },
      path: 'trace.values[1]',
      message: /^trace\.values\[1\]: expected .*≥ 0, got -5$/,
    },
    {
      name: 'fewer values than timestamps',
      options: { ...base, trace: { timestamps: [at(0), at(1)], values: [1] } },
      path: 'trace.values',
      message: 'trace.values: expected 2 values (one per timestamp), got 1',
    },
    {
      name: 'capacityPerUnit 0',
      options: { ...base, fleet: { capacityPerUnit: 0 } },
      path: 'fleet.capacityPerUnit',
      message: 'fleet.capacityPerUnit: expected a number > 0, got 0',
    },
    {
      name: 'an unknown baseline',
      options: { ...base, policy: 'nope' as PolicySpec },
      path: 'policy',
      message:
        'policy: expected a baseline name (static-peak, static-mean, oracle, oracle-lead, hpa-like, react, hist, reg) or a scaling group config, got "nope"',
    },
    {
      name: 'a sample interval of 0',
      options: { ...base, sampleInterval: 0 },
      path: 'sampleInterval',
      message: 'sampleInterval: expected a sample interval longer than 0, got 0',
    },
    {
      name: 'a misspelt key',
      options: { ...base, warmUp: '1m' } as SimulationOptions,
      path: 'warmUp',
      message: /^warmUp: unknown key \(did you mean "warmup"\?\)/,
    },
    {
      // The run is [0, 8 min), so a warm-up of 8 min leaves nothing to score.
      name: 'a warm-up as long as the trace',
      options: { ...base, warmup: '8m' },
      path: 'warmup',
      message: /^warmup: expected a warm-up shorter than the trace \(480000 ms\), got 480000/,
    },
  ])('rejects $name with ARGUMENT_INVALID, path and message', async ({ options, path, message }) => {
    const error = await simulate(options).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: 'ARGUMENT_INVALID' });
    const issues = (error as ConfigError).issues;
    expect(issues.map((i) => i.path)).toEqual([path]);
    if (typeof message === 'string') expect(issues[0]?.message).toBe(message);
    else expect(issues[0]?.message).toMatch(message);
  });

  it('accepts a warm-up just shorter than the trace', async () => {
    const result = await simulate({ ...base, warmup: 8 * MIN - 1 });
    expect(result.scores.duration).toBe(1);
  });

  it('rejects a bad policy config with CONFIG_INVALID at its path', async () => {
    const error = await simulate({ ...base, policy: { minCapacity: 2, maxCapacity: 1 } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
    expect((error as ConfigError).issues.map((i) => [i.path, i.message])).toEqual([
      ['maxCapacity', 'maxCapacity: expected a number ≥ minCapacity (2), got 1'],
    ]);
  });
});

// ─── The bundled trace ───────────────────────────────────────────────────────────────────────

const taxi = parseTraceCsv(
  readFileSync(new URL('../../examples/data/nab_nyc_taxi.csv', import.meta.url), 'utf8'),
);

/** The first `days` days of the NYC taxi trace (30-minute steps: 48 points a day). */
function sliceDays(days: number): TraceInput {
  const n = days * 48;
  return { timestamps: taxi.timestamps.slice(0, n), values: taxi.values.slice(0, n) };
}

describe('simulate: determinism', () => {
  const day = sliceDays(1);
  const run = (seed: number, provisioningDelay: DelaySpec) =>
    simulate({ trace: day, policy: 'hpa-like', fleet: { capacityPerUnit: 1000, provisioningDelay }, seed });
  const lognormal = { distribution: 'lognormal', median: '90s', sigma: 0.8 } as const;

  it('the same options and seed give byte-identical JSON', async () => {
    const a = JSON.stringify(await run(7, lognormal));
    expect(JSON.stringify(await run(7, lognormal))).toBe(a);
  });

  it('another seed changes a run whose delays are drawn', async () => {
    const a = await run(7, lognormal);
    const b = await run(8, lognormal);
    // Not only the recorded seed: the drawn delays change when units become ready.
    expect(JSON.stringify({ ...b, seed: 7 })).not.toBe(JSON.stringify(a));
    expect(b.timeline.ready).not.toEqual(a.timeline.ready);
  });

  it('with a fixed delay the seed changes nothing but the recorded seed', async () => {
    const a = await run(7, '90s');
    const b = await run(8, '90s');
    expect(b.seed).toBe(8);
    expect(JSON.stringify({ ...b, seed: 7 })).toBe(JSON.stringify(a));
  });
});

describe('simulate: the bundled NYC taxi trace', () => {
  // 1,000 passengers per half hour per unit: the week's peak of 29,985 needs 30 units.
  const fleet = { capacityPerUnit: 1000, provisioningDelay: '5m' };
  const week = sliceDays(7);

  it('first week: oracle scores 0 on θU, θO, τU, τO and pays exactly the oracle unit-hours', async () => {
    const { scores } = await simulate({ trace: week, policy: 'oracle', fleet });
    expect(scores).toMatchObject({ thetaU: 0, thetaO: 0, tauU: 0, tauO: 0, sloViolationMinutes: 0 });
    expect(scores.unitHours).toBeCloseTo(scores.oracleUnitHours, 9);
  });

  it('first week: static-peak is never under-provisioned (τU = 0) and pays the static-peak unit-hours', async () => {
    const { scores } = await simulate({ trace: week, policy: 'static-peak', fleet });
    expect(scores.tauU).toBe(0);
    expect(scores.thetaU).toBe(0);
    expect(scores.sloViolationMinutes).toBe(0);
    // 30 units × 7 days × 24 h = 5,040 unit-hours, which is also max d × T.
    expect(scores.unitHours).toBeCloseTo(30 * 7 * 24, 9);
    expect(scores.unitHours).toBeCloseTo(scores.staticPeakUnitHours, 9);
  });

  it('first week: the point and step are read as NAB wrote them', async () => {
    const { trace } = await simulate({ trace: week, policy: 'oracle', fleet });
    expect(trace).toMatchObject({ points: 7 * 48, start: Date.UTC(2014, 6, 1), step: 30 * MIN });
    expect(trace.end - trace.start).toBe(7 * DAY);
  });

  it('whole trace (215 days): oracle scores 0 and static-peak has τU = 0', { timeout: 30_000 }, async () => {
    const oracle = await simulate({ trace: taxi, policy: 'oracle', fleet });
    const peak = await simulate({ trace: taxi, policy: 'static-peak', fleet });
    expect(oracle.scores).toMatchObject({ thetaU: 0, thetaO: 0, tauU: 0, tauO: 0 });
    expect(peak.scores.tauU).toBe(0);
    // The peak of 39,197 (2014-11-02 01:00) sets 40 units for 215 days.
    expect(peak.scores.unitHours).toBeCloseTo(40 * 215 * 24, 6);
    expect(peak.trace.end - peak.trace.start).toBe(215 * DAY);
  });
});
