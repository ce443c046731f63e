import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CustomProviderResult } from '../examples/custom-provider.js';
import type { QuickStartResult } from '../examples/quick-start.js';

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
};

describe('examples', () => {
  it('finds the examples', () => {
    expect(examples).toEqual(expect.arrayContaining(Object.keys(checks)));
  });

  it.each(examples)('%s: main() runs, logs through the injected log, and returns a result', async (name) => {
    const mod = (await import(pathToFileURL(`${examplesDir}${name}`).href)) as ExampleModule;
    expect(typeof mod.main, `${name} should export an async main(deps)`).toBe('function');
    const lines: string[] = [];
    const result = await (mod.main as NonNullable<ExampleModule['main']>)({
      log: (line) => lines.push(line),
    });
    expect(result).toBeDefined();
    expect(lines.length).toBeGreaterThan(0);
    checks[name]?.(result, lines);
  });
});
