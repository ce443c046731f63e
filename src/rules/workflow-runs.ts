import { z } from 'zod';
import { formatNumber } from '../core/statistics.js';
import type { Observation, Proposal } from '../core/types.js';
import {
  delayScaleDown,
  optionalReservations,
  reservationDurationSchema,
  scaleDownDelaySchema,
} from './job-events.js';
import { metricReadingFields, readMetric, reasonOfChange, withMemory } from './shared.js';

/**
 * Zod schema of a workflow-runs rule: ARC's HorizontalRunnerAutoscaler metric
 * `TotalNumberOfQueuedAndInProgressWorkflowRuns` (controllers
 * `suggestReplicasByQueuedAndInProgressWorkflowRuns`): one runner per queued or in-progress
 * workflow job, which `metric` counts. 0 stands for the group's minimum (ARC falls back to
 * `minReplicas`); job-event reservations are added on top; a scale-in within
 * `scaleDownDelayAfterScaleOut` of the last scale-out keeps the current capacity.
 *
 * @example
 * workflowRunsRuleSchema.parse({ kind: 'workflow-runs', metric: 'queued_and_in_progress_jobs' });
 * // → { kind: 'workflow-runs', metric: 'queued_and_in_progress_jobs', statistic: 'last',
 * //     window: 60000, scaleDownDelayAfterScaleOut: 600000 }
 */
export const workflowRunsRuleSchema = z.strictObject({
  kind: z.literal('workflow-runs'),
  /** @default `workflow-runs:<metric>` */
  name: z.string().min(1).optional(),
  /** Queued plus in-progress workflow jobs for this pool's labels. */
  metric: z.string().min(1),
  ...metricReadingFields,
  /** ARC `scaleDownDelaySecondsAfterScaleOut`. @default '10m' */
  scaleDownDelayAfterScaleOut: scaleDownDelaySchema.default(600_000),
  /** Accept job events: each `queued` one reserves a unit this long (ARC `scaleUpTriggers[].duration`). */
  reservationDuration: reservationDurationSchema.optional(),
});

/** A workflow-runs rule as written. */
export type WorkflowRunsRuleInput = z.input<typeof workflowRunsRuleSchema>;
/** A workflow-runs rule with defaults applied. */
export type WorkflowRunsRule = z.output<typeof workflowRunsRuleSchema>;

/**
 * Evaluate a workflow-runs rule: ceil(jobs) + active reservations, delayed on scale-in.
 * `details`: `jobs`, `reserved`.
 *
 * @example
 * proposeWorkflowRuns(rule, 0, observation).capacity;
 */
export function proposeWorkflowRuns(
  rule: WorkflowRunsRule,
  index: number,
  observation: Observation,
): Proposal {
  const name = rule.name ?? `workflow-runs:${rule.metric}`;
  const reservations = optionalReservations(
    rule.reservationDuration,
    observation.memory?.[index],
    observation.now,
  );
  const reading = readMetric(rule, name, index, observation);
  if ('outcome' in reading) return withMemory(reading, reservations.memory);
  const jobs = reading.value;
  // One runner per job; a statistic such as 'avg' can give a fraction, which still needs a runner.
  const capacity = Math.max(0, Math.ceil(jobs)) + reservations.active;
  const current = observation.capacity;
  const proposal: Proposal = {
    rule: name,
    ruleIndex: index,
    outcome: 'propose',
    capacity,
    reason: reasonOfChange(capacity, current),
    message:
      `${formatNumber(jobs)} queued and in-progress jobs, so ${capacity} runners` +
      (reservations.active > 0 ? ` with ${reservations.active} reserved` : ''),
    details: { jobs, reserved: reservations.active },
  };
  return withMemory(
    delayScaleDown(proposal, observation, rule.scaleDownDelayAfterScaleOut),
    reservations.memory,
  );
}
