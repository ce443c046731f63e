import { describe, expect, it } from 'vitest';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, run } from '../../src/cli/main.js';
import { SIMULATE_USAGE_LINE } from '../../src/cli/simulate.js';
import { fakeIo, syntheticCsv } from './fake-io.js';

const LOAD = syntheticCsv(180); // 3 hours at 1-minute steps, load 100…1,500

const POLICY = JSON.stringify(
  {
    id: 'web',
    minCapacity: 1,
    maxCapacity: 30,
    evaluationInterval: '30s',
    rules: [{ kind: 'target-tracking', metric: 'load', targetPerUnit: 80 }],
  },
  null,
  2,
);

const WRAPPED = JSON.stringify({
  group: {
    minCapacity: 1,
    maxCapacity: 30,
    rules: [{ kind: 'target-tracking', metric: 'utilization', target: 0.7 }],
  },
  fleet: { capacityPerUnit: 100, provisioningDelay: '90s' },
});

const FILES: Record<string, string> = {
  'load.csv': LOAD,
  'policy.json': POLICY,
  'wrapped.json': WRAPPED,
  'no-id.json': JSON.stringify({ minCapacity: 1, maxCapacity: 30 }),
  'react.json': JSON.stringify({ id: 'react', minCapacity: 1, maxCapacity: 30 }),
  'cpu.json': JSON.stringify({
    id: 'cpu',
    minCapacity: 1,
    maxCapacity: 30,
    rules: [{ kind: 'target-tracking', metric: 'cpu', target: 0.6 }],
  }),
  'bad-header.csv': 'time,load\n2026-01-01 00:00:00,1\n',
  'bad-value.csv':
    'timestamp,value\n2026-01-01 00:00:00,1\n2026-01-01 00:01:00,2\n\n2026-01-01 00:02:00,abc\n',
  'negative.csv': 'timestamp,value\n2026-01-01 00:00:00,1\n\n2026-01-01 00:01:00,-5\n',
  'unordered.csv': 'timestamp,value\n2026-01-01 00:01:00,1\n2026-01-01 00:00:00,2\n',
  'bad-target.json':
    '{\n  "id": "web",\n  "minCapacity": 1,\n  "maxCapacity": 10,\n  "rules": [{ "kind": "target-tracking", "metric": "utilization", "target": "high" }]\n}\n',
  'bad-json.json': '{\n  "id": "web",\n  "minCapacity": 1,\n  "maxCapacity": 10,\n}\n',
  'bad-fleet.json': JSON.stringify({
    group: { minCapacity: 1, maxCapacity: 5 },
    fleet: { capacityPerUnit: 100, drainDelay: 'soon', billing: { minimun: '1m' } },
  }),
};

const BASE = ['simulate', '--trace', 'load.csv', '--config', 'policy.json', '--capacity-per-unit', '100'];

async function simulate(argv: readonly string[], options: Parameters<typeof fakeIo>[1] = {}) {
  const fake = fakeIo(FILES, options);
  const code = await run(argv, fake.io);
  return { code, ...fake, stdout: fake.out.join('\n'), stderr: fake.err.join('\n') };
}

