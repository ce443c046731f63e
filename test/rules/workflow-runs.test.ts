import { describe, expect, it } from 'vitest';
import type { Observation } from '../../src/core/types.js';
import { proposeWorkflowRuns, workflowRunsRuleSchema } from '../../src/rules/workflow-runs.js';

// ARC TotalNumberOfQueuedAndInProgressWorkflowRuns (peers.md §7.1): one runner per queued or
// in-progress workflow job; 0 means minReplicas (the group's minimum here).
const NOW = 5_000_000;
const observe = (capacity: number, jobs: number, extra: Partial<Observation> = {}): Observation => ({
  now: NOW,
  capacity,
  readyCapacity: capacity,
  metrics: { jobs: { status: 'ok', samples: [{ timestamp: NOW - 1, value: jobs }] } },
  ...extra,
});

describe('proposeWorkflowRuns', () => {
  const rule = (over: object = {}) =>
    workflowRunsRuleSchema.parse({
      kind: 'workflow-runs',
      metric: 'jobs',
      scaleDownDelayAfterScaleOut: 0,
      ...over,
    });
  it.each([
    { name: '5 queued and in-progress jobs from 2 runners → 5', capacity: 2, jobs: 5, expected: 5 },
    { name: 'no job → 0 (the group minimum applies)', capacity: 3, jobs: 0, expected: 0 },
    { name: 'an average of 2.5 jobs still needs 3 runners', capacity: 1, jobs: 2.5, expected: 3 },
  ])('$name', ({ capacity, jobs, expected }) => {
    expect(proposeWorkflowRuns(rule(), 0, observe(capacity, jobs)).capacity).toBe(expected);
  });

  it('defaults the scale-down delay to 10 minutes (ARC --default-scale-down-delay)', () => {
    const r = workflowRunsRuleSchema.parse({ kind: 'workflow-runs', metric: 'jobs' });
    expect(r.scaleDownDelayAfterScaleOut).toBe(600_000);
    expect(proposeWorkflowRuns(r, 0, observe(6, 1, { lastScaleOutAt: NOW - 599_999 }))).toMatchObject({
      capacity: 6,
      reason: 'ScaleDownDelayed',
    });
  });

  it('adds active reservations and keeps them in memory', () => {
    const memory = { reservations: [{ at: NOW - 10, expiresAt: NOW + 10 }] };
    const proposal = proposeWorkflowRuns(
      rule({ reservationDuration: '5m' }),
      0,
      observe(2, 2, { memory: [memory] }),
    );
    expect(proposal).toMatchObject({ capacity: 3, details: { jobs: 2, reserved: 1 }, memory });
  });
});
