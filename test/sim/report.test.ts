import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import {
  DECISION_TABLE_ROWS,
  DEFAULT_MAX_POINTS,
  downsample,
  forecastOf,
  isForecastBand,
  renderReport,
  reportData,
} from '../../src/sim/report.js';
import type { SimulationResult } from '../../src/sim/types.js';
import {
  comparisonFixture,
  expectedPoints,
  HOSTILE,
  scoresFixture,
  simulationFixture,
  withForecast,
} from './fixtures.js';

/** Every `<polyline>`/`<path>` carrying `data-series`, with its attributes and drawn vertex count. */
function drawnSeries(html: string) {
  return [...html.matchAll(/<(polyline|path) ([^>]*)>/g)]
    .map(([, tag, attrs = '']) => ({ tag, attrs: Object.fromEntries(attributes(attrs)) }))
    .filter(({ attrs }) => attrs['data-series'] !== undefined)
    .map(({ tag, attrs }) => ({
      series: attrs['data-series'] as string,
      run: attrs['data-run'],
      group: attrs['data-group'],
      declared: Number(attrs['data-points']),
      vertices: tag === 'polyline' ? pairs(attrs.points ?? '') : pairs(attrs.d ?? ''),
    }));
}

function attributes(text: string): [string, string][] {
  return [...text.matchAll(/([\w-]+)="([^"]*)"/g)].map(([, k = '', v = '']) => [k, v]);
}

/** Coordinate pairs in a `points` list or a path's `d` (which uses only M, L and Z here). */
function pairs(text: string): number {
  return (text.match(/-?\d*\.?\d+(?:e[-+]?\d+)?/gi) ?? []).length / 2;
}

function embeddedData(html: string): unknown {
  const m = /<script type="application\/json" id="tideway-data">([\s\S]*?)<\/script>/.exec(html);
  expect(m).not.toBeNull();
  return JSON.parse(m?.[1] ?? 'null');
}

function keysSorted(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(keysSorted);
  if (value === null || typeof value !== 'object') return true;
  const keys = Object.keys(value);
  return (
    keys.every((k, i) => i === 0 || (keys[i - 1] as string) < k) && Object.values(value).every(keysSorted)
  );
}

const plain = simulationFixture();
const big = withForecast(simulationFixture({ points: 43_200, name: 'a month of minutes' }));
const comparison = comparisonFixture({ results: true });

