import { argumentError, suggestKey } from '../config/issues.js';
import type { WeightedScoreRule, WeightedScoreRuleInput } from './weighted-score.js';

/** The names of the ready-made weighted-score policies. */
export type ScoreTemplateName =
  | 'web-app-balanced'
  | 'web-app-aggressive'
  | 'api-performance'
  | 'batch-cost-optimized'
  | 'ml-gpu-optimized'
  | 'dev-minimal';

/** How fast a weighted-score policy reacts. */
export type ScorePresetName = 'aggressive' | 'balanced' | 'conservative';

/** A reaction speed: step sizes, the window the score averages over, and cooldowns. */
export interface ScorePreset {
  /** Units added when the score reaches `scaleUpThreshold`. */
  readonly scaleUpStep: number;
  /** Units removed when the score falls to `scaleDownThreshold`. */
  readonly scaleDownStep: number;
  /** The window each metric is averaged over. */
  readonly window: string;
  /** Waits after a scale-out before the next scale-out, and after any change before a scale-in. */
  readonly cooldown: { readonly scaleOut: string; readonly scaleIn: string };
}

/**
 * The three reaction speeds. `aggressive` adds two units at a time over a short window with short
 * cooldowns; `conservative` averages over five minutes and waits long before removing units.
 */
export const SCORE_PRESETS: Readonly<Record<ScorePresetName, ScorePreset>> = {
  aggressive: { scaleUpStep: 2, scaleDownStep: 1, window: '1m', cooldown: { scaleOut: '1m', scaleIn: '5m' } },
  balanced: { scaleUpStep: 1, scaleDownStep: 1, window: '2m', cooldown: { scaleOut: '3m', scaleIn: '10m' } },
  conservative: {
    scaleUpStep: 1,
    scaleDownStep: 1,
    window: '5m',
    cooldown: { scaleOut: '5m', scaleIn: '15m' },
  },
};

/** A ready-made weighted-score policy. */
export interface ScoreTemplate {
  /** Its name. */
  readonly name: ScoreTemplateName;
  /** What it suits, in one sentence. */
  readonly description: string;
  /** Score (percent) at or above which it scales out. */
  readonly scaleUpThreshold: number;
  /** Score (percent) at or below which it scales in. */
  readonly scaleDownThreshold: number;
  /** The group's minimum capacity. */
  readonly minCapacity: number;
  /** The group's maximum capacity. */
  readonly maxCapacity: number;
  /** Metric weights, by score-metric name (they need not add up to 1). */
  readonly weights: Readonly<Record<string, number>>;
  /** Maximums of metrics other than the known ones. */
  readonly maximums: Readonly<Record<string, number>>;
  /** Its reaction speed. */
  readonly preset: ScorePresetName;
}

const TEMPLATES: readonly ScoreTemplate[] = [
  {
    name: 'web-app-balanced',
    description: 'A web application with steady traffic: CPU first, latency and errors as early warnings.',
    scaleUpThreshold: 70,
    scaleDownThreshold: 30,
    minCapacity: 1,
    maxCapacity: 10,
    weights: { cpu: 0.4, memory: 0.2, response_time: 0.2, requests: 0.1, error_rate: 0.1 },
    maximums: {},
    preset: 'balanced',
  },
  {
    name: 'web-app-aggressive',
    description: 'A web application with sudden spikes: scales out early and in large steps.',
    scaleUpThreshold: 60,
    scaleDownThreshold: 40,
    minCapacity: 2,
    maxCapacity: 50,
    weights: { cpu: 0.35, response_time: 0.3, requests: 0.2, memory: 0.1, error_rate: 0.05 },
    maximums: {},
    preset: 'aggressive',
  },
  {
    name: 'api-performance',
    description: 'An API with a latency objective: response time and errors carry most of the weight.',
    scaleUpThreshold: 60,
    scaleDownThreshold: 40,
    minCapacity: 2,
    maxCapacity: 20,
    weights: { response_time: 0.4, cpu: 0.3, error_rate: 0.2, requests: 0.1 },
    maximums: {},
    preset: 'aggressive',
  },
  {
    name: 'batch-cost-optimized',
    description: 'Batch work where cost matters more than speed: scales out only when busy, in readily.',
    scaleUpThreshold: 80,
    scaleDownThreshold: 20,
    minCapacity: 0,
    maxCapacity: 5,
    weights: { cpu: 0.6, memory: 0.4 },
    maximums: {},
    preset: 'conservative',
  },
  {
    name: 'ml-gpu-optimized',
    description: 'Model serving or training on GPUs: GPU utilisation (percent) first, then memory.',
    scaleUpThreshold: 75,
    scaleDownThreshold: 25,
    minCapacity: 1,
    maxCapacity: 8,
    weights: { gpu: 0.5, memory: 0.3, cpu: 0.2 },
    maximums: { gpu: 100 },
    preset: 'conservative',
  },
  {
    name: 'dev-minimal',
    description: 'A development environment: one unit, a second only under heavy load.',
    scaleUpThreshold: 90,
    scaleDownThreshold: 10,
    minCapacity: 1,
    maxCapacity: 2,
    weights: { cpu: 0.6, memory: 0.4 },
    maximums: {},
    preset: 'conservative',
  },
];

