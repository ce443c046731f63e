import { AutoScalingManager, ConfigError, GroupNotFoundError } from 'tideway';
import { InMemoryMetricsProvider, ManualClock, RecordingResourceController } from 'tideway/testing';
import { describe, expect, it } from 'vitest';

function setup() {
  const clock = new ManualClock(0);
  const controller = new RecordingResourceController({ clock, initial: 1 });
  const manager = new AutoScalingManager({
    metrics: new InMemoryMetricsProvider(),
    controller,
    clock,
    scheduler: clock,
  });
  manager.registerScalingGroup({
    id: 'ci',
    minCapacity: 0,
    maxCapacity: 10,
    rules: [{ kind: 'runner-scale-set', minRunners: 1, maxRunners: 4 }],
  });
  return { clock, manager, controller };
}

describe('recordJobEvent', () => {
  it('queued jobs reserve runners at once; completed ones release the oldest', async () => {
    const { manager } = setup();
    expect(manager.recordJobEvent('ci', { type: 'queued' })).toBe(1);
    manager.recordJobEvent('ci', { type: 'queued' });
    // min(maxRunners 4, 2 assigned + minRunners 1) = 3
    expect((await manager.evaluate('ci'))?.desired).toBe(3);
    manager.recordJobEvent('ci', { type: 'queued' });
    manager.recordJobEvent('ci', { type: 'queued' });
    // min(4, 4 + 1) = 4
    expect((await manager.evaluate('ci'))?.desired).toBe(4);
    manager.recordJobEvent('ci', { type: 'completed' });
    manager.recordJobEvent('ci', { type: 'completed' });
    manager.recordJobEvent('ci', { type: 'completed' });
    expect((await manager.evaluate('ci'))?.recommended).toBe(2);
  });

  it('reservations survive a snapshot', async () => {
    const a = setup();
    a.manager.recordJobEvent('ci', { type: 'queued' });
    const b = setup();
    b.manager.removeScalingGroup('ci');
    b.manager.restore(JSON.parse(JSON.stringify(a.manager.snapshot())));
    expect((await b.manager.evaluate('ci'))?.desired).toBe(2);
  });

  it('rejects unknown groups and malformed events', () => {
    const { manager } = setup();
    expect(() => manager.recordJobEvent('nope', { type: 'queued' })).toThrow(GroupNotFoundError);
    expect(() => manager.recordJobEvent('ci', { type: 'started' as never })).toThrow(ConfigError);
    expect(() => manager.recordJobEvent('ci', { type: 'started' as never })).toThrow(
      'event.type: expected "queued" or "completed", got "started"',
    );
    expect(() => manager.recordJobEvent('ci', { type: 'queued', at: Number.NaN })).toThrow(/event\.at/);
  });

  it('returns 0 for a group whose rules take no job events', () => {
    const { manager } = setup();
    manager.registerScalingGroup({
      id: 'web',
      minCapacity: 1,
      maxCapacity: 3,
      rules: [{ kind: 'target-tracking', metric: 'cpu', target: 50 }],
    });
    expect(manager.recordJobEvent('web', { type: 'queued' })).toBe(0);
  });
});
