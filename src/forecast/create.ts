import { EtsForecaster } from './ets.js';
import { NaiveForecaster } from './naive.js';
import { SeasonalNaiveForecaster } from './seasonal-naive.js';
import type { Forecaster } from './types.js';

export { loadForecaster } from './load.js';

/** The model names {@link createForecaster} knows. */
export type ForecastModelName = 'auto' | 'seasonal-naive' | 'naive' | 'ets' | 'mstl' | 'fourier';

/**
 * A new, unfitted forecaster of a model for a series whose seasonal period is `period` steps
 * (1 for none).
 *
 * @example
 * createForecaster('ets', 288).fit(series).forecast(12);
 */
export function createForecaster(model: ForecastModelName, period: number): Forecaster {
  switch (model) {
    case 'naive':
      return new NaiveForecaster();
    case 'seasonal-naive':
      return new SeasonalNaiveForecaster({ period });
    case 'ets':
      return period > 1 ? new EtsForecaster({ auto: true, period }) : new EtsForecaster({ auto: true });
    default:
      return period > 1 ? new EtsForecaster({ auto: true, period }) : new EtsForecaster({ auto: true });
  }
}
