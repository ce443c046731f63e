import { autoForecaster } from './auto.js';
import { EtsForecaster } from './ets.js';
import { FourierForecaster } from './fourier.js';
import { MstlForecaster } from './mstl.js';
import { NaiveForecaster } from './naive.js';
import { SeasonalNaiveForecaster } from './seasonal-naive.js';
import type { Forecaster } from './types.js';

/** The model names {@link createForecaster} knows. `auto` picks one of the others by backtest. */
export const FORECAST_MODELS = ['auto', 'seasonal-naive', 'naive', 'ets', 'mstl', 'fourier'] as const;

/** A model name of {@link FORECAST_MODELS}. */
export type ForecastModelName = (typeof FORECAST_MODELS)[number];

/**
 * A new, unfitted forecaster of a model for a series whose daily period is `period` steps (1 for
 * none): what a predictive rule's `model` names. `mstl` also models a week (7 periods) when the
 * window holds two; `auto` decides that, and between the models, by backtest.
 *
 * @example
 * createForecaster('auto', 288).fit(series).forecast(12);
 */
export function createForecaster(model: ForecastModelName, period: number): Forecaster {
  const seasonal = period > 1;
  switch (model) {
    case 'naive':
      return new NaiveForecaster();
    case 'seasonal-naive':
      return new SeasonalNaiveForecaster({ period });
    case 'ets':
      return seasonal ? new EtsForecaster({ auto: true, period }) : new EtsForecaster({ auto: true });
    case 'mstl':
      return new MstlForecaster({ periods: seasonal ? [period, 7 * period] : [] });
    case 'fourier':
      return new FourierForecaster({ periods: seasonal ? [period] : [] });
    case 'auto':
      return seasonal ? autoForecaster({ period }) : autoForecaster();
  }
}
