import type { ScalingGroupConfigInput } from '../config/group.js';
import type { BehaviorInput } from '../core/behavior.js';
import type { CustomRuleFunction } from '../rules/custom.js';
import type { BaselineName } from './types.js';

/** Every baseline the simulator ships, in the order comparisons list them. */
export const BASELINES: readonly BaselineName[] = [
  'static-peak',
  'static-mean',
  'oracle',
  'oracle-lead',
  'hpa-like',
  'react',
  'hist',
  'reg',
];

/** What a baseline may know about the run: sizes, not the future. */
export interface BaselineContext {
  /** Load one ready unit serves at the SLO. */
  readonly capacityPerUnit: number;
  /** The largest demand of the trace, units (static-peak is sized by it; others use it as a bound). */
  readonly peakDemand: number;
  /** The mean load of the trace (static-mean is sized by it). */
  readonly meanLoad: number;
}

/** A policy ready to run: a group config for the manager, or an oracle the simulator plays itself. */
export type ResolvedPolicy =
  | { readonly name: string; readonly kind: 'group'; readonly config: ScalingGroupConfigInput }
  | { readonly name: string; readonly kind: 'oracle'; readonly lead: boolean };

/**
 * tideway's suggested starting policy for a simulation: target tracking on the load per unit at
 * 80 % of the capacity per unit (the highest sample of the last 2 minutes, so a spike is not
 * averaged away), a 30-second period, and the Kubernetes behaviour defaults (scale up fast,
 * scale down after a 5-minute stabilization window).
 *
 * @example
 * simulate({ trace, policy: defaultPolicy({ capacityPerUnit: 1000, peakDemand: 40 }), fleet });
 */
export function defaultPolicy(
  context: Pick<BaselineContext, 'capacityPerUnit' | 'peakDemand'>,
): ScalingGroupConfigInput {
  return {
    id: 'tideway-default',
    minCapacity: 1,
    maxCapacity: Math.max(10, 2 * context.peakDemand),
    evaluationInterval: '30s',
    rules: [
      {
        kind: 'target-tracking',
        metric: 'load',
        targetPerUnit: 0.8 * context.capacityPerUnit,
        statistic: 'max',
        window: '2m',
      },
    ],
  };
}

// The re-implemented research baselines react at once, in both directions: no stabilization,
// and rate policies too wide to bind, so what they do is what their description says.
const UNLIMITED: BehaviorInput = {
  scaleUp: {
    stabilizationWindow: 0,
    policies: [
      { type: 'units', value: 1_000_000, period: '1s' },
      { type: 'percent', value: 1_000_000, period: '1s' },
    ],
  },
  scaleDown: { stabilizationWindow: 0, policies: [{ type: 'percent', value: 100, period: '1s' }] },
};

const LOAD = [{ name: 'load', window: '1h' }];

/**
 * The policy a baseline name stands for.
 * - `static-peak` / `static-mean`: a fixed fleet sized for the peak demand / the mean load.
 * - `oracle`: supply equals demand at every instant, with no delay (the cost lower bound).
 * - `oracle-lead`: perfect foresight under the real delays — each unit launched its own sampled
 *   provisioning delay before it is needed (the best any predictive policy can do).
 * - `hpa-like`: Kubernetes HPA defaults — target tracking on the latest utilization at 80 %, 15 s period,
 *   10 % tolerance, 5-minute scale-down stabilization, default rate policies.
 * - `react`, `hist`, `reg`: see {@link reactRule}, {@link histRule}, {@link regRule}.
 *
 * @example
 * baselinePolicy('hpa-like', { capacityPerUnit: 100, peakDemand: 12, meanLoad: 400 });
 */
