import { describe, expect, it } from 'vitest';
import { toConfigIssues } from '../../src/config/issues.js';
import type { MetricObservation, Observation, Proposal } from '../../src/core/types.js';
import { proposeStep, type StepRuleInput, stepRuleSchema } from '../../src/rules/step.js';

// Rows named "aws-…" are vectors from peer-vectors.json (AWS EC2 / Application Auto Scaling user
// guide and API reference), copied here as literal rows with their id and source URL; the other
// rows are worked by hand from the rules in peers.md §1.3–1.4.

const NOW = 1_000_000;
const STEP_API = 'https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_StepAdjustment.html';
const STEP_GUIDE = 'https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-simple-step.html';
const APP_STEP_GUIDE =
  'https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-step-scaling-policies.html';

type RuleInput = Omit<StepRuleInput, 'kind' | 'metric'>;
const rule = (over: RuleInput) => stepRuleSchema.parse({ kind: 'step', metric: 'cpu', ...over });

const ok = (...values: number[]): MetricObservation => ({
  status: 'ok',
  // Oldest first, 1 s apart, the newest 1 s before now.
  samples: values.map((value, i) => ({ timestamp: NOW - (values.length - i) * 1000, value })),
});
const observe = (capacity: number, metric: MetricObservation | undefined): Observation => ({
  now: NOW,
  capacity,
  readyCapacity: capacity,
  metrics: metric === undefined ? {} : { cpu: metric },
});

// The user-guide walkthrough: one policy per alarm, both at threshold 50 (aws-step-walkthrough-*).
const scaleOut = rule({
  threshold: 50,
  comparison: '>=',
  adjustmentType: 'PercentChangeInCapacity',
  steps: [
    { lower: 0, upper: 10, adjustment: 0 },
    { lower: 10, upper: 20, adjustment: 10 },
    { lower: 20, adjustment: 30 },
  ],
});
const scaleIn = rule({
  threshold: 50,
  comparison: '<=',
  adjustmentType: 'PercentChangeInCapacity',
  steps: [
    { lower: -10, upper: 0, adjustment: 0 },
    { lower: -20, upper: -10, adjustment: -10 },
    { upper: -20, adjustment: -30 },
  ],
});

/** The walkthrough's outcome: what the breached policy proposes (at 50 both breach with a 0 step). */
function walkthrough(metric: number, capacity: number): Proposal {
  const proposals = [scaleOut, scaleIn]
    .map((r, i) => proposeStep(r, i, observe(capacity, ok(metric))))
    .filter((p) => p.outcome === 'propose');
  expect(proposals.length).toBeGreaterThan(0);
  return proposals[0] as Proposal;
}

