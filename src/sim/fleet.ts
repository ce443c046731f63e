import { z } from 'zod';
import { argumentError, parseOrThrow } from '../config/issues.js';
import { DURATION_EXPECTED, parseDuration } from '../core/duration.js';
import type { Clock } from '../ports/clock.js';
import type {
  CapacityState,
  ResourceController,
  ScaleContext,
  UnitInfo,
  UnitLister,
} from '../ports/controller.js';
import type { CallOptions } from '../ports/metrics.js';
import type { Random } from '../ports/random.js';
import type { DelaySpec } from './types.js';

const duration = z.union([z.string(), z.number()]).refine((v) => parseDuration(v) !== undefined, {
  message: DURATION_EXPECTED,
  params: { expected: DURATION_EXPECTED },
});

/** Zod schema of a {@link DelaySpec}. */
export const delaySpecSchema = z.union(
  [
    duration,
    z.strictObject({ distribution: z.literal('uniform'), min: duration, max: duration }),
    z.strictObject({
      distribution: z.literal('lognormal'),
      median: duration,
      sigma: z.number().min(0).max(5),
    }),
    z.strictObject({ distribution: z.literal('exponential'), mean: duration }),
  ],
  {
    error:
      'a duration ("90s" or ms), or { distribution: "uniform", min, max } | { distribution: "lognormal", median, sigma } | { distribution: "exponential", mean }',
  },
);

const ms = (value: string | number): number => parseDuration(value) as number;

/**
 * Zod schema of {@link FleetOptions} as files and callers write it. `capacityPerUnit` is
 * optional here so a file may leave it to a command-line flag; `simulate` requires it. A uniform
 * delay whose max is below its min is refused while reading, not when the run starts.
 */
export const fleetOptionsSchema = z
  .strictObject({
    capacityPerUnit: z.number().finite().positive().optional(),
    provisioningDelay: delaySpecSchema.optional(),
    drainDelay: delaySpecSchema.optional(),
    initialCapacity: z.number().int().min(0).optional(),
    billing: z
      .strictObject({
        granularity: duration.optional(),
        minimum: duration.optional(),
        pricePerUnitHour: z.number().finite().min(0).optional(),
      })
      .optional(),
  })
  .superRefine((fleet, ctx) => {
    for (const key of ['provisioningDelay', 'drainDelay'] as const) {
      const spec = fleet[key];
      if (typeof spec !== 'object' || spec.distribution !== 'uniform') continue;
      const min = ms(spec.min);
      if (ms(spec.max) < min) {
        ctx.addIssue({
          code: 'custom',
          path: [key, 'max'],
          message: 'max ≥ min',
          input: spec.max,
          params: { expected: `a duration ≥ min (${min} ms)` },
        });
      }
    }
  });

/**
 * Turn a delay spec into a sampler of whole milliseconds. Distributions draw from `random`:
 * uniform `min + u·(max − min)`; log-normal `median · e^(σ·z)` with z standard normal (Box–Muller
 * over two draws); exponential `−mean · ln(1 − u)`.
 *
 * @throws ConfigError when the spec is malformed (e.g. uniform with min > max)
 * @example
 * const sample = delaySampler({ distribution: 'uniform', min: '30s', max: '90s' }, seededRandom(1));
 * sample(); // a whole number of ms in [30000, 90000]
 */
export function delaySampler(spec: DelaySpec, random: Random): () => number {
  const parsed = parseOrThrow(delaySpecSchema, spec, { code: 'ARGUMENT_INVALID', subject: 'delay' });
  if (typeof parsed === 'string' || typeof parsed === 'number') {
    const fixed = ms(parsed);
    return () => fixed;
  }
  switch (parsed.distribution) {
    case 'uniform': {
      const min = ms(parsed.min);
      const max = ms(parsed.max);
      if (min > max) {
        throw argumentError('max', `a duration ≥ min (${min} ms)`, parsed.max, 'delay');
      }
      return () => Math.round(min + random.next() * (max - min));
    }
    case 'lognormal': {
      const median = ms(parsed.median);
      const sigma = parsed.sigma;
      return () => {
        // Box–Muller; 1 − u keeps the logarithm finite.
        const u1 = 1 - random.next();
        const u2 = random.next();
        const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        return Math.round(median * Math.exp(sigma * z));
      };
    }
    case 'exponential': {
      const mean = ms(parsed.mean);
      return () => Math.round(-mean * Math.log(1 - random.next()));
    }
  }
}

/** One simulated unit's life. */
export interface SimulatedUnit {
  /** `u1`, `u2`, … in launch order. */
  readonly id: string;
  /** When it was launched (billing starts). */
  readonly launchedAt: number;
  /** When it became (or becomes) ready to serve. */
  readonly readyAt: number;
  /** When it was told to go (stops serving), or null. */
  removedAt: number | null;
  /** When it was released (billing stops), or null while it lives. */
  releasedAt: number | null;
}