export function baselinePolicy(name: BaselineName, context: BaselineContext): ResolvedPolicy {
  const c = context.capacityPerUnit;
  const bound = Math.max(10, 2 * context.peakDemand);
  switch (name) {
    case 'static-peak':
    case 'static-mean': {
      const size = Math.max(1, name === 'static-peak' ? context.peakDemand : Math.ceil(context.meanLoad / c));
      return {
        name,
        kind: 'group',
        config: {
          id: name,
          minCapacity: size,
          maxCapacity: size,
          desiredCapacity: size,
          evaluationInterval: '1h',
        },
      };
    }
    case 'oracle':
      return { name, kind: 'oracle', lead: false };
    case 'oracle-lead':
      return { name, kind: 'oracle', lead: true };
    case 'hpa-like':
      return {
        name,
        kind: 'group',
        config: {
          id: name,
          minCapacity: 1,
          maxCapacity: bound,
          evaluationInterval: '15s',
          // The latest sample, as the HPA reads the current per-pod utilization: an average over
          // samples taken with other ready counts, multiplied by today's count, overshoots.
          rules: [{ kind: 'target-tracking', metric: 'utilization', target: 0.8, statistic: 'last' }],
        },
      };
    case 'react':
      return custom(name, '30s', bound, reactRule(c));
    case 'hist':
      return custom(name, '60s', bound, histRule(c));
    case 'reg':
      return custom(name, '60s', bound, regRule(c));
  }
}

function custom(name: string, interval: string, max: number, propose: CustomRuleFunction): ResolvedPolicy {
  return {
    name,
    kind: 'group',
    config: {
      id: name,
      minCapacity: 1,
      maxCapacity: max,
      evaluationInterval: interval,
      behavior: UNLIMITED,
      rules: [{ kind: 'custom', name, metrics: LOAD, propose }],
    },
  };
}

/**
 * React (Chieu et al., as in the ICPE 2017 study): keep allocated capacity within a 2-unit
 * headroom band above demand. When load reaches allocated capacity, go to demand + 2; when the
 * surplus exceeds 2 units, come down to demand + 2 (the intended band; the reference prototype's
 * "surplus + 2" looks like a sign slip and is not copied).
 */
export function reactRule(capacityPerUnit: number): CustomRuleFunction {
  return ({ value, capacity }) => {
    const load = value('load');
    if (load === undefined) return null;
    const demand = Math.ceil(load / capacityPerUnit);
    if (load >= capacity * capacityPerUnit)
      return { capacity: demand + 2, message: `load ${load} reached capacity` };
    if (capacity - demand > 2)
      return { capacity: demand + 2, message: `surplus of ${capacity - demand} units` };
    return capacity;
  };
}

const HOUR = 3_600_000;

/**
 * Hist (Urgaonkar et al.): per hour of day (UTC), a histogram of the demand seen; provision the
 * 90th percentile (nearest rank) of the current hour's histogram; when more than 5 of the last
 * 10 provisions fell short of the demand that followed, add 2 units (reactive repair).
 * Keeps state between ticks, so one rule instance serves one run.
 */
export function histRule(capacityPerUnit: number): CustomRuleFunction {
  const histograms = Array.from({ length: 24 }, () => new Map<number, number>());
  const totals = new Array<number>(24).fill(0);
  const shortfalls: boolean[] = [];
  let provisioned: number | null = null;
  return ({ now, value }) => {
    const load = value('load');
    if (load === undefined) return null;
    const demand = Math.ceil(load / capacityPerUnit);
    if (provisioned !== null) {
      shortfalls.push(demand > provisioned);
      if (shortfalls.length > 10) shortfalls.shift();
    }
    const hour = Math.floor(now / HOUR) % 24;
    const histogram = histograms[hour] as Map<number, number>;
    histogram.set(demand, (histogram.get(demand) ?? 0) + 1);
    totals[hour] = (totals[hour] as number) + 1;
    let want = percentile(histogram, totals[hour] as number, 0.9);
    const misses = shortfalls.filter(Boolean).length;
    if (misses > 5) want += 2;
    provisioned = want;
    return {
      capacity: want,
      message: `p90 of hour ${hour} is ${want - (misses > 5 ? 2 : 0)}${misses > 5 ? ' + 2 after repeated shortfalls' : ''}`,
    };
  };
}

