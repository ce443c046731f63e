/**
 * InMemoryMetricsProvider is public API (`tideway/testing`): a MetricsProvider that answers
 * from data, with injectable faults and latency.
 */
import type { MetricsRequest } from 'tideway';
import { InMemoryMetricsProvider, ManualClock } from 'tideway/testing';
import { describe, expect, it } from 'vitest';

const s = (timestamp: number, value: number) => ({ timestamp, value });

function request(now: number, metrics: string[] = ['cpu'], groupId = 'web', window = 60_000): MetricsRequest {
  return { groupId, now, labels: {}, metrics: metrics.map((name) => ({ name, window, perUnit: false })) };
}

const open = () => ({ signal: new AbortController().signal });

/** Where a promise stands after pending jobs ran. */
async function state(promise: Promise<unknown>, clock: ManualClock): Promise<string> {
  let out = 'pending';
  promise.then(
    () => {
      out = 'resolved';
    },
    () => {
      out = 'rejected';
    },
  );
  await clock.flush();
  return out;
}

describe('InMemoryMetricsProvider', () => {
  it('answers each metric with the samples in (now − window, now]', async () => {
    const metrics = new InMemoryMetricsProvider({
      series: { cpu: [s(0, 1), s(40_000, 2), s(60_000, 3), s(100_000, 4), s(100_001, 5)] },
    });
    // window 60 s at 100 s: (40 s, 100 s]
    expect(await metrics.read(request(100_000), open())).toEqual({
      cpu: { samples: [s(60_000, 3), s(100_000, 4)] },
    });
  });

  it('leaves out metrics it has no series for', async () => {
    const metrics = new InMemoryMetricsProvider({ series: { cpu: [s(0, 1)] } });
    expect(await metrics.read(request(0, ['cpu', 'queue']), open())).toEqual({ cpu: { samples: [s(0, 1)] } });
  });

  it('takes parallel arrays of timestamps and values', async () => {
    const metrics = new InMemoryMetricsProvider({
      series: { cpu: { timestamps: new Float64Array([1, 2, 3]), values: [10, 20, 30] } },
    });
    expect(await metrics.read(request(2), open())).toEqual({ cpu: { samples: [s(1, 10), s(2, 20)] } });
  });

  it.each([
    { name: 'arrays of different lengths', input: { timestamps: [1, 2], values: [1] } },
    { name: 'a repeated timestamp', input: [s(1, 1), s(1, 2)] },
    { name: 'decreasing timestamps', input: [s(2, 1), s(1, 2)] },
  ])('rejects a series with $name', ({ input }) => {
    expect(() => new InMemoryMetricsProvider({ series: { cpu: input } })).toThrow(RangeError);
  });

  it('a series set for one group takes precedence over the shared one', async () => {
    const metrics = new InMemoryMetricsProvider({ series: { cpu: [s(0, 1)] } });
    metrics.set('cpu', [s(0, 9)], { groupId: 'api' });
    expect(await metrics.read(request(0, ['cpu'], 'api'), open())).toEqual({ cpu: { samples: [s(0, 9)] } });
    expect(await metrics.read(request(0, ['cpu'], 'web'), open())).toEqual({ cpu: { samples: [s(0, 1)] } });
  });

  it('push appends newer samples, starts a series, and refuses older ones', async () => {
    const metrics = new InMemoryMetricsProvider();
    metrics.push('cpu', 1, 10).push('cpu', 2, 20);
    metrics.push('cpu', 3, 99, { groupId: 'api' });
    expect(() => metrics.push('cpu', 2, 30)).toThrow(RangeError);
    expect(await metrics.read(request(5), open())).toEqual({ cpu: { samples: [s(1, 10), s(2, 20)] } });
    expect(await metrics.read(request(5, ['cpu'], 'api'), open())).toEqual({ cpu: { samples: [s(3, 99)] } });
  });

  it('clear forgets one metric (for every group) or everything', async () => {
    const metrics = new InMemoryMetricsProvider({ series: { cpu: [s(0, 1)], queue: [s(0, 2)] } });
    metrics.set('cpu', [s(0, 3)], { groupId: 'api' });
    metrics.clear('cpu');
    expect(await metrics.read(request(0, ['cpu', 'queue'], 'api'), open())).toEqual({
      queue: { samples: [s(0, 2)] },
    });
    metrics.clear();
    expect(await metrics.read(request(0, ['cpu', 'queue']), open())).toEqual({});
  });

  it('counts reads and keeps the latest request', async () => {
    const metrics = new InMemoryMetricsProvider();
    await metrics.read(request(1), open());
    await metrics.read(request(2, ['queue']), open());
    expect(metrics.reads).toBe(2);
    expect(metrics.lastRequest).toEqual(request(2, ['queue']));
  });

  describe('faults', () => {
    it('failNext makes the next calls reject, then answers again', async () => {
      const metrics = new InMemoryMetricsProvider({ series: { cpu: [s(0, 1)] } });
      const boom = new Error('boom');
      metrics.failNext(2, boom);
      await expect(metrics.read(request(0), open())).rejects.toBe(boom);
      await expect(metrics.read(request(0), open())).rejects.toBe(boom);
      await expect(metrics.read(request(0), open())).resolves.toEqual({ cpu: { samples: [s(0, 1)] } });
      expect(metrics.reads).toBe(3);
    });

    it('failNext has a default error', async () => {
      const metrics = new InMemoryMetricsProvider();
      await expect(metrics.failNext().read(request(0), open())).rejects.toThrow(
        'metrics backend unavailable',
      );
    });

    it.each([0, -1, 1.5])('rejects a fault count of %s', (count) => {
      expect(() => new InMemoryMetricsProvider().failNext(count)).toThrow(RangeError);
      expect(() => new InMemoryMetricsProvider().hangNext(count)).toThrow(RangeError);
    });

    it('hangNext never answers until the call is aborted, then rejects with the reason', async () => {
      const clock = new ManualClock();
      const metrics = new InMemoryMetricsProvider({ series: { cpu: [s(0, 1)] } });
      metrics.hangNext();
      const abort = new AbortController();
      const hung = metrics.read(request(0), { signal: abort.signal });
      await clock.advanceAsync(1e9);
      expect(await state(hung, clock)).toBe('pending');
      const reason = new Error('stopped');
      abort.abort(reason);
      await expect(hung).rejects.toBe(reason);
      // only the next call hung
      await expect(metrics.read(request(0), open())).resolves.toEqual({ cpu: { samples: [s(0, 1)] } });
    });

    it('a hang on an already-aborted call rejects at once', async () => {
      const metrics = new InMemoryMetricsProvider().hangNext();
      const abort = new AbortController();
      abort.abort(new Error('already'));
      await expect(metrics.read(request(0), { signal: abort.signal })).rejects.toThrow('already');
    });

    it('faults queue in the order they were added', async () => {
      const clock = new ManualClock();
      const metrics = new InMemoryMetricsProvider().failNext(1).hangNext(1);
      await expect(metrics.read(request(0), open())).rejects.toThrow();
      expect(await state(metrics.read(request(0), open()), clock)).toBe('pending');
      expect(await state(metrics.read(request(0), open()), clock)).toBe('resolved');
    });
  });

  describe('latency', () => {
    it('answers after the latency, with the data as of the request', async () => {
      const clock = new ManualClock();
      const metrics = new InMemoryMetricsProvider({
        scheduler: clock,
        latency: 1000,
        series: { cpu: [s(0, 1)] },
      });
      const answer = metrics.read(request(0), open());
      metrics.push('cpu', 500, 2); // arrives while the read is in flight; not part of a read at 0
      await clock.advanceAsync(999);
      expect(await state(answer, clock)).toBe('pending');
      await clock.advanceAsync(1);
      await expect(answer).resolves.toEqual({ cpu: { samples: [s(0, 1)] } });
    });

    it('an abort rejects the call with the reason and cancels its timer', async () => {
      const clock = new ManualClock();
      const metrics = new InMemoryMetricsProvider({ scheduler: clock, latency: 1000 });
      const abort = new AbortController();
      const answer = metrics.read(request(0), { signal: abort.signal });
      expect(clock.pending).toBe(1);
      abort.abort(new Error('timed out'));
      await expect(answer).rejects.toThrow('timed out');
      expect(clock.pending).toBe(0);
    });

    it('setLatency changes later calls; 0 answers at once', async () => {
      const clock = new ManualClock();
      const metrics = new InMemoryMetricsProvider({ scheduler: clock, latency: 1000 });
      metrics.setLatency(0);
      expect(await state(metrics.read(request(0), open()), clock)).toBe('resolved');
    });

    it.each([
      { name: 'negative', options: { latency: -1, scheduler: new ManualClock() } },
      { name: 'NaN', options: { latency: Number.NaN, scheduler: new ManualClock() } },
      { name: 'without a scheduler', options: { latency: 10 } },
    ])('rejects a latency that is $name', ({ options }) => {
      expect(() => new InMemoryMetricsProvider(options)).toThrow(RangeError);
    });
  });
});
