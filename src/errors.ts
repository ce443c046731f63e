/**
 * Stable codes carried by every error tideway throws or reports.
 */
export type TidewayErrorCode =
  | 'CONFIG_INVALID'
  | 'SNAPSHOT_INVALID'
  | 'ARGUMENT_INVALID'
  | 'TRACE_INVALID'
  | 'GROUP_NOT_FOUND'
  | 'TIMEOUT'
  | 'ABORTED'
  | 'CONTROLLER_FAILED'
  | 'LISTENER_FAILED'
  | 'INSUFFICIENT_DATA'
  | 'FORECAST_INVALID';

/**
 * Base class of every error tideway creates. Switch on `code`, not on the message.
 *
 * @example
 * try { manager.removeScalingGroup('nope'); } catch (e) {
 *   if (e instanceof TidewayError && e.code === 'GROUP_NOT_FOUND') { ... }
 * }
 */
export class TidewayError extends Error {
  /** Stable machine-readable code. */
  readonly code: TidewayErrorCode;

  /** @param code stable code; @param message one sentence; @param options standard `cause` */
  constructor(code: TidewayErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * One problem found in a piece of input.
 *
 * @example
 * { path: 'rules[0].target', code: 'invalid_type', expected: 'number', received: '"high"',
 *   message: 'rules[0].target: expected number, got "high"' }
 */
export interface ConfigIssue {
  /** Where the problem is, as a readable path (`rules[0].target`); empty for the root. */
  readonly path: string;
  /** The same path as segments. */
  readonly segments: readonly (string | number)[];
  /** What kind of problem (zod's issue code, or `custom`). */
  readonly code: string;
  /** What was expected, in words. */
  readonly expected: string;
  /** What was got, rendered briefly. */
  readonly received: string;
  /** One line: path, expected and got. */
  readonly message: string;
}

/**
 * Input (a group config, manager options, a snapshot, an argument) was rejected. Lists every
 * problem found, not only the first. Nothing was changed.
 *
 * @example
 * try { validateGroupConfig({ id: '', minCapacity: 2, maxCapacity: 1 }); } catch (e) {
 *   if (e instanceof ConfigError) for (const issue of e.issues) console.log(issue.message);
 * }
 */
export class ConfigError extends TidewayError {
  /** Every problem found. */
  readonly issues: readonly ConfigIssue[];

  /** @param issues the problems; the message lists them one per line */
  constructor(
    issues: readonly ConfigIssue[],
    options: { code?: 'CONFIG_INVALID' | 'SNAPSHOT_INVALID' | 'ARGUMENT_INVALID'; subject?: string } = {},
  ) {
    const subject = options.subject ?? 'configuration';
    const head = `Invalid ${subject}: ${issues.length} problem${issues.length === 1 ? '' : 's'}`;
    super(options.code ?? 'CONFIG_INVALID', [head, ...issues.map((i) => `  - ${i.message}`)].join('\n'));
    this.issues = issues;
  }
}

/**
 * A group id was not found.
 */
export class GroupNotFoundError extends TidewayError {
  /** The id that was asked for. */
  readonly groupId: string;

  /** @param groupId the missing id */
  constructor(groupId: string) {
    super('GROUP_NOT_FOUND', `No scaling group with id "${groupId}" is registered.`);
    this.groupId = groupId;
  }
}

/**
 * A port call did not finish within its timeout.
 */
export class TimeoutError extends TidewayError {
  /** The timeout that was exceeded, in milliseconds. */
  readonly timeout: number;

  /** @param operation what timed out; @param timeout the limit in ms */
  constructor(operation: string, timeout: number) {
    super('TIMEOUT', `${operation} did not finish within ${timeout} ms.`);
    this.timeout = timeout;
  }
}

/**
 * Render any thrown value as an Error, keeping the original as `cause`.
 *
 * @example
 * toError('boom').message; // 'boom'
 */
export function toError(value: unknown): Error {
  if (value instanceof Error) return value;
  return new Error(typeof value === 'string' ? value : safeString(value), { cause: value });
}

function safeString(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
