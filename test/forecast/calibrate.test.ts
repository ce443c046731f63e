import { describe, expect, it } from 'vitest';
import {
  confidenceScore,
  ErrorQuantiles,
  recentBacktest,
  rollingOriginErrors,
} from '../../src/forecast/calibrate.js';
import { MstlForecaster } from '../../src/forecast/mstl.js';

/** Standard normal draws by Box–Muller from an LCG (deterministic). */
function gaussian(seed: number): () => number {
  let s = seed >>> 0;
  const u = () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return (s + 0.5) / 4_294_967_296;
  };
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

describe('rollingOriginErrors', () => {
  it('measures the naive forecast on a ramp: error h at step h', () => {
    const e = rollingOriginErrors([0, 1, 2, 3, 4, 5], (t) => t, { horizon: 2, first: 0 });
    expect(Array.from(e[0] ?? [])).toEqual([1, 1, 1, 1, 1]);
    expect(Array.from(e[1] ?? [])).toEqual([2, 2, 2, 2]);
  });

  it('starts at `first` and steps by `stride`', () => {
    const e = rollingOriginErrors([0, 1, 4, 9, 16, 25, 36], (t) => (t === 0 ? 0 : t * t), {
      horizon: 1,
      first: 2,
      stride: 2,
    });
    // origins 2 and 4: 9 − 4 = 5, 25 − 16 = 9
    expect(Array.from(e[0] ?? [])).toEqual([5, 9]);
  });
});

describe('ErrorQuantiles', () => {
  it.each([
    { name: 'median of -1, 0, 1', errors: [-1, 0, 1], p: 0.5, expected: 0 },
    // type 6: position p·(n + 1) − 1 = 0.3·5 − 1 = 0.5 → halfway between 0 and 10
    { name: 'type-6 interpolation', errors: [0, 10, 20, 30], p: 0.3, expected: 5 },
    { name: 'clamped below the first order statistic', errors: [0, 10], p: 0.1, expected: 0 },
    { name: 'max', errors: [3, -2, 8], p: 1, expected: 8 },
    { name: 'non-finite errors ignored', errors: [Number.NaN, 4, 2], p: 0, expected: 2 },
  ])('$name', ({ errors, p, expected }) => {
    expect(ErrorQuantiles.fromErrors([errors]).quantile(1, p)).toBeCloseTo(expected, 12);
  });

  it('widens past the measured horizon by √(h/H) around the median', () => {
    const q = ErrorQuantiles.fromErrors([
      [-1, 0, 1],
      [-2, 0, 2],
    ]);
    expect(q.quantile(8, 1)).toBeCloseTo(2 * Math.sqrt(8 / 2), 12);
  });

  it('builds intervals around the mean from the signed error quantiles', () => {
    // 50 %: p = 0.25 → position 0.25·6 − 1 = 0.5; p = 0.75 → position 3.5
    const q = ErrorQuantiles.fromErrors([[0, 1, 2, 3, 4]]);
    const f = q.interval(Float64Array.of(10), [50], 0, 1);
    expect(f.intervals[0]?.lower[0]).toBe(10.5);
    expect(f.intervals[0]?.upper[0]).toBe(13.5);
  });

  it('keeps at most `resolution` order statistics and round-trips through JSON', () => {
    const errors = Float64Array.from({ length: 1001 }, (_, i) => i);
    const q = ErrorQuantiles.fromErrors([errors], 11);
    expect(q.toJSON().steps[0]).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    // type 6 on the 11 kept values: position 0.55·12 − 1 = 5.6 → 560
    expect(ErrorQuantiles.fromJSON(JSON.parse(JSON.stringify(q))).quantile(1, 0.55)).toBeCloseTo(560, 9);
  });
});

describe('calibration on Gaussian noise', () => {
  it('reaches nominal coverage out of sample (80 % and 95 %, ±4 points)', () => {
    const g = gaussian(2024);
    const values = Array.from({ length: 5000 }, () => 50 + g());
    const model = new MstlForecaster({ periods: [], horizon: 1 }).fit({
      start: 0,
      step: 1,
      values: values.slice(0, 2000),
    });
    let in80 = 0;
    let in95 = 0;
    for (let t = 2000; t < 5000; t++) {
      const f = model.forecast(1);
      const y = values[t] as number;
      const [i80, i95] = f.intervals;
      if (y >= (i80?.lower[0] as number) && y <= (i80?.upper[0] as number)) in80++;
      if (y >= (i95?.lower[0] as number) && y <= (i95?.upper[0] as number)) in95++;
      model.update(y);
    }
    expect(in80 / 3000).toBeGreaterThan(0.76);
    expect(in80 / 3000).toBeLessThan(0.84);
    expect(in95 / 3000).toBeGreaterThan(0.91);
    expect(in95 / 3000).toBeLessThan(0.99);
  });
});

describe('confidenceScore', () => {
  it.each([
    { name: 'perfect and calibrated', recentMase: 0, recentCoverage80: 0.8, expected: 1 },
    { name: 'as bad as seasonal naive, calibrated', recentMase: 1, recentCoverage80: 0.8, expected: 0.5 },
    { name: 'half as bad, calibrated', recentMase: 0.5, recentCoverage80: 0.8, expected: 2 / 3 },
    {
      name: 'accurate but intervals held half as often',
      recentMase: 0,
      recentCoverage80: 0.4,
      expected: 0.5,
    },
    { name: 'intervals never held', recentMase: 0, recentCoverage80: 0, expected: 0 },
    { name: 'no evidence', recentMase: Number.NaN, recentCoverage80: 0.8, expected: 0 },
  ])('$name', ({ recentMase, recentCoverage80, expected }) => {
    expect(confidenceScore({ recentMase, recentCoverage80 })).toBeCloseTo(expected, 12);
  });
});

describe('recentBacktest', () => {
  it('scores the recent errors and checks them against the earlier errors’ 80 % band', () => {
    // 20 earlier errors -9.5 … 9.5 (10 % / 90 % quantiles ±8.4), then 4 recent: 3 inside, 1 outside.
    const earlier = Array.from({ length: 20 }, (_, i) => i - 9.5);
    const e = Float64Array.from([...earlier, 1, -2, 5, 12]);
    const r = recentBacktest([e], 4, 2);
    expect(r.mase).toBeCloseTo((1 + 2 + 5 + 12) / 4 / 2, 12);
    expect(r.coverage80).toBe(0.75);
  });
});
