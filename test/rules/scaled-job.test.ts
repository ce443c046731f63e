import { describe, expect, it } from 'vitest';
import { validateGroupConfig } from '../../src/config/group.js';
import type { MetricObservation, Observation } from '../../src/core/types.js';
import { ConfigError } from '../../src/errors.js';
import {
  effectiveMaxScale,
  proposeScaledJob,
  type ScaledJobRuleInput,
  scaledJobDecision,
  scaledJobRuleSchema,
} from '../../src/rules/scaled-job.js';
import { runScenario } from '../runtime/scenario-runner.js';

// Rows named "keda-scaledjob-…" are peer-vectors.json vectors (KEDA 2.21 ScaledJob spec);
// rows named "scale_jobs_test.go …" transcribe KEDA's own unit tests
// (pkg/scaling/executor/scale_jobs_test.go), GetEffectiveMaxScale(maxScale, running, pending, max).
const SPEC = 'https://keda.sh/docs/2.21/reference/scaledjob-spec/';
const NOW = 1_000_000;

type RuleInput = Omit<ScaledJobRuleInput, 'kind' | 'metric'>;
const rule = (over: Partial<RuleInput> = {}) =>
  scaledJobRuleSchema.parse({ kind: 'scaled-job', metric: 'queue', targetPerUnit: 1, ...over });
const ok = (value: number): MetricObservation => ({
  status: 'ok',
  samples: [{ timestamp: NOW - 1000, value }],
});
const observe = (capacity: number, queue: number | undefined, readyCapacity = capacity): Observation => ({
  now: NOW,
  capacity,
  readyCapacity,
  metrics: queue === undefined ? {} : { queue: ok(queue) },
});

