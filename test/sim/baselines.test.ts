import { describe, expect, it } from 'vitest';
import { validateGroupConfig } from '../../src/config/group.js';
import type { MetricObservation } from '../../src/core/types.js';
import type { CustomRuleContext, CustomRuleFunction, CustomRuleOutput } from '../../src/rules/custom.js';
import {
  BASELINES,
  type BaselineContext,
  baselinePolicy,
  defaultPolicy,
  histRule,
  quadraticPredictor,
  reactRule,
  regRule,
} from '../../src/sim/baselines.js';

const HOUR = 3_600_000;

/** What a custom rule sees on a tick: `load` as its last value (undefined: no data). */
function input(options: { load: number | undefined; capacity: number; now?: number }): CustomRuleContext {
  const missing: MetricObservation = { status: 'missing', samples: [] };
  return {
    now: options.now ?? 0,
    capacity: options.capacity,
    readyCapacity: options.capacity,
    metric: () => missing,
    value: (name) => (name === 'load' ? options.load : undefined),
  };
}

describe('reactRule: a 2-unit headroom band above demand (Chieu et al.)', () => {
  // c = 10 load per unit; demand = ⌈load / 10⌉.
  it.each<{ name: string; load: number | undefined; capacity: number; expected: CustomRuleOutput }>([
    { name: 'no load data: abstain', load: undefined, capacity: 5, expected: null },
    {
      // 50 ≥ 5 · 10: capacity reached, go to demand 5 + 2.
      name: 'load exactly at capacity scales out to demand + 2',
      load: 50,
      capacity: 5,
      expected: { capacity: 7, message: 'load 50 reached capacity' },
    },
    {
      // 51 ≥ 50; demand ⌈5.1⌉ = 6 → 8.
      name: 'load over capacity scales out to demand + 2',
      load: 51,
      capacity: 5,
      expected: { capacity: 8, message: 'load 51 reached capacity' },
    },
    {
      // 49 < 50; demand 5, surplus 0 ≤ 2: keep.
      name: 'load just under capacity keeps it',
      load: 49,
      capacity: 5,
      expected: 5,
    },
    {
      // demand 5, surplus 7 − 5 = 2, not more than 2: keep (inside the band).
      name: 'a surplus of exactly 2 is the band: keep',
      load: 50,
      capacity: 7,
      expected: 7,
    },
    {
      // demand 5, surplus 8 − 5 = 3 > 2: come down to 5 + 2 = 7 (not surplus + 2).
      name: 'a surplus of 3 comes down to demand + 2',
      load: 50,
      capacity: 8,
      expected: { capacity: 7, message: 'surplus of 3 units' },
    },
    {
      // demand 1, surplus 19 → 3.
      name: 'a large surplus comes down to demand + 2',
      load: 3,
      capacity: 20,
      expected: { capacity: 3, message: 'surplus of 19 units' },
    },
    {
      // 0 ≥ 0 · 10: an empty fleet with no load still keeps the 2-unit headroom.
      name: 'no units and no load: the headroom of 2',
      load: 0,
      capacity: 0,
      expected: { capacity: 2, message: 'load 0 reached capacity' },
    },
  ])('$name', ({ load, capacity, expected }) => {
    expect(reactRule(10)(input({ load, capacity }))).toEqual(expected);
  });
});

