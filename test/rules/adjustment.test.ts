import { describe, expect, it } from 'vitest';
import {
  type AdjustmentType,
  adjustmentLabel,
  applyAdjustment,
  breaches,
  type Comparison,
  roundPercentDelta,
} from '../../src/rules/adjustment.js';

// Rows named "aws-…" are vectors from peer-vectors.json, copied here as literal rows with their
// id and source URL; the others are worked by hand from the rules in peers.md §1.4.
const STEP_GUIDE = 'https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-simple-step.html';
const APP_STEP_API =
  'https://docs.aws.amazon.com/autoscaling/application/APIReference/API_StepScalingPolicyConfiguration.html';

describe('applyAdjustment', () => {
  it.each([
    {
      name: `aws-adjustment-change-in-capacity (${STEP_GUIDE}): 3 + 5 = 8`,
      type: 'ChangeInCapacity',
      adjustment: 5,
      current: 3,
      expected: 8,
    },
    {
      name: `aws-adjustment-exact-capacity (${STEP_GUIDE}): 3 → 5`,
      type: 'ExactCapacity',
      adjustment: 5,
      current: 3,
      expected: 5,
    },
    {
      name: `aws-adjustment-percent-change (${STEP_GUIDE}): 10 at +10% is +1`,
      type: 'PercentChangeInCapacity',
      adjustment: 10,
      current: 10,
      expected: 11,
    },
    {
      name: `aws-min-adjustment-magnitude-ec2 (${STEP_GUIDE}): 25% of 4 is 1, raised to 2`,
      type: 'PercentChangeInCapacity',
      adjustment: 25,
      current: 4,
      magnitude: 2,
      expected: 6,
    },
    {
      name: `aws-min-adjustment-magnitude-ecs (${APP_STEP_API}): 25% of 4 tasks is 1, applied as 2`,
      type: 'PercentChangeInCapacity',
      adjustment: 25,
      current: 4,
      magnitude: 2,
      expected: 6,
    },
    { name: 'change: a removal', type: 'ChangeInCapacity', adjustment: -2, current: 5, expected: 3 },
    { name: 'change: never below 0', type: 'ChangeInCapacity', adjustment: -9, current: 5, expected: 0 },
    { name: 'exact: to 0', type: 'ExactCapacity', adjustment: 0, current: 5, expected: 0 },
    { name: 'exact: regardless of current', type: 'ExactCapacity', adjustment: 4, current: 9, expected: 4 },
    {
      name: 'percent: 0 < delta < 1 becomes +1 (5% of 3 = 0.15)',
      type: 'PercentChangeInCapacity',
      adjustment: 5,
      current: 3,
      expected: 4,
    },
    {
      name: 'percent: delta > 1 rounds down (50% of 5 = 2.5)',
      type: 'PercentChangeInCapacity',
      adjustment: 50,
      current: 5,
      expected: 7,
    },
    {
      name: 'percent: −1 < delta < 0 becomes −1 (−5% of 3 = −0.15)',
      type: 'PercentChangeInCapacity',
      adjustment: -5,
      current: 3,
      expected: 2,
    },
    {
      name: 'percent: delta < −1 rounds toward zero (−50% of 5 = −2.5)',
      type: 'PercentChangeInCapacity',
      adjustment: -50,
      current: 5,
      expected: 3,
    },
    {
      name: 'percent: −100% empties the group',
      type: 'PercentChangeInCapacity',
      adjustment: -100,
      current: 5,
      expected: 0,
    },
    {
      name: 'percent: a 0 delta stays 0 (any % of 0 units)',
      type: 'PercentChangeInCapacity',
      adjustment: 50,
      current: 0,
      magnitude: 2,
      expected: 0,
    },
    {
      name: 'percent: minAdjustmentMagnitude on a removal (−25% of 4 is −1, raised to −2)',
      type: 'PercentChangeInCapacity',
      adjustment: -25,
      current: 4,
      magnitude: 2,
      expected: 2,
    },
    {
      name: 'percent: minAdjustmentMagnitude below the delta changes nothing (50% of 10 is 5)',
      type: 'PercentChangeInCapacity',
      adjustment: 50,
      current: 10,
      magnitude: 2,
      expected: 15,
    },
  ] as {
    name: string;
    type: AdjustmentType;
    adjustment: number;
    current: number;
    magnitude?: number;
    expected: number;
  }[])('$name', ({ type, adjustment, current, magnitude, expected }) => {
    expect(applyAdjustment(type, adjustment, current, magnitude)).toBe(expected);
  });
});

describe('roundPercentDelta', () => {
  it.each([
    { name: `aws-percent-rounding-1 (${STEP_GUIDE}): 12.7 rounds down`, raw: 12.7, expected: 12 },
    { name: `aws-percent-rounding-2 (${STEP_GUIDE}): 0.67 becomes 1`, raw: 0.67, expected: 1 },
    { name: `aws-percent-rounding-3 (${STEP_GUIDE}): −0.58 becomes −1`, raw: -0.58, expected: -1 },
    { name: `aws-percent-rounding-4 (${STEP_GUIDE}): −6.67 rounds toward zero`, raw: -6.67, expected: -6 },
    { name: 'exactly 0 stays 0', raw: 0, expected: 0 },
    { name: 'exactly 1 stays 1', raw: 1, expected: 1 },
    { name: 'exactly −1 stays −1', raw: -1, expected: -1 },
    { name: 'a whole number stays', raw: 3, expected: 3 },
  ])('$name', ({ raw, expected }) => {
    expect(roundPercentDelta(raw)).toBe(expected);
  });
});

describe('breaches', () => {
  it.each([
    { name: '>= at the threshold', value: 50, comparison: '>=', expected: true },
    { name: '> at the threshold', value: 50, comparison: '>', expected: false },
    { name: '> above', value: 50.5, comparison: '>', expected: true },
    { name: '<= at the threshold', value: 50, comparison: '<=', expected: true },
    { name: '< at the threshold', value: 50, comparison: '<', expected: false },
    { name: '< below', value: 49, comparison: '<', expected: true },
    { name: '>= below', value: 49, comparison: '>=', expected: false },
  ] as { name: string; value: number; comparison: Comparison; expected: boolean }[])(
    '$name',
    ({ value, comparison, expected }) => {
      expect(breaches(value, comparison, 50)).toBe(expected);
    },
  );
});

describe('adjustmentLabel', () => {
  it.each([
    { name: 'a change', type: 'ChangeInCapacity', adjustment: 2, expected: '+2 units' },
    { name: 'a removal', type: 'ChangeInCapacity', adjustment: -1, expected: '-1 units' },
    { name: 'an exact capacity', type: 'ExactCapacity', adjustment: 4, expected: 'exactly 4 units' },
    { name: 'a percent', type: 'PercentChangeInCapacity', adjustment: -10, expected: '-10%' },
  ] as { name: string; type: AdjustmentType; adjustment: number; expected: string }[])(
    '$name',
    ({ type, adjustment, expected }) => {
      expect(adjustmentLabel(type, adjustment)).toBe(expected);
    },
  );
});
