import { AutoScalingManager, type Decision } from 'tideway';
import { InMemoryMetricsProvider, ManualClock, RecordingResourceController } from 'tideway/testing';
import { describe, expect, it } from 'vitest';

describe('schedules end to end through AutoScalingManager on a ManualClock', () => {
  it('business hours in Europe/Berlin raise the floor at 08:00 local, skip a holiday, and hand back at 18:00', async () => {
    // Monday 2025-12-22 06:00 UTC = 07:00 CET.
    const clock = new ManualClock(Date.parse('2025-12-22T06:00:00Z'));
    // No queued jobs all week: the queue rule alone would keep one unit.
    const start = clock.now();
    const queued = Array.from({ length: 7 * 96 + 1 }, (_, i) => ({
      timestamp: start + i * 900_000,
      value: 0,
    }));
    const metrics = new InMemoryMetricsProvider({ series: { queued_jobs: queued }, scheduler: clock });
    const controller = new RecordingResourceController({ clock, initial: 1 });
    const manager = new AutoScalingManager({ metrics, controller, clock, scheduler: clock });
    const decisions: Decision[] = [];
    manager.on('decision', (d) => decisions.push(d));
    manager.registerScalingGroup({
      id: 'office',
      minCapacity: 1,
      maxCapacity: 20,
      evaluationInterval: '15m',
      rules: [{ kind: 'queue', metric: 'queued_jobs', targetPerUnit: 1 }],
      schedules: [
        {
          name: 'business-hours',
          cron: '0 8 * * 1-5',
          timeZone: 'Europe/Berlin',
          duration: '10h',
          minCapacity: 6,
          holidays: ['2025-12-25'],
        },
      ],
    });
    manager.start();
    const capacityAt = async (iso: string) => {
      await clock.advanceAsync(Date.parse(iso) - clock.now());
      return controller.capacityOf('office').desired;
    };
    expect(await capacityAt('2025-12-22T06:45:00Z')).toBe(1); // 07:45 CET
    expect(await capacityAt('2025-12-22T07:00:00Z')).toBe(6); // 08:00 CET
    const raised = decisions.find((d) => d.desired === 6);
    expect(raised?.reason).toBe('ScheduledCapacity');
    expect(raised?.message).toContain('schedule business-hours sets the minimum capacity to 6');
    expect(await capacityAt('2025-12-22T16:45:00Z')).toBe(6); // 17:45 CET
    expect(await capacityAt('2025-12-22T17:00:00Z')).toBe(1); // 18:00 CET: the floor is gone and the rule scales in
    expect(await capacityAt('2025-12-25T09:00:00Z')).toBe(1); // Christmas Day: a holiday
    expect(await capacityAt('2025-12-26T09:00:00Z')).toBe(6); // Friday
    manager.stop();
  });
});
