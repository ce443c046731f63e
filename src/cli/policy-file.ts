import { z } from 'zod';
import {
  type ScalingGroupConfig,
  type ScalingGroupConfigInput,
  validateGroupConfig,
} from '../config/group.js';
import { formatPath, knownKeysOf, toConfigIssues } from '../config/issues.js';
import { parseDuration } from '../core/duration.js';
import { ConfigError, type ConfigIssue } from '../errors.js';
import { fleetOptionsSchema } from '../sim/fleet.js';
import type { DelaySpec, FleetOptions } from '../sim/types.js';

/**
 * A policy file as read: the group config (its `id` filled in from the file name when the file
 * has none) and the fleet settings the file gives, if any.
 */
export interface PolicyFile {
  /** What the policy is called: the group's `id`, else the file's base name. */
  readonly label: string;
  /** Whether the file was `{ "group": …, "fleet": … }` rather than a bare group config. */
  readonly wrapped: boolean;
  /** The group config as written, with `id` set to `label` when it had none. */
  readonly group: ScalingGroupConfigInput;
  /** The group config with defaults applied, durations in ms. */
  readonly resolvedGroup: ScalingGroupConfig;
  /** The file's `fleet`, as written (`capacityPerUnit` may be missing: the CLI can give it). */
  readonly fleet: Partial<FleetOptions>;
}

/** The outcome of {@link readPolicyFile}: the policy, or every problem found, one line each. */
export type PolicyFileResult =
  | { readonly ok: true; readonly policy: PolicyFile }
  | { readonly ok: false; readonly problems: readonly string[] };

const wrapperSchema = z.strictObject({ group: z.unknown().optional(), fleet: fleetOptionsSchema.optional() });

const WRAPPER_KEYS = ['group', 'fleet'];

/**
 * Read a policy file's text: JSON holding either a scaling group config (`id` optional) or
 * `{ "group": {...}, "fleet": {...} }`. Every problem is returned, each one line shaped
 * `path: expected X, got Y` with the path as it is in the file (`group.rules[0].target`).
 *
 * @param baseName the file's name without folders or extension: the label when there is no id
 * @example
 * readPolicyFile('{"minCapacity":1,"maxCapacity":5}', 'policy'); // { ok: true, policy: { label: 'policy', … } }
 */
export function readPolicyFile(text: string, baseName: string): PolicyFileResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [jsonProblem(text, error as Error)] };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return {
      ok: false,
      problems: [
        `(root): expected an object (a scaling group config, or { "group": …, "fleet": … }), got ${Array.isArray(data) ? 'an array' : JSON.stringify(data)}`,
      ],
    };
  }

  const wrapped = Object.keys(data).some((key) => WRAPPER_KEYS.includes(key));
  const problems: string[] = [];
  let groupInput: unknown = data;
  let fleet: Partial<FleetOptions> = {};
  if (wrapped) {
    const parsed = wrapperSchema.safeParse(data, { reportInput: true });
    if (!parsed.success) {
      for (const issue of toConfigIssues(parsed.error.issues, data, knownKeysOf(wrapperSchema, data))) {
        problems.push(issue.message);
      }
    } else if (parsed.data.fleet !== undefined) {
      fleet = parsed.data.fleet as Partial<FleetOptions>;
    }
    groupInput = (data as { group?: unknown }).group;
    if (groupInput === undefined) {
      problems.push('group: expected a scaling group config, got nothing');
      return { ok: false, problems };
    }
  }

  const id = (groupInput as { id?: unknown } | null)?.id;
  const label = typeof id === 'string' && id !== '' ? id : idFromFileName(baseName);
  const group =
    groupInput !== null && typeof groupInput === 'object' && !Array.isArray(groupInput) && id === undefined
      ? ({ id: label, ...groupInput } as ScalingGroupConfigInput)
      : (groupInput as ScalingGroupConfigInput);
  let resolvedGroup: ScalingGroupConfig | undefined;
  try {
    resolvedGroup = validateGroupConfig(group);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const issue of error.issues) problems.push(wrapped ? underGroup(issue) : issue.message);
  }
  if (problems.length > 0 || resolvedGroup === undefined) return { ok: false, problems };
  return { ok: true, policy: { label, wrapped, group, resolvedGroup, fleet } };
}

