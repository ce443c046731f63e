/**
 * A web tier over two weekdays in New York, sized by kinds no single platform combines:
 * Kubernetes-style target tracking (100 requests per second per unit), an Azure-style threshold
 * rule that adds 2 units when p95 latency has averaged over 250 ms for 5 minutes (then waits 10
 * minutes), the largest proposal winning (`arbitration: 'max'`), a 15-minute scale-down
 * stabilization window, GCP scale-in controls (at most 3 units below the peak of the last 10
 * minutes), and a schedule that keeps 4 units from 08:00 to 18:00 on weekdays.
 *
 * The load is a daily curve with seeded noise (the same every run). A unit serves 100 requests
 * per second at 120 ms; beyond that, p95 latency climbs 8 ms per extra request per second. On
 * Tuesday from 11:00 to 11:45 a cache flush makes requests dearer (60 per second per unit): the
 * request rate does not change, so only the latency rule sees it. New units take 3 minutes.
 *
 * Run it: npx tsx -e "import('./examples/web-tier.ts').then((m) => m.main())"
 */
import { AutoScalingManager, type Decision } from 'tideway';
import {
  InMemoryMetricsProvider,
  ManualClock,
  RecordingResourceController,
  seededRandom,
} from 'tideway/testing';

/** What the example needs from outside; everything has a default. */
export interface WebTierDeps {
  /** Where lines go. @default console.log */
  readonly log?: (line: string) => void;
}

/** One minute of the simulation: the load seen and the decision taken. */
export interface WebTierMinute {
  readonly at: number;
  readonly rps: number;
  readonly p95: number;
  readonly decision: Decision;
}

/** What the example produced, for the test that runs it. */
export interface WebTierResult {
  /** Every minute from Monday 00:00 to Tuesday 23:59 New York time, oldest first. */
  readonly minutes: readonly WebTierMinute[];
  /** Unit-hours paid for (desired capacity, minute by minute). */
  readonly unitHours: number;
  /** The most units asked for at once. */
  readonly maxCapacity: number;
  /** How many decisions added units, and how many removed them. */
  readonly scaleOuts: number;
  readonly scaleIns: number;
}

const MINUTE = 60_000;
const TIME_ZONE = 'America/New_York';
// Monday 2 March 2026, 00:00 in New York (UTC−5 until daylight saving time starts on 8 March).
const START = Date.parse('2026-03-02T05:00:00Z');
const CACHE_FLUSH = { from: START + 35 * 60 * MINUTE, to: START + 35 * 60 * MINUTE + 45 * MINUTE };

/** Requests per second at local hour `hour` (0–24): 80 at night, rising to 1400 at 14:00. */
function dailyLoad(hour: number): number {
  const day = hour > 7 && hour < 21 ? Math.sin((Math.PI * (hour - 7)) / 14) ** 2 : 0;
  return 80 + 1320 * day;
}

export async function main(deps: WebTierDeps = {}): Promise<WebTierResult> {
  const log = deps.log ?? console.log;
  const clock = new ManualClock(START);
  const random = seededRandom(2026);
  const local = (at: number) =>
    new Date(at).toLocaleString('en-GB', {
      timeZone: TIME_ZONE,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
    });
  const metrics = new InMemoryMetricsProvider();
  const controller = new RecordingResourceController({ clock, initial: 2, provisioningDelay: 3 * MINUTE });
  const manager = new AutoScalingManager({ metrics, controller, clock, scheduler: clock });
  manager.registerScalingGroup({
    id: 'web',
    minCapacity: 2,
    maxCapacity: 40,
    rules: [
      { kind: 'target-tracking', name: 'rps', metric: 'requests_per_second', targetPerUnit: 100 },
      {
        kind: 'threshold',
        name: 'latency',
        metric: 'p95_latency_ms',
        operator: 'GreaterThan',
        threshold: 250,
        timeWindow: '5m',
        direction: 'out',
        change: 2,
        cooldown: '10m',
      },
    ],
    arbitration: 'max',
    // Longer than the latency rule's cooldown: units it added stay until it may add more, or the
    // rps rule, which cannot see slow requests, would take them back while latency is still high.
    behavior: { scaleDown: { stabilizationWindow: '15m' } },
    scaleInControls: { maxScaledInReplicas: 3, timeWindow: '10m' },
    schedules: [
      { name: 'business-hours', cron: '0 8 * * 1-5', timeZone: TIME_ZONE, duration: '10h', minCapacity: 4 },
    ],
  });

  const minutes: WebTierMinute[] = [];
  log('time       rps  p95 ms  units');
  for (let at = START; at < START + 48 * 60 * MINUTE; at += MINUTE) {
    await clock.advanceToAsync(at);
    const hour = ((at - START) / (60 * MINUTE)) % 24;
    const noise = 1 + 0.1 * (random.next() - 0.5); // ±5 %
    const rps = Math.round(dailyLoad(hour) * noise);
    const perUnit = at >= CACHE_FLUSH.from && at < CACHE_FLUSH.to ? 60 : 100;
    const ready = Math.max(1, controller.capacityOf('web').ready);
    const p95 = Math.round(120 + 8 * Math.max(0, rps / ready - perUnit));
    metrics.push('requests_per_second', at, rps).push('p95_latency_ms', at, p95);

    const decision = (await manager.evaluate('web')) as Decision;
    minutes.push({ at, rps, p95, decision });
    const latencyFired = decision.proposals.some((p) => p.rule === 'latency' && p.outcome === 'propose');
    if ((at - START) % (60 * MINUTE) === 0 || latencyFired || decision.reason === 'ScaleInControlled') {
      const why = decision.direction === 'none' ? '' : `  ${decision.reason}`;
      log(
        `${local(at)} ${String(rps).padStart(5)} ${String(p95).padStart(7)} ${String(decision.desired).padStart(6)}${why}`,
      );
    }
  }
  await manager.stop();

  const decisions = minutes.map((m) => m.decision);
  const unitHours = decisions.reduce((sum, d) => sum + d.desired, 0) / 60;
  const maxCapacity = Math.max(...decisions.map((d) => d.desired));
  const scaleOuts = decisions.filter((d) => d.direction === 'out').length;
  const scaleIns = decisions.filter((d) => d.direction === 'in').length;
  log(
    `${unitHours.toFixed(1)} unit-hours, at most ${maxCapacity} units, ${scaleOuts} scale-outs, ${scaleIns} scale-ins`,
  );
  return { minutes, unitHours, maxCapacity, scaleOuts, scaleIns };
}