describe('stepRuleSchema', () => {
  it('applies the documented defaults', () => {
    expect(
      rule({
        threshold: 50,
        comparison: '>=',
        adjustmentType: 'ChangeInCapacity',
        steps: [{ lower: 0, adjustment: 1 }],
      }),
    ).toEqual({
      kind: 'step',
      metric: 'cpu',
      statistic: 'average',
      window: 60_000,
      threshold: 50,
      comparison: '>=',
      adjustmentType: 'ChangeInCapacity',
      steps: [{ lower: 0, adjustment: 1 }],
    });
  });

  it.each([
    {
      name: 'the walkthrough scale-out policy (aws-step-walkthrough-configuration)',
      over: {
        threshold: 50,
        comparison: '>=',
        adjustmentType: 'PercentChangeInCapacity',
        steps: [
          { lower: 0, upper: 10, adjustment: 0 },
          { lower: 10, upper: 20, adjustment: 10 },
          { lower: 20, adjustment: 30 },
        ],
      },
    },
    {
      name: 'the walkthrough scale-in policy, steps in any order (aws-step-walkthrough-configuration)',
      over: {
        threshold: 50,
        comparison: '<=',
        adjustmentType: 'PercentChangeInCapacity',
        steps: [
          { upper: -20, adjustment: -30 },
          { lower: -10, upper: 0, adjustment: 0 },
          { lower: -20, upper: -10, adjustment: -10 },
        ],
      },
    },
    {
      // AWS does not tie the sign of an adjustment to the breach side (peers.md §1.3).
      name: 'a scale-out alarm with a negative adjustment',
      over: {
        threshold: 1,
        comparison: '>',
        adjustmentType: 'ChangeInCapacity',
        steps: [{ lower: 0, adjustment: -1 }],
      },
    },
    {
      name: 'a step without a lower bound covering the threshold from below',
      over: {
        threshold: 1,
        comparison: '>=',
        adjustmentType: 'ChangeInCapacity',
        steps: [
          { upper: 5, adjustment: 1 },
          { lower: 5, adjustment: 2 },
        ],
      },
    },
    {
      name: 'minAdjustmentMagnitude with PercentChangeInCapacity',
      over: {
        threshold: 1,
        comparison: '<',
        adjustmentType: 'PercentChangeInCapacity',
        minAdjustmentMagnitude: 2,
        steps: [{ upper: 0, adjustment: -25 }],
      },
    },
  ] as { name: string; over: RuleInput }[])('accepts $name', ({ over }) => {
    expect(stepRuleSchema.safeParse({ kind: 'step', metric: 'cpu', ...over }).success).toBe(true);
  });

  const base = {
    kind: 'step',
    metric: 'cpu',
    threshold: 50,
    comparison: '>=',
    adjustmentType: 'ChangeInCapacity',
  };
  it.each([
    {
      name: `aws-step-validation-rules (${STEP_API}): ranges overlap`,
      input: {
        ...base,
        steps: [
          { lower: 0, upper: 10, adjustment: 1 },
          { lower: 5, adjustment: 2 },
        ],
      },
      message:
        'steps[1].lower: expected a `lower` bound equal to steps[0].upper (10) so the steps do not overlap, got 5',
    },
    {
      name: `aws-step-validation-rules (${STEP_API}): ranges leave a gap`,
      input: {
        ...base,
        steps: [
          { lower: 15, adjustment: 2 },
          { lower: 0, upper: 10, adjustment: 1 },
        ],
      },
      message:
        'steps[0].lower: expected a `lower` bound equal to steps[1].upper (10) so the steps do not leave a gap, got 15',
    },
    {
      name: `aws-step-validation-rules (${STEP_API}): more than one step with null lower bound`,
      input: {
        ...base,
        steps: [
          { upper: 0, adjustment: 0 },
          { upper: 10, adjustment: 1 },
          { lower: 10, adjustment: 2 },
        ],
      },
      message:
        'steps[1].lower: expected at most one step without a `lower` bound (steps[0] has none), got nothing',
    },
    {
      name: `aws-step-validation-rules (${STEP_API}): more than one step with null upper bound`,
      input: {
        ...base,
        steps: [
          { lower: 0, adjustment: 1 },
          { lower: 10, adjustment: 2 },
        ],
      },
      message:
        'steps[1].upper: expected at most one step without an `upper` bound (steps[0] has none), got nothing',
    },
    {
      name: `aws-step-validation-rules (${STEP_API}): a negative lower bound but no null lower bound`,
      input: {
        ...base,
        steps: [
          { lower: -10, upper: 0, adjustment: 0 },
          { lower: 0, adjustment: 1 },
        ],
      },
      message:
        'steps[0].lower: expected no `lower` bound on the lowest step, since a negative `lower` bound needs a step without one, got -10',
    },
    {
      name: `aws-step-validation-rules (${STEP_API}): a positive upper bound but no null upper bound`,
      input: {
        ...base,
        comparison: '<',
        steps: [
          { upper: 0, adjustment: -1 },
          { lower: 0, upper: 10, adjustment: 0 },
        ],
      },
      message:
        'steps[1].upper: expected no `upper` bound on the highest step, since a positive `upper` bound needs a step without one, got 10',
    },
    {
      name: `aws-step-validation-rules (${STEP_API}): a step has both bounds null`,
      input: { ...base, steps: [{ adjustment: 1 }] },
      message:
        'steps[0]: expected a `lower` or an `upper` bound (a step cannot be unbounded on both sides), got {"adjustment":1}',
    },
    {
      name: `aws-step-validation-rules (${STEP_API}): ExactCapacity adjustment must be non-negative`,
      input: { ...base, adjustmentType: 'ExactCapacity', steps: [{ lower: 0, adjustment: -1 }] },
      message: "steps[0].adjustment: expected an adjustment ≥ 0 with adjustmentType 'ExactCapacity', got -1",
    },
    {
      name: 'a gap within the breach side: above the threshold, the lowest step starts above 0',
      input: { ...base, steps: [{ lower: 5, adjustment: 1 }] },
      message:
        'steps[0].lower: expected a `lower` bound of 0 (or none) on the lowest step, so every breach above the threshold matches a step, got 5',
    },
    {
      name: 'a gap within the breach side: above the threshold, nothing reaches +∞',
      input: { ...base, steps: [{ upper: 0, adjustment: 1 }] },
      message:
        'steps[0].upper: expected no `upper` bound on the highest step, so every breach above the threshold matches a step, got 0',
    },
    {
      name: 'a gap within the breach side: below the threshold, the highest step ends below 0',
      input: { ...base, comparison: '<=', steps: [{ upper: -5, adjustment: -1 }] },
      message:
        'steps[0].upper: expected an `upper` bound of 0 (or none) on the highest step, so every breach below the threshold matches a step, got -5',
    },
    {
      name: 'a gap within the breach side: below the threshold, nothing reaches −∞',
      input: { ...base, comparison: '<=', steps: [{ lower: 0, adjustment: -1 }] },
      message:
        'steps[0].lower: expected no `lower` bound on the lowest step, so every breach below the threshold matches a step, got 0',
    },
    {
      name: 'an upper bound not above its lower bound',
      input: { ...base, steps: [{ lower: 10, upper: 10, adjustment: 1 }] },
      message: 'steps[0].upper: expected an `upper` bound greater than `lower` (10), got 10',
    },
    {
      name: 'minAdjustmentMagnitude without PercentChangeInCapacity',
      input: { ...base, minAdjustmentMagnitude: 2, steps: [{ lower: 0, adjustment: 1 }] },
      message:
        "minAdjustmentMagnitude: expected `minAdjustmentMagnitude` only with adjustmentType 'PercentChangeInCapacity', got adjustmentType 'ChangeInCapacity'",
    },
    {
      name: 'a percent step below −100 %',
      input: { ...base, adjustmentType: 'PercentChangeInCapacity', steps: [{ lower: 0, adjustment: -150 }] },
      message:
        "steps[0].adjustment: expected an adjustment ≥ -100 with adjustmentType 'PercentChangeInCapacity', got -150",
    },
  ])('rejects $name', ({ input, message }) => {
    const result = stepRuleSchema.safeParse(input, { reportInput: true });
    expect(result.success).toBe(false);
    const issues = toConfigIssues(result.error?.issues ?? [], input);
    expect(issues.map((i) => i.message)).toEqual([message]);
  });

  it('reports the issue as data: path and params.expected', () => {
    const result = stepRuleSchema.safeParse({
      ...base,
      steps: [
        { lower: 0, upper: 10, adjustment: 1 },
        { lower: 5, adjustment: 2 },
      ],
    });
    expect(result.error?.issues).toMatchObject([
      {
        code: 'custom',
        path: ['steps', 1, 'lower'],
        params: {
          expected: 'a `lower` bound equal to steps[0].upper (10) so the steps do not overlap',
        },
      },
    ]);
  });
});

