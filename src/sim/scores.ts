import type { ElasticityScores, StepSeries, TimeRange } from './types.js';

// Scoring of one simulated run (elasticity-metrics §1 and §4.2). Everything here is a pure
// function of step series and a range: the simulator builds demand and supply, these functions
// only measure them, so a score can be recomputed from a saved timeline without the simulator.

const HOUR = 3_600_000;

/** Options of {@link elasticityScores}. */
export interface ElasticityScoreOptions {
  /**
   * The floor of the demand θU and θO are divided by, so a range with zero demand still scores
   * a finite surplus (the reference simulator uses one resource unit).
   *
   * @default 1
   */
  readonly epsilon?: number;
}

/**
 * The SPEC RG elasticity metrics of a supply against a demand over a range
 * (elasticity-metrics §1, SPEC form of §4.2), computed exactly: the range is cut at every time
 * point of either series that falls strictly inside it, so a change of supply in the middle of a
 * demand step splits that step. All results are in percent except `jitter`.
 *
 * Conventions:
 * - A series is undefined before its first time point, so both must start at or before
 *   `range.start`; the last value of a series holds to the end of the range.
 * - Intervals are cut at the union of both series' `times` inside `(start, end)`. A time point
 *   whose value equals the previous one still cuts (so a fixed-step replay that passes one point
 *   per step is scored per step, as §1.2 describes); this changes only k and k′, never θ, τ or
 *   jitter.
 * - T = `end − start`; θU = 100/T · Σ (d−s)⁺ / max(d, ε) · Δt and θO = 100/T · Σ (s−d)⁺ /
 *   max(d, ε) · Δt (both normalised by demand, so θO may exceed 100); τU and τO are the shares
 *   of time with s < d and s > d.
 * - k and k′ use the deltas between consecutive intervals (not the levels — see the porting
 *   warning of §1.5): interval t ≥ 2 counts its Δt towards k when sgn(Δs) − sgn(Δd) > 0 (supply
 *   moves more upward than demand) and towards k′ when it is < 0, normalised by T − Δt₁. With a
 *   single interval nothing can change, so k = k′ = 0. κ = k + k′.
 * - Jitter = (E_S − E_D) per hour of the range, where E counts unit changes Σ|Δ| between
 *   consecutive intervals, so a change at or before `range.start` (e.g. in a warm-up) does not
 *   count. Positive: supply adapts more than demand (thrashing); negative: less (sluggish).
 *
 * @param demand d: the minimal units meeting the SLO.
 * @param supply s: the units ready to serve (booting and draining units excluded).
 * @param range the scored range `[start, end)`, non-empty.
 * @throws RangeError when the range is empty, a series is malformed or starts after
 *   `range.start`, or `epsilon` is not > 0.
 *
 * @example
 * // Demand rises at 30 ms, supply follows at 45 ms: under-provisioned for 15 of 60 ms.
 * elasticityScores({ times: [0, 30], values: [2, 3] }, { times: [0, 45], values: [2, 3] }, { start: 0, end: 60 });
 * // { thetaU: 8.33…, thetaO: 0, tauU: 25, tauO: 0, k: 50, kPrime: 50, kappa: 100, jitter: 0 }
 */
export function elasticityScores(
  demand: StepSeries,
  supply: StepSeries,
  range: TimeRange,
  options: ElasticityScoreOptions = {},
): ElasticityScores {
  const fn = 'elasticityScores';
  checkRange(fn, range, false);
  checkSeries(fn, 'demand', demand, range);
  checkSeries(fn, 'supply', supply, range);
  const epsilon = options.epsilon ?? 1;
  if (!(Number.isFinite(epsilon) && epsilon > 0)) {
    throw new RangeError(`${fn}: expected \`epsilon\` to be a finite number > 0, got ${epsilon}`);
  }

  const pieces = cut([demand, supply], range);
  const total = range.end - range.start;
  let underArea = 0;
  let overArea = 0;
  let underTime = 0;
  let overTime = 0;
  let upTime = 0;
  let againstTime = 0;
  let supplyChanges = 0;
  let demandChanges = 0;
  let previous: Piece | undefined;
  for (const piece of pieces) {
    const [d, s] = piece.values as [number, number];
    const dt = piece.end - piece.start;
    if (d > s) {
      underArea += ((d - s) / Math.max(d, epsilon)) * dt;
      underTime += dt;
    } else if (s > d) {
      overArea += ((s - d) / Math.max(d, epsilon)) * dt;
      overTime += dt;
    }
    if (previous !== undefined) {
      const [dPrevious, sPrevious] = previous.values as [number, number];
      const deltaD = d - dPrevious;
      const deltaS = s - sPrevious;
      // min(1, max(0, ·)) of a difference of signs is just "is it positive".
      const direction = Math.sign(deltaS) - Math.sign(deltaD);
      if (direction > 0) upTime += dt;
      else if (direction < 0) againstTime += dt;
      supplyChanges += Math.abs(deltaS);
      demandChanges += Math.abs(deltaD);
    }
    previous = piece;
  }

  const first = pieces[0] as Piece;
  const afterFirst = total - (first.end - first.start);
  const k = afterFirst > 0 ? (100 * upTime) / afterFirst : 0;
  const kPrime = afterFirst > 0 ? (100 * againstTime) / afterFirst : 0;
  return {
    thetaU: (100 * underArea) / total,
    thetaO: (100 * overArea) / total,
    tauU: (100 * underTime) / total,
    tauO: (100 * overTime) / total,
    k,
    kPrime,
    kappa: k + kPrime,
    jitter: ((supplyChanges - demandChanges) * HOUR) / total,
  };
}

