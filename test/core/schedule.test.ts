import { describe, expect, it } from 'vitest';
import { validateGroupConfig } from '../../src/config/group.js';
import { decideScheduled } from '../../src/core/decide-scheduled.js';
import {
  activeProfile,
  activeSchedules,
  localDate,
  nextFire,
  profileSchema,
  type ScheduleInput,
  scheduledCapacity,
  scheduleSchema,
} from '../../src/core/schedule.js';
import { initialDecisionState, type Proposal } from '../../src/core/types.js';
import { ConfigError } from '../../src/errors.js';

const at = (iso: string) => Date.parse(iso);
const sched = (input: ScheduleInput) => scheduleSchema.parse(input);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Successive fire times after `from`. */
function fires(input: ScheduleInput, from: string, n: number): (string | null)[] {
  const s = sched(input);
  const out: (string | null)[] = [];
  let t = at(from);
  for (let i = 0; i < n; i++) {
    const next = nextFire(s, t);
    out.push(iso(next));
    if (next === null) break;
    t = next;
  }
  return out;
}

function group(extra: Record<string, unknown>) {
  return validateGroupConfig({ id: 'g', minCapacity: 0, maxCapacity: 100, ...extra });
}

function decideAt(
  config: ReturnType<typeof group>,
  now: string,
  capacity: number,
  proposals: Proposal[] = [],
) {
  return decideScheduled({
    groupId: 'g',
    sequence: 1,
    config,
    state: initialDecisionState(),
    observation: { now: at(now), capacity, readyCapacity: capacity, metrics: {} },
    proposals,
  }).decision;
}

const propose = (rule: string, capacity: number, ruleIndex = 0): Proposal => ({
  rule,
  ruleIndex,
  outcome: 'propose',
  capacity,
  reason: 'AboveTarget',
  message: `${rule} wants ${capacity}`,
});