describe('step bounds', () => {
  const above = rule({
    threshold: 50,
    comparison: '>=',
    adjustmentType: 'ChangeInCapacity',
    steps: [
      { lower: 0, upper: 10, adjustment: 1 },
      { lower: 10, adjustment: 2 },
    ],
  });
  const below = rule({
    threshold: 50,
    comparison: '<=',
    adjustmentType: 'ChangeInCapacity',
    steps: [
      { lower: -10, upper: 0, adjustment: -1 },
      { upper: -10, adjustment: -2 },
    ],
  });
  it.each([
    // aws-step-bounds-api-above: bounds [0, 10) at threshold 50 match 50 ≤ metric < 60.
    { name: `aws-step-bounds-api-above (${STEP_API}): 50 matches`, r: above, metric: 50, step: 0 },
    { name: `aws-step-bounds-api-above (${STEP_API}): 59.99 matches`, r: above, metric: 59.99, step: 0 },
    { name: `aws-step-bounds-api-above (${STEP_API}): 60 does not`, r: above, metric: 60, step: 1 },
    { name: `aws-step-bounds-api-above (${STEP_API}): 49.99 does not`, r: above, metric: 49.99, step: null },
    // aws-step-bounds-api-below: bounds (−10, 0] at threshold 50 match 40 < metric ≤ 50.
    { name: `aws-step-bounds-api-below (${STEP_API}): 50 matches`, r: below, metric: 50, step: 0 },
    { name: `aws-step-bounds-api-below (${STEP_API}): 40.01 matches`, r: below, metric: 40.01, step: 0 },
    { name: `aws-step-bounds-api-below (${STEP_API}): 40 does not`, r: below, metric: 40, step: 1 },
    { name: `aws-step-bounds-api-below (${STEP_API}): 50.01 does not`, r: below, metric: 50.01, step: null },
    // aws-step-bounds-inclusivity-rule: above, lower inclusive / upper exclusive; below, the reverse.
    {
      name: `aws-step-bounds-inclusivity-rule (${STEP_GUIDE}): above, the lower bound is inclusive`,
      r: above,
      metric: 60,
      step: 1,
    },
    {
      name: `aws-step-bounds-inclusivity-rule (${STEP_GUIDE}): below, the upper bound is inclusive`,
      r: below,
      metric: 40,
      step: 1,
    },
    {
      name: 'a bound met exactly despite floating point (0.7 − 0.5 is not 0.2 in binary)',
      r: rule({
        threshold: 0.5,
        comparison: '>',
        adjustmentType: 'ChangeInCapacity',
        steps: [
          { lower: 0, upper: 0.2, adjustment: 1 },
          { lower: 0.2, adjustment: 2 },
        ],
      }),
      metric: 0.7,
      step: 1,
    },
  ])('$name', ({ r, metric, step }) => {
    const p = proposeStep(r, 0, observe(4, ok(metric)));
    if (step === null) {
      expect(p.outcome).toBe('abstain');
    } else {
      expect(p.outcome).toBe('propose');
      expect(p.details?.step).toBe(step);
    }
  });
});

