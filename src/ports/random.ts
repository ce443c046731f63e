/**
 * A source of uniform random numbers in [0, 1). Inject a seeded one (`seededRandom` from
 * `tideway/testing`) to make runs repeatable.
 *
 * @default mathRandom
 */
export interface Random {
  /** A number in [0, 1). */
  next(): number;
}

/**
 * `Math.random` as a {@link Random}.
 *
 * @example
 * mathRandom.next();
 */
export const mathRandom: Random = { next: () => Math.random() };
