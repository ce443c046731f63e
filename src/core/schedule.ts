import { Cron } from 'croner';
import { z } from 'zod';
import { formatDuration, positiveDurationSchema } from './duration.js';

// Schedules are pure: croner only computes run times here (no function is passed, so it never
// starts a timer), and every instant is explicit. croner reads the system clock only for a
// default it never uses once a reference date is given.

const capacity = z.number().int().min(0);

/**
 * Whether `name` is a time zone the runtime knows (an IANA name such as `Europe/Berlin`, or `UTC`).
 * Offsets such as `+01:00` are refused: they do not follow daylight saving time.
 *
 * @example
 * isTimeZone('America/New_York'); // true
 * isTimeZone('Mars/Olympus');     // false
 */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const timeZoneSchema = z.string().refine(isTimeZone, {
  message: 'an IANA time zone',
  params: { expected: 'an IANA time zone name such as "Europe/Berlin" or "UTC"' },
});

/**
 * AWS's form, `cron(minutes hours day-of-month month day-of-week year)`, as a 5-field pattern:
 * `?` (AWS's "no value") becomes `*`, and the year must be `*` (a year-bound schedule is a
 * `start`/`end` window here). Other patterns pass through.
 */
function fromAwsCron(pattern: string): string {
  const aws = /^cron\((.*)\)$/.exec(pattern.trim());
  if (aws === null) return pattern;
  const fields = (aws[1] as string).trim().split(/\s+/);
  if (fields.length !== 6) throw new TypeError(`AWS cron() takes 6 fields, got ${fields.length}`);
  if (fields[5] !== '*')
    throw new TypeError('the year field of cron() must be *; bound the years with start and end');
  return fields
    .slice(0, 5)
    .map((field) => (field === '?' ? '*' : field))
    .join(' ');
}

/** Parse a cron pattern the way schedules use it, or say why it is not one. */
function compileCron(input: string, timeZone: string): Cron {
  const pattern = fromAwsCron(input);
  // croner reads a string with a colon as a one-off date, not as a pattern.
  if (pattern.includes(':')) throw new TypeError('a date is not a cron pattern');
  // legacyMode (the default) keeps Vixie cron's rule: day-of-month OR day-of-week.
  return new Cron(pattern, { timezone: timeZone, paused: true, mode: '5-or-6-parts' });
}

const cronSchema = z.string().superRefine((pattern, ctx) => {
  try {
    compileCron(pattern, 'UTC');
  } catch (error) {
    ctx.addIssue({
      code: 'custom',
      message: 'a cron pattern',
      input: pattern,
      params: {
        expected: `a cron pattern of 5 fields (minute hour day-of-month month day-of-week), 6 (seconds first) or AWS's cron(… year) (${(error as Error).message.replace(/^CronPattern: /, '')})`,
      },
    });
  }
});

/** An instant: ms since the epoch, or an ISO 8601 date-time with `Z` or an offset. */
const instantSchema = z.union([
  z.number().int().min(0),
  z.iso.datetime({ offset: true }).transform((text) => Date.parse(text)),
]);

const holidaySchema = z.iso.date();

/** The "when" of a schedule or a recurrence profile. */
const whenShape = {
  cron: cronSchema.optional(),
  timeZone: timeZoneSchema.default('UTC'),
  duration: positiveDurationSchema('a duration').optional(),
  start: instantSchema.optional(),
  end: instantSchema.optional(),
  holidays: z.array(holidaySchema).default([]),
};

interface WhenInput {
  readonly cron?: unknown;
  readonly duration?: unknown;
  readonly start?: unknown;
  readonly end?: unknown;
}

