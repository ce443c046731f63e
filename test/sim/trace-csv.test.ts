import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CsvError, formatTimestamp, parseTimestamp, parseTraceCsv } from '../../src/sim/trace-csv.js';

const T0 = Date.UTC(2014, 6, 1, 0, 0, 0); // 2014-07-01 00:00:00 UTC

describe('parseTimestamp', () => {
  it.each([
    { name: 'space-separated, read as UTC', text: '2014-07-01 00:30:00', ms: T0 + 1_800_000 },
    { name: 'without seconds', text: '2014-07-01 00:30', ms: T0 + 1_800_000 },
    { name: 'ISO with T and no zone, read as UTC', text: '2014-07-01T00:30:00', ms: T0 + 1_800_000 },
    { name: 'ISO with Z', text: '2014-07-01T00:30:00Z', ms: T0 + 1_800_000 },
    { name: 'ISO with lower-case z', text: '2014-07-01t00:30:00z', ms: T0 + 1_800_000 },
    { name: 'ISO with a positive offset', text: '2014-07-01T02:30:00+02:00', ms: T0 + 1_800_000 },
    { name: 'ISO with a negative offset, no colon', text: '2014-06-30T20:30:00-0400', ms: T0 + 1_800_000 },
    { name: 'ISO with milliseconds', text: '2014-07-01T00:30:00.250Z', ms: T0 + 1_800_250 },
    { name: 'a bare date is UTC midnight', text: '2014-07-01', ms: T0 },
    { name: 'epoch seconds', text: '1404174600', ms: T0 + 1_800_000 },
    { name: 'epoch seconds with a fraction', text: '1404174600.5', ms: T0 + 1_800_500 },
    { name: 'epoch milliseconds', text: '1404174600000', ms: T0 + 1_800_000 },
    { name: 'leap day', text: '2016-02-29 12:00:00', ms: Date.UTC(2016, 1, 29, 12) },
  ])('$name: $text', ({ text, ms }) => {
    expect(parseTimestamp(text)).toBe(ms);
  });

  it.each([
    { name: 'not a date', text: 'yesterday' },
    { name: 'empty', text: '' },
    { name: 'month 13', text: '2014-13-01 00:00:00' },
    { name: 'February 30', text: '2014-02-30 00:00:00' },
    { name: 'not a leap year', text: '2015-02-29 00:00:00' },
    { name: 'hour 24', text: '2014-07-01 24:00:00' },
    { name: 'minute 60', text: '2014-07-01 00:60:00' },
    { name: 'slashes', text: '07/01/2014 00:00' },
    { name: 'a negative number', text: '-5' },
  ])('rejects $name: "$text"', ({ text }) => {
    expect(parseTimestamp(text)).toBeUndefined();
  });

  it('formats back to the trace form in UTC', () => {
    expect(formatTimestamp(T0 + 1_800_000)).toBe('2014-07-01 00:30:00');
  });
});

