import { describe, expect, it } from 'vitest';
import type { ScalingGroupConfigInput } from '../../src/config/group.js';
import { ConfigError } from '../../src/errors.js';
import { type CompareOptions, compare, delayLabel, formatComparison } from '../../src/sim/compare.js';
import type { ComparisonResult, DelaySpec, TraceInput } from '../../src/sim/types.js';

const MIN = 60_000;
/** 2024-01-01 00:00 UTC. */
const T0 = Date.UTC(2024, 0, 1);

// The hand-worked run of simulate.test.ts: load 10, 35, 35, 10 every 2 min, capacity 10 per unit
// (demand 1, 4, 4, 1 over [0, 8 min)), a 2-minute provisioning delay, and target tracking on load
// at 10 per unit with no scale-down stabilization. Its scores, worked out there:
//   mine:        θU 18.75, θO 0, τU 25, τO 0, κ 66.7, jitter 0, SLO 2 min, billed 20 unit-min
//                (κ on the grid: supply 1, 1, 4, 1 against demand 1, 4, 4, 1 — k′ 2 min at 2 min,
//                k 2 min at 4 min, of 6 min).
// The two baselines on the same trace:
//   oracle:      supply = demand: every SPEC metric 0, κ 0, jitter 0, SLO 0, billed ∫d = 20 unit-min
//                (u1 for 8 min and u2..u4 for 4 min each — the same lifetimes as mine).
//   static-peak: 4 units throughout: θO = 100/8 · (3/1 · 2 + 3/1 · 2) = 150, τO = 100/8 · 4 = 50,
//                θU = τU = 0; κ on the 2-min step grid [0,2) [2,4) [4,6) [6,8), T − Δt₁ = 6 min:
//                at 2 min Δd +3, Δs 0 → k′ 2 min; at 4 min nothing moves; at 6 min Δd −3,
//                Δs 0 → k 2 min: κ = 100 (2 + 2)/6 = 66.7;
//                jitter (0 − 6 unit changes) per 8 min = −45 per hour; SLO 0; billed 4 · 8 = 32.
const tinyTrace: TraceInput = {
  timestamps: [0, 2, 4, 6].map((m) => T0 + m * MIN),
  values: [10, 35, 35, 10],
};
const flatTrace: TraceInput = {
  timestamps: [0, 2, 4, 6].map((m) => T0 + m * MIN),
  values: [20, 20, 20, 20],
};
const mine = {
  minCapacity: 1,
  maxCapacity: 10,
  evaluationInterval: '1m',
  behavior: { scaleDown: { stabilizationWindow: 0 } },
  rules: [{ kind: 'target-tracking', metric: 'load', targetPerUnit: 10, statistic: 'last', window: '1m' }],
} satisfies Omit<ScalingGroupConfigInput, 'id'>;

/** The error a promise rejects with. */
const rejection = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );

describe('compare: one trace, one delay, worked out by hand', () => {
  const run = () =>
    compare({
      traces: [{ name: 'tiny', trace: tinyTrace }],
      policies: [{ name: 'mine', policy: mine }, 'oracle', 'static-peak'],
      delays: ['2m'],
      fleet: { capacityPerUnit: 10 },
      baseline: 'mine',
    });

  it('runs each policy once, in the order given, and adds no baseline that is already listed', async () => {
    const result = await run();
    expect(result).toMatchObject({ format: 'tideway.comparison', version: 1, baseline: 'mine' });
    expect(result.runs.map((r) => [r.trace, r.delay, r.policy])).toEqual([
      ['tiny', '2m', 'mine'],
      ['tiny', '2m', 'oracle'],
      ['tiny', '2m', 'static-peak'],
    ]);
    expect(result.runs[0]?.scores).toMatchObject({ thetaU: 18.75, tauU: 25, sloViolationMinutes: 2 });
    expect(result.results).toBeUndefined();
  });

  it('elastic speedup against the baseline: the geometric mean of floored θU, θO, τU, τO ratios', async () => {
    const speedups = Object.fromEntries((await run()).runs.map((r) => [r.policy, r.speedup]));
    // mine against itself: 1.
    // oracle: θU 18.75/0.01 = 1875, θO 0.01/0.01 = 1, τU 25/0.01 = 2500, τO 1 → (1875 · 2500)^¼.
    // static-peak: θU 1875, θO 0.01/150, τU 2500, τO 0.01/50 →
    //   (1875 · 2500 / (15 000 · 5000))^¼ = (4 687 500 / 75 000 000)^¼ = 0.0625^¼ = 0.5.
    expect(speedups.mine).toBe(1);
    expect(speedups.oracle).toBeCloseTo((1875 * 2500) ** 0.25, 9);
    expect(speedups['static-peak']).toBeCloseTo(0.5, 12);
  });

  it('win rates: pairwise wins over eight metrics, ties half', async () => {
    // Metrics: θU, θO, τU, τO, κ, |jitter|, SLO minutes, billed unit-hours.
    // mine vs oracle:  oracle wins θU, τU, κ, SLO; ties θO, τO, jitter, billed → mine 2, oracle 6.
    // mine vs peak:    peak wins θU, τU, SLO; ties κ (66.7 each); mine wins θO, τO, jitter, billed
    //                  → mine 4.5, peak 3.5.
    // oracle vs peak:  ties θU, τU, SLO; oracle wins θO, τO, κ, jitter, billed → oracle 6.5, peak 1.5.
    // Each took part in 16 comparisons: mine 6.5/16, oracle 12.5/16, static-peak 5/16.
    expect((await run()).winRates).toEqual({ mine: 6.5 / 16, oracle: 12.5 / 16, 'static-peak': 5 / 16 });
  });

  it('the Pareto front of billed unit-hours against SLO minutes', async () => {
    // mine (20 unit-min, 2 SLO min) and static-peak (32, 0) are both dominated by oracle (20, 0).
    const { pareto } = await run();
    expect(pareto).toEqual([
      {
        policy: 'oracle',
        trace: 'tiny',
        delay: '2m',
        cost: expect.closeTo(20 / 60, 12),
        sloViolationMinutes: 0,
      },
    ]);
  });

  it('formatComparison: a row per run, only the front marked with *, then the legend and win rates', async () => {
    const text = formatComparison(await run());
    const lines = text.split('\n');
    expect(lines[0]).toMatch(
      /^trace\s+delay\s+policy\s+θU %\s+θO %\s+τU %\s+τO %\s+κ %\s+SLO min\s+unit-h\s+vs oracle\s+outs\s+speedup$/,
    );
    expect(lines[1]).toMatch(/^[- ]+$/);
    const rows = lines.slice(2, 5);
    expect(rows.map((l) => l.split(/\s+/).slice(0, 3))).toEqual([
      ['tiny', '2m', 'mine'],
      ['tiny', '2m', 'oracle'],
      ['tiny', '2m', 'static-peak'],
    ]);
    // mine: θU 18.75, θO 0.0, τU 25.00, τO 0.0, κ 66.7, SLO 2, unit-h 0, vs oracle 1.00, 1 out, speedup 1.00.
    expect(rows[0]?.split(/\s+/).slice(3)).toEqual([
      '18.75',
      '0.0',
      '25.00',
      '0.0',
      '66.7',
      '2',
      '0',
      '1.00',
      '1',
      '1.00',
    ]);
    expect(rows[2]?.split(/\s+/).slice(3)).toEqual([
      '0.00',
      '150.0',
      '0.00',
      '50.0',
      '66.7',
      '0',
      '1',
      '1.60',
      '0',
      '0.50',
    ]);
    expect(rows.map((l) => l.endsWith('*'))).toEqual([false, true, false]);
    expect(lines[5]).toBe('');
    expect(lines[6]).toBe(
      'speedup: elastic speedup against mine on the same trace and delay (> 1 is better); * Pareto front of unit-hours vs SLO minutes',
    );
    // Sorted by rate: 12.5/16 = 78 %, 6.5/16 = 41 %, 5/16 = 31 %.
    expect(lines[7]).toBe('win rates (pairwise, all metrics): oracle 78 %, mine 41 %, static-peak 31 %');
    expect(lines).toHaveLength(8);
  });
});

