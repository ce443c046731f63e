import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import type { Random } from '../../src/ports/random.js';
import { delaySampler, SimulatedFleet } from '../../src/sim/fleet.js';
import type { DelaySpec } from '../../src/sim/types.js';
import { ManualClock } from '../../src/testing/manual-clock.js';
import { seededRandom } from '../../src/testing/seeded-random.js';

// The delay formulas under test (src/sim/fleet.ts): uniform min + u·(max − min); log-normal
// median · e^(σ·z) with z = √(−2 ln(1 − u₁)) · cos(2π u₂) (Box–Muller over two draws u₁, u₂);
// exponential −mean · ln(1 − u). Every result is rounded to a whole millisecond.

/** A Random that answers the given draws in order and fails when asked for more. */
function scripted(...draws: number[]): Random {
  const left = [...draws];
  return {
    next() {
      const next = left.shift();
      if (next === undefined) throw new Error('scripted random: no draws left');
      return next;
    },
  };
}

/** The error a call throws. */
function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

const draw = (spec: DelaySpec, random: Random, n: number): number[] => {
  const sample = delaySampler(spec, random);
  return Array.from({ length: n }, () => sample());
};

describe('delaySampler', () => {
  it.each<{ name: string; spec: DelaySpec; draws: number[]; expected: number[] }>([
    // A fixed delay never consults the random source: scripted() with no draws would throw.
    { name: 'fixed, as a duration string', spec: '90s', draws: [], expected: [90_000, 90_000, 90_000] },
    { name: 'fixed, as ms', spec: 1500, draws: [], expected: [1500, 1500] },
    { name: 'fixed zero', spec: 0, draws: [], expected: [0] },
    {
      // 30 000 + u · (90 000 − 30 000) for u = 0, 0.5, 0.25, 0.9999999 → 30 000, 60 000, 45 000,
      // 89 999.994 → 89 999.994 rounds to 90 000.
      name: 'uniform: min + u·(max − min), rounded',
      spec: { distribution: 'uniform', min: '30s', max: 90_000 },
      draws: [0, 0.5, 0.25, 0.9999999],
      expected: [30_000, 60_000, 45_000, 90_000],
    },
    {
      // u₂ = 0.25: cos(π/2) = 0 (to 6e-17), so z = 0 and the draw is the median, 60 000.
      // Then u₁ = 1 − e^(−1/2), u₂ = 0: √(−2 · −1/2) · cos 0 = 1, so z = 1 and the draw is
      // 60 000 · e^(0.5 · 1) = 60 000 · 1.6487213 = 98 923.28 → 98 923.
      name: 'lognormal: median · e^(σ·z) with Box–Muller z',
      spec: { distribution: 'lognormal', median: '1m', sigma: 0.5 },
      draws: [0.3, 0.25, 1 - Math.exp(-0.5), 0],
      expected: [60_000, 98_923],
    },
    {
      // −120 000 · ln(1 − u): u = 1 − e^(−1/2) → 60 000; u = 1 − e^(−1) → 120 000;
      // u = 1 − e^(−2) → 240 000.
      name: 'exponential: −mean · ln(1 − u)',
      spec: { distribution: 'exponential', mean: '2m' },
      draws: [1 - Math.exp(-0.5), 1 - Math.exp(-1), 1 - Math.exp(-2)],
      expected: [60_000, 120_000, 240_000],
    },
  ])('$name', ({ spec, draws, expected }) => {
    expect(draw(spec, scripted(...draws), expected.length)).toEqual(expected);
  });

  it('uniform: many seeded draws are whole ms inside [min, max] and average the midpoint', () => {
    const samples = draw({ distribution: 'uniform', min: '30s', max: '90s' }, seededRandom(11), 20_000);
    expect(samples.every((s) => Number.isInteger(s) && s >= 30_000 && s <= 90_000)).toBe(true);
    // Mean (30 000 + 90 000) / 2 = 60 000; the standard error is 60 000/√12/√20 000 ≈ 122 ms,
    // so 1 % (600 ms) is a five-sigma band.
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    expect(Math.abs(mean - 60_000)).toBeLessThan(600);
    // Both ends are reached to within 1 % of the range.
    expect(Math.min(...samples)).toBeLessThan(30_600);
    expect(Math.max(...samples)).toBeGreaterThan(89_400);
  });

  it('lognormal: the median of many seeded draws is the given median', () => {
    const samples = draw({ distribution: 'lognormal', median: '1m', sigma: 0.5 }, seededRandom(5), 20_001);
    const sorted = [...samples].sort((a, b) => a - b);
    // The sample median of z has standard error √(π / 2n) = √(1.5708 / 20 001) ≈ 0.0089, so
    // ln(median) is off by σ · 0.0089 ≈ 0.44 % per sigma; 2 % is well over four sigma.
    expect(Math.abs((sorted[10_000] as number) / 60_000 - 1)).toBeLessThan(0.02);
    // And it is skewed as a log-normal is: mean = median · e^(σ²/2) = 60 000 · 1.1331 = 67 988.
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    expect(Math.abs(mean / 67_988 - 1)).toBeLessThan(0.02);
  });

  it('exponential: the mean of many seeded draws is the given mean', () => {
    const samples = draw({ distribution: 'exponential', mean: '2m' }, seededRandom(3), 20_000);
    // Standard error 120 000 / √20 000 ≈ 849 ms (0.7 %); 3 % is over four sigma.
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    expect(Math.abs(mean / 120_000 - 1)).toBeLessThan(0.03);
    expect(samples.every((s) => Number.isInteger(s) && s >= 0)).toBe(true);
  });

  it.each<{ name: string; spec: DelaySpec }>([
    { name: 'uniform', spec: { distribution: 'uniform', min: '10s', max: '5m' } },
    { name: 'lognormal', spec: { distribution: 'lognormal', median: '90s', sigma: 1 } },
    { name: 'exponential', spec: { distribution: 'exponential', mean: '90s' } },
  ])('$name: the same seed gives the same draws, another seed other draws', ({ spec }) => {
    const a = draw(spec, seededRandom(42), 50);
    expect(draw(spec, seededRandom(42), 50)).toEqual(a);
    expect(draw(spec, seededRandom(43), 50)).not.toEqual(a);
  });

  it.each<{ name: string; spec: unknown; path: string; message: string }>([
    {
      name: 'a duration that does not parse',
      spec: 'soon',
      path: '',
      message:
        '(root): expected a duration such as "30s", "5m", "1h" or a number of milliseconds, got "soon"',
    },
    {
      name: 'an unknown distribution',
      spec: { distribution: 'poisson', mean: '1m' },
      path: '',
      message:
        '(root): expected a duration ("90s" or ms), or { distribution: "uniform", min, max } | { distribution: "lognormal", median, sigma } | { distribution: "exponential", mean }, got {"distribution":"poisson","mean":"1m"}',
    },
    {
      name: 'a log-normal σ above 5',
      spec: { distribution: 'lognormal', median: '1m', sigma: 9 },
      path: 'sigma',
      message: 'sigma: expected a number ≤ 5, got 9',
    },
    {
      name: 'a negative log-normal σ',
      spec: { distribution: 'lognormal', median: '1m', sigma: -1 },
      path: 'sigma',
      message: 'sigma: expected a number ≥ 0, got -1',
    },
    {
      name: 'an exponential mean that does not parse',
      spec: { distribution: 'exponential', mean: 'x' },
      path: 'mean',
      message: 'mean: expected a duration such as "30s", "5m", "1h" or a number of milliseconds, got "x"',
    },
  ])('rejects $name with ARGUMENT_INVALID at the path', ({ spec, path, message }) => {
    const error = thrown(() => delaySampler(spec as DelaySpec, seededRandom(1)));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: 'ARGUMENT_INVALID' });
    expect((error as ConfigError).issues.map((i) => [i.path, i.message])).toEqual([[path, message]]);
  });

  it('rejects a uniform delay with min > max, naming `max` and saying why', () => {
    const error = thrown(() =>
      delaySampler({ distribution: 'uniform', min: '2m', max: '1m' }, seededRandom(1)),
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: 'ARGUMENT_INVALID' });
    // The issue points at `max`, says what it must be (min is 2 min = 120000 ms) and shows the
    // value as written.
    const issues = (error as ConfigError).issues;
    expect(issues.map((i) => [i.path, i.message])).toEqual([
      ['max', 'max: expected a duration ≥ min (120000 ms), got "1m"'],
    ]);
  });
});