describe('peer vectors (shared/reference/peer-vectors.json)', () => {
  it('aws-scheduled-cron-ec2: "30 6 * * 2" in Etc/UTC runs every Tuesday at 06:30 (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-scheduled-scaling.html)', () => {
    const runs = fires(
      { cron: '30 6 * * 2', timeZone: 'Etc/UTC', duration: '1h', minCapacity: 1 },
      '2024-01-01T00:00:00Z',
      4,
    );
    expect(runs).toEqual([
      '2024-01-02T06:30:00.000Z',
      '2024-01-09T06:30:00.000Z',
      '2024-01-16T06:30:00.000Z',
      '2024-01-23T06:30:00.000Z',
    ]);
    for (const run of runs) expect(new Date(run as string).getUTCDay()).toBe(2);
  });

  it('aws-scheduled-cron-app-as: "cron(30 6 * * 2 *)" runs every Tuesday at 06:30 (https://docs.aws.amazon.com/autoscaling/application/userguide/scheduled-scaling-using-cron-expressions.html)', () => {
    const runs = fires(
      { cron: 'cron(30 6 * * 2 *)', timeZone: 'Etc/UTC', duration: '1h', minCapacity: 1 },
      '2024-01-01T00:00:00Z',
      3,
    );
    expect(runs).toEqual([
      '2024-01-02T06:30:00.000Z',
      '2024-01-09T06:30:00.000Z',
      '2024-01-16T06:30:00.000Z',
    ]);
  });

  it('AWS cron(): "?" means no value, and a year other than * is refused with a hint', () => {
    const runs = fires(
      { cron: 'cron(0 8 ? * 1-5 *)', timeZone: 'Etc/UTC', duration: '1h', minCapacity: 1 },
      '2024-01-05T00:00:00Z',
      2,
    );
    expect(runs).toEqual(['2024-01-05T08:00:00.000Z', '2024-01-08T08:00:00.000Z']);
    expect(() =>
      validateGroupConfig({
        id: 'g',
        minCapacity: 0,
        maxCapacity: 5,
        schedules: [{ cron: 'cron(0 8 * * 1 2030)', duration: '1h', minCapacity: 1 }],
      }),
    ).toThrow(/the year field of cron\(\) must be \*; bound the years with start and end/);
  });

  it.each([
    { name: 'current below the new min scales out to it', current: 2, desired: 5 },
    { name: 'current above the new max scales in to it', current: 12, desired: 8 },
  ])(
    'aws-scheduled-app-as-clamp: $name (https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-scheduled-scaling.html)',
    ({ current, desired }) => {
      const config = group({
        maxCapacity: 20,
        schedules: [{ name: 'night', cron: '0 0 * * *', duration: '6h', minCapacity: 5, maxCapacity: 8 }],
      });
      const decision = decideAt(config, '2024-01-01T01:00:00Z', current);
      expect(decision.desired).toBe(desired);
      expect(decision.reason).toBe('ScheduledCapacity');
      expect(decision.message).toContain('schedule night');
    },
  );

  it('azure-profile-switch: Monday profile min 3 scales 2 → 3; back on the default profile 12 → 10 (https://learn.microsoft.com/en-us/azure/azure-monitor/autoscale/autoscale-best-practices)', () => {
    const config = group({
      minCapacity: 2,
      maxCapacity: 10,
      profiles: [
        {
          name: 'monday',
          recurrence: { cron: '0 0 * * 1', duration: '24h' },
          minCapacity: 3,
          maxCapacity: 10,
        },
      ],
    });
    // 2024-01-01 is a Monday.
    const monday = decideAt(config, '2024-01-01T10:00:00Z', 2);
    expect(monday.desired).toBe(3);
    expect(monday.reason).toBe('ScheduledCapacity');
    expect(monday.message).toContain('profile monday');
    expect(decideAt(config, '2024-01-02T10:00:00Z', 12).desired).toBe(10);
  });

  it.each([
    { name: 'between start and end', now: '2021-06-02T00:00:00+09:00', min: 100 },
    { name: 'at the end (exclusive)', now: '2021-06-03T00:00:00+09:00', min: 1 },
    { name: 'just before the start', now: '2021-05-31T23:59:59+09:00', min: 1 },
  ])(
    'arc-scheduled-override-oneoff: $name (https://github.com/actions/actions-runner-controller/blob/master/docs/automatically-scaling-runners.md)',
    ({ now, min }) => {
      const config = group({
        minCapacity: 1,
        maxCapacity: 200,
        schedules: [
          { start: '2021-06-01T00:00:00+09:00', end: '2021-06-03T00:00:00+09:00', minCapacity: 100 },
        ],
      });
      expect(scheduledCapacity(config, at(now)).minCapacity.value).toBe(min);
    },
  );

  describe('arc-scheduled-override-weekly (https://github.com/actions/actions-runner-controller/blob/master/docs/automatically-scaling-runners.md)', () => {
    // startTime 2021-05-01T00:00+09:00 (a Saturday), endTime two days later, weekly.
    const weekend = {
      cron: '0 0 * * 6',
      timeZone: 'Asia/Tokyo',
      duration: '48h',
      start: '2021-05-01T00:00:00+09:00',
    };
    it.each([
      { name: 'a later Saturday', now: '2021-05-08T12:00:00+09:00', min: 0 },
      { name: 'the last second of Sunday', now: '2021-05-09T23:59:59+09:00', min: 0 },
      { name: 'Monday 0am', now: '2021-05-10T00:00:00+09:00', min: 1 },
      { name: 'a Wednesday', now: '2021-05-05T12:00:00+09:00', min: 1 },
      { name: 'a Saturday a year on (no untilTime: forever)', now: '2022-05-07T12:00:00+09:00', min: 0 },
    ])('minReplicas 0 from 0am Saturday to 0am Monday: $name', ({ now, min }) => {
      const config = group({ minCapacity: 1, schedules: [{ ...weekend, minCapacity: 0 }] });
      expect(scheduledCapacity(config, at(now)).minCapacity.value).toBe(min);
    });
    it('earlier entries win over later ones (schedulePrecedence "first")', () => {
      const config = group({
        minCapacity: 1,
        schedulePrecedence: 'first',
        schedules: [
          { ...weekend, name: 'weekend-off', minCapacity: 0 },
          { ...weekend, name: 'weekend-batch', minCapacity: 5 },
        ],
      });
      const resolved = scheduledCapacity(config, at('2021-05-08T12:00:00+09:00'));
      expect(resolved.minCapacity).toEqual({ value: 0, source: 'schedule weekend-off' });
      expect(resolved.schedules.why).toContain('the first in list order (weekend-off) wins');
    });
  });

  it.each([
    { name: 'Monday 09:00:00 Amsterdam', now: '2024-01-08T08:00:00Z', min: 2 },
    { name: 'Monday 17:59:59.5 Amsterdam', now: '2024-01-08T16:59:59.500Z', min: 2 },
    { name: 'Monday 18:00:00 Amsterdam', now: '2024-01-08T17:00:00Z', min: 0 },
    { name: 'Monday 08:59:59 Amsterdam', now: '2024-01-08T07:59:59Z', min: 0 },
    { name: 'Saturday 10:00 Amsterdam', now: '2024-01-13T09:00:00Z', min: 0 },
  ])(
    'philips-idle-config: keep 2 idle 9:00–17:59 on working days, Amsterdam time: $name (https://github.com/philips-labs/terraform-aws-github-runner/blob/main/docs/configuration.md)',
    ({ now, min }) => {
      const config = group({
        schedulePrecedence: 'first',
        schedules: [
          { cron: '* * 9-17 * * 1-5', timeZone: 'Europe/Amsterdam', duration: '1s', minCapacity: 2 },
        ],
      });
      expect(scheduledCapacity(config, at(now)).minCapacity.value).toBe(min);
    },
  );

  it.each([
    // Only the stated rule (the largest signal wins) and the first recommendation (CPU: 7 VMs)
    // are taken from the page; the schedules are its two scaling schedules, in UTC.
    { name: 'Monday 10:00, inside the weekday schedule', now: '2024-01-08T10:00:00Z', recommended: 15 },
    { name: 'Saturday noon, inside the weekend schedule', now: '2024-01-13T12:00:00Z', recommended: 7 },
    { name: 'Monday 20:00, no schedule', now: '2024-01-08T20:00:00Z', recommended: 7 },
  ])(
    'gcp-multiple-signals-example: the largest signal wins: $name (https://cloud.google.com/compute/docs/autoscaler/multiple-signals)',
    ({ now, recommended }) => {
      const config = group({
        schedules: [
          { name: 'weekend', cron: '0 0 * * 6,0', duration: '24h', desiredCapacity: 6 },
          { name: 'weekdays', cron: '0 9 * * 1-5', duration: '8h', desiredCapacity: 15 },
        ],
      });
      expect(decideAt(config, now, 10, [propose('cpu', 7)]).recommended).toBe(recommended);
    },
  );
});

