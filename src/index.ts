/**
 * tideway: an embeddable autoscaling engine. Implement `MetricsProvider` and
 * `ResourceController` for your platform; register scaling groups with an
 * `AutoScalingManager`; every decision comes with a reason code, a sentence, and the trace of
 * the stages that shaped it.
 *
 * @packageDocumentation
 */

// Live analytics
export type { ActionLogEntry, ActionLogQuery } from './analytics/action-log.js';
export { actionLog } from './analytics/action-log.js';
export type { ActionsPerDayOptions, ActionsPerDayReport, DailyActions } from './analytics/actions.js';
export { actionsPerDay } from './analytics/actions.js';
export type {
  AnalyticsSource,
  AnalyzeGroupOptions,
  EfficiencyTarget,
  GroupAnalysis,
  HistoryCoverage,
} from './analytics/analyze.js';
export { analyzeGroup } from './analytics/analyze.js';
export type { EfficiencyOptions, EfficiencyReport, MetricPoint } from './analytics/efficiency.js';
export { efficiencyScore } from './analytics/efficiency.js';
export type { DirectionLatency, ScalingLatencyOptions, ScalingLatencyReport } from './analytics/latency.js';
export { scalingLatency } from './analytics/latency.js';
export type {
  ActionRef,
  GroupOscillation,
  OscillationOptions,
  OscillationReport,
  Reversal,
} from './analytics/oscillation.js';
export { detectOscillation } from './analytics/oscillation.js';
export type { AnalyticsRange, LatencyStats } from './analytics/records.js';
export type { SavingsOptions, SavingsReport } from './analytics/savings.js';
export { savingsVsStatic } from './analytics/savings.js';

