import { AutoScalingManager, type Decision, type ManagerEvents, type ScalingGroupConfigInput } from 'tideway';
import {
  InMemoryMetricsProvider,
  ManualClock,
  RecordingResourceController,
  seededRandom,
} from 'tideway/testing';
import { describe, expect, it } from 'vitest';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** A busy day: 200 rps at night, 1000 rps from 09:00 to 17:00, with ±2 % noise. */
function dailyLoad(
  days: number,
  shift?: { at: number; factor: number },
): { timestamp: number; value: number }[] {
  const random = seededRandom(7);
  const out: { timestamp: number; value: number }[] = [];
  for (let t = 0; t < days * DAY; t += MIN) {
    const hour = (t % DAY) / HOUR;
    const base = hour >= 9 && hour < 17 ? 1000 : 200;
    const factor = shift !== undefined && t >= shift.at ? shift.factor : 1;
    out.push({ timestamp: t, value: base * factor * (1 + 0.04 * (random.next() - 0.5)) });
  }
  return out;
}

function setup(
  rules: ScalingGroupConfigInput['rules'],
  load: { timestamp: number; value: number }[],
  start: number,
) {
  const clock = new ManualClock(start);
  const metrics = new InMemoryMetricsProvider({ scheduler: clock, series: { load } });
  const controller = new RecordingResourceController({ clock, initial: 2 });
  const manager = new AutoScalingManager({ metrics, controller, clock, scheduler: clock });
  const decisions: Decision[] = [];
  const events: { kind: string; at: number; payload: ManagerEvents['forecast-degraded'][0] }[] = [];
  manager.on('decision', (d) => decisions.push(d));
  manager.on('forecast-degraded', (e) => events.push({ kind: 'degraded', at: e.at, payload: e }));
  manager.on('forecast-recovered', (e) => events.push({ kind: 'recovered', at: e.at, payload: e }));
  manager.registerScalingGroup({
    id: 'web',
    minCapacity: 1,
    maxCapacity: 40,
    evaluationInterval: '1m',
    // Rate limits off, so the tests see when capacity is asked for, not how fast it may grow.
    behavior: { scaleUp: { policies: [{ type: 'units', value: 100, period: '15s' }] } },
    rules,
  });
  return { clock, metrics, controller, manager, decisions, events };
}

const predictive = {
  kind: 'predictive' as const,
  metric: 'load',
  capacityPerUnit: 100,
  model: 'seasonal-naive' as const,
  minHistory: '2d',
  schedulingBuffer: '10m',
};

const reactive = { kind: 'target-tracking' as const, metric: 'load', targetPerUnit: 100, window: '2m' };

