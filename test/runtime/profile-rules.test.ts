// Azure profile rules and the legacy (behavior-less) Kubernetes normalization, end to end through
// AutoScalingManager on a ManualClock.
import { AutoScalingManager, type ConfigError, type Decision } from 'tideway';
import { InMemoryMetricsProvider, ManualClock, RecordingResourceController } from 'tideway/testing';
import { describe, expect, it } from 'vitest';
import { type ScalingGroupConfigInput, validateGroupConfig } from '../../src/config/group.js';

const MINUTE = 60_000;
const STEP = 15 * MINUTE;
// Monday 2024-01-01 19:00 UTC.
const START = Date.parse('2024-01-01T19:00:00Z');

function series(value: number, hours = 60) {
  return Array.from({ length: (hours * 60) / 15 + 1 }, (_, i) => ({ timestamp: START + i * STEP, value }));
}

function setup(metricSeries: Record<string, { timestamp: number; value: number }[]>, initial = 1) {
  const clock = new ManualClock(START);
  const metrics = new InMemoryMetricsProvider({ series: metricSeries, scheduler: clock });
  const controller = new RecordingResourceController({ clock, initial });
  const manager = new AutoScalingManager({ metrics, controller, clock, scheduler: clock });
  const decisions: Decision[] = [];
  manager.on('decision', (d) => decisions.push(d));
  const at = async (iso: string) => {
    await clock.advanceAsync(Date.parse(iso) - clock.now());
    return decisions[decisions.length - 1] as Decision;
  };
  return { clock, controller, manager, decisions, at };
}

// Day: the group's rule reads day_jobs, 1 per unit. Night (20:00 UTC for 30 minutes): the
// profile's own rule reads night_jobs, 10 per unit, with a KEDA fallback after 3 failures.
const NIGHT: NonNullable<ScalingGroupConfigInput['profiles']>[number] = {
  name: 'night',
  recurrence: { cron: '0 20 * * *', timeZone: 'UTC', duration: '30m' },
  minCapacity: 1,
  maxCapacity: 20,
  rules: [
    {
      kind: 'queue',
      name: 'night-queue',
      metric: 'night_jobs',
      targetPerUnit: 10,
      fallback: { failureThreshold: 3, replicas: 7 },
    },
  ],
};

const GROUP: ScalingGroupConfigInput = {
  id: 'workers',
  minCapacity: 1,
  maxCapacity: 20,
  evaluationInterval: '15m',
  behavior: { scaleDown: { stabilizationWindow: 0 } },
  rules: [{ kind: 'queue', metric: 'day_jobs', targetPerUnit: 1 }],
  profiles: [NIGHT],
};

describe('profile rules: only the active profile’s rules decide', () => {
  it('a switch to the night profile hands the decision to its rule, and back at its end', async () => {
    const { manager, at } = setup({ day_jobs: series(3), night_jobs: series(50) });
    manager.registerScalingGroup(GROUP);
    // Both profiles' metrics are read every tick, so a switch has data at once.
    expect(
      manager
        .getScalingGroup('workers')
        ?.metricQueries.map((q) => q.name)
        .sort(),
    ).toEqual(['day_jobs', 'night_jobs']);
    manager.start();

    const day = await at('2024-01-01T19:45:00Z');
    expect(day.desired).toBe(3); // ceil(3 / 1)
    expect(day.proposals.map((p) => [p.rule, p.ruleIndex])).toEqual([['queue:day_jobs', 0]]);

    const night = await at('2024-01-01T20:00:00Z');
    expect(night.desired).toBe(5); // ceil(50 / 10)
    // Profile rules are numbered after the group's: night-queue is rule 1.
    expect(night.proposals.map((p) => [p.rule, p.ruleIndex])).toEqual([['night-queue', 1]]);

    const back = await at('2024-01-01T20:30:00Z');
    expect(back.desired).toBe(3);
    expect(back.proposals.map((p) => p.rule)).toEqual(['queue:day_jobs']);
    manager.stop();
  });

  it("a profile rule's memory survives a switch away and back (and a snapshot)", async () => {
    // night_jobs never reports: the night rule counts failures in its memory.
    const { manager, at, clock } = setup({ day_jobs: series(3) });
    manager.registerScalingGroup(GROUP);
    manager.start();
    const failures = (d: Decision) => d.proposals[0]?.details?.failures;

    expect(failures(await at('2024-01-01T20:00:00Z'))).toBe(1);
    expect(failures(await at('2024-01-01T20:15:00Z'))).toBe(2);
    const day = await at('2024-01-02T12:00:00Z');
    expect(day.proposals[0]?.ruleIndex).toBe(0);

    // The night rule's count is kept at index 1 while the day rule decides, and a snapshot holds it.
    const snapshot = JSON.parse(JSON.stringify(manager.snapshot()));
    expect(snapshot.groups[0].ruleMemory).toEqual([[1, { failures: 2 }]]);
    manager.stop();

    const restored = setup({ day_jobs: series(3) }, 3);
    await restored.clock.advanceAsync(clock.now() - restored.clock.now());
    restored.manager.restore(snapshot);
    restored.manager.start();
    expect(failures(await restored.at('2024-01-02T20:00:00Z'))).toBe(3);
    const fallback = await restored.at('2024-01-02T20:15:00Z');
    // A 4th failure in a row passes the threshold of 3: KEDA's fallback to 7 replicas.
    expect(fallback.proposals[0]?.details).toMatchObject({ failures: 4, fallbackActive: true });
    expect(fallback.desired).toBe(7);
    restored.manager.stop();
  });

  it('snapshot validation counts profile rules: a memory index past every rule is refused', () => {
    const { manager } = setup({ day_jobs: series(3) });
    manager.registerScalingGroup(GROUP);
    const snapshot = JSON.parse(JSON.stringify(manager.snapshot()));
    snapshot.groups[0].ruleMemory = [[1, { failures: 1 }]];
    expect(() => setup({}).manager.restore(snapshot)).not.toThrow();
    snapshot.groups[0].ruleMemory = [[2, { failures: 1 }]];
    expect(() => setup({}).manager.restore(snapshot)).toThrow(
      /ruleMemory\[0\]\[0\]: expected a rule index below 2/,
    );
  });
});

