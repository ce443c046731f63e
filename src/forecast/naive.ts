/**
 * Naive forecaster: every step ahead repeats the last value (a random walk).
 *
 * Public API:
 * - `NaiveForecaster` (`kind: 'naive'`, no options) — `fit` (needs 2 points), `forecast`,
 *   `update` (O(1)), `score`, `toJSON`; `NaiveForecaster.load(json)` rebuilds it.
 *
 * Intervals: `σ·√h`, `σ² = Σe²/(n−1)` over the in-sample one-step residuals
 * `e[t] = y[t] − y[t−1]` (FPP3 §5.5).
 */
import { LagForecaster } from './seasonal-naive.js';
import type { ForecasterJSON } from './types.js';

/**
 * Naive (last value) forecaster: the baseline every other model has to beat.
 *
 * @example
 * const model = new NaiveForecaster().fit({ start: 0, step: 60_000, values: [3, 5, 4] });
 * model.forecast(2).mean; // [4, 4]
 */
export class NaiveForecaster extends LagForecaster {
  readonly kind = 'naive';

  constructor() {
    super(1);
  }

  /**
   * Rebuild a fitted forecaster from {@link toJSON} output.
   *
   * @example
   * NaiveForecaster.load(model.toJSON()).forecast(5);
   */
  static load(json: ForecasterJSON): NaiveForecaster {
    return new NaiveForecaster().restore(json);
  }
}
