/**
 * A pool of self-hosted GitHub Actions runners for one working day in Berlin. Two rules size it:
 * a `runner-scale-set` rule fed by `workflow_job` webhooks (`manager.recordJobEvent`), which
 * reserves a runner the moment a job is queued, and a `workflow-runs` rule reading the queued and
 * in-progress job count polled from the GitHub API, a backstop for webhook deliveries that never
 * arrive (GitHub does not redeliver on its own). A schedule keeps 2 warm runners on weekdays from
 * 08:00 to 18:00 Berlin time; the pool is empty at night and at weekends. After a scale-out,
 * runners stay 10 minutes before any is removed, so a second wave of jobs finds them ready.
 *
 * A morning burst: 6 five-minute jobs at 09:00 (one webhook is lost), then 3 four-minute jobs
 * at 09:02. New runners take a minute to come online.
 *
 * Run it: npx tsx -e "import('./examples/github-runner-pool.ts').then((m) => m.main())"
 */
import { AutoScalingManager, type Decision } from 'tideway';
import { InMemoryMetricsProvider, ManualClock, RecordingResourceController } from 'tideway/testing';

/** What the example needs from outside; everything has a default. */
export interface RunnerPoolDeps {
  /** Where lines go. @default console.log */
  readonly log?: (line: string) => void;
}

/** One line of the timeline: the pool after the tick at `at`. */
export interface RunnerPoolRow {
  readonly at: number;
  readonly queued: number;
  readonly running: number;
  readonly capacity: number;
  readonly reason: string;
}

/** What the example produced, for the test that runs it. */
export interface RunnerPoolResult {
  /** Every decision, oldest first (one a minute from 07:55 to 18:05 Berlin time). */
  readonly decisions: readonly Decision[];
  /** The minutes where jobs moved or capacity changed. */
  readonly timeline: readonly RunnerPoolRow[];
  /** The most runners asked for at once. */
  readonly peak: number;
  /** Runner-hours paid for (desired capacity, minute by minute). */
  readonly runnerHours: number;
  /** Jobs finished, and the longest any job waited for a runner, in minutes. */
  readonly jobsDone: number;
  readonly longestWaitMinutes: number;
}

const MINUTE = 60_000;
const TIME_ZONE = 'Europe/Berlin';
// Jobs by arrival time (UTC; Berlin is UTC+1 in February): count, minutes each, webhooks lost.
const ARRIVALS = [
  { at: '2026-02-02T08:00:00Z', count: 6, minutes: 5, lostWebhooks: 1 },
  { at: '2026-02-02T08:02:00Z', count: 3, minutes: 4, lostWebhooks: 0 },
];

export async function main(deps: RunnerPoolDeps = {}): Promise<RunnerPoolResult> {
  const log = deps.log ?? console.log;
  // Monday 2 February 2026, 07:55 in Berlin.
  const clock = new ManualClock(Date.parse('2026-02-02T06:55:00Z'));
  const local = (at: number) =>
    new Date(at).toLocaleTimeString('en-GB', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit' });
  const metrics = new InMemoryMetricsProvider();
  const controller = new RecordingResourceController({ clock, provisioningDelay: MINUTE });
  const manager = new AutoScalingManager({ metrics, controller, clock, scheduler: clock });
  manager.registerScalingGroup({
    id: 'ci-runners',
    minCapacity: 0,
    maxCapacity: 20,
    rules: [
      // Webhooks: each queued job reserves a runner until its `completed` event (or 30 minutes).
      {
        kind: 'runner-scale-set',
        maxRunners: 20,
        reservationDuration: '30m',
        scaleDownDelayAfterScaleOut: '10m',
      },
      // Polling: one runner per queued or running job, whatever webhooks were missed.
      { kind: 'workflow-runs', metric: 'queued_and_in_progress_jobs', scaleDownDelayAfterScaleOut: '10m' },
    ],
    schedules: [
      { name: 'working-hours', cron: '0 8 * * 1-5', timeZone: TIME_ZONE, duration: '10h', minCapacity: 2 },
    ],
    behavior: {
      // The scale-down delay holds runners after a scale-out; no second window on top of it.
      scaleDown: { stabilizationWindow: 0 },
      // At most 8 new runners a minute, to stay inside the API's registration rate.
      scaleUp: { policies: [{ type: 'units', value: 8, period: '1m' }] },
    },
  });

  const queue: { queuedAt: number; minutes: number }[] = [];
  let running: { endsAt: number }[] = [];
  const decisions: Decision[] = [];
  const timeline: RunnerPoolRow[] = [];
  let jobsDone = 0;
  let longestWait = 0;
  let runnerMinutes = 0;
  log('time   queued running capacity reason');
  for (let now = clock.now(); now <= Date.parse('2026-02-02T17:05:00Z'); now += MINUTE) {
    await clock.advanceToAsync(now);
    const finished = running.filter((job) => job.endsAt <= now);
    running = running.filter((job) => job.endsAt > now);
    jobsDone += finished.length;
    for (const _ of finished) manager.recordJobEvent('ci-runners', { type: 'completed' });
    for (const burst of ARRIVALS.filter((a) => Date.parse(a.at) === now)) {
      for (let i = 0; i < burst.count; i++) {
        queue.push({ queuedAt: now, minutes: burst.minutes });
        if (i >= burst.lostWebhooks) manager.recordJobEvent('ci-runners', { type: 'queued' });
      }
    }
    // Idle runners that are online take the oldest queued jobs.
    const idle = Math.max(0, controller.capacityOf('ci-runners').ready - running.length);
    for (const job of queue.splice(0, idle)) {
      running.push({ endsAt: now + job.minutes * MINUTE });
      longestWait = Math.max(longestWait, (now - job.queuedAt) / MINUTE);
    }
    metrics.push('queued_and_in_progress_jobs', now, queue.length + running.length);

    const decision = (await manager.evaluate('ci-runners')) as Decision;
    decisions.push(decision);
    runnerMinutes += decision.desired;
    if (decision.direction !== 'none' || finished.length > 0 || queue.length > 0 || running.length > 0) {
      const row = { at: now, queued: queue.length, running: running.length, capacity: decision.desired };
      // "NoChange" because every rule held its scale-in back says less than the rules' own reason.
      const held = decision.proposals.every((p) => p.reason === 'ScaleDownDelayed');
      const reason = decision.direction === 'none' && held ? 'ScaleDownDelayed' : decision.reason;
      timeline.push({ ...row, reason });
      log(
        `${local(now)}  ${String(row.queued).padStart(6)} ${String(row.running).padStart(7)} ` +
          `${String(row.capacity).padStart(8)} ${reason}`,
      );
    }
  }
  await manager.stop();

  const peak = Math.max(...decisions.map((d) => d.desired));
  const runnerHours = runnerMinutes / 60;
  log(
    `${jobsDone} jobs done, none waited over ${longestWait} min; peak ${peak} runners, ${runnerHours} runner-hours`,
  );
  return { decisions, timeline, peak, runnerHours, jobsDone, longestWaitMinutes: longestWait };
}
