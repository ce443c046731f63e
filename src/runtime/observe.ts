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
    const since = now - query.window;
    if (!Array.isArray(raw) || raw.length === 0) {
      // A per-unit metric may come with per-unit samples only (no aggregate series).
      const perUnit = query.perUnit ? usablePerUnit(series?.perUnit, since, now) : undefined;
      out[query.name] = perUnit === undefined ? MISSING : { status: 'ok', samples: [], perUnit };
      continue;
    }
    // Most providers answer with exactly the window, in order: then the array is used as it is
    // (the observation lives only for this tick) and nothing is copied.
    const samples: readonly MetricSample[] = allUsable(raw as readonly MetricSample[], since, now)
      ? (raw as readonly MetricSample[])
      : usable(raw as readonly MetricSample[], since, now);
    const perUnit = query.perUnit ? usablePerUnit(series?.perUnit, since, now) : undefined;
    if (samples.length === 0 && perUnit === undefined) {
      out[query.name] = MISSING;
    } else if (perUnit !== undefined) {
      out[query.name] = { status: 'ok', samples, perUnit };
    } else {
      out[query.name] = { status: 'ok', samples };
    }
  }
  return out;
}

const MISSING: MetricObservation = { status: 'missing', samples: [] };

// Each unit's usable samples; undefined when no unit has any.
function usablePerUnit(
  perUnit: Readonly<Record<string, readonly MetricSample[]>> | undefined,
  since: number,
  now: number,
): Record<string, readonly MetricSample[]> | undefined {
  if (perUnit === null || typeof perUnit !== 'object') return undefined;
  let out: Record<string, readonly MetricSample[]> | undefined;
  for (const [unit, raw] of Object.entries(perUnit)) {
    if (!Array.isArray(raw)) continue;
    const samples = usable(raw as readonly MetricSample[], since, now);
    if (samples.length === 0) continue;
    out ??= {};
    out[unit] = samples;
  }
  return out;
}

function isUsable(sample: MetricSample | undefined, since: number, now: number): sample is MetricSample {
  const t = sample?.timestamp;
  const v = sample?.value;
  // Samples after `now` cannot have been measured yet, and one far-future sample would
  // otherwise shadow every real one in the metric history.
  return (
    typeof t === 'number' &&
    typeof v === 'number' &&
    Number.isFinite(t) &&
    Number.isFinite(v) &&
    t > since &&
    t <= now
  );
}

function allUsable(raw: readonly MetricSample[], since: number, now: number): boolean {
  let previous = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < raw.length; i++) {
    const sample = raw[i];
    if (!isUsable(sample, since, now) || sample.timestamp < previous) return false;
    previous = sample.timestamp;
  }
  return true;
}

/** The finite samples inside (since, now], oldest first. */
function usable(raw: readonly MetricSample[], since: number, now: number): MetricSample[] {
  const out: MetricSample[] = [];
  for (const sample of raw) if (isUsable(sample, since, now)) out.push(sample);
  return out.sort((a, b) => a.timestamp - b.timestamp);
}

/** Every query marked failed with the same error. */
export function failedObservations(
  queries: readonly MetricQuery[],
  error: string,
): Record<string, MetricObservation> {
  const out: Record<string, MetricObservation> = {};
  for (const query of queries) out[query.name] = { status: 'failed', samples: [], error };
  return out;
}
