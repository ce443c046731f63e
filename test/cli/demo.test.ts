import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type DemoDecision, type DemoResult, runDemo } from '../../src/cli/demo.js';
import { formatTimestamp, parseTraceCsv } from '../../src/sim/trace-csv.js';

const MINUTE = 60_000;

function csv(startIso: string, stepMs: number, values: readonly number[]): string {
  const start = Date.parse(startIso);
  return ['timestamp,value', ...values.map((v, i) => `${formatTimestamp(start + i * stepMs)},${v}`)].join(
    '\n',
  );
}

/**
 * Recompute the summary's fleet numbers minute by minute, independently of the demo's own
 * bookkeeping: the fleet is rebuilt from the decisions alone (a launch is ready `delay` after
 * its decision; a removal cancels the newest pending launches first, then removes ready units),
 * and the load is the trace's step function. Needs every time on a whole minute.
 */
function recompute(
  text: string,
  decisions: readonly DemoDecision[],
  options: { initial: number; delay: number; capacityPerUnit: number; end: number },
): { unitMinutes: number; underMinutes: number; scaleOuts: number; scaleIns: number } {
  const { timestamps, values } = parseTraceCsv(text);
  let desired = options.initial;
  let ready = options.initial;
  const pending: { readyAt: number; count: number }[] = [];
  const problems: string[] = [];
  let next = 0; // next decision
  let row = 0; // trace row in force
  let unitMinutes = 0;
  let underMinutes = 0;
  for (let t = timestamps[0] as number; t < options.end; t += MINUTE) {
    // Launches due by now are ready before anything decided at this instant (oldest first).
    while (pending.length > 0 && (pending[0] as { readyAt: number }).readyAt <= t) {
      ready += (pending.shift() as { count: number }).count;
    }
    for (; next < decisions.length && (decisions[next] as DemoDecision).at <= t; next++) {
      const d = decisions[next] as DemoDecision;
      if (d.at % MINUTE !== 0) problems.push(`decision at ${d.at} is not on a whole minute`);
      if (d.current !== desired) {
        problems.push(
          `decision at ${formatTimestamp(d.at)} starts from ${d.current}, the fleet has ${desired}`,
        );
      }
      if (d.desired > desired) {
        if (options.delay === 0) ready += d.desired - desired;
        else pending.push({ readyAt: d.at + options.delay, count: d.desired - desired });
      } else if (d.desired < desired) {
        let remove = desired - d.desired;
        while (remove > 0 && pending.length > 0) {
          const last = pending[pending.length - 1] as { count: number };
          const take = Math.min(remove, last.count);
          last.count -= take;
          remove -= take;
          if (last.count === 0) pending.pop();
        }
        ready -= remove;
      }
      desired = d.desired;
    }
    while (row + 1 < timestamps.length && (timestamps[row + 1] as number) <= t) row++;
    unitMinutes += desired;
    if (ready * options.capacityPerUnit < (values[row] as number)) underMinutes++;
  }
  expect(problems.slice(0, 5)).toEqual([]);
  return {
    unitMinutes,
    underMinutes,
    scaleOuts: decisions.filter((d) => d.direction === 'out').length,
    scaleIns: decisions.filter((d) => d.direction === 'in').length,
  };
}

