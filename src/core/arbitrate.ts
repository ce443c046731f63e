import { z } from 'zod';
import { arbitrateAzure } from './azure.js';
import { positiveDurationSchema } from './duration.js';
import { changeReason, noRecommendation, withFloors } from './floors.js';
import { describeFormulaError, evaluateFormula, metricReader, parseFormulaCached } from './formula.js';
import type { Observation, Proposal, ReasonCode } from './types.js';

/**
 * What a custom arbitration function receives besides the proposals.
 */
export interface ArbitrationContext {
  /** What the tick observed (time, capacity, the metrics the rules read). */
  readonly observation: Observation;
  /** The group's lower bound. */
  readonly minCapacity: number;
  /** The group's upper bound. */
  readonly maxCapacity: number;
}

/**
 * A custom arbitration: the capacity the group should have, or null (or undefined) for no
 * recommendation. A fraction is rounded up; a negative or non-finite number, or a throw, makes the
 * tick keep the current capacity with `ArbitrationFailed`. Keep it pure to keep decisions
 * repeatable.
 *
 * @example
 * const secondLargest: ArbitrationFunction = (proposals) =>
 *   proposals.flatMap((p) => (p.outcome === 'propose' ? [p.capacity as number] : [])).sort((a, b) => b - a)[1] ?? null;
 */
export type ArbitrationFunction = (
  proposals: readonly Proposal[],
  context: ArbitrationContext,
) => number | null | undefined;

/**
 * Zod schema of `arbitration`: how the rules' proposals become one recommendation.
 * - `'max'` (default): the largest proposal (Kubernetes, GCP).
 * - `'aws'`: scale out if any rule wants to (the largest), scale in only if every proposing rule
 *   wants to (the largest of theirs, i.e. the smallest removal).
 * - `'azure'`: Azure Monitor autoscale's evaluation order (see `arbitrateAzure`).
 * - `'priority'`: the first rule in list order that proposes.
 * - `{ formula, window? }`: a formula over rule names and `metric("name", statistic)`; `window`
 *   is how far back metric statistics look. @default window 60000 (1 minute)
 * - `{ custom }`: an {@link ArbitrationFunction}; not JSON, so a snapshot of the group needs the
 *   function again on restore.
 *
 * @default 'max'
 * @example
 * arbitrationSchema.parse({ formula: 'queue ?? cpu ?? 2' }); // { formula: 'queue ?? cpu ?? 2', window: 60000 }
 */
export const arbitrationSchema = z.union(
  [
    z.enum(['max', 'aws', 'azure', 'priority']),
    z.strictObject({
      formula: z.string().min(1),
      window: positiveDurationSchema('a window').default(60_000),
    }),
    z.strictObject({
      custom: z.custom<ArbitrationFunction>((v) => typeof v === 'function', {
        params: { expected: 'a function (proposals, context) => capacity | null' },
      }),
    }),
  ],
  {
    error: 'one of "max", "aws", "azure", "priority", { formula: string, window? } or { custom: function }',
  },
);

/** `arbitration` as written. */
export type ArbitrationInput = z.input<typeof arbitrationSchema>;
/** How proposals combine (`arbitration`, with defaults applied). */
export type ArbitrationMode = z.output<typeof arbitrationSchema>;

/** Result of {@link arbitrate}. */
export interface Arbitration {
  /** The recommendation, or null when no rule proposed a usable number. */
  readonly capacity: number | null;
  /** `ScaleOut` / `ScaleIn` / `NoChange` for a usable recommendation, else why there is none. */
  readonly reason: ReasonCode;
  /** One sentence. */
  readonly message: string;
  /** The proposal that won, when there is one. */
  readonly winner: Proposal | null;
}

