import { describe, expect, it } from 'vitest';
import {
  demandSeries,
  elasticityScores,
  integrate,
  latencyStats,
  sloViolationTime,
  unitCharges,
  unservedShare,
} from '../../src/sim/scores.js';
import type { ElasticityScores, StepSeries } from '../../src/sim/types.js';

// Every expected value below is worked out by hand in the comment of its row, from the formulas
// of elasticity-metrics §1 (SPEC form): with T = end − start,
//   θU = 100/T Σ (d−s)⁺/max(d,ε) Δt   θO = 100/T Σ (s−d)⁺/max(d,ε) Δt   τU, τO = 100/T Σ Δt [s<d], [s>d]
//   k  = 100/(T−Δt₁) Σ_{t≥2} Δt [sgn Δs − sgn Δd > 0]   k′ likewise with < 0   κ = k + k′
//   jitter = (Σ|Δs| − Σ|Δd|) per hour = (E_S − E_D) · 3,600,000 / T   (times in ms)

const HOUR = 3_600_000;
const MINUTE = 60_000;

const series = (times: number[], values: number[]): StepSeries => ({ times, values });

describe('elasticityScores', () => {
  it.each<{
    name: string;
    demand: StepSeries;
    supply: StepSeries;
    range: [number, number];
    epsilon?: number;
    expected: ElasticityScores;
  }>([
    {
      // Supply is demand: nothing under, nothing over, every change matched (sgn Δs = sgn Δd),
      // E_S = E_D = |4−2| + |3−4| = 3.
      name: 'oracle: s = d scores 0 everywhere',
      demand: series([0, 60, 120], [2, 4, 3]),
      supply: series([0, 60, 120], [2, 4, 3]),
      range: [0, 180],
      expected: { thetaU: 0, thetaO: 0, tauU: 0, tauO: 0, k: 0, kPrime: 0, kappa: 0, jitter: 0 },
    },
    {
      // Intervals [0,60) d2 s4, [60,120) d4 s4, [120,180) d3 s4; T = 180.
      // θO = 100/180 · (2/2·60 + 0 + 1/3·60) = 100/180 · 80 = 400/9; τO = 100/180 · 120 = 200/3.
      // T − Δt₁ = 120. [60,120): Δd = +2, Δs = 0 → sgn diff −1 → k′ 60.
      //                [120,180): Δd = −1, Δs = 0 → sgn diff +1 → k 60. k = k′ = 100·60/120 = 50.
      // jitter: E_S = 0, E_D = 2 + 1 = 3 → −3 · 3.6e6 / 180 = −60,000 per hour.
      name: 'static peak: never under-provisioned (τU = 0)',
      demand: series([0, 60, 120], [2, 4, 3]),
      supply: series([0], [4]),
      range: [0, 180],
      expected: {
        thetaU: 0,
        thetaO: 400 / 9,
        tauU: 0,
        tauO: 200 / 3,
        k: 50,
        kPrime: 50,
        kappa: 100,
        jitter: -60_000,
      },
    },
    {
      // 60-ms steps; demand changes at 30 and supply at 45, inside the first step, so the range
      // splits into [0,30) d2 s2, [30,45) d4 s2, [45,60) d4 s4, [60,105) d3 s4, [105,120) d3 s3.
      // T = 120. θU = 100/120 · (2/4 · 15) = 6.25; θO = 100/120 · (1/3 · 45) = 12.5.
      // τU = 100/120 · 15 = 12.5; τO = 100/120 · 45 = 37.5.
      // T − Δt₁ = 90. [30,45): Δd +2, Δs 0 → k′ 15. [45,60): Δd 0, Δs +2 → k 15.
      // [60,105): Δd −1, Δs 0 → k 45. [105,120): Δd 0, Δs −1 → k′ 15.
      // k = 100 · 60/90 = 200/3; k′ = 100 · 30/90 = 100/3; κ = 100.
      // jitter: E_S = 2 + 1 = 3, E_D = 2 + 1 = 3 → 0.
      // (Sampling each 60-ms step at its start would see d = s = 2 and d = 3, s = 4: τU = 0.)
      name: 'changes inside a step split it (d at 30, s at 45, 60-ms steps)',
      demand: series([0, 30, 60], [2, 4, 3]),
      supply: series([0, 45, 105], [2, 4, 3]),
      range: [0, 120],
      expected: {
        thetaU: 6.25,
        thetaO: 12.5,
        tauU: 12.5,
        tauO: 37.5,
        k: 200 / 3,
        kPrime: 100 / 3,
        kappa: 100,
        jitter: 0,
      },
    },
    {
      // [0,50) d0 s0, [50,100) d0 s2; T = 100. θO = 100/100 · (2 / max(0, 1)) · 50 = 100.
      // τO = 50. T − Δt₁ = 50; [50,100): Δs +2, Δd 0 → k 50 → k = 100.
      // jitter: E_S = 2, E_D = 0 → 2 · 3.6e6 / 100 = 72,000 per hour.
      name: 'ε: zero demand divides by ε = 1',
      demand: series([0], [0]),
      supply: series([0, 50], [0, 2]),
      range: [0, 100],
      expected: { thetaU: 0, thetaO: 100, tauU: 0, tauO: 50, k: 100, kPrime: 0, kappa: 100, jitter: 72_000 },
    },
    {
      // As above with ε = 0.5: θO = 100/100 · (2 / 0.5) · 50 = 200. Nothing else uses ε.
      name: 'ε: a smaller ε weighs the same surplus more',
      demand: series([0], [0]),
      supply: series([0, 50], [0, 2]),
      range: [0, 100],
      epsilon: 0.5,
      expected: { thetaU: 0, thetaO: 200, tauU: 0, tauO: 50, k: 100, kPrime: 0, kappa: 100, jitter: 72_000 },
    },
    {
      // [0,50) d3 s3, [50,100) d2 s5. Δd −1, Δs +2: sgn diff 1 − (−1) = 2, capped at 1 → k 50
      // → k = 100·50/50 = 100. On levels (all > 0) the signs would cancel and k would be 0.
      // θO = 100/100 · (3/2 · 50) = 75; τO = 50.
      // jitter: E_S = 2, E_D = 1 → 1 · 3.6e6 / 100 = 36,000.
      name: 'k: supply rises while demand falls',
      demand: series([0, 50], [3, 2]),
      supply: series([0, 50], [3, 5]),
      range: [0, 100],
      expected: { thetaU: 0, thetaO: 75, tauU: 0, tauO: 50, k: 100, kPrime: 0, kappa: 100, jitter: 36_000 },
    },
    {
      // [0,50) d2 s2, [50,100) d3 s1. Δd +1, Δs −1: sgn diff −1 − 1 = −2 → k′ 50 → k′ = 100.
      // θU = 100/100 · (2/3 · 50) = 100/3; τU = 50.
      // jitter: E_S = 1, E_D = 1 → 0.
      name: 'k′: supply falls while demand rises',
      demand: series([0, 50], [2, 3]),
      supply: series([0, 50], [2, 1]),
      range: [0, 100],
      expected: { thetaU: 100 / 3, thetaO: 0, tauU: 50, tauO: 0, k: 0, kPrime: 100, kappa: 100, jitter: 0 },
    },
    {
      // [0,50) d2 s2, [50,100) d5 s3. Δd +3, Δs +1: same sign → neither k nor k′ (only the
      // direction counts, not the size). θU = 100/100 · (2/5 · 50) = 20; τU = 50.
      // jitter: E_S = 1, E_D = 3 → −2 · 3.6e6 / 100 = −72,000 (supply adapts less: negative).
      name: 'same direction, smaller step: no instability, negative jitter',
      demand: series([0, 50], [2, 5]),
      supply: series([0, 50], [2, 3]),
      range: [0, 100],
      expected: { thetaU: 20, thetaO: 0, tauU: 50, tauO: 0, k: 0, kPrime: 0, kappa: 0, jitter: -72_000 },
    },
    {
      // Range [100,200): the warm-up before 100 (d5 s1, s → 2 at 50, d → 2 at 100) is ignored,
      // and so are d → 7 at 200 (the end is exclusive) and s → 0 at 250.
      // [100,150) d2 s2, [150,200) d2 s3; T = 100. θO = 100/100 · (1/2 · 50) = 25; τO = 50.
      // T − Δt₁ = 50; [150,200): Δs +1, Δd 0 → k = 100.
      // jitter: only the change at 150 counts (the one at 100 is at range.start): E_S = 1,
      // E_D = 0 → 3.6e6 / 100 = 36,000.
      name: 'range clipping: warm-up and changes at or after the end excluded',
      demand: series([0, 100, 200], [5, 2, 7]),
      supply: series([0, 50, 150, 250], [1, 2, 3, 0]),
      range: [100, 200],
      expected: { thetaU: 0, thetaO: 25, tauU: 0, tauO: 50, k: 100, kPrime: 0, kappa: 100, jitter: 36_000 },
    },
    {
      // One interval [0,100) d3 s1: θU = 100 · 2/3 = 200/3, τU = 100; nothing can change, so
      // k = k′ = 0 (T − Δt₁ = 0) and jitter = 0.
      name: 'a single interval has no instability',
      demand: series([0], [3]),
      supply: series([0], [1]),
      range: [0, 100],
      expected: { thetaU: 200 / 3, thetaO: 0, tauU: 100, tauO: 0, k: 0, kPrime: 0, kappa: 0, jitter: 0 },
    },
    {
      // Demand's points at 50 and 100 repeat its value but still cut: [0,25) d2 s2,
      // [25,50) d2 s3, [50,100) d2 s3, [100,150) d2 s3; T = 150, T − Δt₁ = 125.
      // Only [25,50) has Δs +1, Δd 0 → k = 100 · 25/125 = 20.
      // θO = 100/150 · (1/2 · 125) = 125/3; τO = 100/150 · 125 = 250/3.
      // jitter: E_S = 1, E_D = 0 → 3.6e6 / 150 = 24,000.
      name: 'a time point that repeats its value still cuts (per-step scoring)',
      demand: series([0, 50, 100], [2, 2, 2]),
      supply: series([0, 25], [2, 3]),
      range: [0, 150],
      expected: {
        thetaU: 0,
        thetaO: 125 / 3,
        tauU: 0,
        tauO: 250 / 3,
        k: 20,
        kPrime: 0,
        kappa: 20,
        jitter: 24_000,
      },
    },
    {
      // Minutes rather than ms: [0,30m) d2 s2, [30m,60m) d4 s2; T = 1 h.
      // θU = 100 · (2/4 · 30)/60 = 25; τU = 50; T − Δt₁ = 30m, [30m,60m): Δd +2, Δs 0 → k′ = 100.
      // jitter: E_S = 0, E_D = 2 over one hour → −2 per hour.
      name: 'jitter is per hour',
      demand: series([0, 30 * MINUTE], [2, 4]),
      supply: series([0], [2]),
      range: [0, HOUR],
      expected: { thetaU: 25, thetaO: 0, tauU: 50, tauO: 0, k: 0, kPrime: 100, kappa: 100, jitter: -2 },
    },
  ])('$name', ({ demand, supply, range: [start, end], epsilon, expected }) => {
    const options = epsilon === undefined ? {} : { epsilon };
    const scores = elasticityScores(demand, supply, { start, end }, options);
    expect(Object.keys(scores).sort()).toEqual(Object.keys(expected).sort());
    for (const key of Object.keys(expected) as (keyof ElasticityScores)[]) {
      expect(scores[key], key).toBeCloseTo(expected[key], 9);
    }
  });

  it('a series starting exactly at range.start is defined over the whole range', () => {
    // [100,150) d1 s2 → θO = 100/100 · (1/1 · 50) = 50, τO = 50.
    const scores = elasticityScores(series([100], [1]), series([100, 150], [2, 1]), { start: 100, end: 200 });
    expect(scores.thetaO).toBeCloseTo(50, 9);
    expect(scores.tauO).toBeCloseTo(50, 9);
  });

  it.each([
    {
      name: 'demand starts after the range (undefined there)',
      demand: series([10], [1]),
      supply: series([0], [1]),
      options: {},
      message: /`demand` to start at or before range.start 0, got its first point at 10/,
    },
    {
      name: 'supply starts after the range',
      demand: series([0], [1]),
      supply: series([5, 20], [1, 2]),
      options: {},
      message: /`supply` to start at or before range.start 0/,
    },
    {
      name: 'an empty series',
      demand: series([], []),
      supply: series([0], [1]),
      options: {},
      message: /`demand` to have at least one point/,
    },
    {
      name: 'times not strictly increasing',
      demand: series([0, 10, 10], [1, 2, 3]),
      supply: series([0], [1]),
      options: {},
      message: /strictly increasing, got 10 at index 2/,
    },
    {
      name: 'times and values of different lengths',
      demand: series([0, 10], [1]),
      supply: series([0], [1]),
      options: {},
      message: /as many values as times \(2\), got 1/,
    },
    {
      name: 'ε = 0',
      demand: series([0], [1]),
      supply: series([0], [1]),
      options: { epsilon: 0 },
      message: /`epsilon` to be a finite number > 0, got 0/,
    },
  ])('throws a RangeError: $name', ({ demand, supply, options, message }) => {
    expect(() => elasticityScores(demand, supply, { start: 0, end: 100 }, options)).toThrow(RangeError);
    expect(() => elasticityScores(demand, supply, { start: 0, end: 100 }, options)).toThrow(message);
  });

  it('throws a RangeError on an empty range (T = 0 normalises nothing)', () => {
    expect(() => elasticityScores(series([0], [1]), series([0], [1]), { start: 50, end: 50 })).toThrow(
      /`range.end` to be after range.start 50, got 50/,
    );
  });
});

