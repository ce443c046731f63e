/**
 * Your own ports: a `MetricsProvider` and a `ResourceController` for a made-up, in-process job
 * queue and worker pool (plain objects, no I/O). tideway sizes the pool from two metrics the
 * queue reports — the arrival rate (so each worker gets about 10 of the 12 jobs a minute it can
 * finish) and the backlog (so a queue that built up gets extra workers until it drains) — and
 * records why it did each thing.
 *
 * A burst of jobs arrives for 4 minutes and then stops: the pool grows, clears the backlog, and
 * shrinks to zero once the quiet has lasted the scale-down stabilization window.
 *
 * Run it: npx tsx -e "import('./examples/custom-provider.ts').then((m) => m.main())"
 */
import {
  AutoScalingManager,
  type Decision,
  type MetricSample,
  type MetricSeries,
  type MetricsProvider,
  type ResourceController,
  type ScalingEventRecord,
} from 'tideway';
import { ManualClock } from 'tideway/testing';

/** What the example needs from outside; everything has a default. */
export interface CustomProviderDeps {
  /** Where lines go. @default console.log */
  readonly log?: (line: string) => void;
}

/** What the example produced, for the test that runs it. */
export interface CustomProviderResult {
  /** Every decision, oldest first. */
  readonly decisions: readonly Decision[];
  /** The `scaled` events from the manager's history, oldest first. */
  readonly scaled: readonly ScalingEventRecord[];
  /** The most workers the pool ran at once. */
  readonly peakWorkers: number;
  /** Workers at the end. */
  readonly workers: number;
  /** Jobs still waiting at the end. */
  readonly waiting: number;
  /** Jobs done. */
  readonly done: number;
}

const STEP_MS = 10_000;
const JOBS_PER_WORKER_PER_STEP = 2; // 12 a minute

export async function main(deps: CustomProviderDeps = {}): Promise<CustomProviderResult> {
  const log = deps.log ?? console.log;
  const clock = new ManualClock(Date.parse('2026-01-01T09:00:00Z'));
  const time = (at: number) => new Date(at).toISOString().slice(11, 19);

  // The platform tideway scales: a queue of jobs and a pool of workers that take from it.
  const queue = { waiting: 0, done: 0, arrivals: [] as MetricSample[] };
  const pool = { workers: 1, peak: 1 };

  // Port 1: how tideway sees the load. Each query names a metric and how far back to look;
  // answer with the samples inside that window. A metric left out is recorded as missing,
  // which may hold back a scale-in but never removes capacity.
  const metrics: MetricsProvider = {
    async read(request) {
      const answer: Record<string, MetricSeries> = {};
      for (const query of request.metrics) {
        if (query.name === 'jobs_per_minute') {
          const since = request.now - query.window;
          const samples = queue.arrivals
            .filter((a) => a.timestamp > since && a.timestamp <= request.now)
            .map((a) => ({ timestamp: a.timestamp, value: (a.value * 60_000) / STEP_MS }));
          answer[query.name] = { samples };
        } else if (query.name === 'queued_jobs') {
          answer[query.name] = { samples: [{ timestamp: request.now, value: queue.waiting }] };
        }
      }
      return answer;
    },
  };

  // Port 2: how tideway changes capacity. A real controller would start or stop workers here.
  const controller: ResourceController = {
    async getCapacity() {
      return pool.workers;
    },
    async setCapacity(_groupId, capacity) {
      pool.workers = capacity;
      pool.peak = Math.max(pool.peak, capacity);
    },
  };

  const manager = new AutoScalingManager({ metrics, controller, clock, scheduler: clock });
  manager.registerScalingGroup({
    id: 'workers',
    minCapacity: 0,
    maxCapacity: 30,
    evaluationInterval: '30s',
    rules: [
      { kind: 'target-tracking', metric: 'jobs_per_minute', targetPerUnit: 10 },
      { kind: 'target-tracking', metric: 'queued_jobs', targetPerUnit: 5 },
    ],
    behavior: { scaleDown: { stabilizationWindow: '2m' } },
  });

  const decisions: Decision[] = [];
  manager.on('decision', (decision) => {
    decisions.push(decision);
    if (decision.direction !== 'none') log(`${time(decision.at)} ${decision.reason}: ${decision.message}`);
  });

  manager.start();
  // Ten simulated minutes in 10-second steps: 30 jobs arrive per step (180 a minute) for the
  // first 4 minutes, then none; each worker finishes 2 jobs per step.
  for (let step = 0; step < 60; step++) {
    const arrived = step < 24 ? 30 : 0;
    queue.arrivals.push({ timestamp: clock.now(), value: arrived });
    queue.waiting += arrived;
    const finished = Math.min(queue.waiting, pool.workers * JOBS_PER_WORKER_PER_STEP);
    queue.waiting -= finished;
    queue.done += finished;
    await clock.advanceAsync(STEP_MS);
  }
  await manager.stop();

  // The manager's history answers "what happened?" without any listener of your own.
  const scaled = manager.getScalingEvents({ groupId: 'workers', kinds: ['scaled'] }).reverse();
  log(`scaled ${scaled.length} times:`);
  for (const event of scaled) log(`  ${time(event.at)} ${event.message}`);
  log(`done ${queue.done} jobs; ${queue.waiting} waiting; ${pool.workers} workers (at most ${pool.peak})`);
  return {
    decisions,
    scaled,
    peakWorkers: pool.peak,
    workers: pool.workers,
    waiting: queue.waiting,
    done: queue.done,
  };
}