/**
 * Combine proposals into one recommendation by `mode`. In every mode but `formula` and `custom`,
 * a rule that could not compute (`invalid`) blocks a scale-in but never a scale-out — missing data
 * may allow scale-up, never scale-down (`MetricsIncomplete`). Abstaining rules are ignored.
 *
 * - `max`: the largest proposal wins, the first on ties (Kubernetes `computeReplicasForMetrics`).
 * - `aws`: out if any rule wants out (the largest); in only if every proposing rule wants in, then
 *   the largest of theirs. This gives the same number as `max`; its messages name the rule that
 *   held a scale-in back.
 * - `azure`: `arbitrateAzure` (scale-out rules first, largest result; scale-in only if all
 *   scale-in rules agree, smallest removal).
 * - `priority`: the first proposing rule in list order. An `invalid` rule listed before it blocks
 *   its scale-in (a higher-priority rule could not speak); one listed after it is ignored.
 * - `formula`: the formula's value, rounded up; a rule that abstained or is invalid is *missing*
 *   in it, so `??` chooses what happens (as KEDA's scalingModifiers). No result keeps capacity.
 * - `custom`: the function's value, rounded up.
 *
 * `context` is needed by `formula` (metrics) and `custom`; without it they see an observation
 * holding only `current`.
 *
 * @example
 * arbitrate('max', proposals, 4).capacity;
 * arbitrate({ formula: 'queue ?? 2', window: 60_000 }, proposals, 4, { observation, minCapacity: 0, maxCapacity: 10 });
 */
export function arbitrate(
  mode: ArbitrationMode,
  proposals: readonly Proposal[],
  current: number,
  context?: ArbitrationContext,
): Arbitration {
  // Azure's order handles floors itself (they take no part in its all-agree scale-in vote).
  if (mode === 'azure') return arbitrateAzure(proposals, current);
  // Most ticks have no floor: then the votes are the proposals, with no closure to make.
  if (!hasFloor(proposals)) return arbitrateVotes(mode, proposals, current, context);
  return withFloors(proposals, current, (votes) => arbitrateVotes(mode, votes, current, context));
}

function hasFloor(proposals: readonly Proposal[]): boolean {
  for (let i = 0; i < proposals.length; i++) if ((proposals[i] as Proposal).floor === true) return true;
  return false;
}

function arbitrateVotes(
  mode: Exclude<ArbitrationMode, 'azure'>,
  proposals: readonly Proposal[],
  current: number,
  context: ArbitrationContext | undefined,
): Arbitration {
  if (mode === 'max') return arbitrateMax(proposals, current);
  if (mode === 'aws') return arbitrateAws(proposals, current);
  if (mode === 'priority') return arbitratePriority(proposals, current);
  const ctx = context ?? {
    observation: { now: 0, capacity: current, readyCapacity: current, metrics: {} },
    minCapacity: 0,
    maxCapacity: Number.MAX_SAFE_INTEGER,
  };
  if ('formula' in mode) return arbitrateFormula(mode.formula, mode.window, proposals, current, ctx);
  return arbitrateCustom(mode.custom, proposals, current, ctx);
}

function arbitrateMax(proposals: readonly Proposal[], current: number): Arbitration {
  let winner: Proposal | null = null;
  let invalid: Proposal | null = null;
  for (const proposal of proposals) {
    if (proposal.outcome === 'propose') {
      if (winner === null || (proposal.capacity as number) > (winner.capacity as number)) winner = proposal;
    } else if (proposal.outcome === 'invalid' && invalid === null) {
      invalid = proposal;
    }
  }
  return settle(winner, invalid, proposals, current);
}

/** The common ending: no winner, a scale-in blocked by an invalid rule, or the winner's number. */
function settle(
  winner: Proposal | null,
  invalid: Proposal | null,
  proposals: readonly Proposal[],
  current: number,
): Arbitration {
  if (winner === null) return noRecommendation(invalid, proposals);
  const capacity = winner.capacity as number;
  if (invalid !== null && capacity < current) {
    return {
      capacity: current,
      reason: 'MetricsIncomplete',
      message: `${invalid.message}, so scale-in to ${capacity} is blocked`,
      winner,
    };
  }
  return { capacity, reason: changeReason(capacity, current), message: winner.message, winner };
}

