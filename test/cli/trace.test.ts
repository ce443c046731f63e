import { describe, expect, it } from 'vitest';
import { readLoadTrace, traceGaps } from '../../src/cli/trace.js';
import { CsvError } from '../../src/sim/trace-csv.js';

const MINUTE = 60_000;

describe('traceGaps', () => {
  it.each([
    {
      name: 'regular steps',
      times: [0, 1, 2, 3],
      gaps: { step: MINUTE, count: 0, longest: 0, longestAt: 0 },
    },
    {
      name: 'a step of exactly 3× the median is not a gap',
      times: [0, 1, 2, 5, 6],
      gaps: { step: MINUTE, count: 0, longest: 0, longestAt: 0 },
    },
    {
      name: 'two gaps: the count, and the longest with where it starts',
      times: [0, 1, 2, 6, 7, 8, 18, 19],
      gaps: { step: MINUTE, count: 2, longest: 10 * MINUTE, longestAt: 8 * MINUTE },
    },
    { name: 'one point', times: [0], gaps: { step: MINUTE, count: 0, longest: 0, longestAt: 0 } },
  ])('$name', ({ times, gaps }) => {
    expect(traceGaps(times.map((t) => t * MINUTE))).toEqual(gaps);
  });
});

describe('readLoadTrace', () => {
  it('reads a trace', () => {
    expect(readLoadTrace('timestamp,value\n1767225600,5\n1767225660,0\n')).toEqual({
      timestamps: [1_767_225_600_000, 1_767_225_660_000],
      values: [5, 0],
    });
  });

  it('refuses a negative load at its line, counting blank lines and leading blank lines', () => {
    const text = '\ntimestamp,value\n1767225600,5\n\n1767225660,-0.5\n';
    expect(() => readLoadTrace(text)).toThrow(CsvError);
    expect(() => readLoadTrace(text)).toThrow('line 5: expected a load ≥ 0 in column "value", got "-0.5"');
  });
});
