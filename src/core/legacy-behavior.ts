import { z } from 'zod';
import { type Behavior, behaviorSchema, type RateLimitResult, type StabilizeResult } from './behavior.js';
import { durationSchema } from './duration.js';
import { convertDesiredReplicasWithRules, stabilizeRecommendation } from './replica-calculator.js';
import type { RecommendationLog } from './types.js';

/** The controller's `--horizontal-pod-autoscaler-downscale-stabilization` default, 5 minutes. */
export const DEFAULT_DOWNSCALE_STABILIZATION = 300_000;

/**
 * Zod schema of `behavior: { mode: 'legacy' }`: normalize as the Kubernetes HPA does for an HPA
 * without `spec.behavior` (`normalizeDesiredReplicas`): the recommendation is the maximum of the
 * recommendations of the last `downscaleStabilization`, then capped at `max(2 × current, 4)` and at
 * the bounds. There are no rate policies and no scale-up window.
 *
 * @example
 * legacyBehaviorSchema.parse({ mode: 'legacy', downscaleStabilization: '10m' });
 * // { mode: 'legacy', downscaleStabilization: 600000 }
 */
export const legacyBehaviorSchema = z.strictObject({
  mode: z.literal('legacy'),
  /**
   * The window whose highest recommendation holds a scale-in back, as the controller flag
   * `--horizontal-pod-autoscaler-downscale-stabilization`.
   * @default '5m'
   */
  downscaleStabilization: durationSchema.default(DEFAULT_DOWNSCALE_STABILIZATION),
});

/** `behavior: { mode: 'legacy' }` as written. */
export type LegacyBehaviorInput = z.input<typeof legacyBehaviorSchema>;
/** `behavior: { mode: 'legacy' }` with its window in ms. */
export type LegacyBehavior = z.output<typeof legacyBehaviorSchema>;

/** A group's `behavior`, resolved: Kubernetes `behavior` (the default) or the legacy normalization. */
export type GroupBehavior = Behavior | LegacyBehavior;

// `mode: 'kubernetes'` may be written to say the default out loud; it is not kept. The rules are
// already valid here, so resolving their defaults through behaviorSchema cannot fail.
const kubernetesBehaviorSchema = behaviorSchema.in
  .extend({ mode: z.literal('kubernetes').optional() })
  .transform(({ mode: _mode, ...rules }): Behavior => behaviorSchema.parse(rules));

/**
 * Zod schema of a group's `behavior`, told apart by `mode`: `'kubernetes'` (the default; see
 * `behaviorSchema`) or `'legacy'` (see {@link legacyBehaviorSchema}).
 *
 * @default {} (Kubernetes behavior with its defaults)
 * @example
 * groupBehaviorSchema.parse({ mode: 'legacy' }); // { mode: 'legacy', downscaleStabilization: 300000 }
 * groupBehaviorSchema.parse({}).scaleDown.stabilizationWindow; // 300000
 */
export const groupBehaviorSchema = z.discriminatedUnion('mode', [
  legacyBehaviorSchema,
  kubernetesBehaviorSchema,
]);

/** A group's `behavior` as written. */
export type GroupBehaviorInput = z.input<typeof groupBehaviorSchema>;

/**
 * Whether a resolved `behavior` asks for the legacy (behavior-less) normalization.
 *
 * @example
 * isLegacyBehavior(groupBehaviorSchema.parse({ mode: 'legacy' })); // true
 */
export function isLegacyBehavior(behavior: GroupBehavior): behavior is LegacyBehavior {
  return (behavior as Partial<LegacyBehavior>).mode === 'legacy';
}

/**
 * The stabilize stage of the legacy normalization, shaped as `stabilize`'s result: Kubernetes
 * `stabilizeRecommendation`, the highest recommendation of the downscale window. It only ever
 * raises the number, so its reason is `ScaleDownStabilized` whenever it changes it.
 *
 * @example
 * stabilizeLegacy({ desired: 2, now: 60_000, behavior: { mode: 'legacy', downscaleStabilization: 300_000 },
 *   recommendations: [0, 4] }).capacity; // 4
 */
export function stabilizeLegacy(args: {
  readonly desired: number;
  readonly now: number;
  readonly behavior: LegacyBehavior;
  readonly recommendations: RecommendationLog;
}): StabilizeResult {
  const stabilized = stabilizeRecommendation(
    args.desired,
    args.recommendations,
    args.now,
    args.behavior.downscaleStabilization,
  );
  return {
    capacity: stabilized.replicas,
    reason: stabilized.replicas === args.desired ? null : 'ScaleDownStabilized',
    recommendations: stabilized.recommendations,
  };
}

/**
 * The rate-limit stage of the legacy normalization, shaped as `limitRate`'s result: Kubernetes
 * `convertDesiredReplicasWithRules` with the controller's factor 2 — at most `max(2 × current, 4)`
 * (`ScaleUpLimit`), and within [min, max] (`TooFewReplicas`, `TooManyReplicas`).
 *
 * @example
 * limitRateLegacy({ current: 3, desired: 60, min: 1, max: 100 }); // { capacity: 6, reason: 'ScaleUpLimit' }
 */
export function limitRateLegacy(args: {
  readonly current: number;
  readonly desired: number;
  readonly min: number;
  readonly max: number;
}): RateLimitResult {
  const converted = convertDesiredReplicasWithRules(args.current, args.desired, args.min, args.max);
  return { capacity: converted.replicas, reason: converted.reason };
}
