import { z } from 'zod';
import { arbitrationSchema } from '../core/arbitrate.js';
import { checkFormulas, compositeMetricsSchema } from '../core/composite.js';
import { durationSchema, positiveDurationSchema } from '../core/duration.js';
import { cooldownSchema, scaleInControlsSchema } from '../core/guards.js';
import { groupBehaviorSchema } from '../core/legacy-behavior.js';
import { checkSchedules, profileSchema, schedulePrecedenceSchema, scheduleSchema } from '../core/schedule.js';
import type { JsonValue } from '../core/types.js';
import { RULE_KINDS, type Rule, ruleName, ruleSchema } from '../rules/registry.js';
import { parseOrThrow } from './issues.js';

const capacity = z.number().int().min(0);

function hasSpaceOrControl(id: string): boolean {
  for (let i = 0; i < id.length; i++) {
    const code = id.charCodeAt(i);
    // C0 and C1 control characters (U+009B starts terminal escapes), DEL, and any white space.
    if (code <= 32 || (code >= 127 && code <= 159) || /\s/.test(id[i] as string)) return true;
  }
  return false;
}

export type { JsonValue };

function isJsonValue(value: unknown, seen: Set<object> = new Set()): value is JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || seen.has(value)) return false;
  const proto = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return false;
  seen.add(value);
  const ok = Object.values(value).every((v) => isJsonValue(v, seen));
  seen.delete(value);
  return ok;
}

/**
 * A profile of the group: `profileSchema` plus its own `rules`. As in Azure Monitor autoscale, only
 * the active profile's rules run: while a profile with `rules` is in effect they replace the
 * group's `rules`; a profile without them keeps the group's. Their indexes follow the group's
 * rules (see `everyRule`).
 */
const groupProfileSchema = profileSchema.safeExtend({ rules: z.array(ruleSchema).min(1).optional() });

/**
 * Zod schema of a scaling group: the single source of its config types. Unknown keys are
 * errors, so a typo never goes unnoticed.
 */
export const scalingGroupSchema = z
  .strictObject({
    id: z
      .string()
      .min(1)
      .max(256)
      .refine((id) => !hasSpaceOrControl(id), {
        message: 'an id without spaces or control characters',
        params: { expected: 'an id without spaces or control characters' },
      }),
    name: z.string().min(1).optional(),
    resourceType: z.string().min(1).default('unit'),
    minCapacity: capacity,
    maxCapacity: capacity,
    desiredCapacity: capacity.optional(),
    rules: z.array(ruleSchema).default([]),
    arbitration: arbitrationSchema.default('max'),
    compositeMetrics: compositeMetricsSchema.default({}),
    scaleInControls: scaleInControlsSchema.optional(),
    schedules: z.array(scheduleSchema).default([]),
    schedulePrecedence: schedulePrecedenceSchema.default('largest'),
    profiles: z.array(groupProfileSchema).default([]),
    behavior: groupBehaviorSchema.prefault({}),
    cooldown: cooldownSchema.prefault(0),
    evaluationInterval: positiveDurationSchema('an interval').default(15_000),
    metricRetention: durationSchema.default(86_400_000),
    provisioningLeadTime: durationSchema.optional(),
    timeouts: z
      .strictObject({
        metrics: positiveDurationSchema('a timeout').default(10_000),
        controller: positiveDurationSchema('a timeout').default(30_000),
      })
      .default({ metrics: 10_000, controller: 30_000 }),
    labels: z.record(z.string(), z.string()).default({}),
    launchTemplate: z
      .custom<JsonValue>(isJsonValue, {
        params: { expected: 'plain JSON data (no functions, NaN, Infinity or cycles)' },
      })
      .optional(),
  })
  // Cross-field rules run even when another field failed its own check (`when`), so every
  // problem is reported at once; the value may then be partial, hence the type guards.
  .superRefine(
    (value, ctx) => {
      const group = value as Partial<Record<keyof typeof value, unknown>>;
      if (group === null || typeof group !== 'object') return;
      const { minCapacity: min, maxCapacity: max, desiredCapacity: desired } = group;
      if (isCount(min) && isCount(max) && min > max) {
        ctx.addIssue({
          code: 'custom',
          path: ['maxCapacity'],
          message: 'maxCapacity ≥ minCapacity',
          input: max,
          params: { expected: `a number ≥ minCapacity (${min})` },
        });
      }
      if (
        isCount(min) &&
        isCount(max) &&
        isCount(desired) &&
        min <= max &&
        (desired < min || desired > max)
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['desiredCapacity'],
          message: 'desiredCapacity within bounds',
          input: desired,
          params: { expected: `a number within [minCapacity, maxCapacity] = [${min}, ${max}]` },
        });
      }
      checkSchedules(group, ctx);
      // A formula may name a profile's rule too; while another profile is active, `??` skips it.
      const ruleLists: [(string | number)[], unknown[]][] = [];
      if (Array.isArray(group.rules)) ruleLists.push([['rules'], group.rules]);
      if (Array.isArray(group.profiles)) {
        group.profiles.forEach((profile: unknown, index: number) => {
          const rules = (profile as { rules?: unknown } | null)?.rules;
          if (Array.isArray(rules)) ruleLists.push([['profiles', index, 'rules'], rules]);
        });
      }
      checkFormulas(
        group.arbitration,
        group.compositeMetrics,
        ruleLists.flatMap(([, rules]) => rules.map(safeRuleName)),
        ctx,
      );
      for (const [path, rules] of ruleLists) checkUniqueNames(rules, path, ctx);
    },
    { when: () => true },
  );

/** Rule names are unique within one list (the group's, or one profile's): decisions name rules. */
function checkUniqueNames(rules: readonly unknown[], path: (string | number)[], ctx: z.RefinementCtx): void {
  const seen = new Map<string, number>();
  rules.forEach((rule, index) => {
    const name = safeRuleName(rule);
    if (name === undefined) return;
    const first = seen.get(name);
    if (first !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [...path, index, 'name'],
        message: 'unique rule names',
        input: name,
        params: { expected: `a name not used by rules[${first}] (give the rule a distinct \`name\`)` },
      });
    } else {
      seen.set(name, index);
    }
  });
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function safeRuleName(rule: unknown): string | undefined {
  if (rule === null || typeof rule !== 'object') return undefined;
  const { kind, name } = rule as { kind?: unknown; name?: unknown };
  if (!(RULE_KINDS as readonly unknown[]).includes(kind)) return undefined;
  if (typeof name === 'string') return name;
  try {
    return ruleName(rule as Rule);
  } catch {
    return undefined;
  }
}

/** A scaling group's config as a user writes it (durations as `"5m"` or ms). */
export type ScalingGroupConfigInput = z.input<typeof scalingGroupSchema>;
/** A scaling group's config as tideway uses it: defaults applied, durations in ms. */
export type ScalingGroupConfig = z.output<typeof scalingGroupSchema>;

/**
 * Validate a scaling group's config and return it with defaults applied. Throws a `ConfigError`
 * listing every problem (path, expected, got) — unknown keys included, with a "did you mean"
 * hint for likely typos.
 *
 * @example
 * const config = validateGroupConfig({ id: 'web', minCapacity: 1, maxCapacity: 10,
 *   rules: [{ kind: 'target-tracking', metric: 'cpu', target: 0.6 }] });
 * config.evaluationInterval; // 15000
 */
export function validateGroupConfig(input: unknown): ScalingGroupConfig {
  return parseOrThrow(scalingGroupSchema, input, {
    subject: 'scaling group config',
  });
}