describe('tideway simulate: bad input exits 1 and names the file and line or path', () => {
  it.each([
    {
      name: 'a missing trace file',
      argv: ['simulate', '--trace', 'missing.csv', '--config', 'hpa-like', '--capacity-per-unit', '100'],
      stderr: `tideway simulate: cannot read "missing.csv": ENOENT: no such file or directory, open 'missing.csv'`,
    },
    {
      name: 'a missing config file',
      argv: ['simulate', '--trace', 'load.csv', '--config', 'nope.json', '--capacity-per-unit', '100'],
      stderr: `tideway simulate: cannot read "nope.json": ENOENT: no such file or directory, open 'nope.json'`,
    },
    {
      name: 'a CSV without the timestamp,value header',
      argv: ['simulate', '--trace', 'bad-header.csv', '--config', 'hpa-like', '--capacity-per-unit', '100'],
      stderr:
        'tideway simulate: bad-header.csv: line 1: expected a header with the columns "timestamp" and "value", got "time,load"',
    },
    {
      name: 'a value that is not a number, at its line (blank lines counted)',
      argv: ['simulate', '--trace', 'bad-value.csv', '--config', 'hpa-like', '--capacity-per-unit', '100'],
      stderr: 'tideway simulate: bad-value.csv: line 5: expected a number in column "value", got "abc"',
    },
    {
      name: 'a negative load, at its line',
      argv: ['simulate', '--trace', 'negative.csv', '--config', 'hpa-like', '--capacity-per-unit', '100'],
      stderr: 'tideway simulate: negative.csv: line 4: expected a load ≥ 0 in column "value", got "-5"',
    },
    {
      name: 'timestamps that go back',
      argv: ['simulate', '--trace', 'unordered.csv', '--config', 'hpa-like', '--capacity-per-unit', '100'],
      stderr:
        'tideway simulate: unordered.csv: line 3: expected a timestamp after 2026-01-01 00:01:00 (line 2), got "2026-01-01 00:00:00" (earlier); rows must be in strictly increasing time order',
    },
    {
      name: 'a bad value in the config, with its path',
      argv: ['simulate', '--trace', 'load.csv', '--config', 'bad-target.json', '--capacity-per-unit', '100'],
      stderr: 'tideway simulate: bad-target.json: rules[0].target: expected a finite number, got "high"',
    },
    {
      name: 'invalid JSON in the config, with line and column',
      argv: ['simulate', '--trace', 'load.csv', '--config', 'bad-json.json', '--capacity-per-unit', '100'],
      stderr:
        'tideway simulate: bad-json.json: invalid JSON at line 5, column 1: Expected double-quoted property name',
    },
    {
      name: 'bad fleet settings, every one with its path',
      argv: ['simulate', '--trace', 'load.csv', '--config', 'bad-fleet.json'],
      stderr: [
        'tideway simulate: bad-fleet.json: fleet.drainDelay: expected a duration such as "30s", "5m", "1h" or a number of milliseconds, got "soon"',
        'tideway simulate: bad-fleet.json: fleet.billing.minimun: unknown key (did you mean "minimum"?); expected one of granularity, minimum, pricePerUnitHour',
      ].join('\n'),
    },
    {
      name: 'a warm-up as long as the trace',
      argv: [...BASE, '--warmup', '3h'],
      stderr:
        'tideway simulate: --warmup: expected a warm-up shorter than the trace (load.csv spans 3h), got "3h"',
    },
    {
      name: 'a policy file named like a baseline, compared with baselines',
      argv: [...BASE.slice(0, 4), 'react.json', '--capacity-per-unit', '100', '--compare', 'hpa-like'],
      stderr:
        'tideway simulate: react.json: the policy is named "react", as a baseline is; give the group another id to compare it',
    },
    {
      name: 'a report that cannot be written',
      argv: [...BASE, '--report', '/read-only/r.html'],
      stderr: `tideway simulate: cannot write "/read-only/r.html": EACCES: permission denied, open '/read-only/r.html'`,
    },
  ])('$name', async ({ argv, stderr }) => {
    const result = await simulate(argv);
    expect(result.stderr).toBe(stderr);
    expect(result.code).toBe(EXIT_FAILED);
  });

  it('prints nothing on stdout when the input is bad', async () => {
    const { out } = await simulate([...BASE.slice(0, 2), 'bad-value.csv', ...BASE.slice(3)]);
    expect(out).toEqual([]);
  });
});