describe('DST (fixed-time jobs fire at the first valid time after a skipped time, once on a repeated time)', () => {
  it.each([
    {
      name: 'America/New_York spring forward: 02:30 on 2024-03-10 does not exist, fires 03:00 EDT',
      cron: '30 2 * * *',
      timeZone: 'America/New_York',
      from: '2024-03-09T12:00:00Z',
      expected: ['2024-03-10T07:00:00.000Z', '2024-03-11T06:30:00.000Z'],
    },
    {
      name: 'America/New_York fall back: 01:30 on 2024-11-03 happens twice, fires once (EDT)',
      cron: '30 1 * * *',
      timeZone: 'America/New_York',
      from: '2024-11-02T12:00:00Z',
      expected: ['2024-11-03T05:30:00.000Z', '2024-11-04T06:30:00.000Z'],
    },
    {
      name: 'America/New_York fall back: an interval job fires in both passes of the repeated hour',
      cron: '*/30 1 * * *',
      timeZone: 'America/New_York',
      from: '2024-11-03T00:00:00Z',
      expected: [
        '2024-11-03T05:00:00.000Z',
        '2024-11-03T05:30:00.000Z',
        '2024-11-03T06:00:00.000Z',
        '2024-11-03T06:30:00.000Z',
      ],
    },
    {
      name: 'Europe/Berlin spring forward: 02:30 on 2024-03-31 does not exist, fires 03:00 CEST',
      cron: '30 2 * * *',
      timeZone: 'Europe/Berlin',
      from: '2024-03-30T12:00:00Z',
      expected: ['2024-03-31T01:00:00.000Z', '2024-04-01T00:30:00.000Z'],
    },
    {
      name: 'Europe/Berlin fall back: 02:30 on 2024-10-27 happens twice, fires once (CEST)',
      cron: '30 2 * * *',
      timeZone: 'Europe/Berlin',
      from: '2024-10-26T12:00:00Z',
      expected: ['2024-10-27T00:30:00.000Z', '2024-10-28T01:30:00.000Z'],
    },
    {
      name: 'Europe/Berlin 08:00 on weekdays keeps local time across the change',
      cron: '0 8 * * 1-5',
      timeZone: 'Europe/Berlin',
      from: '2024-03-29T00:00:00Z',
      expected: ['2024-03-29T07:00:00.000Z', '2024-04-01T06:00:00.000Z'],
    },
  ])('$name', ({ cron, timeZone, from, expected }) => {
    expect(fires({ cron, timeZone, duration: '1m', minCapacity: 1 }, from, expected.length)).toEqual(
      expected,
    );
  });

  it.each([
    {
      name: 'Saturday before the change, 08:00 CET + 10h: active at 16:59Z',
      now: '2024-03-30T16:59:00Z',
      active: true,
    },
    { name: 'Saturday before the change: over at 17:00Z', now: '2024-03-30T17:00:00Z', active: false },
    { name: 'the change day, 08:00 CEST + 10h: active at 15:59Z', now: '2024-03-31T15:59:00Z', active: true },
    { name: 'the change day: over at 16:00Z', now: '2024-03-31T16:00:00Z', active: false },
    { name: 'the change day: not yet at 05:59Z', now: '2024-03-31T05:59:00Z', active: false },
  ])('Europe/Berlin window "0 8 * * *" for 10h: $name', ({ now, active }) => {
    const s = sched({ cron: '0 8 * * *', timeZone: 'Europe/Berlin', duration: '10h', minCapacity: 3 });
    expect(activeSchedules([s], at(now)).active.length === 1).toBe(active);
  });
});

