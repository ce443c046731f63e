/** Structured fields attached to a log line. */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * Where tideway writes diagnostics. Shaped so `console`, pino and winston fit with little glue.
 *
 * @default noopLogger
 */
export interface Logger {
  /** Fine-grained tracing. */
  debug(message: string, fields?: LogFields): void;
  /** Normal operation. */
  info(message: string, fields?: LogFields): void;
  /** Something unexpected that tideway handled. */
  warn(message: string, fields?: LogFields): void;
  /** Something failed. */
  error(message: string, fields?: LogFields): void;
}

const ignore = (): void => {};

/**
 * A logger that discards everything.
 *
 * @example
 * noopLogger.info('never printed');
 */
export const noopLogger: Logger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
