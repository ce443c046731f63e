import { describe, expect, it } from 'vitest';
import { type CliIo, EXIT_FAILED, EXIT_OK, EXIT_USAGE, run } from '../../src/cli/main.js';
import { BASELINES } from '../../src/sim/baselines.js';

const TRACE = [
  'timestamp,value',
  '2026-01-01 00:00:00,800',
  '2026-01-01 00:30:00,800',
  '2026-01-01 01:00:00,4000',
  '2026-01-01 01:30:00,4000',
  '2026-01-01 02:00:00,800',
  '2026-01-01 02:30:00,800',
].join('\n');

/** A fake terminal and file system: files by path; output collected. */
function fakeIo(files: Record<string, string> = {}, bundledTrace?: string) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    readFile: async (path) => {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
      return text;
    },
    bundledTrace,
  };
  return { io, out, err };
}

describe('tideway (arguments)', () => {
  it.each([
    {
      name: 'no command',
      argv: [],
      code: EXIT_USAGE,
      stderr: 'tideway: expected a command\n\nUsage: tideway',
    },
    {
      name: 'an unknown command',
      argv: ['frob'],
      code: EXIT_USAGE,
      stderr:
        'tideway: unknown command "frob"; expected one of simulate, validate, demo\nRun \'tideway --help\' for usage.',
    },
    {
      name: 'an unknown option',
      argv: ['--verbose'],
      code: EXIT_USAGE,
      stderr: 'tideway: unknown option "--verbose"; expected one of simulate, validate, demo',
    },
    {
      name: 'help on an unknown command',
      argv: ['help', 'frob'],
      code: EXIT_USAGE,
      stderr: 'tideway: unknown command "frob"; expected one of simulate, validate, demo',
    },
    {
      name: 'help on something inherited from Object',
      argv: ['help', 'toString'],
      code: EXIT_USAGE,
      stderr: 'tideway: unknown command "toString"',
    },
    {
      name: 'demo with an unknown option',
      argv: ['demo', '--trace-file', 'x.csv'],
      code: EXIT_USAGE,
      stderr: "tideway demo: Unknown option '--trace-file'",
    },
    {
      name: 'demo with a positional argument',
      argv: ['demo', 'x.csv'],
      code: EXIT_USAGE,
      stderr: "tideway demo: Unexpected argument 'x.csv'",
    },
    {
      name: 'demo --rows without a value',
      argv: ['demo', '--rows'],
      code: EXIT_USAGE,
      stderr: "tideway demo: Option '--rows <value>' argument missing",
    },
    {
      name: 'demo --rows with a word',
      argv: ['demo', '--rows', 'ten'],
      code: EXIT_USAGE,
      stderr:
        'tideway demo: --rows: expected a whole number ≥ 0, got "ten"\nRun \'tideway demo --help\' for usage.',
    },
    {
      name: 'demo --rows with a fraction',
      argv: ['demo', '--rows=2.5'],
      code: EXIT_USAGE,
      stderr: 'tideway demo: --rows: expected a whole number ≥ 0, got "2.5"',
    },
    {
      name: 'demo --rows negative',
      argv: ['demo', '--rows=-1'],
      code: EXIT_USAGE,
      stderr: 'tideway demo: --rows: expected a whole number ≥ 0, got "-1"',
    },
  ])('$name → exit $code with a message', async ({ argv, code, stderr }) => {
    const { io, out, err } = fakeIo({ 'trace.csv': TRACE }, 'trace.csv');
    expect(await run(argv, io)).toBe(code);
    expect(out).toEqual([]);
    expect(err.join('\n').startsWith(stderr)).toBe(true);
  });

  it.each([
    { name: '--help', argv: ['--help'], first: 'Usage: tideway <command> [options]' },
    { name: '-h', argv: ['-h'], first: 'Usage: tideway <command> [options]' },
    { name: 'help', argv: ['help'], first: 'Usage: tideway <command> [options]' },
    {
      name: 'demo --help',
      argv: ['demo', '--help'],
      first: 'Usage: tideway demo [--trace <path>] [--days <N>] [--rows <N>] [--report <path>]',
    },
    {
      name: 'demo -h',
      argv: ['demo', '-h'],
      first: 'Usage: tideway demo [--trace <path>] [--days <N>] [--rows <N>] [--report <path>]',
    },
    {
      name: 'simulate --help',
      argv: ['simulate', '--help'],
      first: 'Usage: tideway simulate --trace <csv> --config <file|baseline> [options]',
    },
    {
      name: 'simulate -h, even with other flags',
      argv: ['simulate', '--trace', 'x.csv', '-h'],
      first: 'Usage: tideway simulate --trace <csv> --config <file|baseline> [options]',
    },
    {
      name: 'help simulate',
      argv: ['help', 'simulate'],
      first: 'Usage: tideway simulate --trace <csv> --config <file|baseline> [options]',
    },
    { name: 'validate --help', argv: ['validate', '--help'], first: 'Usage: tideway validate <policy.json>' },
    { name: 'help validate', argv: ['help', 'validate'], first: 'Usage: tideway validate <policy.json>' },
    {
      name: 'help demo',
      argv: ['help', 'demo'],
      first: 'Usage: tideway demo [--trace <path>] [--days <N>] [--rows <N>] [--report <path>]',
    },
  ])('$name prints help to stdout and exits 0', async ({ argv, first }) => {
    const { io, out, err } = fakeIo();
    expect(await run(argv, io)).toBe(EXIT_OK);
    expect(err).toEqual([]);
    expect(out.join('\n').split('\n')[0]).toBe(first);
  });
});