describe('holidays', () => {
  const berlin = {
    name: 'office',
    cron: '0 8 * * 1-5',
    timeZone: 'Europe/Berlin',
    duration: '10h',
    minCapacity: 4,
  };
  it.each([
    { name: 'Christmas Eve (not a holiday) is active', now: '2025-12-24T09:00:00Z', active: true },
    { name: 'Christmas Day is a holiday', now: '2025-12-25T09:00:00Z', active: false },
    { name: 'St Stephen’s Day is a holiday', now: '2025-12-26T09:00:00Z', active: false },
    { name: 'the Monday after is active', now: '2025-12-29T09:00:00Z', active: true },
  ])('$name', ({ now, active }) => {
    const s = sched({ ...berlin, holidays: ['2025-12-25', '2025-12-26'] });
    expect(activeSchedules([s], at(now)).active.length === 1).toBe(active);
  });

  it('nextFire skips the holidays', () => {
    const s = sched({ ...berlin, holidays: ['2025-12-25', '2025-12-26'] });
    expect(iso(nextFire(s, at('2025-12-24T12:00:00Z')))).toBe('2025-12-29T07:00:00.000Z');
  });

  it('a holiday is a date in the schedule’s time zone, not in UTC', () => {
    const s = sched({
      cron: '0 8 * * *',
      timeZone: 'Asia/Tokyo',
      duration: '1h',
      minCapacity: 1,
      holidays: ['2025-01-01'],
    });
    // 2025-01-01 08:30 JST is 2024-12-31 in UTC.
    expect(localDate(at('2024-12-31T23:30:00Z'), 'Asia/Tokyo')).toBe('2025-01-01');
    expect(activeSchedules([s], at('2024-12-31T23:30:00Z')).active).toHaveLength(0);
    expect(activeSchedules([s], at('2025-01-01T23:30:00Z')).active).toHaveLength(1);
  });

  it('an earlier occurrence still running through a holiday stays active', () => {
    const s = sched({ cron: '0 0 * * *', duration: '48h', minCapacity: 1, holidays: ['2025-03-02'] });
    expect(activeSchedules([s], at('2025-03-02T12:00:00Z')).active[0]?.occurrence).toEqual({
      since: at('2025-03-01T00:00:00Z'),
      until: at('2025-03-03T00:00:00Z'),
    });
  });
});