describe('integrate', () => {
  it.each([
    // 2·60 + 5·60 = 420
    { name: 'whole steps', range: [0, 120], expected: 420 },
    // 2·30 + 5·30 = 210
    { name: 'clipped at both ends, inside steps', range: [30, 90], expected: 210 },
    // 2·60 + 5·140 = 820: the last value holds to the end of the range
    { name: 'the last value holds past the last point', range: [0, 200], expected: 820 },
    // 5·100 = 500
    { name: 'wholly after the last point', range: [100, 200], expected: 500 },
    { name: 'an empty range', range: [50, 50], expected: 0 },
  ])('$name', ({ range: [start, end], expected }) => {
    expect(integrate(series([0, 60], [2, 5]), { start: start as number, end: end as number })).toBe(expected);
  });

  it('rejects a series starting after the range and a reversed range', () => {
    expect(() => integrate(series([10], [1]), { start: 0, end: 100 })).toThrow(RangeError);
    expect(() => integrate(series([0], [1]), { start: 100, end: 0 })).toThrow(
      /at least range.start 100, got 0/,
    );
  });
});

describe('sloViolationTime and unservedShare', () => {
  // Capacity 10 per unit. Load [0,30) 20, [30,90) 25, [90,120) 15; supply [0,45) 2, [45,∞) 3.
  // Pieces: [0,30) λ20 s2 (20 = 2·10 exactly: not a violation), [30,45) λ25 s2 (25 > 20),
  // [45,90) λ25 s3 (25 ≤ 30), [90,120) λ15 s3.
  const load = series([0, 30, 90], [20, 25, 15]);
  const supply = series([0, 45], [2, 3]);

  it.each([
    // Only [30,45) violates: 15 ms. λ = s·c on [0,30) is at capacity, not over it.
    // unserved: (25 − 20)·15 = 75; offered: 20·30 + 25·60 + 15·30 = 600 + 1500 + 450 = 2550.
    { name: 'load at exactly capacity is no violation', range: [0, 120], slo: 15, unserved: 75 / 2550 },
    // [0,30) alone: no violation, nothing unserved (20 − 20 = 0), offered 600.
    { name: 'only the boundary piece', range: [0, 30], slo: 0, unserved: 0 },
    // [35,50): violation on [35,45) = 10 ms; unserved 5·10 = 50 of 25·15 = 375.
    { name: 'clipped inside pieces', range: [35, 50], slo: 10, unserved: 50 / 375 },
  ])('$name', ({ range: [start, end], slo, unserved }) => {
    const range = { start: start as number, end: end as number };
    expect(sloViolationTime(load, supply, 10, range)).toBe(slo);
    expect(unservedShare(load, supply, 10, range)).toBeCloseTo(unserved, 12);
  });

  it.each([
    // No load: nothing offered, so nothing unserved; no violation either.
    { name: 'no load', load: series([0], [0]), supply: series([0], [0]), slo: 0, unserved: 0 },
    // No supply: all 100 ms violated, every bit unserved.
    { name: 'no supply', load: series([0], [7]), supply: series([0], [0]), slo: 100, unserved: 1 },
    // Plenty of supply: 7 ≤ 1·10.
    { name: 'enough supply', load: series([0], [7]), supply: series([0], [1]), slo: 0, unserved: 0 },
  ])('$name', ({ load, supply, slo, unserved }) => {
    expect(sloViolationTime(load, supply, 10, { start: 0, end: 100 })).toBe(slo);
    expect(unservedShare(load, supply, 10, { start: 0, end: 100 })).toBe(unserved);
  });

  it('agrees with τU · T / 100 for demand = demandSeries(load, c), even with a fractional capacity', () => {
    // In decimals 0.9 = 3 · 0.3 and 2.1 = 7 · 0.3, both exactly at capacity. In floats
    // 3 * 0.3 = 0.8999999999999999 < 0.9 while 0.9 / 0.3 = 3, and 2.1 / 0.3 = 7.000000000000001
    // while 7 * 0.3 = 2.1. ceil(λ / c) makes demand [3, 8], so τU counts [60,80) only:
    // τU = 100 · 20/80 = 25, τU · T / 100 = 20. Comparing λ > s · c would count [0,60) instead.
    const fractional = series([0, 60], [0.9, 2.1]);
    const ready = series([0, 60], [3, 7]);
    const range = { start: 0, end: 80 };
    const { tauU } = elasticityScores(demandSeries(fractional, 0.3), ready, range);
    expect((tauU * 80) / 100).toBe(20);
    expect(sloViolationTime(fractional, ready, 0.3, range)).toBe(20);
  });

  it('rejects a capacity that is not > 0', () => {
    expect(() => sloViolationTime(load, supply, 0, { start: 0, end: 10 })).toThrow(/`capacityPerUnit`/);
    expect(() => unservedShare(load, supply, -1, { start: 0, end: 10 })).toThrow(RangeError);
  });
});