/**
 * The ready-made weighted-score policies, in a fixed order.
 *
 * @example
 * listScoreTemplates().map((t) => `${t.name} ${t.scaleUpThreshold}/${t.scaleDownThreshold} max ${t.maxCapacity}`);
 */
export function listScoreTemplates(): readonly ScoreTemplate[] {
  return TEMPLATES;
}

/** Changes to a template, all optional. */
export interface ScoreTemplateChanges {
  /** Another reaction speed. */
  readonly preset?: ScorePresetName;
  /** Another scale-out threshold (percent). */
  readonly scaleUpThreshold?: number;
  /** Another scale-in threshold (percent). */
  readonly scaleDownThreshold?: number;
  /** Another minimum capacity. */
  readonly minCapacity?: number;
  /** Another maximum capacity. */
  readonly maxCapacity?: number;
  /** Weights to change or add (a weight of 0 drops the metric). */
  readonly weights?: Readonly<Record<string, number>>;
  /** Maximums for custom metrics (and overrides for the known ones). */
  readonly maximums?: Readonly<Record<string, number>>;
  /** The provider's metric name for a score metric, when it differs (`{ cpu: 'cpu_percent' }`). */
  readonly metricNames?: Readonly<Record<string, string>>;
  /** The rule's name. @default the template's name */
  readonly name?: string;
}

/** What {@link scoreTemplate} returns: the parts of a group config a template sets. */
export interface ScorePolicy {
  /** Minimum capacity. */
  minCapacity: number;
  /** Maximum capacity. */
  maxCapacity: number;
  /** Cooldowns of the preset. */
  cooldown: { scaleOut: string; scaleIn: string };
  /** The one weighted-score rule. */
  rules: [WeightedScoreRuleInput];
}

/**
 * A fresh copy of a template as group-config fields, with changes applied: spread it into a
 * group config and register it (the config is validated there). Unknown template or preset names
 * throw a `ConfigError` (`ARGUMENT_INVALID`) with a did-you-mean hint.
 *
 * @example
 * manager.registerScalingGroup({ id: 'web', ...scoreTemplate('web-app-balanced', { maxCapacity: 12 }) });
 */