function checkWhen(
  value: WhenInput,
  ctx: z.core.$RefinementCtx<unknown>,
  options: { readonly cronRequired: boolean },
): void {
  const { cron, duration, start, end } = value;
  if (cron !== undefined && duration === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['duration'],
      message: 'a duration',
      input: duration,
      params: { expected: 'a duration (how long each occurrence lasts, e.g. "10h") when `cron` is set' },
    });
  }
  if (cron === undefined && options.cronRequired) {
    ctx.addIssue({
      code: 'custom',
      path: ['cron'],
      message: 'a cron pattern',
      input: cron,
      params: { expected: 'a cron pattern' },
    });
  }
  if (cron === undefined && !options.cronRequired) {
    if (duration !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['duration'],
        message: 'no duration without cron',
        input: duration,
        params: { expected: 'no `duration` without `cron` (a one-off window is `start` to `end`)' },
      });
    }
    for (const key of ['start', 'end'] as const) {
      if (value[key] === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `a ${key}`,
          input: undefined,
          params: {
            expected: `a ${key} instant (a schedule without \`cron\` is the window from start to end)`,
          },
        });
      }
    }
  }
  if (typeof start === 'number' && typeof end === 'number' && end <= start) {
    ctx.addIssue({
      code: 'custom',
      path: ['end'],
      message: 'end after start',
      input: end,
      params: {
        expected: `an instant after start (${new Date(start).toISOString()})`,
        received: new Date(end).toISOString(),
      },
    });
  }
}

interface CapacityInput {
  readonly minCapacity?: unknown;
  readonly maxCapacity?: unknown;
  readonly desiredCapacity?: unknown;
}

function checkCapacities(value: CapacityInput, ctx: z.core.$RefinementCtx<unknown>, required: boolean): void {
  const { minCapacity: min, maxCapacity: max, desiredCapacity: desired } = value;
  if (required && min === undefined && max === undefined && desired === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['minCapacity'],
      message: 'a capacity',
      input: undefined,
      params: { expected: 'at least one of minCapacity, maxCapacity, desiredCapacity' },
    });
  }
  if (typeof min === 'number' && typeof max === 'number' && min > max) {
    ctx.addIssue({
      code: 'custom',
      path: ['maxCapacity'],
      message: 'maxCapacity ≥ minCapacity',
      input: max,
      params: { expected: `a number ≥ minCapacity (${min})` },
    });
  }
  if (typeof desired === 'number') {
    const low = typeof min === 'number' ? min : 0;
    const high = typeof max === 'number' ? max : Number.POSITIVE_INFINITY;
    if (desired < low || desired > high) {
      ctx.addIssue({
        code: 'custom',
        path: ['desiredCapacity'],
        message: 'desiredCapacity within the schedule bounds',
        input: desired,
        params: { expected: `a number within the schedule's [minCapacity, maxCapacity] = [${low}, ${high}]` },
      });
    }
  }
}

/**
 * Zod schema of a schedule: while one of its occurrences is active, it sets the group's
 * `minCapacity` and/or `maxCapacity` (replacing the group's, as AWS scheduled actions, Azure
 * profiles and GitHub runner `scheduledOverrides` do) and/or proposes `desiredCapacity` (joining
 * the rules' proposals, as KEDA's cron scaler does, so rules may ask for more).
 *
 * An occurrence starts at each `cron` fire time in `timeZone` (DST-aware: a time skipped by the
 * clock change fires at the first valid time after it, a repeated time fires once) and lasts
 * `duration`. Without `cron` the schedule is one window, `start` to `end`. With `cron`, `start`
 * and `end` bound the active time. An occurrence that fires on a `holidays` date (in `timeZone`)
 * does not happen.
 *
 * @example
 * const businessHours = scheduleSchema.parse({
 *   name: 'business-hours', cron: '0 8 * * 1-5', timeZone: 'Europe/Berlin', duration: '10h',
 *   minCapacity: 10, holidays: ['2025-12-25'],
 * });
 */
export const scheduleSchema = z
  .strictObject({
    /** How decisions name the schedule. @default `schedules[<index>]` */
    name: z.string().min(1).optional(),
    ...whenShape,
    /** The group's lower bound while active. */
    minCapacity: capacity.optional(),
    /** The group's upper bound while active. */
    maxCapacity: capacity.optional(),
    /** A proposal while active, combined with the rules' by the group's arbitration. */
    desiredCapacity: capacity.optional(),
    /** Keep the schedule but never apply it. @default false */
    disabled: z.boolean().default(false),
  })
  .superRefine(
    (value, ctx) => {
      if (value === null || typeof value !== 'object') return;
      checkWhen(value, ctx, { cronRequired: false });
      checkCapacities(value, ctx, true);
    },
    { when: () => true },
  );

