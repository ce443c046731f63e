/**
 * Hand-built event histories for the analytics tests: records shaped exactly as the manager's
 * `summarize` writes them (decision → `{ decision }`, scaled / scale-failed → `{ from, to,
 * decisionId, reason, … }`), with `seq` increasing in the order they are added.
 */
import type { Decision, ReasonCode, ScalingEventRecord } from 'tideway';

/** Seconds to ms, so rows read in seconds. */
export const s = (n: number): number => n * 1000;

interface DecisionSpec {
  readonly group?: string;
  readonly current: number;
  readonly desired: number;
  readonly reason?: ReasonCode;
  readonly message?: string;
}

/** Builds a history one record at a time. */
export class History {
  private readonly list: ScalingEventRecord[] = [];
  private seq = 1;

  /** A decision `<group>#<n>` at `at`; direction from current → desired. */
  decision(at: number, n: number, spec: DecisionSpec): this {
    const groupId = spec.group ?? 'web';
    const direction = spec.desired > spec.current ? 'out' : spec.desired < spec.current ? 'in' : 'none';
    const reason: ReasonCode =
      spec.reason ?? (direction === 'out' ? 'ScaleOut' : direction === 'in' ? 'ScaleIn' : 'NoChange');
    const decision: Decision = {
      id: `${groupId}#${n}`,
      groupId,
      at,
      current: spec.current,
      recommended: spec.desired,
      desired: spec.desired,
      direction,
      reason,
      message: spec.message ?? `${reason} ${spec.current} to ${spec.desired}.`,
      proposals: [],
      trace: [],
    };
    return this.push('decision', at, groupId, decision.message, { decision });
  }

  /** A `scaled` record for decision `<group>#<n>`. */
  scaled(
    at: number,
    from: number,
    to: number,
    n: number,
    options: { group?: string; reason?: string } = {},
  ): this {
    const groupId = options.group ?? 'web';
    const reason = options.reason ?? (to > from ? 'ScaleOut' : 'ScaleIn');
    return this.push('scaled', at, groupId, `Scaled ${groupId} from ${from} to ${to} (${reason}).`, {
      from,
      to,
      decisionId: `${groupId}#${n}`,
      reason,
    });
  }

  /** A `scale-failed` record for decision `<group>#<n>`. */
  failed(at: number, from: number, to: number, n: number, options: { group?: string } = {}): this {
    const groupId = options.group ?? 'web';
    const reason = to > from ? 'ScaleOut' : 'ScaleIn';
    return this.push('scale-failed', at, groupId, `Scaling ${groupId} failed: boom`, {
      from,
      to,
      decisionId: `${groupId}#${n}`,
      reason,
      error: { name: 'Error', message: 'boom' },
    });
  }

  /** A decision at `at` and, `latency` ms later, the change it asked for applied. */
  action(at: number, n: number, from: number, to: number, latency = 0, group = 'web'): this {
    return this.decision(at, n, { group, current: from, desired: to }).scaled(at + latency, from, to, n, {
      group,
    });
  }

  /** Any other record (kinds the analytics must skip). */
  other(kind: ScalingEventRecord['kind'], at: number, group: string | null = 'web'): this {
    return this.push(kind, at, group, `${kind}.`, {});
  }

  private push(
    kind: ScalingEventRecord['kind'],
    at: number,
    groupId: string | null,
    message: string,
    data: Record<string, unknown>,
  ): this {
    this.list.push({ seq: this.seq++, kind, at, groupId, message, data });
    return this;
  }

  /** Newest first, as `getScalingEvents` returns them. */
  get records(): ScalingEventRecord[] {
    return [...this.list].reverse();
  }

  /** Oldest first. */
  get oldestFirst(): ScalingEventRecord[] {
    return [...this.list];
  }
}

/** The error `run` throws; fails the test when it returns. */
export function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

/** Assert `run` throws a RangeError with exactly `message`. */
export function expectRangeError(run: () => unknown, message: string | RegExp): void {
  const error = thrown(run);
  if (!(error instanceof RangeError)) throw new Error(`expected a RangeError, got ${String(error)}`);
  if (typeof message === 'string' ? error.message !== message : !message.test(error.message))
    throw new Error(`expected message ${String(message)}, got ${JSON.stringify(error.message)}`);
}
