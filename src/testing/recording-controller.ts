import type { Clock } from '../ports/clock.js';
import type { CapacityState, ResourceController, ScaleContext } from '../ports/controller.js';
import type { CallOptions } from '../ports/metrics.js';
import { FaultQueue, faulted } from './faults.js';

/** One call a {@link RecordingResourceController} received. */
export interface RecordedCall {
  /** Which method. */
  readonly method: 'getCapacity' | 'setCapacity';
  /** The group. */
  readonly groupId: string;
  /** When, by the controller's clock. */
  readonly at: number;
  /** For `setCapacity`: the capacity asked for. */
  readonly capacity?: number;
  /** For `setCapacity`: the decision's reason, id and idempotency key. */
  readonly context?: {
    readonly reason: string;
    readonly decisionId: string;
    readonly idempotencyKey: string;
  };
  /** Whether the call succeeded (false when an injected fault made it fail or hang). */
  readonly ok: boolean;
}

/** Options of {@link RecordingResourceController}. */
export interface RecordingControllerOptions {
  /** The clock provisioning delays are measured on (a `ManualClock` in tests). */
  readonly clock: Clock;
  /** Starting capacity of every group, or per group id. @default 0 */
  readonly initial?: number | Readonly<Record<string, number>>;
  /** How long a launched unit takes to become ready, in ms. @default 0 */
  readonly provisioningDelay?: number;
  /** Keep every call in `calls`. Turn off for long benchmarks. @default true */
  readonly record?: boolean;
}

interface Fleet {
  desired: number;
  ready: number;
  pending: { readyAt: number; count: number }[];
}

/**
 * A {@link ResourceController} that keeps capacity in memory and records every call. New units
 * become ready after `provisioningDelay`; removals take effect at once (pending launches are
 * cancelled first). Can be told to fail or hang the next calls of a method.
 *
 * @example
 * const controller = new RecordingResourceController({ clock, initial: 2, provisioningDelay: 60_000 });
 * controller.failNext('setCapacity', 1);
 */
export class RecordingResourceController implements ResourceController {
  /** Every call received, oldest first (when `record` is on). */
  readonly calls: RecordedCall[] = [];
  private readonly fleets = new Map<string, Fleet>();
  private readonly clock: Clock;
  private readonly initial: number | Readonly<Record<string, number>>;
  private readonly delay: number;
  private readonly record: boolean;
  private readonly faults = { getCapacity: new FaultQueue(), setCapacity: new FaultQueue() };

  /** @param options clock, initial capacity, provisioning delay */
  constructor(options: RecordingControllerOptions) {
    this.clock = options.clock;
    this.initial = options.initial ?? 0;
    this.delay = options.provisioningDelay ?? 0;
    this.record = options.record ?? true;
    if (!Number.isFinite(this.delay) || this.delay < 0) {
      throw new RangeError(`provisioningDelay: expected a number ≥ 0 of ms, got ${this.delay}`);
    }
  }

  private fleet(groupId: string): Fleet {
    let fleet = this.fleets.get(groupId);
    if (fleet === undefined) {
      const start = typeof this.initial === 'number' ? this.initial : (this.initial[groupId] ?? 0);
      fleet = { desired: start, ready: start, pending: [] };
      this.fleets.set(groupId, fleet);
    }
    // The clock is read only when launches are pending: most calls have none to promote.
    if (fleet.pending.length === 0) return fleet;
    const now = this.clock.now();
    while (fleet.pending.length > 0 && (fleet.pending[0] as { readyAt: number }).readyAt <= now) {
      fleet.ready += (fleet.pending.shift() as { count: number }).count;
    }
    return fleet;
  }

  /** A group's capacity right now: desired, ready, and still provisioning. */
  capacityOf(groupId: string): { desired: number; ready: number; provisioning: number } {
    const fleet = this.fleet(groupId);
    return { desired: fleet.desired, ready: fleet.ready, provisioning: fleet.desired - fleet.ready };
  }

  /** Make the next `count` calls of `method` reject with `error`. */
  failNext(
    method: 'getCapacity' | 'setCapacity',
    count = 1,
    error: Error = new Error(`${method} failed`),
  ): this {
    this.faults[method].add('fail', count, error);
    return this;
  }

  /** Make the next `count` calls of `method` never answer (until their signal aborts). */
  hangNext(method: 'getCapacity' | 'setCapacity', count = 1): this {
    this.faults[method].add('hang', count, new Error('hang'));
    return this;
  }

  /** Set a group's capacity directly, as if changed outside tideway (all units ready). */
  setExternally(groupId: string, capacity: number): void {
    const fleet = this.fleet(groupId);
    fleet.desired = capacity;
    fleet.ready = capacity;
    fleet.pending = [];
  }

  /** Report desired and ready capacity. */
  getCapacity(groupId: string, options: CallOptions): Promise<CapacityState> {
    const fault = this.faults.getCapacity.next();
    if (this.record)
      this.calls.push({ method: 'getCapacity', groupId, at: this.clock.now(), ok: fault === undefined });
    if (fault !== undefined) return faulted(fault.mode, fault.error, options.signal);
    const fleet = this.fleet(groupId);
    return Promise.resolve({ desired: fleet.desired, ready: fleet.ready });
  }

  /** Change capacity: launches become ready after the provisioning delay; removals are immediate. */
  setCapacity(groupId: string, capacity: number, context: ScaleContext): Promise<void> {
    const fault = this.faults.setCapacity.next();
    if (this.record) {
      this.calls.push({
        method: 'setCapacity',
        groupId,
        at: this.clock.now(),
        capacity,
        context: {
          reason: context.reason,
          decisionId: context.decisionId,
          idempotencyKey: context.idempotencyKey,
        },
        ok: fault === undefined,
      });
    }
    if (fault !== undefined) return faulted(fault.mode, fault.error, context.signal);
    const fleet = this.fleet(groupId);
    const total = fleet.desired;
    if (capacity > total) {
      const count = capacity - total;
      if (this.delay === 0) fleet.ready += count;
      else fleet.pending.push({ readyAt: this.clock.now() + this.delay, count });
    } else if (capacity < total) {
      let remove = total - capacity;
      while (remove > 0 && fleet.pending.length > 0) {
        const last = fleet.pending[fleet.pending.length - 1] as { count: number };
        const take = Math.min(remove, last.count);
        last.count -= take;
        remove -= take;
        if (last.count === 0) fleet.pending.pop();
      }
      fleet.ready -= remove;
    }
    fleet.desired = capacity;
    return Promise.resolve();
  }
}
