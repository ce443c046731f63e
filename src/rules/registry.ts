import { z } from 'zod';
import { assertNever } from '../core/assert.js';
import { mergeMetricQuery } from '../core/composite.js';
import type { JsonValue, Observation, Proposal } from '../core/types.js';
import type { MetricQuery } from '../ports/metrics.js';
import {
  awsTargetTrackingRuleSchema,
  awsUsesWarmup,
  proposeAwsTargetTracking,
} from './aws-target-tracking.js';
import { customRuleSchema, proposeCustom } from './custom.js';
import { applyJobEvent as applyReservationEvent, type JobEvent } from './job-events.js';
import { predictiveRuleSchema, proposePredictive } from './predictive.js';
import { proposeQueue, queueMetricWindow, queueRuleSchema } from './queue.js';
import {
  applyJobEvent as applyScaleSetJobEvent,
  proposeRunnerScaleSet,
  runnerScaleSetRuleSchema,
} from './runner-scale-set.js';
import { percentageRunnersBusyRuleSchema, proposePercentageRunnersBusy } from './runners-busy.js';
import { proposeScaledJob, scaledJobRuleSchema } from './scaled-job.js';
import { proposeSimple, simpleRuleSchema } from './simple.js';
import { proposeStep, stepRuleSchema } from './step.js';
import { proposeTargetTracking, targetTrackingRuleSchema } from './target-tracking.js';
import {
  proposeThreshold,
  thresholdMetricWindow,
  thresholdRuleName,
  thresholdRuleSchema,
} from './threshold.js';
import { proposeWeightedScore, scoreMetricSource, weightedScoreRuleSchema } from './weighted-score.js';
import { proposeWorkflowRuns, workflowRunsRuleSchema } from './workflow-runs.js';

/**
 * Zod schema of any rule, told apart by `kind`.
 */
export const ruleSchema = z.discriminatedUnion('kind', [
  targetTrackingRuleSchema,
  customRuleSchema,
  stepRuleSchema,
  queueRuleSchema,
  weightedScoreRuleSchema,
  predictiveRuleSchema,
  thresholdRuleSchema,
  simpleRuleSchema,
  awsTargetTrackingRuleSchema,
  scaledJobRuleSchema,
  percentageRunnersBusyRuleSchema,
  workflowRunsRuleSchema,
  runnerScaleSetRuleSchema,
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
  'predictive',
  'threshold',
  'simple',
  'aws-target-tracking',
  'scaled-job',
  'percentage-runners-busy',
  'workflow-runs',
  'runner-scale-set',
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
    case 'predictive':
      return rule.name ?? `predictive:${rule.metric}`;
    case 'threshold':
      return thresholdRuleName(rule);
    case 'simple':
      return rule.name ?? `simple:${rule.metric}`;
    case 'aws-target-tracking':
      return rule.name ?? `aws-target-tracking:${rule.metric}`;
    case 'scaled-job':
      return rule.name ?? `scaled-job:${rule.metric}`;
    case 'percentage-runners-busy':
      return rule.name ?? `percentage-runners-busy:${rule.metric}`;
    case 'workflow-runs':
      return rule.name ?? `workflow-runs:${rule.metric}`;
    case 'runner-scale-set':
      return rule.name ?? `runner-scale-set:${rule.metric ?? 'job-events'}`;
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
      return [{ name: rule.metric, window: rule.window, perUnit: rule.perUnit === true }];
    case 'custom':
      return rule.metrics.map((m) => ({ name: m.name, window: m.window, perUnit: m.perUnit }));
    case 'step':
      // Per-unit samples let the warm-up leave warming units out of the metric, as EC2 does.
      return [{ name: rule.metric, window: rule.window, perUnit: rule.instanceWarmup !== undefined }];
    case 'queue':
      // The window covers the cooldown too: going idle needs the whole cooldown's samples.
      return [{ name: rule.metric, window: queueMetricWindow(rule), perUnit: false }];
    case 'weighted-score':
      return rule.metrics.map((m) => ({ name: scoreMetricSource(m), window: rule.window, perUnit: false }));
    case 'predictive':
      // Two steps of samples each tick; the history to fit on is read once, separately.
      return [{ name: rule.metric, window: 2 * rule.step, perUnit: false }];
    case 'threshold':
      return [{ name: rule.metric, window: thresholdMetricWindow(rule), perUnit: false }];
    case 'simple':
      return [{ name: rule.metric, window: rule.window, perUnit: false }];
    case 'aws-target-tracking':
      return [{ name: rule.metric, window: rule.window, perUnit: awsUsesWarmup(rule) }];
    case 'scaled-job':
      return [rule.metric, rule.runningJobsMetric, rule.pendingJobsMetric]
        .filter((name): name is string => name !== undefined)
        .map((name) => ({ name, window: rule.window, perUnit: false }));
    case 'percentage-runners-busy':
    case 'workflow-runs':
      return [{ name: rule.metric, window: rule.window, perUnit: false }];
    case 'runner-scale-set':
      // Without a metric the assigned jobs come from job events.
      return rule.metric === undefined ? [] : [{ name: rule.metric, window: rule.window, perUnit: false }];
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
      mergeMetricQuery(byName, query);
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
    case 'predictive':
      return proposePredictive(rule, index, observation);
    case 'threshold':
      return proposeThreshold(rule, index, observation);
    case 'simple':
      return proposeSimple(rule, index, observation);
    case 'aws-target-tracking':
      return proposeAwsTargetTracking(rule, index, observation);
    case 'scaled-job':
      return proposeScaledJob(rule, index, observation);
    case 'percentage-runners-busy':
      return proposePercentageRunnersBusy(rule, index, observation);
    case 'workflow-runs':
      return proposeWorkflowRuns(rule, index, observation);
    case 'runner-scale-set':
      return proposeRunnerScaleSet(rule, index, observation);
    default:
      return assertNever(rule);
  }
}

