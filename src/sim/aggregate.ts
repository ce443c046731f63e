import type { ElasticityScores } from './types.js';

// Ranking across runs (elasticity-metrics §1.7, §4.2 item 4). Pure functions of scores already
// computed; none of them knows about traces or the simulator.

/** A metric {@link elasticSpeedup} can compare: the unsigned, lower-is-better SPEC metrics in percent. */
export type SpeedupMetric = 'thetaU' | 'thetaO' | 'tauU' | 'tauO' | 'kappa';

/** Options of {@link elasticSpeedup}. */
export interface ElasticSpeedupOptions {
  /**
   * Each metric is raised to at least this (in percent) before taking ratios, so a run that
   * scores 0 gives a large but finite ratio instead of dividing by zero (§1.7 asks for a
   * documented floor; report it with the speedups).
   *
   * @default 0.01
   */
  readonly floor?: number;
  /**
   * The metrics averaged, with equal weights.
   *
   * @default ['thetaU', 'thetaO', 'tauU', 'tauO']
   */
  readonly metrics?: readonly SpeedupMetric[];
}

const SPEEDUP_METRICS: readonly SpeedupMetric[] = ['thetaU', 'thetaO', 'tauU', 'tauO'];

/**
 * Elastic speedup of a candidate over a baseline (SPEC RG, elasticity-metrics §1.7): the
 * equally weighted geometric mean of `max(baseline, floor) / max(candidate, floor)` over the
 * metrics. Above 1 the candidate is more elastic; exactly 1 against itself. Jitter and k/k′ are
 * left out by default: jitter is signed, so a ratio of it means nothing.
 *
 * @throws RangeError when `floor` is not a finite number > 0 or `metrics` is empty.
 *
 * @example
 * const base = { thetaU: 10, thetaO: 20, tauU: 30, tauO: 40, k: 0, kPrime: 0, kappa: 0, jitter: 0 };
 * elasticSpeedup({ ...base, thetaU: 5, thetaO: 10, tauU: 15, tauO: 20 }, base); // 2
 */
export function elasticSpeedup(
  candidate: ElasticityScores,
  baseline: ElasticityScores,
  options: ElasticSpeedupOptions = {},
): number {
  const floor = options.floor ?? 0.01;
  const metrics = options.metrics ?? SPEEDUP_METRICS;
  if (!(Number.isFinite(floor) && floor > 0)) {
    throw new RangeError(`elasticSpeedup: expected \`floor\` to be a finite number > 0, got ${floor}`);
  }
  if (metrics.length === 0) {
    throw new RangeError('elasticSpeedup: expected `metrics` to name at least one metric, got none');
  }
  // A mean of logs rather than a product of ratios: many large ratios cannot overflow.
  let logSum = 0;
  for (const metric of metrics) {
    logSum += Math.log(Math.max(baseline[metric], floor) / Math.max(candidate[metric], floor));
  }
  return Math.exp(logSum / metrics.length);
}

/** One run for {@link winRates}. */
export interface WinRateEntry {
  /** The policy's label. */
  readonly policy: string;
  /** Which runs compete: one trace × delay, e.g. `"taxi|30s"`. */
  readonly group: string;
  /** Lower-is-better metrics by name (pass |jitter|, not jitter). */
  readonly metrics: Readonly<Record<string, number>>;
}

/**
 * Pairwise competition (elasticity-metrics §1.7): within each group, for every pair of policies
 * and every metric both report, the lower value wins 1 point and a tie gives each 0.5. A policy's
 * win rate is its points divided by the comparisons it took part in, over all groups, in [0, 1].
 *
 * - Runs in different groups never meet.
 * - A comparison where either value is NaN is skipped (it counts for neither).
 * - A policy that took part in no comparison (alone in every group it is in) has no rate and is
 *   left out of the result; the others appear in the order they are first seen.
 *
 * @throws RangeError when a policy appears twice in one group.
 *
 * @example
 * winRates([
 *   { policy: 'a', group: 'g', metrics: { tauU: 1, billedUnitHours: 5 } },
 *   { policy: 'b', group: 'g', metrics: { tauU: 2, billedUnitHours: 5 } },
 * ]); // { a: 0.75, b: 0.25 }
 */
export function winRates(entries: readonly WinRateEntry[]): Record<string, number> {
  const groups = new Map<string, WinRateEntry[]>();
  const points = new Map<string, number>();
  const comparisons = new Map<string, number>();
  for (const entry of entries) {
    const members = groups.get(entry.group) ?? [];
    if (members.some((m) => m.policy === entry.policy)) {
      throw new RangeError(
        `winRates: expected each policy once per group, got \`${entry.policy}\` twice in group \`${entry.group}\``,
      );
    }
    members.push(entry);
    groups.set(entry.group, members);
    points.set(entry.policy, points.get(entry.policy) ?? 0);
    comparisons.set(entry.policy, comparisons.get(entry.policy) ?? 0);
  }
  const award = (policy: string, won: number) => {
    points.set(policy, (points.get(policy) as number) + won);
    comparisons.set(policy, (comparisons.get(policy) as number) + 1);
  };
  for (const members of groups.values()) {
    for (let i = 0; i < members.length; i++) {
      const a = members[i] as WinRateEntry;
      for (let j = i + 1; j < members.length; j++) {
        const b = members[j] as WinRateEntry;
        for (const metric of Object.keys(a.metrics)) {
          if (!Object.hasOwn(b.metrics, metric)) continue;
          const va = a.metrics[metric] as number;
          const vb = b.metrics[metric] as number;
          if (Number.isNaN(va) || Number.isNaN(vb)) continue;
          const aWon = va < vb ? 1 : va > vb ? 0 : 0.5;
          award(a.policy, aWon);
          award(b.policy, 1 - aWon);
        }
      }
    }
  }
  const rates: Record<string, number> = {};
  for (const [policy, count] of comparisons) {
    if (count > 0) rates[policy] = (points.get(policy) as number) / count;
  }
  return rates;
}

/**
 * The cost-vs-SLO Pareto front: the points no other point dominates, where p dominates q when
 * it is no worse on both cost and SLO-violation minutes and strictly better on one. Points equal
 * on both are kept together. Sorted by cost, then SLO minutes, equal points in input order; the
 * points are returned as given (same objects, extra fields kept). Pass one trace × delay at a time.
 *
 * @example
 * paretoFront([
 *   { policy: 'a', cost: 10, sloViolationMinutes: 0 },
 *   { policy: 'b', cost: 5, sloViolationMinutes: 30 },
 *   { policy: 'c', cost: 12, sloViolationMinutes: 0 }, // dominated by a
 * ]); // [b, a]
 */
export function paretoFront<T extends { readonly cost: number; readonly sloViolationMinutes: number }>(
  points: readonly T[],
): T[] {
  const sorted = [...points].sort((p, q) => p.cost - q.cost || p.sloViolationMinutes - q.sloViolationMinutes);
  const front: T[] = [];
  // The least SLO minutes among points strictly cheaper than the current one: a point needs
  // fewer to survive them, and no more than the cheapest-SLO point at its own cost.
  let bestCheaper = Number.POSITIVE_INFINITY;
  let i = 0;
  while (i < sorted.length) {
    const cost = (sorted[i] as T).cost;
    const bestHere = (sorted[i] as T).sloViolationMinutes;
    for (; i < sorted.length && (sorted[i] as T).cost === cost; i++) {
      const point = sorted[i] as T;
      if (point.sloViolationMinutes === bestHere && bestHere < bestCheaper) front.push(point);
    }
    bestCheaper = Math.min(bestCheaper, bestHere);
  }
  return front;
}
