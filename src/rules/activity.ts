import { formatDuration } from '../core/duration.js';
import { aggregate, type Statistic } from '../core/statistics.js';
import type { JsonValue, MetricObservation, Observation, Proposal } from '../core/types.js';
import { type MetricReading, readMetric } from './shared.js';

// What AWS-style rules remember about scaling activities between ticks (in Proposal.memory):
// the cooldowns of simple scaling and of Application Auto Scaling, and the units still warming
// up. Memory comes back from snapshots of any age, so every reader checks its shape.

/** The last scale-out and scale-in a rule asked for, kept in its memory. */
export interface ActivityMemory {
  /** The last scale-out the rule asked for: when, and the capacity it started from. */
  readonly out?: { readonly at: number; readonly base: number };
  /** When the rule last asked for a scale-in. */
  readonly in?: { readonly at: number };
}

/** Units added recently, kept in a rule's memory to tell which units are still warming up. */
export interface WarmupMemory {
  /** Capacity seen on the previous tick. */
  readonly capacity: number;
  /** When it was seen. */
  readonly seenAt: number;
  /** `[launchedAt, count]` of recent increases, oldest first. */
  readonly launches: readonly (readonly [number, number])[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * Read the `activity` part of a rule's memory, dropping anything malformed.
 *
 * @example
 * readActivity(observation.memory?.[index]); // { out: { at: 60000, base: 4 } }
 */
export function readActivity(memory: JsonValue | undefined): ActivityMemory {
  const saved = isRecord(memory) ? memory.activity : undefined;
  if (!isRecord(saved)) return {};
  const out = saved.out;
  const inn = saved.in;
  return {
    ...(isRecord(out) && isTime(out.at) && isTime(out.base) ? { out: { at: out.at, base: out.base } } : {}),
    ...(isRecord(inn) && isTime(inn.at) ? { in: { at: inn.at } } : {}),
  };
}

/**
 * Read the `warmup` part of a rule's memory, or undefined when absent or malformed.
 *
 * @example
 * readWarmup(observation.memory?.[index])?.launches;
 */
export function readWarmup(memory: JsonValue | undefined): WarmupMemory | undefined {
  const saved = isRecord(memory) ? memory.warmup : undefined;
  if (
    !isRecord(saved) ||
    !isTime(saved.capacity) ||
    !isTime(saved.seenAt) ||
    !Array.isArray(saved.launches)
  ) {
    return undefined;
  }
  const launches = saved.launches.filter(
    (l): l is [number, number] => Array.isArray(l) && l.length === 2 && isTime(l[0]) && isTime(l[1]),
  );
  return { capacity: saved.capacity, seenAt: saved.seenAt, launches };
}

/** Memory as plain JSON. */
function toJson(memory: { activity?: ActivityMemory; warmup?: WarmupMemory }): JsonValue {
  // Built field by field (not through JSON.stringify/parse, which cost microseconds every tick):
  // absent fields stay absent, as JSON would drop them.
  const out: { [key: string]: JsonValue } = {};
  const { warmup, activity } = memory;
  if (warmup !== undefined) {
    out.warmup = {
      capacity: warmup.capacity,
      seenAt: warmup.seenAt,
      launches: warmup.launches.map(([at, count]) => [at, count]),
    };
  }
  if (activity !== undefined) {
    const saved: { [key: string]: JsonValue } = {};
    if (activity.out !== undefined) saved.out = { at: activity.out.at, base: activity.out.base };
    if (activity.in !== undefined) saved.in = { at: activity.in.at };
    out.activity = saved;
  }
  return out;
}

/**
 * A proposal with what an AWS-style rule remembers for the next tick: its warm-up tracking and
 * its cooldown activity, each only when there is something to keep (no memory when neither).
 *
 * @example
 * rememberActivity(proposal, warm?.memory, recordActivity(activity, now, current, capacity, current));
 */
export function rememberActivity(
  proposal: Proposal,
  warmup: WarmupMemory | undefined,
  activity: ActivityMemory | undefined,
): Proposal {
  const keepActivity = activity !== undefined && (activity.out !== undefined || activity.in !== undefined);
  if (warmup === undefined && !keepActivity) return proposal;
  const memory: { warmup?: WarmupMemory; activity?: ActivityMemory } = {};
  if (warmup !== undefined) memory.warmup = warmup;
  if (keepActivity) memory.activity = activity;
  return { ...proposal, memory: toJson(memory) };
}

/**
 * Whether capacity really moved in `direction` at or after `at` — a rule's proposal may have been
 * held back by arbitration or a guard. When the observation does not say (`lastScaleOutAt`
 * absent), the rule's own memory is trusted.
 *
 * @example
 * happened(observation, 'out', 60_000);
 */
export function happened(observation: Observation, direction: 'out' | 'in', at: number): boolean {
  const last = direction === 'out' ? observation.lastScaleOutAt : observation.lastScaleInAt;
  if (last === undefined) return true;
  return last !== null && last >= at;
}

/**
 * When capacity last moved either way: the latest of `lastScaleOutAt` and `lastScaleInAt`;
 * null when it never moved, undefined when the observation does not say.
 *
 * @example
 * lastActivityAt({ ...observation, lastScaleOutAt: 10, lastScaleInAt: 50 }); // 50
 */
export function lastActivityAt(observation: Observation): number | null | undefined {
  const out = observation.lastScaleOutAt;
  const inn = observation.lastScaleInAt;
  if (out === undefined && inn === undefined) return undefined;
  if ((out ?? null) === null) return inn ?? null;
  if ((inn ?? null) === null) return out ?? null;
  return Math.max(out as number, inn as number);
}

/** Application Auto Scaling cooldowns, in ms. */
export interface ApplicationCooldowns {
  /** After a scale-out, a further one only adds what goes beyond it until this has passed. */
  readonly scaleOut: number;
  /** After a scale-in, further scale-ins wait this long (a scale-out ends the wait). */
  readonly scaleIn: number;
}

/** What {@link applyApplicationCooldown} lets through. */
export type CooldownVerdict =
  | {
      /** The rule may propose `capacity`. */
      readonly act: true;
      readonly capacity: number;
      /** The capacity the proposal was computed from (before an earlier scale-out in cooldown). */
      readonly base: number;
    }
  | {
      /** The rule is held back until the cooldown ends. */
      readonly act: false;
      /** ms until the cooldown ends. */
      readonly left: number;
      /** One sentence. */
      readonly message: string;
    };

/**
 * Application Auto Scaling's cooldown rules for a rule whose wish is `desiredFrom(base)`:
 * - During the scale-out cooldown, the capacity the earlier scale-out added counts toward the
 *   next one: the wish is computed from the capacity before it, so only a larger scale-out adds
 *   anything (+2, then a +3 step, adds 1).
 * - During the scale-in cooldown, scale-in is blocked; a scale-out since that scale-in (by any
 *   rule or by hand) ends the scale-in cooldown, and a scale-out is never held by it.
 * A cooldown counts from when capacity moved (tideway cannot see when an activity completes).
 *
 * @example
 * applyApplicationCooldown(observation, { scaleOut: 300_000, scaleIn: 300_000 }, memory, (b) => b + 3);
 */
export function applyApplicationCooldown(
  observation: Observation,
  cooldowns: ApplicationCooldowns,
  memory: ActivityMemory,
  desiredFrom: (base: number) => number,
): CooldownVerdict {
  const { now, capacity: current } = observation;
  const wanted = desiredFrom(current);
  if (wanted > current) {
    const out = memory.out;
    if (out !== undefined && now < out.at + cooldowns.scaleOut && happened(observation, 'out', out.at)) {
      const fromBase = desiredFrom(out.base);
      if (fromBase > current) return { act: true, capacity: fromBase, base: out.base };
      const left = out.at + cooldowns.scaleOut - now;
      return {
        act: false,
        left,
        message: `the scale-out from ${out.base} ${formatDuration(now - out.at)} ago already gives ${current} of the ${fromBase} wanted, and its cooldown has ${formatDuration(left)} left`,
      };
    }
    return { act: true, capacity: wanted, base: current };
  }
  if (wanted < current) {
    const inn = memory.in;
    const scaledOutSince =
      inn !== undefined && observation.lastScaleOutAt != null && observation.lastScaleOutAt > inn.at;
    if (
      inn !== undefined &&
      now < inn.at + cooldowns.scaleIn &&
      !scaledOutSince &&
      happened(observation, 'in', inn.at)
    ) {
      const left = inn.at + cooldowns.scaleIn - now;
      return {
        act: false,
        left,
        message: `scale-in to ${wanted} waits for the scale-in cooldown (${formatDuration(left)} left)`,
      };
    }
  }
  return { act: true, capacity: wanted, base: current };
}

/**
 * The activity memory after a proposal: a scale-out records when and from which capacity (a
 * larger scale-out within the cooldown keeps the original base), a scale-in records when.
 *
 * @example
 * recordActivity(memory, now, 4, 6, 4); // { out: { at: now, base: 4 } }
 */
export function recordActivity(
  memory: ActivityMemory,
  now: number,
  current: number,
  proposed: number,
  base: number,
): ActivityMemory {
  if (proposed > current) return { ...memory, out: { at: now, base } };
  if (proposed < current) return { ...memory, in: { at: now } };
  return memory;
}

/** How many units are warming up, and the memory to keep. */
export interface Warming {
  /** Capacity still warming up (weighted when units carry weights), at most the capacity. */
  readonly warming: number;
  /** Ids of the warming units, when the observation lists units. */
  readonly ids?: ReadonlySet<string>;
  /** What to remember for the next tick; absent when the observation lists units. */
  readonly memory?: WarmupMemory;
}

/**
 * Count the capacity still warming up, as AWS's instance warm-up needs.
 *
 * With `observation.units`: units not yet in service (`pending`, `warming`) and in-service
 * units that became ready (`readyAt`, else `launchedAt`) less than `warmup` ago, by weight.
 *
 * Without: units launched less than `warmup` ago, and units not yet ready whatever their age.
 * Launch times come from the increases of capacity the rule has seen (remembered between
 * ticks), dated by `lastScaleOutAt` when it falls since the previous tick; units not yet ready
 * are `capacity − readyCapacity`.
 *
 * @example
 * countWarming(observation, 300_000, readWarmup(observation.memory?.[index])).warming;
 */
export function countWarming(
  observation: Observation,
  warmup: number,
  previous: WarmupMemory | undefined,
): Warming {
  const { now, capacity, units } = observation;
  if (units !== undefined) {
    const ids = new Set<string>();
    let warming = 0;
    for (const unit of units) {
      const since = unit.readyAt ?? unit.launchedAt;
      const warm =
        unit.state === 'pending' ||
        unit.state === 'warming' ||
        (unit.state === 'in-service' && since !== undefined && now < since + warmup);
      if (!warm) continue;
      ids.add(unit.id);
      warming += unit.weight ?? 1;
    }
    return { warming: Math.min(capacity, warming), ids };
  }
  const launches = (previous?.launches ?? []).filter(([at]) => now < at + warmup);
  if (previous !== undefined && capacity > previous.capacity) {
    const last = observation.lastScaleOutAt;
    const at = last != null && last >= previous.seenAt && last <= now ? last : now;
    if (now < at + warmup) launches.push([at, capacity - previous.capacity]);
  }
  let recent = 0;
  for (const [, count] of launches) recent += count;
  const unready = Math.max(0, capacity - observation.readyCapacity);
  return {
    warming: Math.min(capacity, Math.max(unready, recent)),
    memory: { capacity, seenAt: now, launches },
  };
}

/**
 * The metric without the warming units, as AWS aggregates it: the statistic of each other
 * in-service unit's per-unit samples since `since`, averaged over those units. Undefined when
 * the metric has no per-unit samples or the units are not listed (the caller then uses the
 * group's value), or when no unit outside warm-up has data (`empty: true`).
 *
 * @example
 * nonWarmingValue(metric, observation.units, warming.ids, 'average', now - 60_000);
 */
export function nonWarmingValue(
  metric: MetricObservation,
  units: Observation['units'],
  warming: ReadonlySet<string> | undefined,
  statistic: Statistic,
  since: number,
): { readonly value: number; readonly units: number } | { readonly empty: true } | undefined {
  if (metric.perUnit === undefined || units === undefined || warming === undefined) return undefined;
  let sum = 0;
  let n = 0;
  for (const unit of units) {
    if (unit.state !== 'in-service' || warming.has(unit.id)) continue;
    const samples = metric.perUnit[unit.id];
    const value = samples === undefined ? undefined : aggregate(samples, statistic, since);
    if (value === undefined) continue;
    sum += value;
    n++;
  }
  return n === 0 ? { empty: true } : { value: sum / n, units: n };
}

/**
 * Read a rule's metric as EC2 Auto Scaling does while units warm up: the statistic over the
 * window, replaced by the value over the units outside warm-up when the observation lists the
 * units and the metric has per-unit samples (`outside` says what that gave). Without data it
 * returns the rule's `invalid` proposal, as {@link readMetric} does.
 *
 * @example
 * const reading = readOutsideWarmup(rule, name, index, observation, warm);
 * if ('outcome' in reading) return remember(reading);
 */
export function readOutsideWarmup(
  rule: { readonly metric: string; readonly statistic: Statistic; readonly window: number },
  name: string,
  index: number,
  observation: Observation,
  warm: Warming | undefined,
): (MetricReading & { readonly outside: ReturnType<typeof nonWarmingValue> }) | Proposal {
  const reading = readMetric(rule, name, index, observation);
  if ('outcome' in reading) return reading;
  const metric = observation.metrics[rule.metric];
  const outside =
    warm !== undefined && metric !== undefined
      ? nonWarmingValue(metric, observation.units, warm.ids, rule.statistic, observation.now - rule.window)
      : undefined;
  return {
    value: outside !== undefined && 'value' in outside ? outside.value : reading.value,
    samples: reading.samples,
    outside,
  };
}
