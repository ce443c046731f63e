import { upperBound } from '../core/statistics.js';
import type {
  CallOptions,
  MetricSample,
  MetricSeries,
  MetricsProvider,
  MetricsRequest,
  MetricsResponse,
} from '../ports/metrics.js';
import type { SimulatedFleet } from './fleet.js';

/** The metrics a simulation offers its policy, by name. */
export const SIMULATED_METRICS = [
  'load',
  'utilization',
  'queue_length',
  'queue_wait',
  'served',
  'ready_units',
] as const;

/** A metric a simulation offers. */
export type SimulatedMetric = (typeof SIMULATED_METRICS)[number];

/**
 * What a scraper would have seen of a simulated service, sampled at fixed instants:
 * - `load`: the trace's value at the instant (the load holds from one trace point to the next);
 * - `utilization`: load / (ready units × capacity per unit) — above 1 when overloaded; no sample
 *   while no unit is ready (there is nothing to measure, as with a pod-based metric);
 * - `queue_length`: work waiting, carried between samples: over each interval Δ since the last
 *   sample, backlog += (load − ready × capacity) × Δ / trace step with the load and ready units
 *   of that interval's start, never below 0;
 * - `queue_wait`: seconds the backlog takes to drain at the current service rate (no sample while
 *   work waits and no unit is ready);
 * - `served`: min(load, ready × capacity); `ready_units`: units serving.
 * Per-unit samples of `utilization` are given to rules that ask for them: every ready unit
 * carries the same share (the load is spread evenly).
 */
export class TraceMetrics implements MetricsProvider {
  /** Sample times, ms. */
  readonly times: number[] = [];
  private readonly columns: Record<SimulatedMetric, number[]> = {
    load: [],
    utilization: [],
    queue_length: [],
    queue_wait: [],
    served: [],
    ready_units: [],
  };
  private backlog = 0;
  private lastSample: number | null = null;
  private lastLoad = 0;
  private lastCapacity = 0;

  /**
   * @param loadAt the load at an instant
   * @param fleet the simulated fleet
   * @param capacityPerUnit load one ready unit serves at the SLO (per trace step)
   * @param traceStep the trace's step, ms (load is per step)
   */
  constructor(
    private readonly loadAt: (t: number) => number,
    private readonly fleet: SimulatedFleet,
    private readonly capacityPerUnit: number,
    private readonly traceStep: number,
  ) {}

  /** Take one sample at `t` (called by the simulation at every sample instant, in order). */
  sample(t: number): void {
    const load = this.loadAt(t);
    const ready = this.fleet.readyAt(t);
    const capacity = ready * this.capacityPerUnit;
    if (this.lastSample !== null) {
      // The interval since the last sample ran at the load and capacity that held during it.
      const share = (t - this.lastSample) / this.traceStep;
      this.backlog = Math.max(0, this.backlog + (this.lastLoad - this.lastCapacity) * share);
    }
    this.lastSample = t;
    this.lastLoad = load;
    this.lastCapacity = capacity;
    this.times.push(t);
    this.columns.load.push(load);
    this.columns.utilization.push(ready > 0 ? load / capacity : Number.NaN);
    this.columns.queue_length.push(this.backlog);
    this.columns.queue_wait.push(
      this.backlog === 0 ? 0 : ready > 0 ? (this.backlog / capacity) * (this.traceStep / 1000) : Number.NaN,
    );
    this.columns.served.push(Math.min(load, capacity));
    this.columns.ready_units.push(ready);
  }

  /** Answer from the samples taken so far: those with `now − window < t ≤ now`. */
  read(request: MetricsRequest, _options: CallOptions): Promise<MetricsResponse> {
    const out: Record<string, MetricSeries> = {};
    const end = upperBound(this.times, request.now);
    for (const query of request.metrics) {
      const column = this.columns[query.name as SimulatedMetric] as number[] | undefined;
      if (column === undefined) continue;
      const begin = upperBound(this.times, request.now - query.window);
      const samples: MetricSample[] = [];
      for (let i = begin; i < end; i++) {
        const value = column[i] as number;
        // NaN marks "nothing to measure"; such instants have no sample.
        if (!Number.isNaN(value)) samples.push({ timestamp: this.times[i] as number, value });
      }
      if (query.perUnit && query.name === 'utilization' && samples.length > 0) {
        const perUnit: Record<string, MetricSample[]> = {};
        for (const id of this.fleet.readyUnitIds(request.now)) perUnit[id] = samples;
        out[query.name] = { samples, perUnit };
      } else {
        out[query.name] = { samples };
      }
    }
    return Promise.resolve(out);
  }
}
