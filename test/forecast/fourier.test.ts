import { describe, expect, it } from 'vitest';
import { FourierForecaster, fourierTerms } from '../../src/forecast/fourier.js';

const HOUR = 3_600_000;
const truth = (t: number) =>
  5 + 0.02 * t + 3 * Math.sin((2 * Math.PI * t) / 24) + Math.cos((4 * Math.PI * t) / 24);

describe('fourierTerms', () => {
  it('is the trend t/n then cos, sin per harmonic per period', () => {
    const row = fourierTerms(6, 24, [24], 2, new Array(5));
    // t = 6 of a 24-step day: angle π/2 for k = 1, π for k = 2.
    expect(row[0]).toBe(0.25);
    expect(row[1]).toBeCloseTo(0, 12);
    expect(row[2]).toBeCloseTo(1, 12);
    expect(row[3]).toBeCloseTo(-1, 12);
    expect(row[4]).toBeCloseTo(0, 12);
  });
});

describe('FourierForecaster', () => {
  const n = 24 * 10;
  const values = Array.from({ length: n }, (_, t) => truth(t));
  const model = () =>
    new FourierForecaster({ periods: [24], harmonics: 3 }).fit({ start: 0, step: HOUR, values });

  it('recovers a sinusoid plus trend exactly', () => {
    const m = model();
    const c = m.coefficients;
    // trend regressor is t/n, so its coefficient is 0.02·n; then (cos, sin) for k = 1, 2, 3; intercept.
    const expected = [0.02 * n, 0, 3, 1, 0, 0, 0, 5];
    expect(c).toHaveLength(expected.length);
    for (const [j, v] of expected.entries()) expect(c[j]).toBeCloseTo(v, 6);
    const f = m.forecast(36);
    for (let h = 0; h < 36; h++) expect(f.mean[h]).toBeCloseTo(truth(n + h), 6);
  });

  it('round-trips through JSON and updates identically', () => {
    const m = model();
    const loaded = FourierForecaster.load(JSON.parse(JSON.stringify(m.toJSON())));
    expect(loaded.forecast(12)).toEqual(m.forecast(12));
    m.update(truth(n) + 2);
    loaded.update(truth(n) + 2);
    expect(loaded.forecast(12)).toEqual(m.forecast(12));
  });

  it('an update above the fit raises the next forecasts by α·error', () => {
    const r = (() => {
      let s = 1;
      return () => {
        s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
        return s / 4_294_967_296 - 0.5;
      };
    })();
    const noisy = values.map((v) => v + r());
    const m = new FourierForecaster({ periods: [24], harmonics: 3 }).fit({
      start: 0,
      step: HOUR,
      values: noisy,
    });
    const before = m.forecast(2).mean;
    m.update((before[0] as number) + 3);
    const after = m.forecast(1).mean;
    const state = m.toJSON().state as { alpha: number };
    expect(after[0]).toBeCloseTo((before[1] as number) + state.alpha * 3, 9);
  });

  it('needs enough points for its coefficients', () => {
    expect(() =>
      // period 2 → one harmonic: trend + cos + sin + intercept = 4 coefficients, plus 2 spare points
      new FourierForecaster({ periods: [2], harmonics: 3 }).fit({
        start: 0,
        step: HOUR,
        values: [1, 2, 3, 4, 5],
      }),
    ).toThrow(/fourier needs at least 6 points, got 5/);
  });
});
