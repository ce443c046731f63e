/**
 * analyzeGroup against a real AutoScalingManager (ManualClock, InMemoryMetricsProvider,
 * RecordingResourceController) driven through two load steps up and down, with every number
 * derived from the scenario by hand; then the source contract and option checks.
 */
import { AutoScalingManager, type ScalingEventRecord } from 'tideway';
import { InMemoryMetricsProvider, ManualClock, RecordingResourceController } from 'tideway/testing';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { type AnalyticsSource, analyzeGroup, type GroupAnalysis } from '../../src/analytics/analyze.js';
import { expectRangeError, History, s } from './history.js';

/** Monday 2026-01-05 00:00 UTC. */
const T0 = Date.UTC(2026, 0, 5);
const END = s(720);

/**
 * The scenario, in seconds from T0. One tick every 15 s (the default interval), first at 0.
 *
 * - Load (units of work): 2 during [60, 300) and [420, 540), else 1. Just before each tick a
 *   busy_ratio sample is pushed at the tick's time: load ÷ the controller's capacity then. So
 *   busy_ratio is 0.5 (= target) whenever capacity matches load, 1.0 on the tick that sees a step
 *   up, and 0.25 on the tick that sees a step down.
 * - Target tracking on busy_ratio, target 0.5: ratio 2 → ceil(2 × 2) = 4; ratio 0.5 →
 *   ceil(0.5 × 4) = 2. Scale-down stabilization is 0 so scale-in is immediate; scale-up limits
 *   (max(+4, +100 %) per 15 s) allow 2 → 4.
 * - Metrics answer late (through the ManualClock), so each change is applied that long after
 *   its decision: 1 s for ticks before 300, 3 s for [300, 420), 2 s for [420, 540), 4 s after.
 * - The first setCapacity after 420 s fails; the tick at 435 s still sees capacity 2 and retries.
 *
 * Timeline: tick 60 → scaled 2→4 at 61 (decision #5: tick k at 15k s is decision #k+1);
 * tick 300 → 4→2 at 303 (#21); tick 420 → scale-failed at 422 (#29); tick 435 → 2→4 at 437 (#30);
 * tick 540 → 4→2 at 544 (#37).
 */
async function runScenario(): Promise<{
  manager: AutoScalingManager;
  controller: RecordingResourceController;
}> {
  const clock = new ManualClock(T0);
  const metrics = new InMemoryMetricsProvider({ scheduler: clock });
  const controller = new RecordingResourceController({ clock, initial: 2 });
  const manager = new AutoScalingManager({ metrics, controller, clock, scheduler: clock });
  manager.registerScalingGroup({
    id: 'web',
    minCapacity: 1,
    maxCapacity: 10,
    rules: [{ kind: 'target-tracking', metric: 'busy_ratio', target: 0.5, statistic: 'last' }],
    behavior: { scaleDown: { stabilizationWindow: 0 } },
  });
  const load = (t: number): number => ((t >= s(60) && t < s(300)) || (t >= s(420) && t < s(540)) ? 2 : 1);
  const latency = (t: number): number => (t < s(300) ? 1000 : t < s(420) ? 3000 : t < s(540) ? 2000 : 4000);
  for (let t = 0; t < END; t += s(15)) {
    // Let the previous tick finish (answers come ≤ 4 s late) so the sample sees its change.
    if (t > 0) await clock.advanceToAsync(T0 + t - 1);
    metrics.push('busy_ratio', T0 + t, load(t) / controller.capacityOf('web').desired);
    metrics.setLatency(latency(t));
    if (t === s(420)) controller.failNext('setCapacity', 1);
    if (t === 0) manager.start();
    await clock.advanceToAsync(T0 + t);
  }
  await clock.advanceToAsync(T0 + END);
  await manager.stop();
  return { manager, controller };
}