describe('unitCharges', () => {
  const exact = { granularity: 0, minimum: 0 };
  const hourly = { granularity: HOUR, minimum: 0 };
  const perSecondMinuteMinimum = { granularity: 1000, minimum: MINUTE };

  it.each([
    {
      // 90 min, billed exactly: 1.5 h paid and billed.
      name: 'exact billing',
      units: [{ launchedAt: 0, releasedAt: 90 * MINUTE }],
      billing: exact,
      range: [0, 2 * HOUR],
      expected: { unitHours: 1.5, billedUnitHours: 1.5 },
    },
    {
      // 90 min rounded up to whole hours: ⌈1.5⌉ = 2 h billed.
      name: 'hourly granularity rounds up',
      units: [{ launchedAt: 0, releasedAt: 90 * MINUTE }],
      billing: hourly,
      range: [0, 2 * HOUR],
      expected: { unitHours: 1.5, billedUnitHours: 2 },
    },
    {
      // 30 s of life, per-second billing with a 60 s minimum: paid 30 s = 1/120 h, billed 60 s = 1/60 h.
      name: 'the minimum applies to short lives',
      units: [{ launchedAt: 0, releasedAt: 30_000 }],
      billing: perSecondMinuteMinimum,
      range: [0, HOUR],
      expected: { unitHours: 1 / 120, billedUnitHours: 1 / 60 },
    },
    {
      // 90.5 s: per-second rounding → 91 s (the minimum 60 s is below it): 91/3600 h billed.
      name: 'granularity rounds a life above the minimum',
      units: [{ launchedAt: 0, releasedAt: 90_500 }],
      billing: perSecondMinuteMinimum,
      range: [0, HOUR],
      expected: { unitHours: 90.5 / 3600, billedUnitHours: 91 / 3600 },
    },
    {
      // 90 min billed 2 h; the range [0, 60 min) holds 60 of its 90 minutes:
      // paid 1 h, billed 2 h · 60/90 = 4/3 h.
      name: 'proportional attribution of a unit crossing the range end',
      units: [{ launchedAt: 0, releasedAt: 90 * MINUTE }],
      billing: hourly,
      range: [0, HOUR],
      expected: { unitHours: 1, billedUnitHours: 4 / 3 },
    },
    {
      // The same unit over [60 min, 2 h): 30 of 90 minutes → paid 0.5 h, billed 2 · 30/90 = 2/3 h;
      // with the previous row the two ranges add up to the unit's 2 h charge.
      name: 'proportional attribution of a unit crossing the range start',
      units: [{ launchedAt: 0, releasedAt: 90 * MINUTE }],
      billing: hourly,
      range: [HOUR, 2 * HOUR],
      expected: { unitHours: 0.5, billedUnitHours: 2 / 3 },
    },
    {
      // A: [0, 30 min) → ⌈0.5⌉ = 1 h. B: [10 min, 70 min) → 1 h exactly → 1 h. C: after the
      // range (starts at 2 h) → nothing. Paid 0.5 + 1 = 1.5 h, billed 2 h.
      name: 'several units, one outside the range',
      units: [
        { launchedAt: 0, releasedAt: 30 * MINUTE },
        { launchedAt: 10 * MINUTE, releasedAt: 70 * MINUTE },
        { launchedAt: 2 * HOUR, releasedAt: 3 * HOUR },
      ],
      billing: hourly,
      range: [0, 2 * HOUR],
      expected: { unitHours: 1.5, billedUnitHours: 2 },
    },
    {
      name: 'no units',
      units: [],
      billing: hourly,
      range: [0, HOUR],
      expected: { unitHours: 0, billedUnitHours: 0 },
    },
  ])('$name', ({ units, billing, range: [start, end], expected }) => {
    const charges = unitCharges(units, billing, { start: start as number, end: end as number });
    expect(charges.unitHours).toBeCloseTo(expected.unitHours, 12);
    expect(charges.billedUnitHours).toBeCloseTo(expected.billedUnitHours, 12);
  });

  it.each([
    { name: 'released when launched', unit: { launchedAt: 100, releasedAt: 100 } },
    { name: 'released before launch', unit: { launchedAt: 100, releasedAt: 50 } },
  ])('throws a RangeError for a unit $name', ({ unit }) => {
    expect(() => unitCharges([unit], { granularity: 0, minimum: 0 }, { start: 0, end: HOUR })).toThrow(
      /`units\[0\].releasedAt` to be after launchedAt 100/,
    );
  });

  it('throws a RangeError for a negative granularity', () => {
    expect(() => unitCharges([], { granularity: -1, minimum: 0 }, { start: 0, end: HOUR })).toThrow(
      RangeError,
    );
  });
});

