/** What to do with the next calls of a fake port. */
export type FaultMode = 'fail' | 'hang';

interface Fault {
  mode: FaultMode;
  remaining: number;
  error: Error;
}

/**
 * A queue of injected faults shared by the fake ports: the next N calls fail or hang.
 * @internal
 */
export class FaultQueue {
  private faults: Fault[] = [];

  add(mode: FaultMode, count: number, error: Error): void {
    if (!Number.isInteger(count) || count < 1)
      throw new RangeError(`expected a whole number ≥ 1 of calls, got ${count}`);
    this.faults.push({ mode, remaining: count, error });
  }

  clear(): void {
    this.faults = [];
  }

  /** Consume one fault, if any is queued. */
  next(): Fault | undefined {
    const fault = this.faults[0];
    if (fault === undefined) return undefined;
    fault.remaining--;
    if (fault.remaining === 0) this.faults.shift();
    return fault;
  }
}

/**
 * Settle per the fault: reject with its error, or never settle until `signal` aborts (then
 * reject with the abort reason).
 * @internal
 */
export function faulted<T>(mode: FaultMode, error: Error, signal: AbortSignal): Promise<T> {
  if (mode === 'fail') return Promise.reject(error);
  return new Promise<T>((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}
