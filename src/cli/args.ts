import { type ParseArgsConfig, parseArgs } from 'node:util';
import { parseDuration } from '../core/duration.js';

/**
 * The command was called wrongly: an unknown or missing option, or a value that cannot be what
 * the option means. Commands catch it and exit 2 with the message and their usage line.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `util.parseArgs` in strict mode, with its errors ("Unknown option '--x'") turned into
 * {@link UsageError}s.
 */
export function parseCommandArgs<O extends Options>(
  argv: readonly string[],
  options: O,
  allowPositionals: boolean,
) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * Every item of a repeatable, comma-separated option: `--delay 30s,5m --delay 1m` gives
 * `['30s', '5m', '1m']`. Blank items are dropped.
 */
export function listOption(values: readonly string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((value) => value.split(','))
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/**
 * A duration option: `90s`, `5m`, `1h30m`, `1d`, or `0`. A bare number other than 0 is refused,
 * as its unit would be a guess.
 */
export function durationOption(flag: string, text: string): string | number {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  if (parseDuration(trimmed) === undefined) {
    throw new UsageError(
      `${flag}: expected a duration such as "90s", "5m", "1h" or "1d", got ${JSON.stringify(text)}`,
    );
  }
  return trimmed;
}

/** A number option that must be finite and > 0. */
export function positiveNumberOption(flag: string, text: string): number {
  const value = /^[+]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isFinite(value) || value <= 0) {
    throw new UsageError(`${flag}: expected a number > 0, got ${JSON.stringify(text)}`);
  }
  return value;
}

/** A whole-number option (negative allowed). */
export function integerOption(flag: string, text: string): number {
  const value = /^[+-]?\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value)) {
    throw new UsageError(`${flag}: expected a whole number, got ${JSON.stringify(text)}`);
  }
  return value;
}