describe('histRule: the 90th percentile of the hour-of-day demand (Urgaonkar et al.)', () => {
  /** Feed loads to one rule instance, one tick each at `now`, and return what it asked for. */
  const feed = (rule: CustomRuleFunction, ticks: { now: number; load: number | undefined }[]) =>
    ticks.map(({ now, load }) => rule(input({ now, load, capacity: 1 })));
  const capacities = (outputs: CustomRuleOutput[]) =>
    outputs.map((o) => (o !== null && typeof o === 'object' ? o.capacity : o));

  it('provisions the nearest-rank p90 of the demand seen in this hour of day', () => {
    // c = 1: demand = load. Ten ticks in hour 0 with demand 1, 2, …, 10; after the i-th the
    // histogram holds 1..i and p90 is the ⌈0.9 · i⌉-th smallest = ⌈0.9 i⌉:
    //   1, ⌈1.8⌉ = 2, ⌈2.7⌉ = 3, 4, ⌈4.5⌉ = 5, ⌈5.4⌉ = 6, ⌈6.3⌉ = 7, ⌈7.2⌉ = 8, ⌈8.1⌉ = 9, 9.
    // Each demand i exceeds the previous provision ⌈0.9 (i − 1)⌉ ≤ i − 1, so from the 2nd tick
    // every tick adds a shortfall; on the 7th there are 6 (> 5) of the last 10: +2 from then on
    // (7 + 2 = 9, 8 + 2 = 10, …). The 8th demand (8) is under the 7th provision (9): no
    // shortfall, but 6 of the last 10 still are.
    const rule = histRule(1);
    const outputs = feed(
      rule,
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((load, i) => ({ now: i * 60_000, load })),
    );
    expect(capacities(outputs)).toEqual([1, 2, 3, 4, 5, 6, 9, 10, 11, 11]);
    expect(outputs[5]).toEqual({ capacity: 6, message: 'p90 of hour 0 is 6' });
    expect(outputs[6]).toEqual({ capacity: 9, message: 'p90 of hour 0 is 7 + 2 after repeated shortfalls' });
  });

  it('keeps one histogram per hour of day (UTC)', () => {
    // Hour 0 sees demand 10 three times; hour 1 then sees 2: its own p90 is 2. Back in hour 0 a
    // day later (24 h on), with demand 1: {10, 10, 10, 1}, rank ⌈3.6⌉ = 4 of sorted
    // [1, 10, 10, 10] → 10.
    const rule = histRule(1);
    const outputs = feed(rule, [
      { now: 0, load: 10 },
      { now: 60_000, load: 10 },
      { now: 120_000, load: 10 },
      { now: HOUR, load: 2 },
      { now: 24 * HOUR, load: 1 },
    ]);
    expect(capacities(outputs)).toEqual([10, 10, 10, 2, 10]);
    expect(outputs[3]).toEqual({ capacity: 2, message: 'p90 of hour 1 is 2' });
  });

  it('rounds demand up from load and abstains without data', () => {
    const rule = histRule(10);
    // ⌈25 / 10⌉ = 3.
    expect(feed(rule, [{ now: 0, load: undefined }])).toEqual([null]);
    expect(capacities(feed(rule, [{ now: 0, load: 25 }]))).toEqual([3]);
  });
});

describe('quadraticPredictor', () => {
  it.each<{ name: string; n: number; f: (x: number) => number }>([
    { name: 'a constant', n: 72, f: () => 7 },
    { name: 'a line', n: 72, f: (x) => 100 - x },
    // y = 2 + 3x + x²/2 at x = 72: 2 + 216 + 2592 = 2810.
    { name: 'a quadratic over 72 points', n: 72, f: (x) => 2 + 3 * x + 0.5 * x * x },
    // Three points fix the parabola: (x + 1)² through 1, 4, 9 gives 16 at x = 3.
    { name: 'a quadratic through exactly 3 points', n: 3, f: (x) => (x + 1) ** 2 },
    { name: 'a falling quadratic', n: 10, f: (x) => 50 - x * x },
  ])('extrapolates $name exactly to x = n', ({ n, f }) => {
    const ys = Array.from({ length: n }, (_, x) => f(x));
    // Exact up to float rounding: 1e-9 relative.
    expect(quadraticPredictor(n)(ys)).toBeCloseTo(
      f(n),
      Math.max(0, 9 - Math.ceil(Math.log10(Math.abs(f(n)) + 1))),
    );
  });

  it('is the least-squares fit when no parabola passes through the points', () => {
    // 1, 0, 3, 2, 5, 4 zig-zags about y = x; the expected value solves the normal equations
    // [Σx⁰ Σx¹ Σx²; Σx¹ Σx² Σx³; Σx² Σx³ Σx⁴] · (a, b, c) = (Σy, Σxy, Σx²y) independently, by
    // Gaussian elimination, and evaluates a + b·n + c·n² at n = 6.
    const ys = [1, 0, 3, 2, 5, 4];
    const n = ys.length;
    const at = quadraticPredictor(n)(ys);
    const s = (k: number) => ys.reduce((acc, _, x) => acc + x ** k, 0);
    const t = (k: number) => ys.reduce((acc, y, x) => acc + y * x ** k, 0);
    const m = [
      [s(0), s(1), s(2), t(0)],
      [s(1), s(2), s(3), t(1)],
      [s(2), s(3), s(4), t(2)],
    ];
    for (let col = 0; col < 3; col++) {
      for (let row = col + 1; row < 3; row++) {
        const f = (m[row]?.[col] as number) / (m[col]?.[col] as number);
        for (let k = col; k < 4; k++)
          (m[row] as number[])[k] = (m[row]?.[k] as number) - f * (m[col]?.[k] as number);
      }
    }
    const coef = [0, 0, 0];
    for (let row = 2; row >= 0; row--) {
      let v = m[row]?.[3] as number;
      for (let k = row + 1; k < 3; k++) v -= (m[row]?.[k] as number) * (coef[k] as number);
      coef[row] = v / (m[row]?.[row] as number);
    }
    expect(at).toBeCloseTo((coef[0] as number) + (coef[1] as number) * n + (coef[2] as number) * n * n, 9);
  });
});