describe('precedence of overlapping schedules', () => {
  const a = {
    name: 'a',
    cron: '0 8 * * *',
    duration: '10h',
    minCapacity: 5,
    maxCapacity: 20,
    desiredCapacity: 8,
  };
  const b = { name: 'b', cron: '0 9 * * *', duration: '2h', minCapacity: 10, desiredCapacity: 12 };
  const now = at('2024-01-01T10:00:00Z');
  it.each([
    {
      name: 'largest: per field, the largest value of the schedules that set it',
      order: [a, b],
      precedence: 'largest' as const,
      expected: { min: [10, 'schedule b'], max: [20, 'schedule a'], desired: [12, 'schedule b'] },
    },
    {
      name: 'first: the first active schedule alone',
      order: [a, b],
      precedence: 'first' as const,
      expected: { min: [5, 'schedule a'], max: [20, 'schedule a'], desired: [8, 'schedule a'] },
    },
    {
      name: 'first, other order: fields the winner leaves out stay unset',
      order: [b, a],
      precedence: 'first' as const,
      expected: { min: [10, 'schedule b'], max: undefined, desired: [12, 'schedule b'] },
    },
  ])('$name', ({ order, precedence, expected }) => {
    const r = activeSchedules(order.map(sched), now, precedence);
    const pair = (v: { value: number; source: string } | undefined) =>
      v === undefined ? undefined : [v.value, v.source];
    expect({ min: pair(r.minCapacity), max: pair(r.maxCapacity), desired: pair(r.desiredCapacity) }).toEqual(
      expected,
    );
  });

  it('a schedule outside its window takes no part', () => {
    expect(activeSchedules([a, b].map(sched), at('2024-01-01T12:00:00Z')).active.map((x) => x.name)).toEqual([
      'a',
    ]);
  });

  it('disabled schedules never apply', () => {
    expect(activeSchedules([sched({ ...b, disabled: true })], now).active).toHaveLength(0);
  });

  it('when schedules cross the bounds, the lower bound wins', () => {
    const config = group({
      schedules: [
        { name: 'floor', cron: '0 8 * * *', duration: '10h', minCapacity: 12 },
        { name: 'cap', cron: '0 8 * * *', duration: '10h', maxCapacity: 10 },
      ],
    });
    const r = scheduledCapacity(config, now);
    expect([r.minCapacity.value, r.maxCapacity.value]).toEqual([12, 12]);
  });

  it('a schedule’s desiredCapacity is a floor proposal the rules may exceed', () => {
    const config = group({ schedules: [a] });
    expect(decideAt(config, '2024-01-01T10:00:00Z', 8, [propose('cpu', 14)]).desired).toBe(14);
    const held = decideAt(config, '2024-01-01T10:00:00Z', 8, [propose('cpu', 2)]);
    expect(held.recommended).toBe(8);
    expect(held.proposals.at(-1)).toMatchObject({
      rule: 'schedule:a',
      reason: 'Scheduled',
      capacity: 8,
      floor: true,
    });
  });
});