/**
 * The integral of a step series over a range, in value·ms: with units ready over time, the
 * unit-milliseconds (divide by 3,600,000 for unit-hours). An empty range integrates to 0.
 *
 * @throws RangeError when `range.end < range.start`, or the series is malformed or starts after
 *   `range.start` (a series is undefined before its first point).
 *
 * @example
 * integrate({ times: [0, 60], values: [2, 5] }, { start: 30, end: 90 }); // 2·30 + 5·30 = 210
 */
export function integrate(series: StepSeries, range: TimeRange): number {
  checkRange('integrate', range, true);
  checkSeries('integrate', 'series', series, range);
  let area = 0;
  for (const piece of cut([series], range)) area += (piece.values[0] as number) * (piece.end - piece.start);
  return area;
}

/**
 * How long, in ms, the load exceeded what the supply serves: λ > s · c, strictly, so a load
 * exactly at capacity is no violation. The comparison is made as λ / c > s, which is exactly
 * `ceil(λ / c) > s` for whole s: the time agrees with τU · T / 100 to the last bit when demand is
 * {@link demandSeries}`(load, c)`, even where float rounding makes λ and s · c disagree.
 *
 * @param load λ, in the trace's unit.
 * @param supply s, the units ready to serve.
 * @param capacityPerUnit c, the load one ready unit serves while meeting the SLO; > 0.
 * @throws RangeError on a malformed series or range, or `capacityPerUnit` not > 0.
 *
 * @example
 * // λ = 20 is exactly 2 × 10 (no violation); λ = 25 > 2 × 10 for 15 ms.
 * sloViolationTime({ times: [0, 30], values: [20, 25] }, { times: [0, 45], values: [2, 3] }, 10, { start: 0, end: 60 }); // 15
 */
export function sloViolationTime(
  load: StepSeries,
  supply: StepSeries,
  capacityPerUnit: number,
  range: TimeRange,
): number {
  const fn = 'sloViolationTime';
  checkRange(fn, range, true);
  checkSeries(fn, 'load', load, range);
  checkSeries(fn, 'supply', supply, range);
  checkCapacity(fn, capacityPerUnit);
  let violated = 0;
  for (const piece of cut([load, supply], range)) {
    const [lambda, s] = piece.values as [number, number];
    if (lambda / capacityPerUnit > s) violated += piece.end - piece.start;
  }
  return violated;
}

/**
 * The share of offered load the supply could not serve, ∫(λ − s·c)⁺ dt / ∫λ dt, in [0, 1];
 * 0 when there is no load at all (nothing was left unserved).
 *
 * @param load λ, in the trace's unit, ≥ 0.
 * @param supply s, the units ready to serve.
 * @param capacityPerUnit c, the load one ready unit serves while meeting the SLO; > 0.
 * @throws RangeError on a malformed series or range, or `capacityPerUnit` not > 0.
 *
 * @example
 * // Only 25 − 20 = 5 of load is unserved, for 15 ms, out of 20·30 + 25·30 = 1350.
 * unservedShare({ times: [0, 30], values: [20, 25] }, { times: [0, 45], values: [2, 3] }, 10, { start: 0, end: 60 }); // 75 / 1350
 */
