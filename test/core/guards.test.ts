import { describe, expect, it } from 'vitest';
import {
  applyBounds,
  applyCooldown,
  applyHold,
  applyPause,
  applyScaleInControls,
  cooldownSchema,
  scaleInControlsSchema,
} from '../../src/core/guards.js';
import type { HoldState } from '../../src/core/types.js';

describe('cooldownSchema', () => {
  it.each([
    {
      name: 'one duration applies to both directions',
      input: '5m',
      expected: { scaleOut: 300_000, scaleIn: 300_000 },
    },
    {
      name: 'milliseconds apply to both directions',
      input: 1000,
      expected: { scaleOut: 1000, scaleIn: 1000 },
    },
    {
      name: 'per direction: a missing side is 0',
      input: { scaleOut: '1m' },
      expected: { scaleOut: 60_000, scaleIn: 0 },
    },
    {
      name: 'per direction: scale-in only',
      input: { scaleIn: '30s' },
      expected: { scaleOut: 0, scaleIn: 30_000 },
    },
    { name: 'an empty object is no cooldown', input: {}, expected: { scaleOut: 0, scaleIn: 0 } },
  ])('$name', ({ input, expected }) => {
    expect(cooldownSchema.parse(input)).toEqual(expected);
  });

  it.each([
    { name: 'a boolean', input: true },
    { name: 'an unknown key', input: { scaleUp: '1m' } },
    { name: 'a bad duration', input: '5 minutes' },
  ])('rejects $name', ({ input }) => {
    expect(cooldownSchema.safeParse(input).success).toBe(false);
  });
});

describe('applyCooldown', () => {
  const base = { now: 100_000, lastScaleOutAt: null, lastScaleInAt: null } as const;

  it.each([
    {
      name: 'scale-out inside the scale-out cooldown is held: 70 000 + 60 000 − 100 000 = 30 000 ms left',
      args: {
        ...base,
        current: 4,
        desired: 6,
        cooldown: { scaleOut: 60_000, scaleIn: 0 },
        lastScaleOutAt: 70_000,
      },
      capacity: 4,
      message: 'scale-out cooldown has 30000 ms left',
    },
    {
      name: 'scale-out 1 ms before the cooldown ends is held: 40 001 + 60 000 − 100 000 = 1 ms left',
      args: {
        ...base,
        current: 4,
        desired: 6,
        cooldown: { scaleOut: 60_000, scaleIn: 0 },
        lastScaleOutAt: 40_001,
      },
      capacity: 4,
      message: 'scale-out cooldown has 1 ms left',
    },
    {
      name: 'scale-in counts from the last scale-OUT too: 90 000 + 60 000 − 100 000 = 50 000 left',
      args: {
        ...base,
        current: 6,
        desired: 4,
        cooldown: { scaleOut: 0, scaleIn: 60_000 },
        lastScaleOutAt: 90_000,
        lastScaleInAt: 50_000,
      },
      capacity: 6,
      message: 'scale-in cooldown has 50000 ms left',
    },
    {
      name: 'scale-in counts from the later of the two: last in 95 000 → 95 000 + 60 000 − 100 000 = 55 000 left',
      args: {
        ...base,
        current: 6,
        desired: 4,
        cooldown: { scaleOut: 0, scaleIn: 60_000 },
        lastScaleOutAt: 50_000,
        lastScaleInAt: 95_000,
      },
      capacity: 6,
      message: 'scale-in cooldown has 55000 ms left',
    },
  ])('$name', ({ args, capacity, message }) => {
    expect(applyCooldown(args)).toEqual({ capacity, reason: 'CooldownActive', message });
  });

  it.each([
    {
      name: 'scale-out exactly when the cooldown ends passes (40 000 + 60 000 = now)',
      args: {
        ...base,
        current: 4,
        desired: 6,
        cooldown: { scaleOut: 60_000, scaleIn: 0 },
        lastScaleOutAt: 40_000,
      },
    },
    {
      name: 'scale-out with no earlier scale-out passes',
      args: {
        ...base,
        current: 4,
        desired: 6,
        cooldown: { scaleOut: 60_000, scaleIn: 60_000 },
        lastScaleInAt: 99_000,
      },
    },
    {
      name: 'scale-out ignores the scale-in cooldown',
      args: {
        ...base,
        current: 4,
        desired: 6,
        cooldown: { scaleOut: 0, scaleIn: 60_000 },
        lastScaleOutAt: 99_000,
      },
    },
    {
      name: 'scale-in with no earlier change passes',
      args: { ...base, current: 6, desired: 4, cooldown: { scaleOut: 60_000, scaleIn: 60_000 } },
    },
    {
      name: 'scale-in exactly when the cooldown ends passes (40 000 + 60 000 = now)',
      args: {
        ...base,
        current: 6,
        desired: 4,
        cooldown: { scaleOut: 0, scaleIn: 60_000 },
        lastScaleInAt: 40_000,
      },
    },
    {
      name: 'scale-in ignores the scale-out cooldown',
      args: {
        ...base,
        current: 6,
        desired: 4,
        cooldown: { scaleOut: 60_000, scaleIn: 0 },
        lastScaleOutAt: 99_000,
      },
    },
    {
      name: 'no change is never held',
      args: {
        ...base,
        current: 5,
        desired: 5,
        cooldown: { scaleOut: 60_000, scaleIn: 60_000 },
        lastScaleOutAt: 99_000,
        lastScaleInAt: 99_000,
      },
    },
  ])('$name', ({ args }) => {
    expect(applyCooldown(args)).toEqual({ capacity: args.desired, reason: null, message: '' });
  });
});