describe('profiles (Azure: fixed date → recurrence → default)', () => {
  const mon = profileSchema.parse({
    name: 'mon',
    recurrence: { cron: '0 0 * * 1' },
    minCapacity: 3,
    maxCapacity: 10,
  });
  const fri = profileSchema.parse({
    name: 'fri',
    recurrence: { cron: '0 0 * * 5' },
    minCapacity: 1,
    maxCapacity: 4,
  });
  const launch = profileSchema.parse({
    name: 'launch',
    fixedDate: { start: '2024-01-03T00:00:00Z', end: '2024-01-04T00:00:00Z' },
    minCapacity: 20,
    maxCapacity: 50,
  });
  const short = profileSchema.parse({
    name: 'short',
    recurrence: { cron: '0 0 * * 1', duration: '8h' },
    minCapacity: 3,
    maxCapacity: 10,
  });
  it.each([
    {
      name: 'fixed date beats recurrence',
      profiles: [mon, launch],
      now: '2024-01-03T12:00:00Z',
      expected: 'launch',
    },
    {
      name: 'a recurrence lasts until another starts (Wednesday: Monday’s)',
      profiles: [fri, mon],
      now: '2024-01-03T12:00:00Z',
      expected: 'mon',
    },
    {
      name: 'the most recent start wins (Saturday: Friday’s)',
      profiles: [mon, fri],
      now: '2024-01-06T12:00:00Z',
      expected: 'fri',
    },
    {
      name: 'a recurrence whose duration ran out hands back to the default',
      profiles: [short],
      now: '2024-01-01T09:00:00Z',
      expected: null,
    },
    { name: 'inside its duration', profiles: [short], now: '2024-01-01T07:59:59Z', expected: 'short' },
    {
      name: 'after the fixed date, the recurrence again',
      profiles: [launch, mon],
      now: '2024-01-04T00:00:00Z',
      expected: 'mon',
    },
  ])('$name', ({ profiles, now, expected }) => {
    expect(activeProfile(profiles, at(now))?.profile.name ?? null).toBe(expected);
  });

  it('schedules apply on top of the active profile', () => {
    const config = group({
      profiles: [{ name: 'mon', recurrence: { cron: '0 0 * * 1' }, minCapacity: 3, maxCapacity: 10 }],
      schedules: [{ name: 'peak', cron: '0 9 * * *', duration: '1h', minCapacity: 6 }],
    });
    const r = scheduledCapacity(config, at('2024-01-01T09:30:00Z'));
    expect([r.minCapacity, r.maxCapacity]).toEqual([
      { value: 6, source: 'schedule peak' },
      { value: 10, source: 'profile mon' },
    ]);
  });

  it.each([
    { name: 'below the default: scale out to it', current: 2, desired: 4 },
    { name: 'above the default: never scale in', current: 6, desired: 6 },
  ])('defaultCapacity while no rule can compute: $name', ({ current, desired }) => {
    const config = group({
      profiles: [
        {
          name: 'mon',
          recurrence: { cron: '0 0 * * 1' },
          minCapacity: 1,
          maxCapacity: 10,
          defaultCapacity: 4,
        },
      ],
    });
    const invalid: Proposal = {
      rule: 'cpu',
      ruleIndex: 0,
      outcome: 'invalid',
      reason: 'MetricMissing',
      message: 'cpu has no data',
    };
    const decision = decideAt(config, '2024-01-01T09:00:00Z', current, [invalid]);
    expect(decision.desired).toBe(desired);
    expect(decision.proposals.at(-1)).toMatchObject({
      reason: 'ProfileDefault',
      capacity: Math.max(current, 4),
    });
  });
});

