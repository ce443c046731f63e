import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Decision } from 'tideway';
import { describe, expect, it } from 'vitest';
import type { CustomProviderResult } from '../examples/custom-provider.js';
import type { RunnerPoolResult } from '../examples/github-runner-pool.js';
import type { PredictiveExampleResult } from '../examples/predictive-scaling.js';
import type { QuickStartResult } from '../examples/quick-start.js';
import type { WebTierResult } from '../examples/web-tier.js';

// Every examples/*.ts is run, so a new example is covered the day it lands (STYLE.md §11).
// Examples listed in `checks` also have their results checked in detail.
const examplesDir = fileURLToPath(new URL('../examples/', import.meta.url));
const examples = readdirSync(examplesDir)
  .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))
  .sort();

interface ExampleModule {
  main?: (deps?: { log?: (line: string) => void }) => Promise<unknown>;
}

const checks: Record<string, (result: unknown, lines: readonly string[]) => void> = {
  'quick-start.ts': (result, lines) => {
    const { decisions, capacity } = result as QuickStartResult;
    // 48 requests per second at 10 per unit: 5 units, reached in one step from 1.
    expect(decisions[0]).toMatchObject({ reason: 'ScaleOut', current: 1, desired: 5, direction: 'out' });
    expect(decisions[0]?.message).toBe(
      'Scale out from 1 to 5: requests_per_second 48 is above target 10 per unit (10 for 1 unit).',
    );
    expect(decisions.slice(1).map((d) => d.reason)).toEqual(['NoChange', 'NoChange', 'NoChange']);
    expect(capacity).toEqual({ desired: 5, ready: 5, provisioning: 0 });
    expect(lines[0]).toContain('ScaleOut: Scale out from 1 to 5');
    expect(lines.at(-1)).toBe('web runs 5 units, 5 ready');
  },
  'custom-provider.ts': (result, lines) => {
    const r = result as CustomProviderResult;
    // Out in rate-limited steps (at most +4 units or +100 % per 15 s), then in after the burst.
    expect(r.scaled.map((e) => [e.data.from, e.data.to, e.data.reason])).toEqual([
      [1, 5, 'ScaleUpLimit'],
      [5, 10, 'ScaleUpLimit'],
      [10, 20, 'ScaleOut'],
      [20, 8, 'ScaleDownStabilized'],
      [8, 0, 'ScaleIn'],
    ]);
    expect(r.peakWorkers).toBe(20);
    expect(r.workers).toBe(0);
    // 24 steps × 30 jobs arrived; all were done.
    expect({ done: r.done, waiting: r.waiting }).toEqual({ done: 720, waiting: 0 });
    // The backlog rule drove the last scale-out; the arrival-rate rule the final scale-in.
    const out = r.decisions.find((d) => d.reason === 'ScaleOut');
    expect(out?.message).toBe(
      'Scale out from 10 to 20: queued_jobs 98 is above target 5 per unit (50 for 10 units).',
    );
    expect(r.decisions.at(-1)?.desired).toBe(0);
    expect(r.decisions.filter((d) => d.direction === 'in').at(-1)?.message).toBe(
      'Scale in from 8 to 0: jobs_per_minute 0 is below target 10 per unit (80 for 8 units).',
    );
    // One decision per 30-s tick from 0 s to 600 s.
    expect(r.decisions).toHaveLength(21);
    expect(lines).toContain('  09:06:30 Scaled workers from 8 to 0 (ScaleIn).');
  },
  'github-runner-pool.ts': (result, lines) => {
    const r = result as RunnerPoolResult;
    const MIN = 60_000;
    // Berlin is UTC+1 on Monday 2 February 2026; one tick a minute from 07:55 to 18:05.
    const berlin = (hhmm: string) => Date.parse(`2026-02-02T${hhmm}:00+01:00`);
    expect(r.decisions).toHaveLength(611);
    const row = (hhmm: string, queued: number, running: number, capacity: number, reason: string) => ({
      at: berlin(hhmm),
      queued,
      running,
      capacity,
      reason,
    });
    expect(r.timeline).toEqual([
      // working-hours raises the minimum from 0 to 2; the rules see no jobs.
      row('08:00', 0, 0, 2, 'ScheduledCapacity'),
      // 6 jobs, 2 start on the warm runners. Webhooks reserved 5 (one was lost), the API poll
      // counts 6, and max wins: 6.
      row('09:00', 4, 2, 6, 'ScaleOut'),
      // The 4 new runners are online after a minute and take the 4 waiting jobs.
      row('09:01', 0, 6, 6, 'NoChange'),
      // 3 more jobs: poll 9, webhooks 5 + 3 = 8, so 9 (2 + 4 + 3 new runners stay under +8 a minute).
      row('09:02', 3, 6, 9, 'ScaleOut'),
      row('09:03', 0, 9, 9, 'NoChange'),
      row('09:04', 0, 9, 9, 'NoChange'),
      // Jobs end at 09:05 (2), 09:06 (4), 09:07 (3): both rules want fewer, but the last
      // scale-out was at 09:02, so both keep 9 until 09:12.
      row('09:05', 0, 7, 9, 'ScaleDownDelayed'),
      row('09:06', 0, 3, 9, 'ScaleDownDelayed'),
      row('09:07', 0, 0, 9, 'ScaleDownDelayed'),
      // 09:02 + 10 minutes: the rules say 0, the schedule keeps 2.
      row('09:12', 0, 0, 2, 'ScheduledCapacity'),
      // The 10-hour occurrence that began at 08:00 ends; nothing holds the runners.
      row('18:00', 0, 0, 0, 'ScaleIn'),
    ]);
    const at9 = r.decisions.find((d) => d.at === berlin('09:00')) as Decision;
    expect(at9.proposals.map((p) => [p.rule, p.capacity])).toEqual([
      ['runner-scale-set:job-events', 5],
      ['workflow-runs:queued_and_in_progress_jobs', 6],
    ]);
    expect(at9.message).toBe('Scale out from 2 to 6: 6 queued and in-progress jobs, so 6 runners.');
    // Bounds by the hour: 0 before 08:00 and from 18:00, at least the warm 2 in between.
    for (const d of r.decisions) {
      if (d.at < berlin('08:00') || d.at >= berlin('18:00')) expect(d.desired, `${d.id}`).toBe(0);
      else expect(d.desired, `${d.id}`).toBeGreaterThanOrEqual(2);
    }
    // No scale-in within 10 minutes of a scale-out.
    let lastOut = Number.NEGATIVE_INFINITY;
    for (const d of r.decisions) {
      if (d.direction === 'in') expect(d.at - lastOut, `${d.id}`).toBeGreaterThanOrEqual(10 * MIN);
      if (d.direction === 'out') lastOut = d.at;
    }
    // Runner-minutes: 2 × 60 (08:00–09:00) + 6 × 2 + 9 × 10 + 2 × 528 (09:12–18:00) = 1278.
    expect(r.runnerHours).toBeCloseTo(1278 / 60, 10);
    expect({ peak: r.peak, jobsDone: r.jobsDone, longestWaitMinutes: r.longestWaitMinutes }).toEqual({
      peak: 9,
      jobsDone: 9,
      longestWaitMinutes: 1,
    });
    expect(lines).toContain('09:12       0       0        2 ScheduledCapacity');
    expect(lines.at(-1)).toBe('9 jobs done, none waited over 1 min; peak 9 runners, 21.3 runner-hours');
  },
  'web-tier.ts': (result, lines) => {
    const r = result as WebTierResult;
    const MIN = 60_000;
    // New York is UTC−5 on 2–3 March 2026 (daylight saving time starts on 8 March).
    const ny = (day: 'Mon' | 'Tue', hhmm: string) =>
      Date.parse(`2026-03-0${day === 'Mon' ? 2 : 3}T${hhmm}:00-05:00`);
    const hourOf = (at: number) => Math.floor(((at - ny('Mon', '00:00')) / 3_600_000) % 24);
    const decisions = r.minutes.map((m) => m.decision);
    expect(r.minutes).toHaveLength(48 * 60);

    // Nights: at most 80 × 1.05 = 84 requests per second, so the rps rule asks for 1 and the
    // group minimum of 2 holds. From 20:00 the load is under 152 (2 units), 15 minutes of
    // stabilization later everything above 2 is gone, so 21:00–07:00 is exactly 2.
    for (const m of r.minutes) {
      const hour = hourOf(m.at);
      if (hour < 7 || hour >= 21) expect(m.decision.desired, m.decision.id).toBe(2);
      if (hour >= 8 && hour < 18) expect(m.decision.desired, m.decision.id).toBeGreaterThanOrEqual(4);
    }
    // At 08:00 the load is about 145 (2 units), so business-hours decides: 2 → 4.
    for (const day of ['Mon', 'Tue'] as const) {
      const d = decisions.find((x) => x.at === ny(day, '08:00')) as Decision;
      expect(d).toMatchObject({ current: 2, desired: 4, reason: 'ScheduledCapacity' });
      expect(d.message).toContain('schedule business-hours sets the minimum capacity to 4');
    }

    // The latency rule, from its definition: it fires when the 5 one-minute p95 points ending at
    // the tick average over 250 ms and the last capacity change is at least 10 minutes old.
    const fired: number[] = [];
    let lastChange = Number.NEGATIVE_INFINITY;
    r.minutes.forEach((m, i) => {
      const window = r.minutes.slice(Math.max(0, i - 4), i + 1);
      const average = window.reduce((sum, w) => sum + w.p95, 0) / window.length;
      const latency = m.decision.proposals.find((p) => p.rule === 'latency');
      const shouldFire = average > 250 && m.at - lastChange >= 10 * MIN;
      expect(latency?.outcome === 'propose', `${m.decision.id} at average ${average}`).toBe(shouldFire);
      if (shouldFire) {
        expect(latency?.capacity).toBe(m.decision.current + 2);
        fired.push(m.at);
      }
      if (m.decision.direction !== 'none') lastChange = m.at;
    });
    // Only during Tuesday's cache flush: first at 11:06 (the rps rule scaled 8 → 9 at 10:56, as
    // 898 rps is above 8 × 100 × 1.1, and the cooldown ran until 11:06), then every 10 minutes.
    expect(fired).toEqual([ny('Tue', '11:06'), ny('Tue', '11:16'), ny('Tue', '11:26')]);
    expect(decisions.filter((d) => fired.includes(d.at)).map((d) => [d.current, d.desired])).toEqual([
      [9, 11],
      [11, 13],
      [13, 15],
    ]);
    // The 15-minute scale-down window keeps 15 until 11:41, then scale-in controls allow at most
    // 3 below that peak: 12, though the rps rule asks for 11.
    expect(decisions.find((d) => d.at === ny('Tue', '11:41'))).toMatchObject({
      current: 15,
      recommended: 11,
      desired: 12,
      reason: 'ScaleInControlled',
    });

    // Kubernetes stabilization: a scale-in never goes below the highest recommendation of the
    // last 15 minutes; GCP scale-in controls: nor more than 3 below the highest stabilized one
    // of the last 10 minutes.
    decisions.forEach((d, i) => {
      if (d.direction !== 'in') return;
      const recent = (ms: number) => decisions.slice(0, i + 1).filter((e) => e.at > d.at - ms);
      const highest = Math.max(...recent(15 * MIN).map((e) => e.recommended ?? 0));
      const stabilized = (e: Decision) =>
        e.trace.find((s) => s.stage === 'stabilize')?.to ?? (e.recommended as number);
      const peak = Math.max(...recent(10 * MIN).map(stabilized));
      expect(d.desired, d.id).toBeGreaterThanOrEqual(Math.min(d.current, highest));
      expect(d.desired, d.id).toBeGreaterThanOrEqual(Math.min(d.current, peak - 3));
    });

    // Peak: Monday's load tops out under 1400 × 1.05 = 1470 (15 units); Tuesday's latency rule
    // took 13 to 15.
    expect(r.maxCapacity).toBe(15);
    // Under half of a fleet sized for the peak all the time (15 × 48 = 720 unit-hours), and
    // above what the load needs at 110 per unit: 2 days × (80 × 24 + 1320 × 7) / 110 ≈ 203.
    expect(r.unitHours).toBeLessThan(360);
    expect(r.unitHours).toBeGreaterThan(203);
    expect(r.scaleOuts).toBe(decisions.filter((d) => d.desired > d.current).length);
    expect(r.scaleIns).toBeGreaterThan(0);
    expect(lines).toContain('Tue 11:41  1050     200     12  ScaleInControlled');
    expect(lines.at(-1)).toBe(
      `${r.unitHours.toFixed(1)} unit-hours, at most 15 units, ${r.scaleOuts} scale-outs, ${r.scaleIns} scale-ins`,
    );
  },
  'predictive-scaling.ts': (result, lines) => {
    const { reactive, predictive } = result as PredictiveExampleResult;
    // Both runs are scored over the same range: the last 26 of the 28 days (2 days of warm-up).
    expect(predictive.scored).toEqual(reactive.scored);
    expect(predictive.scored.end - predictive.scored.start).toBe(26 * 86_400_000);
    // Launching 20 minutes ahead of the forecast removes most of the reactive policy's lateness…
    expect(predictive.scores.sloViolationMinutes).toBeLessThan(0.5 * reactive.scores.sloViolationMinutes);
    expect(predictive.scores.unservedShare).toBeLessThan(0.5 * reactive.scores.unservedShare);
    // …for a modest number of extra unit-hours.
    expect(predictive.scores.billedUnitHours).toBeGreaterThan(reactive.scores.billedUnitHours);
    expect(predictive.scores.billedUnitHours).toBeLessThan(1.25 * reactive.scores.billedUnitHours);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^reactive\s+\d+ unit-h\s+\d+ min under-provisioned/);
    expect(lines[1]).toMatch(/^predictive \+ reactive\s+\d+ unit-h/);
  },
};

describe('examples', () => {
  it('finds the examples', () => {
    expect(examples).toEqual(expect.arrayContaining(Object.keys(checks)));
  });

  // The predictive example replays four weeks of a real trace twice: seconds, not milliseconds.
  it.each(examples)(
    '%s: main() runs, logs through the injected log, and returns a result',
    { timeout: 60_000 },
    async (name) => {
      const mod = (await import(pathToFileURL(`${examplesDir}${name}`).href)) as ExampleModule;
      expect(typeof mod.main, `${name} should export an async main(deps)`).toBe('function');
      const lines: string[] = [];
      const result = await (mod.main as NonNullable<ExampleModule['main']>)({
        log: (line) => lines.push(line),
      });
      expect(result).toBeDefined();
      expect(lines.length).toBeGreaterThan(0);
      checks[name]?.(result, lines);
    },
  );
});