// Configuration
export type { JsonValue, ScalingGroupConfig, ScalingGroupConfigInput } from './config/group.js';
export { scalingGroupSchema, validateGroupConfig } from './config/group.js';
export type { LintCode, LintOptions, LintWarning } from './config/lint.js';
export { lintGroupConfig } from './config/lint.js';
// Pure decision pipeline
export type {
  Arbitration,
  ArbitrationContext,
  ArbitrationFunction,
  ArbitrationInput,
  ArbitrationMode,
} from './core/arbitrate.js';
export { arbitrate, arbitrationSchema } from './core/arbitrate.js';
export type {
  AzureArbitrationOptions,
  FlappingProjection,
  ProjectableRule,
  ThresholdOperator,
} from './core/azure.js';
export {
  arbitrateAzure,
  compareThreshold,
  flappingSafeCapacity,
  projectableRules,
  projectFlapping,
  THRESHOLD_OPERATORS,
} from './core/azure.js';
export type {
  Behavior,
  BehaviorInput,
  RateLimitResult,
  ScaleEvents,
  ScalingPolicy,
  ScalingPolicyInput,
  ScalingRules,
  SelectPolicy,
  StabilizeResult,
} from './core/behavior.js';
export {
  behaviorSchema,
  changeInPeriod,
  DEFAULT_BEHAVIOR,
  limitRate,
  recordScaleEvent,
  scaleDownLimit,
  scaleUpLimit,
  scalingPolicySchema,
  stabilize,
} from './core/behavior.js';
export type { CompositeMetrics, CompositeMetricsInput } from './core/composite.js';
export { compositeMetricsSchema, formulaMetricQueries, withCompositeMetrics } from './core/composite.js';
export type { DecideConfig, DecideInput, DecideOutput } from './core/decide.js';
export { decide, describeDecision, manualDecision, recordScaling } from './core/decide.js';
export type { ScheduledDecideInput } from './core/decide-scheduled.js';
export { decideScheduled } from './core/decide-scheduled.js';
export type { DurationInput } from './core/duration.js';
export { formatDuration, parseDuration } from './core/duration.js';
export { withFloors } from './core/floors.js';
export type {
  Formula,
  FormulaFunction,
  FormulaInputs,
  FormulaNode,
  FormulaParseResult,
  FormulaScope,
} from './core/formula.js';
export {
  describeFormulaError,
  evaluateFormula,
  MAX_FORMULA_LENGTH,
  metricReader,
  parseFormula,
} from './core/formula.js';
export type {
  Cooldown,
  CooldownInput,
  GuardResult,
  ScaleInAllowance,
  ScaleInControls,
  ScaleInControlsInput,
  ScaleInControlsResult,
} from './core/guards.js';
export {
  applyBounds,
  applyCooldown,
  applyHold,
  applyPause,
  applyScaleInControls,
  cooldownSchema,
  scaleInControlsSchema,
} from './core/guards.js';
export type {
  GroupBehavior,
  GroupBehaviorInput,
  LegacyBehavior,
  LegacyBehaviorInput,
} from './core/legacy-behavior.js';
export {
  DEFAULT_DOWNSCALE_STABILIZATION,
  groupBehaviorSchema,
  isLegacyBehavior,
  legacyBehaviorSchema,
  limitRateLegacy,
  stabilizeLegacy,
} from './core/legacy-behavior.js';
export { recommendationLog, recommendationRecords } from './core/recommendations.js';
// Kubernetes HPA, ported exactly (for conformance suites and direct use)
export type {
  ConvertedReplicas,
  LimitReason,
  MetricFailureReason,
  MetricOutcome,
  MetricsDecision,
  NormalizedReplicas,
  PerPodTargetArgs,
  PodGroups,
  PodInfo,
  PodMetric,
  PodMetricArgs,
  PodMetrics,
  PodPhase,
  ReadinessTimings,
  ReplicaProposal,
  ResourceReplicaProposal,
  StabilizedRecommendation,
  Tolerances,
  ValueTargetArgs,
} from './core/replica-calculator.js';
export {
  calculateScaleUpLimit,
  computeReplicasForMetrics,
  convertDesiredReplicasWithRules,
  DEFAULT_READINESS_TIMINGS,
  DEFAULT_TOLERANCES,
  externalReplicas,
  groupPods,
  isWithin,
  metricReplicas,
  normalizeDesiredReplicas,
  objectReplicas,
  perPodExternalReplicas,
  perPodObjectReplicas,
  rawResourceReplicas,
  resourceReplicas,
  SCALE_UP_LIMIT_FACTOR,
  SCALE_UP_LIMIT_MINIMUM,
  stabilizeRecommendation,
} from './core/replica-calculator.js';
export type {
  ActiveProfile,
  ActiveSchedule,
  Occurrence,
  Profile,
  ProfileInput,
  ProfileWithRules,
  RulesConfig,
  RulesInEffect,
  Schedule,
  ScheduleConfig,
  ScheduledCapacity,
  ScheduledValue,
  ScheduleInput,
  SchedulePrecedence,
  ScheduleResolution,
} from './core/schedule.js';
export {
  activeProfile,
  activeSchedules,
  everyRule,
  isTimeZone,
  localDate,
  nextFire,
  profileSchema,
  rulesInEffect,
  scheduledCapacity,
  schedulePrecedenceSchema,
  scheduleSchema,
} from './core/schedule.js';
export type { Statistic } from './core/statistics.js';
export { aggregate, toMilli } from './core/statistics.js';
export type {
  Decision,
  DecisionState,
  ForecastAccuracy,
  HoldState,
  MetricObservation,
  MetricStatus,
  Observation,
  PauseState,
  Proposal,
  ProposalReason,
  ReasonCode,
  RecommendationLog,
  RecommendationRecord,
  RuleForecast,
  ScaleDirection,
  ScaleEventRecord,
  StageName,
  StageRecord,
} from './core/types.js';
export { initialDecisionState } from './core/types.js';
// Forecasting
export type {
  AutoCandidate,
  AutoOptions,
  AutoSelection,
  AutoState,
  CandidateScore,
} from './forecast/auto.js';
export { AutoForecaster, autoForecaster, autoOptionsSchema } from './forecast/auto.js';
export type {
  CalibratedState,
  ConfidenceInputs,
  ErrorQuantilesJSON,
  RollingOriginOptions,
} from './forecast/calibrate.js';
export {
  confidenceScore,
  ErrorQuantiles,
  recentBacktest,
  rollingOriginErrors,
} from './forecast/calibrate.js';
export type { ForecastModelName } from './forecast/create.js';
export { createForecaster } from './forecast/create.js';
export type {
  EtsConfig,
  EtsOptions,
  EtsParameters,
  EtsParametersInput,
  EtsSeason,
  EtsTrend,
} from './forecast/ets.js';
export { EtsForecaster, etsOptionsSchema, etsParametersSchema } from './forecast/ets.js';
export type { FourierOptions, FourierState } from './forecast/fourier.js';
export { FourierForecaster, fourierOptionsSchema, fourierTerms } from './forecast/fourier.js';
export { buildForecast, DEFAULT_LEVELS, normalQuantile } from './forecast/interval.js';
export type { ForecasterKind } from './forecast/load.js';
export { FORECASTER_KINDS, loadForecaster } from './forecast/load.js';
export { coverage, mase, maseScale, msis, scoreForecast, smape } from './forecast/metrics.js';
export type { MstlOptions, MstlState } from './forecast/mstl.js';
export { decompose, MstlForecaster, mstlOptionsSchema } from './forecast/mstl.js';
export { NaiveForecaster } from './forecast/naive.js';
export type { DetectPeriodsOptions, PeriodCandidate, PeriodDetection } from './forecast/period.js';
export { candidatePeriods, detectPeriods } from './forecast/period.js';
export type { LagState, SeasonalNaiveOptions } from './forecast/seasonal-naive.js';
export { SeasonalNaiveForecaster, seasonalNaiveOptionsSchema } from './forecast/seasonal-naive.js';
export type { OutlierOptions, PreparedSeries, PrepareOptions, TimedPoint } from './forecast/series.js';
export { prepareSeries } from './forecast/series.js';
export type { MstlResult } from './forecast/stl-core.js';
export type {
  Forecast,
  Forecaster,
  ForecasterJSON,
  ForecastOptions,
  ForecastScore,
  PredictionInterval,
  Series,
} from './forecast/types.js';
// end Forecasting

