/**
 * toObservations / failedObservations: a provider's answer becomes per-metric observations.
 */
import { describe, expect, it } from 'vitest';
import type { MetricQuery, MetricsResponse } from '../../src/ports/metrics.js';
import { failedObservations, toObservations } from '../../src/runtime/observe.js';

const NOW = 100_000;
const QUERY: MetricQuery = { name: 'cpu', window: 60_000, perUnit: false };
const observe = (response: unknown, queries: MetricQuery[] = [QUERY]) =>
  toObservations(queries, response as MetricsResponse, NOW);
const s = (timestamp: number, value: number) => ({ timestamp, value });

describe('toObservations', () => {
  it('keeps finite samples inside the window, oldest first', () => {
    expect(observe({ cpu: { samples: [s(50_000, 1), s(90_000, 2), s(100_000, 3)] } })).toEqual({
      cpu: { status: 'ok', samples: [s(50_000, 1), s(90_000, 2), s(100_000, 3)] },
    });
  });

  it('drops samples at or before now − window (40 s here)', () => {
    const out = observe({ cpu: { samples: [s(39_999, 1), s(40_000, 2), s(40_001, 3)] } });
    expect(out.cpu).toEqual({ status: 'ok', samples: [s(40_001, 3)] });
  });

  it('drops samples after now: they cannot have been measured yet', () => {
    const out = observe({ cpu: { samples: [s(99_999, 1), s(100_000, 2), s(100_001, 3), s(9e15, 4)] } });
    expect(out.cpu).toEqual({ status: 'ok', samples: [s(99_999, 1), s(100_000, 2)] });
  });

  it('drops non-finite and non-numeric samples', () => {
    const samples = [
      s(60_000, Number.NaN),
      s(61_000, Number.POSITIVE_INFINITY),
      s(62_000, Number.NEGATIVE_INFINITY),
      s(Number.NaN, 1),
      { timestamp: '63000', value: 1 },
      { timestamp: 64_000, value: '1' },
      null,
      s(65_000, 4),
    ];
    expect(observe({ cpu: { samples } }).cpu).toEqual({ status: 'ok', samples: [s(65_000, 4)] });
  });

  it('sorts unsorted samples', () => {
    const out = observe({ cpu: { samples: [s(90_000, 3), s(70_000, 1), s(80_000, 2)] } });
    expect(out.cpu?.samples).toEqual([s(70_000, 1), s(80_000, 2), s(90_000, 3)]);
  });

  it.each([
    {
      name: 'metric left out',
      response: {},
      error: "the provider's answer has no series at all",
    },
    {
      name: 'metric left out, others answered',
      response: { cpu_total: { samples: [] }, mem: { samples: [] } },
      error: `the provider's answer has no series for it, only for "cpu_total", "mem"`,
    },
    { name: 'no samples', response: { cpu: { samples: [] } }, error: undefined },
    {
      name: 'only samples outside the window',
      response: { cpu: { samples: [s(1, 1), s(30_000, 2)] } },
      error:
        'the provider answered 2 samples, none usable: 2 older than the 1m window (the newest 1m10s before now)',
    },
    {
      name: 'only future samples',
      response: { cpu: { samples: [s(100_001, 1)] } },
      error: 'the provider answered 1 sample, none usable: 1 later than now (the earliest 1ms after it)',
    },
    {
      name: 'only non-finite samples',
      response: { cpu: { samples: [s(90_000, Number.NaN)] } },
      error: 'the provider answered 1 sample, none usable: 1 with a value that is not a finite number',
    },
    {
      name: 'timestamps in seconds, not ms',
      response: { cpu: { samples: [s(99, 1)] } },
      error:
        'the provider answered 1 sample, none usable: 1 older than the 1m window (the newest 1m39s901ms before now)',
    },
    {
      name: 'every cause at once',
      response: { cpu: { samples: [null, s(90_000, Number.NaN), s(1000, 1), s(200_000, 1)] } },
      error:
        'the provider answered 4 samples, none usable: 1 not a { timestamp, value } of numbers; ' +
        '1 with a value that is not a finite number; 1 older than the 1m window (the newest 1m39s before now); ' +
        '1 later than now (the earliest 1m40s after it)',
    },
    {
      name: 'series is a number',
      response: { cpu: 5 },
      error: 'the provider answered 5 for it, not { samples: [...] }',
    },
    {
      name: 'series is null',
      response: { cpu: null },
      error: 'the provider answered null for it, not { samples: [...] }',
    },
    {
      name: 'samples is not an array',
      response: { cpu: { samples: 'lots' } },
      error: 'its samples are "lots", not an array',
    },
    {
      name: 'samples is an object',
      response: { cpu: { samples: { 0: s(90_000, 1), length: 1 } } },
      error: `its samples are {"0":{"timestamp":90000,"value":1},"length":1}, not an array`,
    },
  ])('a malformed or empty series is missing, saying why: $name', ({ response, error }) => {
    expect(observe(response)).toEqual({
      cpu:
        error === undefined ? { status: 'missing', samples: [] } : { status: 'missing', samples: [], error },
    });
  });

  it('one malformed metric does not spoil the others', () => {
    const queries = [QUERY, { name: 'queue', window: 60_000, perUnit: false }];
    expect(observe({ cpu: 'garbage', queue: { samples: [s(90_000, 7)] } }, queries)).toEqual({
      cpu: {
        status: 'missing',
        samples: [],
        error: 'the provider answered "garbage" for it, not { samples: [...] }',
      },
      queue: { status: 'ok', samples: [s(90_000, 7)] },
    });
  });

  it('keeps per-unit samples only when the query asks for them', () => {
    const perUnit = { u1: [s(90_000, 1)] };
    const response = { cpu: { samples: [s(90_000, 1)], perUnit } };
    expect(observe(response).cpu).toEqual({ status: 'ok', samples: [s(90_000, 1)] });
    expect(observe(response, [{ ...QUERY, perUnit: true }]).cpu).toEqual({
      status: 'ok',
      samples: [s(90_000, 1)],
      perUnit,
    });
  });
});