export function unservedShare(
  load: StepSeries,
  supply: StepSeries,
  capacityPerUnit: number,
  range: TimeRange,
): number {
  const fn = 'unservedShare';
  checkRange(fn, range, true);
  checkSeries(fn, 'load', load, range);
  checkSeries(fn, 'supply', supply, range);
  checkCapacity(fn, capacityPerUnit);
  let offered = 0;
  let unserved = 0;
  for (const piece of cut([load, supply], range)) {
    const [lambda, s] = piece.values as [number, number];
    const dt = piece.end - piece.start;
    offered += lambda * dt;
    unserved += Math.max(0, lambda - s * capacityPerUnit) * dt;
  }
  return offered > 0 ? unserved / offered : 0;
}

/** One unit's paid lifetime, `[launchedAt, releasedAt)` in ms. */
export interface UnitLifetime {
  /** When billing started (launch, not ready), ms. */
  readonly launchedAt: number;
  /** When billing ended, ms; after `launchedAt`. A unit still running is released at the end of the run. */
  readonly releasedAt: number;
}

/** How a unit's lifetime is charged, in ms. */
export interface UnitBilling {
  /** Billed time is rounded up to a multiple of this; 0 bills exactly. */
  readonly granularity: number;
  /** Each unit is billed at least this long; 0 for no minimum. */
  readonly minimum: number;
}

/** What {@link unitCharges} returns. */
export interface UnitCharges {
  /** Unit-hours paid inside the range, exactly from launch to release. */
  readonly unitHours: number;
  /** Unit-hours charged after granularity and minimum, attributed to the range. */
  readonly billedUnitHours: number;
}

/**
 * The unit-hours paid inside a range, exactly and as billed.
 *
 * - `unitHours`: each unit's `[launchedAt, releasedAt)` clipped to the range, summed.
 * - `billedUnitHours`: each unit is charged for its whole lifetime L once,
 *   max(minimum, ⌈L / granularity⌉ · granularity) (granularity 0: L itself), and the range gets
 *   the share of that charge equal to the share of L inside the range. A range covering every
 *   unit therefore gets exactly the per-unit charges; a unit's rounding is spread over its life
 *   rather than landing wholly in whichever range holds its release.
 *
 * @throws RangeError when a unit has `releasedAt ≤ launchedAt` or a non-finite time, the billing
 *   values are not finite and ≥ 0, or `range.end < range.start`.
 *
 * @example
 * // 90 min billed hourly is charged 2 h; the first hour holds 60 of its 90 minutes.
 * unitCharges([{ launchedAt: 0, releasedAt: 5_400_000 }], { granularity: 3_600_000, minimum: 0 }, { start: 0, end: 3_600_000 });
 * // { unitHours: 1, billedUnitHours: 2 × 60 / 90 = 1.33… }
 */
export function unitCharges(
  units: readonly UnitLifetime[],
  billing: UnitBilling,
  range: TimeRange,
): UnitCharges {
  const fn = 'unitCharges';
  checkRange(fn, range, true);
  const { granularity, minimum } = billing;
  if (!(Number.isFinite(granularity) && granularity >= 0)) {
    throw new RangeError(
      `${fn}: expected \`billing.granularity\` to be a finite number ≥ 0 of ms, got ${granularity}`,
    );
  }
  if (!(Number.isFinite(minimum) && minimum >= 0)) {
    throw new RangeError(
      `${fn}: expected \`billing.minimum\` to be a finite number ≥ 0 of ms, got ${minimum}`,
    );
  }
  let paid = 0;
  let billed = 0;
  units.forEach(({ launchedAt, releasedAt }, i) => {
    if (!(Number.isFinite(launchedAt) && Number.isFinite(releasedAt))) {
      throw new RangeError(
        `${fn}: expected \`units[${i}]\` to have finite times, got launchedAt ${launchedAt} and releasedAt ${releasedAt}`,
      );
    }
    if (releasedAt <= launchedAt) {
      throw new RangeError(
        `${fn}: expected \`units[${i}].releasedAt\` to be after launchedAt ${launchedAt}, got ${releasedAt}`,
      );
    }
    const lifetime = releasedAt - launchedAt;
    const inside = Math.max(0, Math.min(releasedAt, range.end) - Math.max(launchedAt, range.start));
    if (inside === 0) return;
    const rounded = granularity > 0 ? Math.ceil(lifetime / granularity) * granularity : lifetime;
    const charge = Math.max(minimum, rounded);
    paid += inside;
    // inside / lifetime is exactly 1 for a unit wholly inside, so it is charged exactly.
    billed += charge * (inside / lifetime);
  });
  return { unitHours: paid / HOUR, billedUnitHours: billed / HOUR };
}

