import { type DecideConfig, type DecideInput, type DecideOutput, decide, describeTrace } from './decide.js';
import {
  describeOccurrence,
  type ScheduleConfig,
  type ScheduledCapacity,
  scheduledCapacity,
} from './schedule.js';
import type { Decision, Proposal, StageRecord } from './types.js';

/** What {@link decideScheduled} reads: {@link DecideInput} with a config that may hold schedules. */
export interface ScheduledDecideInput extends DecideInput {
  /** The group's config, with its schedules, precedence and profiles. */
  readonly config: DecideConfig & ScheduleConfig;
}

/**
 * {@link decide} with the group's schedules and profiles applied for `observation.now`: the
 * bounds in effect (the group's, replaced by the active profile's, then by the active
 * schedules') bound the decision; a schedule's `desiredCapacity` joins the proposals as a floor
 * (`Scheduled`); the active profile's `defaultCapacity` is proposed when no rule can compute
 * (`ProfileDefault`, never below the current capacity). When a scheduled bound decides the number,
 * the decision's reason is `ScheduledCapacity` and its message names the schedule or profile.
 *
 * @example
 * const { decision } = decideScheduled({ groupId: 'web', sequence: 1, config, state: initialDecisionState(),
 *   observation, proposals });
 */
export function decideScheduled(input: ScheduledDecideInput): DecideOutput {
  const { config } = input;
  if (config.schedules.length === 0 && config.profiles.length === 0) return decide(input);
  const { observation } = input;
  const scheduled = scheduledCapacity(config, observation.now);
  const proposals = withScheduledProposals(input.proposals, scheduled, config, observation.capacity);
  const out = decide({
    ...input,
    config: { ...config, minCapacity: scheduled.minCapacity.value, maxCapacity: scheduled.maxCapacity.value },
    proposals,
  });
  return { state: out.state, decision: explainScheduledBound(out.decision, scheduled) };
}

function withScheduledProposals(
  proposals: readonly Proposal[],
  scheduled: ScheduledCapacity,
  config: ScheduleConfig & { readonly rules?: readonly unknown[] },
  current: number,
): readonly Proposal[] {
  const extra: Proposal[] = [];
  // Past every rule's index (profiles' rules included), so nothing takes these for a rule's (or its memory).
  let ruleCount = config.rules?.length ?? 0;
  for (const profile of config.profiles) ruleCount += profile.rules?.length ?? 0;
  const ruleIndex = Math.max(ruleCount, proposals.length);
  const desired = scheduled.desiredCapacity;
  if (desired !== undefined) {
    const active = scheduled.schedules.active.find((a) => `schedule ${a.name}` === desired.source);
    const when = active === undefined ? '' : ` (${describeOccurrence(active.occurrence)})`;
    extra.push({
      rule: desired.source.replace(/^schedule /, 'schedule:'),
      ruleIndex,
      outcome: 'propose',
      capacity: desired.value,
      floor: true,
      reason: 'Scheduled',
      message: `${desired.source} asks for at least ${desired.value}${when}`,
      details: { desiredCapacity: desired.value, source: desired.source },
    });
  }
  const fallback = scheduled.defaultCapacity;
  if (
    fallback !== undefined &&
    proposals.some((p) => p.outcome === 'invalid') &&
    !proposals.some((p) => p.outcome === 'propose')
  ) {
    // Azure: with metrics unavailable, scale out to the default if below it, never scale in.
    const capacity = Math.max(current, fallback.value);
    extra.push({
      rule: fallback.source.replace(/^profile /, 'profile:'),
      ruleIndex: ruleIndex + extra.length,
      outcome: 'propose',
      capacity,
      reason: 'ProfileDefault',
      message: `no rule can compute, so ${fallback.source} keeps at least its default capacity ${fallback.value}`,
      details: { defaultCapacity: fallback.value, source: fallback.source },
    });
  }
  return extra.length === 0 ? proposals : [...proposals, ...extra];
}

/** Name the schedule or profile behind a bound that decided the number. */
function explainScheduledBound(decision: Decision, scheduled: ScheduledCapacity): Decision {
  const last = decision.trace[decision.trace.length - 1];
  if (last === undefined || (last.reason !== 'TooFewReplicas' && last.reason !== 'TooManyReplicas'))
    return decision;
  const lower = last.reason === 'TooFewReplicas';
  const bound = lower ? scheduled.minCapacity : scheduled.maxCapacity;
  if (bound.source === 'group') return decision;
  const why =
    scheduled.profile !== null && bound.source.startsWith('profile ') ? '' : ` (${scheduled.schedules.why})`;
  const relabelled: StageRecord = {
    ...last,
    reason: 'ScheduledCapacity',
    message: `${bound.source} sets the ${lower ? 'minimum' : 'maximum'} capacity to ${bound.value}${why}`,
  };
  const trace = [...decision.trace.slice(0, -1), relabelled];
  return {
    ...decision,
    reason: 'ScheduledCapacity',
    message: describeTrace(decision.current, decision.desired, trace, decision.recommended),
    trace,
  };
}