describe('proposeStep: the AWS user-guide walkthrough', () => {
  // aws-step-walkthrough-configuration: at capacity 10, ≤ 30 → −30 %, 30 < m ≤ 40 → −10 %,
  // 40 < m < 60 unchanged, 60 ≤ m < 70 → +10 %, ≥ 70 → +30 %.
  it.each([
    { name: '≤ 30 (at 30)', metric: 30, capacity: 7 },
    { name: '≤ 30 (at 10)', metric: 10, capacity: 7 },
    { name: '30 < m ≤ 40 (at 30.5)', metric: 30.5, capacity: 9 },
    { name: '30 < m ≤ 40 (at 40)', metric: 40, capacity: 9 },
    { name: '40 < m < 60 (at 40.5)', metric: 40.5, capacity: 10 },
    { name: '40 < m < 60 (at 50)', metric: 50, capacity: 10 },
    { name: '40 < m < 60 (at 59.5)', metric: 59.5, capacity: 10 },
    { name: '60 ≤ m < 70 (at 60)', metric: 60, capacity: 11 },
    { name: '60 ≤ m < 70 (at 69.5)', metric: 69.5, capacity: 11 },
    { name: '≥ 70 (at 70)', metric: 70, capacity: 13 },
    { name: '≥ 70 (at 95)', metric: 95, capacity: 13 },
  ])(`aws-step-walkthrough-configuration (${STEP_GUIDE}): $name`, ({ metric, capacity }) => {
    expect(walkthrough(metric, 10).capacity).toBe(capacity);
  });

  // aws-step-walkthrough-sequence: 10 → 11 → 14 → 13 → 10, each breach against the capacity
  // reached by the one before.
  it.each([
    { name: '60 at 10: 10% of 10 is +1', metric: 60, before: 10, delta: 1, after: 11 },
    { name: '70 at 11: 30% of 11 = 3.3 rounds down to +3', metric: 70, before: 11, delta: 3, after: 14 },
    { name: '40 at 14: 10% of 14 = 1.4 rounds to −1', metric: 40, before: 14, delta: -1, after: 13 },
    { name: '30 at 13: 30% of 13 = 3.9 rounds to −3', metric: 30, before: 13, delta: -3, after: 10 },
  ])(`aws-step-walkthrough-sequence (${STEP_GUIDE}): $name`, ({ metric, before, delta, after }) => {
    const p = walkthrough(metric, before);
    expect(p.capacity).toBe(after);
    expect(p.details?.delta).toBe(delta);
  });
});