/** A schedule as a user writes it. */
export type ScheduleInput = z.input<typeof scheduleSchema>;
/** A validated schedule: instants in ms, durations in ms, defaults applied. */
export type Schedule = z.output<typeof scheduleSchema>;

/**
 * How overlapping schedules combine: `largest` (GCP scaling schedules: for each of min, max and
 * desired, the largest value among the active schedules that set it), or `first` (GitHub runner
 * `scheduledOverrides`: the first active schedule in list order decides alone).
 *
 * @default 'largest'
 */
export const schedulePrecedenceSchema = z.enum(['largest', 'first']);

/** How overlapping schedules combine. */
export type SchedulePrecedence = z.output<typeof schedulePrecedenceSchema>;

/**
 * Zod schema of an Azure-style profile: its own `minCapacity`, `maxCapacity` and
 * `defaultCapacity` replace the group's while it is active. A `fixedDate` profile is active from
 * `start` to `end`; a `recurrence` profile starts at each `cron` fire time and stays active until
 * another recurrence profile starts (or for `duration`, when given). Exactly one profile applies
 * at a time, chosen fixed date first, then recurrence, then the group itself (Azure's default
 * profile).
 *
 * @example
 * const monday = profileSchema.parse({
 *   name: 'monday', recurrence: { cron: '0 0 * * 1', timeZone: 'UTC', duration: '24h' },
 *   minCapacity: 3, maxCapacity: 10,
 * });
 */
export const profileSchema = z
  .strictObject({
    /** How decisions name the profile. */
    name: z.string().min(1),
    /** Active from `start` to `end`. */
    fixedDate: z
      .strictObject({ start: instantSchema, end: instantSchema, timeZone: timeZoneSchema.default('UTC') })
      .superRefine(
        (value, ctx) => {
          if (value !== null && typeof value === 'object') checkWhen(value, ctx, { cronRequired: false });
        },
        { when: () => true },
      )
      .optional(),
    /** Active from each fire time until the next recurrence profile starts, or for `duration`. */
    recurrence: z
      .strictObject({
        cron: cronSchema,
        timeZone: whenShape.timeZone,
        duration: whenShape.duration,
        holidays: whenShape.holidays,
      })
      .optional(),
    /** The group's lower bound while active. */
    minCapacity: capacity,
    /** The group's upper bound while active. */
    maxCapacity: capacity,
    /**
     * Azure's `default`: when no rule can compute (metrics unavailable), scale out to it if
     * below, and never scale in.
     */
    defaultCapacity: capacity.optional(),
  })
  .superRefine(
    (value, ctx) => {
      if (value === null || typeof value !== 'object') return;
      if ((value.fixedDate === undefined) === (value.recurrence === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: ['recurrence'],
          message: 'exactly one of fixedDate, recurrence',
          input: value.recurrence,
          params: {
            expected: 'exactly one of `fixedDate` or `recurrence` (the group itself is the default profile)',
          },
        });
      }
      checkCapacities({ minCapacity: value.minCapacity, maxCapacity: value.maxCapacity }, ctx, false);
      const { defaultCapacity: fallback, minCapacity: min, maxCapacity: max } = value;
      if (typeof fallback === 'number' && typeof min === 'number' && typeof max === 'number') {
        if (fallback < min || fallback > max) {
          ctx.addIssue({
            code: 'custom',
            path: ['defaultCapacity'],
            message: 'defaultCapacity within the profile bounds',
            input: fallback,
            params: {
              expected: `a number within the profile's [minCapacity, maxCapacity] = [${min}, ${max}]`,
            },
          });
        }
      }
    },
    { when: () => true },
  );

/** A profile as a user writes it. */
export type ProfileInput = z.input<typeof profileSchema>;
/** A validated profile. */
export type Profile = z.output<typeof profileSchema>;

/** The timing part shared by schedules and recurrence profiles, validated. */
interface When {
  readonly cron?: string | undefined;
  readonly timeZone: string;
  readonly duration?: number | undefined;
  readonly start?: number | undefined;
  readonly end?: number | undefined;
  readonly holidays: readonly string[];
}