/**
 * The fleet settings as simulate() would resolve them, durations in ms, for printing: the
 * file's values over simulate's defaults (no delays; billing per second with a 60-second
 * minimum at 1 per unit-hour). `initialCapacity` and `capacityPerUnit` appear only when given.
 *
 * @example
 * resolveFleet({ provisioningDelay: '90s' }).provisioningDelay; // 90000
 */
export function resolveFleet(fleet: Partial<FleetOptions>): Record<string, unknown> {
  const ms = (value: string | number) => parseDuration(value) as number;
  return {
    ...(fleet.capacityPerUnit !== undefined ? { capacityPerUnit: fleet.capacityPerUnit } : {}),
    provisioningDelay: resolveDelay(fleet.provisioningDelay ?? 0),
    drainDelay: resolveDelay(fleet.drainDelay ?? 0),
    ...(fleet.initialCapacity !== undefined ? { initialCapacity: fleet.initialCapacity } : {}),
    billing: {
      granularity: ms(fleet.billing?.granularity ?? '1s'),
      minimum: ms(fleet.billing?.minimum ?? '60s'),
      pricePerUnitHour: fleet.billing?.pricePerUnitHour ?? 1,
    },
  };
}

function resolveDelay(spec: DelaySpec): unknown {
  const ms = (value: string | number) => parseDuration(value) as number;
  if (typeof spec === 'string' || typeof spec === 'number') return ms(spec);
  switch (spec.distribution) {
    case 'uniform':
      return { distribution: 'uniform', min: ms(spec.min), max: ms(spec.max) };
    case 'lognormal':
      return { distribution: 'lognormal', median: ms(spec.median), sigma: spec.sigma };
    case 'exponential':
      return { distribution: 'exponential', mean: ms(spec.mean) };
  }
}

/** A group id made from a file name: ids may not hold spaces or control characters. */
function idFromFileName(baseName: string): string {
  let id = '';
  for (const char of baseName) {
    const code = char.codePointAt(0) as number;
    id += code <= 32 || (code >= 127 && code <= 159) || /\s/.test(char) ? '-' : char;
  }
  return id === '' ? 'policy' : id.slice(0, 256);
}

function underGroup(issue: ConfigIssue): string {
  const before = issue.path === '' ? '(root)' : issue.path;
  const after = formatPath(['group', ...issue.segments]);
  return issue.message.startsWith(before) ? after + issue.message.slice(before.length) : issue.message;
}

/**
 * One line for a JSON syntax error, with the line and column when Node's message gives a
 * position (`… in JSON at position 42`, or `(line 3 column 5)` on newer Node).
 */
function jsonProblem(text: string, error: Error): string {
  let message = error.message;
  let where = '';
  const lineColumn = /\s*\(line (\d+) column (\d+)\)/.exec(message);
  const position = / in JSON at position (\d+)/.exec(message);
  if (lineColumn !== null) {
    where = ` at line ${lineColumn[1]}, column ${lineColumn[2]}`;
  } else if (position !== null) {
    const at = Math.min(Number(position[1]), text.length);
    const before = text.slice(0, at);
    const line = before.split('\n').length;
    const column = at - before.lastIndexOf('\n');
    where = ` at line ${line}, column ${column}`;
  }
  message = message
    .replace(/\s*\(line \d+ column \d+\)/, '')
    .replace(/ in JSON at position \d+/, '')
    .replace(/ in JSON$/, '');
  return `invalid JSON${where}: ${message}`;
}