describe('compare: traces × delays × policies', () => {
  const options: CompareOptions = {
    traces: [
      { name: 'tiny', trace: tinyTrace },
      { name: 'flat', trace: flatTrace },
    ],
    policies: ['oracle', 'static-peak', { name: 'mine', policy: mine }],
    delays: ['30s', 2 * MIN],
    fleet: { capacityPerUnit: 10 },
  };

  it('runs every trace × delay × policy in that order, with the default baseline hpa-like added last', async () => {
    const progress: [number, number][] = [];
    const result = await compare({ ...options, onProgress: (done, total) => progress.push([done, total]) });
    expect(result.baseline).toBe('hpa-like');
    const expected: string[][] = [];
    for (const trace of ['tiny', 'flat'])
      for (const delay of ['30s', '2m'])
        for (const policy of ['oracle', 'static-peak', 'mine', 'hpa-like'])
          expected.push([trace, delay, policy]);
    expect(result.runs.map((r) => [r.trace, r.delay, r.policy])).toEqual(expected);
    // 2 traces × 2 delays × 4 policies = 16 runs, reported one by one.
    expect(progress).toEqual(Array.from({ length: 16 }, (_, i) => [i + 1, 16]));
  });

  it('gives the baseline a speedup of 1 in every trace and delay', async () => {
    const result = await compare(options);
    const baselineRuns = result.runs.filter((r) => r.policy === 'hpa-like');
    expect(baselineRuns).toHaveLength(4);
    expect(baselineRuns.every((r) => r.speedup === 1)).toBe(true);
    expect(result.runs.every((r) => Number.isFinite(r.speedup) && r.speedup > 0)).toBe(true);
  });

  it('win rates are in [0, 1] and sum to n/2 when all n policies meet in every group', async () => {
    // Every pair meets on the same 8 metrics in each of the 4 groups and each comparison hands
    // out exactly one point, so Σ points = C(n, 2) · 8 · 4 while each policy took part in
    // (n − 1) · 8 · 4 comparisons: Σ rates = C(n, 2) / (n − 1) = n / 2 = 2 for n = 4.
    const { winRates } = await compare(options);
    expect(Object.keys(winRates).sort()).toEqual(['hpa-like', 'mine', 'oracle', 'static-peak']);
    for (const rate of Object.values(winRates)) {
      expect(rate).toBeGreaterThanOrEqual(0);
      expect(rate).toBeLessThanOrEqual(1);
    }
    expect(Object.values(winRates).reduce((a, b) => a + b, 0)).toBeCloseTo(2, 12);
  });

  it('the Pareto front holds exactly the runs no run of the same trace and delay dominates', async () => {
    const result = await compare(options);
    const dominates = (p: { cost: number; slo: number }, q: { cost: number; slo: number }) =>
      p.cost <= q.cost && p.slo <= q.slo && (p.cost < q.cost || p.slo < q.slo);
    const key = (r: { trace: string; delay: string; policy: string }) => `${r.trace}|${r.delay}|${r.policy}`;
    const onFront = new Set(result.pareto.map(key));
    expect(onFront.size).toBe(result.pareto.length);
    for (const run of result.runs) {
      const point = { cost: run.scores.billedUnitHours, slo: run.scores.sloViolationMinutes };
      const rivals = result.runs
        .filter((r) => r.trace === run.trace && r.delay === run.delay)
        .map((r) => ({ cost: r.scores.billedUnitHours, slo: r.scores.sloViolationMinutes }));
      expect(onFront.has(key(run))).toBe(!rivals.some((rival) => dominates(rival, point)));
    }
    // Each trace and delay has a front: at least its cheapest run with the least SLO minutes.
    expect(new Set(result.pareto.map((p) => `${p.trace}|${p.delay}`)).size).toBe(4);
  });

  it('keeps each run’s full result, named and scored as the options say, when asked', async () => {
    const result = await compare({
      ...options,
      keepResults: true,
      warmup: '2m',
      seed: 9,
      sampleInterval: '30s',
    });
    expect(result.results).toHaveLength(result.runs.length);
    result.results?.forEach((full, i) => {
      const run = result.runs[i];
      expect(full.name).toBe(`${run?.policy} on ${run?.trace} at ${run?.delay}`);
      expect(full.scores).toEqual(run?.scores);
      expect(full.seed).toBe(9);
      expect(full.scored.start - full.trace.start).toBe(2 * MIN);
      expect(full.timeline.times[1]).toBe(T0 + 30_000);
    });
    // The delay of each run replaces the fleet's.
    expect(result.results?.map((r) => r.fleet.provisioningDelay).slice(0, 8)).toEqual([
      ...Array(4).fill('30s'),
      ...Array(4).fill(2 * MIN),
    ]);
  });

  it('formatComparison has a row for every run and marks exactly the Pareto points', async () => {
    const result = await compare(options);
    const rows = formatComparison(result)
      .split('\n')
      .slice(2, 2 + result.runs.length);
    const front = new Set(result.pareto.map((p) => `${p.trace} ${p.delay} ${p.policy}`));
    expect(rows).toHaveLength(16);
    rows.forEach((row, i) => {
      const run = result.runs[i];
      const label = `${run?.trace} ${run?.delay} ${run?.policy}`;
      expect(row.split(/\s+/).slice(0, 3).join(' ')).toBe(label);
      expect(row.endsWith('*')).toBe(front.has(label));
    });
  });

  it('formatComparison writes n/a for a cost ratio with no oracle cost', () => {
    const base = {
      format: 'tideway.comparison',
      version: 1,
      baseline: 'b',
      winRates: {},
      pareto: [],
    } as const;
    const scores = {
      thetaU: 0,
      thetaO: 0,
      tauU: 0,
      tauO: 0,
      k: 0,
      kPrime: 0,
      kappa: 0,
      jitter: 0,
      duration: 1,
      sloViolationMinutes: 0,
      unservedShare: 0,
      unitHours: 1,
      billedUnitHours: 1,
      cost: 1,
      oracleUnitHours: 0,
      staticPeakUnitHours: 0,
      costVsOracle: null,
      costVsStaticPeak: null,
      scaleOuts: 0,
      scaleIns: 0,
      scaleOutToReady: { count: 0, mean: 0, p50: 0, p95: 0, max: 0 },
    };
    const result: ComparisonResult = {
      ...base,
      runs: [{ trace: 't', delay: '0s', policy: 'b', scores, speedup: 1 }],
    };
    expect(formatComparison(result).split('\n')[2]?.split(/\s+/)[10]).toBe('n/a');
  });
});

