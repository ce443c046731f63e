import { describeValue } from '../config/issues.js';
import { formatDuration } from '../core/duration.js';
import type { MetricObservation } from '../core/types.js';
import type { MetricQuery, MetricSample, MetricsResponse } from '../ports/metrics.js';

/**
 * Turn a provider's answer into per-metric observations: only finite samples inside each
 * query's window are kept, oldest first; a metric with none is `missing`. A malformed answer
 * for one metric makes that metric missing, never the whole tick fail. A missing metric the
 * provider did answer for says in `error` what was wrong with the answer.
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
      out[query.name] =
        perUnit !== undefined
          ? { status: 'ok', samples: [], perUnit }
          : missing(malformedSeries(series, response));
      continue;
    }
    // Most providers answer with exactly the window, in order: then the array is used as it is
    // (the observation lives only for this tick) and nothing is copied.
    const samples: readonly MetricSample[] = allUsable(raw as readonly MetricSample[], since, now)
      ? (raw as readonly MetricSample[])
      : usable(raw as readonly MetricSample[], since, now);
    const perUnit = query.perUnit ? usablePerUnit(series?.perUnit, since, now) : undefined;
    if (samples.length === 0 && perUnit === undefined) {
      out[query.name] = missing(unusableSamples(raw, now, query.window));
    } else if (perUnit !== undefined) {
      out[query.name] = { status: 'ok', samples, perUnit };
    } else {
      out[query.name] = { status: 'ok', samples };
    }
  }
  return out;
}

const MISSING: MetricObservation = { status: 'missing', samples: [] };

function missing(why: string | undefined): MetricObservation {
  return why === undefined ? MISSING : { status: 'missing', samples: [], error: why };
}

// What is wrong with a series that has no samples array, or undefined for one that answered an
// empty array (plainly no data). Computed only for a missing metric, never on a tick with data.
function malformedSeries(series: unknown, response: MetricsResponse): string | undefined {
  if (series === undefined) {
    const names = Object.keys(response);
    const shown = names.slice(0, 5).map((name) => JSON.stringify(name));
    if (names.length > 5) shown.push(`${names.length - 5} more`);
    return names.length === 0
      ? "the provider's answer has no series at all"
      : `the provider's answer has no series for it, only for ${shown.join(', ')}`;
  }
  if (series === null || typeof series !== 'object') {
    return `the provider answered ${describeValue(series)} for it, not { samples: [...] }`;
  }
  const raw = (series as { samples?: unknown }).samples;
  if (Array.isArray(raw)) return undefined;
  return `its samples are ${describeValue(raw)}, not an array`;
}

// Why none of a non-empty array of samples can be used, counted by cause.
function unusableSamples(raw: readonly unknown[], now: number, window: number): string {
  let malformed = 0;
  let notFinite = 0;
  let old = 0;
  let future = 0;
  let newest = Number.NEGATIVE_INFINITY;
  let earliest = Number.POSITIVE_INFINITY;
  for (const sample of raw) {
    const t = (sample as MetricSample | null)?.timestamp;
    const v = (sample as MetricSample | null)?.value;
    if (typeof t !== 'number' || typeof v !== 'number' || !Number.isFinite(t)) malformed++;
    else if (!Number.isFinite(v)) notFinite++;
    else if (t > now) {
      future++;
      earliest = Math.min(earliest, t);
    } else {
      // None is usable, so a well-formed finite one at or before now is at or before `since`.
      old++;
      newest = Math.max(newest, t);
    }
  }
  // How far off the nearest sample is says whether it is stale data, a clock out of step, or
  // timestamps in seconds rather than ms.
  const count = (n: number, what: string) => (n === 0 ? [] : [`${n} ${what}`]);
  const causes = [
    ...count(malformed, 'not a { timestamp, value } of numbers'),
    ...count(notFinite, 'with a value that is not a finite number'),
    ...count(
      old,
      `older than the ${formatDuration(window)} window (the newest ${formatDuration(now - newest)} before now)`,
    ),
    ...count(future, `later than now (the earliest ${formatDuration(earliest - now)} after it)`),
  ];
  const n = raw.length;
  return `the provider answered ${n} sample${n === 1 ? '' : 's'}, none usable: ${causes.join('; ')}`;
}

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