// Compiled patterns, per validated config object: configs are immutable once parsed, and a
// WeakMap lets them go with the config.
const compiled = new WeakMap<When, Cron>();
const midnights = new Map<string, Cron>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function cronOf(when: When & { readonly cron: string }): Cron {
  let cron = compiled.get(when);
  if (cron === undefined) {
    cron = compileCron(when.cron, when.timeZone);
    compiled.set(when, cron);
  }
  return cron;
}

/** The latest fire time at or before `at`, or null. croner's own bound is exclusive. */
function fireAtOrBefore(cron: Cron, at: number): number | null {
  const [previous] = cron.previousRuns(1, new Date(at + 1));
  return previous === undefined ? null : previous.getTime();
}

/**
 * The calendar date of an instant in a time zone, as `YYYY-MM-DD`.
 *
 * @example
 * localDate(Date.UTC(2025, 0, 1, 23, 30), 'Europe/Berlin'); // '2025-01-02'
 */
export function localDate(at: number, timeZone: string): string {
  let format = dateFormats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      calendar: 'gregory',
      numberingSystem: 'latn',
    });
    dateFormats.set(timeZone, format);
  }
  let year = '';
  let month = '';
  let day = '';
  for (const part of format.formatToParts(new Date(at))) {
    if (part.type === 'year') year = part.value;
    else if (part.type === 'month') month = part.value;
    else if (part.type === 'day') day = part.value;
  }
  return `${year.padStart(4, '0')}-${month}-${day}`;
}

function midnightOf(timeZone: string): Cron {
  let midnight = midnights.get(timeZone);
  if (midnight === undefined) {
    // A fixed-time pattern: where midnight is skipped by DST, croner fires at the first valid time.
    midnight = new Cron('0 0 0 * * *', { timezone: timeZone, paused: true });
    midnights.set(timeZone, midnight);
  }
  return midnight;
}

/** The first instant of the local day holding `at`, in `timeZone`. */
function startOfLocalDay(at: number, timeZone: string): number {
  return fireAtOrBefore(midnightOf(timeZone), at) ?? at;
}

/** The first instant of the local day after the one holding `at`, in `timeZone`. */
function startOfNextLocalDay(at: number, timeZone: string): number {
  return midnightOf(timeZone).nextRun(new Date(at))?.getTime() ?? at + 86_400_000;
}

/** An occurrence in effect: when it began and when it ends (null: until something else starts). */
export interface Occurrence {
  /** When it began, ms since the epoch. */
  readonly since: number;
  /** When it ends, ms since the epoch; null when it has no end of its own. */
  readonly until: number | null;
}

// More consecutive holidays than this (a year and a bit) is a calendar error, not a plan.
const MAX_HOLIDAY_RUN = 400;

/**
 * The occurrence of `when` in effect at `now`, or null. Without a duration (recurrence profiles)
 * an occurrence lasts until something else replaces it.
 */
function occurrenceAt(when: When, now: number): Occurrence | null {
  const { start, end } = when;
  if (start !== undefined && now < start) return null;
  if (end !== undefined && now >= end) return null;
  if (when.cron === undefined) return { since: start ?? now, until: end ?? null };
  const cron = cronOf(when as When & { cron: string });
  const holidays = when.holidays;
  let at = now;
  for (let i = 0; i < MAX_HOLIDAY_RUN; i++) {
    const fired = fireAtOrBefore(cron, at);
    if (fired === null) return null;
    const over = when.duration === undefined ? null : fired + when.duration;
    if (over !== null && over <= now) return null;
    if (holidays.length === 0 || !holidays.includes(localDate(fired, when.timeZone))) {
      const since = start !== undefined && fired < start ? start : fired;
      const until = over === null ? (end ?? null) : end !== undefined && end < over ? end : over;
      return { since, until };
    }
    // A holiday cancels every fire of its day; look before the day began.
    at = startOfLocalDay(fired, when.timeZone) - 1;
  }
  return null;
}

/**
 * When the schedule next starts an occurrence strictly after `from` (holidays, `start`, `end` and
 * `disabled` respected), or null when it never will — what a config lint calls "a schedule that
 * never fires". A one-off window (no `cron`) starts at `start`.
 *
 * @example
 * const s = scheduleSchema.parse({ cron: '30 6 * * 2', duration: '1h', minCapacity: 2 });
 * nextFire(s, Date.parse('2024-01-01T00:00:00Z')); // Date.parse('2024-01-02T06:30:00Z')
 */
