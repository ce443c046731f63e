/**
 * Rebuild any saved forecaster from its {@link ForecasterJSON}.
 *
 * Public API:
 * - `loadForecaster(json)` — dispatch on `kind` to that kind's `load` (which checks `version`);
 *   an unknown kind or a malformed envelope throws `FORECAST_INVALID` with expected/got.
 * - `FORECASTER_KINDS` / `ForecasterKind` — the kinds it knows.
 *
 * This is the one registry of forecaster kinds: a new kind adds its name to `FORECASTER_KINDS`
 * and one `case` to the switch, and the compiler points at the switch until it does.
 */
import { TidewayError } from '../errors.js';
import { AutoForecaster } from './auto.js';
import { EtsForecaster } from './ets.js';
import { FourierForecaster } from './fourier.js';
import { MstlForecaster } from './mstl.js';
import { NaiveForecaster } from './naive.js';
import { SeasonalNaiveForecaster } from './seasonal-naive.js';
import type { Forecaster, ForecasterJSON } from './types.js';

/**
 * Every kind {@link loadForecaster} can rebuild.
 *
 * @example
 * FORECASTER_KINDS.includes('ets'); // true
 */
export const FORECASTER_KINDS = ['naive', 'seasonal-naive', 'ets', 'mstl', 'fourier', 'auto'] as const;

/**
 * A kind {@link loadForecaster} can rebuild.
 *
 * @example
 * const kind: ForecasterKind = 'seasonal-naive';
 */
export type ForecasterKind = (typeof FORECASTER_KINDS)[number];

/**
 * Rebuild a fitted forecaster saved with `toJSON()` (after a JSON round-trip too). The result
 * forecasts exactly as the saved one did.
 *
 * @throws TidewayError `FORECAST_INVALID` for an unknown kind, an unsupported version or bad state.
 * @example
 * const saved = JSON.stringify(model.toJSON());
 * const again = loadForecaster(JSON.parse(saved));
 * again.forecast(12); // same as model.forecast(12)
 */
export function loadForecaster(json: ForecasterJSON): Forecaster {
  if (
    typeof json !== 'object' ||
    json === null ||
    typeof json.kind !== 'string' ||
    typeof json.version !== 'number'
  ) {
    throw new TidewayError(
      'FORECAST_INVALID',
      `loadForecaster(): expected { kind: string, version: number, state }, got ${describe(json)}.`,
    );
  }
  const kind = json.kind as ForecasterKind;
  switch (kind) {
    case 'naive':
      return NaiveForecaster.load(json);
    case 'seasonal-naive':
      return SeasonalNaiveForecaster.load(json);
    case 'ets':
      return EtsForecaster.load(json);
    case 'mstl':
      return MstlForecaster.load(json);
    case 'fourier':
      return FourierForecaster.load(json);
    case 'auto':
      return AutoForecaster.load(json);
    default:
      return unknownKind(kind);
  }
}

function unknownKind(kind: never): never {
  throw new TidewayError(
    'FORECAST_INVALID',
    `loadForecaster(): kind: expected one of ${FORECASTER_KINDS.map((k) => `"${k}"`).join(', ')}, got "${String(kind)}".`,
  );
}

function describe(value: unknown): string {
  try {
    return JSON.stringify(value)?.slice(0, 60) ?? String(value);
  } catch {
    return String(value);
  }
}