describe('nextFire', () => {
  it.each([
    {
      name: 'disabled',
      input: { cron: '0 8 * * *', duration: '1h', minCapacity: 1, disabled: true },
      from: '2024-01-01T00:00:00Z',
      expected: null,
    },
    {
      name: 'a date that never comes (30 February)',
      input: { cron: '0 0 30 2 *', duration: '1h', minCapacity: 1 },
      from: '2024-01-01T00:00:00Z',
      expected: null,
    },
    {
      name: 'after its end',
      input: { cron: '0 8 * * *', duration: '1h', minCapacity: 1, end: '2024-01-01T00:00:00Z' },
      from: '2024-01-02T00:00:00Z',
      expected: null,
    },
    {
      name: 'not before its start',
      input: { cron: '0 8 * * *', duration: '1h', minCapacity: 1, start: '2024-02-01T00:00:00Z' },
      from: '2024-01-01T00:00:00Z',
      expected: '2024-02-01T08:00:00.000Z',
    },
    {
      name: 'an occurrence running at its start makes the start a fire',
      input: { cron: '0 0 * * *', duration: '2d', minCapacity: 1, start: '2024-02-01T12:00:00Z' },
      from: '2024-01-01T00:00:00Z',
      expected: '2024-02-01T12:00:00.000Z',
    },
    {
      name: 'a one-off window starts at start',
      input: { start: '2024-02-01T00:00:00Z', end: '2024-02-02T00:00:00Z', minCapacity: 1 },
      from: '2024-01-01T00:00:00Z',
      expected: '2024-02-01T00:00:00.000Z',
    },
    {
      name: 'a one-off window already begun',
      input: { start: '2024-02-01T00:00:00Z', end: '2024-02-02T00:00:00Z', minCapacity: 1 },
      from: '2024-02-01T00:00:00Z',
      expected: null,
    },
    {
      name: 'six fields: seconds first',
      input: { cron: '15 0 8 * * *', duration: '1h', minCapacity: 1 },
      from: '2024-01-01T00:00:00Z',
      expected: '2024-01-01T08:00:15.000Z',
    },
  ])('$name', ({ input, from, expected }) => {
    expect(iso(nextFire(sched(input), at(from)))).toBe(expected);
  });
});