describe('runDemo on a hand-computed trace', () => {
  // 30-min steps: 8, 8, 40, 40, 8, 8 with units serving 10 (target 8 per unit). Worked by hand:
  // 1 unit until 01:00; at 01:00 the load jumps to 40 → 5 units (within the +4 step), ready at
  // 01:05, so 5 minutes under-provisioned (1 × 10 < 40); at 02:00 back to 1 (the 5-min
  // scale-down window holds only records strictly newer than 01:55, i.e. none but 02:00's).
  // Unit-minutes: 60 × 1 + 60 × 5 + 60 × 1 = 420 = 7 unit-hours over 3 h; a static fleet for
  // the peak runs ceil(40 / 10) = 4 units × 3 h = 12 unit-hours.
  const text = csv('2026-01-01T00:00:00Z', 30 * MINUTE, [8, 8, 40, 40, 8, 8]);
  let result: DemoResult;
  beforeAll(async () => {
    result = await runDemo(text, { capacityPerUnit: 10, rows: 36, rowEvery: 5 * MINUTE });
  });

  it('measures what a hand calculation gives', () => {
    expect(result.summary).toMatchObject({
      rows: 6,
      durationHours: 3,
      peakLoad: 40,
      targetPerUnit: 8,
      minCapacity: 1,
      maxCapacity: 5,
      initialCapacity: 1,
      ruleWindow: 30 * MINUTE,
      unitHours: 7,
      maxUnits: 5,
      staticUnits: 4,
      staticUnitHours: 12,
      underProvisionedMinutes: 5,
      scaleOuts: 1,
      scaleIns: 1,
      decisions: 36,
      reasons: { NoChange: 34, ScaleOut: 1, ScaleIn: 1 },
    });
    expect(result.summary.savingPercent).toBeCloseTo(100 * (1 - 7 / 12), 10);
    expect(result.summary.underProvisionedPercent).toBeCloseTo((100 * 5) / 180, 10);
  });

  it('shows the scale-out with ready units lagging by the provisioning delay', () => {
    const lines = result.table.split('\n');
    expect(lines[0]).toBe('time (UTC)        load  units  ready  decision');
    expect(lines).toHaveLength(2 + 36);
    expect(lines[2 + 12]).toBe('2026-01-01 01:00    40      5      1  ScaleOut 1→5');
    expect(lines[2 + 13]).toBe('2026-01-01 01:05    40      5      5  NoChange');
    expect(lines[2 + 24]).toBe('2026-01-01 02:00     8      1      1  ScaleIn 5→1');
  });

  it('prints the summary in the text', () => {
    expect(result.text).toContain('  unit-hours used            7.0 (average 2.3 units, at most 5)\n');
    expect(result.text).toContain('  static fleet for the peak  12.0 (4 units × 3.0 h)\n');
    expect(result.text).toContain('  saving                     41.7 %\n');
    expect(result.text).toContain('  under-provisioned          5.0 min (2.778 % of the time)\n');
    expect(result.text).toContain('  scale-outs / scale-ins     1 / 1\n');
  });
});

describe('runDemo on a synthetic trace, checked against an independent recomputation', () => {
  // Three days of a daily wave with bursts; a 7-minute provisioning delay puts readiness off
  // the 5-minute evaluation grid, and an irregular 60-minute gap tests the window.
  const values: number[] = [];
  for (let i = 0; i < 144; i++) {
    const wave = 5000 + 4000 * Math.sin((2 * Math.PI * i) / 48);
    values.push(Math.round(wave + (i % 7 === 3 ? 2500 : 0) + (i % 11) * 37));
  }
  const base = csv('2026-03-01T00:00:00Z', 30 * MINUTE, values).split('\n');
  base.splice(20, 1); // drop one row: a 60-minute gap
  const text = base.join('\n');
  const options = { capacityPerUnit: 1000, provisioningDelay: 7 * MINUTE, rows: 0 };

  it('matches minute by minute: unit-hours, under-provisioned minutes, scale counts', async () => {
    const { summary, decisions, table } = await runDemo(text, options);
    expect(table).toBe('');
    expect(summary.ruleWindow).toBe(60 * MINUTE);
    // No evaluation found the metric missing, so each one saw the load.
    expect(summary.reasons.MetricsUnavailable).toBeUndefined();
    const check = recompute(text, decisions, {
      initial: summary.initialCapacity,
      delay: 7 * MINUTE,
      capacityPerUnit: 1000,
      end: summary.end,
    });
    expect(summary.unitHours).toBeCloseTo(check.unitMinutes / 60, 9);
    expect(summary.underProvisionedMinutes).toBe(check.underMinutes);
    expect(summary.underProvisionedMinutes).toBeGreaterThan(0);
    expect(summary.scaleOuts).toBe(check.scaleOuts);
    expect(summary.scaleIns).toBe(check.scaleIns);
    expect(summary.decisions).toBe(decisions.length);
    expect(summary.decisions).toBe((summary.end - summary.start) / (5 * MINUTE));
  });

  it.each([
    { name: 'negative rows', options: { rows: -1 }, message: 'rows: expected a whole number ≥ 0, got -1' },
    {
      name: 'fractional rows',
      options: { rows: 1.5 },
      message: 'rows: expected a whole number ≥ 0, got 1.5',
    },
    {
      name: 'zero capacity per unit',
      options: { capacityPerUnit: 0 },
      message: 'capacityPerUnit: expected a number > 0, got 0',
    },
    {
      name: 'a fractional delay',
      options: { provisioningDelay: 0.5 },
      message: 'provisioningDelay: expected a whole number ≥ 0 of ms, got 0.5',
    },
  ])('rejects $name', async ({ options: bad, message }) => {
    await expect(runDemo(text, bad)).rejects.toThrow(message);
  });

  it('prints as many rows as asked, 2 hours apart', async () => {
    const { table } = await runDemo(text, { rows: 3 });
    expect(table.split('\n').slice(2)).toEqual([
      expect.stringMatching(/^2026-03-01 00:00 /),
      expect.stringMatching(/^2026-03-01 02:00 /),
      expect.stringMatching(/^2026-03-01 04:00 /),
    ]);
  });

  it('rejects a one-row trace, which has no length to replay', async () => {
    await expect(runDemo('timestamp,value\n2026-01-01 00:00:00,5\n')).rejects.toThrow(
      'trace: expected at least 2 rows to replay, got 1',
    );
  });
});

