/**
 * efficiencyScore: time-weighted utilization against a target, and the shares of time above
 * target and below target × (1 − tolerance).
 */
import { describe, expect, it } from 'vitest';
import { type EfficiencyOptions, efficiencyScore, type MetricPoint } from '../../src/analytics/efficiency.js';
import { expectRangeError, s } from './history.js';

// busy_ratio against target 0.5, tolerance 0.1 (over-provisioned below 0.45), in seconds:
// 0.5 from 0, 1.0 from 60, 0.5 from 75, 0.25 from 300, 0.5 from 315.
const samples: MetricPoint[] = [
  [s(0), 0.5],
  [s(60), 1.0],
  [s(75), 0.5],
  [s(300), 0.25],
  [s(315), 0.5],
];

describe('efficiencyScore', () => {
  it.each([
    {
      // 0.5 for 60 + 225 + 285 s → 1 each; 1.0 for 15 s → capped at 1; 0.25 for 15 s → 0.5.
      // efficiency = (60 + 15 + 225 + 7.5 + 285) / 600 = 592.5 / 600; above target 15 s; below 0.45 15 s;
      // mean = (0.5·60 + 1·15 + 0.5·225 + 0.25·15 + 0.5·285) / 600 = 303.75 / 600.
      name: 'a range: the last sample holds until its end',
      samples,
      options: { target: 0.5, range: { from: 0, to: s(600) } },
      want: {
        efficiency: 592.5 / 600,
        under: 15 / 600,
        over: 15 / 600,
        mean: 303.75 / 600,
        observed: s(600),
        used: 5,
      },
    },
    {
      // Without a range the last sample covers no time: T = 315 s, efficiency (60 + 15 + 225 + 7.5) / 315.
      name: 'no range: the samples span',
      samples,
      options: { target: 0.5 },
      want: {
        efficiency: 307.5 / 315,
        under: 15 / 315,
        over: 15 / 315,
        mean: 161.25 / 315,
        observed: s(315),
        used: 4,
      },
    },
    {
      // [70, 310) s: 1.0 for 5 s (held in from 60 s), 0.5 for 225 s, 0.25 for 10 s → T = 240 s,
      // efficiency (5 + 225 + 5) / 240.
      name: 'a range starting between samples',
      samples,
      options: { target: 0.5, range: { from: s(70), to: s(310) } },
      want: {
        efficiency: 235 / 240,
        under: 5 / 240,
        over: 10 / 240,
        mean: 120 / 240,
        observed: s(240),
        used: 3,
      },
    },
    {
      // Each sample holds at most 10 s: 0.5, 1.0, 0.5, 0.25, 0.5 for 10 s each → T = 50 s,
      // efficiency (10 + 10 + 10 + 5 + 10) / 50 = 0.9.
      name: 'maxGap: long gaps are no data',
      samples,
      options: { target: 0.5, range: { from: 0, to: s(600) }, maxGap: '10s' },
      want: { efficiency: 0.9, under: 10 / 50, over: 10 / 50, mean: 27.5 / 50, observed: s(50), used: 5 },
    },
    {
      // tolerance 0.6 → over-provisioned only below 0.2: the 0.25 stretch no longer counts.
      name: 'a wide tolerance',
      samples,
      options: { target: 0.5, tolerance: 0.6, range: { from: 0, to: s(600) } },
      want: {
        efficiency: 592.5 / 600,
        under: 15 / 600,
        over: 0,
        mean: 303.75 / 600,
        observed: s(600),
        used: 5,
      },
    },
    {
      // −1 for 10 s counts 0 (not −1) towards efficiency; 2 for 10 s counts 1. Mean keeps the raw values.
      name: 'values below 0 and above target are clamped',
      samples: [
        [0, -1],
        [s(10), 2],
      ] as MetricPoint[],
      options: { target: 1, range: { from: 0, to: s(20) } },
      want: { efficiency: 0.5, under: 0.5, over: 0.5, mean: 0.5, observed: s(20), used: 2 },
    },
    {
      // At exactly target: neither above nor below.
      name: 'exactly at target',
      samples: [[0, 0.7]] as MetricPoint[],
      options: { target: 0.7, range: { from: 0, to: s(60) } },
      want: { efficiency: 1, under: 0, over: 0, mean: 0.7, observed: s(60), used: 1 },
    },
  ])('$name', ({ samples: input, options, want }) => {
    const report = efficiencyScore(input, options as EfficiencyOptions);
    expect(report.efficiency).toBeCloseTo(want.efficiency, 12);
    expect(report.underProvisionedShare).toBeCloseTo(want.under, 12);
    expect(report.overProvisionedShare).toBeCloseTo(want.over, 12);
    expect(report.meanValue).toBeCloseTo(want.mean, 12);
    expect(report.observed).toBe(want.observed);
    expect(report.samples).toBe(want.used);
  });

  it.each([
    {
      name: 'no samples',
      samples: [] as MetricPoint[],
      options: { target: 0.5, range: { from: 0, to: 10 } },
    },
    { name: 'one sample and no range', samples: [[5, 0.9]] as MetricPoint[], options: { target: 0.5 } },
    {
      name: 'samples all after the range',
      samples: [[50, 0.9]] as MetricPoint[],
      options: { target: 0.5, range: { from: 0, to: 10 } },
    },
  ])('covers no time with $name: scores are null, not 0', ({ samples: input, options }) => {
    expect(efficiencyScore(input, options)).toEqual({
      target: 0.5,
      tolerance: 0.1,
      efficiency: null,
      underProvisionedShare: null,
      overProvisionedShare: null,
      meanValue: null,
      observed: 0,
      samples: 0,
    });
  });

  it.each([
    {
      name: 'samples that are not an array',
      samples: 'x',
      options: { target: 1 },
      message: 'samples: expected an array of [timestamp, value] pairs, got "x"',
    },
    {
      name: 'a sample that is not a pair',
      samples: [[1, 2, 3]],
      options: { target: 1 },
      message: 'samples[0]: expected a [timestamp, value] pair, got an array of 3 items',
    },
    {
      name: 'timestamps out of order',
      samples: [
        [10, 1],
        [10, 1],
      ],
      options: { target: 1 },
      message: 'samples[1][0]: expected a timestamp after the previous one (10), got 10',
    },
    {
      name: 'a NaN value',
      samples: [[1, Number.NaN]],
      options: { target: 1 },
      message: 'samples[0][1]: expected a finite number, got NaN',
    },
    {
      name: 'a zero target',
      samples: [],
      options: { target: 0 },
      message: 'options.target: expected a finite number greater than 0, got 0',
    },
    {
      name: 'a tolerance above 1',
      samples: [],
      options: { target: 1, tolerance: 1.5 },
      message: 'options.tolerance: expected a number in [0, 1], got 1.5',
    },
    {
      name: 'a malformed maxGap',
      samples: [],
      options: { target: 1, maxGap: 'soon' },
      message:
        'options.maxGap: expected a duration longer than 0, such as "30s", "5m" or a number of ms, got "soon"',
    },
    {
      name: 'no options',
      samples: [],
      options: undefined,
      message: 'options: expected an object with a target, got nothing',
    },
  ])('rejects $name', ({ samples: input, options, message }) => {
    expectRangeError(() => efficiencyScore(input as never, options as never), message);
  });
});
