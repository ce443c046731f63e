/**
 * Quick start: one scaling group, one target-tracking rule, and the fakes from
 * `tideway/testing` on a simulated clock, so it runs in milliseconds and ends on its own.
 * Swap the fakes for your own `MetricsProvider` and `ResourceController` (see
 * custom-provider.ts) and drop `clock`/`scheduler` to run it for real.
 *
 * Run it: npx tsx -e "import('./examples/quick-start.ts').then((m) => m.main())"
 */
import { AutoScalingManager, type Decision } from 'tideway';
import { InMemoryMetricsProvider, ManualClock, RecordingResourceController } from 'tideway/testing';

/** What the example needs from outside; everything has a default. */
export interface QuickStartDeps {
  /** Where lines go. @default console.log */
  readonly log?: (line: string) => void;
}

/** What the example produced, for the test that runs it. */
export interface QuickStartResult {
  /** Every decision, oldest first. */
  readonly decisions: readonly Decision[];
  /** The group's capacity at the end: desired, ready, and still provisioning. */
  readonly capacity: { readonly desired: number; readonly ready: number; readonly provisioning: number };
}

export async function main(deps: QuickStartDeps = {}): Promise<QuickStartResult> {
  const log = deps.log ?? console.log;
  const clock = new ManualClock(Date.parse('2026-01-01T09:00:00Z'));

  // 48 requests per second right now; each unit should carry 10.
  const metrics = new InMemoryMetricsProvider({
    series: { requests_per_second: [{ timestamp: clock.now(), value: 48 }] },
  });
  // One unit running; new units take 30 s to become ready.
  const controller = new RecordingResourceController({ clock, initial: 1, provisioningDelay: 30_000 });

  const manager = new AutoScalingManager({ metrics, controller, clock, scheduler: clock });
  manager.registerScalingGroup({
    id: 'web',
    minCapacity: 1,
    maxCapacity: 10,
    rules: [{ kind: 'target-tracking', metric: 'requests_per_second', targetPerUnit: 10 }],
  });

  const decisions: Decision[] = [];
  manager.on('decision', (decision) => {
    decisions.push(decision);
    log(`${new Date(decision.at).toISOString()} ${decision.reason}: ${decision.message}`);
  });

  manager.start();
  await clock.advanceAsync(45_000); // ticks at 0 s, 15 s, 30 s and 45 s (the default interval is 15 s)
  await manager.stop();

  const capacity = controller.capacityOf('web');
  log(`web runs ${capacity.desired} units, ${capacity.ready} ready`);
  return { decisions, capacity };
}