/** Options of {@link SimulatedFleet}. */
export interface SimulatedFleetOptions {
  /** The simulation's clock. */
  readonly clock: Clock;
  /** Draws provisioning delays, ms. */
  readonly provisioningDelay: () => number;
  /** Draws drain delays, ms. */
  readonly drainDelay: () => number;
  /** Units ready at the start. */
  readonly initialCapacity: number;
}

/**
 * A simulated platform: a {@link ResourceController} (and {@link UnitLister}) whose units take a
 * provisioning delay to become ready and a drain delay to go, are paid for from launch to
 * release, and serve only while ready and not removed. Scale-in cancels launches still booting
 * first (newest first), then removes ready units, newest first.
 */
export class SimulatedFleet implements ResourceController, UnitLister {
  /** Every unit ever launched, in launch order. */
  readonly units: SimulatedUnit[] = [];
  private readonly clock: Clock;
  private readonly provisioningDelay: () => number;
  private readonly drainDelay: () => number;
  private live: SimulatedUnit[] = [];
  private draining: SimulatedUnit[] = [];

  /** @param options clock, delay samplers, initial capacity */
  constructor(options: SimulatedFleetOptions) {
    this.clock = options.clock;
    this.provisioningDelay = options.provisioningDelay;
    this.drainDelay = options.drainDelay;
    const now = this.clock.now();
    for (let i = 0; i < options.initialCapacity; i++) this.add(now, now);
  }

  /** Launch a unit at `launchedAt` that is ready at `readyAt` (for foresight baselines). */
  add(launchedAt: number, readyAt: number): SimulatedUnit {
    const unit: SimulatedUnit = {
      id: `u${this.units.length + 1}`,
      launchedAt,
      readyAt,
      removedAt: null,
      releasedAt: null,
    };
    this.units.push(unit);
    this.live.push(unit);
    return unit;
  }

  /**
   * Remove `count` live units at `at`: booting ones first (released at once), then ready ones,
   * newest first (drained, then released). With `readyOnly`, booting units are kept (a
   * foresight baseline launched them for later).
   */
  remove(count: number, at: number, options: { readyOnly?: boolean } = {}): void {
    // Ties (same ready and launch time) go by launch order, last launched first.
    const newestFirst = (a: SimulatedUnit, b: SimulatedUnit): number =>
      b.readyAt - a.readyAt || b.launchedAt - a.launchedAt || Number(b.id.slice(1)) - Number(a.id.slice(1));
    const booting = options.readyOnly ? [] : this.live.filter((u) => u.readyAt > at).sort(newestFirst);
    const ready = this.live.filter((u) => u.readyAt <= at).sort(newestFirst);
    let left = count;
    for (const unit of booting) {
      if (left === 0) break;
      unit.removedAt = at;
      unit.releasedAt = at;
      left--;
    }
    for (const unit of ready) {
      if (left === 0) break;
      unit.removedAt = at;
      unit.releasedAt = at + this.drainDelay();
      if (unit.releasedAt > at) this.draining.push(unit);
      left--;
    }
    this.live = this.live.filter((u) => u.removedAt === null);
  }

  /** Units paid for at `at` (never before the last change): live ones plus those still draining. */
  paidAt(at: number = this.clock.now()): number {
    if (this.draining.length > 0) this.draining = this.draining.filter((u) => (u.releasedAt as number) > at);
    return this.live.length + this.draining.length;
  }

  /** Live units (not removed), booting or ready. */
  get desired(): number {
    return this.live.length;
  }

  /** Units ready and serving at `at` (default now). */
  readyAt(at: number = this.clock.now()): number {
    let n = 0;
    for (const unit of this.live) if (unit.readyAt <= at) n++;
    return n;
  }

  /** Ids of the units ready and serving at `at`. */
  readyUnitIds(at: number = this.clock.now()): string[] {
    const out: string[] = [];
    for (const unit of this.live) if (unit.readyAt <= at) out.push(unit.id);
    return out;
  }

  /** Report desired and ready capacity. */
  getCapacity(_groupId: string, _options?: CallOptions): Promise<CapacityState> {
    return Promise.resolve({ desired: this.live.length, ready: this.readyAt() });
  }

  /** Launch or remove units to reach `capacity`. */
  setCapacity(_groupId: string, capacity: number, _context?: ScaleContext): Promise<void> {
    const now = this.clock.now();
    const current = this.live.length;
    if (capacity > current) {
      for (let i = current; i < capacity; i++) this.add(now, now + this.provisioningDelay());
    } else if (capacity < current) {
      this.remove(current - capacity, now);
    }
    return Promise.resolve();
  }

  /** Every unit that is not yet released, with its state now. */
  listUnits(_groupId: string, _options?: CallOptions): Promise<readonly UnitInfo[]> {
    const now = this.clock.now();
    const out: UnitInfo[] = [];
    for (const unit of this.units) {
      if (unit.releasedAt !== null && unit.releasedAt <= now) continue;
      const state = unit.removedAt !== null ? 'draining' : unit.readyAt <= now ? 'in-service' : 'pending';
      out.push({ id: unit.id, state, launchedAt: unit.launchedAt, readyAt: unit.readyAt });
    }
    return Promise.resolve(out);
  }
}