export { latencyStats } from '../core/statistics.js';

/**
 * The demand step series of a load: d = max(minimum, ⌈λ / c⌉) at each point, the minimal whole
 * number of units whose capacity covers the load, with consecutive equal values merged so every
 * time point left is a real change.
 *
 * @param load λ, in the trace's unit.
 * @param capacityPerUnit c, the load one ready unit serves while meeting the SLO; > 0.
 * @param minimum the least demand (e.g. the group's minimum capacity). @default 0
 * @throws RangeError when the series is malformed or `capacityPerUnit` is not > 0.
 *
 * @example
 * demandSeries({ times: [0, 60, 120, 180], values: [0, 25, 30, 31] }, 10);
 * // { times: [0, 60, 180], values: [0, 3, 4] }
 */
export function demandSeries(load: StepSeries, capacityPerUnit: number, minimum = 0): StepSeries {
  checkSeries('demandSeries', 'load', load, undefined);
  checkCapacity('demandSeries', capacityPerUnit);
  const times: number[] = [];
  const values: number[] = [];
  load.times.forEach((t, i) => {
    const d = Math.max(minimum, Math.ceil((load.values[i] as number) / capacityPerUnit));
    if (values.length > 0 && values[values.length - 1] === d) return;
    times.push(t);
    values.push(d);
  });
  return { times, values };
}

interface Piece {
  readonly start: number;
  readonly end: number;
  /** The value of each series over `[start, end)`, in the order the series were given. */
  readonly values: readonly number[];
}

// Cut the range at every time point of any series inside it. Each series must already be known
// to start at or before range.start.
function cut(series: readonly StepSeries[], range: TimeRange): Piece[] {
  const index = series.map(({ times }) => lastAtOrBefore(times, range.start));
  const pieces: Piece[] = [];
  let at = range.start;
  while (at < range.end) {
    let next = range.end;
    series.forEach(({ times }, k) => {
      const t = times[(index[k] as number) + 1];
      if (t !== undefined && t < next) next = t;
    });
    pieces.push({
      start: at,
      end: next,
      values: series.map(({ values }, k) => values[index[k] as number] as number),
    });
    series.forEach(({ times }, k) => {
      if (times[(index[k] as number) + 1] === next) index[k] = (index[k] as number) + 1;
    });
    at = next;
  }
  return pieces;
}

// The index of the last time ≤ t (times strictly increasing, times[0] ≤ t).
function lastAtOrBefore(times: readonly number[], t: number): number {
  let lo = 0;
  let hi = times.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if ((times[mid] as number) <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function checkRange(fn: string, range: TimeRange, allowEmpty: boolean): void {
  const { start, end } = range;
  if (!(Number.isFinite(start) && Number.isFinite(end))) {
    throw new RangeError(`${fn}: expected \`range\` to have finite start and end, got [${start}, ${end})`);
  }
  if (allowEmpty ? end < start : end <= start) {
    throw new RangeError(
      `${fn}: expected \`range.end\` to be ${allowEmpty ? 'at least' : 'after'} range.start ${start}, got ${end}`,
    );
  }
}

function checkSeries(fn: string, name: string, series: StepSeries, range: TimeRange | undefined): void {
  const { times, values } = series;
  if (times.length !== values.length) {
    throw new RangeError(
      `${fn}: expected \`${name}\` to have as many values as times (${times.length}), got ${values.length}`,
    );
  }
  for (let i = 0; i < times.length; i++) {
    const t = times[i] as number;
    if (!Number.isFinite(t) || (i > 0 && t <= (times[i - 1] as number))) {
      throw new RangeError(
        `${fn}: expected \`${name}.times\` to be finite and strictly increasing, got ${t} at index ${i}`,
      );
    }
  }
  if (range === undefined) return;
  const first = times[0];
  if (first === undefined) {
    throw new RangeError(`${fn}: expected \`${name}\` to have at least one point, got none`);
  }
  if (first > range.start) {
    throw new RangeError(
      `${fn}: expected \`${name}\` to start at or before range.start ${range.start}, got its first point at ${first} (a series is undefined before its first point)`,
    );
  }
}

function checkCapacity(fn: string, capacityPerUnit: number): void {
  if (!(Number.isFinite(capacityPerUnit) && capacityPerUnit > 0)) {
    throw new RangeError(
      `${fn}: expected \`capacityPerUnit\` to be a finite number > 0, got ${capacityPerUnit}`,
    );
  }
}