describe('profile rules in the group schema', () => {
  const withProfiles = (profiles: unknown[]) => ({ ...GROUP, profiles });
  const night = NIGHT;
  const issues = (input: unknown): string[] => {
    try {
      validateGroupConfig(input);
    } catch (error) {
      return (error as ConfigError).issues.map((i) => i.message);
    }
    throw new Error('expected a ConfigError');
  };

  it.each([
    {
      name: 'a malformed rule in the second profile',
      profiles: [night, { ...night, name: 'late', rules: [{ kind: 'queue', metric: 5, targetPerUnit: 1 }] }],
      message: 'profiles[1].rules[0].metric: expected a string, got 5',
    },
    {
      name: 'an unknown rule kind',
      profiles: [{ ...night, rules: [{ kind: 'queu', metric: 'q' }] }],
      message: 'profiles[0].rules[0].kind: expected one of',
    },
    {
      name: 'two rules of one profile with one name',
      profiles: [
        {
          ...night,
          rules: [
            { kind: 'queue', metric: 'q', targetPerUnit: 1 },
            { kind: 'queue', metric: 'q', targetPerUnit: 2 },
          ],
        },
      ],
      message: 'profiles[0].rules[1].name: expected a name not used by rules[0]',
    },
    {
      name: 'an empty rule list',
      profiles: [{ ...night, rules: [] }],
      message: 'profiles[0].rules: expected at least 1 item, got an empty array',
    },
  ])('rejects $name', ({ profiles, message }) => {
    const messages = issues(withProfiles(profiles));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(message);
  });

  it('a profile rule may share a name with a group rule: they never run together', () => {
    const profile = { ...night, rules: [{ kind: 'queue', metric: 'day_jobs', targetPerUnit: 2 }] };
    expect(validateGroupConfig(withProfiles([profile])).profiles[0]?.rules).toHaveLength(1);
  });
});

describe("behavior: { mode: 'legacy' } through AutoScalingManager", () => {
  it('scales out by at most max(2 × current, 4) per tick, holds a scale-in for 5 minutes, and survives a snapshot', async () => {
    // One sample a minute: 20 queued jobs for 62 minutes, then 2.
    const jobs = Array.from({ length: 80 }, (_, i) => ({
      timestamp: START + i * MINUTE,
      value: i < 62 ? 20 : 2,
    }));
    const clock = new ManualClock(START);
    const metrics = new InMemoryMetricsProvider({ series: { jobs }, scheduler: clock });
    const controller = new RecordingResourceController({ clock, initial: 1 });
    const manager = new AutoScalingManager({ metrics, controller, clock, scheduler: clock });
    const decisions: Decision[] = [];
    manager.on('decision', (d) => decisions.push(d));
    manager.registerScalingGroup({
      id: 'hpa',
      minCapacity: 1,
      maxCapacity: 30,
      evaluationInterval: '1m',
      behavior: { mode: 'legacy' },
      rules: [{ kind: 'queue', metric: 'jobs', targetPerUnit: 1 }],
    });
    manager.start();
    await clock.advanceAsync(3 * MINUTE);
    // 1 → 4 (max(2, 4)) → 8 → 16 → 20: the Kubernetes behavior defaults would go 1 → 5 → 10 → 20.
    expect(decisions.slice(0, 4).map((d) => d.desired)).toEqual([4, 8, 16, 20]);
    expect(decisions[0]?.trace.at(-1)).toMatchObject({ stage: 'rate-limit', reason: 'ScaleUpLimit' });

    const snapshot = JSON.parse(JSON.stringify(manager.snapshot()));
    expect(snapshot.groups[0].config.behavior).toEqual({ mode: 'legacy', downscaleStabilization: 300_000 });
    manager.stop();
    manager.restore(snapshot);
    expect(manager.getScalingGroup('hpa')?.config.behavior).toEqual({
      mode: 'legacy',
      downscaleStabilization: 300_000,
    });
    manager.start();

    // jobs fall to 2 at minute 62; the recommendation of 20 made at minute 61 holds a scale-in
    // while it is inside the 5-minute window: still at 66 (61 is not before 66 − 5), gone at 67.
    await clock.advanceAsync(START + 66 * MINUTE - clock.now());
    expect(controller.capacityOf('hpa').desired).toBe(20);
    expect(decisions.at(-1)?.reason).toBe('ScaleDownStabilized');
    await clock.advanceAsync(3 * MINUTE);
    expect(controller.capacityOf('hpa').desired).toBe(2);
    manager.stop();
  });
});