export function nextFire(schedule: Schedule, from: number): number | null {
  if (schedule.disabled) return null;
  return nextStart(schedule, from);
}

function nextStart(when: When, from: number): number | null {
  const { start, end } = when;
  if (when.cron === undefined) return start !== undefined && start > from ? start : null;
  const cron = cronOf(when as When & { cron: string });
  // An occurrence firing before `start` but still running then makes `start` a start.
  if (start !== undefined && start > from) {
    const running = occurrenceAt(when, start);
    if (running !== null) return start;
  }
  let at = start !== undefined && start - 1 > from ? start - 1 : from;
  for (let i = 0; i < MAX_HOLIDAY_RUN; i++) {
    const next = cron.nextRun(new Date(at));
    if (next === null) return null;
    const fired = next.getTime();
    if (end !== undefined && fired >= end) return null;
    if (!when.holidays.includes(localDate(fired, when.timeZone))) return fired;
    // A holiday cancels every fire of its day; look from the next day on.
    at = startOfNextLocalDay(fired, when.timeZone) - 1;
  }
  return null;
}

/** One schedule in effect at an instant. */
export interface ActiveSchedule {
  /** Its name (`name`, or `schedules[<index>]`). */
  readonly name: string;
  /** Its position in the group's `schedules`. */
  readonly index: number;
  /** The schedule. */
  readonly schedule: Schedule;
  /** The occurrence in effect. */
  readonly occurrence: Occurrence;
}

/** A value set by a schedule or profile, with where it came from. */
export interface ScheduledValue {
  /** The value. */
  readonly value: number;
  /** Which schedule or profile set it, e.g. `schedule business-hours`. */
  readonly source: string;
}

/** What the schedules in effect at an instant set, and which schedule won each field. */
export interface ScheduleResolution {
  /** The lower bound set, if any. */
  readonly minCapacity?: ScheduledValue;
  /** The upper bound set, if any. */
  readonly maxCapacity?: ScheduledValue;
  /** The proposed capacity, if any. */
  readonly desiredCapacity?: ScheduledValue;
  /** Every schedule in effect, in list order (disabled ones never are). */
  readonly active: readonly ActiveSchedule[];
  /** One sentence: which schedules are active and which won, by which precedence. */
  readonly why: string;
}

/** The name decisions use for a schedule. */
export function scheduleName(schedule: Schedule, index: number): string {
  return schedule.name ?? `schedules[${index}]`;
}

/**
 * The schedules in effect at `now` and what they set, overlaps resolved by `precedence`
 * (`largest`: per field, the largest value among the active schedules that set it — GCP;
 * `first`: the first active schedule in list order alone — GitHub runner scheduledOverrides).
 *
 * @example
 * const schedules = [
 *   scheduleSchema.parse({ name: 'day', cron: '0 8 * * *', duration: '10h', minCapacity: 5 }),
 *   scheduleSchema.parse({ name: 'peak', cron: '0 12 * * *', duration: '1h', minCapacity: 8 }),
 * ];
 * activeSchedules(schedules, Date.parse('2024-01-01T12:30:00Z')).minCapacity;
 * // { value: 8, source: 'schedule peak' }
 */
export function activeSchedules(
  schedules: readonly Schedule[],
  now: number,
  precedence: SchedulePrecedence = 'largest',
): ScheduleResolution {
  const active: ActiveSchedule[] = [];
  schedules.forEach((schedule, index) => {
    if (schedule.disabled) return;
    const occurrence = occurrenceAt(schedule, now);
    if (occurrence !== null)
      active.push({ name: scheduleName(schedule, index), index, schedule, occurrence });
  });
  if (active.length === 0) return { active, why: 'no schedule is active' };
  const fields = ['minCapacity', 'maxCapacity', 'desiredCapacity'] as const;
  const out: { -readonly [K in (typeof fields)[number]]?: ScheduledValue } = {};
  if (precedence === 'first') {
    const first = active[0] as ActiveSchedule;
    for (const field of fields) {
      const value = first.schedule[field];
      if (value !== undefined) out[field] = { value, source: `schedule ${first.name}` };
    }
  } else {
    for (const field of fields) {
      for (const entry of active) {
        const value = entry.schedule[field];
        // Ties keep the earlier schedule, so the explanation is stable.
        if (value !== undefined && (out[field] === undefined || value > (out[field] as ScheduledValue).value))
          out[field] = { value, source: `schedule ${entry.name}` };
      }
    }
  }
  const names = active.map((a) => a.name).join(', ');
  const rule =
    active.length === 1
      ? ''
      : precedence === 'first'
        ? `; the first in list order (${(active[0] as ActiveSchedule).name}) wins`
        : '; for each of min, max and desired the largest wins';
  return { ...out, active, why: `active schedule${active.length === 1 ? '' : 's'}: ${names}${rule}` };
}

