import { z } from 'zod';
import { type ScalingGroupConfig, scalingGroupSchema } from '../config/group.js';
import { parseOrThrow } from '../config/issues.js';
import type { ArbitrationFunction } from '../core/arbitrate.js';
import { recommendationLog, recommendationRecords } from '../core/recommendations.js';
import { everyRule } from '../core/schedule.js';
import type { Decision, DecisionState, JsonValue, RecommendationRecord } from '../core/types.js';
import { detectCapabilities } from '../ports/controller.js';
import type { CustomRuleFunction } from '../rules/custom.js';
import type { ScalingEventRecord } from './event-log.js';
import { MANAGER_EVENT_NAMES } from './events.js';
import { type ForecastTrackerState, forecastTrackerStateSchema } from './forecasting.js';
import { MetricHistory } from './metric-history.js';
import { type GroupContext, ScalingGroup } from './scaling-group.js';

/** The snapshot format's version; bumped on any incompatible change. */
export const SNAPSHOT_VERSION = 1;

/** One group in a snapshot. */
export interface GroupSnapshot {
  /** The group's config (defaults applied, durations in ms). */
  readonly config: ScalingGroupConfig;
  /** Decisions made so far. */
  readonly sequence: number;
  /** Capacity last known. */
  readonly capacity: number | null;
  /** A configured capacity not yet applied. */
  readonly pendingDesiredCapacity: number | null;
  /** When the group's next scheduled tick was due. */
  readonly nextDueAt: number | null;
  /** What the pipeline remembers, with its recommendations as records. */
  readonly state: DecisionStateSnapshot;
  /** The latest decision. */
  readonly lastDecision: Decision | null;
  /** `reason@current` of the group's last decision kept in the event history. */
  readonly lastLoggedKey: string | null;
  /** What rules remembered, as `[ruleIndex, memory]` pairs (absent in older snapshots). */
  readonly ruleMemory?: readonly (readonly [number, JsonValue])[];
  /** Each predictive rule's series, model and accuracy record, as `[ruleIndex, state]` pairs. */
  readonly forecasts?: readonly (readonly [number, ForecastTrackerState])[];
  /** Recent samples per metric, `[timestamp, value]`, oldest first. */
  readonly metricHistory: Readonly<Record<string, readonly (readonly [number, number])[]>>;
}

/**
 * A {@link DecisionState} as a snapshot holds it: the recommendation log written out as
 * `{ at, capacity }` records, so the JSON reads the same as the rest of the state.
 */
export type DecisionStateSnapshot = Omit<DecisionState, 'recommendations'> & {
  /** Recent unstabilized recommendations, in slot order. */
  readonly recommendations: readonly RecommendationRecord[];
};

/** Everything a manager remembers, as plain JSON. */
export interface ManagerSnapshot {
  /** Always `tideway.manager-snapshot`. */
  readonly format: 'tideway.manager-snapshot';
  /** {@link SNAPSHOT_VERSION}. */
  readonly version: number;
  /** When it was taken. */
  readonly takenAt: number;
  /** The groups. */
  readonly groups: readonly GroupSnapshot[];
  /** The event history, oldest first. */
  readonly events: readonly ScalingEventRecord[];
}

const time = z.number().finite();
const count = z.number().int().min(0);

const stateSchema = z.strictObject({
  recommendations: z.array(z.strictObject({ at: time, capacity: count })),
  scaleUpEvents: z.array(z.strictObject({ at: time, change: count, outdated: z.boolean() })),
  scaleDownEvents: z.array(z.strictObject({ at: time, change: count, outdated: z.boolean() })),
  lastScaleOutAt: time.nullable(),
  lastScaleInAt: time.nullable(),
  hold: z.strictObject({ capacity: count, until: time, reason: z.string() }).nullable(),
  paused: z.strictObject({ scaleOut: z.boolean(), scaleIn: z.boolean() }),
  scaleInPeaks: z.array(z.strictObject({ at: time, capacity: count })).optional(),
});

const decisionSchema = z.looseObject({
  id: z.string(),
  groupId: z.string(),
  at: time,
  current: count,
  desired: count,
  reason: z.string(),
  message: z.string(),
  proposals: z.array(z.unknown()),
  trace: z.array(z.unknown()),
});