describe('downsample', () => {
  it.each([
    {
      name: 'under the budget, unchanged',
      times: [0, 1, 2, 3],
      values: [4, 1, 3, 2],
      maxPoints: 8,
      shape: 'line' as const,
      want: { times: [0, 1, 2, 3], values: [4, 1, 3, 2] },
    },
    {
      name: 'the doc example: min and max of three buckets, the spike survives',
      times: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13],
      values: [0, 1, 9, 2, 3, 2, 1, 0, 4, -3, 2, 1, 2, 5],
      maxPoints: 8,
      shape: 'line' as const,
      want: { times: [0, 1, 2, 7, 8, 9, 10, 13], values: [0, 1, 9, 0, 4, -3, 2, 5] },
    },
    {
      name: 'a flat run collapses to its ends (line)',
      times: [0, 1, 2, 3, 4],
      values: [1, 1, 1, 1, 2],
      maxPoints: 10,
      shape: 'line' as const,
      want: { times: [0, 3, 4], values: [1, 1, 2] },
    },
    {
      name: 'a step gets its corner; repeats collapse',
      times: [0, 10, 20],
      values: [1, 1, 3],
      maxPoints: 10,
      shape: 'step' as const,
      want: { times: [0, 20, 20], values: [1, 1, 3] },
    },
    {
      name: 'non-finite values and times that do not increase are dropped',
      times: [0, 1, 1, 2, 3],
      values: [1, Number.NaN, 5, Number.POSITIVE_INFINITY, 4],
      maxPoints: 10,
      shape: 'line' as const,
      want: { times: [0, 1, 3], values: [1, 5, 4] },
    },
    {
      name: 'empty',
      times: [],
      values: [],
      maxPoints: 8,
      shape: 'step' as const,
      want: { times: [], values: [] },
    },
    {
      name: 'one point',
      times: [7],
      values: [3],
      maxPoints: 8,
      shape: 'step' as const,
      want: { times: [7], values: [3] },
    },
  ])('$name', ({ times, values, maxPoints, shape, want }) => {
    expect(downsample(times, values, maxPoints, shape)).toEqual(want);
  });

  it('keeps a one-sample spike among 43,200 points within the budget', () => {
    const times = Array.from({ length: 43_200 }, (_, i) => i * 60_000);
    const values = times.map((_, i) => (i === 12_345 ? 99 : i % 7));
    const out = downsample(times, values, DEFAULT_MAX_POINTS);
    expect(out.times.length).toBeLessThanOrEqual(DEFAULT_MAX_POINTS);
    expect(out.times).toContain(12_345 * 60_000);
    expect(Math.max(...out.values)).toBe(99);
  });

  it('holds for any series: within budget, ends and extremes kept, times in order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 2_000 }),
        fc.integer({ min: 8, max: 300 }),
        fc.constantFrom('line' as const, 'step' as const),
        (values, maxPoints, shape) => {
          const times = values.map((_, i) => 1_000 * i);
          const out = downsample(times, values, maxPoints, shape);
          expect(out.times.length).toBe(out.values.length);
          expect(out.times.length).toBeLessThanOrEqual(maxPoints);
          for (let i = 1; i < out.times.length; i++) {
            expect(out.times[i]).toBeGreaterThanOrEqual(out.times[i - 1] as number);
          }
          if (values.length === 0) {
            expect(out.times).toEqual([]);
            return;
          }
          expect([out.times[0], out.values[0]]).toEqual([0, values[0]]);
          expect(out.times[out.times.length - 1]).toBe(times[times.length - 1]);
          expect(Math.max(...out.values)).toBe(Math.max(...values));
          expect(Math.min(...out.values)).toBe(Math.min(...values));
        },
      ),
    );
  });

  it.each([
    { name: 'too small', maxPoints: 7 },
    { name: 'not an integer', maxPoints: 10.5 },
    { name: 'NaN', maxPoints: Number.NaN },
  ])('rejects maxPoints $name', ({ maxPoints }) => {
    expect(() => downsample([0], [0], maxPoints)).toThrow(ConfigError);
    expect(() => renderReport(plain, { maxPoints })).toThrow(/maxPoints: expected an integer ≥ 8/);
  });
});

describe('isForecastBand and forecastOf', () => {
  it.each([
    { name: 'a band', value: { times: [0], mean: [1], lower: [0], upper: [2] }, want: true },
    { name: 'an empty band', value: { times: [], mean: [], lower: [], upper: [] }, want: true },
    { name: 'lengths differ', value: { times: [0, 1], mean: [1], lower: [0], upper: [2] }, want: false },
    { name: 'missing upper', value: { times: [0], mean: [1], lower: [0] }, want: false },
    { name: 'strings', value: { times: ['0'], mean: [1], lower: [0], upper: [2] }, want: false },
    { name: 'null', value: null, want: false },
  ])('$name', ({ value, want }) => {
    expect(isForecastBand(value)).toBe(want);
  });

  it('reads a non-empty band from a result and ignores everything else', () => {
    expect(forecastOf(plain)).toBeUndefined();
    expect(forecastOf({ ...plain, forecast: { times: [], mean: [], lower: [], upper: [] } })).toBeUndefined();
    expect(forecastOf(big)).toBe(big.forecast);
  });
});