/** The profile in effect at an instant. */
export interface ActiveProfile {
  /** The profile. */
  readonly profile: Profile;
  /** Its position in the group's `profiles`. */
  readonly index: number;
  /** Its kind. */
  readonly type: 'fixedDate' | 'recurrence';
  /** The occurrence in effect. */
  readonly occurrence: Occurrence;
}

/**
 * The one profile in effect at `now`, as Azure Monitor autoscale chooses it: the first
 * `fixedDate` profile whose window holds `now`; else the recurrence profile that started most
 * recently (an earlier one ends when a later one starts; one whose `duration` ran out hands back
 * to the default); else null — the group's own bounds (Azure's default profile).
 *
 * @example
 * activeProfile([profileSchema.parse({ name: 'monday',
 *   recurrence: { cron: '0 0 * * 1', duration: '24h' }, minCapacity: 3, maxCapacity: 10 })],
 *   Date.parse('2024-01-01T09:00:00Z'))?.profile.name; // 'monday'
 */
export function activeProfile(profiles: readonly Profile[], now: number): ActiveProfile | null {
  for (let index = 0; index < profiles.length; index++) {
    const profile = profiles[index] as Profile;
    if (profile.fixedDate === undefined) continue;
    const occurrence = occurrenceAt({ ...profile.fixedDate, holidays: [] }, now);
    if (occurrence !== null) return { profile, index, type: 'fixedDate', occurrence };
  }
  let latest: ActiveProfile | null = null;
  for (let index = 0; index < profiles.length; index++) {
    const profile = profiles[index] as Profile;
    const recurrence = profile.recurrence;
    if (recurrence === undefined) continue;
    // Ask without the duration first: a later start ends an earlier profile even once its own
    // duration has run out, so the most recent start is the one that counts.
    const started = occurrenceAt(recurrenceUntilReplaced(recurrence), now);
    if (started === null) continue;
    if (latest === null || started.since > latest.occurrence.since) {
      const until = recurrence.duration === undefined ? null : started.since + recurrence.duration;
      latest = { profile, index, type: 'recurrence', occurrence: { since: started.since, until } };
    }
  }
  if (latest !== null && latest.occurrence.until !== null && latest.occurrence.until <= now) return null;
  return latest;
}

const openEnded = new WeakMap<object, When>();

/** The same recurrence without its duration, kept per config object so its pattern compiles once. */
function recurrenceUntilReplaced(recurrence: NonNullable<Profile['recurrence']>): When {
  let when = openEnded.get(recurrence);
  if (when === undefined) {
    when = { cron: recurrence.cron, timeZone: recurrence.timeZone, holidays: recurrence.holidays };
    openEnded.set(recurrence, when);
  }
  return when;
}

/**
 * A profile with the `rules` the group schema lets it carry. Core does not know the rule kinds,
 * so the rule type is a parameter.
 */
export type ProfileWithRules<R> = Profile & { readonly rules?: readonly R[] | undefined };

/** The part of a group's config that says which rules exist. */
export interface RulesConfig<R> {
  /** The group's own rules (the default profile's). */
  readonly rules: readonly R[];
  /** Profiles, some perhaps with rules of their own. */
  readonly profiles: readonly ProfileWithRules<R>[];
}

