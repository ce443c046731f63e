import { upperBound } from '../core/statistics.js';
import type { Scheduler } from '../ports/clock.js';
import type {
  CallOptions,
  MetricSample,
  MetricSeries,
  MetricsProvider,
  MetricsRequest,
  MetricsResponse,
} from '../ports/metrics.js';
import { FaultQueue, faulted } from './faults.js';

/** Samples as objects, or as parallel arrays of timestamps and values. */
export type SeriesInput =
  | readonly MetricSample[]
  | { readonly timestamps: ArrayLike<number>; readonly values: ArrayLike<number> };

interface Series {
  /** The samples' timestamps, for the binary searches of a read. */
  timestamps: number[];
  /** The samples as objects, made once so every read can share them. */
  samples: MetricSample[];
}

function toSeries(input: SeriesInput, name: string): Series {
  const samples: MetricSample[] = [];
  if (Array.isArray(input)) {
    for (const sample of input as readonly MetricSample[]) {
      samples.push({ timestamp: sample.timestamp, value: sample.value });
    }
  } else {
    const { timestamps: ts, values: vs } = input as {
      timestamps: ArrayLike<number>;
      values: ArrayLike<number>;
    };
    if (ts.length !== vs.length) {
      throw new RangeError(
        `series ${name}: expected as many values as timestamps, got ${vs.length} values for ${ts.length} timestamps`,
      );
    }
    for (let i = 0; i < ts.length; i++) samples.push({ timestamp: ts[i] as number, value: vs[i] as number });
  }
  const timestamps = samples.map((sample) => sample.timestamp);
  for (let i = 1; i < timestamps.length; i++) {
    if (!((timestamps[i] as number) > (timestamps[i - 1] as number))) {
      throw new RangeError(
        `series ${name}: expected strictly increasing timestamps, got ${timestamps[i]} after ${timestamps[i - 1]} at index ${i}`,
      );
    }
  }
  return { timestamps, samples };
}

/** Options of {@link InMemoryMetricsProvider}. */
export interface InMemoryMetricsOptions {
  /** Series by metric name (shared by every group). */
  readonly series?: Readonly<Record<string, SeriesInput>>;
  /** Needed for `latency`: the scheduler that delays answers (a `ManualClock`). */
  readonly scheduler?: Scheduler;
  /** Delay every answer by this many ms through `scheduler`. @default 0 */
  readonly latency?: number;
}

/**
 * A {@link MetricsProvider} that answers from series held in memory: for each requested metric,
 * the samples with `now − window < timestamp ≤ now`. A series set for one group (`groupId`)
 * takes precedence over one set for all. Can be told to fail or hang the next calls, and to
 * answer late (through an injected scheduler), to test how a manager copes.
 *
 * @example
 * const metrics = new InMemoryMetricsProvider({ series: { busy_ratio: [{ timestamp: 0, value: 0.9 }] } });
 */
export class InMemoryMetricsProvider implements MetricsProvider {
  private readonly shared = new Map<string, Series>();
  private readonly perGroup = new Map<string, Map<string, Series>>();
  private readonly faults = new FaultQueue();
  private readonly scheduler: Scheduler | undefined;
  private latencyMs: number;
  /** How many times `read` was called. */
  reads = 0;
  /** The latest request, for assertions. */
  lastRequest: MetricsRequest | undefined;

  /** @param options initial series, and latency */
  constructor(options: InMemoryMetricsOptions = {}) {
    this.scheduler = options.scheduler;
    this.latencyMs = 0;
    this.setLatency(options.latency ?? 0);
    for (const [name, input] of Object.entries(options.series ?? {})) this.set(name, input);
  }

  /** Replace a metric's series, for all groups or for one. */
  set(metric: string, samples: SeriesInput, options: { groupId?: string } = {}): this {
    const series = toSeries(samples, metric);
    if (options.groupId === undefined) {
      this.shared.set(metric, series);
    } else {
      let map = this.perGroup.get(options.groupId);
      if (map === undefined) {
        map = new Map();
        this.perGroup.set(options.groupId, map);
      }
      map.set(metric, series);
    }
    return this;
  }

  /** Append one sample (newer than the last) to a metric's series. */
  push(metric: string, timestamp: number, value: number, options: { groupId?: string } = {}): this {
    const map = options.groupId === undefined ? this.shared : this.perGroup.get(options.groupId);
    const series = map?.get(metric);
    if (series === undefined || map === undefined) return this.set(metric, [{ timestamp, value }], options);
    const last = series.timestamps[series.timestamps.length - 1];
    if (last !== undefined && !(timestamp > last)) {
      throw new RangeError(`series ${metric}: expected a timestamp after ${last}, got ${timestamp}`);
    }
    series.timestamps.push(timestamp);
    series.samples.push({ timestamp, value });
    return this;
  }

  /** Forget a metric (all groups), or everything. */
  clear(metric?: string): this {
    if (metric === undefined) {
      this.shared.clear();
      this.perGroup.clear();
    } else {
      this.shared.delete(metric);
      for (const map of this.perGroup.values()) map.delete(metric);
    }
    return this;
  }

  /** Answer every later call `ms` late (needs the `scheduler` option). */
  setLatency(ms: number): this {
    if (!Number.isFinite(ms) || ms < 0)
      throw new RangeError(`latency: expected a number ≥ 0 of ms, got ${ms}`);
    if (ms > 0 && this.scheduler === undefined) throw new RangeError('latency: needs the scheduler option');
    this.latencyMs = ms;
    return this;
  }

  /** Make the next `count` calls reject with `error`. */
  failNext(count = 1, error: Error = new Error('metrics backend unavailable')): this {
    this.faults.add('fail', count, error);
    return this;
  }

  /** Make the next `count` calls never answer (until their signal aborts). */
  hangNext(count = 1): this {
    this.faults.add('hang', count, new Error('hang'));
    return this;
  }

  /** Answer from the series. */
  read(request: MetricsRequest, options: CallOptions): Promise<MetricsResponse> {
    this.reads++;
    this.lastRequest = request;
    const fault = this.faults.next();
    if (fault !== undefined) return faulted(fault.mode, fault.error, options.signal);
    if (this.latencyMs === 0) return Promise.resolve(this.answer(request));
    const scheduler = this.scheduler as Scheduler;
    return new Promise((resolve, reject) => {
      const timer = scheduler.setTimeout(() => resolve(this.answer(request)), this.latencyMs);
      options.signal.addEventListener(
        'abort',
        () => {
          scheduler.clearTimeout(timer);
          reject(options.signal.reason);
        },
        { once: true },
      );
    });
  }

  /** The samples of each requested metric in its window, read when the answer is given. */
  private answer(request: MetricsRequest): MetricsResponse {
    const out: Record<string, MetricSeries> = {};
    // Most providers hold no per-group series: then there is no map to look the group up in.
    const groupSeries = this.perGroup.size === 0 ? undefined : this.perGroup.get(request.groupId);
    for (const query of request.metrics) {
      const series = groupSeries?.get(query.name) ?? this.shared.get(query.name);
      if (series === undefined) continue;
      const end = upperBound(series.timestamps, request.now);
      const begin = upperBound(series.timestamps, request.now - query.window);
      out[query.name] = { samples: series.samples.slice(begin, end) };
    }
    return out;
  }
}
