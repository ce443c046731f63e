import type { TidewayError } from '../errors.js';
import type { ManagerEvents } from './events.js';

/** An error as plain data. */
export interface ErrorInfo {
  /** The error's class name. */
  readonly name: string;
  /** Its message. */
  readonly message: string;
  /** Its tideway code, when it has one. */
  readonly code?: string;
}

/** Render an error as plain data. */
export function errorInfo(error: Error): ErrorInfo {
  const code = (error as Partial<TidewayError>).code;
  return typeof code === 'string'
    ? { name: error.name, message: error.message, code }
    : { name: error.name, message: error.message };
}

/** What the event history keeps of one event, besides its kind, time and group. */
export interface EventSummary {
  readonly message: string;
  readonly data: Record<string, unknown>;
}

/**
 * Reduce an event payload to plain data and one sentence for the history.
 */
export function summarize<K extends keyof ManagerEvents>(
  kind: K,
  payload: ManagerEvents[K][0],
): EventSummary {
  const event = payload as ManagerEvents[keyof ManagerEvents][0];
  switch (kind) {
    case 'decision': {
      const d = event as ManagerEvents['decision'][0];
      // The history keeps the decision without its proposals (the message carries the rules'
      // reason); listeners and `status.lastDecision` have the whole thing.
      const { proposals: _proposals, ...compact } = d;
      return { message: d.message, data: { decision: compact } };
    }
    case 'scaled': {
      const e = event as ManagerEvents['scaled'][0];
      return {
        message: `Scaled ${e.groupId} from ${e.from} to ${e.to} (${e.decision.reason}).`,
        data: {
          from: e.from,
          to: e.to,
          decisionId: e.decision.id,
          reason: e.decision.reason,
          message: e.decision.message,
        },
      };
    }
    case 'scale-failed': {
      const e = event as ManagerEvents['scale-failed'][0];
      return {
        message: `Scaling ${e.groupId} from ${e.from} to ${e.to} failed: ${e.error.message}`,
        data: {
          from: e.from,
          to: e.to,
          decisionId: e.decision.id,
          reason: e.decision.reason,
          message: e.decision.message,
          error: errorInfo(e.error),
        },
      };
    }
    case 'metrics-unavailable': {
      const e = event as ManagerEvents['metrics-unavailable'][0];
      const data: Record<string, unknown> = { metrics: e.metrics, reason: e.reason };
      if (e.error) data.error = errorInfo(e.error);
      if (e.details) data.details = { ...e.details };
      const why = e.details
        ? Object.entries(e.details)
            .map(([metric, detail]) => `; ${metric}: ${detail}`)
            .join('')
        : '';
      return {
        message: `Metrics ${e.metrics.join(', ')} of ${e.groupId} are unavailable (${e.reason}${e.error ? `: ${e.error.message}` : ''}${why}).`,
        data,
      };
    }
    case 'tick-skipped': {
      const e = event as ManagerEvents['tick-skipped'][0];
      return {
        message:
          e.reason === 'in-flight'
            ? `A tick of ${e.groupId} was skipped because the previous one was still running.`
            : e.reason === 'overrun'
              ? `${e.count ?? 1} tick${(e.count ?? 1) === 1 ? '' : 's'} of ${e.groupId} ${(e.count ?? 1) === 1 ? 'was' : 'were'} missed because the host fell behind.`
              : `A tick of ${e.groupId} was discarded because the group changed while it ran.`,
        data: e.count === undefined ? { reason: e.reason } : { reason: e.reason, count: e.count },
      };
    }
    case 'group-registered':
    case 'group-removed': {
      const e = event as ManagerEvents['group-registered'][0];
      return {
        message: `Scaling group ${e.groupId} was ${kind === 'group-registered' ? 'registered' : 'removed'}.`,
        data: {},
      };
    }
    case 'group-updated': {
      const e = event as ManagerEvents['group-updated'][0];
      return {
        message: `Scaling group ${e.groupId} was updated (${e.changed.length > 0 ? e.changed.join(', ') : 'no changes'}).`,
        data: { changed: e.changed },
      };
    }
    case 'paused':
    case 'resumed': {
      const e = event as ManagerEvents['paused'][0];
      return {
        message: `Automatic ${e.direction === 'both' ? 'scaling' : e.direction} of ${e.groupId} was ${kind}.`,
        data: { direction: e.direction },
      };
    }
    case 'error': {
      const e = event as ManagerEvents['error'][0];
      return {
        message: `${e.source} error${e.groupId ? ` in ${e.groupId}` : ''}: ${e.error.message}`,
        data: { source: e.source, error: errorInfo(e.error) },
      };
    }
    case 'forecast-degraded':
    case 'forecast-recovered': {
      const e = event as ManagerEvents['forecast-degraded'][0];
      const a = e.accuracy;
      return {
        message: `The forecast of ${e.rule} in ${e.groupId} ${kind === 'forecast-degraded' ? 'degraded' : 'recovered'}: MASE ${a.mase.toFixed(2)} over ${a.scored} forecasts.`,
        data: { rule: e.rule, model: e.model, accuracy: { ...a } },
      };
    }
    default:
      throw new Error(`unknown event ${String(kind)}`);
  }
}
