import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../../src/cli/demo.js';
import { formatTimestamp } from '../../src/sim/trace-csv.js';

const HOUR = 3_600_000;

function csv(startIso: string, stepMs: number, values: readonly number[]): string {
  const start = Date.parse(startIso);
  return ['timestamp,value', ...values.map((v, i) => `${formatTimestamp(start + i * stepMs)},${v}`)].join(
    '\n',
  );
}

// Twelve hours at 30-minute steps: quiet, a 3-hour surge (rows 6–11: 03:00 to 06:00), quiet
// again. With 1000 per unit the demand is ceil(load / 1000): 2 → 9 → 2 units.
const SURGE = csv(
  '2026-03-02 00:00:00',
  30 * 60_000,
  [
    1500, 1500, 1500, 1500, 1500, 1500, 8500, 8500, 8500, 8500, 8500, 8500, 1500, 1500, 1500, 1500, 1500,
    1500, 1500, 1500, 1500, 1500, 1500, 1500,
  ],
);

describe('runDemo on a hand-made trace', () => {
  it('summarises the default policy from its simulation scores', async () => {
    const demo = await runDemo(SURGE, { traceName: 'surge', days: 0, rows: 6, rowEvery: 2 * HOUR });
    const run = demo.comparison.results?.[0];
    expect(run?.policy).toBe('tideway-default');
    const s = run?.scores;
    if (s === undefined) throw new Error('no default run');
    expect(demo.summary).toMatchObject({
      traceName: 'surge',
      points: 24,
      from: Date.parse('2026-03-02T00:00:00Z'),
      // the last row holds for one more step: 24 × 30 min
      to: Date.parse('2026-03-02T12:00:00Z'),
      unitHours: s.billedUnitHours,
      staticPeakUnitHours: s.staticPeakUnitHours,
      underProvisionedMinutes: s.sloViolationMinutes,
      scaleOuts: s.scaleOuts,
      scaleIns: s.scaleIns,
    });
    // the peak demand is 9 units (8500 / 1000 rounded up) for the whole 12 h
    expect(demo.summary.staticPeakUnits).toBe(9);
    expect(s.staticPeakUnitHours).toBeCloseTo(9 * 12, 9);
    expect(demo.summary.savingVsStaticPeak).toBeCloseTo(1 - s.billedUnitHours / (9 * 12), 12);
    // the surge is met: capacity rises to at least 9 / 0.8 → 11 units (target 800 per unit)
    expect(Math.max(...(run?.timeline.desired ?? []))).toBeGreaterThanOrEqual(11);
    expect(demo.summary.scaleOuts).toBeGreaterThan(0);
    expect(demo.summary.scaleIns).toBeGreaterThan(0);
  });

  it('prints rows every 2 h with the load of the trace at that time', async () => {
    const demo = await runDemo(SURGE, { traceName: 'surge', days: 0, rows: 6, rowEvery: 2 * HOUR });
    const rows = demo.table.split('\n').slice(1);
    expect(rows).toHaveLength(6);
    // rows at 00:00 and 02:00 (1500), 04:00 (inside the 03:00–06:00 surge: 8500), then 06:00,
    // 08:00 and 10:00 (1500 again)
    expect(rows.map((r) => r.slice(0, 16))).toEqual([
      '2026-03-02 00:00',
      '2026-03-02 02:00',
      '2026-03-02 04:00',
      '2026-03-02 06:00',
      '2026-03-02 08:00',
      '2026-03-02 10:00',
    ]);
    expect(rows.map((r) => r.split(/\s{2,}/)[1])).toEqual([
      '1,500',
      '1,500',
      '8,500',
      '1,500',
      '1,500',
      '1,500',
    ]);
    expect(rows[0]).toMatch(/-$/); // nothing changed before the first row
  });

  it('compares against the baselines and renders a self-contained report', async () => {
    const demo = await runDemo(SURGE, { traceName: 'surge', days: 0, rows: 0 });
    expect(demo.table).toBe('');
    expect(demo.comparison.runs.map((r) => r.policy)).toEqual([
      'tideway-default',
      'hpa-like',
      'react',
      'static-peak',
      'oracle-lead',
    ]);
    for (const policy of ['tideway-default', 'hpa-like', 'react', 'static-peak', 'oracle-lead']) {
      expect(demo.text).toContain(policy);
    }
    expect(demo.report.startsWith('<!DOCTYPE html>') || demo.report.startsWith('<!doctype html>')).toBe(true);
    expect(demo.report).not.toMatch(/https?:\/\//);
    // static-peak never falls short
    expect(demo.comparison.runs.find((r) => r.policy === 'static-peak')?.scores.tauU).toBe(0);
  });

  it('is deterministic', async () => {
    const a = await runDemo(SURGE, { days: 0 });
    const b = await runDemo(SURGE, { days: 0 });
    expect(a.text).toBe(b.text);
    expect(a.report).toBe(b.report);
  });
});

describe('runDemo on the bundled NYC taxi trace', () => {
  it('replays the last 7 days and reports consistent numbers', async () => {
    const text = readFileSync('examples/data/nab_nyc_taxi.csv', 'utf8');
    const demo = await runDemo(text, { traceName: 'nab_nyc_taxi.csv', days: 7 });
    // the trace ends 2015-01-31 23:30; its last row holds 30 min, so the replay ends 2015-02-01 00:00
    expect(formatTimestamp(demo.summary.to)).toBe('2015-02-01 00:00:00');
    expect(demo.summary.to - demo.summary.from).toBeGreaterThanOrEqual(7 * 24 * HOUR);
    expect(demo.summary.points).toBe(7 * 48 + 1);
    expect(demo.summary.unitHours).toBeGreaterThan(0);
    expect(demo.summary.unitHours).toBeLessThan(demo.summary.staticPeakUnitHours);
    expect(demo.summary.savingVsStaticPeak).toBeGreaterThan(0);
    expect(demo.text).toContain('saving vs static peak');
    expect(demo.text).toContain('win rates');
  }, 60_000);
});