describe('applyPause', () => {
  it.each([
    {
      name: 'scale-out while scale-out is paused keeps current',
      current: 4,
      desired: 6,
      paused: { scaleOut: true, scaleIn: false },
      expected: { capacity: 4, reason: 'ScaleOutPaused', message: 'automatic scale-out is paused' },
    },
    {
      name: 'scale-in while scale-in is paused keeps current',
      current: 6,
      desired: 4,
      paused: { scaleOut: false, scaleIn: true },
      expected: { capacity: 6, reason: 'ScaleInPaused', message: 'automatic scale-in is paused' },
    },
    {
      name: 'scale-in passes while only scale-out is paused',
      current: 6,
      desired: 4,
      paused: { scaleOut: true, scaleIn: false },
      expected: { capacity: 4, reason: null, message: '' },
    },
    {
      name: 'scale-out passes while only scale-in is paused',
      current: 4,
      desired: 6,
      paused: { scaleOut: false, scaleIn: true },
      expected: { capacity: 6, reason: null, message: '' },
    },
    {
      name: 'no change passes even with both paused',
      current: 4,
      desired: 4,
      paused: { scaleOut: true, scaleIn: true },
      expected: { capacity: 4, reason: null, message: '' },
    },
  ])('$name', ({ current, desired, paused, expected }) => {
    expect(applyPause(current, desired, paused)).toEqual(expected);
  });
});

describe('applyHold', () => {
  const hold: HoldState = { capacity: 4, until: 10_000, reason: 'release' };

  it.each([
    { name: 'an active hold keeps current on scale-out', current: 4, desired: 6, now: 5000 },
    { name: 'an active hold keeps current on scale-in', current: 4, desired: 2, now: 9999 },
  ])('$name', ({ current, desired, now }) => {
    expect(applyHold(current, desired, hold, now)).toEqual({
      capacity: current,
      reason: 'ManualHold',
      // until 10 000 ms after the epoch
      message: 'a manual hold ("release") is active until 1970-01-01T00:00:10.000Z',
    });
  });

  it.each([
    { name: 'no hold passes', hold: null, current: 4, desired: 6, now: 5000 },
    { name: 'a hold ends AT until (now = until passes)', hold, current: 4, desired: 6, now: 10_000 },
    { name: 'an expired hold passes', hold, current: 4, desired: 6, now: 20_000 },
    { name: 'no change passes under an active hold', hold, current: 4, desired: 4, now: 5000 },
  ])('$name', ({ hold: h, current, desired, now }) => {
    expect(applyHold(current, desired, h, now)).toEqual({ capacity: desired, reason: null, message: '' });
  });
});