describe('predictive rule on a ManualClock', () => {
  it('scales out before a daily ramp by the scheduling buffer, reactive rules only after it', async () => {
    const load = dailyLoad(5);
    const ahead = setup([{ ...predictive, mode: 'forecast-and-scale' }, reactive], load, 3 * DAY);
    ahead.manager.start();
    await ahead.clock.advanceToAsync(3 * DAY + 9 * HOUR + 30 * MIN);
    ahead.manager.stop();
    const firstBig = ahead.decisions.find((d) => d.desired >= 10);
    const status = ahead.manager.getForecastStatus('web');
    expect(status).toMatchObject([
      { rule: 'predictive:load', ruleIndex: 0, model: 'seasonal-naive', degraded: false },
    ]);
    expect(status[0]?.accuracy?.scored).toBeGreaterThan(0);
    // The 09:00 step enters the 10-minute look-ahead at 08:50.
    expect(firstBig?.at).toBe(3 * DAY + 8 * HOUR + 50 * MIN);
    expect(firstBig?.proposals[0]).toMatchObject({ outcome: 'propose', floor: true });

    const late = setup([reactive], load, 3 * DAY);
    late.manager.start();
    await late.clock.advanceToAsync(3 * DAY + 9 * HOUR + 30 * MIN);
    late.manager.stop();
    const reactiveBig = late.decisions.find((d) => d.desired >= 10);
    expect(reactiveBig?.at).toBeGreaterThanOrEqual(3 * DAY + 9 * HOUR);
  });

  it('forecast-only never changes capacity but records what it would do', async () => {
    const s = setup([{ ...predictive }], dailyLoad(5), 3 * DAY);
    s.manager.start();
    await s.clock.advanceToAsync(4 * DAY);
    s.manager.stop();
    expect(s.controller.calls.filter((c) => c.method === 'setCapacity')).toEqual([]);
    const wouldScale = s.decisions.filter((d) => d.proposals[0]?.message.includes('would set 10'));
    expect(wouldScale.length).toBeGreaterThan(0);
    expect(s.decisions.every((d) => d.desired === 2)).toBe(true);
  });

  it('waits for enough history, saying how much more it needs', async () => {
    const s = setup([{ ...predictive, mode: 'forecast-and-scale' }], dailyLoad(2), DAY);
    await s.manager.evaluate('web');
    expect(s.decisions[0]?.proposals[0]?.outcome).toBe('abstain');
    expect(s.decisions[0]?.proposals[0]?.message).toMatch(/more steps of history needed/);
  });

  it('a level shift degrades the forecast, the reactive rules take over, and it recovers', async () => {
    // From day 3 12:00 the load doubles for good: yesterday's pattern no longer predicts today.
    const load = dailyLoad(6, { at: 3 * DAY + 12 * HOUR, factor: 2 });
    const s = setup(
      [
        {
          ...predictive,
          mode: 'forecast-and-scale',
          schedulingBuffer: '5m',
          accuracy: { window: 12, minScored: 6, maxMase: 4, recoverMase: 2 },
        },
        reactive,
      ],
      load,
      3 * DAY,
    );
    s.manager.start();
    await s.clock.advanceToAsync(5 * DAY);
    s.manager.stop();
    const degraded = s.events.find((e) => e.kind === 'degraded');
    const recovered = s.events.find((e) => e.kind === 'recovered');
    expect(degraded?.at).toBeGreaterThan(3 * DAY + 12 * HOUR);
    expect(degraded?.payload.accuracy.mase).toBeGreaterThan(4);
    expect(recovered?.at).toBeGreaterThan(degraded?.at ?? 0);
    expect(recovered?.payload.accuracy.mase).toBeLessThanOrEqual(2);
    // While degraded the predictive rule abstains and the reactive rule decides.
    const during = s.decisions.filter((d) => d.at > (degraded?.at ?? 0) && d.at < (recovered?.at ?? 0));
    expect(during.length).toBeGreaterThan(0);
    expect(during.every((d) => d.proposals[0]?.outcome === 'abstain')).toBe(true);
    expect(during.some((d) => d.desired >= 20)).toBe(true);
    // The record is queryable and in the event history.
    expect(s.manager.getScalingEvents({ kinds: ['forecast-degraded'] }).length).toBeGreaterThan(0);
  });
});

describe('predictive state in snapshots', () => {
  it('a restored manager forecasts exactly as the original would have', async () => {
    const load = dailyLoad(5);
    const rules = [{ ...predictive, mode: 'forecast-and-scale' as const }, reactive];
    const a = setup(rules, load, 3 * DAY);
    a.manager.start();
    await a.clock.advanceToAsync(3 * DAY + 6 * HOUR);
    a.manager.stop();
    const snapshot = JSON.parse(JSON.stringify(a.manager.snapshot()));
    expect(snapshot.groups[0].forecasts).toHaveLength(1);

    const b = setup(rules, load, 3 * DAY + 6 * HOUR);
    b.manager.removeScalingGroup('web');
    b.manager.restore(snapshot);
    a.manager.start();
    b.manager.start();
    await a.clock.advanceToAsync(3 * DAY + 10 * HOUR);
    await b.clock.advanceToAsync(3 * DAY + 10 * HOUR);
    const tail = (d: Decision[]) =>
      d.filter((x) => x.at > 3 * DAY + 6 * HOUR).map((x) => [x.at, x.desired, x.proposals[0]?.message]);
    expect(tail(b.decisions)).toEqual(tail(a.decisions));
    expect(b.manager.getForecastStatus('web')).toEqual(a.manager.getForecastStatus('web'));
  });

  it('rejects forecast state saved against a rule that is not predictive', async () => {
    const a = setup([{ ...predictive }], dailyLoad(4), 3 * DAY);
    await a.manager.evaluate('web');
    const snapshot = JSON.parse(JSON.stringify(a.manager.snapshot()));
    snapshot.groups[0].forecasts[0][0] = 3;
    expect(() => a.manager.restore(snapshot)).toThrow(
      /groups\[0\]\.forecasts\[0\]\[0\]: expected the index of one of the group's predictive rules/,
    );
  });
});
