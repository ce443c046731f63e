import { describe, expect, it } from 'vitest';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, run } from '../../src/cli/main.js';
import { VALIDATE_USAGE_LINE } from '../../src/cli/validate.js';
import { fakeIo } from './fake-io.js';

const FILES: Record<string, string> = {
  'policy.json': JSON.stringify({
    id: 'web',
    minCapacity: 1,
    maxCapacity: 10,
    evaluationInterval: '30s',
    rules: [{ kind: 'target-tracking', metric: 'utilization', target: 0.6, window: '2m' }],
  }),
  'no-id.json': JSON.stringify({ minCapacity: 0, maxCapacity: 3 }),
  'my policy.json': JSON.stringify({ minCapacity: 0, maxCapacity: 3 }),
  'wrapped.json': JSON.stringify({
    group: { id: 'web', minCapacity: 1, maxCapacity: 10 },
    fleet: {
      capacityPerUnit: 100,
      provisioningDelay: { distribution: 'uniform', min: '30s', max: '2m' },
      billing: { granularity: '1m' },
    },
  }),
  'bad.json':
    '{\n  "id": "web",\n  "minCapacity": 4,\n  "maxCapacity": 2,\n  "evaluationInterval": "soon",\n  "rules": [{ "kind": "target-tracking", "metric": "utilization", "target": "high" }]\n}\n',
  'bad-wrapped.json': JSON.stringify({
    group: {
      minCapacity: 1,
      maxCapacity: 10,
      rules: [{ kind: 'target-tracking', metric: 'load', targetPerUnit: -1 }],
    },
    fleet: { capacityPerUnit: 0, provisioningDelay: { distribution: 'uniform', min: '2m', max: '30s' } },
    extra: true,
  }),
  'no-group.json': JSON.stringify({ fleet: { capacityPerUnit: 10 } }),
  'array.json': '[1, 2]',
  'trailing-comma.json': '{\n  "id": "web",\n  "minCapacity": 1,\n}\n',
  'truncated.json': '{ "id": "web"',
  'empty.json': '',
};

async function validate(argv: readonly string[]) {
  const fake = fakeIo(FILES);
  const code = await run(argv, fake.io);
  return { code, ...fake, stdout: fake.out.join('\n'), stderr: fake.err.join('\n') };
}