describe('regRule: quadratic trend for scale-down only (Iqbal et al.)', () => {
  const tick = (rule: CustomRuleFunction, load: number, capacity: number) => rule(input({ load, capacity }));

  it('scales up reactively to demand at once', () => {
    // c = 10: ⌈75 / 10⌉ = 8 > 5.
    expect(tick(regRule(10), 75, 5)).toEqual({ capacity: 8, message: 'demand 8 is above capacity' });
  });

  it('keeps capacity until it has 72 samples, then scales down to the predicted demand', () => {
    // Constant demand 3 with capacity 10: the first 71 ticks cannot fit the 72-sample window
    // and keep 10; on the 72nd a quadratic fit of 72 threes predicts 3 for the next sample, and
    // max(current demand 3, ⌈3⌉) = 3 < 10 → scale down to 3.
    const rule = regRule(1);
    const outputs = Array.from({ length: 72 }, () => tick(rule, 3, 10));
    expect(outputs.slice(0, 71).every((o) => o === 10)).toBe(true);
    expect(outputs[71]).toEqual({ capacity: 3, message: 'quadratic trend predicts 3' });
  });

  it('never goes below the current demand even when the trend falls faster', () => {
    // Demand 100, 99, …, 29 over 72 ticks: the line predicts 28 next, but the current demand is
    // 29, so max(29, 28) = 29.
    const rule = regRule(1);
    let out: CustomRuleOutput = null;
    for (let i = 0; i < 72; i++) out = tick(rule, 100 - i, 200);
    expect(out).toEqual({ capacity: 29, message: 'quadratic trend predicts 29' });
  });

  it('abstains without data and keeps capacity when the trend is above it', () => {
    const rule = regRule(1);
    expect(rule(input({ load: undefined, capacity: 4 }))).toBeNull();
    // Rising demand 1..72 under a capacity of 73: predicted 73 is not below 73 → keep.
    let out: CustomRuleOutput = null;
    for (let i = 1; i <= 72; i++) out = tick(rule, i, 73);
    expect(out).toBe(73);
  });
});