/**
 * Every rule of a group in index order: the group's `rules` (indexes 0 … n−1), then each
 * profile's `rules`, profile by profile, numbering on (profile p's first rule follows the last
 * rule of the profiles before it). A rule's index here is its `Proposal.ruleIndex`, the key of its
 * `observation.memory` and of its forecast, whether or not its profile is active.
 *
 * @example
 * everyRule({ rules: ['a', 'b'], profiles: [{ ...night, rules: ['c'] }] }); // ['a', 'b', 'c'] ('c' is 2)
 */
export function everyRule<R>(config: RulesConfig<R>): readonly R[] {
  let all: R[] | undefined;
  for (const profile of config.profiles) {
    if (profile.rules === undefined) continue;
    all ??= config.rules.slice();
    all.push(...profile.rules);
  }
  return all ?? config.rules;
}

/** The rules that decide at an instant, from {@link rulesInEffect}. */
export interface RulesInEffect<R> {
  /** The rules, in order. */
  readonly rules: readonly R[];
  /** The index (in {@link everyRule}) of `rules[0]`; `rules[i]` has index `firstIndex + i`. */
  readonly firstIndex: number;
}

/**
 * The rules in effect at `now`, with their indexes: as in Azure Monitor autoscale only the active
 * profile's rules run, so when the profile in effect has `rules`, those replace the group's; else
 * (no profile active, or one without rules) the group's own rules decide.
 *
 * @example
 * const { rules, firstIndex } = rulesInEffect(config, now);
 * const proposals = proposeAll(rules, observation, firstIndex);
 */
export function rulesInEffect<R>(config: RulesConfig<R>, now: number): RulesInEffect<R> {
  const own: RulesInEffect<R> = { rules: config.rules, firstIndex: 0 };
  // Groups whose profiles carry no rules never pay for finding the active profile here.
  if (!config.profiles.some((profile) => profile.rules !== undefined)) return own;
  const active = activeProfile(config.profiles, now);
  const rules = active === null ? undefined : config.profiles[active.index]?.rules;
  if (active === null || rules === undefined) return own;
  let firstIndex = config.rules.length;
  for (let i = 0; i < active.index; i++) firstIndex += config.profiles[i]?.rules?.length ?? 0;
  return { rules, firstIndex };
}

/** The part of a group's config that schedules and profiles read. */
export interface ScheduleConfig {
  /** The group's own lower bound (the default profile's). */
  readonly minCapacity: number;
  /** The group's own upper bound (the default profile's). */
  readonly maxCapacity: number;
  /** Schedules, in list order. */
  readonly schedules: readonly Schedule[];
  /** How overlapping schedules combine. */
  readonly schedulePrecedence: SchedulePrecedence;
  /** Azure-style profiles (their `rules` are read by {@link rulesInEffect}, not here). */
  readonly profiles: readonly ProfileWithRules<unknown>[];
}

/** The bounds and proposals in effect at an instant, with where each came from. */
export interface ScheduledCapacity {
  /** The lower bound for this instant. */
  readonly minCapacity: ScheduledValue;
  /** The upper bound for this instant. */
  readonly maxCapacity: ScheduledValue;
  /** A capacity a schedule proposes, if any. */
  readonly desiredCapacity?: ScheduledValue;
  /** The active profile's `defaultCapacity`, if any. */
  readonly defaultCapacity?: ScheduledValue;
  /** The profile in effect, or null for the group's own bounds. */
  readonly profile: ActiveProfile | null;
  /** The schedules in effect and how they were combined. */
  readonly schedules: ScheduleResolution;
}

/**
 * The bounds in effect at `now`: the group's own, replaced by the active profile's, then by what
 * the active schedules set. Should schedules leave the lower bound above the upper one, the
 * lower bound wins (capacity is never cut below what a schedule asks to keep).
 *
 * @example
 * scheduledCapacity({ minCapacity: 1, maxCapacity: 10, schedulePrecedence: 'largest', profiles: [],
 *   schedules: [scheduleSchema.parse({ cron: '0 8 * * *', duration: '10h', minCapacity: 5 })] },
 *   Date.parse('2024-01-01T09:00:00Z')).minCapacity.value; // 5
 */