describe('compare: option errors', () => {
  const base: CompareOptions = {
    traces: [{ name: 'tiny', trace: tinyTrace }],
    policies: ['oracle'],
    fleet: { capacityPerUnit: 10 },
  };

  it.each<{ name: string; options: CompareOptions; path: string; message: string }>([
    {
      name: 'a policy label used twice',
      options: { ...base, policies: ['react', { name: 'react', policy: 'hist' }] },
      path: 'policies[1]',
      message: 'policies[1]: expected a label not used before, got "react"',
    },
    {
      name: 'a listed policy labelled like the default baseline added after it',
      options: {
        ...base,
        policies: [
          { name: 'hpa-like', policy: 'react' },
          { name: 'hpa-like', policy: 'hist' },
        ],
      },
      path: 'policies[1]',
      message: 'policies[1]: expected a label not used before, got "hpa-like"',
    },
    {
      name: 'a trace label used twice',
      options: {
        ...base,
        traces: [
          { name: 'tiny', trace: tinyTrace },
          { name: 'tiny', trace: flatTrace },
        ],
      },
      path: 'traces[1]',
      message: 'traces[1]: expected a label not used before, got "tiny"',
    },
    {
      // 60 000 ms renders as "1m", the same label as "1m".
      name: 'two delays with the same label',
      options: { ...base, delays: ['1m', 60_000] },
      path: 'delays[1]',
      message: 'delays[1]: expected a label not used before, got "1m"',
    },
    {
      name: 'no traces',
      options: { ...base, traces: [] },
      path: 'traces',
      message: 'traces: expected at least one trace, got an empty array',
    },
    {
      name: 'no delays',
      options: { ...base, delays: [] },
      path: 'delays',
      message: 'delays: expected at least one delay, got an empty array',
    },
    {
      name: 'a baseline that is neither listed nor shipped',
      options: { ...base, baseline: 'mystery' },
      path: 'baseline',
      message:
        'baseline: expected one of the listed policies or a baseline (static-peak, static-mean, oracle, oracle-lead, hpa-like, react, hist, reg), got "mystery"',
    },
  ])('rejects $name with ARGUMENT_INVALID', async ({ options, path, message }) => {
    const error = await rejection(compare(options));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: 'ARGUMENT_INVALID' });
    expect((error as ConfigError).issues.map((i) => [i.path, i.message])).toEqual([[path, message]]);
  });
});

describe('delayLabel', () => {
  it.each<{ name: string; delay: DelaySpec; expected: string }>([
    { name: 'a duration string, as written', delay: '90s', expected: '90s' },
    { name: 'ms, as a duration', delay: 90_000, expected: '1m30s' },
    { name: 'zero ms', delay: 0, expected: '0s' },
    { name: 'ms below a second', delay: 250, expected: '250ms' },
    {
      name: 'uniform',
      delay: { distribution: 'uniform', min: '30s', max: 90_000 },
      expected: 'uniform(30s..1m30s)',
    },
    {
      name: 'lognormal',
      delay: { distribution: 'lognormal', median: '60s', sigma: 0.5 },
      expected: 'lognormal(1m, σ=0.5)',
    },
    {
      name: 'exponential',
      delay: { distribution: 'exponential', mean: 120_000 },
      expected: 'exponential(2m)',
    },
  ])('$name → $expected', ({ delay, expected }) => {
    expect(delayLabel(delay)).toBe(expected);
  });
});