/**
 * Run every rule against an observation, in order. `rules[i]` runs as rule `firstIndex + i`
 * (its `Proposal.ruleIndex` and memory key); a profile's rules start past the group's.
 *
 * @example
 * const proposals = proposeAll(group.rules, observation);
 */
export function proposeAll(rules: readonly Rule[], observation: Observation, firstIndex = 0): Proposal[] {
  const out = new Array<Proposal>(rules.length);
  for (let i = 0; i < rules.length; i++) out[i] = proposeRule(rules[i] as Rule, firstIndex + i, observation);
  return out;
}

/**
 * Hand a job event (a `queued` or `completed` CI job, from a webhook or a listener) to one rule
 * and get the rule's next memory. Rules that take job events: `runner-scale-set` without a
 * `metric`, and `percentage-runners-busy` / `workflow-runs` with a `reservationDuration`; every
 * other rule gets its memory back unchanged. The runtime keeps the result as the rule's memory,
 * exactly as it keeps `Proposal.memory`.
 *
 * @example
 * ruleMemory[i] = receiveRuleEvent(rules[i], ruleMemory[i], { type: 'queued', at: now }, now);
 */
export function receiveRuleEvent(
  rule: Rule,
  memory: JsonValue | undefined,
  event: JobEvent,
  now: number,
): JsonValue | undefined {
  switch (rule.kind) {
    case 'runner-scale-set':
      return applyScaleSetJobEvent(memory, event, now, rule);
    case 'percentage-runners-busy':
    case 'workflow-runs':
      return rule.reservationDuration === undefined
        ? memory
        : applyReservationEvent(memory, event, now, { reservationDuration: rule.reservationDuration });
    case 'target-tracking':
    case 'custom':
    case 'step':
    case 'queue':
    case 'weighted-score':
    case 'predictive':
    case 'threshold':
    case 'simple':
    case 'aws-target-tracking':
    case 'scaled-job':
      return memory;
    default:
      return assertNever(rule);
  }
}

/**
 * Whether a rule takes job events (see {@link receiveRuleEvent}).
 *
 * @example
 * group.rules.some(acceptsJobEvents);
 */
export function acceptsJobEvents(rule: Rule): boolean {
  switch (rule.kind) {
    case 'runner-scale-set':
      return rule.metric === undefined;
    case 'percentage-runners-busy':
    case 'workflow-runs':
      return rule.reservationDuration !== undefined;
    default:
      return false;
  }
}