describe('scaledJobRuleSchema', () => {
  it('applies the documented defaults', () => {
    expect(rule()).toEqual({
      kind: 'scaled-job',
      metric: 'queue',
      targetPerUnit: 1,
      statistic: 'last',
      window: 60_000,
      activation: 0,
      minReplicaCount: 0,
      maxReplicaCount: 100,
      scalingStrategy: 'default',
      customScalingQueueLengthDeduction: 0,
    });
  });

  it.each([
    {
      name: 'an unknown strategy',
      rule: { kind: 'scaled-job', metric: 'q', targetPerUnit: 1, scalingStrategy: 'lazy' },
      path: 'rules[0].scalingStrategy',
      message: 'expected one of "default", "custom", "accurate", "eager", got "lazy"',
    },
    {
      name: 'a missing target',
      rule: { kind: 'scaled-job', metric: 'q' },
      path: 'rules[0].targetPerUnit',
      message: 'rules[0].targetPerUnit: expected a finite number, got nothing',
    },
    {
      name: 'a fractional maxReplicaCount',
      rule: { kind: 'scaled-job', metric: 'q', targetPerUnit: 1, maxReplicaCount: 2.5 },
      path: 'rules[0].maxReplicaCount',
      message: 'expected an integer, got 2.5',
    },
  ])('the group schema rejects $name with path and message', ({ rule: bad, path, message }) => {
    let error: unknown;
    try {
      validateGroupConfig({ id: 'jobs', minCapacity: 0, maxCapacity: 10, rules: [bad] });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues;
    expect(issues.map((i) => i.path)).toEqual([path]);
    expect(issues[0]?.message).toContain(message);
  });
});

describe('scaledJobDecision: KEDA vectors', () => {
  it.each([
    { name: 'keda-scaledjob-maxreplica-1', queue: 10, max: 3, target: 1, running: 0, created: 3 },
    { name: 'keda-scaledjob-maxreplica-2', queue: 10, max: 3, target: 2, running: 0, created: 3 },
    { name: 'keda-scaledjob-maxreplica-3', queue: 10, max: 3, target: 1, running: 1, created: 2 },
    { name: 'keda-scaledjob-maxreplica-4', queue: 10, max: 100, target: 1, running: 0, created: 10 },
    { name: 'keda-scaledjob-maxreplica-5', queue: 4, max: 3, target: 5, running: 0, created: 1 },
  ])(
    `$name (${SPEC}): queue $queue, max $max, target $target, running $running → $created created`,
    (row) => {
      const r = rule({ targetPerUnit: row.target, maxReplicaCount: row.max });
      const proposal = proposeScaledJob(r, 0, observe(row.running, row.queue));
      expect(proposal).toMatchObject({
        outcome: 'propose',
        capacity: row.running + row.created,
        details: { create: row.created },
      });
    },
  );

  it(`keda-scaledjob-eager-vs-default (${SPEC}): 3 messages, a poll, 3 more, a poll; max 10, target 1`, () => {
    // The table's queueLength counts the 3 messages the running jobs hold; the trigger sees the
    // messages still waiting for a job (3 at the second poll). Default assumes the running jobs
    // will take them (6 − … = 3 − 3 running = 0 new); eager fills free slots.
    const polls = (strategy: 'default' | 'eager') => {
      const r = rule({ maxReplicaCount: 10, scalingStrategy: strategy });
      const first = proposeScaledJob(r, 0, observe(0, 3));
      const second = proposeScaledJob(r, 0, observe(first.capacity ?? 0, 3));
      return [proposeScaledJob(r, 0, observe(0, 0)).capacity, first.capacity, second.capacity];
    };
    expect(polls('default')).toEqual([0, 3, 3]);
    expect(polls('eager')).toEqual([0, 3, 6]);
  });

  it(`keda-scaledjob-min-replica (${SPEC}): min 2 running, 3 new messages → 3 more jobs (5 in all)`, () => {
    const proposal = proposeScaledJob(rule({ minReplicaCount: 2 }), 0, observe(2, 3));
    expect(proposal).toMatchObject({ capacity: 5, details: { create: 3 } });
  });

  it('minReplicaCount tops up with an empty queue: min 2, none running → 2', () => {
    expect(proposeScaledJob(rule({ minReplicaCount: 2 }), 0, observe(0, 0)).capacity).toBe(2);
  });

  it.each([
    // maxScale 5, running 2: default 5 − 2 = 3
    { name: 'default', strategy: 'default' as const, queue: 5, running: 2, pending: 0, create: 3 },
    // custom: 5 − 1 − trunc(2 × 0.75 = 1.5 → 1) = 3
    { name: 'custom', strategy: 'custom' as const, queue: 5, running: 2, pending: 0, create: 3 },
    // accurate: 5 + 2 ≤ 10 → maxScale − pending = 5 − 1 = 4
    { name: 'accurate', strategy: 'accurate' as const, queue: 5, running: 2, pending: 1, create: 4 },
    // eager: min(10 − 2 − 1, 5) = 5, asks for 10, creates 5
    { name: 'eager', strategy: 'eager' as const, queue: 5, running: 2, pending: 1, create: 5 },
  ])(`keda-scaledjob-strategy-formulas (${SPEC}): $name`, ({ strategy, queue, running, pending, create }) => {
    const r = rule({
      maxReplicaCount: 10,
      scalingStrategy: strategy,
      customScalingQueueLengthDeduction: 1,
      customScalingRunningJobPercentage: 0.75,
    });
    expect(scaledJobDecision(r, { queueLength: queue, active: true, running, pending }).create).toBe(create);
  });
});

describe('effectiveMaxScale: KEDA scale_jobs_test.go', () => {
  it.each([
    {
      name: 'TestDefaultScalingStrategy (3,2,0,5)',
      strategy: 'default' as const,
      args: [3, 2, 0, 5],
      expected: 1,
    },
    {
      name: 'TestDefaultScalingStrategy (2,0,0,5)',
      strategy: 'default' as const,
      args: [2, 0, 0, 5],
      expected: 2,
    },
    {
      name: 'TestCustomScalingStrategy deduction 1, 0.5 (3,2,0,5)',
      strategy: 'custom' as const,
      args: [3, 2, 0, 5],
      deduction: 1,
      percentage: 0.5,
      expected: 1,
    },
    {
      name: 'TestCustomScalingStrategy deduction 1, 0.5 (10,0,0,10)',
      strategy: 'custom' as const,
      args: [10, 0, 0, 10],
      deduction: 1,
      percentage: 0.5,
      expected: 9,
    },
    {
      name: 'TestCustomScalingStrategy without parameters behaves as default (3,2,0,5)',
      strategy: 'custom' as const,
      args: [3, 2, 0, 5],
      expected: 1,
    },
    {
      name: 'TestCustomScalingStrategy deduction 2, 0 (3,2,0,5)',
      strategy: 'custom' as const,
      args: [3, 2, 0, 5],
      deduction: 2,
      percentage: 0,
      expected: 1,
    },
    {
      name: 'TestCustomScalingStrategy deduction −2 capped at max 4 (3,2,0,4)',
      strategy: 'custom' as const,
      args: [3, 2, 0, 4],
      deduction: -2,
      percentage: 0,
      expected: 4,
    },
    {
      name: 'TestAccurateScalingStrategy (3,2,0,5)',
      strategy: 'accurate' as const,
      args: [3, 2, 0, 5],
      expected: 3,
    },
    {
      name: 'TestAccurateScalingStrategy (5,2,0,5)',
      strategy: 'accurate' as const,
      args: [5, 2, 0, 5],
      expected: 3,
    },
    {
      name: 'TestAccurateScalingStrategy (3,4,2,10)',
      strategy: 'accurate' as const,
      args: [3, 4, 2, 10],
      expected: 1,
    },
    {
      name: 'TestAccurateScalingStrategy (5,4,2,5)',
      strategy: 'accurate' as const,
      args: [5, 4, 2, 5],
      expected: 1,
    },
  ])('$name → $expected', ({ strategy, args, deduction, percentage, expected }) => {
    const [maxScale, running, pending, maxReplicaCount] = args as [number, number, number, number];
    expect(
      effectiveMaxScale(strategy, { maxScale, running, pending, maxReplicaCount, deduction, percentage }),
    ).toBe(expected);
  });
});

describe('proposeScaledJob', () => {
  it('creates nothing while the queue is not above activation, and never proposes below the running jobs', () => {
    expect(proposeScaledJob(rule({ activation: 5 }), 0, observe(4, 5))).toMatchObject({
      capacity: 4,
      reason: 'BelowTarget',
      details: { active: false, create: 0 },
    });
  });

  it('pending jobs default to capacity − ready capacity (accurate: 5 queued, 4 running, 2 pending → 3)', () => {
    const proposal = proposeScaledJob(rule({ scalingStrategy: 'accurate' }), 0, observe(4, 5, 2));
    expect(proposal).toMatchObject({ capacity: 7, details: { pending: 2, create: 3 } });
  });

  it('reads running and pending jobs from metrics when declared', () => {
    const r = rule({
      runningJobsMetric: 'running',
      pendingJobsMetric: 'pending',
      scalingStrategy: 'accurate',
    });
    const observation: Observation = {
      ...observe(9, 5),
      metrics: { queue: ok(5), running: ok(4), pending: ok(2) },
    };
    expect(proposeScaledJob(r, 0, observation)).toMatchObject({
      capacity: 7,
      details: { running: 4, pending: 2 },
    });
  });

  it('is invalid without its running-jobs metric', () => {
    expect(proposeScaledJob(rule({ runningJobsMetric: 'running' }), 0, observe(1, 5))).toMatchObject({
      outcome: 'invalid',
      reason: 'MetricMissing',
    });
  });

  it('is invalid without the queue metric, unless below minReplicaCount', () => {
    expect(proposeScaledJob(rule(), 0, observe(1, undefined)).outcome).toBe('invalid');
    expect(proposeScaledJob(rule({ minReplicaCount: 2 }), 0, observe(1, undefined))).toMatchObject({
      outcome: 'propose',
      capacity: 2,
    });
  });

  it('paused creates no job', () => {
    expect(proposeScaledJob(rule({ paused: true }), 0, observe(2, 50))).toMatchObject({
      capacity: 2,
      reason: 'Paused',
    });
  });

  it('minReplicaCount above maxReplicaCount is capped at it, as KEDA documents', () => {
    expect(
      proposeScaledJob(rule({ minReplicaCount: 5, maxReplicaCount: 3 }), 0, observe(0, 0)).capacity,
    ).toBe(3);
  });
});

describe('scaled-job through AutoScalingManager', () => {
  it('starts jobs for the queue and adds only the gap on the next poll', async () => {
    // t=0: queue 3, no job → 3. t=30s: queue 5, 3 running → default 5 − 3 = 2 more → 5.
    await runScenario({
      name: 'scaled-job',
      group: {
        id: 'jobs',
        minCapacity: 0,
        maxCapacity: 10,
        evaluationInterval: '15s',
        rules: [{ kind: 'scaled-job', metric: 'queue', targetPerUnit: 1 }],
      },
      controller: { initial: 0 },
      metrics: {
        queue: [
          [0, 3],
          [30_000, 5],
        ],
      },
      until: 45_000,
      expect: {
        capacity: [
          [0, 3],
          [15_000, 3],
          [30_000, 5],
        ],
      },
    });
  });
});
