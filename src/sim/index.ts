/**
 * `tideway/sim`: replay a recorded load trace through any policy against a simulated fleet,
 * score it by the SPEC RG elasticity metrics plus SLO and cost, compare policies, and render a
 * self-contained report. Pure: nothing here reads files or the clock.
 */

export type { ElasticSpeedupOptions, SpeedupMetric, WinRateEntry } from './aggregate.js';
export { elasticSpeedup, paretoFront, winRates } from './aggregate.js';
export type { BaselineContext, ResolvedPolicy } from './baselines.js';
export {
  BASELINES,
  baselinePolicy,
  defaultPolicy,
  histRule,
  quadraticPredictor,
  reactRule,
  regRule,
} from './baselines.js';
export type { CompareOptions, NamedPolicy } from './compare.js';
export { compare, delayLabel, formatComparison } from './compare.js';
export type { SimulatedFleetOptions, SimulatedUnit } from './fleet.js';
export { delaySampler, delaySpecSchema, fleetOptionsSchema, SimulatedFleet } from './fleet.js';
export type { DownsampledSeries, ReportOptions, SeriesShape } from './report.js';
export { downsample, renderReport, reportData } from './report.js';
export type { ElasticityScoreOptions, UnitBilling, UnitCharges, UnitLifetime } from './scores.js';
export {
  demandSeries,
  elasticityScores,
  integrate,
  latencyStats,
  sloViolationTime,
  unitCharges,
  unservedShare,
} from './scores.js';
export { medianStep, simulate, supplySeries } from './simulate.js';
export type { Trace } from './trace-csv.js';
export { CsvError, formatTimestamp, parseTimestamp, parseTraceCsv } from './trace-csv.js';
export type { SimulatedMetric } from './trace-metrics.js';
export { SIMULATED_METRICS, TraceMetrics } from './trace-metrics.js';
export type {
  BaselineName,
  BillingOptions,
  ComparisonResult,
  ComparisonRun,
  DelaySpec,
  ElasticityScores,
  FleetOptions,
  ForecastBand,
  LatencyStats,
  ParetoPoint,
  PolicySpec,
  SimulationDecision,
  SimulationOptions,
  SimulationResult,
  SimulationScores,
  StepSeries,
  TimeRange,
  TraceInput,
} from './types.js';
