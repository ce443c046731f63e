/**
 * A group with a custom rule survives snapshot → JSON → restore only when the rule's function is
 * given back (RestoreOptions.customRules): JSON cannot carry functions.
 */
import { describe, expect, it } from 'vitest';
import type { ScalingGroupConfigInput } from '../../src/config/group.js';
import { ConfigError } from '../../src/errors.js';
import type { CustomRuleFunction } from '../../src/rules/custom.js';
import { AutoScalingManager } from '../../src/runtime/manager.js';
import type { ManagerSnapshot } from '../../src/runtime/snapshot.js';
import { InMemoryMetricsProvider } from '../../src/testing/in-memory-metrics.js';
import { ManualClock } from '../../src/testing/manual-clock.js';
import { RecordingResourceController } from '../../src/testing/recording-controller.js';

const SEC = 1000;

/** One unit per 10 queued jobs (rounded up by the rule kind); abstains without data. */
const perTen: CustomRuleFunction = ({ value }) => {
  const queue = value('queue');
  return queue === undefined ? null : { capacity: queue / 10, message: `${queue} jobs queued` };
};

const config = (propose: CustomRuleFunction): ScalingGroupConfigInput => ({
  id: 'workers',
  minCapacity: 0,
  maxCapacity: 10,
  rules: [{ kind: 'custom', name: 'per-ten', metrics: [{ name: 'queue', window: '1m' }], propose }],
});

/** A manager on a manual clock at `at`, whose `queue` metric is `queue` every 5 s for an hour. */
function setup(options: { at: number; queue: number; initial: number }) {
  const clock = new ManualClock(options.at);
  const samples = Array.from({ length: 721 }, (_, i) => ({ timestamp: i * 5 * SEC, value: options.queue }));
  const controller = new RecordingResourceController({ clock, initial: options.initial });
  const manager = new AutoScalingManager({
    metrics: new InMemoryMetricsProvider({ series: { queue: samples } }),
    controller,
    clock,
    scheduler: clock,
  });
  return { clock, controller, manager };
}

/** A source manager that has made one decision: queue 30 → 3 units (from 2), at 20 s. */
async function source() {
  const s = setup({ at: 20 * SEC, queue: 30, initial: 2 });
  s.manager.registerScalingGroup(config(perTen));
  const decision = await s.manager.evaluate('workers');
  return { ...s, decision };
}

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

describe('snapshot and restore of a group with a custom rule', () => {
  it('the source decides with the function, and its snapshot holds the function itself', async () => {
    const { manager, decision } = await source();
    expect(decision).toMatchObject({
      id: 'workers#1',
      current: 2,
      desired: 3,
      reason: 'ScaleOut',
      message: 'Scale out from 2 to 3: 30 jobs queued.',
    });
    const snapshot = manager.snapshot();
    expect(snapshot.groups[0]?.config.rules[0]).toMatchObject({
      kind: 'custom',
      name: 'per-ten',
      propose: perTen,
    });
  });

  it('JSON drops the function, so restoring without it fails with SNAPSHOT_INVALID at rules[0].propose', async () => {
    const json = JSON.parse(JSON.stringify((await source()).manager.snapshot())) as ManagerSnapshot;
    expect(json.groups[0]?.config.rules[0]).not.toHaveProperty('propose');

    const target = setup({ at: 30 * SEC, queue: 50, initial: 3 });
    target.manager.registerScalingGroup({ id: 'other', minCapacity: 0, maxCapacity: 1 });
    const error = thrown(() => target.manager.restore(json));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: 'SNAPSHOT_INVALID' });
    expect((error as ConfigError).issues.map((i) => [i.path, i.message])).toEqual([
      [
        'groups[0].config.rules[0].propose',
        'groups[0].config.rules[0].propose: expected a function (input) => capacity | { capacity, message } | null, got nothing',
      ],
    ]);
    expect((error as ConfigError).message).toContain('rules[0].propose');
    // Nothing changed.
    expect(target.manager.listScalingGroups().map((g) => g.id)).toEqual(['other']);
  });

  it.each([
    { name: 'another group id', customRules: { web: { 'per-ten': perTen } } },
    { name: 'another rule name', customRules: { workers: { 'per-five': perTen } } },
  ])('a function given under $name does not help', async ({ customRules }) => {
    const json = JSON.parse(JSON.stringify((await source()).manager.snapshot()));
    const target = setup({ at: 30 * SEC, queue: 50, initial: 3 });
    const error = thrown(() => target.manager.restore(json, { customRules }));
    expect(error).toMatchObject({ code: 'SNAPSHOT_INVALID' });
    expect((error as ConfigError).issues.map((i) => i.path)).toEqual(['groups[0].config.rules[0].propose']);
  });

  it('with customRules[groupId][ruleName] it restores and carries on where the source stopped', async () => {
    const from = await source();
    const json = JSON.parse(JSON.stringify(from.manager.snapshot()));
    const before = JSON.stringify(json);

    // The target sees 50 queued jobs and runs the 3 units the source left.
    const target = setup({ at: 30 * SEC, queue: 50, initial: 3 });
    target.manager.restore(json, { customRules: { workers: { 'per-ten': perTen } } });
    // The caller's snapshot is left as it was (the function is put into a copy).
    expect(JSON.stringify(json)).toBe(before);
    expect(target.manager.getScalingGroup('workers')?.config.rules[0]).toMatchObject({ propose: perTen });
    expect(target.manager.getScalingGroup('workers')?.status.capacity).toBe(3);

    // 50 / 10 = 5 units; the sequence continues from the source's one decision.
    const decision = await target.manager.evaluate('workers');
    expect(decision).toMatchObject({
      id: 'workers#2',
      current: 3,
      desired: 5,
      reason: 'ScaleOut',
      message: 'Scale out from 3 to 5: 50 jobs queued.',
    });
    expect(decision?.proposals).toEqual([
      {
        rule: 'per-ten',
        ruleIndex: 0,
        outcome: 'propose',
        capacity: 5,
        reason: 'AboveTarget',
        message: '50 jobs queued',
      },
    ]);
    expect(target.controller.capacityOf('workers').desired).toBe(5);
    // The source's history came along, and the new scale-out joined it.
    expect(target.manager.getScalingEvents({ kinds: ['scaled'] }).map((e) => e.message)).toHaveLength(2);
  });

  it('a snapshot that still holds its functions (not through JSON) restores without options', async () => {
    const from = await source();
    const target = setup({ at: 30 * SEC, queue: 50, initial: 3 });
    target.manager.restore(from.manager.snapshot());
    expect((await target.manager.evaluate('workers'))?.desired).toBe(5);
  });

  it('snapshots again after a restore, and that round-trips the same way', async () => {
    const json = JSON.parse(JSON.stringify((await source()).manager.snapshot()));
    const target = setup({ at: 30 * SEC, queue: 50, initial: 3 });
    const customRules = { workers: { 'per-ten': perTen } };
    target.manager.restore(json, { customRules });
    await target.manager.evaluate('workers');
    const again = JSON.parse(JSON.stringify(target.manager.snapshot()));
    expect(again.groups[0].sequence).toBe(2);

    const third = setup({ at: 45 * SEC, queue: 10, initial: 5 });
    third.manager.restore(again, { customRules });
    // 10 / 10 = 1, but scale-in waits out the default 5-minute stabilization window, which
    // remembers the source's and the target's recommendations (3 at 20 s, 5 at 30 s): keep 5.
    expect(await third.manager.evaluate('workers')).toMatchObject({
      id: 'workers#3',
      current: 5,
      desired: 5,
      reason: 'ScaleDownStabilized',
    });
  });
});
