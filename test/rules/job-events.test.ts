import { describe, expect, it } from 'vitest';
import type { JsonValue, Observation, Proposal } from '../../src/core/types.js';
import { applyJobEvent, currentReservations, delayScaleDown } from '../../src/rules/job-events.js';

// ARC HRA webhook scaling (docs/automatically-scaling-runners.md, webhook-based autoscaler):
// a `queued` workflow_job adds one capacity reservation expiring at now + duration; a
// `completed` one removes the oldest; a lost completion expires after the duration.
const ARC =
  'https://github.com/actions/actions-runner-controller/blob/master/docs/automatically-scaling-runners.md';
const MIN = 60_000;
const settings = { reservationDuration: 30 * MIN };

function replay(
  events: readonly (readonly ['queued' | 'completed', number])[],
  limit?: number,
): JsonValue | undefined {
  let memory: JsonValue | undefined;
  for (const [type, at] of events) {
    memory = applyJobEvent(memory, { type, at }, at, { ...settings, reservationLimit: limit });
  }
  return memory;
}

describe('applyJobEvent', () => {
  it(`arc-webhook-duration (${ARC}): queued adds a reservation expiring at now + duration`, () => {
    const memory = replay([['queued', 1000]]);
    expect(memory).toEqual({ reservations: [{ at: 1000, expiresAt: 1000 + 30 * MIN }] });
    expect(currentReservations(memory, 1000 + 30 * MIN - 1, settings).active).toBe(1);
  });

  it(`arc-webhook-duration (${ARC}): completed removes the oldest reservation`, () => {
    const memory = replay([
      ['queued', 0],
      ['queued', 1000],
      ['completed', 2000],
    ]);
    expect(memory).toEqual({ reservations: [{ at: 1000, expiresAt: 1000 + 30 * MIN }] });
  });

  it(`arc-webhook-duration (${ARC}): a reservation whose completion was lost expires after the duration`, () => {
    const memory = replay([['queued', 0]]);
    expect(currentReservations(memory, 30 * MIN, settings)).toEqual({
      active: 0,
      waiting: 0,
      memory: undefined,
    });
  });

  it('a completion with nothing reserved changes nothing', () => {
    expect(replay([['completed', 0]])).toEqual({ reservations: [] });
  });

  it('past the limit reservations wait, and start their timer when a slot frees (completion)', () => {
    const memory = replay(
      [
        ['queued', 0],
        ['queued', 1000],
        ['completed', 5000],
      ],
      1,
    );
    expect(memory).toEqual({ reservations: [{ at: 1000, expiresAt: 5000 + 30 * MIN }] });
  });

  it('past the limit, a waiting reservation starts when the active one expires, at that instant', () => {
    const memory = replay(
      [
        ['queued', 0],
        ['queued', 1000],
      ],
      1,
    );
    expect(currentReservations(memory, 1000, { ...settings, reservationLimit: 1 })).toMatchObject({
      active: 1,
      waiting: 1,
    });
    const later = currentReservations(memory, 45 * MIN, { ...settings, reservationLimit: 1 });
    expect(later).toEqual({
      active: 1,
      waiting: 0,
      memory: { reservations: [{ at: 1000, expiresAt: 60 * MIN }] },
    });
  });

  it('ignores malformed memory', () => {
    expect(applyJobEvent({ reservations: 'x' }, { type: 'queued', at: 0 }, 0, settings)).toEqual({
      reservations: [{ at: 0, expiresAt: 30 * MIN }],
    });
  });
});

describe('delayScaleDown', () => {
  const proposal = (capacity: number): Proposal => ({
    rule: 'r',
    ruleIndex: 0,
    outcome: 'propose',
    capacity,
    reason: 'BelowTarget',
    message: 'm',
  });
  const at = (now: number, lastScaleOutAt: number | null): Observation => ({
    now,
    capacity: 10,
    readyCapacity: 10,
    metrics: {},
    lastScaleOutAt,
  });
  it.each([
    {
      name: 'arc-anti-flap: inside 300 s of a scale-out the scale-in waits',
      now: 299_999,
      last: 0,
      expected: 10,
    },
    { name: 'arc-anti-flap: at exactly 300 s the delay has passed', now: 300_000, last: 0, expected: 6 },
    { name: 'no scale-out yet: no delay', now: 1000, last: null, expected: 6 },
  ])(`$name (${ARC})`, ({ now, last, expected }) => {
    expect(delayScaleDown(proposal(6), at(now, last), 300_000).capacity).toBe(expected);
  });

  it('never touches a scale-out', () => {
    expect(delayScaleDown(proposal(12), at(1, 0), 300_000).capacity).toBe(12);
  });
});
