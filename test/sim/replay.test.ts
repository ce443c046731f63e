/**
 * Acceptance: replay real traces from examples/data through the shipped baselines and tideway's
 * default policy at two provisioning delays with `compare()`, check what must hold whatever the
 * policies' tuning, and print the comparison tables (copied into the release note).
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../src/sim/baselines.js';
import { compare, formatComparison } from '../../src/sim/compare.js';
import { parseTraceCsv } from '../../src/sim/trace-csv.js';
import type { ComparisonResult, ComparisonRun, TraceInput } from '../../src/sim/types.js';

const DAY = 86_400_000;

/** The first `days` days of a bundled trace. */
function firstDays(file: string, days: number): TraceInput {
  const trace = parseTraceCsv(readFileSync(new URL(`../../examples/data/${file}`, import.meta.url), 'utf8'));
  const end = (trace.timestamps[0] as number) + days * DAY;
  const n = trace.timestamps.findIndex((t) => t >= end);
  return { timestamps: trace.timestamps.slice(0, n), values: trace.values.slice(0, n) };
}

interface Case {
  readonly name: string;
  readonly trace: TraceInput;
  readonly capacityPerUnit: number;
  /** ⌈peak / capacityPerUnit⌉ over the window, worked out from the file. */
  readonly peakDemand: number;
}

// One week of each trace keeps the whole file under 10 s on a 2-core machine (hpa-like ticks
// every 15 s, so a week is 40,320 ticks per run) while still holding seven daily cycles.
const CASES: readonly Case[] = [
  {
    // NYC taxi passengers per 30 min, 2014-07-01 … 07-07 (336 points). The week's peak is 29,985,
    // its mean 13,347 and its trough 1,877: at 1,000 passengers per unit per half hour the peak
    // needs 30 units, the median half hour 15 and the night-time trough 2, so a policy has a
    // large daily swing to follow while the rounding of demand to whole units stays small.
    name: 'nyc-taxi',
    trace: firstDays('nab_nyc_taxi.csv', 7),
    capacityPerUnit: 1000,
    peakDemand: 30,
  },
  {
    // AWS ELB request count per 5 min, 2014-04-10 00:04 … 04-16 23:59 (2,011 points; 5 of the
    // gaps are 10 min). The week's peak is 381, its mean 66 and its median 53: at 10 requests
    // per unit per 5 min the peak needs 39 units and the median interval 6, so the bursts (the
    // peak is 5.8× the mean; one step jumps 118×) are what a policy is tested on.
    name: 'elb-requests',
    trace: firstDays('nab_elb_request_count_8c0756.csv', 7),
    capacityPerUnit: 10,
    peakDemand: 39,
  },
];

const DELAYS = ['30s', '5m'] as const;
const POLICIES = ['hpa-like', 'react', 'static-peak', 'tideway-default'] as const;

const results = new Map<string, ComparisonResult>();

beforeAll(async () => {
  for (const c of CASES) {
    const result = await compare({
      traces: [{ name: c.name, trace: c.trace }],
      policies: [
        'hpa-like',
        'react',
        'static-peak',
        {
          name: 'tideway-default',
          policy: defaultPolicy({ capacityPerUnit: c.capacityPerUnit, peakDemand: c.peakDemand }),
        },
      ],
      delays: [...DELAYS],
      fleet: { capacityPerUnit: c.capacityPerUnit },
    });
    results.set(c.name, result);
    // The table for the release note: one per trace, as capacity per unit differs by trace.
    console.log(`\n${c.name} (first 7 days, capacity ${c.capacityPerUnit} per unit per trace step)\n`);
    console.log(formatComparison(result));
  }
}, 120_000);

const runOf = (trace: string, delay: string, policy: string): ComparisonRun => {
  const run = results.get(trace)?.runs.find((r) => r.delay === delay && r.policy === policy);
  if (run === undefined) throw new Error(`no run ${policy} on ${trace} at ${delay}`);
  return run;
};

describe.each(CASES.map((c) => ({ ...c })))(
  'replay of $name',
  ({ name, trace, capacityPerUnit, peakDemand }) => {
    it('the window and its peak demand are what the comment above says', () => {
      expect(Math.ceil(Math.max(...trace.values) / capacityPerUnit)).toBe(peakDemand);
      expect(peakDemand).toBeGreaterThanOrEqual(20);
      expect(peakDemand).toBeLessThanOrEqual(60);
    });

    it('runs every delay × policy, baseline hpa-like', () => {
      const result = results.get(name) as ComparisonResult;
      expect(result.baseline).toBe('hpa-like');
      expect(result.runs.map((r) => [r.delay, r.policy])).toEqual(
        DELAYS.flatMap((delay) => POLICIES.map((policy) => [delay, policy])),
      );
    });

    it.each(DELAYS.map((delay) => ({ delay })))(
      'at $delay: static-peak is never under-provisioned and costs the most',
      ({ delay }) => {
        const peak = runOf(name, delay, 'static-peak').scores;
        expect(peak.tauU).toBe(0);
        expect(peak.thetaU).toBe(0);
        expect(peak.sloViolationMinutes).toBe(0);
        // A fixed fleet of peakDemand units for the whole window.
        expect(peak.unitHours).toBeCloseTo((peakDemand * peak.duration) / 3_600_000, 6);
        for (const policy of POLICIES) {
          if (policy === 'static-peak') continue;
          const other = runOf(name, delay, policy).scores;
          expect(peak.unitHours).toBeGreaterThan(other.unitHours);
          expect(peak.billedUnitHours).toBeGreaterThan(other.billedUnitHours);
        }
      },
    );

    it.each([{ policy: 'hpa-like' }, { policy: 'tideway-default' }])(
      '$policy violates the SLO at least as long with a 5-minute delay as with 30 s',
      ({ policy }) => {
        const fast = runOf(name, '30s', policy).scores;
        const slow = runOf(name, '5m', policy).scores;
        expect(slow.sloViolationMinutes).toBeGreaterThanOrEqual(fast.sloViolationMinutes);
        // τU · T / 100 is the SLO-violation time (elasticity-metrics §1.4).
        for (const s of [fast, slow])
          expect((s.tauU * s.duration) / 100 / 60_000).toBeCloseTo(s.sloViolationMinutes, 6);
      },
    );

    it('no policy pays less than the oracle would', () => {
      for (const run of results.get(name)?.runs ?? []) {
        expect(run.scores.costVsOracle, `${run.policy} at ${run.delay}`).not.toBeNull();
        expect(run.scores.costVsOracle as number, `${run.policy} at ${run.delay}`).toBeGreaterThanOrEqual(1);
      }
    });

    it('every score, ratio and speedup is a finite number', () => {
      const result = results.get(name) as ComparisonResult;
      for (const run of result.runs) {
        const { scaleOutToReady, ...scalars } = run.scores;
        for (const [key, value] of Object.entries({ ...scalars, ...scaleOutToReady, speedup: run.speedup })) {
          expect(Number.isFinite(value), `${run.policy} at ${run.delay}: ${key} = ${value}`).toBe(true);
        }
      }
      for (const rate of Object.values(result.winRates)) expect(rate).toBeGreaterThanOrEqual(0);
      expect(Object.keys(result.winRates).sort()).toEqual([...POLICIES].sort());
    });
  },
);