describe('proposeStep', () => {
  const change = rule({
    name: 'cpu-out',
    threshold: 70,
    comparison: '>',
    statistic: 'max',
    window: '10s',
    adjustmentType: 'ChangeInCapacity',
    steps: [
      { lower: 0, upper: 20, adjustment: 1 },
      { lower: 20, adjustment: 3 },
    ],
  });

  it.each([
    {
      name: 'a breach proposes the step’s adjustment with the numbers behind it',
      r: change,
      capacity: 4,
      metric: ok(60, 95),
      expected: {
        rule: 'cpu-out',
        ruleIndex: 2,
        outcome: 'propose',
        capacity: 7,
        reason: 'AboveTarget',
        message: 'cpu 95 breaches > 70, so steps[1] applies +3 units to 4 (+3)',
        details: {
          value: 95,
          threshold: 70,
          difference: 25,
          step: 1,
          adjustmentType: 'ChangeInCapacity',
          adjustment: 3,
          delta: 3,
        },
      },
    },
    {
      name: 'a strict comparison does not breach at the threshold',
      r: change,
      capacity: 4,
      metric: ok(70),
      expected: {
        rule: 'cpu-out',
        ruleIndex: 2,
        outcome: 'abstain',
        reason: 'Abstained',
        message: 'cpu 70 does not breach > 70',
        details: { value: 70, threshold: 70 },
      },
    },
    {
      name: 'samples outside the window are ignored',
      r: change,
      capacity: 4,
      metric: {
        status: 'ok',
        samples: [
          { timestamp: NOW - 20_000, value: 99 },
          { timestamp: NOW - 1000, value: 75 },
        ],
      },
      expected: { outcome: 'propose', capacity: 5, details: { value: 75, step: 0 } },
    },
    {
      name: 'no samples in the window is MetricMissing',
      r: change,
      capacity: 4,
      metric: { status: 'ok', samples: [{ timestamp: NOW - 20_000, value: 99 }] },
      expected: {
        outcome: 'invalid',
        reason: 'MetricMissing',
        message: 'metric cpu has no data in the last 10000 ms',
      },
    },
    {
      name: 'a missing metric is MetricMissing',
      r: change,
      capacity: 4,
      metric: undefined,
      expected: {
        rule: 'cpu-out',
        ruleIndex: 2,
        outcome: 'invalid',
        reason: 'MetricMissing',
        message: 'metric cpu has no data',
      },
    },
    {
      name: 'a failed metric is MetricFailed',
      r: change,
      capacity: 4,
      metric: { status: 'failed', samples: [], error: 'timeout' },
      expected: {
        outcome: 'invalid',
        reason: 'MetricFailed',
        message: 'metric cpu could not be read (timeout)',
      },
    },
    {
      name: 'a scale-in breach with ExactCapacity, named by kind and metric',
      r: rule({
        threshold: 20,
        comparison: '<',
        adjustmentType: 'ExactCapacity',
        steps: [{ upper: 0, adjustment: 2 }],
      }),
      capacity: 6,
      metric: ok(10),
      expected: {
        rule: 'step:cpu',
        outcome: 'propose',
        capacity: 2,
        reason: 'BelowTarget',
        message: 'cpu 10 breaches < 20, so steps[0] applies exactly 2 units to 6 (-4)',
      },
    },
    {
      name: 'a percent breach says the percent and the rounded change',
      r: rule({
        threshold: 50,
        comparison: '>=',
        adjustmentType: 'PercentChangeInCapacity',
        minAdjustmentMagnitude: 2,
        steps: [{ lower: 0, adjustment: 25 }],
      }),
      capacity: 4,
      metric: ok(80),
      expected: {
        outcome: 'propose',
        capacity: 6,
        message: 'cpu 80 breaches >= 50, so steps[0] applies +25% to 4 (+2)',
        details: { adjustmentType: 'PercentChangeInCapacity', adjustment: 25, delta: 2 },
      },
    },
  ] as {
    name: string;
    r: ReturnType<typeof rule>;
    capacity: number;
    metric?: MetricObservation;
    expected: object;
  }[])('$name', ({ r, capacity, metric, expected }) => {
    expect(proposeStep(r, 2, observe(capacity, metric))).toMatchObject(expected);
  });
});

