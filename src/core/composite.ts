import { z } from 'zod';
import type { MetricQuery } from '../ports/metrics.js';
import type { ArbitrationMode } from './arbitrate.js';
import { positiveDurationSchema } from './duration.js';
import {
  describeFormulaError,
  evaluateFormula,
  metricReader,
  parseFormula,
  parseFormulaCached,
} from './formula.js';
import type { MetricObservation, Observation } from './types.js';

const DEFAULT_WINDOW = 60_000;

const compositeMetricSchema = z
  .union(
    [
      z.string().min(1),
      z.strictObject({
        formula: z.string().min(1),
        window: positiveDurationSchema('a window').default(DEFAULT_WINDOW),
      }),
    ],
    { error: 'a formula, or { formula, window? }' },
  )
  .transform((value) => (typeof value === 'string' ? { formula: value, window: DEFAULT_WINDOW } : value));

/**
 * Zod schema of `compositeMetrics`: metrics computed from other metrics by a formula (the
 * language of `arbitration: { formula }`), as KEDA's `scalingModifiers` compose triggers. Each
 * is `name: formula` or `name: { formula, window }`; `metric("x", statistic)` in the formula reads
 * the statistic of metric `x` over `window`, and a bare name refers to a composite declared
 * before it. Rules read a composite by its name like any metric: it holds one sample, at the
 * tick's time, and has no data when the formula's result is missing.
 *
 * @default {} (window 60000, 1 minute)
 * @example
 * compositeMetricsSchema.parse({ load: '(metric("queue_a") + metric("queue_b")) / 2' });
 * // { load: { formula: '(metric("queue_a") + metric("queue_b")) / 2', window: 60000 } }
 */
export const compositeMetricsSchema = z.record(z.string().min(1), compositeMetricSchema);

/** `compositeMetrics` as written. */
export type CompositeMetricsInput = z.input<typeof compositeMetricsSchema>;
/** `compositeMetrics` resolved: each formula with its window in ms. */
export type CompositeMetrics = z.output<typeof compositeMetricsSchema>;

/**
 * The observed metrics with each composite metric added, in declaration order, so rules read a
 * composite like any metric. A composite whose formula has no value is `missing`, or `failed`
 * when one of the metrics it reads failed.
 *
 * @example
 * withCompositeMetrics(metrics, now, { load: { formula: 'metric("a") + metric("b")', window: 60_000 } })
 *   .load; // { status: 'ok', samples: [{ timestamp: now, value: a + b }] }
 */
export function withCompositeMetrics(
  observed: Observation['metrics'],
  now: number,
  composites: CompositeMetrics,
): Observation['metrics'] {
  const entries = Object.entries(composites);
  if (entries.length === 0) return observed;
  const metrics: Record<string, MetricObservation> = { ...observed };
  const values = new Map<string, number>();
  const current = { now, metrics };
  for (const [name, { formula, window }] of entries) {
    const parsed = parseFormulaCached(formula);
    const value = parsed.ok
      ? evaluateFormula(parsed.formula, {
          name: (n) => values.get(n),
          metric: metricReader(current, window),
        })
      : undefined;
    if (value !== undefined) {
      values.set(name, value);
      metrics[name] = { status: 'ok', samples: [{ timestamp: now, value }] };
      continue;
    }
    const failed = parsed.ok
      ? parsed.formula.metrics.find((m) => Object.hasOwn(metrics, m) && metrics[m]?.status === 'failed')
      : undefined;
    metrics[name] =
      failed === undefined
        ? { status: 'missing', samples: [] }
        : {
            status: 'failed',
            samples: [],
            error: `composite metric ${name}: metric ${failed} failed (${metrics[failed]?.error ?? 'unknown error'})`,
          };
  }
  return metrics;
}

/**
 * The metric queries of a group once formulas are counted: the rules' queries without the
 * composite metrics (they are computed, not read), plus every metric a composite or the
 * arbitration formula reads through `metric("…")`, each once with the widest window.
 *
 * @example
 * formulaMetricQueries(metricQueries(config.rules), config);
 */
export function formulaMetricQueries(
  ruleQueries: readonly MetricQuery[],
  config: { readonly arbitration: ArbitrationMode; readonly compositeMetrics?: CompositeMetrics | undefined },
): MetricQuery[] {
  const composites = config.compositeMetrics ?? {};
  const byName = new Map<string, MetricQuery>();
  const add = (query: MetricQuery): void => {
    if (!Object.hasOwn(composites, query.name)) mergeMetricQuery(byName, query);
  };
  for (const query of ruleQueries) add(query);
  const formulas = Object.values(composites).map((c) => ({ formula: c.formula, window: c.window }));
  const mode = config.arbitration;
  if (typeof mode === 'object' && 'formula' in mode)
    formulas.push({ formula: mode.formula, window: mode.window });
  for (const { formula, window } of formulas) {
    const parsed = parseFormulaCached(formula);
    if (!parsed.ok) continue;
    for (const name of parsed.formula.metrics) add({ name, window, perUnit: false });
  }
  return [...byName.values()];
}

/**
 * The group-level check of formulas, run at registration: the arbitration formula may name the
 * group's rules, each composite metric the composites declared before it; both may read any
 * metric with `metric("…")`. A malformed formula, or one naming anything else, is an issue at
 * `arbitration.formula` or `compositeMetrics.<name>` with the column of the problem. Values may be
 * partial (other fields failed), so they are checked for shape first.
 *
 * @example
 * scalingGroupSchema.superRefine((g, ctx) => checkFormulas(g.arbitration, g.compositeMetrics, names, ctx));
 */
export function checkFormulas(
  arbitration: unknown,
  composites: unknown,
  ruleNames: readonly (string | undefined)[],
  ctx: z.core.$RefinementCtx,
): void {
  const check = (
    formula: unknown,
    path: (string | number)[],
    names: string[],
    describeNames: string,
  ): void => {
    if (typeof formula !== 'string') return;
    const parsed = parseFormula(formula, { names, describeNames });
    if (parsed.ok) return;
    ctx.addIssue({
      code: 'custom',
      path,
      message: describeFormulaError(parsed),
      input: formula,
      params: {
        expected: `a valid formula (${describeFormulaError(parsed)})`,
        received: JSON.stringify(formula),
      },
    });
  };
  if (arbitration !== null && typeof arbitration === 'object' && 'formula' in arbitration) {
    const names = ruleNames.filter((n): n is string => n !== undefined);
    check((arbitration as { formula: unknown }).formula, ['arbitration', 'formula'], names, 'a rule name');
  }
  if (composites !== null && typeof composites === 'object') {
    const earlier: string[] = [];
    for (const [name, value] of Object.entries(composites)) {
      const formula =
        value !== null && typeof value === 'object' ? (value as { formula?: unknown }).formula : value;
      check(
        formula,
        ['compositeMetrics', name],
        earlier.slice(),
        'a composite metric declared above this one',
      );
      earlier.push(name);
    }
  }
}

/**
 * Add a metric query to a set keyed by metric name: a metric asked for twice is read once, over
 * the wider window, per unit if either asks for it.
 *
 * @example
 * const byName = new Map(); mergeMetricQuery(byName, { name: 'cpu', window: 60_000, perUnit: false });
 */
export function mergeMetricQuery(byName: Map<string, MetricQuery>, query: MetricQuery): void {
  const seen = byName.get(query.name);
  byName.set(
    query.name,
    seen === undefined
      ? query
      : {
          name: query.name,
          window: Math.max(seen.window, query.window),
          perUnit: seen.perUnit || query.perUnit,
        },
  );
}
