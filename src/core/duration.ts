import { z } from 'zod';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;

/**
 * Parse a duration: milliseconds as a number, or a string of one or more `<number><unit>` parts
 * with units `ms`, `s`, `m`, `h`, `d` (`"30s"`, `"5m"`, `"1h30m"`, `"250ms"`). Returns whole
 * milliseconds, or `undefined` when the input is not a valid, finite, non-negative duration.
 *
 * @example
 * parseDuration('1h30m'); // 5_400_000
 * parseDuration(1500);    // 1500
 * parseDuration('soon');  // undefined
 */
export function parseDuration(input: string | number): number | undefined {
  if (typeof input === 'number') {
    return Number.isFinite(input) && input >= 0 ? Math.round(input) : undefined;
  }
  const text = input.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return undefined; // a bare number in a string is ambiguous
  let total = 0;
  PART.lastIndex = 0;
  let at = 0;
  while (at < text.length) {
    PART.lastIndex = at;
    const match = PART.exec(text);
    if (!match) return undefined;
    total += Number(match[1]) * (UNIT_MS[match[2] as string] as number);
    at = PART.lastIndex;
  }
  return Number.isFinite(total) ? Math.round(total) : undefined;
}

/**
 * Render milliseconds in the shortest exact form (`90000` → `"1m30s"`).
 *
 * @example
 * formatDuration(5_400_000); // '1h30m'
 */
export function formatDuration(ms: number): string {
  let rest = Math.round(ms);
  if (rest === 0) return '0s';
  let out = '';
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  if (rest > 0) out += `${rest}ms`;
  return out;
}

/** Words used in error messages for durations. */
export const DURATION_EXPECTED = 'a duration such as "30s", "5m", "1h" or a number of milliseconds';

/**
 * Zod schema for a duration; the output is whole milliseconds.
 *
 * @example
 * durationSchema.parse('5m'); // 300000
 */
export const durationSchema = z
  .custom<string | number>((value) => typeof value === 'string' || typeof value === 'number', {
    params: { expected: DURATION_EXPECTED },
  })
  .transform((value, ctx) => {
    const ms = parseDuration(value);
    if (ms === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: DURATION_EXPECTED,
        input: value,
        params: { expected: DURATION_EXPECTED },
      });
      return z.NEVER;
    }
    return ms;
  });

/**
 * {@link durationSchema} for a duration longer than 0; the error names `what` ("a time grain
 * longer than 0").
 *
 * @example
 * positiveDurationSchema('a time grain').parse('1m'); // 60000
 */
export function positiveDurationSchema(what: string) {
  return durationSchema.refine((ms) => ms > 0, {
    message: `${what} longer than 0`,
    params: { expected: `${what} longer than 0` },
  });
}

/** What a user may write for a duration. */
export type DurationInput = z.input<typeof durationSchema>;