const snapshotSchema = z
  .strictObject({
    format: z.literal('tideway.manager-snapshot'),
    version: z.literal(SNAPSHOT_VERSION),
    takenAt: time,
    groups: z.array(
      z.strictObject({
        config: scalingGroupSchema,
        sequence: count,
        capacity: count.nullable(),
        pendingDesiredCapacity: count.nullable(),
        nextDueAt: time.nullable(),
        state: stateSchema,
        lastDecision: decisionSchema.nullable(),
        lastLoggedKey: z
          .string()
          .regex(/^[A-Za-z]+@\d+$/)
          .nullable(),
        ruleMemory: z.array(z.tuple([count, z.json()])).optional(),
        forecasts: z.array(z.tuple([count, forecastTrackerStateSchema])).optional(),
        metricHistory: z.record(z.string(), z.array(z.tuple([time, time]))),
      }),
    ),
    events: z.array(
      z.strictObject({
        seq: count,
        kind: z.enum(MANAGER_EVENT_NAMES),
        at: time,
        groupId: z.string().nullable(),
        message: z.string(),
        data: z.record(z.string(), z.unknown()),
      }),
    ),
  })
  .superRefine((snapshot, ctx) => {
    const seen = new Set<string>();
    snapshot.groups.forEach((group, index) => {
      if (seen.has(group.config.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['groups', index, 'config', 'id'],
          message: 'unique group ids',
          input: group.config.id,
          params: { expected: 'a group id that appears once' },
        });
      }
      seen.add(group.config.id);
      // Indexes count the group's rules, then each profile's (everyRule).
      const rules = everyRule(group.config);
      for (const [k, [ruleIndex]] of (group.ruleMemory ?? []).entries()) {
        if (ruleIndex >= rules.length) {
          ctx.addIssue({
            code: 'custom',
            path: ['groups', index, 'ruleMemory', k, 0],
            message: "the index of one of the group's rules",
            input: ruleIndex,
            params: { expected: `a rule index below ${rules.length}` },
          });
        }
      }
      for (const [k, [ruleIndex]] of (group.forecasts ?? []).entries()) {
        if (rules[ruleIndex]?.kind !== 'predictive') {
          ctx.addIssue({
            code: 'custom',
            path: ['groups', index, 'forecasts', k, 0],
            message: "the index of one of the group's predictive rules",
            input: ruleIndex,
            params: { expected: "the index of one of the group's predictive rules" },
          });
        }
      }
    });
  });

/** Options of `restore`. */
export interface RestoreOptions {
  /**
   * The functions of custom rules, by group id and rule name. JSON cannot carry functions, so a
   * snapshot of a group with a custom rule restores only when its function is given here. A
   * profile's custom rules are looked up by name in the same record as the group's.
   */
  readonly customRules?: Readonly<Record<string, Readonly<Record<string, CustomRuleFunction>>>>;
  /**
   * The functions of `arbitration: { custom }`, by group id: like custom rules, a snapshot of such
   * a group restores only when its function is given here.
   */
  readonly customArbitration?: Readonly<Record<string, ArbitrationFunction>>;
}

// Put each custom rule's function back into a snapshot's config before validation, without
// touching the caller's object.
function attachCustomRules(
  input: unknown,
  functions: NonNullable<RestoreOptions['customRules']>,
  arbitration: NonNullable<RestoreOptions['customArbitration']> = {},
): unknown {
  if (input === null || typeof input !== 'object' || !Array.isArray((input as { groups?: unknown }).groups))
    return input;
  const snapshot = input as { groups: unknown[] };
  return {
    ...snapshot,
    groups: snapshot.groups.map((group) => {
      const config = (group as { config?: { id?: unknown; rules?: unknown } } | null)?.config;
      if (!config || typeof config.id !== 'string' || !Array.isArray(config.rules)) return group;
      const byName = functions[config.id] ?? {};
      const attach = (list: unknown[]): unknown[] =>
        list.map((rule) => {
          const r = rule as { kind?: unknown; name?: unknown; propose?: unknown } | null;
          if (r?.kind !== 'custom' || typeof r.name !== 'string' || typeof r.propose === 'function')
            return rule;
          const fn = byName[r.name];
          return fn === undefined ? rule : { ...r, propose: fn };
        });
      const rules = attach(config.rules);
      // A profile's custom rules take their functions from the same names.
      const saved = (config as { profiles?: unknown }).profiles;
      const profiles = Array.isArray(saved)
        ? {
            profiles: saved.map((profile) => {
              const own = (profile as { rules?: unknown } | null)?.rules;
              return Array.isArray(own) ? { ...(profile as object), rules: attach(own) } : profile;
            }),
          }
        : {};
      // JSON drops the function of `arbitration: { custom }`, leaving `{}` (or `{ custom: undefined }`).
      const arbitrate = Object.hasOwn(arbitration, config.id) ? arbitration[config.id] : undefined;
      const mode = (config as { arbitration?: unknown }).arbitration;
      const restored =
        arbitrate !== undefined && mode !== null && typeof mode === 'object' && !('formula' in mode)
          ? { arbitration: { custom: arbitrate } }
          : {};
      return { ...(group as object), config: { ...config, rules, ...profiles, ...restored } };
    }),
  };
}