describe('analyzeGroup on a running manager', () => {
  it('reports what the load steps must produce', async () => {
    const { manager, controller } = await runScenario();
    // The scenario itself, as the controller saw it (independent of the analytics).
    expect(
      controller.calls
        .filter((c) => c.method === 'setCapacity')
        .map((c) => [(c.at - T0) / 1000, c.capacity, c.ok]),
    ).toEqual([
      [61, 4, true],
      [303, 2, true],
      [422, 4, false],
      [437, 4, true],
      [544, 2, true],
    ]);

    const report = analyzeGroup(manager, 'web', {
      range: { from: T0, to: T0 + END },
      oscillationWindow: '5m',
      efficiency: { metric: 'busy_ratio', target: 0.5 },
    });

    expect(report.groupId).toBe('web');
    // Registered at T0, so the history is complete.
    expect(report.history).toEqual({ oldestEventAt: T0, complete: true });

    // Out: 1 s (tick 60) and 2 s (tick 435) → mean 1.5 s, p50 rank 1 → 1 s, p95 rank 2 → 2 s; one failure.
    // In: 3 s (tick 300) and 4 s (tick 540) → mean 3.5 s.
    expect(report.latency).toEqual({
      scaleOut: { count: 2, mean: 1500, p50: 1000, p95: 2000, max: 2000, failed: 1, unmatched: 0 },
      scaleIn: { count: 2, mean: 3500, p50: 3000, p95: 4000, max: 4000, failed: 0, unmatched: 0 },
    });

    // Four actions, all on Monday 5 January; 4 per 12 minutes = 480 per 24 hours.
    expect(report.actions).toEqual({
      days: [{ day: '2026-01-05', from: T0, to: T0 + END, scaleOuts: 2, scaleIns: 2, total: 4 }],
      scaleOuts: 2,
      scaleIns: 2,
      total: 4,
      meanPerDay: 480,
    });

    // Actions at 61 out, 303 in, 437 out, 544 in: reversals of 242, 134 and 107 s, all ≤ 300 s.
    // The last two span 303 → 544 = 241 s ≤ 300 s: flapping from 544 s. The first two span
    // 61 → 437 = 376 s: never more than two in one window.
    expect(report.oscillation.reversals.map((r) => [r.pattern, r.gap / 1000, r.second.decisionId])).toEqual([
      ['out-in', 242, 'web#21'],
      ['in-out', 134, 'web#30'],
      ['out-in', 107, 'web#37'],
    ]);
    expect(report.oscillation.groups).toEqual([
      {
        groupId: 'web',
        actions: 4,
        reversals: 3,
        maxReversalsInWindow: 2,
        flapping: true,
        flappingSince: T0 + s(544),
      },
    ]);

    // 48 samples (0, 15, …, 705 s), each held 15 s, the last until 720 s. 1.0 on 3 ticks (60, 420,
    // 435) and 0.25 on 2 (300, 540), else 0.5. Efficiency = (720 − 2 · 15 · 0.5) / 720 = 705/720;
    // above target 45 s; below 0.45 30 s; mean = (0.5 · 645 + 1 · 45 + 0.25 · 30) / 720 = 375/720.
    const efficiency = report.efficiency as NonNullable<GroupAnalysis['efficiency']>;
    expect(efficiency.samples).toBe(48);
    expect(efficiency.observed).toBe(END);
    expect(efficiency.efficiency).toBeCloseTo(705 / 720, 12);
    expect(efficiency.underProvisionedShare).toBeCloseTo(45 / 720, 12);
    expect(efficiency.overProvisionedShare).toBeCloseTo(30 / 720, 12);
    expect(efficiency.meanValue).toBeCloseTo(375 / 720, 12);

    // Capacity 2 [0, 61), 4 [61, 303), 2 [303, 437), 4 [437, 544), 2 [544, 720):
    // 122 + 968 + 268 + 428 + 352 = 2138 unit-s. Static at the peak, 4 · 720 = 2880 unit-s; saved 742.
    const savings = report.savings as NonNullable<GroupAnalysis['savings']>;
    expect(savings).toMatchObject({
      initialCapacity: 2,
      peakCapacity: 4,
      staticCapacity: 4,
      outsideChanges: 0,
    });
    expect(savings.unitHours).toBeCloseTo(2138 / 3600, 12);
    expect(savings.staticUnitHours).toBeCloseTo(0.8, 12);
    expect(savings.savingFraction).toBeCloseTo(742 / 2880, 12);

    // Newest first, each with its decision's reason and sentence.
    expect(
      report.log.map((r) => [
        (r.at - T0) / 1000,
        r.from,
        r.to,
        r.reason,
        r.decisionId,
        (r.decidedAt ?? 0) - T0,
      ]),
    ).toEqual([
      [544, 4, 2, 'ScaleIn', 'web#37', s(540)],
      [437, 2, 4, 'ScaleOut', 'web#30', s(435)],
      [303, 4, 2, 'ScaleIn', 'web#21', s(300)],
      [61, 2, 4, 'ScaleOut', 'web#5', s(60)],
    ]);
    expect(report.log[0]?.message).toMatch(/^Scale in from 4 to 2: busy_ratio 0\.25 is below target 0\.5/);
    expect(report.log[3]?.message).toMatch(/^Scale out from 2 to 4: busy_ratio 1 is above target 0\.5/);
  });

  it('narrows everything to the range asked for', async () => {
    const { manager } = await runScenario();
    // [300 s, 450 s): actions at 303 (in) and 437 (out); capacity 4 carried in from the 61 s action.
    // 4 · 3 + 2 · 134 + 4 · 13 = 12 + 268 + 52 = 332 unit-s.
    const report = analyzeGroup(manager, 'web', {
      range: { from: T0 + s(300), to: T0 + s(450) },
      actionLimit: 1,
    });
    expect(report.latency.scaleOut).toMatchObject({ count: 1, mean: 2000, failed: 1 });
    expect(report.latency.scaleIn).toMatchObject({ count: 1, mean: 3000 });
    expect(report.oscillation.count).toBe(1); // 303 in → 437 out, 134 s ≤ the 10-minute default
    expect(report.oscillation.flapping).toEqual([]);
    expect(report.efficiency).toBeNull();
    expect(report.savings?.initialCapacity).toBe(4);
    expect((report.savings?.unitHours ?? 0) * 3600).toBeCloseTo(332, 9);
    expect(report.log.map((r) => r.decisionId)).toEqual(['web#30']);
  });

  it('takes an AutoScalingManager as its source', () => {
    expectTypeOf<AutoScalingManager>().toExtend<AnalyticsSource>();
  });
});