function arbitrateAws(proposals: readonly Proposal[], current: number): Arbitration {
  const max = arbitrateMax(proposals, current);
  if (max.reason !== 'NoChange' || max.winner === null) return max;
  // Some rule holds at the current size while another wants fewer: AWS scales in only when
  // every policy with scale-in enabled wants to, so say which one did not.
  const wantsIn = proposals.find((p) => p.outcome === 'propose' && (p.capacity as number) < current);
  if (wantsIn === undefined) return max;
  return {
    ...max,
    message: `${wantsIn.rule} wants ${wantsIn.capacity as number} but ${max.winner.rule} does not want to scale in (${max.winner.message})`,
  };
}

function arbitratePriority(proposals: readonly Proposal[], current: number): Arbitration {
  let invalid: Proposal | null = null;
  for (const proposal of proposals) {
    if (proposal.outcome === 'propose') {
      const settled = settle(proposal, invalid, proposals, current);
      return settled.reason === 'MetricsIncomplete'
        ? settled
        : { ...settled, message: `${proposal.rule} has priority: ${proposal.message}` };
    }
    if (proposal.outcome === 'invalid' && invalid === null) invalid = proposal;
  }
  return settle(null, invalid, proposals, current);
}

function arbitrateFormula(
  source: string,
  window: number,
  proposals: readonly Proposal[],
  current: number,
  context: ArbitrationContext,
): Arbitration {
  const parsed = parseFormulaCached(source);
  if (!parsed.ok) {
    return failed(`the arbitration formula is malformed at ${describeFormulaError(parsed)}`);
  }
  const byName = new Map<string, Proposal>();
  for (const p of proposals) if (!byName.has(p.rule)) byName.set(p.rule, p);
  const value = evaluateFormula(parsed.formula, {
    name: (name) => {
      const p = byName.get(name);
      return p?.outcome === 'propose' ? p.capacity : undefined;
    },
    metric: metricReader(context.observation, window),
  });
  if (value === undefined) {
    const invalid = parsed.formula.names
      .map((name) => byName.get(name))
      .find((p) => p?.outcome === 'invalid');
    if (invalid !== undefined) {
      return {
        capacity: null,
        reason: 'MetricsUnavailable',
        message: `the arbitration formula has no value: ${invalid.message}`,
        winner: null,
      };
    }
    return {
      capacity: null,
      reason: 'NoRecommendation',
      message: 'the arbitration formula has no value (its inputs are missing)',
      winner: null,
    };
  }
  return fromNumber(value, `the arbitration formula gives ${formatValue(value)}`, proposals, current);
}

function arbitrateCustom(
  fn: ArbitrationFunction,
  proposals: readonly Proposal[],
  current: number,
  context: ArbitrationContext,
): Arbitration {
  let value: number | null | undefined;
  try {
    value = fn(proposals, context);
  } catch (error) {
    return failed(`the custom arbitration threw: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (value === null || value === undefined) {
    return {
      capacity: null,
      reason: 'NoRecommendation',
      message: 'the custom arbitration made no recommendation',
      winner: null,
    };
  }
  return fromNumber(value, `the custom arbitration gives ${formatValue(value)}`, proposals, current);
}

function fromNumber(
  value: unknown,
  message: string,
  proposals: readonly Proposal[],
  current: number,
): Arbitration {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    return failed(`${message}; expected a number ≥ 0`);
  }
  const capacity = Math.ceil(value);
  const winner = proposals.find((p) => p.outcome === 'propose' && p.capacity === capacity) ?? null;
  return { capacity, reason: changeReason(capacity, current), message, winner };
}

function failed(message: string): Arbitration {
  return { capacity: null, reason: 'ArbitrationFailed', message, winner: null };
}

function formatValue(value: unknown): string {
  return typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
}