describe('tideway simulate: usage errors exit 2 with the usage line', () => {
  it.each([
    {
      name: 'an unknown flag',
      argv: [...BASE, '--tracee', 'x.csv'],
      message: "tideway simulate: Unknown option '--tracee'",
    },
    {
      name: 'a missing --trace',
      argv: ['simulate', '--config', 'hpa-like', '--capacity-per-unit', '100'],
      message: 'tideway simulate: missing --trace <csv>: the load trace to replay',
    },
    {
      name: 'a missing --config',
      argv: ['simulate', '--trace', 'load.csv'],
      message: 'tideway simulate: missing --config <file|baseline>: the policy to simulate',
    },
    {
      name: 'a flag without its value',
      argv: ['simulate', '--trace', 'load.csv', '--config'],
      message: "tideway simulate: Option '--config <value>' argument missing",
    },
    {
      name: 'no capacity per unit, with a baseline',
      argv: ['simulate', '--trace', 'load.csv', '--config', 'hpa-like'],
      message:
        'tideway simulate: capacity per unit is not set: pass --capacity-per-unit <n> (a baseline has no fleet settings)',
    },
    {
      name: 'no capacity per unit, with a policy file',
      argv: ['simulate', '--trace', 'load.csv', '--config', 'policy.json'],
      message:
        'tideway simulate: capacity per unit is not set: pass --capacity-per-unit <n> or set fleet.capacityPerUnit in policy.json',
    },
    {
      name: 'an unknown baseline in --compare',
      argv: [...BASE, '--compare', 'hpa-like,reactive'],
      message:
        'tideway simulate: --compare: unknown baseline "reactive"; expected one of static-peak, static-mean, oracle, oracle-lead, hpa-like, react, hist, reg',
    },
    {
      name: 'an unknown --baseline',
      argv: [...BASE, '--compare', 'react', '--baseline', 'mine'],
      message:
        'tideway simulate: --baseline: expected one of the compared policies (web, react) or a baseline (static-peak, static-mean, oracle, oracle-lead, hpa-like, react, hist, reg), got "mine"',
    },
    {
      name: '--baseline without --compare',
      argv: [...BASE, '--baseline', 'react'],
      message: 'tideway simulate: --baseline: only applies with --compare',
    },
    {
      name: 'several delays without --compare',
      argv: [...BASE, '--delay', '30s,5m'],
      message: 'tideway simulate: --delay: expected one delay without --compare, got 2',
    },
    {
      name: 'a delay without a unit',
      argv: [...BASE, '--delay', '90'],
      message: 'tideway simulate: --delay: expected a duration such as "90s", "5m", "1h" or "1d", got "90"',
    },
    {
      name: 'a capacity per unit of 0',
      argv: [...BASE.slice(0, -1), '0'],
      message: 'tideway simulate: --capacity-per-unit: expected a number > 0, got "0"',
    },
    {
      name: 'a fractional seed',
      argv: [...BASE, '--seed', '1.5'],
      message: 'tideway simulate: --seed: expected a whole number, got "1.5"',
    },
  ])('$name', async ({ argv, message }) => {
    const result = await simulate(argv);
    expect(result.code).toBe(EXIT_USAGE);
    expect(result.out).toEqual([]);
    const lines = result.stderr.split('\n');
    expect(lines[0]?.startsWith(message)).toBe(true);
    expect(lines.slice(1)).toEqual([SIMULATE_USAGE_LINE, "Run 'tideway simulate --help' for details."]);
  });
});

describe('tideway simulate: one run', () => {
  it('prints the score summary', async () => {
    const { code, stdout, stderr } = await simulate([...BASE, '--delay', '90s']);
    expect(stderr).toBe('');
    expect(code).toBe(EXIT_OK);
    const lines = stdout.split('\n');
    expect(lines.slice(0, 4)).toEqual([
      'tideway simulate: web on load.csv',
      '  trace   180 points, 2026-01-01 00:00 → 2026-01-01 03:00 UTC (3h), step 1m',
      expect.stringMatching(
        /^ {2}fleet {3}100 per unit, provisioning delay 90s, drain delay 0s, \d+ units at start, seed 1$/,
      ),
      '  scored  2026-01-01 00:00 → 2026-01-01 03:00 UTC (3h)',
    ]);
    for (const label of [
      'θU  under-provisioning',
      'θO  over-provisioning',
      'τU  time under-provisioned',
      'τO  time over-provisioned',
      'κ   instability',
      'jitter',
      'SLO violated',
      'unserved load',
      'billed unit-hours',
      'cost',
      'vs oracle',
      'vs static peak',
      'scale-outs / scale-ins',
      'scale-out to ready',
    ]) {
      expect(lines.some((line) => line.startsWith(`  ${label} `))).toBe(true);
    }
    expect(stdout).toMatch(/scale-out to ready +p50 1m30s, p95 1m30s \(over \d+\)/);
  });

  it('takes a baseline name as --config', async () => {
    const { code, stdout } = await simulate([
      'simulate',
      '--trace',
      'load.csv',
      '--config',
      'static-peak',
      '--capacity-per-unit',
      '100',
    ]);
    expect(code).toBe(EXIT_OK);
    expect(stdout.split('\n')[0]).toBe('tideway simulate: static-peak on load.csv');
    // 1,500 at the peak needs 15 units all the time: never short.
    expect(stdout).toMatch(/SLO violated +0\.0 min/);
    expect(stdout).toMatch(/scale-outs \/ scale-ins +0 \/ 0/);
  });

  it('reads capacity per unit and delay from a {group, fleet} file, labelled by the file name', async () => {
    const { code, stdout } = await simulate(['simulate', '--trace', 'load.csv', '--config', 'wrapped.json']);
    expect(code).toBe(EXIT_OK);
    expect(stdout.split('\n')[0]).toBe('tideway simulate: wrapped on load.csv');
    expect(stdout).toContain('  fleet   100 per unit, provisioning delay 90s,');
  });

  it('lets --capacity-per-unit and --delay override the file', async () => {
    const { stdout } = await simulate([
      'simulate',
      '--trace',
      'load.csv',
      '--config',
      'wrapped.json',
      '--capacity-per-unit',
      '50',
      '--delay',
      '0',
    ]);
    expect(stdout).toContain('  fleet   50 per unit, provisioning delay 0s,');
  });

  it('scores after the warm-up', async () => {
    const { stdout } = await simulate([...BASE, '--warmup', '1h']);
    expect(stdout).toContain('  scored  2026-01-01 01:00 → 2026-01-01 03:00 UTC (2h, after a 1h warm-up)');
  });

  it('is deterministic: the same arguments print the same bytes', async () => {
    const argv = [...BASE, '--delay', '2m', '--seed', '7'];
    const first = await simulate(argv);
    const second = await simulate(argv);
    expect(first.code).toBe(EXIT_OK);
    expect(second.stdout).toBe(first.stdout);
  });

  it('warns on one stderr line when the trace has gaps longer than 3× its step', async () => {
    const lines = LOAD.trimEnd().split('\n');
    // Drop 01:00–01:59 (rows 61–120) and 02:30–02:39: two gaps; the longest is 61 minutes.
    const gappy = [...lines.slice(0, 61), ...lines.slice(121, 151), ...lines.slice(161)].join('\n');
    const fake = fakeIo({ ...FILES, 'gappy.csv': gappy });
    const code = await run(
      ['simulate', '--trace', 'gappy.csv', '--config', 'hpa-like', '--capacity-per-unit', '100'],
      fake.io,
    );
    expect(code).toBe(EXIT_OK);
    expect(fake.err).toEqual([
      'tideway simulate: warning: gappy.csv has 2 gaps longer than 3× its median step of 1m (the longest: 1h1m from 2026-01-01 00:59:00); the load is held across gaps',
    ]);
  });

  it('warns when a rule reads a metric the simulator does not offer', async () => {
    const { code, err } = await simulate([...BASE.slice(0, 4), 'cpu.json', '--capacity-per-unit', '100']);
    expect(code).toBe(EXIT_OK);
    expect(err).toEqual([
      'tideway simulate: warning: cpu.json: rules read "cpu", which the simulator does not offer (it offers load, utilization, queue_length, queue_wait, served, ready_units); those rules will see no data',
    ]);
  });

  it('labels a config without an id by its file name', async () => {
    const { code, stdout } = await simulate([
      ...BASE.slice(0, 4),
      'no-id.json',
      '--capacity-per-unit',
      '100',
    ]);
    expect(code).toBe(EXIT_OK);
    expect(stdout.split('\n')[0]).toBe('tideway simulate: no-id on load.csv');
  });
});