/** @internal */
export function writeSnapshot(
  now: number,
  groups: readonly ScalingGroup[],
  events: readonly ScalingEventRecord[],
): ManagerSnapshot {
  return {
    format: 'tideway.manager-snapshot',
    version: SNAPSHOT_VERSION,
    takenAt: now,
    groups: groups.map((group) => {
      const metricHistory: Record<string, [number, number][]> = {};
      for (const [name, history] of group.histories) metricHistory[name] = history.toArray();
      return {
        config: group.config,
        sequence: group.sequence,
        capacity: group.lastKnownCapacity,
        pendingDesiredCapacity: group.pendingDesired,
        nextDueAt: group.nextDueAt,
        state: {
          ...group.decisionState,
          recommendations: recommendationRecords(group.decisionState.recommendations),
        },
        lastDecision: group.lastDecision,
        lastLoggedKey:
          group.lastLoggedReason === null ? null : `${group.lastLoggedReason}@${group.lastLoggedCurrent}`,
        ruleMemory: group.ruleMemory.flatMap((memory, index) =>
          memory === undefined ? [] : [[index, memory] as const],
        ),
        forecasts: [...group.trackers].map(([index, tracker]) => [index, tracker.toJSON()] as const),
        metricHistory,
      };
    }),
    events: events.slice(),
  };
}

/** @internal validate a snapshot and build its groups; throws ConfigError (SNAPSHOT_INVALID). */
export function readSnapshot(
  input: unknown,
  context: GroupContext,
  options: RestoreOptions = {},
): { groups: ScalingGroup[]; events: ScalingEventRecord[] } {
  const withFunctions = attachCustomRules(input, options.customRules ?? {}, options.customArbitration);
  const parsed = parseOrThrow(snapshotSchema, withFunctions, {
    code: 'SNAPSHOT_INVALID',
    subject: 'snapshot',
  });
  const capabilities = detectCapabilities(context.controller);
  const groups = parsed.groups.map((saved) => {
    const group = new ScalingGroup(saved.config, capabilities, context);
    group.sequence = saved.sequence;
    group.lastKnownCapacity = saved.capacity;
    group.pendingDesired = saved.pendingDesiredCapacity;
    group.nextDueAt = saved.nextDueAt;
    group.decisionState = { ...saved.state, recommendations: recommendationLog(saved.state.recommendations) };
    group.lastDecision = saved.lastDecision as Decision | null;
    if (saved.lastLoggedKey !== null) {
      const at = saved.lastLoggedKey.lastIndexOf('@');
      group.lastLoggedReason = saved.lastLoggedKey.slice(0, at);
      group.lastLoggedCurrent = Number(saved.lastLoggedKey.slice(at + 1));
    }
    for (const [index, memory] of saved.ruleMemory ?? []) group.ruleMemory[index] = memory as JsonValue;
    group.restoreTrackers(saved.forecasts ?? []);
    for (const [name, samples] of Object.entries(saved.metricHistory)) {
      const history = new MetricHistory(saved.config.metricRetention);
      for (const [t, v] of samples) history.push(t, v);
      group.histories.set(name, history);
    }
    return group;
  });
  return { groups, events: parsed.events as ScalingEventRecord[] };
}
