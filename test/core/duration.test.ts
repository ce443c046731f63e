import { describe, expect, it } from 'vitest';
import { DURATION_EXPECTED, durationSchema, formatDuration, parseDuration } from '../../src/core/duration.js';

describe('parseDuration', () => {
  it.each([
    { name: 'milliseconds as a number pass through', input: 1500, expected: 1500 },
    { name: 'zero is a valid duration', input: 0, expected: 0 },
    { name: 'a fractional number rounds to whole ms (1500.4 → 1500)', input: 1500.4, expected: 1500 },
    { name: 'a fractional number rounds half up (1500.5 → 1501)', input: 1500.5, expected: 1501 },
    { name: '"250ms" = 250', input: '250ms', expected: 250 },
    { name: '"30s" = 30 × 1000', input: '30s', expected: 30_000 },
    { name: '"5m" = 5 × 60 000', input: '5m', expected: 300_000 },
    { name: '"2h" = 2 × 3 600 000', input: '2h', expected: 7_200_000 },
    { name: '"1d" = 86 400 000', input: '1d', expected: 86_400_000 },
    { name: '"1h30m" = 3 600 000 + 1 800 000', input: '1h30m', expected: 5_400_000 },
    { name: '"1m5s" reads m then s (not "ms")', input: '1m5s', expected: 65_000 },
    { name: '"10ms5s" — parts in any order add up: 10 + 5000', input: '10ms5s', expected: 5010 },
    { name: '"1m1m" — repeated units add up: 2 × 60 000', input: '1m1m', expected: 120_000 },
    { name: '"1.5s" — decimal parts: 1.5 × 1000', input: '1.5s', expected: 1500 },
    { name: '"0.5ms" rounds to whole ms (0.5 → 1)', input: '0.5ms', expected: 1 },
    { name: 'surrounding whitespace is trimmed', input: '  5m ', expected: 300_000 },
  ])('$name', ({ input, expected }) => {
    expect(parseDuration(input)).toBe(expected);
  });

  it.each([
    { name: 'a negative number', input: -1 },
    { name: 'NaN', input: Number.NaN },
    { name: 'Infinity', input: Number.POSITIVE_INFINITY },
    { name: 'an empty string', input: '' },
    { name: 'only whitespace', input: '   ' },
    { name: 'a bare number in a string is ambiguous ("5")', input: '5' },
    { name: 'a bare decimal in a string is ambiguous ("5.5")', input: '5.5' },
    { name: 'a word ("soon")', input: 'soon' },
    { name: 'a spelled-out unit ("5 minutes")', input: '5 minutes' },
    { name: 'a space between parts ("1h 30m")', input: '1h 30m' },
    { name: 'a sign ("-5s")', input: '-5s' },
    { name: 'an upper-case unit ("5M")', input: '5M' },
    { name: 'a unit with no number ("ms")', input: 'ms' },
    { name: 'a leading dot (".5s")', input: '.5s' },
    { name: 'a trailing dot ("5.s")', input: '5.s' },
    { name: 'an exponent ("1e3ms")', input: '1e3ms' },
    { name: 'trailing garbage ("5mx")', input: '5mx' },
  ])('rejects $name', ({ input }) => {
    expect(parseDuration(input)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it.each([
    { name: '0 → "0s"', ms: 0, expected: '0s' },
    { name: '250 → "250ms"', ms: 250, expected: '250ms' },
    { name: '1500 = 1 s + 500 ms', ms: 1500, expected: '1s500ms' },
    { name: '90 000 = 1 m + 30 s', ms: 90_000, expected: '1m30s' },
    { name: '5 400 000 = 1 h + 30 m', ms: 5_400_000, expected: '1h30m' },
    { name: '86 400 000 = 1 d', ms: 86_400_000, expected: '1d' },
    { name: '90 061 001 = 1 d + 1 h + 1 m + 1 s + 1 ms', ms: 90_061_001, expected: '1d1h1m1s1ms' },
    { name: 'fractions round first (1500.4 → 1500)', ms: 1500.4, expected: '1s500ms' },
    // Rounding 0.4 ms gives 0, which should render like 0 does: an empty string is not a duration.
    { name: 'sub-millisecond input rounds to 0 → "0s"', ms: 0.4, expected: '0s' },
  ])('$name', ({ ms, expected }) => {
    expect(formatDuration(ms)).toBe(expected);
  });

  it.each([
    { name: '1 ms', ms: 1 },
    { name: '59 999 ms', ms: 59_999 },
    { name: '1 h 0 m 1 s', ms: 3_601_000 },
    { name: '3 d 4 h 5 m 6 s 7 ms', ms: 3 * 86_400_000 + 4 * 3_600_000 + 5 * 60_000 + 6 * 1000 + 7 },
  ])('round-trips through parseDuration: $name', ({ ms }) => {
    expect(parseDuration(formatDuration(ms))).toBe(ms);
  });
});

describe('durationSchema', () => {
  it.each([
    { name: 'a string parses to ms', input: '5m', expected: 300_000 },
    { name: 'a number is ms', input: 1500, expected: 1500 },
  ])('$name', ({ input, expected }) => {
    expect(durationSchema.parse(input)).toBe(expected);
  });

  it.each([
    { name: 'an unparseable string', input: '5 minutes' },
    { name: 'a negative number', input: -5 },
    { name: 'a boolean', input: true },
    { name: 'null', input: null },
  ])('rejects $name, saying what a duration looks like', ({ input }) => {
    const result = durationSchema.safeParse(input);
    expect(result.success).toBe(false);
    const first = result.error?.issues[0];
    expect(first?.code).toBe('custom');
    expect((first as { params?: { expected?: string } } | undefined)?.params?.expected).toBe(
      DURATION_EXPECTED,
    );
  });
});
