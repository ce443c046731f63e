import { describe, expect, it } from 'vitest';
import { applyBounds, applyCooldown, applyHold, applyPause, cooldownSchema } from '../../src/core/guards.js';
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