describe('applyBounds', () => {
  it.each([
    {
      name: 'above max clamps to max',
      desired: 12,
      expected: { capacity: 10, reason: 'TooManyReplicas', message: '12 is above the maximum capacity 10' },
    },
    {
      name: 'below min clamps to min',
      desired: 0,
      expected: { capacity: 1, reason: 'TooFewReplicas', message: '0 is below the minimum capacity 1' },
    },
    {
      name: 'max itself passes (inclusive)',
      desired: 10,
      expected: { capacity: 10, reason: null, message: '' },
    },
    {
      name: 'min itself passes (inclusive)',
      desired: 1,
      expected: { capacity: 1, reason: null, message: '' },
    },
    { name: 'inside passes', desired: 5, expected: { capacity: 5, reason: null, message: '' } },
  ])('$name within [1, 10]', ({ desired, expected }) => {
    expect(applyBounds(desired, 1, 10)).toEqual(expected);
  });

  it('a fixed-size group (min = max) pins every number to that size', () => {
    expect(applyBounds(0, 3, 3).capacity).toBe(3);
    expect(applyBounds(9, 3, 3).capacity).toBe(3);
  });
});

describe('scaleInControlsSchema', () => {
  it.each([
    {
      name: 'a count',
      input: { maxScaledInReplicas: 10, timeWindow: '20m' },
      expected: { maxScaledInReplicas: { fixed: 10 }, timeWindow: 1_200_000 },
    },
    {
      name: 'a percent string',
      input: { maxScaledInReplicas: '25%', timeWindow: 600_000 },
      expected: { maxScaledInReplicas: { percent: 25 }, timeWindow: 600_000 },
    },
    {
      name: "GCP's { fixed }",
      input: { maxScaledInReplicas: { fixed: 3 }, timeWindow: '10m' },
      expected: { maxScaledInReplicas: { fixed: 3 }, timeWindow: 600_000 },
    },
    {
      name: "GCP's { percent }",
      input: { maxScaledInReplicas: { percent: 12.5 }, timeWindow: '10m' },
      expected: { maxScaledInReplicas: { percent: 12.5 }, timeWindow: 600_000 },
    },
  ])('$name', ({ input, expected }) => {
    expect(scaleInControlsSchema.parse(input)).toEqual(expected);
  });

  it.each([
    { name: 'a negative count', input: { maxScaledInReplicas: -1, timeWindow: '10m' } },
    { name: 'a percent above 100', input: { maxScaledInReplicas: '150%', timeWindow: '10m' } },
    {
      name: 'a percent object above 100',
      input: { maxScaledInReplicas: { percent: 101 }, timeWindow: '10m' },
    },
    { name: 'no time window', input: { maxScaledInReplicas: 1 } },
    { name: 'a zero time window', input: { maxScaledInReplicas: 1, timeWindow: 0 } },
  ])('rejects $name', ({ input }) => {
    expect(scaleInControlsSchema.safeParse(input).success).toBe(false);
  });
});

