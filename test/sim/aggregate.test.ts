import { describe, expect, expectTypeOf, it } from 'vitest';
import { elasticSpeedup, paretoFront, type SpeedupMetric, winRates } from '../../src/sim/aggregate.js';
import type { ElasticityScores } from '../../src/sim/types.js';

const scores = (
  thetaU: number,
  thetaO: number,
  tauU: number,
  tauO: number,
  kappa = 0,
  jitter = 0,
): ElasticityScores => ({ thetaU, thetaO, tauU, tauO, k: kappa, kPrime: 0, kappa, jitter });

describe('elasticSpeedup', () => {
  const baseline = scores(10, 20, 30, 40, 8, 5);

  it.each<{
    name: string;
    candidate: ElasticityScores;
    baseline: ElasticityScores;
    floor?: number;
    metrics?: SpeedupMetric[];
    expected: number;
  }>([
    // Every ratio is 1: (1·1·1·1)^(1/4) = 1.
    { name: 'against itself', candidate: baseline, baseline, expected: 1 },
    // Ratios 10/5, 20/10, 30/15, 40/20 = 2 each: (2⁴)^(1/4) = 2.
    { name: 'half on every metric', candidate: scores(5, 10, 15, 20), baseline, expected: 2 },
    // Ratios 2, 1, 1, 1: 2^(1/4) = 1.18920711500272.
    { name: 'better on θU only', candidate: scores(5, 20, 30, 40), baseline, expected: 2 ** 0.25 },
    // Ratios 1/2 each: 0.5.
    { name: 'twice as bad everywhere', candidate: scores(20, 40, 60, 80), baseline, expected: 0.5 },
    // Ratios 4 and 1/4 cancel: (4 · 1/4 · 1 · 1)^(1/4) = 1.
    { name: 'better on one, worse on another', candidate: scores(2.5, 80, 30, 40), baseline, expected: 1 },
    // Jitter and κ are not in the default set: a candidate differing only there scores 1.
    {
      name: 'jitter and κ left out by default',
      candidate: scores(10, 20, 30, 40, 99, -50),
      baseline,
      expected: 1,
    },
    // Candidate all 0, floored to 0.01: ratios 1/0.01 = 100 each → 100.
    {
      name: 'the floor keeps zeros finite',
      candidate: scores(0, 0, 0, 0),
      baseline: scores(1, 1, 1, 1),
      expected: 100,
    },
    // Both 0 on θU (0.01/0.01 = 1), the rest as "half": (1 · 2 · 2 · 2)^(1/4) = 8^(1/4).
    {
      name: 'both zero on a metric counts as a tie',
      candidate: scores(0, 10, 15, 20),
      baseline: scores(0, 20, 30, 40),
      expected: 8 ** 0.25,
    },
    // Floor 0.5: candidate 0 → 0.5, baseline 1: ratios 2 each → 2.
    {
      name: 'a custom floor',
      candidate: scores(0, 0, 0, 0),
      baseline: scores(1, 1, 1, 1),
      floor: 0.5,
      expected: 2,
    },
    // Only κ: 8 / 2 = 4.
    {
      name: 'a custom metric set',
      candidate: scores(99, 99, 99, 99, 2),
      baseline,
      metrics: ['kappa'],
      expected: 4,
    },
    // θU and τO: ratios 10/20 = 0.5 and 40/10 = 4 → (0.5 · 4)^(1/2) = √2.
    {
      name: 'two metrics weighted equally',
      candidate: scores(20, 0, 0, 10),
      baseline,
      metrics: ['thetaU', 'tauO'],
      expected: Math.SQRT2,
    },
  ])('$name', ({ candidate, baseline, floor, metrics, expected }) => {
    const options = {
      ...(floor === undefined ? {} : { floor }),
      ...(metrics === undefined ? {} : { metrics }),
    };
    expect(elasticSpeedup(candidate, baseline, options)).toBeCloseTo(expected, 12);
  });

  it('is exactly 1 against itself', () => {
    expect(elasticSpeedup(baseline, baseline)).toBe(1);
  });

  it('rejects a floor that is not > 0 and an empty metric set', () => {
    expect(() => elasticSpeedup(baseline, baseline, { floor: 0 })).toThrow(
      /`floor` to be a finite number > 0/,
    );
    expect(() => elasticSpeedup(baseline, baseline, { metrics: [] })).toThrow(RangeError);
  });
});

