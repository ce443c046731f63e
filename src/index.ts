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
// Pure decision pipeline
export type { Arbitration, ArbitrationMode } from './core/arbitrate.js';
export { arbitrate } from './core/arbitrate.js';
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
  DEFAULT_BEHAVIOR,
  limitRate,
  recordScaleEvent,
  scaleDownLimit,
  scaleUpLimit,
  stabilize,
} from './core/behavior.js';
export type { DecideConfig, DecideInput, DecideOutput } from './core/decide.js';
export { decide, describeDecision, manualDecision, recordScaling } from './core/decide.js';
export type { DurationInput } from './core/duration.js';
export { formatDuration, parseDuration } from './core/duration.js';
export type { Cooldown, CooldownInput, GuardResult } from './core/guards.js';
export { applyBounds, applyCooldown, applyHold, applyPause } from './core/guards.js';
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
export type { Statistic } from './core/statistics.js';
export { aggregate, toMilli } from './core/statistics.js';
export type {
  Decision,
  DecisionState,
  HoldState,
  MetricObservation,
  MetricStatus,
  Observation,
  PauseState,
  Proposal,
  ProposalReason,
  ReasonCode,
  RecommendationRecord,
  ScaleDirection,
  ScaleEventRecord,
  StageName,
  StageRecord,
} from './core/types.js';
export { initialDecisionState } from './core/types.js';
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
// Rules
export type {
  CustomRule,
  CustomRuleContext,
  CustomRuleFunction,
  CustomRuleInput,
  CustomRuleOutput,
} from './rules/custom.js';
export { proposeCustom } from './rules/custom.js';
export type { QueueRule, QueueRuleInput } from './rules/queue.js';
export { proposeQueue, queueMetricWindow } from './rules/queue.js';
export type { Rule, RuleInput, RuleKind } from './rules/registry.js';
export { proposeAll, RULE_KINDS, ruleSchema } from './rules/registry.js';
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
export type {
  AdjustmentType,
  StepAdjustment,
  StepComparison,
  StepRule,
  StepRuleInput,
} from './rules/step.js';
export { applyAdjustment, proposeStep, roundPercentDelta } from './rules/step.js';
export type { TargetTrackingRule, TargetTrackingRuleInput, Tolerance } from './rules/target-tracking.js';
export { proposeTargetTracking } from './rules/target-tracking.js';
export type { KnownScoreMetric, WeightedScoreRule, WeightedScoreRuleInput } from './rules/weighted-score.js';
export { proposeWeightedScore, SCORE_METRIC_MAXIMUMS, scoreMetricSource } from './rules/weighted-score.js';
export type { ScalingEventQuery, ScalingEventRecord } from './runtime/event-log.js';
export type {
  ErrorEvent,
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
// Runtime
export type { AutoScalingManagerOptions, SetCapacityOptions } from './runtime/manager.js';
export { AutoScalingManager } from './runtime/manager.js';
export type { ScalingGroupStatus } from './runtime/scaling-group.js';
export { ScalingGroup } from './runtime/scaling-group.js';
export type { GroupSnapshot, ManagerSnapshot, RestoreOptions } from './runtime/snapshot.js';
export { SNAPSHOT_VERSION } from './runtime/snapshot.js';
export type { ErrorInfo } from './runtime/summarize.js';
