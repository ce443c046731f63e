import type { z } from 'zod';
import { ConfigError, type ConfigIssue } from '../errors.js';

/**
 * Render a path as `rules[0].target`.
 *
 * @example
 * formatPath(['rules', 0, 'target']); // 'rules[0].target'
 */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_$][\w$]*$/.test(segment))
      out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

/**
 * Render any value briefly for an error message: strings quoted, long values cut.
 *
 * @example
 * describeValue('high'); // '"high"'
 * describeValue(Number.NaN); // 'NaN'
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) {
    return value.length === 0
      ? 'an empty array'
      : `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  }
  if (typeof value === 'object') {
    try {
      const text = JSON.stringify(value);
      // JSON leaves out functions: name the keys rather than show an object with some as `{}`.
      const keys = Object.keys(value);
      if (text === '{}' && keys.length > 0) {
        const shown = keys.slice(0, 5).join(', ');
        return `an object with key${keys.length === 1 ? '' : 's'} ${shown}${keys.length > 5 ? ', …' : ''}`;
      }
      return text.length > 60 ? `${text.slice(0, 57)}...` : text;
    } catch {
      return 'an object';
    }
  }
  return String(value);
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const saved = row[j] as number;
      row[j] = Math.min(
        (row[j] as number) + 1,
        (row[j - 1] as number) + 1,
        previous + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      previous = saved;
    }
  }
  return row[b.length] as number;
}

/**
 * The closest known key to a misspelt one, if any is close enough to be a likely typo.
 *
 * @example
 * suggestKey('maxCapcity', ['minCapacity', 'maxCapacity']); // 'maxCapacity'
 */
export function suggestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const distance = levenshtein(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

function typeWords(expected: string): string {
  switch (expected) {
    case 'int':
      return 'an integer';
    case 'object':
    case 'record':
    case 'map':
      return 'an object';
    case 'array':
      return 'an array';
    case 'string':
      return 'a string';
    case 'number':
      return 'a finite number';
    case 'boolean':
      return 'true or false';
    default:
      return expected;
  }
}

function bound(
  issue: { minimum?: unknown; maximum?: unknown; inclusive?: boolean; origin?: string },
  small: boolean,
): string {
  const limit = String(small ? issue.minimum : issue.maximum);
  const inclusive = issue.inclusive !== false;
  switch (issue.origin) {
    case 'string':
      return small
        ? `a string of at least ${limit} character${limit === '1' ? '' : 's'}`
        : `a string of at most ${limit} characters`;
    case 'array':
    case 'set':
      return small ? `at least ${limit} item${limit === '1' ? '' : 's'}` : `at most ${limit} items`;
    default:
      return small
        ? `a number ${inclusive ? '≥' : '>'} ${limit}`
        : `a number ${inclusive ? '≤' : '<'} ${limit}`;
  }
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let at: unknown = root;
  for (const key of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at;
}

/** Keys known at a path, used to suggest a fix for a misspelt key. */
export type KnownKeys = (path: readonly PropertyKey[]) => readonly string[];

/**
 * Turn zod issues into {@link ConfigIssue}s with a path, what was expected and what was got.
 * `input` is the value that was parsed, used to show what was got where zod does not say.
 */
export function toConfigIssues(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  knownKeys?: KnownKeys,
): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of issues) {
    const segments = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    const got = 'input' in issue ? issue.input : valueAt(input, issue.path);
    const push = (
      path: readonly (string | number)[],
      expected: string,
      received: string,
      extra = '',
    ): void => {
      const where = formatPath(path);
      out.push({
        path: where,
        segments: path,
        code: issue.code,
        expected,
        received,
        message: `${where === '' ? '(root)' : where}: expected ${expected}, got ${received}${extra}`,
      });
    };
    switch (issue.code) {
      case 'invalid_type':
        push(segments, typeWords(issue.expected), describeValue(got));
        break;
      case 'too_small':
        push(segments, bound(issue, true), describeValue(got));
        break;
      case 'too_big':
        push(segments, bound(issue, false), describeValue(got));
        break;
      case 'invalid_value':
        push(segments, `one of ${issue.values.map((v) => describeValue(v)).join(', ')}`, describeValue(got));
        break;
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          const known = knownKeys ? knownKeys(issue.path) : [];
          const suggestion = suggestKey(key, known);
          const path = [...segments, key];
          const where = formatPath(path);
          out.push({
            path: where,
            segments: path,
            code: issue.code,
            expected: known.length > 0 ? `one of the known keys (${known.join(', ')})` : 'a known key',
            received: JSON.stringify(key),
            message: `${where}: unknown key${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; expected one of ${known.length > 0 ? known.join(', ') : 'the known keys'}`,
          });
        }
        break;
      case 'invalid_union': {
        const discriminator = (issue as { discriminator?: string }).discriminator;
        if (discriminator !== undefined) {
          const options = (issue as { options?: unknown[] }).options;
          const expected =
            options && options.length > 0
              ? `one of ${options.map((o) => describeValue(o)).join(', ')}`
              : 'a known kind';
          const at =
            segments[segments.length - 1] === discriminator ? segments : [...segments, discriminator];
          const tag = got !== null && typeof got === 'object' ? valueAt(got, [discriminator]) : got;
          push(at, expected, describeValue(tag));
        } else {
          push(
            segments,
            (issue.message || 'a valid value').replace(/^Invalid input$/, 'a valid value'),
            describeValue(got),
          );
        }
        break;
      }
      case 'custom': {
        const params = (issue.params ?? {}) as { expected?: string; received?: string };
        push(segments, params.expected ?? issue.message, params.received ?? describeValue(got));
        break;
      }
      case 'invalid_format':
        push(segments, `a ${issue.format}`, describeValue(got));
        break;
      default:
        push(segments, issue.message, describeValue(got));
    }
  }
  return out;
}

