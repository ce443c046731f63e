import type { CallOptions } from './metrics.js';

/**
 * What a controller reports about a group's size.
 *
 * @example
 * const state: CapacityState = { desired: 5, ready: 4 };
 */
export interface CapacityState {
  /** The capacity the platform is currently asked to run. */
  readonly desired: number;
  /**
   * Units that are ready and serving. Defaults to `desired` when the platform cannot tell.
   * Rules that divide load across units (target tracking with a `target` value) use this.
   */
  readonly ready?: number;
}

/**
 * Context passed with every capacity change, so a controller can log, deduplicate and explain.
 */
export interface ScaleContext extends CallOptions {
  /** The stable reason code of the decision that asked for this change. */
  readonly reason: string;
  /** The decision's one-sentence explanation. */
  readonly message: string;
  /** The id of the decision that asked for this change; unique per group. */
  readonly decisionId: string;
  /**
   * Derived from the decision and the capacity asked for, so it is the same if the host retries
   * this very call and different for any other change; pass it to platforms that accept
   * idempotency tokens.
   */
  readonly idempotencyKey: string;
}

/**
 * The port through which tideway reads and changes a group's capacity. The minimal form is two
 * methods; richer platforms also implement the optional capability interfaces below, which are
 * detected when a group is registered.
 *
 * @example
 * const controller: ResourceController = {
 *   async getCapacity(groupId) { return pool.size(groupId); },
 *   async setCapacity(groupId, capacity) { await pool.resize(groupId, capacity); },
 * };
 */
export interface ResourceController {
  /** The group's current capacity: a number (desired = ready) or a {@link CapacityState}. */
  getCapacity(groupId: string, options: CallOptions): Promise<number | CapacityState>;
  /** Ask the platform to run `capacity` units. Resolve once the request is accepted. */
  setCapacity(groupId: string, capacity: number, context: ScaleContext): Promise<void>;
}

/** Lifecycle state of one unit. */
export type UnitState = 'pending' | 'warming' | 'in-service' | 'draining' | 'terminated' | 'warm';

/**
 * One unit (runner, pod, VM, worker) as a controller that lists units reports it.
 */
export interface UnitInfo {
  /** Unique id within the group. */
  readonly id: string;
  /** Lifecycle state. */
  readonly state: UnitState;
  /** When the unit was launched, ms since the epoch. */
  readonly launchedAt?: number;
  /** When the unit became ready, ms since the epoch. */
  readonly readyAt?: number;
  /** True while the unit is doing work that must not be interrupted. */
  readonly busy?: boolean;
  /** True when the unit must never be chosen for removal. */
  readonly protected?: boolean;
  /** Availability zone or similar placement domain. */
  readonly zone?: string;
  /** Region. */
  readonly region?: string;
  /** Purchase option. */
  readonly lifecycle?: 'spot' | 'on-demand';
  /** Instance or machine type. */
  readonly type?: string;
  /** Capacity weight of this unit; defaults to 1. */
  readonly weight?: number;
  /** Free-form labels. */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * What the unit reserves of each resource, by metric name, in the metric's own units (e.g.
   * `{ cpu: 0.5 }` for half a core): the Kubernetes resource request that a `targetUtilization`
   * is a percentage of.
   */
  readonly requests?: Readonly<Record<string, number>>;
}

/** Optional capability: list the group's units. */
export interface UnitLister {
  /** Every unit the group has, in any state. */
  listUnits(groupId: string, options: CallOptions): Promise<readonly UnitInfo[]>;
}

/** A request to launch units, as a planner produces it. */
export interface LaunchRequest {
  /** How many units to launch. */
  readonly count: number;
  /** Placement zone, when the plan chose one. */
  readonly zone?: string;
  /** Instance type, when the plan chose one. */
  readonly type?: string;
  /** Purchase option, when the plan chose one. */
  readonly lifecycle?: 'spot' | 'on-demand';
  /** The group's launch template, passed through untouched. */
  readonly launchTemplate?: unknown;
}

/** Optional capability: launch individual units. */
export interface UnitLauncher {
  /** Launch units; resolve with the ids of the units started. */
  launch(groupId: string, request: LaunchRequest, context: ScaleContext): Promise<readonly string[]>;
}

/** Optional capability: terminate chosen units, draining them first. */
export interface UnitTerminator {
  /** Terminate the given units; `drainDeadline` is the time by which work must have stopped. */
  terminate(
    groupId: string,
    unitIds: readonly string[],
    context: ScaleContext & { readonly drainDeadline: number },
  ): Promise<void>;
}

/** Optional capability: change the size (vertical scaling) of units. */
export interface UnitResizer {
  /** Resize units to the given size, expressed as opaque platform data. */
  resize(groupId: string, unitIds: readonly string[], size: unknown, context: ScaleContext): Promise<void>;
}

/** Optional capability: manage a pool of pre-initialised (warm) units. */
export interface WarmPoolController {
  /** Set how many warm units the pool keeps. */
  setWarmPoolSize(groupId: string, size: number, context: ScaleContext): Promise<void>;
  /** The pool's current size. */
  getWarmPoolSize(groupId: string, options: CallOptions): Promise<number>;
}

/**
 * Which optional capabilities a controller offers. Detected once, when a group is registered.
 */
export interface ControllerCapabilities {
  /** `listUnits` is available. */
  readonly listUnits: boolean;
  /** `launch` is available. */
  readonly launch: boolean;
  /** `terminate` is available. */
  readonly terminate: boolean;
  /** `resize` is available. */
  readonly resize: boolean;
  /** Both warm-pool methods are available. */
  readonly warmPool: boolean;
}

function hasMethod(target: object, name: string): boolean {
  return typeof (target as Record<string, unknown>)[name] === 'function';
}

/**
 * Detect which optional capabilities a controller implements.
 *
 * @example
 * detectCapabilities({ getCapacity, setCapacity, listUnits }).listUnits; // true
 */
export function detectCapabilities(controller: ResourceController): ControllerCapabilities {
  return {
    listUnits: hasMethod(controller, 'listUnits'),
    launch: hasMethod(controller, 'launch'),
    terminate: hasMethod(controller, 'terminate'),
    resize: hasMethod(controller, 'resize'),
    warmPool: hasMethod(controller, 'setWarmPoolSize') && hasMethod(controller, 'getWarmPoolSize'),
  };
}