describe('tideway --help', () => {
  it('lists every command', async () => {
    const { io, out } = fakeIo();
    await run(['--help'], io);
    const text = out.join('\n');
    for (const command of ['simulate', 'validate', 'demo'])
      expect(text).toMatch(new RegExp(`^  ${command} `, 'm'));
  });

  it('says in simulate --help that --config may be a baseline name, and gives every flag', async () => {
    const { io, out } = fakeIo();
    await run(['simulate', '--help'], io);
    const text = out.join('\n');
    expect(text).toContain('Or a baseline name instead of a path');
    for (const name of BASELINES) expect(text).toMatch(new RegExp(`[ :]${name}[,.]`));
    expect(text.split('\n').every((line) => line.length <= 100)).toBe(true);
    for (const flag of [
      '--trace',
      '--config',
      '--capacity-per-unit',
      '--delay',
      '--compare',
      '--baseline',
      '--seed',
      '--warmup',
      '--report',
      '--json',
      '-h, --help',
    ]) {
      expect(text).toContain(`  ${flag} `);
    }
  });
});

// The demo's own output is tested in demo.test.ts (it is being rewritten); here only what
// main.ts does for it: dispatch, the trace it reads and how it names it, and errors.
describe('tideway demo', () => {
  it('replays --trace and names it', async () => {
    const { io, out, err } = fakeIo({ 'load.csv': TRACE });
    expect(await run(['demo', '--trace', 'load.csv', '--rows', '2'], io)).toBe(EXIT_OK);
    expect(err).toEqual([]);
    expect(out.join('\n').split('\n')[0]).toContain('load.csv');
  });

  it('writes the HTML report to --report (report.html by default) and says where', async () => {
    const { io, out } = fakeIo({ 'load.csv': TRACE });
    const written = new Map<string, string>();
    const withWrite: CliIo = { ...io, writeFile: async (path, text) => void written.set(path, text) };
    expect(await run(['demo', '--trace', 'load.csv', '--rows', '0'], withWrite)).toBe(EXIT_OK);
    expect([...written.keys()]).toEqual(['report.html']);
    expect(written.get('report.html')).toMatch(/^<!doctype html>/i);
    expect(out[out.length - 1]).toContain('report written to report.html');
    written.clear();
    expect(
      await run(['demo', '--trace', 'load.csv', '--rows', '0', '--report', 'out/r.html'], withWrite),
    ).toBe(EXIT_OK);
    expect([...written.keys()]).toEqual(['out/r.html']);
  });

  it('replays only the last --days of the trace', async () => {
    const { io, out } = fakeIo({ 'load.csv': TRACE });
    expect(await run(['demo', '--trace', 'load.csv', '--rows', '0', '--days', 'two'], io)).toBe(EXIT_USAGE);
    expect(await run(['demo', '--trace', 'load.csv', '--rows', '0', '--days', '0'], io)).toBe(EXIT_OK);
    expect(out.join('\n')).toContain('tideway demo: load.csv');
  });

  it('replays the bundled trace by default and names its source', async () => {
    const { io, out } = fakeIo(
      { '/pkg/examples/data/nab_nyc_taxi.csv': TRACE },
      '/pkg/examples/data/nab_nyc_taxi.csv',
    );
    expect(await run(['demo', '--rows=0'], io)).toBe(EXIT_OK);
    const text = out.join('\n');
    expect(text).toContain('the bundled NYC taxi trace');
    expect(text).toContain('Numenta Anomaly Benchmark');
  });

  it.each([
    {
      name: 'a file that cannot be read',
      argv: ['demo', '--trace', 'missing.csv'],
      stderr: `tideway demo: cannot read "missing.csv": ENOENT: no such file or directory, open 'missing.csv'`,
    },
    {
      name: 'a malformed trace, with the line',
      argv: ['demo', '--trace', 'bad.csv'],
      stderr: 'tideway demo: bad.csv: line 3: expected a number in column "value", got "abc"',
    },
    {
      name: 'rows out of order, with the line',
      argv: ['demo', '--trace', 'unordered.csv'],
      stderr:
        'tideway demo: unordered.csv: line 3: expected a timestamp after 2026-01-01 00:30:00 (line 2), got "2026-01-01 00:00:00" (earlier); rows must be in strictly increasing time order',
    },
    {
      name: 'no --trace and no bundled trace',
      argv: ['demo'],
      stderr:
        'tideway demo: the bundled trace examples/data/nab_nyc_taxi.csv is not installed here; pass --trace <path>',
    },
  ])('fails with exit 1 on $name', async ({ argv, stderr }) => {
    const { io, out, err } = fakeIo({
      'bad.csv': 'timestamp,value\n2026-01-01 00:00:00,1\n2026-01-01 00:30:00,abc\n',
      'unordered.csv': 'timestamp,value\n2026-01-01 00:30:00,1\n2026-01-01 00:00:00,2\n',
    });
    expect(await run(argv, io)).toBe(EXIT_FAILED);
    expect(out).toEqual([]);
    expect(err).toEqual([stderr]);
  });

  it('does not run on import: only executing the file runs the command', () => {
    // Importing main.ts above ran nothing: it would have set an exit code.
    expect(process.exitCode).toBeUndefined();
  });
});
