import type { DurationInput } from '../core/duration.js';
import {
  type AnalyticsRange,
  checkDuration,
  checkRange,
  checkTarget,
  checkTime,
  checkTolerance,
  invalid,
  isObject,
} from './records.js';

/** One metric sample as `getMetricHistory` returns it: `[timestamp ms, value]`. */
export type MetricPoint = readonly [timestamp: number, value: number];

/** Options of {@link efficiencyScore}. */
export interface EfficiencyOptions {
  /** The metric's target (the `target` of a target-tracking rule); greater than 0. */
  readonly target: number;
  /**
   * Below `target × (1 − tolerance)` counts as over-provisioned; in [0, 1]. Matches the
   * target-tracking rule's default. @default 0.1
   */
  readonly tolerance?: number;
  /** Score only this range; the last sample then holds until `range.to`. @default the samples' span */
  readonly range?: AnalyticsRange;
  /**
   * A sample holds for at most this long (`"2m"` or ms); longer gaps between samples count as
   * no data rather than as the last value held. @default no limit
   */
  readonly maxGap?: DurationInput;
}

/** What {@link efficiencyScore} returns. Shares and scores are null when no time was covered. */
export interface EfficiencyReport {
  /** The target used. */
  readonly target: number;
  /** The tolerance used. */
  readonly tolerance: number;
  /** Time-weighted mean of `min(max(v, 0), target) / target`, in [0, 1]; 1 is every unit busy up to target. */
  readonly efficiency: number | null;
  /** Share of time with `v > target` (under-provisioned: units busier than wanted). */
  readonly underProvisionedShare: number | null;
  /** Share of time with `v < target × (1 − tolerance)` (over-provisioned: units idler than wanted). */
  readonly overProvisionedShare: number | null;
  /** Time-weighted mean of the metric. */
  readonly meanValue: number | null;
  /** Time covered by samples, ms (the `T` of the formula). */
  readonly observed: number;
  /** Samples that covered some of that time. */
  readonly samples: number;
}

/**
 * How well capacity matched load, from a utilization-like metric (a busy ratio, CPU share — a
 * metric with a `target`, not a `targetPerUnit` total) and its target.
 *
 * Each sample `(tᵢ, vᵢ)` holds from `tᵢ` until the next sample (the last one until `range.to`;
 * without a range it covers no time), for at most `maxGap`, clipped to `range`. With `Δᵢ` those
 * durations and `T = ΣΔᵢ`:
 *
 * - `efficiency = Σ Δᵢ · min(max(vᵢ, 0), target) / target / T`
 * - `underProvisionedShare = Σ{vᵢ > target} Δᵢ / T`
 * - `overProvisionedShare = Σ{vᵢ < target · (1 − tolerance)} Δᵢ / T`
 * - `meanValue = Σ Δᵢ · vᵢ / T`
 *
 * Load above target is capped at 1 rather than rewarded: units running hot are efficient but
 * under-provisioned, which the second share reports. Samples before `range.from` count for the
 * part of their hold inside the range.
 *
 * @param samples `[timestamp, value]` pairs with strictly increasing timestamps, e.g.
 *   `manager.getMetricHistory('web', 'busy_ratio')`
 * @throws RangeError on a malformed sample or option (the message names the path)
 * @example
 * const day = { from: now - 86_400_000, to: now };
 * const score = efficiencyScore(manager.getMetricHistory('web', 'busy_ratio', { to: day.to }),
 *   { target: 0.7, range: day });
 * console.log(`efficiency ${score.efficiency}, ${score.overProvisionedShare} of the day idle`);
 */
export function efficiencyScore(
  samples: readonly MetricPoint[],
  options: EfficiencyOptions,
): EfficiencyReport {
  if (!isObject(options)) throw invalid('options', 'an object with a target', options);
  const target = checkTarget(options.target, 'options.target');
  const tolerance =
    options.tolerance === undefined ? 0.1 : checkTolerance(options.tolerance, 'options.tolerance');
  const range = options.range === undefined ? undefined : checkRange(options.range, 'options.range');
  const maxGap =
    options.maxGap === undefined ? Number.POSITIVE_INFINITY : checkDuration(options.maxGap, 'options.maxGap');
  checkSamples(samples);

  const low = target * (1 - tolerance);
  const from = range?.from ?? Number.NEGATIVE_INFINITY;
  const to = range?.to ?? Number.POSITIVE_INFINITY;
  let observed = 0;
  let used = 0;
  let weighted = 0;
  let sum = 0;
  let under = 0;
  let over = 0;
  for (let i = 0; i < samples.length; i++) {
    const [t, v] = samples[i] as MetricPoint;
    const next = i + 1 < samples.length ? (samples[i + 1] as MetricPoint)[0] : (range?.to ?? t);
    const start = Math.max(t, from);
    const end = Math.min(next, t + maxGap, to);
    if (!(end > start)) continue;
    const dt = end - start;
    observed += dt;
    used++;
    weighted += (dt * Math.min(Math.max(v, 0), target)) / target;
    sum += dt * v;
    if (v > target) under += dt;
    else if (v < low) over += dt;
  }
  if (observed === 0) {
    return {
      target,
      tolerance,
      efficiency: null,
      underProvisionedShare: null,
      overProvisionedShare: null,
      meanValue: null,
      observed: 0,
      samples: 0,
    };
  }
  return {
    target,
    tolerance,
    efficiency: weighted / observed,
    underProvisionedShare: under / observed,
    overProvisionedShare: over / observed,
    meanValue: sum / observed,
    observed,
    samples: used,
  };
}

function checkSamples(samples: unknown): void {
  if (!Array.isArray(samples)) throw invalid('samples', 'an array of [timestamp, value] pairs', samples);
  let previous = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < samples.length; i++) {
    const sample: unknown = samples[i];
    if (!Array.isArray(sample) || sample.length !== 2)
      throw invalid(`samples[${i}]`, 'a [timestamp, value] pair', sample);
    const t = checkTime(sample[0], `samples[${i}][0]`);
    if (!(t > previous))
      throw invalid(`samples[${i}][0]`, `a timestamp after the previous one (${previous})`, t);
    const v: unknown = sample[1];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(`samples[${i}][1]`, 'a finite number', v);
    previous = t;
  }
}
