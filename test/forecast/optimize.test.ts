import { describe, expect, it } from 'vitest';
import { nelderMead } from '../../src/forecast/optimize.js';

describe('nelderMead', () => {
  it('finds the minimum of a shifted quadratic', () => {
    const r = nelderMead((x) => ((x[0] as number) - 1) ** 2 + ((x[1] as number) + 2) ** 2, [0, 0], {
      tolerance: 1e-14,
      maxEvaluations: 2000,
    });
    expect(r.x[0]).toBeCloseTo(1, 4);
    expect(r.x[1]).toBeCloseTo(-2, 4);
    expect(r.converged).toBe(true);
  });

  it('stops on the bound when the minimum lies outside the box, never evaluating outside', () => {
    const seen: number[] = [];
    const r = nelderMead(
      (x) => {
        seen.push(x[0] as number);
        return ((x[0] as number) - 5) ** 2;
      },
      [0.5],
      { lower: [0], upper: [1], tolerance: 1e-12 },
    );
    expect(r.x[0]).toBeCloseTo(1, 6);
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...seen)).toBeLessThanOrEqual(1);
  });

  it('minimises the Rosenbrock function', () => {
    const rosenbrock = (x: Float64Array) =>
      100 * ((x[1] as number) - (x[0] as number) ** 2) ** 2 + (1 - (x[0] as number)) ** 2;
    const r = nelderMead(rosenbrock, [-1.2, 1], { tolerance: 1e-14, maxEvaluations: 5000, step: 0.5 });
    expect(r.x[0]).toBeCloseTo(1, 3);
    expect(r.x[1]).toBeCloseTo(1, 3);
  });

  it('respects maxEvaluations and treats NaN as +Infinity', () => {
    let calls = 0;
    const r = nelderMead(
      (x) => {
        calls++;
        return (x[0] as number) > 2 ? Number.NaN : ((x[0] as number) - 3) ** 2;
      },
      [0],
      { maxEvaluations: 25 },
    );
    expect(calls).toBeLessThanOrEqual(25 + 2);
    expect(r.evaluations).toBe(calls);
    expect(r.x[0]).toBeLessThanOrEqual(2);
    expect(r.converged).toBe(false);
  });

  it('is deterministic', () => {
    const f = (x: Float64Array) => Math.abs((x[0] as number) - 0.3) + ((x[1] as number) - 0.7) ** 2;
    const a = nelderMead(f, [0, 0]);
    const b = nelderMead(f, [0, 0]);
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    expect(a.evaluations).toBe(b.evaluations);
  });
});