const MIN = 60_000;
type Extra = Partial<Omit<Observation, 'now' | 'capacity' | 'metrics'>>;
const at = (now: number, capacity: number, value: number, extra: Extra = {}): Observation => ({
  now,
  capacity,
  readyCapacity: capacity,
  metrics: { cpu: { status: 'ok', samples: [{ timestamp: now - 1000, value }] } },
  ...extra,
});
const inService = (id: string, readyAt: number) => ({ id, state: 'in-service' as const, readyAt });

describe('proposeStep: EC2 instance warm-up (peers.md §1.3)', () => {
  const out = rule({
    threshold: 50,
    comparison: '>=',
    adjustmentType: 'ChangeInCapacity',
    instanceWarmup: '5m',
    steps: [
      { lower: 0, upper: 10, adjustment: 1 },
      { lower: 10, adjustment: 3 },
    ],
  });
  const inRule = rule({
    threshold: 40,
    comparison: '<=',
    adjustmentType: 'ChangeInCapacity',
    instanceWarmup: '5m',
    steps: [{ upper: 0, adjustment: -1 }],
  });
  const NOW = 100 * MIN;
  const old = Array.from({ length: 10 }, (_, i) => inService(`u${i}`, 0));

  it.each([
    {
      name: 'no unit warming: the adjustment applies to the whole capacity',
      r: out,
      obs: at(NOW, 10, 55, { units: old }),
      expected: { outcome: 'propose', capacity: 11, details: { delta: 1 } },
    },
    {
      name: 'a repeated breach in the same step collapses into the activity under way (10 + 1 ≤ 11)',
      r: out,
      obs: at(NOW, 11, 55, { units: [...old, { id: 'new', state: 'pending' as const }] }),
      expected: {
        outcome: 'propose',
        capacity: 11,
        reason: 'WarmingUp',
        details: { warming: 1, wanted: 11 },
      },
    },
    {
      name: 'a larger step adds only what goes beyond the warming unit (10 + 3 = 13, so +2)',
      r: out,
      obs: at(NOW, 11, 65, { units: [...old, { id: 'new', state: 'pending' as const }] }),
      expected: { outcome: 'propose', capacity: 13, details: { warming: 1, delta: 2 } },
    },
    {
      name: 'an in-service unit ready less than the warm-up ago still warms',
      r: out,
      obs: at(NOW, 11, 55, { units: [...old, inService('new', NOW - 4 * MIN)] }),
      expected: { capacity: 11, reason: 'WarmingUp' },
    },
    {
      name: 'a unit ready the warm-up ago or more no longer warms',
      r: out,
      obs: at(NOW, 11, 55, { units: [...old, inService('new', NOW - 5 * MIN)] }),
      expected: { capacity: 12, reason: 'AboveTarget' },
    },
    {
      name: 'scale-in is blocked while a unit warms: the proposal holds the current capacity',
      r: inRule,
      obs: at(NOW, 11, 30, { units: [...old, inService('new', NOW - MIN)] }),
      expected: { outcome: 'propose', capacity: 11, reason: 'WarmingUp', details: { wanted: 10 } },
    },
    {
      name: 'scale-in goes ahead once nothing warms',
      r: inRule,
      obs: at(NOW, 10, 30, { units: old }),
      expected: { outcome: 'propose', capacity: 9, reason: 'BelowTarget' },
    },
    {
      name: 'warming units are left out of the metric when per-unit samples are observed',
      r: out,
      obs: {
        ...at(NOW, 2, 65, { units: [inService('a', 0), inService('b', NOW - MIN)] }),
        metrics: {
          cpu: {
            status: 'ok',
            samples: [{ timestamp: NOW - 1000, value: 65 }],
            perUnit: {
              a: [{ timestamp: NOW - 1000, value: 40 }],
              b: [{ timestamp: NOW - 1000, value: 90 }],
            },
          },
        },
      } as Observation,
      expected: { outcome: 'abstain', details: { value: 40 } },
    },
  ] as { name: string; r: ReturnType<typeof rule>; obs: Observation; expected: object }[])(
    '$name',
    ({ r, obs, expected }) => {
      expect(proposeStep(r, 0, obs)).toMatchObject(expected);
    },
  );

  it('without a unit list, remembers the capacity it saw rise and counts those units as warming', () => {
    const first = proposeStep(out, 0, at(0, 10, 55, { lastScaleOutAt: null }));
    expect(first).toMatchObject({ capacity: 11 });
    // The controller reports the new unit ready at once; the rule still counts it as warming.
    const second = proposeStep(out, 0, at(15_000, 11, 55, { lastScaleOutAt: 0, memory: [first.memory] }));
    expect(second).toMatchObject({ capacity: 11, reason: 'WarmingUp', details: { warming: 1 } });
    const scaleIn = proposeStep(
      inRule,
      0,
      at(30_000, 11, 30, { lastScaleOutAt: 0, memory: [second.memory] }),
    );
    expect(scaleIn).toMatchObject({ capacity: 11, reason: 'WarmingUp' });
    const later = proposeStep(out, 0, at(5 * MIN, 11, 55, { lastScaleOutAt: 0, memory: [second.memory] }));
    expect(later).toMatchObject({ capacity: 12, reason: 'AboveTarget' });
  });

  it('without a unit list or memory, counts units not yet ready as warming', () => {
    const p = proposeStep(inRule, 0, { ...at(0, 6, 30), readyCapacity: 4 });
    expect(p).toMatchObject({ capacity: 6, reason: 'WarmingUp', details: { warming: 2 } });
  });
});