describe('validation through validateGroupConfig', () => {
  function issues(extra: Record<string, unknown>): { path: string; message: string }[] {
    try {
      group(extra);
    } catch (error) {
      if (error instanceof ConfigError) return error.issues.map(({ path, message }) => ({ path, message }));
      throw error;
    }
    throw new Error('expected a ConfigError');
  }
  const ok = { cron: '0 8 * * *', duration: '1h', minCapacity: 1 };
  it.each([
    {
      name: 'bad cron field value',
      schedule: { ...ok, cron: '61 8 * * *' },
      path: 'schedules[0].cron',
      says: 'Invalid value for minute: 61',
    },
    {
      name: 'too few cron fields',
      schedule: { ...ok, cron: '* * * *' },
      path: 'schedules[0].cron',
      says: 'a cron pattern of 5 fields',
    },
    {
      name: 'seven cron fields',
      schedule: { ...ok, cron: '0 0 8 * * * 2024' },
      path: 'schedules[0].cron',
      says: 'a cron pattern of 5 fields',
    },
    {
      name: 'a date instead of a pattern',
      schedule: { ...ok, cron: '2024-01-01T00:00:00' },
      path: 'schedules[0].cron',
      says: 'a date is not a cron pattern',
    },
    {
      name: 'unknown time zone',
      schedule: { ...ok, timeZone: 'Mars/Olympus' },
      path: 'schedules[0].timeZone',
      says: 'expected an IANA time zone name',
    },
    {
      name: 'offset instead of a zone',
      schedule: { ...ok, timeZone: '+01:00' },
      path: 'schedules[0].timeZone',
      says: 'got "+01:00"',
    },
    {
      name: 'end before start',
      schedule: { ...ok, start: '2024-02-01T00:00:00Z', end: '2024-01-01T00:00:00Z' },
      path: 'schedules[0].end',
      says: 'expected an instant after start (2024-02-01T00:00:00.000Z), got 2024-01-01T00:00:00.000Z',
    },
    {
      name: 'start without an offset',
      schedule: { ...ok, start: '2024-02-01T00:00:00' },
      path: 'schedules[0].start',
      says: 'schedules[0].start',
    },
    {
      name: 'cron without duration',
      schedule: { cron: '0 8 * * *', minCapacity: 1 },
      path: 'schedules[0].duration',
      says: 'when `cron` is set',
    },
    {
      name: 'neither cron nor window',
      schedule: { minCapacity: 1 },
      path: 'schedules[0].start',
      says: 'a start instant',
    },
    {
      name: 'no capacity',
      schedule: { cron: '0 8 * * *', duration: '1h' },
      path: 'schedules[0].minCapacity',
      says: 'at least one of minCapacity, maxCapacity, desiredCapacity',
    },
    {
      name: 'min above max',
      schedule: { ...ok, minCapacity: 5, maxCapacity: 3 },
      path: 'schedules[0].maxCapacity',
      says: 'a number ≥ minCapacity (5)',
    },
    {
      name: 'min above the group max',
      schedule: { ...ok, minCapacity: 500 },
      path: 'schedules[0].minCapacity',
      says: "the group's maxCapacity (100)",
    },
    {
      name: 'bad holiday',
      schedule: { ...ok, holidays: ['2025-02-30'] },
      path: 'schedules[0].holidays[0]',
      says: 'schedules[0].holidays[0]',
    },
    {
      name: 'zero duration',
      schedule: { ...ok, duration: 0 },
      path: 'schedules[0].duration',
      says: 'a duration longer than 0',
    },
  ])('schedule: $name', ({ schedule, path, says }) => {
    const found = issues({ schedules: [schedule] });
    expect(found.map((i) => i.path)).toContain(path);
    expect(found.find((i) => i.path === path)?.message).toContain(says);
  });

  it.each([
    {
      name: 'neither fixedDate nor recurrence',
      profile: { name: 'p', minCapacity: 1, maxCapacity: 2 },
      path: 'profiles[0].recurrence',
      says: 'exactly one of `fixedDate` or `recurrence`',
    },
    {
      name: 'fixed date ending before it starts',
      profile: {
        name: 'p',
        minCapacity: 1,
        maxCapacity: 2,
        fixedDate: { start: '2024-02-01T00:00:00Z', end: '2024-01-01T00:00:00Z' },
      },
      path: 'profiles[0].fixedDate.end',
      says: 'an instant after start',
    },
    {
      name: 'bad recurrence cron',
      profile: { name: 'p', minCapacity: 1, maxCapacity: 2, recurrence: { cron: 'every monday' } },
      path: 'profiles[0].recurrence.cron',
      says: 'a cron pattern',
    },
    {
      name: 'default outside the bounds',
      profile: {
        name: 'p',
        minCapacity: 1,
        maxCapacity: 2,
        defaultCapacity: 3,
        recurrence: { cron: '0 0 * * 1' },
      },
      path: 'profiles[0].defaultCapacity',
      says: '[1, 2]',
    },
  ])('profile: $name', ({ profile, path, says }) => {
    const found = issues({ profiles: [profile] });
    expect(found.map((i) => i.path)).toContain(path);
    expect(found.find((i) => i.path === path)?.message).toContain(says);
  });

  it('names are unique', () => {
    expect(
      issues({
        schedules: [
          { ...ok, name: 'x' },
          { ...ok, name: 'x' },
        ],
      }),
    ).toEqual([
      {
        path: 'schedules[1].name',
        message: 'schedules[1].name: expected a name not used by schedules[0], got "x"',
      },
    ]);
  });

  it('defaults: UTC, no holidays, enabled, largest precedence, no profiles; instants in ms', () => {
    const config = group({ schedules: [{ ...ok, start: '2024-01-01T01:00:00+01:00' }] });
    expect(config.schedulePrecedence).toBe('largest');
    expect(config.profiles).toEqual([]);
    expect(config.schedules[0]).toMatchObject({
      timeZone: 'UTC',
      holidays: [],
      disabled: false,
      duration: 3_600_000,
      start: at('2024-01-01T00:00:00Z'),
    });
  });
});
