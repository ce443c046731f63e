import type { MetricObservation } from '../core/types.js';
import type { MetricQuery, MetricSample, MetricsResponse } from '../ports/metrics.js';

/**
 * Turn a provider's answer into per-metric observations: only finite samples inside each
 * query's window are kept, oldest first; a metric with none is `missing`. A malformed answer
 * for one metric makes that metric missing, never the whole tick fail.
 */
export function toObservations(
  queries: readonly MetricQuery[],
  response: MetricsResponse,
  now: number,
): Record<string, MetricObservation> {
  const out: Record<string, MetricObservation> = {};
  for (const query of queries) {
    const series = response[query.name];
    const raw = series?.samples;
    if (!Array.isArray(raw) || raw.length === 0) {
      out[query.name] = MISSING;
      continue;
    }
    const since = now - query.window;
    const samples: MetricSample[] = [];
    let sorted = true;
    let previous = Number.NEGATIVE_INFINITY;
    for (const sample of raw as readonly MetricSample[]) {
      const t = sample?.timestamp;
      const v = sample?.value;
      if (
        typeof t !== 'number' ||
        typeof v !== 'number' ||
        !Number.isFinite(t) ||
        !Number.isFinite(v) ||
        t <= since ||
        // Samples after `now` cannot have been measured yet, and one far-future sample would
        // otherwise shadow every real one in the metric history.
        t > now
      )
        continue;
      if (t < previous) sorted = false;
      previous = t;
      samples.push(sample);
    }
    if (!sorted) samples.sort((a, b) => a.timestamp - b.timestamp);
    if (samples.length === 0) {
      out[query.name] = MISSING;
    } else if (query.perUnit && series?.perUnit !== undefined) {
      out[query.name] = { status: 'ok', samples, perUnit: series.perUnit };
    } else {
      out[query.name] = { status: 'ok', samples };
    }
  }
  return out;
}

const MISSING: MetricObservation = { status: 'missing', samples: [] };

/** Every query marked failed with the same error. */
export function failedObservations(
  queries: readonly MetricQuery[],
  error: string,
): Record<string, MetricObservation> {
  const out: Record<string, MetricObservation> = {};
  for (const query of queries) out[query.name] = { status: 'failed', samples: [], error };
  return out;
}
