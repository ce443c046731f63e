import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateAll } from './fixtures/schedule-cases.js';

const script = fileURLToPath(new URL('./fixtures/schedule-eval.ts', import.meta.url));

// Instants from 2020 to 2035, with DST change days over-represented by picking near them too.
const instants = fc.sample(
  fc.oneof(
    fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) }),
    fc.constantFrom(
      Date.UTC(2024, 2, 10, 6, 59, 59),
      Date.UTC(2024, 2, 10, 7, 0, 0),
      Date.UTC(2024, 10, 3, 5, 30, 0),
      Date.UTC(2024, 10, 3, 6, 30, 0),
      Date.UTC(2024, 2, 31, 1, 0, 0),
      Date.UTC(2024, 9, 27, 0, 30, 0),
      Date.UTC(2024, 9, 27, 1, 30, 0),
    ),
  ),
  { numRuns: 300, seed: 20240310 },
);

function evaluateUnder(tz: string): unknown {
  const out = execFileSync(process.execPath, ['--import', 'tsx', script], {
    input: JSON.stringify(instants),
    env: { ...process.env, TZ: tz },
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

describe('a schedule is evaluated identically at the same instant whatever the host time zone', () => {
  // The reference is this process (whatever TZ it runs in); each child runs in another zone.
  const reference = JSON.parse(JSON.stringify(evaluateAll(instants)));

  it('the reference sees schedules both active and inactive (the property is not vacuous)', () => {
    const actives = (reference as { active: unknown[] }[]).map((r) => r.active.length);
    expect(actives.some((n) => n === 0)).toBe(true);
    expect(actives.some((n) => n > 0)).toBe(true);
  });

  it.each([
    { name: 'UTC', tz: 'UTC' },
    { name: 'America/New_York (DST, west of UTC)', tz: 'America/New_York' },
    { name: 'Asia/Kathmandu (+05:45)', tz: 'Asia/Kathmandu' },
    { name: 'Pacific/Chatham (+12:45/+13:45, DST)', tz: 'Pacific/Chatham' },
    { name: 'Australia/Lord_Howe (half-hour DST)', tz: 'Australia/Lord_Howe' },
  ])(
    'TZ=$name',
    ({ tz }) => {
      expect(evaluateUnder(tz)).toEqual(reference);
    },
    30_000,
  );
});
