import { describe, expect, it } from 'vitest';
import { validateGroupConfig } from '../../src/config/group.js';
import type { Observation } from '../../src/core/types.js';
import { ConfigError } from '../../src/errors.js';
import {
  type PercentageRunnersBusyRuleInput,
  percentageRunnersBusyRuleSchema,
  proposePercentageRunnersBusy,
  suggestByPercentageRunnersBusy,
} from '../../src/rules/runners-busy.js';
import { runScenario } from '../runtime/scenario-runner.js';

// arc-percentage-runners-busy: ARC controllers/autoscaling.go, suggestReplicasByPercentageRunnersBusy.
const SOURCE = 'https://github.com/actions/actions-runner-controller/blob/master/controllers/autoscaling.go';
const NOW = 10_000_000;

type RuleInput = Omit<PercentageRunnersBusyRuleInput, 'kind' | 'metric'>;
const rule = (over: RuleInput = {}) =>
  percentageRunnersBusyRuleSchema.parse({ kind: 'percentage-runners-busy', metric: 'busy', ...over });
const observe = (capacity: number, busy: number, extra: Partial<Observation> = {}): Observation => ({
  now: NOW,
  capacity,
  readyCapacity: capacity,
  metrics: { busy: { status: 'ok', samples: [{ timestamp: NOW - 1000, value: busy }] } },
  ...extra,
});

describe('percentageRunnersBusyRuleSchema', () => {
  it('applies ARC defaults', () => {
    expect(rule()).toEqual({
      kind: 'percentage-runners-busy',
      metric: 'busy',
      statistic: 'last',
      window: 60_000,
      scaleUpThreshold: 0.8,
      scaleDownThreshold: 0.3,
      scaleDownDelayAfterScaleOut: 600_000,
    });
  });

  it('the group schema rejects a factor with an adjustment of the same direction', () => {
    let error: unknown;
    try {
      validateGroupConfig({
        id: 'runners',
        minCapacity: 1,
        maxCapacity: 10,
        rules: [{ kind: 'percentage-runners-busy', metric: 'busy', scaleUpFactor: 2, scaleUpAdjustment: 1 }],
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => [i.path, i.message])).toEqual([
      [
        'rules[0].scaleUpAdjustment',
        'rules[0].scaleUpAdjustment: expected either `scaleUpAdjustment` or `scaleUpFactor`, got both',
      ],
    ]);
  });
});

describe(`suggestByPercentageRunnersBusy: arc-percentage-runners-busy (${SOURCE})`, () => {
  it.each([
    // defaults 0.8 / 0.3 / 1.3 / 0.7
    {
      name: 'at the scale-up threshold: 8 of 10 → ceil(10 × 1.3) = 13',
      over: {},
      before: 10,
      busy: 8,
      expected: 13,
    },
    { name: 'just under it: 7 of 10 → unchanged 10', over: {}, before: 10, busy: 7, expected: 10 },
    {
      name: 'at the scale-down threshold: 3 of 10 → unchanged 10',
      over: {},
      before: 10,
      busy: 3,
      expected: 10,
    },
    { name: 'below it: 2 of 10 → trunc(10 × 0.7) = 7', over: {}, before: 10, busy: 2, expected: 7 },
    { name: 'rounding up: 3 of 3 → ceil(3.9) = 4', over: {}, before: 3, busy: 3, expected: 4 },
    { name: 'truncating: 0 of 3 → trunc(2.1) = 2', over: {}, before: 3, busy: 0, expected: 2 },
    { name: 'truncating to 0: 0 of 1 → trunc(0.7) = 0', over: {}, before: 1, busy: 0, expected: 0 },
    {
      name: 'adjustments: 9 of 10 → 10 + 2',
      over: { scaleUpAdjustment: 2, scaleDownAdjustment: 3 },
      before: 10,
      busy: 9,
      expected: 12,
    },
    {
      name: 'adjustments: 1 of 10 → 10 − 3',
      over: { scaleUpAdjustment: 2, scaleDownAdjustment: 3 },
      before: 10,
      busy: 1,
      expected: 7,
    },
    {
      name: 'docs example factors 2 / 0.5 with thresholds 0.75 / 0.25: 6 of 8 → 16',
      over: { scaleUpThreshold: 0.75, scaleDownThreshold: 0.25, scaleUpFactor: 2, scaleDownFactor: 0.5 },
      before: 8,
      busy: 6,
      expected: 16,
    },
    { name: 'from 0 with nothing busy: NaN, so unchanged 0', over: {}, before: 0, busy: 0, expected: 0 },
    {
      name: 'from 0 with busy runners the factor still gives 0 (alone it cannot scale from 0)',
      over: {},
      before: 0,
      busy: 1,
      expected: 0,
    },
  ])('$name', ({ over, before, busy, expected }) => {
    expect(suggestByPercentageRunnersBusy(rule(over), before, busy)).toBe(expected);
  });
});

describe('proposePercentageRunnersBusy', () => {
  it('adds active job-event reservations on top', () => {
    const r = rule({ reservationDuration: '30m' });
    const memory = { reservations: [{ at: NOW - 1000, expiresAt: NOW + 60_000 }] };
    const proposal = proposePercentageRunnersBusy(r, 0, observe(10, 8, { memory: [memory] }));
    expect(proposal).toMatchObject({ capacity: 14, details: { suggested: 13, reserved: 1 }, memory });
  });

  it('delays a scale-in for 10 minutes after a scale-out by default', () => {
    const proposal = proposePercentageRunnersBusy(
      rule(),
      0,
      observe(10, 1, { lastScaleOutAt: NOW - 60_000 }),
    );
    expect(proposal).toMatchObject({ capacity: 10, reason: 'ScaleDownDelayed', details: { undelayed: 7 } });
  });

  it('passes a missing metric through as invalid', () => {
    expect(proposePercentageRunnersBusy(rule(), 0, { ...observe(4, 0), metrics: {} }).outcome).toBe(
      'invalid',
    );
  });
});

describe('percentage-runners-busy through AutoScalingManager', () => {
  it('scales out by 1.3, then holds the scale-in for the delay after the scale-out', async () => {
    // t=0: 9 of 10 busy → 13. t=15s: 9 of 13 (0.69) → 13. t=30s: 1 of 13 → trunc(9.1) = 9, but the
    // scale-out at 0 was less than 60 s ago → 13. t=60s: 0 + 60 s is not after 60 s → 9.
    await runScenario({
      name: 'percentage-runners-busy',
      group: {
        id: 'runners',
        minCapacity: 1,
        maxCapacity: 20,
        evaluationInterval: '15s',
        rules: [{ kind: 'percentage-runners-busy', metric: 'busy', scaleDownDelayAfterScaleOut: '60s' }],
        behavior: { scaleDown: { stabilizationWindow: 0 } },
      },
      controller: { initial: 10 },
      metrics: {
        busy: [
          [0, 9],
          [30_000, 1],
        ],
      },
      until: 60_000,
      expect: {
        capacity: [
          [0, 13],
          [15_000, 13],
          [30_000, 13],
          [45_000, 13],
          [60_000, 9],
        ],
      },
    });
  });
});