describe('winRates', () => {
  it.each<{
    name: string;
    entries: { policy: string; group: string; metrics: Record<string, number> }[];
    expected: Record<string, number>;
  }>([
    {
      // A–B: x A, y tie → A 1.5, B 0.5. A–C: x A, y C → A 1, C 1. B–C: x B, y C → B 1, C 1.
      // Each takes part in 2 pairs × 2 metrics = 4 comparisons: A 2.5/4, B 1.5/4, C 2/4.
      name: 'one group, with a tie',
      entries: [
        { policy: 'A', group: 'g1', metrics: { x: 1, y: 2 } },
        { policy: 'B', group: 'g1', metrics: { x: 2, y: 2 } },
        { policy: 'C', group: 'g1', metrics: { x: 3, y: 1 } },
      ],
      expected: { A: 0.625, B: 0.375, C: 0.5 },
    },
    {
      // g1 as above. g2: A–B: x A (5 < 6), y tie → A 1.5, B 0.5 over 2 comparisons.
      // A (2.5 + 1.5)/(4 + 2) = 2/3, B (1.5 + 0.5)/6 = 1/3, C 2/4 (not in g2).
      name: 'two groups, rates over the comparisons each took part in',
      entries: [
        { policy: 'A', group: 'g1', metrics: { x: 1, y: 2 } },
        { policy: 'B', group: 'g1', metrics: { x: 2, y: 2 } },
        { policy: 'C', group: 'g1', metrics: { x: 3, y: 1 } },
        { policy: 'A', group: 'g2', metrics: { x: 5, y: 5 } },
        { policy: 'B', group: 'g2', metrics: { x: 6, y: 5 } },
      ],
      expected: { A: 2 / 3, B: 1 / 3, C: 0.5 },
    },
    {
      // Within g1 A (1) beats B (2); within g2 A (10) beats B (20): A 2/2, B 0/2. Across groups
      // B's 2 would beat A's 10, but runs in different groups never meet.
      name: 'groups never meet',
      entries: [
        { policy: 'A', group: 'g1', metrics: { x: 1 } },
        { policy: 'B', group: 'g1', metrics: { x: 2 } },
        { policy: 'A', group: 'g2', metrics: { x: 10 } },
        { policy: 'B', group: 'g2', metrics: { x: 20 } },
      ],
      expected: { A: 1, B: 0 },
    },
    {
      // Equal everywhere: every comparison a tie → 0.5 each.
      name: 'all ties',
      entries: [
        { policy: 'A', group: 'g', metrics: { x: 3, y: 0 } },
        { policy: 'B', group: 'g', metrics: { x: 3, y: 0 } },
      ],
      expected: { A: 0.5, B: 0.5 },
    },
    {
      // Only x is in both: A wins it → A 1/1, B 0/1; y and z are not compared.
      name: 'only metrics both report are compared',
      entries: [
        { policy: 'A', group: 'g', metrics: { x: 1, y: 100 } },
        { policy: 'B', group: 'g', metrics: { x: 2, z: 0 } },
      ],
      expected: { A: 1, B: 0 },
    },
    {
      // x: NaN skipped; y: B wins → A 0/1, B 1/1.
      name: 'a NaN comparison is skipped',
      entries: [
        { policy: 'A', group: 'g', metrics: { x: Number.NaN, y: 2 } },
        { policy: 'B', group: 'g', metrics: { x: 1, y: 1 } },
      ],
      expected: { A: 0, B: 1 },
    },
    {
      // C is alone in g2 and never compared: left out. A beats B on x in g1.
      name: 'a policy never compared has no rate',
      entries: [
        { policy: 'A', group: 'g1', metrics: { x: 1 } },
        { policy: 'B', group: 'g1', metrics: { x: 2 } },
        { policy: 'C', group: 'g2', metrics: { x: 0 } },
      ],
      expected: { A: 1, B: 0 },
    },
    { name: 'no entries', entries: [], expected: {} },
  ])('$name', ({ entries, expected }) => {
    const rates = winRates(entries);
    expect(Object.keys(rates)).toEqual(Object.keys(expected));
    for (const [policy, rate] of Object.entries(expected))
      expect(rates[policy], policy).toBeCloseTo(rate, 12);
  });

  it('throws a RangeError when a policy appears twice in a group', () => {
    expect(() =>
      winRates([
        { policy: 'A', group: 'g', metrics: { x: 1 } },
        { policy: 'A', group: 'g', metrics: { x: 2 } },
      ]),
    ).toThrow(/`A` twice in group `g`/);
  });
});

describe('paretoFront', () => {
  const p = (policy: string, cost: number, sloViolationMinutes: number) => ({
    policy,
    trace: 't',
    delay: '30s',
    cost,
    sloViolationMinutes,
  });
  const a = p('a', 1, 10);
  const b = p('b', 2, 5);
  const c = p('c', 3, 5); // b is cheaper at the same SLO minutes
  const d = p('d', 2, 7); // b has the same cost and fewer SLO minutes
  const e = p('e', 4, 0);
  const f = p('f', 1, 10); // equal to a on both: neither dominates
  const g = p('g', 5, 0); // e is cheaper at the same SLO minutes
  const h = p('h', 0.5, 12);

  it.each([
    { name: 'empty', points: [], front: [] },
    { name: 'a single point', points: [c], front: [c] },
    // c, d, g dominated (see above); a and f tie on both and are kept in input order.
    { name: 'dominance and ties, sorted by cost', points: [e, c, a, d, g, b, f], front: [a, f, b, e] },
    // h is cheapest (0.5) but worst on SLO (12): nothing dominates it.
    { name: 'the cheapest point is always on the front', points: [b, h, a], front: [h, a, b] },
    // One point best on both dominates all others.
    { name: 'a point best on both', points: [a, b, p('z', 0, 0), e], front: [p('z', 0, 0)] },
  ])('$name', ({ points, front }) => {
    expect(paretoFront(points)).toEqual(front);
  });

  it('returns the given objects, extra fields kept', () => {
    const front = paretoFront([a, c, b]);
    expect(front[0]).toBe(a);
    expect(front[1]).toBe(b);
    expectTypeOf(front).toEqualTypeOf<ReturnType<typeof p>[]>();
  });
});