/**
 * Parse `input` with `schema`, or throw a {@link ConfigError} listing every problem, with the
 * schema's own keys as "did you mean" hints for a misspelt one.
 */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  options: {
    code?: 'CONFIG_INVALID' | 'SNAPSHOT_INVALID' | 'ARGUMENT_INVALID';
    subject?: string;
  } = {},
): z.output<S> {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  throw new ConfigError(toConfigIssues(result.error.issues, input, knownKeysOf(schema, input)), {
    ...(options.code !== undefined ? { code: options.code } : {}),
    ...(options.subject !== undefined ? { subject: options.subject } : {}),
  });
}

interface AnyDef {
  type: string;
  shape?: Record<string, z.core.$ZodType>;
  element?: z.core.$ZodType;
  innerType?: z.core.$ZodType;
  in?: z.core.$ZodType;
  out?: z.core.$ZodType;
  options?: z.core.$ZodType[];
  discriminator?: string;
  valueType?: z.core.$ZodType;
}

function defOf(schema: z.core.$ZodType): AnyDef {
  return schema._zod.def as unknown as AnyDef;
}

function objectsAt(schema: z.core.$ZodType, path: readonly PropertyKey[], input: unknown): z.core.$ZodType[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
      return objectsAt(def.innerType as z.core.$ZodType, path, input);
    case 'pipe':
      return objectsAt(def.in as z.core.$ZodType, path, input);
    case 'union': {
      let options = def.options ?? [];
      if (def.discriminator !== undefined && input !== null && typeof input === 'object') {
        const tag = (input as Record<string, unknown>)[def.discriminator];
        const matching = options.filter((o) => {
          const shape = defOf(o).shape;
          const field = shape?.[def.discriminator as string];
          const values = field ? (field._zod as { values?: Set<unknown> }).values : undefined;
          return values?.has(tag) ?? false;
        });
        if (matching.length > 0) options = matching;
      }
      return options.flatMap((o) => objectsAt(o, path, input));
    }
    default:
      break;
  }
  if (path.length === 0) return def.type === 'object' ? [schema] : [];
  const [head, ...rest] = path;
  const child =
    input !== null && typeof input === 'object'
      ? (input as Record<PropertyKey, unknown>)[head as PropertyKey]
      : undefined;
  if (def.type === 'object' && typeof head === 'string' && def.shape?.[head])
    return objectsAt(def.shape[head], rest, child);
  if (def.type === 'array' && typeof head === 'number' && def.element)
    return objectsAt(def.element, rest, child);
  if (def.type === 'record' && def.valueType) return objectsAt(def.valueType, rest, child);
  return [];
}

/**
 * Known keys at a path of `schema`, for "did you mean" hints on misspelt keys.
 */
export function knownKeysOf(schema: z.core.$ZodType, input: unknown): KnownKeys {
  return (path) => {
    const keys = new Set<string>();
    for (const object of objectsAt(schema, path, input))
      for (const key of Object.keys(defOf(object).shape ?? {})) keys.add(key);
    return [...keys];
  };
}

/**
 * A `ConfigError` (`ARGUMENT_INVALID`) for one bad argument, shaped like every other issue:
 * `path: expected …, got …`.
 *
 * @example
 * throw argumentError('capacity', 'a whole number within [0, 10]', 12, 'setGroupCapacity');
 */
export function argumentError(
  path: string,
  expected: string,
  got: unknown,
  subject = 'argument',
): ConfigError {
  const received = describeValue(got);
  return new ConfigError(
    [
      {
        path,
        segments: [path],
        code: 'invalid_argument',
        expected,
        received,
        message: `${path}: expected ${expected}, got ${received}`,
      },
    ],
    { code: 'ARGUMENT_INVALID', subject },
  );
}
