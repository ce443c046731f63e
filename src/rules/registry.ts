import { z } from 'zod';
import { assertNever } from '../core/assert.js';
import type { Observation, Proposal } from '../core/types.js';
import type { MetricQuery } from '../ports/metrics.js';
import { customRuleSchema, proposeCustom } from './custom.js';
import { proposeQueue, queueMetricWindow, queueRuleSchema } from './queue.js';
import { proposeStep, stepRuleSchema } from './step.js';
import { proposeTargetTracking, targetTrackingRuleSchema } from './target-tracking.js';
import { proposeWeightedScore, scoreMetricSource, weightedScoreRuleSchema } from './weighted-score.js';

/**
 * Zod schema of any rule, told apart by `kind`.
 */
export const ruleSchema = z.discriminatedUnion('kind', [
  targetTrackingRuleSchema,
  customRuleSchema,
  stepRuleSchema,
  queueRuleSchema,
  weightedScoreRuleSchema,
]);

/** A rule as written. */
export type RuleInput = z.input<typeof ruleSchema>;
/** A rule with defaults applied. */
export type Rule = z.output<typeof ruleSchema>;
/** Every rule kind. */
export type RuleKind = Rule['kind'];

/** The rule kinds this version knows. */
export const RULE_KINDS: readonly RuleKind[] = [
  'target-tracking',
  'custom',
  'step',
  'queue',
  'weighted-score',
];

/**
 * The name a rule goes by in proposals and messages: its `name`, or `<kind>:<metric>`.
 *
 * @example
 * ruleName({ kind: 'target-tracking', metric: 'cpu', ... }); // 'target-tracking:cpu'
 */
export function ruleName(rule: Rule): string {
  switch (rule.kind) {
    case 'target-tracking':
      return rule.name ?? `target-tracking:${rule.metric}`;
    case 'custom':
      return rule.name;
    case 'step':
      return rule.name ?? `step:${rule.metric}`;
    case 'queue':
      return rule.name ?? `queue:${rule.metric}`;
    case 'weighted-score':
      return rule.name ?? 'weighted-score';
    default:
      return assertNever(rule);
  }
}

/**
 * The metrics a rule reads, with the window it needs.
 */
export function ruleMetricQueries(rule: Rule): MetricQuery[] {
  switch (rule.kind) {
    case 'target-tracking':
      return [{ name: rule.metric, window: rule.window, perUnit: false }];
    case 'custom':
      return rule.metrics.map((m) => ({ name: m.name, window: m.window, perUnit: m.perUnit }));
    case 'step':
      return [{ name: rule.metric, window: rule.window, perUnit: false }];
    case 'queue':
      // The window covers the cooldown too: going idle needs the whole cooldown's samples.
      return [{ name: rule.metric, window: queueMetricWindow(rule), perUnit: false }];
    case 'weighted-score':
      return rule.metrics.map((m) => ({ name: scoreMetricSource(m), window: rule.window, perUnit: false }));
    default:
      return assertNever(rule);
  }
}

/**
 * Every metric a set of rules reads, each once, with the widest window any rule asks for.
 *
 * @example
 * metricQueries(group.rules); // [{ name: 'busy_ratio', window: 60000, perUnit: false }]
 */
export function metricQueries(rules: readonly Rule[]): MetricQuery[] {
  const byName = new Map<string, MetricQuery>();
  for (const rule of rules) {
    for (const query of ruleMetricQueries(rule)) {
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
  }
  return [...byName.values()];
}

/**
 * Run one rule against an observation.
 */
export function proposeRule(rule: Rule, index: number, observation: Observation): Proposal {
  switch (rule.kind) {
    case 'target-tracking':
      return proposeTargetTracking(rule, index, observation);
    case 'custom':
      return proposeCustom(rule, index, observation);
    case 'step':
      return proposeStep(rule, index, observation);
    case 'queue':
      return proposeQueue(rule, index, observation);
    case 'weighted-score':
      return proposeWeightedScore(rule, index, observation);
    default:
      return assertNever(rule);
  }
}

/**
 * Run every rule against an observation, in order.
 *
 * @example
 * const proposals = proposeAll(group.rules, observation);
 */
export function proposeAll(rules: readonly Rule[], observation: Observation): Proposal[] {
  const out = new Array<Proposal>(rules.length);
  for (let i = 0; i < rules.length; i++) out[i] = proposeRule(rules[i] as Rule, i, observation);
  return out;
}