describe('tideway validate', () => {
  it('prints ok and the resolved config, durations in ms, defaults filled in', async () => {
    const { code, stdout, err } = await validate(['validate', 'policy.json']);
    expect(err).toEqual([]);
    expect(code).toBe(EXIT_OK);
    const [first, ...rest] = stdout.split('\n');
    expect(first).toBe('ok: web');
    const resolved = JSON.parse(rest.join('\n'));
    expect(resolved).toMatchObject({
      id: 'web',
      evaluationInterval: 30_000,
      metricRetention: 86_400_000,
      cooldown: { scaleOut: 0, scaleIn: 0 },
      rules: [
        {
          kind: 'target-tracking',
          target: 0.6,
          window: 120_000,
          tolerance: { scaleUp: 0.1, scaleDown: 0.1 },
        },
      ],
      behavior: { scaleDown: { stabilizationWindow: 300_000 } },
    });
  });

  it.each([
    { name: 'a config without an id: the file name', file: 'no-id.json', id: 'no-id' },
    { name: 'a file name with a space: a dash for it', file: 'my policy.json', id: 'my-policy' },
  ])('names $name', async ({ file, id }) => {
    const { code, stdout } = await validate(['validate', file]);
    expect(code).toBe(EXIT_OK);
    expect(stdout.split('\n')[0]).toBe(`ok: ${id}`);
    expect(JSON.parse(stdout.split('\n').slice(1).join('\n')).id).toBe(id);
  });

  it('resolves a {group, fleet} file: both parts, the fleet with its defaults and durations in ms', async () => {
    const { code, stdout } = await validate(['validate', 'wrapped.json']);
    expect(code).toBe(EXIT_OK);
    const resolved = JSON.parse(stdout.split('\n').slice(1).join('\n'));
    expect(resolved.group).toMatchObject({ id: 'web', evaluationInterval: 15_000 });
    expect(resolved.fleet).toEqual({
      capacityPerUnit: 100,
      provisioningDelay: { distribution: 'uniform', min: 30_000, max: 120_000 },
      drainDelay: 0,
      billing: { granularity: 60_000, minimum: 60_000, pricePerUnitHour: 1 },
    });
  });

  it.each([
    {
      name: 'every problem in a group config, one per line',
      file: 'bad.json',
      stderr: [
        'bad.json: rules[0].target: expected a finite number, got "high"',
        'bad.json: evaluationInterval: expected a duration such as "30s", "5m", "1h" or a number of milliseconds, got "soon"',
        'bad.json: maxCapacity: expected a number ≥ minCapacity (4), got 2',
      ],
    },
    {
      name: 'every problem in a {group, fleet} file, with paths as in the file',
      file: 'bad-wrapped.json',
      stderr: [
        'bad-wrapped.json: fleet.capacityPerUnit: expected a number > 0, got 0',
        'bad-wrapped.json: fleet.provisioningDelay.max: expected a duration ≥ min (120000 ms), got "30s"',
        'bad-wrapped.json: extra: unknown key; expected one of group, fleet',
        'bad-wrapped.json: group.rules[0].targetPerUnit: expected a number > 0, got -1',
      ],
    },
    {
      name: 'a {group, fleet} file without its group',
      file: 'no-group.json',
      stderr: ['no-group.json: group: expected a scaling group config, got nothing'],
    },
    {
      name: 'JSON that is not an object',
      file: 'array.json',
      stderr: [
        'array.json: (root): expected an object (a scaling group config, or { "group": …, "fleet": … }), got an array',
      ],
    },
    {
      name: 'invalid JSON, with line and column',
      file: 'trailing-comma.json',
      stderr: ['trailing-comma.json: invalid JSON at line 4, column 1: Expected double-quoted property name'],
    },
    {
      name: 'truncated JSON',
      file: 'truncated.json',
      stderr: ["truncated.json: invalid JSON at line 1, column 14: Expected ',' or '}' after property value"],
    },
    {
      name: 'an empty file',
      file: 'empty.json',
      stderr: ['empty.json: invalid JSON: Unexpected end of JSON input'],
    },
    {
      name: 'a missing file',
      file: 'missing.json',
      stderr: [
        `tideway validate: cannot read "missing.json": ENOENT: no such file or directory, open 'missing.json'`,
      ],
    },
  ])('exits 1 on $name', async ({ file, stderr }) => {
    const { code, out, err } = await validate(['validate', file]);
    expect(out).toEqual([]);
    expect(err.join('\n').split('\n')).toEqual(stderr);
    expect(code).toBe(EXIT_FAILED);
  });

  it.each([
    { name: 'no file', argv: ['validate'], message: 'tideway validate: missing the policy file to validate' },
    {
      name: 'two files',
      argv: ['validate', 'a.json', 'b.json'],
      message: 'tideway validate: expected one policy file, got 2: a.json b.json',
    },
    {
      name: 'an unknown flag',
      argv: ['validate', '--strict', 'a.json'],
      message: "tideway validate: Unknown option '--strict'",
    },
  ])('exits 2 with the usage line on $name', async ({ argv, message }) => {
    const { code, out, stderr } = await validate(argv);
    expect(code).toBe(EXIT_USAGE);
    expect(out).toEqual([]);
    const lines = stderr.split('\n');
    expect(lines[0]?.startsWith(message)).toBe(true);
    expect(lines.slice(-2)).toEqual([VALIDATE_USAGE_LINE, "Run 'tideway validate --help' for details."]);
  });
});