describe('applyScaleInControls', () => {
  const MIN = 60_000;
  const fixed10 = { maxScaledInReplicas: { fixed: 10 }, timeWindow: 20 * MIN };
  it.each([
    {
      // gcp-scale-in-controls-blog (https://globalcloudplatforms.com/2020/11/07/scale-in-at-your-own-pace-with-compute-engine-autoscaler-controls/):
      // at most 10 VMs removed in 20 minutes when the load halves.
      name: 'gcp-scale-in-controls-blog: the load halves 40 → 20, at most 10 below the peak 40 → 30',
      current: 40,
      desired: 20,
      now: MIN,
      controls: fixed10,
      peaks: [{ at: 0, capacity: 40 }],
      capacity: 30,
      reason: 'ScaleInControlled',
    },
    {
      name: 'gcp-scale-in-controls-blog: still within the 20 minutes, the peak 40 still holds at 30',
      current: 30,
      desired: 20,
      now: 19 * MIN,
      controls: fixed10,
      peaks: [
        { at: 0, capacity: 40 },
        { at: MIN, capacity: 20 },
      ],
      capacity: 30,
      reason: 'ScaleInControlled',
    },
    {
      name: 'gcp-scale-in-controls-blog: once the peak leaves the window the next 10 may go (30 → 20)',
      current: 30,
      desired: 20,
      now: 20 * MIN,
      controls: fixed10,
      peaks: [
        { at: 0, capacity: 40 },
        { at: MIN, capacity: 20 },
      ],
      capacity: 20,
      reason: null,
    },
    {
      name: 'a drop within the allowance passes: 40 → 32 with 10 allowed',
      current: 40,
      desired: 32,
      now: MIN,
      controls: fixed10,
      peaks: [{ at: 0, capacity: 40 }],
      capacity: 32,
      reason: null,
    },
    {
      name: 'a percent of the peak, rounded down: 25 % of 18 = 4.5 → 4, so 18 → no lower than 14',
      current: 18,
      desired: 5,
      now: MIN,
      controls: { maxScaledInReplicas: { percent: 25 }, timeWindow: 10 * MIN },
      peaks: [{ at: 0, capacity: 18 }],
      capacity: 14,
      reason: 'ScaleInControlled',
    },
    {
      name: 'never raises above current: peak 40 − 10 = 30 but current is 25 → keep 25',
      current: 25,
      desired: 10,
      now: MIN,
      controls: fixed10,
      peaks: [{ at: 0, capacity: 40 }],
      capacity: 25,
      reason: 'ScaleInControlled',
    },
    {
      name: 'a scale-out passes untouched',
      current: 20,
      desired: 35,
      now: MIN,
      controls: fixed10,
      peaks: [{ at: 0, capacity: 40 }],
      capacity: 35,
      reason: null,
    },
    {
      name: 'maxScaledInReplicas 0 forbids going below the peak at all',
      current: 10,
      desired: 8,
      now: MIN,
      controls: { maxScaledInReplicas: { fixed: 0 }, timeWindow: 10 * MIN },
      peaks: [{ at: 0, capacity: 10 }],
      capacity: 10,
      reason: 'ScaleInControlled',
    },
  ])('$name', ({ current, desired, now, controls, peaks, capacity, reason }) => {
    const result = applyScaleInControls({ current, desired, now, controls, peaks });
    expect(result.capacity).toBe(capacity);
    expect(result.reason).toBe(reason);
  });

  it('keeps only the records that can still be a peak, and records the new one', () => {
    const result = applyScaleInControls({
      current: 10,
      desired: 7,
      now: 300_000,
      controls: { maxScaledInReplicas: { fixed: 5 }, timeWindow: 200_000 },
      peaks: [
        { at: 50_000, capacity: 20 }, // older than now − window: dropped
        { at: 150_000, capacity: 12 },
        { at: 250_000, capacity: 6 }, // below the new 7: can never be the peak again
      ],
    });
    expect(result.peaks).toEqual([
      { at: 150_000, capacity: 12 },
      { at: 300_000, capacity: 7 },
    ]);
    expect(result.message).toBe('');
  });

  it('explains a held scale-in', () => {
    expect(
      applyScaleInControls({
        current: 40,
        desired: 20,
        now: 1,
        controls: fixed10,
        peaks: [{ at: 0, capacity: 40 }],
      }).message,
    ).toBe('scale-in controls allow at most 10 below the peak recommendation 40 of the last 20m');
  });
});