function percentile(histogram: Map<number, number>, total: number, q: number): number {
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (const value of [...histogram.keys()].sort((a, b) => a - b)) {
    seen += histogram.get(value) as number;
    if (seen >= rank) return value;
  }
  return 0;
}

const REG_WINDOW = 72;

/**
 * Reg (Iqbal et al.): scale up reactively to demand; scale down only to what a quadratic
 * least-squares fit over the last 72 demand samples predicts for the next one (never below the
 * current demand). Needs 72 samples before it scales down. Keeps state between ticks.
 */
export function regRule(capacityPerUnit: number): CustomRuleFunction {
  const window: number[] = [];
  const predictNext = quadraticPredictor(REG_WINDOW);
  return ({ value, capacity }) => {
    const load = value('load');
    if (load === undefined) return null;
    const demand = Math.ceil(load / capacityPerUnit);
    window.push(demand);
    if (window.length > REG_WINDOW) window.shift();
    if (demand > capacity) return { capacity: demand, message: `demand ${demand} is above capacity` };
    if (window.length < REG_WINDOW) return capacity;
    // The fit of a constant can come out a hair above it (3.0000000000000395); that is not a unit.
    const predicted = Math.max(demand, Math.ceil(predictNext(window) - 1e-9));
    if (predicted < capacity)
      return { capacity: predicted, message: `quadratic trend predicts ${predicted}` };
    return capacity;
  };
}

/**
 * Least-squares fit of y = a + b·x + c·x² over x = 0…n−1, evaluated at x = n. The design matrix
 * is fixed, so its normal-equation inverse is worked out once; each prediction is O(n).
 */
export function quadraticPredictor(n: number): (ys: readonly number[]) => number {
  const s = [0, 0, 0, 0, 0];
  for (let x = 0; x < n; x++) for (let k = 0; k <= 4; k++) s[k] = (s[k] as number) + x ** k;
  const m = [
    [s[0], s[1], s[2]],
    [s[1], s[2], s[3]],
    [s[2], s[3], s[4]],
  ] as number[][];
  const inv = invert3(m);
  return (ys) => {
    let t0 = 0;
    let t1 = 0;
    let t2 = 0;
    for (let x = 0; x < ys.length; x++) {
      const y = ys[x] as number;
      t0 += y;
      t1 += x * y;
      t2 += x * x * y;
    }
    const coef = [0, 1, 2].map(
      (r) => (inv[r]?.[0] as number) * t0 + (inv[r]?.[1] as number) * t1 + (inv[r]?.[2] as number) * t2,
    );
    return (coef[0] as number) + (coef[1] as number) * n + (coef[2] as number) * n * n;
  };
}

function invert3(m: number[][]): number[][] {
  const [a, b, c] = m[0] as number[];
  const [d, e, f] = m[1] as number[];
  const [g, h, i] = m[2] as number[];
  const A = (e as number) * (i as number) - (f as number) * (h as number);
  const B = -((d as number) * (i as number) - (f as number) * (g as number));
  const C = (d as number) * (h as number) - (e as number) * (g as number);
  const det = (a as number) * A + (b as number) * B + (c as number) * C;
  const k = 1 / det;
  return [
    [
      A * k,
      -((b as number) * (i as number) - (c as number) * (h as number)) * k,
      ((b as number) * (f as number) - (c as number) * (e as number)) * k,
    ],
    [
      B * k,
      ((a as number) * (i as number) - (c as number) * (g as number)) * k,
      -((a as number) * (f as number) - (c as number) * (d as number)) * k,
    ],
    [
      C * k,
      -((a as number) * (h as number) - (b as number) * (g as number)) * k,
      ((a as number) * (e as number) - (b as number) * (d as number)) * k,
    ],
  ];
}