describe('baselinePolicy', () => {
  const context: BaselineContext = { capacityPerUnit: 100, peakDemand: 12, meanLoad: 450 };

  it('lists every baseline in comparison order', () => {
    expect(BASELINES).toEqual([
      'static-peak',
      'static-mean',
      'oracle',
      'oracle-lead',
      'hpa-like',
      'react',
      'hist',
      'reg',
    ]);
  });

  it.each([
    { name: 'static-peak' as const, size: 12 }, // the peak demand
    { name: 'static-mean' as const, size: 5 }, // ⌈450 / 100⌉
  ])('$name is a fixed fleet of $size units', ({ name, size }) => {
    expect(baselinePolicy(name, context)).toEqual({
      name,
      kind: 'group',
      config: {
        id: name,
        minCapacity: size,
        maxCapacity: size,
        desiredCapacity: size,
        evaluationInterval: '1h',
      },
    });
  });

  it('a fixed fleet has at least one unit', () => {
    const none = { capacityPerUnit: 100, peakDemand: 0, meanLoad: 0 };
    expect(baselinePolicy('static-peak', none)).toMatchObject({ config: { minCapacity: 1, maxCapacity: 1 } });
    expect(baselinePolicy('static-mean', none)).toMatchObject({ config: { desiredCapacity: 1 } });
  });

  it.each([
    { name: 'oracle' as const, lead: false },
    { name: 'oracle-lead' as const, lead: true },
  ])('$name is played by the simulator from demand', ({ name, lead }) => {
    expect(baselinePolicy(name, context)).toEqual({ name, kind: 'oracle', lead });
  });

  it('hpa-like is target tracking on utilization at 0.8 every 15 s with the Kubernetes defaults', () => {
    expect(baselinePolicy('hpa-like', context)).toEqual({
      name: 'hpa-like',
      kind: 'group',
      config: {
        id: 'hpa-like',
        minCapacity: 1,
        maxCapacity: 24, // max(10, 2 × 12)
        evaluationInterval: '15s',
        rules: [{ kind: 'target-tracking', metric: 'utilization', target: 0.8, statistic: 'last' }],
      },
    });
    const parsed = validateGroupConfig((baselinePolicy('hpa-like', context) as { config: unknown }).config);
    // Defaults filled in: 10 % tolerance, 5-minute scale-down stabilization.
    expect(parsed.rules[0]).toMatchObject({ tolerance: { scaleUp: 0.1, scaleDown: 0.1 } });
    expect(parsed.behavior).toMatchObject({ scaleDown: { stabilizationWindow: 300_000 } });
  });

  it.each([
    { name: 'react' as const, interval: '30s' },
    { name: 'hist' as const, interval: '60s' },
    { name: 'reg' as const, interval: '60s' },
  ])(
    '$name is a custom rule on load over 1 h, every $interval, with no stabilization or rate limit',
    ({ name, interval }) => {
      const policy = baselinePolicy(name, { ...context, peakDemand: 3 });
      expect(policy).toMatchObject({
        name,
        kind: 'group',
        config: {
          id: name,
          minCapacity: 1,
          maxCapacity: 10, // max(10, 2 × 3)
          evaluationInterval: interval,
          rules: [{ kind: 'custom', name, metrics: [{ name: 'load', window: '1h' }] }],
        },
      });
      const parsed = validateGroupConfig((policy as { config: unknown }).config);
      expect(parsed.behavior).toMatchObject({
        scaleUp: { stabilizationWindow: 0 },
        scaleDown: { stabilizationWindow: 0 },
      });
      expect(typeof (parsed.rules[0] as { propose?: unknown }).propose).toBe('function');
    },
  );

  it('hist and reg get a fresh rule (fresh state) on every call', () => {
    const rule = (name: 'hist' | 'reg') =>
      (baselinePolicy(name, context) as { config: { rules: { propose: unknown }[] } }).config.rules[0]
        ?.propose;
    expect(rule('hist')).not.toBe(rule('hist'));
    expect(rule('reg')).not.toBe(rule('reg'));
  });
});

describe('defaultPolicy', () => {
  it('targets 80 % of the capacity per unit on the 2-minute max of load, every 30 s', () => {
    expect(defaultPolicy({ capacityPerUnit: 1000, peakDemand: 40 })).toEqual({
      id: 'tideway-default',
      minCapacity: 1,
      maxCapacity: 80, // 2 × 40
      evaluationInterval: '30s',
      rules: [
        { kind: 'target-tracking', metric: 'load', targetPerUnit: 800, statistic: 'max', window: '2m' },
      ],
    });
  });

  it('allows at least 10 units and is a valid group config with the Kubernetes behaviour', () => {
    const config = defaultPolicy({ capacityPerUnit: 10, peakDemand: 2 });
    expect(config.maxCapacity).toBe(10);
    const parsed = validateGroupConfig(config);
    expect(parsed.evaluationInterval).toBe(30_000);
    expect(parsed.behavior).toMatchObject({ scaleDown: { stabilizationWindow: 300_000 } });
  });
});