describe('parseTraceCsv', () => {
  it('reads the NAB form: header, YYYY-MM-DD HH:MM:SS as UTC, no newline at the end', () => {
    const trace = parseTraceCsv('timestamp,value\n2014-07-01 00:00:00,10844\n2014-07-01 00:30:00,8127');
    expect(trace).toEqual({ timestamps: [T0, T0 + 1_800_000], values: [10844, 8127] });
  });

  it('reads the bundled taxi trace: 10,320 rows, 30 min apart, first and last as in the file', () => {
    const text = readFileSync(new URL('../../examples/data/nab_nyc_taxi.csv', import.meta.url), 'utf8');
    const { timestamps, values } = parseTraceCsv(text);
    expect(timestamps).toHaveLength(10_320);
    expect(values).toHaveLength(10_320);
    expect(formatTimestamp(timestamps[0] as number)).toBe('2014-07-01 00:00:00');
    expect(formatTimestamp(timestamps.at(-1) as number)).toBe('2015-01-31 23:30:00');
    expect([values[0], values.at(-1)]).toEqual([10844, 26288]);
    expect(new Set(timestamps.slice(1).map((t, i) => t - (timestamps[i] as number)))).toEqual(
      new Set([1_800_000]),
    );
    expect(Math.max(...values)).toBe(39197);
  });

  it.each([
    {
      name: 'CRLF line ends, a BOM, blank lines and a trailing newline',
      text: '\uFEFFtimestamp,value\r\n\r\n2014-07-01 00:00:00,1\r\n\r\n2014-07-01 00:30:00,2\r\n',
      values: [1, 2],
    },
    {
      name: 'columns in the other order, header in upper case, extra columns ignored',
      text: 'VALUE,note,Timestamp\n1.5,a,2014-07-01 00:00:00\n-2e3,b,2014-07-01 00:30:00\n',
      values: [1.5, -2000],
    },
    {
      name: 'quoted cells',
      text: '"timestamp","value"\n"2014-07-01 00:00:00","7"\n"2014-07-01 00:30:00", "8"\n',
      values: [7, 8],
    },
    {
      name: 'epoch seconds',
      text: 'timestamp,value\n1404172800,3\n1404174600,4\n',
      values: [3, 4],
    },
  ])('accepts $name', ({ text, values }) => {
    const trace = parseTraceCsv(text);
    expect(trace.values).toEqual(values);
    expect(trace.timestamps).toEqual([T0, T0 + 1_800_000]);
  });

  it.each([
    {
      name: 'an empty file',
      text: '',
      line: 0,
      message: 'expected a header line "timestamp,value", got an empty file',
    },
    {
      name: 'a file of blank lines',
      text: '\n\n  \n',
      line: 0,
      message: 'expected a header line "timestamp,value", got an empty file',
    },
    {
      name: 'no header',
      text: '2014-07-01 00:00:00,1\n',
      line: 1,
      message:
        'line 1: expected a header with the columns "timestamp" and "value", got "2014-07-01 00:00:00,1"',
    },
    {
      name: 'a header without value',
      text: '\ntimestamp,count\n',
      line: 2,
      message: 'line 2: expected a header with the columns "timestamp" and "value", got "timestamp,count"',
    },
    {
      name: 'a header and no rows',
      text: 'timestamp,value\n\n',
      line: 0,
      message: 'expected at least one row after the header (line 1), got none',
    },
    {
      name: 'a value that is not a number',
      text: 'timestamp,value\n2014-07-01 00:00:00,1\n2014-07-01 00:30:00,abc\n',
      line: 3,
      message: 'line 3: expected a number in column "value", got "abc"',
    },
    {
      name: 'an empty value',
      text: 'timestamp,value\n2014-07-01 00:00:00,\n',
      line: 2,
      message: 'line 2: expected a number in column "value", got ""',
    },
    {
      name: 'a hexadecimal value',
      text: 'timestamp,value\n2014-07-01 00:00:00,0x1f\n',
      line: 2,
      message: 'line 2: expected a number in column "value", got "0x1f"',
    },
    {
      name: 'an infinite value',
      text: 'timestamp,value\n2014-07-01 00:00:00,1e999\n',
      line: 2,
      message: 'line 2: expected a number in column "value", got "1e999"',
    },
    {
      name: 'a bad timestamp (line numbers count blank lines)',
      text: 'timestamp,value\n\n2014-07-01 00:00:00,1\n\n2014-02-30 00:00:00,2\n',
      line: 5,
      message:
        'line 5: expected a timestamp (YYYY-MM-DD HH:MM:SS read as UTC, ISO 8601 such as 2014-07-01T00:00:00Z, or epoch seconds or milliseconds) in column "timestamp", got "2014-02-30 00:00:00"',
    },
    {
      name: 'too many cells',
      text: 'timestamp,value\n2014-07-01 00:00:00,1,2\n',
      line: 2,
      message: 'line 2: expected 2 columns as in the header, got 3 in "2014-07-01 00:00:00,1,2"',
    },
    {
      name: 'a repeated timestamp',
      text: 'timestamp,value\n2014-07-01 00:00:00,1\n2014-07-01 00:30:00,2\n2014-07-01 00:30:00,3\n',
      line: 4,
      message:
        'line 4: expected a timestamp after 2014-07-01 00:30:00 (line 3), got "2014-07-01 00:30:00" (the same instant); rows must be in strictly increasing time order',
    },
    {
      name: 'a timestamp going back, across a blank line',
      text: 'timestamp,value\n2014-07-01 00:30:00,1\n\n2014-07-01 00:00:00,2\n',
      line: 4,
      message:
        'line 4: expected a timestamp after 2014-07-01 00:30:00 (line 2), got "2014-07-01 00:00:00" (earlier); rows must be in strictly increasing time order',
    },
    {
      name: 'the same instant written in two zones',
      text: 'timestamp,value\n2014-07-01T00:00:00Z,1\n2014-07-01T02:00:00+02:00,2\n',
      line: 3,
      message:
        'line 3: expected a timestamp after 2014-07-01 00:00:00 (line 2), got "2014-07-01T02:00:00+02:00" (the same instant); rows must be in strictly increasing time order',
    },
  ])('rejects $name', ({ text, line, message }) => {
    let error: unknown;
    try {
      parseTraceCsv(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CsvError);
    expect((error as CsvError).line).toBe(line);
    expect((error as CsvError).message).toBe(message);
  });

  it('shortens a long cell in messages', () => {
    expect(() =>
      parseTraceCsv(`timestamp,value\n2014-07-01 00:00:00,${'9'.repeat(30)}x${'9'.repeat(30)}\n`),
    ).toThrow(/got "9{30}x9{9}…"$/);
  });
});