// Errors
export type { ConfigIssue, TidewayErrorCode } from './errors.js';
export { ConfigError, GroupNotFoundError, TidewayError, TimeoutError } from './errors.js';

// Ports
export type { Clock, Scheduler, TimerHandle } from './ports/clock.js';
export { systemClock, systemScheduler } from './ports/clock.js';
export type {
  CapacityState,
  ControllerCapabilities,
  LaunchRequest,
  ResourceController,
  ScaleContext,
  UnitInfo,
  UnitLauncher,
  UnitLister,
  UnitResizer,
  UnitState,
  UnitTerminator,
  WarmPoolController,
} from './ports/controller.js';
export { detectCapabilities } from './ports/controller.js';
export type { LogFields, Logger } from './ports/logger.js';
export { noopLogger } from './ports/logger.js';
export type {
  CallOptions,
  MetricQuery,
  MetricSample,
  MetricSeries,
  MetricsProvider,
  MetricsRequest,
  MetricsResponse,
} from './ports/metrics.js';
export type { Random } from './ports/random.js';
export { mathRandom } from './ports/random.js';
export type { AdjustmentType, Comparison } from './rules/adjustment.js';
export { ADJUSTMENT_TYPES, applyAdjustment, roundPercentDelta } from './rules/adjustment.js';
export type { AwsTargetTrackingRule, AwsTargetTrackingRuleInput } from './rules/aws-target-tracking.js';
export {
  awsTargetCapacity,
  DEFAULT_AWS_INSTANCE_WARMUP,
  proposeAwsTargetTracking,
} from './rules/aws-target-tracking.js';
// Rules
export type {
  CustomRule,
  CustomRuleContext,
  CustomRuleFunction,
  CustomRuleInput,
  CustomRuleOutput,
} from './rules/custom.js';
export { proposeCustom } from './rules/custom.js';
export type { JobEvent, Reservation, ReservationSettings } from './rules/job-events.js';
export { applyJobEvent, currentReservations, delayScaleDown } from './rules/job-events.js';
export type { PredictiveModel, PredictiveRule, PredictiveRuleInput } from './rules/predictive.js';
export {
  capacityFor,
  DEFAULT_SCHEDULING_BUFFER,
  loadAhead,
  PREDICTIVE_MODELS,
  predictiveRuleSchema,
  proposePredictive,
  quantileLevel,
} from './rules/predictive.js';
export type { FallbackBehavior, QueueFallback, QueueRule, QueueRuleInput } from './rules/queue.js';
export {
  FALLBACK_BEHAVIORS,
  fallbackCapacity,
  proposeQueue,
  queueFallbackSchema,
  queueMetricWindow,
  queueRuleSchema,
} from './rules/queue.js';
export type { Rule, RuleInput, RuleKind } from './rules/registry.js';
export { acceptsJobEvents, proposeAll, RULE_KINDS, receiveRuleEvent, ruleSchema } from './rules/registry.js';
export type { RunnerScaleSetRule, RunnerScaleSetRuleInput } from './rules/runner-scale-set.js';
export { proposeRunnerScaleSet, runnerScaleSetRuleSchema } from './rules/runner-scale-set.js';
export type { PercentageRunnersBusyRule, PercentageRunnersBusyRuleInput } from './rules/runners-busy.js';
export {
  percentageRunnersBusyRuleSchema,
  proposePercentageRunnersBusy,
  suggestByPercentageRunnersBusy,
} from './rules/runners-busy.js';
export type {
  ScaledJobDecision,
  ScaledJobInputs,
  ScaledJobRule,
  ScaledJobRuleInput,
  ScaledJobStrategy,
} from './rules/scaled-job.js';
export {
  effectiveMaxScale,
  proposeScaledJob,
  SCALED_JOB_STRATEGIES,
  scaledJobDecision,
  scaledJobRuleSchema,
} from './rules/scaled-job.js';
export type {
  ScorePolicy,
  ScorePreset,
  ScorePresetName,
  ScoreRecommendation,
  ScoreTemplate,
  ScoreTemplateChanges,
  ScoreTemplateName,
} from './rules/score-templates.js';
export {
  listScoreTemplates,
  reviewScoreRule,
  SCORE_PRESETS,
  scoreTemplate,
} from './rules/score-templates.js';
export type { SimpleRule, SimpleRuleInput } from './rules/simple.js';
export { DEFAULT_SIMPLE_COOLDOWN, proposeSimple } from './rules/simple.js';
export type { StepAdjustment, StepComparison, StepRule, StepRuleInput } from './rules/step.js';
export { proposeStep } from './rules/step.js';
export type { TargetTrackingRule, TargetTrackingRuleInput, Tolerance } from './rules/target-tracking.js';
export { proposeTargetTracking, startupSchema, targetTrackingRuleSchema } from './rules/target-tracking.js';
export type {
  GrainStatistic,
  ThresholdChangeType,
  ThresholdRule,
  ThresholdRuleInput,
  TimeAggregation,
  TreatMissingData,
} from './rules/threshold.js';
export {
  aggregateGrains,
  DEFAULT_TIME_AGGREGATION,
  DEFAULT_TIME_WINDOW,
  GRAIN_STATISTICS,
  grainValues,
  proposeThreshold,
  THRESHOLD_CHANGE_TYPES,
  TIME_AGGREGATIONS,
  TREAT_MISSING_DATA,
  thresholdCapacity,
  thresholdMetricWindow,
  thresholdRuleName,
  thresholdRuleSchema,
} from './rules/threshold.js';
export type { KnownScoreMetric, WeightedScoreRule, WeightedScoreRuleInput } from './rules/weighted-score.js';
export { proposeWeightedScore, SCORE_METRIC_MAXIMUMS, scoreMetricSource } from './rules/weighted-score.js';
export type { WorkflowRunsRule, WorkflowRunsRuleInput } from './rules/workflow-runs.js';
export { proposeWorkflowRuns, workflowRunsRuleSchema } from './rules/workflow-runs.js';
export type { ScalingEventQuery, ScalingEventRecord } from './runtime/event-log.js';
export type {
  ErrorEvent,
  ForecastAccuracyEvent,
  GroupEvent,
  GroupUpdatedEvent,
  ManagerEventName,
  ManagerEvents,
  MetricsUnavailableEvent,
  PauseDirection,
  PauseEvent,
  ScaledEvent,
  ScaleFailedEvent,
  TickSkippedEvent,
} from './runtime/events.js';
export { MANAGER_EVENT_NAMES } from './runtime/events.js';
// Runtime
export type { AutoScalingManagerOptions, SetCapacityOptions } from './runtime/manager.js';
export { AutoScalingManager } from './runtime/manager.js';
export type { ForecastStatus, ScalingGroupStatus } from './runtime/scaling-group.js';
export { ScalingGroup } from './runtime/scaling-group.js';
export type {
  DecisionStateSnapshot,
  GroupSnapshot,
  ManagerSnapshot,
  RestoreOptions,
} from './runtime/snapshot.js';
export { SNAPSHOT_VERSION } from './runtime/snapshot.js';
export type { ErrorInfo } from './runtime/summarize.js';