export function scoreTemplate(name: ScoreTemplateName, changes: ScoreTemplateChanges = {}): ScorePolicy {
  const template = TEMPLATES.find((t) => t.name === name);
  if (template === undefined) {
    throw argumentError(
      'name',
      oneOf(
        TEMPLATES.map((t) => t.name),
        name,
      ),
      name,
      'scoreTemplate',
    );
  }
  const presetName = changes.preset ?? template.preset;
  if (!Object.hasOwn(SCORE_PRESETS, presetName)) {
    throw argumentError(
      'changes.preset',
      oneOf(Object.keys(SCORE_PRESETS), presetName),
      presetName,
      'scoreTemplate',
    );
  }
  const preset = SCORE_PRESETS[presetName];
  const weights: Record<string, number> = { ...template.weights, ...changes.weights };
  const maximums: Record<string, number> = { ...template.maximums, ...changes.maximums };
  const metrics: WeightedScoreRuleInput['metrics'] = [];
  for (const [metric, weight] of Object.entries(weights)) {
    if (weight === 0) continue;
    const source = changes.metricNames?.[metric];
    const max = maximums[metric];
    metrics.push({
      name: metric,
      weight,
      ...(source === undefined ? {} : { metric: source }),
      ...(max === undefined ? {} : { max }),
    });
  }
  return {
    minCapacity: changes.minCapacity ?? template.minCapacity,
    maxCapacity: changes.maxCapacity ?? template.maxCapacity,
    cooldown: { ...preset.cooldown },
    rules: [
      {
        kind: 'weighted-score',
        name: changes.name ?? template.name,
        metrics,
        scaleUpThreshold: changes.scaleUpThreshold ?? template.scaleUpThreshold,
        scaleDownThreshold: changes.scaleDownThreshold ?? template.scaleDownThreshold,
        scaleUpStep: preset.scaleUpStep,
        scaleDownStep: preset.scaleDownStep,
        window: preset.window,
      },
    ],
  };
}

function oneOf(names: readonly string[], got: string): string {
  const hint = typeof got === 'string' ? suggestKey(got, names) : undefined;
  return `one of ${names.join(', ')}${hint === undefined ? '' : ` (did you mean ${hint}?)`}`;
}

/** Advice about a weighted-score rule: valid, but likely not what was meant. */
export interface ScoreRecommendation {
  /** Where, relative to the rule (`scaleDownThreshold`, `metrics[2].weight`). */
  readonly path: string;
  /** Stable code. */
  readonly code: 'thresholds-too-close' | 'single-metric' | 'dominant-metric' | 'threshold-unreachable';
  /** One sentence: what and what to do. */
  readonly message: string;
}

/**
 * Review a validated weighted-score rule and return advice: thresholds less than 20 points
 * apart (the score crosses both with ordinary noise, so the group flaps), one metric carrying
 * all the weight (a `target-tracking` rule says the same more simply), one metric carrying more
 * than 80 % of it, or a scale-out threshold of 100 that only a fully saturated fleet reaches.
 *
 * @example
 * reviewScoreRule(validateGroupConfig(config).rules[0]); // [{ code: 'thresholds-too-close', … }]
 */
export function reviewScoreRule(rule: WeightedScoreRule): ScoreRecommendation[] {
  const out: ScoreRecommendation[] = [];
  const gap = rule.scaleUpThreshold - rule.scaleDownThreshold;
  if (gap < 20) {
    out.push({
      path: 'scaleDownThreshold',
      code: 'thresholds-too-close',
      message: `the thresholds are ${gap} points apart; keep at least 20 between scaleDownThreshold and scaleUpThreshold so ordinary noise does not scale out and back in`,
    });
  }
  if (rule.scaleUpThreshold >= 100) {
    out.push({
      path: 'scaleUpThreshold',
      code: 'threshold-unreachable',
      message:
        'a scaleUpThreshold of 100 is reached only when every metric is at or above its maximum; lower it',
    });
  }
  const total = rule.metrics.reduce((sum, m) => sum + m.weight, 0);
  if (rule.metrics.length === 1) {
    out.push({
      path: 'metrics',
      code: 'single-metric',
      message: `metric ${rule.metrics[0]?.name} carries all the weight; a target-tracking rule on it is simpler`,
    });
  } else {
    rule.metrics.forEach((metric, i) => {
      if (metric.weight / total > 0.8) {
        out.push({
          path: `metrics[${i}].weight`,
          code: 'dominant-metric',
          message: `metric ${metric.name} carries ${Math.round((100 * metric.weight) / total)} % of the weight; the others barely move the score`,
        });
      }
    });
  }
  return out;
}