describe('latencyStats', () => {
  it.each([
    { name: 'empty', values: [], expected: { count: 0, mean: 0, p50: 0, p95: 0, max: 0 } },
    // sorted 1 3 5: mean 9/3 = 3, median the 2nd = 3, p95 the ⌈2.85⌉ = 3rd = 5.
    { name: 'odd count', values: [5, 1, 3], expected: { count: 3, mean: 3, p50: 3, p95: 5, max: 5 } },
    // Nearest rank for both percentiles, so each is a value that occurred.
    // sorted 1 2 3 4: mean 10/4 = 2.5, p50 the ⌈2⌉ = 2nd = 2, p95 the ⌈3.8⌉ = 4th = 4.
    { name: 'even count', values: [4, 1, 3, 2], expected: { count: 4, mean: 2.5, p50: 2, p95: 4, max: 4 } },
    // 1..20: mean 210/20 = 10.5, p50 the ⌈10⌉ = 10th = 10, p95 the ⌈19⌉ = 19th = 19.
    {
      name: 'twenty values: p95 is the 19th, not the 20th',
      values: Array.from({ length: 20 }, (_, i) => 20 - i),
      expected: { count: 20, mean: 10.5, p50: 10, p95: 19, max: 20 },
    },
    // 1..100 shuffled by a stride: mean 5050/100 = 50.5, p50 the 50th = 50,
    // p95 the ⌈95⌉ = 95th = 95 (exactly on a rank: one more would be 96).
    {
      name: 'a hundred values: p95 is the 95th',
      values: Array.from({ length: 100 }, (_, i) => ((i * 37) % 100) + 1),
      expected: { count: 100, mean: 50.5, p50: 50, p95: 95, max: 100 },
    },
    { name: 'a single value', values: [7], expected: { count: 1, mean: 7, p50: 7, p95: 7, max: 7 } },
  ])('$name', ({ values, expected }) => {
    expect(latencyStats(values)).toEqual(expected);
  });

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    latencyStats(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it('throws a RangeError on a non-finite value', () => {
    expect(() => latencyStats([1, Number.NaN])).toThrow('values[1]: expected a finite number, got NaN');
  });
});

describe('demandSeries', () => {
  it.each([
    // ⌈0/10⌉ = 0, ⌈25/10⌉ = 3, ⌈30/10⌉ = 3 (merged into the 3 at 60), ⌈31/10⌉ = 4.
    {
      name: 'ceil of load over capacity, equal neighbours merged',
      load: series([0, 60, 120, 180], [0, 25, 30, 31]),
      minimum: undefined,
      expected: series([0, 60, 180], [0, 3, 4]),
    },
    // max(2, ·) of 0, 3, 3, 4 → 2, 3, 3, 4.
    {
      name: 'a minimum raises low demand',
      load: series([0, 60, 120, 180], [0, 25, 30, 31]),
      minimum: 2,
      expected: series([0, 60, 180], [2, 3, 4]),
    },
    // max(1, ·) of 0, 1, 3 → 1, 1, 3: the minimum makes the first two equal.
    {
      name: 'a minimum can merge points',
      load: series([0, 60, 120], [0, 5, 25]),
      minimum: 1,
      expected: series([0, 120], [1, 3]),
    },
    { name: 'empty load', load: series([], []), minimum: undefined, expected: series([], []) },
  ])('$name', ({ load, minimum, expected }) => {
    expect(demandSeries(load, 10, minimum)).toEqual(expected);
  });

  it('throws a RangeError for a capacity that is not > 0', () => {
    expect(() => demandSeries(series([0], [1]), 0)).toThrow(RangeError);
  });
});