describe('renderReport of a simulation', () => {
  it.each([
    { name: 'a small run', input: plain },
    { name: 'a month of minutes with a forecast', input: big },
    { name: 'a comparison with every run', input: comparison },
  ])('references nothing outside the page: $name', ({ input }) => {
    const html = renderReport(input);
    expect(html).not.toMatch(/https?:/i);
    expect(html).not.toMatch(/\b(?:src|href|xlink:href|action|srcset)\s*=/i);
    expect(html).not.toMatch(/<(?:link|img|iframe|object|embed|image|use|base)\b/i);
    expect(html).not.toMatch(/url\(|@import|@font-face/i);
    // The only script is the JSON data block, which a browser does not run.
    expect(html.match(/<script\b[^>]*>/g)).toEqual(['<script type="application/json" id="tideway-data">']);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  });

  it('draws each series with as many vertices as downsample keeps', () => {
    for (const [input, maxPoints] of [
      [plain, DEFAULT_MAX_POINTS],
      [plain, 64], // small enough that the step series are bucketed too
      [big, DEFAULT_MAX_POINTS],
    ] as const) {
      const drawn = drawnSeries(renderReport(input, { maxPoints }));
      const want = expectedPoints(input, maxPoints);
      expect(Object.fromEntries(drawn.map((d) => [d.series, d.declared]))).toEqual(want);
      for (const d of drawn) {
        expect(d.vertices, d.series).toBe(d.declared);
        expect(d.declared, d.series).toBeLessThanOrEqual(maxPoints);
      }
    }
  });

  it('keeps a month of minutes small', () => {
    const html = renderReport(big);
    expect(html.length).toBeLessThan(600_000);
    expect(drawnSeries(html).find((d) => d.series === 'load-units')?.declared).toBe(DEFAULT_MAX_POINTS);
  });

  it('is deterministic: the same input gives the same bytes', () => {
    expect(renderReport(big)).toBe(renderReport(structuredClone(big)));
    expect(reportData(comparison)).toBe(reportData(structuredClone(comparison)));
  });

  it('draws the forecast band only when the result carries one', () => {
    expect(renderReport(plain)).not.toContain('data-series="forecast-band"');
    const html = renderReport(big);
    expect(html).toContain('data-series="forecast-band"');
    expect(html).toContain('data-series="forecast-mean"');
    expect(html).toContain('forecast band');
  });

  it('labels time axes in UTC as YYYY-MM-DD HH:MM', () => {
    const html = renderReport(plain);
    expect(html).toMatch(/<text [^>]*>2024-01-01 00:00<\/text>/);
    expect(html).toMatch(/<text [^>]*>2024-01-01 03:00<\/text>/);
    expect(html).toContain('time (UTC)');
  });

  it('lists every score with its unit', () => {
    const html = renderReport(plain);
    const { scaleOutToReady, ...scalars } = scoresFixture();
    const keys = [
      ...Object.keys(scalars),
      ...Object.keys(scaleOutToReady).map((k) => `scaleOutToReady.${k}`),
    ];
    expect(keys).toHaveLength(25);
    for (const key of keys) expect(html).toContain(`<tr data-score="${key}">`);
    expect(html.match(/<tr data-score=/g)).toHaveLength(keys.length);
    expect(html).toMatch(/<tr data-score="sloViolationMinutes">.*<td class="num">17<\/td><td>min<\/td>/);
    expect(html).toMatch(/<tr data-score="unservedShare">.*<td class="num">1\.25<\/td><td>%<\/td>/);
    expect(html).toMatch(/<tr data-score="scaleOutToReady\.p95">.*<td class="num">4m<\/td>/);
    expect(html).toMatch(/<tr data-score="duration">.*<td class="num">3h 50m<\/td>/);
  });

  it.each([
    { name: 'milliseconds', ms: 250, text: '250 ms' },
    { name: 'seconds', ms: 90_500, text: '1m 31s' },
    { name: 'whole hours', ms: 7_200_000, text: '2h' },
    { name: 'a rest that rounds up carries', ms: 30 * 86_400_000 - 600_000, text: '30d' },
    { name: 'hours and minutes carry too', ms: 3_600_000 - 400, text: '1h' },
  ])('formats durations: $name', ({ ms, text }) => {
    const html = renderReport({ ...plain, scores: scoresFixture({ duration: ms }) });
    expect(html).toContain(`<tr data-score="duration"><td>scored duration</td><td class="num">${text}</td>`);
  });

  it('marks every decision but lists at most the first rows, saying how many more', () => {
    const html = renderReport(big);
    const count = big.decisions.length;
    expect(count).toBeGreaterThan(DECISION_TABLE_ROWS);
    const markers = [
      ...html.matchAll(/data-markers="[^"]+" data-run="0" data-count="(\d+)"[^>]* d="([^"]*)"/g),
    ];
    expect(markers.reduce((n, m) => n + Number(m[1]), 0)).toBe(count);
    expect(markers.reduce((n, m) => n + (m[2]?.match(/M/g)?.length ?? 0), 0)).toBe(count);
    expect(html.match(/<tr class="(?:out|in|same)">/g)).toHaveLength(DECISION_TABLE_ROWS);
    expect(html).toContain(
      `data-more="${count - DECISION_TABLE_ROWS}">${count - DECISION_TABLE_ROWS} more decisions`,
    );
    expect(renderReport(plain)).not.toContain('data-more');
  });

  it('gives every chart role="img" and a title and description it points to', () => {
    const html = renderReport(comparison);
    const svgs = [...html.matchAll(/<svg ([^>]*)>/g)].map(([, a = '']) => Object.fromEntries(attributes(a)));
    expect(svgs.length).toBe(8 * 3 + 2);
    const ids = svgs.flatMap((s) => (s['aria-labelledby'] ?? '').split(' '));
    expect(new Set(ids).size).toBe(ids.length);
    for (const s of svgs) expect(s.role).toBe('img');
    for (const id of ids) expect(html).toMatch(new RegExp(`<(title|desc) id="${id}">[^<]+</\\1>`));
  });
});

describe('degenerate inputs', () => {
  const few = simulationFixture({ points: 5 });
  const flat = (times: number[], v: number) => ({
    times,
    load: times.map(() => v),
    demand: times.map(() => v),
    ready: times.map(() => v),
    desired: times.map(() => v),
    paid: times.map(() => v),
    cost: times.map(() => v),
  });
  const runs = comparisonFixture().runs;

  it.each([
    { name: 'an empty timeline', input: { ...few, timeline: flat([], 0), decisions: [] } },
    { name: 'one sample of nothing', input: { ...few, timeline: flat([few.trace.start], 0), decisions: [] } },
    {
      name: 'a comparison with no runs',
      input: { ...comparisonFixture(), runs: [], pareto: [], winRates: {} },
    },
    {
      name: 'a comparison with an infinite cost',
      input: {
        ...comparisonFixture(),
        runs: runs.map((r, i) =>
          i === 0 ? { ...r, scores: { ...r.scores, billedUnitHours: Number.POSITIVE_INFINITY } } : r,
        ),
      },
    },
  ])('renders $name with no NaN or Infinity in the markup', ({ input }) => {
    const html = renderReport(input as SimulationResult);
    const markup = html.slice(0, html.indexOf('<script'));
    expect(markup).not.toMatch(/NaN|Infinity/);
    expect(markup).toContain('</h1>');
  });
});

describe('escaping', () => {
  const hostileRun: SimulationResult = {
    ...simulationFixture({
      name: HOSTILE,
      policy: HOSTILE,
      reason: () => HOSTILE,
      message: (d) => `${HOSTILE} ${d.from} → ${d.to}`,
    }),
  };
  const hostileComparison = {
    ...comparisonFixture(),
    baseline: HOSTILE,
    runs: comparisonFixture().runs.map((r) => ({ ...r, trace: HOSTILE, policy: `${r.policy}${HOSTILE}` })),
    winRates: { [HOSTILE]: 0.5 },
  };

  it.each([
    { name: 'a run with hostile names, reasons and messages', input: hostileRun, title: undefined },
    { name: 'a comparison with hostile labels', input: hostileComparison, title: HOSTILE },
  ])('escapes $name', ({ input, title }) => {
    const html = renderReport(input, title === undefined ? {} : { title });
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img');
    // With every quoted attribute value blanked, no tag has an event-handler attribute.
    expect(html.replace(/="[^"]*"/g, '=""')).not.toMatch(/<[^>]*\son\w+\s*=/i);
    expect(html.match(/<script\b/g)).toHaveLength(1);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&quot;&gt;&lt;img src=x');
    // The data block escapes `<`, so it cannot be closed early, and still reads back exactly.
    expect(JSON.stringify(embeddedData(html))).toContain(JSON.stringify(HOSTILE).slice(1, -1));
  });
});

describe('reportData', () => {
  it('is the JSON the page embeds, with sorted keys and 2-space indent', () => {
    for (const input of [plain, big, comparison]) {
      const json = reportData(input);
      expect(embeddedData(renderReport(input))).toEqual(JSON.parse(json));
      expect(keysSorted(JSON.parse(json))).toBe(true);
      expect(json).toMatch(/^\{\n {2}"[a-z]+": /);
      expect(JSON.parse(json).format).toBe('tideway.report');
    }
  });

  it('holds exactly the series drawn', () => {
    const data = JSON.parse(reportData(big, { maxPoints: 300 }));
    const drawn = drawnSeries(renderReport(big, { maxPoints: 300 }));
    const series = data.run.series as Record<string, { times: number[]; values: number[] }>;
    for (const d of drawn) {
      const n =
        d.series === 'forecast-band'
          ? (series['forecast-lower']?.times.length ?? 0) + (series['forecast-upper']?.times.length ?? 0)
          : (series[d.series]?.times.length ?? -1);
      expect(n, d.series).toBe(d.declared);
    }
    expect(data.run.decisions.rows).toHaveLength(DECISION_TABLE_ROWS);
    expect(data.run.decisions.count).toBe(big.decisions.length);
  });

  it('writes numbers JSON cannot hold as strings', () => {
    const run = { ...plain, scores: scoresFixture({ costVsOracle: Number.POSITIVE_INFINITY }) };
    expect(JSON.parse(reportData(run)).run.scores.costVsOracle).toBe('Infinity');
    expect(renderReport(run)).toMatch(/<tr data-score="costVsOracle">.*<td class="num">∞<\/td>/);
  });

  it('rejects an input of another format', () => {
    const notAResult = { format: 'tideway.snapshot' } as unknown as SimulationResult;
    expect(() => reportData(notAResult)).toThrow(ConfigError);
    expect(() => renderReport(notAResult)).toThrow(/input\.format: expected 'tideway\.simulation' or/);
  });
});

describe('renderReport of a comparison', () => {
  const html = renderReport(comparison);

  it('lists every run with its key scores and speedup', () => {
    const rows = [...html.matchAll(/<tr data-run="(\d+)" data-pareto="(true|false)"[^>]*>(.*?)<\/tr>/g)];
    expect(rows.map((r) => Number(r[1]))).toEqual(comparison.runs.map((_, i) => i));
    comparison.runs.forEach((run, i) => {
      const cells = rows[i]?.[3] ?? '';
      expect(cells).toContain(`<td>${run.trace.replace(/"/g, '&quot;')}</td>`);
      expect(cells).toContain(run.policy.replace(/</g, '&lt;').replace(/>/g, '&gt;'));
      expect(cells).toContain(`>${run.speedup}×</td>`);
      expect(cells).toContain(`>${run.scores.sloViolationMinutes}</td>`);
    });
  });

  it('marks the Pareto runs in the table and the scatter, and joins each front', () => {
    const front = comparison.pareto.length;
    expect(html.match(/data-pareto="true"/g)).toHaveLength(2 * front);
    expect(html.match(/<circle class="pareto"/g)).toHaveLength(front);
    expect(html.match(/<circle /g)).toHaveLength(comparison.runs.length);
    const fronts = drawnSeries(html).filter((d) => d.series === 'pareto-front');
    expect(fronts.map((f) => f.declared)).toEqual([3, 3]);
    expect(fronts.map((f) => f.vertices)).toEqual([3, 3]);
  });

  it('shows the win rates, highest first', () => {
    const order = [...html.matchAll(/<tr data-policy="([^"]*)">/g)].map((m) => m[1]);
    expect(order).toEqual(['tideway &lt;predictive&gt;', 'react', 'hpa-like', 'static-peak']);
    expect(html).toContain('75 %');
  });

  it('draws each run in detail when the results are kept, and only then', () => {
    for (let i = 0; i < comparison.runs.length; i++) {
      expect(html).toContain(`<section class="run" id="run-${i}" data-run="${i}">`);
      expect(html).toContain(`data-chart="capacity" data-run="${i}"`);
    }
    const drawn = drawnSeries(html).filter((d) => d.run !== undefined);
    comparison.results?.forEach((result, i) => {
      const mine = drawn.filter((d) => d.run === String(i));
      expect(Object.fromEntries(mine.map((d) => [d.series, d.declared]))).toEqual(
        expectedPoints(result, DEFAULT_MAX_POINTS),
      );
    });
    expect(renderReport(comparisonFixture())).not.toContain('data-chart="capacity"');
  });
});