describe('failedObservations', () => {
  it('marks every query failed with the error', () => {
    const queries = [QUERY, { name: 'queue', window: 1, perUnit: false }];
    expect(failedObservations(queries, 'timeout')).toEqual({
      cpu: { status: 'failed', samples: [], error: 'timeout' },
      queue: { status: 'failed', samples: [], error: 'timeout' },
    });
  });
});

describe('toObservations with per-unit samples', () => {
  const query = { name: 'cpu', window: 60_000, perUnit: true };
  it('counts a metric with per-unit samples only as ok, keeping each unit window-filtered', () => {
    const out = toObservations(
      [query],
      {
        cpu: {
          samples: [],
          perUnit: {
            a: [
              { timestamp: 10_000, value: 90 },
              { timestamp: 95_000, value: 50 },
            ],
            b: [{ timestamp: 5_000, value: 1 }],
          },
        },
      },
      100_000,
    );
    expect(out.cpu).toEqual({
      status: 'ok',
      samples: [],
      perUnit: { a: [{ timestamp: 95_000, value: 50 }] },
    });
  });

  it('is missing when no unit has a sample in the window', () => {
    const out = toObservations(
      [query],
      { cpu: { samples: [], perUnit: { a: [{ timestamp: 1, value: 1 }] } } },
      100_000,
    );
    expect(out.cpu?.status).toBe('missing');
  });

  it('drops per-unit samples a query did not ask for', () => {
    const out = toObservations(
      [{ ...query, perUnit: false }],
      {
        cpu: {
          samples: [{ timestamp: 99_000, value: 3 }],
          perUnit: { a: [{ timestamp: 99_000, value: 3 }] },
        },
      },
      100_000,
    );
    expect(out.cpu).toEqual({ status: 'ok', samples: [{ timestamp: 99_000, value: 3 }] });
  });
});