describe('tideway simulate --compare', () => {
  it('prints the table with every policy: the config, the listed baselines and the speedup baseline', async () => {
    const { code, stdout, stderr } = await simulate([
      ...BASE,
      '--compare',
      'react,static-peak',
      '--delay',
      '1m',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(EXIT_OK);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('tideway simulate: 4 policies on load.csv, 100 per unit, seed 1');
    expect(lines[2]).toMatch(/^trace +delay +policy +θU %/);
    const rows = lines.filter((line) => line.startsWith('load.csv '));
    expect(rows.map((row) => row.split(/ +/)[2])).toEqual(['web', 'react', 'static-peak', 'hpa-like']);
    expect(rows.every((row) => row.split(/ +/)[1] === '1m')).toBe(true);
    expect(stdout).toContain('speedup: elastic speedup against hpa-like');
    expect(stdout).toMatch(/^win rates \(pairwise, all metrics\): /m);
  });

  it('runs every delay given, repeated or comma-separated, against the chosen baseline', async () => {
    const { code, stdout } = await simulate([
      ...BASE,
      '--compare',
      'react',
      '--compare',
      'static-peak',
      '--delay',
      '30s,2m',
      '--delay',
      '5m',
      '--baseline',
      'react',
    ]);
    expect(code).toBe(EXIT_OK);
    const rows = stdout.split('\n').filter((line) => line.startsWith('load.csv '));
    expect(rows.map((row) => row.split(/ +/).slice(1, 3).join(' '))).toEqual([
      '30s web',
      '30s react',
      '30s static-peak',
      '2m web',
      '2m react',
      '2m static-peak',
      '5m web',
      '5m react',
      '5m static-peak',
    ]);
    expect(stdout).toContain('speedup: elastic speedup against react');
  });

  it('lists a baseline given as --config and in --compare once', async () => {
    const { code, stdout } = await simulate([
      'simulate',
      '--trace',
      'load.csv',
      '--config',
      'react',
      '--capacity-per-unit',
      '100',
      '--compare',
      'react,hpa-like',
    ]);
    expect(code).toBe(EXIT_OK);
    const rows = stdout.split('\n').filter((line) => line.startsWith('load.csv '));
    expect(rows.map((row) => row.split(/ +/)[2])).toEqual(['react', 'hpa-like']);
  });
});

describe('tideway simulate: files written', () => {
  it('--report writes a self-contained HTML page of one run', async () => {
    const { code, written, out } = await simulate([...BASE, '--report', 'out/report.html']);
    expect(code).toBe(EXIT_OK);
    const html = written['out/report.html'] as string;
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<title>tideway simulation — web on load.csv</title>');
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/\s(src|href)=/);
    expect(out[out.length - 1]).toBe('report written to out/report.html');
  });

  it('--report of a comparison carries every run', async () => {
    const { code, written } = await simulate([...BASE, '--compare', 'react', '--report', 'r.html']);
    expect(code).toBe(EXIT_OK);
    const html = written['r.html'] as string;
    expect(html).not.toMatch(/https?:\/\//);
    for (const policy of ['web', 'react', 'hpa-like']) expect(html).toContain(policy);
  });

  it('--json writes the report data as parseable JSON', async () => {
    const single = await simulate([...BASE, '--json', 'r.json']);
    expect(single.code).toBe(EXIT_OK);
    const data = JSON.parse(single.written['r.json'] as string);
    expect(data).toMatchObject({ format: 'tideway.report', version: 1, kind: 'simulation' });
    expect(data.run.scores.scaleOuts).toBeGreaterThan(0);
    expect(single.out[single.out.length - 1]).toBe('data written to r.json');

    const compared = await simulate([...BASE, '--compare', 'react', '--json', 'c.json']);
    const comparison = JSON.parse(compared.written['c.json'] as string);
    expect(comparison).toMatchObject({ format: 'tideway.report', kind: 'comparison', baseline: 'hpa-like' });
    expect(comparison.runs.map((r: { policy: string }) => r.policy)).toEqual(['web', 'react', 'hpa-like']);
    expect(comparison.results).toHaveLength(3);
  });

  it('writes the same bytes for the same arguments', async () => {
    const argv = [...BASE, '--report', 'r.html', '--json', 'r.json'];
    const first = await simulate(argv);
    const second = await simulate(argv);
    expect(second.written).toEqual(first.written);
  });
});

describe('tideway simulate: progress', () => {
  it('draws a bar on stderr when it is a terminal, and erases it', async () => {
    const { code, err, raw, stdout } = await simulate([...BASE, '--compare', 'react,static-peak'], {
      isTTY: true,
      stderrWrite: true,
    });
    expect(code).toBe(EXIT_OK);
    expect(err).toEqual([]);
    expect(raw).toEqual([
      '\r\u001b[2Ktideway simulate: [........................] 0/4 runs',
      '\r\u001b[2Ktideway simulate: [######..................] 1/4 runs',
      '\r\u001b[2Ktideway simulate: [############............] 2/4 runs',
      '\r\u001b[2Ktideway simulate: [##################......] 3/4 runs',
      '\r\u001b[2Ktideway simulate: [########################] 4/4 runs',
      '\r\u001b[2K',
    ]);
    expect(stdout).not.toContain('runs\n');
  });

  it('says what it is simulating during a single run on a terminal', async () => {
    const { raw } = await simulate(BASE, { isTTY: true, stderrWrite: true });
    expect(raw).toEqual(['\r\u001b[2Ktideway simulate: simulating web on load.csv…', '\r\u001b[2K']);
  });

  it('falls back to lines when the terminal cannot be redrawn', async () => {
    const { err } = await simulate([...BASE, '--compare', 'react'], { isTTY: true });
    expect(err).toEqual([
      'tideway simulate: [........................] 0/3 runs',
      'tideway simulate: [########................] 1/3 runs',
      'tideway simulate: [################........] 2/3 runs',
      'tideway simulate: [########################] 3/3 runs',
    ]);
  });

  it.each([
    { name: 'stderr is not a terminal', isTTY: false },
    { name: 'isTTY is not given', isTTY: undefined },
  ])('writes nothing on stderr when $name', async ({ isTTY }) => {
    const options = isTTY === undefined ? { stderrWrite: true } : { isTTY, stderrWrite: true };
    const { code, err, raw } = await simulate([...BASE, '--compare', 'react'], options);
    expect(code).toBe(EXIT_OK);
    expect(err).toEqual([]);
    expect(raw).toEqual([]);
  });
});