export function scheduledCapacity(config: ScheduleConfig, now: number): ScheduledCapacity {
  const profile = config.profiles.length === 0 ? null : activeProfile(config.profiles, now);
  let min: ScheduledValue = { value: config.minCapacity, source: 'group' };
  let max: ScheduledValue = { value: config.maxCapacity, source: 'group' };
  let fallback: ScheduledValue | undefined;
  if (profile !== null) {
    const source = `profile ${profile.profile.name}`;
    min = { value: profile.profile.minCapacity, source };
    max = { value: profile.profile.maxCapacity, source };
    if (profile.profile.defaultCapacity !== undefined)
      fallback = { value: profile.profile.defaultCapacity, source };
  }
  const schedules =
    config.schedules.length === 0
      ? { active: [], why: 'no schedule is active' }
      : activeSchedules(config.schedules, now, config.schedulePrecedence);
  if (schedules.minCapacity !== undefined) min = schedules.minCapacity;
  if (schedules.maxCapacity !== undefined) max = schedules.maxCapacity;
  if (min.value > max.value) max = { value: min.value, source: min.source };
  return {
    minCapacity: min,
    maxCapacity: max,
    ...(schedules.desiredCapacity !== undefined ? { desiredCapacity: schedules.desiredCapacity } : {}),
    ...(fallback !== undefined ? { defaultCapacity: fallback } : {}),
    profile,
    schedules,
  };
}

/** Describe an occurrence's end for messages. */
export function describeOccurrence(occurrence: Occurrence): string {
  const since = new Date(occurrence.since).toISOString();
  if (occurrence.until === null) return `since ${since}`;
  return `since ${since} for ${formatDuration(occurrence.until - occurrence.since)}`;
}

/**
 * Cross-field checks of a group's schedules and profiles against its own bounds, for the group
 * schema's refinement (the value may be partial there, hence the guards): names are unique, and a
 * schedule that sets only one bound leaves it on the right side of the group's other bound.
 *
 * @example
 * scalingGroupSchema.superRefine((group, ctx) => checkSchedules(group, ctx));
 */
export function checkSchedules(
  group: {
    readonly minCapacity?: unknown;
    readonly maxCapacity?: unknown;
    readonly schedules?: unknown;
    readonly profiles?: unknown;
  },
  ctx: z.core.$RefinementCtx<unknown>,
): void {
  const { minCapacity: groupMin, maxCapacity: groupMax } = group;
  const names = new Map<string, number>();
  const unique = (list: 'schedules' | 'profiles', name: unknown, index: number): void => {
    if (typeof name !== 'string') return;
    const first = names.get(`${list}\u0000${name}`);
    if (first === undefined) names.set(`${list}\u0000${name}`, index);
    else
      ctx.addIssue({
        code: 'custom',
        path: [list, index, 'name'],
        message: 'a unique name',
        input: name,
        params: { expected: `a name not used by ${list}[${first}]` },
      });
  };
  if (Array.isArray(group.schedules)) {
    group.schedules.forEach((schedule: unknown, index: number) => {
      if (schedule === null || typeof schedule !== 'object') return;
      const { name, minCapacity: min, maxCapacity: max } = schedule as CapacityInput & { name?: unknown };
      unique('schedules', name, index);
      if (typeof min === 'number' && max === undefined && typeof groupMax === 'number' && min > groupMax) {
        ctx.addIssue({
          code: 'custom',
          path: ['schedules', index, 'minCapacity'],
          message: 'minCapacity ≤ the group maxCapacity',
          input: min,
          params: {
            expected: `a number ≤ the group's maxCapacity (${groupMax}), or a maxCapacity on the schedule too`,
          },
        });
      }
      if (typeof max === 'number' && min === undefined && typeof groupMin === 'number' && max < groupMin) {
        ctx.addIssue({
          code: 'custom',
          path: ['schedules', index, 'maxCapacity'],
          message: 'maxCapacity ≥ the group minCapacity',
          input: max,
          params: {
            expected: `a number ≥ the group's minCapacity (${groupMin}), or a minCapacity on the schedule too`,
          },
        });
      }
    });
  }
  if (Array.isArray(group.profiles)) {
    group.profiles.forEach((profile: unknown, index: number) => {
      if (profile !== null && typeof profile === 'object')
        unique('profiles', (profile as { name?: unknown }).name, index);
    });
  }
}