describe('proposeStep: Application Auto Scaling cooldown', () => {
  const out = rule({
    threshold: 50,
    comparison: '>=',
    adjustmentType: 'ChangeInCapacity',
    cooldown: '5m',
    steps: [
      { lower: 0, upper: 10, adjustment: 2 },
      { lower: 10, adjustment: 3 },
    ],
  });
  const inRule = rule({
    threshold: 30,
    comparison: '<=',
    adjustmentType: 'ChangeInCapacity',
    cooldown: '5m',
    steps: [{ upper: 0, adjustment: -1 }],
  });

  it(`aws-app-as-step-cooldown-scale-out (${APP_STEP_GUIDE}): +2, then a +3 step within the cooldown adds only 1`, () => {
    const first = proposeStep(out, 0, at(0, 4, 55, { lastScaleOutAt: null }));
    expect(first).toMatchObject({ outcome: 'propose', capacity: 6 });
    const second = proposeStep(out, 0, at(MIN, 6, 65, { lastScaleOutAt: 0, memory: [first.memory] }));
    expect(second).toMatchObject({ outcome: 'propose', capacity: 7, details: { delta: 1, base: 4 } });
    // The larger scale-out keeps counting from 4: the same +3 step again adds nothing (4 + 3 = 7).
    const third = proposeStep(out, 0, at(2 * MIN, 7, 65, { lastScaleOutAt: MIN, memory: [second.memory] }));
    expect(third).toMatchObject({ outcome: 'abstain', reason: 'RuleCooldown' });
  });

  it.each([
    {
      name: 'the same step again within the cooldown adds nothing',
      obs: (memory: NonNullable<Observation['memory']>) => at(MIN, 6, 55, { lastScaleOutAt: 0, memory }),
      expected: { outcome: 'abstain', reason: 'RuleCooldown', details: { cooldownLeft: 4 * MIN } },
    },
    {
      name: 'after the cooldown the step applies to the capacity then',
      obs: (memory: NonNullable<Observation['memory']>) => at(5 * MIN, 6, 55, { lastScaleOutAt: 0, memory }),
      expected: { outcome: 'propose', capacity: 8 },
    },
    {
      name: 'a scale-out that was never applied starts no cooldown',
      obs: (memory: NonNullable<Observation['memory']>) => at(MIN, 4, 55, { lastScaleOutAt: null, memory }),
      expected: { outcome: 'propose', capacity: 6 },
    },
  ])('$name', ({ obs, expected }) => {
    const first = proposeStep(out, 0, at(0, 4, 55, { lastScaleOutAt: null }));
    expect(proposeStep(out, 0, obs([first.memory]))).toMatchObject(expected);
  });

  it('scale-in waits for the cooldown after its scale-in', () => {
    const first = proposeStep(inRule, 0, at(0, 6, 20, { lastScaleInAt: null }));
    expect(first).toMatchObject({ capacity: 5 });
    const blocked = proposeStep(inRule, 0, at(MIN, 5, 20, { lastScaleInAt: 0, memory: [first.memory] }));
    expect(blocked).toMatchObject({ outcome: 'abstain', reason: 'RuleCooldown' });
    const after = proposeStep(inRule, 0, at(5 * MIN, 5, 20, { lastScaleInAt: 0, memory: [first.memory] }));
    expect(after).toMatchObject({ outcome: 'propose', capacity: 4 });
  });

  it(`aws-app-as-scale-in-cooldown-interrupt (${APP_STEP_GUIDE}): a scale-out acts at once and ends the scale-in cooldown`, () => {
    const scaledIn = proposeStep(inRule, 1, at(0, 6, 20, { lastScaleInAt: null }));
    // A scale-out alarm within the scale-in cooldown acts immediately (the scale-out rule has its own memory).
    const outNow = proposeStep(out, 0, at(MIN, 5, 55, { lastScaleInAt: 0, lastScaleOutAt: null }));
    expect(outNow).toMatchObject({ outcome: 'propose', capacity: 7 });
    // …and the scale-in cooldown stops: the scale-in rule may act again before its 5 minutes.
    const again = proposeStep(
      inRule,
      1,
      at(2 * MIN, 7, 20, { lastScaleInAt: 0, lastScaleOutAt: MIN, memory: [undefined, scaledIn.memory] }),
    );
    expect(again).toMatchObject({ outcome: 'propose', capacity: 6 });
  });

  it('rejects a rule with both instanceWarmup and cooldown', () => {
    const input = {
      kind: 'step',
      metric: 'cpu',
      threshold: 50,
      comparison: '>=',
      adjustmentType: 'ChangeInCapacity',
      steps: [{ lower: 0, adjustment: 1 }],
      instanceWarmup: '5m',
      cooldown: '5m',
    };
    const result = stepRuleSchema.safeParse(input, { reportInput: true });
    expect(toConfigIssues(result.error?.issues ?? [], input).map((i) => i.message)).toEqual([
      'cooldown: expected either `instanceWarmup` (EC2 Auto Scaling) or `cooldown` (Application Auto Scaling), not both, got both',
    ]);
  });
});
