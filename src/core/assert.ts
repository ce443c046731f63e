/**
 * Exhaustiveness check for `switch` statements over unions: compiles only when every case is
 * handled.
 *
 * @example
 * switch (rule.kind) { case 'target-tracking': ...; default: return assertNever(rule); }
 */
export function assertNever(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}
