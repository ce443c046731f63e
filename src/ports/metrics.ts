/**
 * One timestamped metric value.
 *
 * @example
 * const sample: MetricSample = { timestamp: Date.parse('2026-01-01T00:00:00Z'), value: 42 };
 */
export interface MetricSample {
  /** Milliseconds since the Unix epoch at which the value was measured. */
  readonly timestamp: number;
  /** The measured value. Non-finite values are treated as missing. */
  readonly value: number;
}

/**
 * What tideway asks of one metric on a tick.
 *
 * @example
 * const query: MetricQuery = { name: 'queued_jobs', window: 60_000, perUnit: false };
 */
export interface MetricQuery {
  /** The metric name as written in the group's rules. */
  readonly name: string;
  /** How far back from `now` samples are wanted, in milliseconds. */
  readonly window: number;
  /** Whether per-unit samples are wanted as well as the aggregate series. */
  readonly perUnit: boolean;
}

/**
 * One read of every metric a group's rules need, made once per tick.
 *
 * @example
 * const request: MetricsRequest = {
 *   groupId: 'ci-runners',
 *   now: 1_700_000_000_000,
 *   labels: { team: 'build' },
 *   metrics: [{ name: 'queued_jobs', window: 60_000, perUnit: false }],
 * };
 */
export interface MetricsRequest {
  /** The scaling group being evaluated. */
  readonly groupId: string;
  /** The tick's time in milliseconds since the Unix epoch. */
  readonly now: number;
  /** The group's labels, so one provider can serve many groups. */
  readonly labels: Readonly<Record<string, string>>;
  /** Every metric the group's rules read; each name appears once. */
  readonly metrics: readonly MetricQuery[];
}

/**
 * The samples a provider returns for one metric.
 *
 * @example
 * const series: MetricSeries = { samples: [{ timestamp: 1_700_000_000_000, value: 7 }] };
 */
export interface MetricSeries {
  /** Samples of the group-level (aggregate) value, in any order. */
  readonly samples: readonly MetricSample[];
  /** Optional samples per unit id, for rules that reason about individual units. */
  readonly perUnit?: Readonly<Record<string, readonly MetricSample[]>>;
}

/**
 * A provider's answer: one entry per metric it has data for. A metric left out, or with no
 * samples, is recorded as missing; it is not an error.
 */
export type MetricsResponse = Readonly<Record<string, MetricSeries | undefined>>;

/**
 * Options passed to every port call.
 */
export interface CallOptions {
  /** Aborted when the call times out or the manager stops; honour it to free resources early. */
  readonly signal: AbortSignal;
}

/**
 * The port through which tideway reads metrics. Implement it for Prometheus, CloudWatch, a job
 * queue, or anything else.
 *
 * Resolve with the samples you have (an empty object when there are none). Reject only on a
 * transport failure: missing data is an observation, not an exception.
 *
 * @example
 * const metrics: MetricsProvider = {
 *   async read(request) {
 *     const depth = await queue.depth();
 *     return { queued_jobs: { samples: [{ timestamp: request.now, value: depth }] } };
 *   },
 * };
 */
export interface MetricsProvider {
  /** Read every metric in `request`. Called at most once per group per tick. */
  read(request: MetricsRequest, options: CallOptions): Promise<MetricsResponse>;
}
