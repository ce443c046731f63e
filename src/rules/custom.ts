import { z } from 'zod';
import { aggregate, type Statistic } from '../core/statistics.js';
import type { MetricObservation, Observation, Proposal } from '../core/types.js';
import type { MetricSample } from '../ports/metrics.js';
import { metricWindowSchema, reasonOfChange } from './shared.js';

/** What a custom rule's function receives. */
export interface CustomRuleContext {
  /** The tick's time, ms. */
  readonly now: number;
  /** Current desired capacity. */
  readonly capacity: number;
  /** Capacity ready and serving. */
  readonly readyCapacity: number;
  /** A metric the rule declared, as observed (samples inside the declared window). */
  metric(name: string): MetricObservation;
  /** A statistic of a declared metric over its window, or undefined without data. @default 'last' */
  value(name: string, statistic?: Statistic): number | undefined;
}

/** What a custom rule's function may return: a capacity, a capacity with a sentence, or null to abstain. */
export type CustomRuleOutput =
  | number
  | { readonly capacity: number; readonly message?: string }
  | null
  | undefined;

/** A custom rule's function. Keep it pure (a function of its input) to keep decisions repeatable. */
export type CustomRuleFunction = (input: CustomRuleContext) => CustomRuleOutput;

const metricSpec = z.strictObject({
  name: z.string().min(1),
  window: metricWindowSchema,
  perUnit: z.boolean().default(false),
});

/**
 * Zod schema of a custom rule: a typed function for what plain data cannot say. It declares
 * the metrics it reads (so the manager fetches them) and returns the capacity it wants.
 *
 * Functions are not JSON: a group with a custom rule can be snapshotted, but its snapshot can
 * only be restored by a manager that is given the same function again.
 */
export const customRuleSchema = z.strictObject({
  kind: z.literal('custom'),
  name: z.string().min(1),
  metrics: z.array(metricSpec).default([]),
  propose: z.custom<CustomRuleFunction>((v) => typeof v === 'function', {
    params: { expected: 'a function (input) => capacity | { capacity, message } | null' },
  }),
});

/** A custom rule as written. */
export type CustomRuleInput = z.input<typeof customRuleSchema>;
/** A custom rule with defaults applied. */
export type CustomRule = z.output<typeof customRuleSchema>;

const MISSING: MetricObservation = { status: 'missing', samples: [] };

/**
 * Run a custom rule. A number that is not a whole number ≥ 0 (after rounding up a fraction), or
 * a function that throws, makes the rule `invalid` (which blocks scale-in, never scale-out);
 * null or undefined abstains.
 *
 * @example
 * proposeCustom({ kind: 'custom', name: 'two', metrics: [], propose: () => 2 }, 0, observation).capacity; // 2
 */
export function proposeCustom(rule: CustomRule, index: number, observation: Observation): Proposal {
  const windows = new Map(rule.metrics.map((m) => [m.name, m.window]));
  // The observation holds the widest window any rule asked for; this rule sees its own.
  const metric = (name: string): MetricObservation => {
    const window = windows.get(name);
    const observed = window === undefined ? undefined : observation.metrics[name];
    if (observed === undefined || window === undefined) return MISSING;
    if (observed.status !== 'ok') return observed;
    const since = observation.now - window;
    const first = observed.samples[0];
    if (first === undefined || first.timestamp > since) return observed;
    const samples = observed.samples.filter((s) => s.timestamp > since);
    if (samples.length === 0) return MISSING;
    if (observed.perUnit === undefined) return { ...observed, samples };
    const perUnit: Record<string, readonly MetricSample[]> = {};
    for (const [unit, unitSamples] of Object.entries(observed.perUnit)) {
      perUnit[unit] = unitSamples.filter((s) => s.timestamp > since);
    }
    return { ...observed, samples, perUnit };
  };
  const input: CustomRuleContext = {
    now: observation.now,
    capacity: observation.capacity,
    readyCapacity: observation.readyCapacity,
    metric,
    value(name, statistic = 'last') {
      const observed = metric(name);
      if (observed.status !== 'ok') return undefined;
      return aggregate(observed.samples, statistic, observation.now - (windows.get(name) as number));
    },
  };
  let output: CustomRuleOutput;
  try {
    output = rule.propose(input);
  } catch (error) {
    return invalid(
      rule,
      index,
      `custom rule ${rule.name} threw: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (output === null || output === undefined) {
    return {
      rule: rule.name,
      ruleIndex: index,
      outcome: 'abstain',
      reason: 'Abstained',
      message: `${rule.name} abstained`,
    };
  }
  const wanted = typeof output === 'number' ? output : output?.capacity;
  if (typeof wanted !== 'number' || !Number.isFinite(wanted) || wanted < 0) {
    return invalid(rule, index, `custom rule ${rule.name} returned ${String(wanted)}; expected a number ≥ 0`);
  }
  const capacity = Math.ceil(wanted);
  const message =
    typeof output === 'object' && output.message ? output.message : `${rule.name} wants ${capacity}`;
  const current = observation.capacity;
  return {
    rule: rule.name,
    ruleIndex: index,
    outcome: 'propose',
    capacity,
    reason: reasonOfChange(capacity, current),
    message,
  };
}

function invalid(rule: CustomRule, index: number, message: string): Proposal {
  return { rule: rule.name, ruleIndex: index, outcome: 'invalid', reason: 'RuleFailed', message };
}