describe('runDemo on the bundled NYC taxi trace', () => {
  const text = readFileSync(new URL('../../examples/data/nab_nyc_taxi.csv', import.meta.url), 'utf8');
  let first: DemoResult;
  beforeAll(async () => {
    first = await runDemo(text, { traceName: 'nyc_taxi' });
  }, 120_000);

  it('replays 215 days at one decision per 5 minutes', () => {
    const s = first.summary;
    expect(s.rows).toBe(10_320);
    expect(s.durationHours).toBe(215 * 24);
    expect(s.decisions).toBe(215 * 288);
    expect(first.decisions).toHaveLength(s.decisions);
    expect(Object.values(s.reasons).reduce((a, b) => a + (b ?? 0), 0)).toBe(s.decisions);
    expect(s.reasons.MetricsUnavailable).toBeUndefined();
    expect(s.peakLoad).toBe(39_197);
    expect(formatTimestamp(s.peakAt)).toBe('2014-11-02 01:00:00');
  });

  it('has consistent numbers', () => {
    const s = first.summary;
    expect(s.targetPerUnit).toBe(800);
    expect(s.maxCapacity).toBe(Math.ceil(39_197 / 800));
    expect(s.staticUnits).toBe(40);
    expect(s.staticUnitHours).toBe(40 * 5160);
    expect(s.unitHours).toBeLessThan(s.staticUnitHours);
    expect(s.unitHours).toBeGreaterThan((s.durationHours * s.minCapacity) as number);
    expect(s.savingPercent).toBeCloseTo(100 * (1 - s.unitHours / s.staticUnitHours), 10);
    expect(s.averageUnits).toBeCloseTo(s.unitHours / s.durationHours, 10);
    expect(s.maxUnits).toBeLessThanOrEqual(s.maxCapacity);
    expect(s.underProvisionedMinutes).toBeGreaterThanOrEqual(0);
    expect(s.underProvisionedMinutes).toBeLessThan(s.durationHours * 60);
    expect(s.scaleOuts).toBe(first.decisions.filter((d) => d.direction === 'out').length);
    expect(s.scaleIns).toBe(first.decisions.filter((d) => d.direction === 'in').length);
  });

  it('agrees with the independent minute-by-minute recomputation', () => {
    const s = first.summary;
    const check = recompute(text, first.decisions, {
      initial: s.initialCapacity,
      delay: s.provisioningDelay,
      capacityPerUnit: s.capacityPerUnit,
      end: s.end,
    });
    expect(s.unitHours).toBeCloseTo(check.unitMinutes / 60, 9);
    expect(s.underProvisionedMinutes).toBe(check.underMinutes);
  });

  it('prints 24 rows, every 2 hours over the first 2 days, then the summary', () => {
    const lines = first.table.split('\n');
    expect(lines).toHaveLength(2 + 24);
    expect(lines[2]).toBe('2014-07-01 00:00  10,844     14     14  NoChange');
    expect(lines.at(-1)?.startsWith('2014-07-02 22:00')).toBe(true);
    expect(first.text).toContain(first.table);
    expect(first.text).toContain('tideway demo: replaying nyc_taxi');
    expect(first.text).toContain(`  saving                     ${first.summary.savingPercent.toFixed(1)} %`);
  });

  it('is deterministic: a second run prints the same text', async () => {
    const second = await runDemo(text, { traceName: 'nyc_taxi' });
    expect(second.text).toBe(first.text);
    expect(second.summary).toEqual(first.summary);
  }, 120_000);
});