/** A fleet on a manual clock whose provisioning delays are taken from a list, in order. */
function fleetWith(options: { initial: number; delays?: number[]; drain?: number }) {
  const clock = new ManualClock(0);
  const delays = [...(options.delays ?? [])];
  const fleet = new SimulatedFleet({
    clock,
    provisioningDelay: () => {
      const next = delays.shift();
      if (next === undefined) throw new Error('no provisioning delay left');
      return next;
    },
    drainDelay: () => options.drain ?? 0,
    initialCapacity: options.initial,
  });
  return { clock, fleet };
}

const lives = (fleet: SimulatedFleet) =>
  fleet.units.map((u) => ({
    id: u.id,
    launchedAt: u.launchedAt,
    readyAt: u.readyAt,
    removedAt: u.removedAt,
    releasedAt: u.releasedAt,
  }));

describe('SimulatedFleet', () => {
  it('starts with its initial units ready and paid at the clock’s time', async () => {
    const { fleet } = fleetWith({ initial: 2 });
    expect(lives(fleet)).toEqual([
      { id: 'u1', launchedAt: 0, readyAt: 0, removedAt: null, releasedAt: null },
      { id: 'u2', launchedAt: 0, readyAt: 0, removedAt: null, releasedAt: null },
    ]);
    expect(await fleet.getCapacity('g')).toEqual({ desired: 2, ready: 2 });
    expect(fleet.paidAt(0)).toBe(2);
  });

  it('a launch is paid at once and ready after its own sampled delay', async () => {
    const { clock, fleet } = fleetWith({ initial: 1, delays: [100, 300, 200] });
    await fleet.setCapacity('g', 4);
    // u2..u4 launched at 0 with delays 100, 300, 200 (drawn in launch order).
    expect(lives(fleet).slice(1)).toEqual([
      { id: 'u2', launchedAt: 0, readyAt: 100, removedAt: null, releasedAt: null },
      { id: 'u3', launchedAt: 0, readyAt: 300, removedAt: null, releasedAt: null },
      { id: 'u4', launchedAt: 0, readyAt: 200, removedAt: null, releasedAt: null },
    ]);
    expect(fleet.desired).toBe(4);
    expect(fleet.paidAt(0)).toBe(4);
    // Ready counts u1 plus each booting unit from its readyAt on (readyAt ≤ t).
    expect([0, 99, 100, 199, 200, 299, 300].map((t) => fleet.readyAt(t))).toEqual([1, 1, 2, 2, 3, 3, 4]);
    expect(await fleet.getCapacity('g')).toEqual({ desired: 4, ready: 1 });
    clock.advance(200);
    expect(await fleet.getCapacity('g')).toEqual({ desired: 4, ready: 3 });
    expect(fleet.readyUnitIds()).toEqual(['u1', 'u2', 'u4']);
  });

  it('scale-in cancels booting launches first, furthest from ready first, releasing them at once', async () => {
    const { clock, fleet } = fleetWith({ initial: 1, delays: [100, 300, 200] });
    await fleet.setCapacity('g', 4);
    clock.advance(50);
    await fleet.setCapacity('g', 2);
    // Booting at 50: u3 (ready 300), u4 (ready 200), u2 (ready 100) in that order; two go.
    // Cancelled launches were never ready, so they are released (billing stops) at once.
    expect(lives(fleet).map((u) => [u.id, u.removedAt, u.releasedAt])).toEqual([
      ['u1', null, null],
      ['u2', null, null],
      ['u3', 50, 50],
      ['u4', 50, 50],
    ]);
    expect(fleet.desired).toBe(2);
    expect(fleet.paidAt(50)).toBe(2);
    expect(fleet.readyAt(100)).toBe(2);
  });

  it('then removes ready units newest first; they drain (paid, not serving) before release', async () => {
    const { clock, fleet } = fleetWith({ initial: 1, delays: [100, 100, 100], drain: 50 });
    await fleet.setCapacity('g', 2); // u2 launched at 0, ready at 100
    clock.advance(10);
    await fleet.setCapacity('g', 3); // u3 launched at 10, ready at 110
    clock.advance(190); // t = 200: all three ready
    await fleet.setCapacity('g', 1);
    // Newest first: u3 (ready 110), then u2 (ready 100); removed at 200, released at 200 + 50.
    expect(lives(fleet).map((u) => [u.id, u.removedAt, u.releasedAt])).toEqual([
      ['u1', null, null],
      ['u2', 200, 250],
      ['u3', 200, 250],
    ]);
    expect(fleet.readyAt(200)).toBe(1);
    expect(fleet.desired).toBe(1);
    // Paid: the live u1 plus the two draining until 250 (released at 250 means unpaid from 250).
    expect([200, 249, 250, 300].map((t) => fleet.paidAt(t))).toEqual([3, 3, 1, 1]);
  });

  it('a scale-in larger than the booting units cancels them all and then drains ready ones', async () => {
    const { clock, fleet } = fleetWith({ initial: 2, delays: [100, 500], drain: 0 });
    await fleet.setCapacity('g', 3); // u3 launched at 0, ready at 100
    clock.advance(150);
    await fleet.setCapacity('g', 4); // u4 launched at 150, ready at 650
    await fleet.setCapacity('g', 2); // at 150: cancel u4, then the newest ready unit, u3 (ready 100)
    expect(lives(fleet).map((u) => [u.id, u.removedAt, u.releasedAt])).toEqual([
      ['u1', null, null],
      ['u2', null, null],
      ['u3', 150, 150],
      ['u4', 150, 150],
    ]);
    expect(fleet.paidAt(150)).toBe(2);
  });

  it('units launched at the same instant are removed newest (last launched) first', () => {
    // u1..u3 are launched and ready at 0: nothing but launch order tells them apart, and the
    // newest is the last launched, u3.
    const { fleet } = fleetWith({ initial: 3 });
    fleet.remove(1, 10);
    expect(lives(fleet).map((u) => [u.id, u.removedAt])).toEqual([
      ['u1', null],
      ['u2', null],
      ['u3', 10],
    ]);
  });

  it('remove with readyOnly keeps booting units (a foresight launch for later)', () => {
    const { fleet } = fleetWith({ initial: 1 });
    fleet.add(0, 100); // u2, booting until 100
    fleet.remove(2, 50, { readyOnly: true });
    // Only u1 was ready at 50; u2 stays although two were asked for.
    expect(lives(fleet).map((u) => [u.id, u.removedAt, u.releasedAt])).toEqual([
      ['u1', 50, 50],
      ['u2', null, null],
    ]);
    expect(fleet.desired).toBe(1);
    expect(fleet.readyAt(100)).toBe(1);
  });

  it('add launches a unit at any given time (foresight baselines launch before now)', () => {
    const { fleet } = fleetWith({ initial: 0 });
    const unit = fleet.add(-30, 70);
    expect(unit).toMatchObject({ id: 'u1', launchedAt: -30, readyAt: 70 });
    expect(fleet.readyAt(69)).toBe(0);
    expect(fleet.readyAt(70)).toBe(1);
  });

  it('listUnits reports pending, in-service and draining units and leaves released ones out', async () => {
    const { clock, fleet } = fleetWith({ initial: 2, delays: [100, 400, 300], drain: 60 });
    await fleet.setCapacity('g', 4); // u3 ready at 100, u4 ready at 400
    clock.advance(50);
    expect((await fleet.listUnits('g')).map((u) => [u.id, u.state])).toEqual([
      ['u1', 'in-service'],
      ['u2', 'in-service'],
      ['u3', 'pending'],
      ['u4', 'pending'],
    ]);
    clock.advance(150);
    // At 200: down to 2 cancels the booting u4 (released at once), then drains the newest ready
    // unit, u3 (released at 260); up to 3 launches u5, ready at 500.
    await fleet.setCapacity('g', 2);
    await fleet.setCapacity('g', 3);
    expect(await fleet.listUnits('g')).toEqual([
      { id: 'u1', state: 'in-service', launchedAt: 0, readyAt: 0 },
      { id: 'u2', state: 'in-service', launchedAt: 0, readyAt: 0 },
      { id: 'u3', state: 'draining', launchedAt: 0, readyAt: 100 },
      { id: 'u5', state: 'pending', launchedAt: 200, readyAt: 500 },
    ]);
    clock.advance(60);
    expect((await fleet.listUnits('g')).map((u) => u.id)).toEqual(['u1', 'u2', 'u5']);
  });
});