describe('analyzeGroup on any source', () => {
  /** A source serving fixed records (newest first, like the manager) and no metrics. */
  const source = (records: ScalingEventRecord[]): AnalyticsSource => ({
    getScalingEvents: (query) =>
      records.filter((r) => query.groupId === undefined || r.groupId === query.groupId),
    getMetricHistory: () => [],
  });

  it('flags a history that may have lost part of the range', () => {
    // The group's oldest surviving record is at 100 s, after the range start, and is not its
    // registration: records between 0 and 100 s may have been dropped.
    const records = new History().action(s(100), 4, 2, 3).records;
    const report = analyzeGroup(source(records), 'web', { range: { from: 0, to: s(200) } });
    expect(report.history).toEqual({ oldestEventAt: s(100), complete: false });
    expect(
      analyzeGroup(source(records), 'web', { range: { from: s(100), to: s(200) } }).history.complete,
    ).toBe(true);
  });

  it('trusts a history that starts with the group being registered, even inside the range', () => {
    // Registered at 50 s: nothing of the group can predate that, so nothing was lost.
    const records = new History().other('group-registered', s(50)).action(s(100), 1, 2, 3).records;
    const report = analyzeGroup(source(records), 'web', { range: { from: 0, to: s(200) } });
    expect(report.history).toEqual({ oldestEventAt: s(50), complete: true });
  });

  it('reports no savings when nothing shows the capacity, unless it is given', () => {
    const records = new History().other('group-registered', 0).records;
    expect(analyzeGroup(source(records), 'web', { range: { from: 0, to: s(60) } }).savings).toBeNull();
    expect(
      analyzeGroup(source(records), 'web', { range: { from: 0, to: s(60) }, initialCapacity: 3 }).savings,
    ).toMatchObject({ unitHours: (3 * 60) / 3600, savingFraction: 0 });
  });

  it('scores an empty metric history as no data', () => {
    const report = analyzeGroup(source([]), 'web', {
      range: { from: 0, to: s(60) },
      efficiency: { metric: 'busy_ratio', target: 0.5 },
    });
    expect(report.efficiency).toMatchObject({ efficiency: null, observed: 0 });
    expect(report.history).toEqual({ oldestEventAt: null, complete: false });
  });

  const ok = source([]);
  const range = { from: 0, to: 1000 };
  it.each([
    {
      name: 'a source without the history methods',
      run: () => analyzeGroup({ getScalingEvents: () => [] } as never, 'web', { range }),
      message:
        'source: expected an object with getScalingEvents and getMetricHistory methods (an AutoScalingManager), got an object with key getScalingEvents',
    },
    {
      name: 'an empty group id',
      run: () => analyzeGroup(ok, '', { range }),
      message: 'groupId: expected a non-empty group id, got ""',
    },
    {
      name: 'no range',
      run: () => analyzeGroup(ok, 'web', {} as never),
      message: 'options.range: expected a range { from, to } of ms since the epoch, got nothing',
    },
    {
      name: 'a malformed oscillation window',
      run: () => analyzeGroup(ok, 'web', { range, oscillationWindow: 'often' }),
      message:
        'options.oscillationWindow: expected a duration longer than 0, such as "30s", "5m" or a number of ms, got "often"',
    },
    {
      name: 'an efficiency target of zero',
      run: () => analyzeGroup(ok, 'web', { range, efficiency: { metric: 'cpu', target: 0 } }),
      message: 'options.efficiency.target: expected a finite number greater than 0, got 0',
    },
    {
      name: 'an efficiency without a metric',
      run: () => analyzeGroup(ok, 'web', { range, efficiency: { target: 1 } as never }),
      message: 'options.efficiency.metric: expected a metric name, got nothing',
    },
    {
      name: 'a fractional action limit',
      run: () => analyzeGroup(ok, 'web', { range, actionLimit: 1.5 }),
      message: 'options.actionLimit: expected a whole number ≥ 0, got 1.5',
    },
    {
      name: 'a threshold of zero reversals',
      run: () => analyzeGroup(ok, 'web', { range, minReversals: 0 }),
      message: 'options.minReversals: expected a whole number ≥ 1, got 0',
    },
    {
      name: 'a malformed record from the source',
      run: () =>
        analyzeGroup(
          source([{ seq: 1, kind: 'scaled', at: 5, groupId: 'web', message: '', data: {} }]),
          'web',
          { range },
        ),
      message: 'source.getScalingEvents()[0].data.from: expected a whole number ≥ 0, got nothing',
    },
  ])('rejects $name', ({ run, message }) => {
    expectRangeError(run, message);
  });

  it('checks every option before reading the source', () => {
    let reads = 0;
    const counting: AnalyticsSource = {
      getScalingEvents: () => {
        reads++;
        return [];
      },
      getMetricHistory: () => [],
    };
    expectRangeError(() => analyzeGroup(counting, 'web', { range, utcOffset: 0.5 }), /^options\.utcOffset: /);
    expect(reads).toBe(0);
  });
});
