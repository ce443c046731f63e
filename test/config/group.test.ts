import { describe, expect, it } from 'vitest';
import { validateGroupConfig } from '../../src/config/group.js';
import { ConfigError, TidewayError } from '../../src/errors.js';

// Every expected message is built from the rule in src/config/issues.ts:
// `<path>: expected <what the schema wants, in words>, got <the value, rendered briefly>`.

const VALID = { id: 'web', minCapacity: 1, maxCapacity: 10 } as const;
const TT = { kind: 'target-tracking', metric: 'cpu', target: 0.6 } as const;

const ROOT_KEYS =
  'id, name, resourceType, minCapacity, maxCapacity, desiredCapacity, rules, arbitration, compositeMetrics, scaleInControls, schedules, schedulePrecedence, profiles, behavior, cooldown, evaluationInterval, metricRetention, provisioningLeadTime, timeouts, labels, launchTemplate';
const KINDS =
  '"target-tracking", "custom", "step", "queue", "weighted-score", "predictive", "threshold", "simple", "aws-target-tracking", "scaled-job", "percentage-runners-busy", "workflow-runs", "runner-scale-set"';
const RULE_KEYS =
  'kind, name, metric, target, targetPerUnit, perUnit, targetUtilization, request, startup, tolerance, window, statistic';
const DURATION = 'a duration such as "30s", "5m", "1h" or a number of milliseconds';
const ONE_TARGET = 'exactly one of `target` or `targetPerUnit`';

function rejection(input: unknown): ConfigError {
  try {
    validateGroupConfig(input);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected validateGroupConfig to throw a ConfigError');
}

const brief = (error: ConfigError) => error.issues.map(({ path, message }) => ({ path, message }));

describe('validateGroupConfig: bad config', () => {
  it.each([
    // --- unknown keys, with a did-you-mean for likely typos ---
    {
      name: 'unknown root key with a did-you-mean (maxCapcity → maxCapacity)',
      input: { ...VALID, maxCapcity: 10 },
      issues: [
        {
          path: 'maxCapcity',
          message: `maxCapcity: unknown key (did you mean "maxCapacity"?); expected one of ${ROOT_KEYS}`,
        },
      ],
    },
    {
      name: 'unknown key inside a rule with a did-you-mean (tolerence → tolerance)',
      input: { ...VALID, rules: [{ ...TT, tolerence: 0.2 }] },
      issues: [
        {
          path: 'rules[0].tolerence',
          message: `rules[0].tolerence: unknown key (did you mean "tolerance"?); expected one of ${RULE_KEYS}`,
        },
      ],
    },
    {
      name: 'unknown key inside behavior (British stabilisationWindow)',
      input: { ...VALID, behavior: { scaleUp: { stabilisationWindow: '1m' } } },
      issues: [
        {
          path: 'behavior.scaleUp.stabilisationWindow',
          message:
            'behavior.scaleUp.stabilisationWindow: unknown key (did you mean "stabilizationWindow"?); expected one of stabilizationWindow, selectPolicy, policies',
        },
      ],
    },
    {
      // Both sides are 2 edits from "scaleUp"; the first declared (scaleOut) is suggested.
      name: 'unknown key inside the cooldown object (scaleUp → scaleOut)',
      input: { ...VALID, cooldown: { scaleUp: '1m' } },
      issues: [
        {
          path: 'cooldown.scaleUp',
          message:
            'cooldown.scaleUp: unknown key (did you mean "scaleOut"?); expected one of scaleOut, scaleIn',
        },
      ],
    },
    {
      name: 'unknown key inside timeouts (metric → metrics)',
      input: { ...VALID, timeouts: { metric: '5s' } },
      issues: [
        {
          path: 'timeouts.metric',
          message:
            'timeouts.metric: unknown key (did you mean "metrics"?); expected one of metrics, controller',
        },
      ],
    },
    {
      // A Kubernetes habit: `periodSeconds` is too far from `period` to suggest, and `period` is then missing.
      name: 'Kubernetes periodSeconds in a policy: unknown key and missing period',
      input: {
        ...VALID,
        behavior: { scaleUp: { policies: [{ type: 'units', value: 4, periodSeconds: 15 }] } },
      },
      issues: [
        {
          path: 'behavior.scaleUp.policies[0].period',
          message: `behavior.scaleUp.policies[0].period: expected ${DURATION}, got nothing`,
        },
        {
          path: 'behavior.scaleUp.policies[0].periodSeconds',
          message:
            'behavior.scaleUp.policies[0].periodSeconds: unknown key; expected one of type, value, period',
        },
      ],
    },
    {
      name: 'unknown key with no close match gets no suggestion',
      input: { ...VALID, foo: 1 },
      issues: [{ path: 'foo', message: `foo: unknown key; expected one of ${ROOT_KEYS}` }],
    },
    // --- capacities ---
    {
      name: 'min > max',
      input: { id: 'web', minCapacity: 2, maxCapacity: 1 },
      issues: [{ path: 'maxCapacity', message: 'maxCapacity: expected a number ≥ minCapacity (2), got 1' }],
    },
    {
      name: 'negative capacity',
      input: { ...VALID, minCapacity: -1 },
      issues: [{ path: 'minCapacity', message: 'minCapacity: expected a number ≥ 0, got -1' }],
    },
    {
      name: 'NaN capacity',
      input: { ...VALID, maxCapacity: Number.NaN },
      issues: [{ path: 'maxCapacity', message: 'maxCapacity: expected a finite number, got NaN' }],
    },
    {
      name: 'Infinity capacity',
      input: { ...VALID, maxCapacity: Number.POSITIVE_INFINITY },
      issues: [{ path: 'maxCapacity', message: 'maxCapacity: expected a finite number, got Infinity' }],
    },
    {
      name: 'non-integer capacity',
      input: { ...VALID, minCapacity: 1.5 },
      issues: [{ path: 'minCapacity', message: 'minCapacity: expected an integer, got 1.5' }],
    },
    {
      name: 'capacity as a string',
      input: { ...VALID, maxCapacity: '10' },
      issues: [{ path: 'maxCapacity', message: 'maxCapacity: expected a finite number, got "10"' }],
    },
    {
      name: 'missing required capacity',
      input: { id: 'web', minCapacity: 1 },
      issues: [{ path: 'maxCapacity', message: 'maxCapacity: expected a finite number, got nothing' }],
    },
    {
      name: 'desiredCapacity outside the bounds',
      input: { id: 'web', minCapacity: 1, maxCapacity: 5, desiredCapacity: 7 },
      issues: [
        {
          path: 'desiredCapacity',
          message: 'desiredCapacity: expected a number within [minCapacity, maxCapacity] = [1, 5], got 7',
        },
      ],
    },
    // --- id ---
    {
      name: 'empty id',
      input: { ...VALID, id: '' },
      issues: [{ path: 'id', message: 'id: expected a string of at least 1 character, got ""' }],
    },
    {
      name: 'id with spaces',
      input: { ...VALID, id: 'my group' },
      issues: [
        { path: 'id', message: 'id: expected an id without spaces or control characters, got "my group"' },
      ],
    },
    {
      name: 'id with a control character (tab)',
      input: { ...VALID, id: 'a\tb' },
      issues: [
        { path: 'id', message: 'id: expected an id without spaces or control characters, got "a\\tb"' },
      ],
    },
    {
      // U+009B (CSI) is a C1 control character (Unicode Cc) that terminals read as an escape sequence.
      name: 'id with a C1 control character (U+009B)',
      input: { ...VALID, id: 'a\u009bb' },
      issues: [
        { path: 'id', message: 'id: expected an id without spaces or control characters, got "a\u009bb"' },
      ],
    },
    {
      // Rendered values are cut to 57 characters + "...".
      name: 'id longer than 256 characters',
      input: { ...VALID, id: 'x'.repeat(257) },
      issues: [
        {
          path: 'id',
          message: `id: expected a string of at most 256 characters, got "${'x'.repeat(57)}..."`,
        },
      ],
    },
    {
      name: 'id of the wrong type',
      input: { ...VALID, id: 42 },
      issues: [{ path: 'id', message: 'id: expected a string, got 42' }],
    },
    {
      name: 'empty resourceType',
      input: { ...VALID, resourceType: '' },
      issues: [
        { path: 'resourceType', message: 'resourceType: expected a string of at least 1 character, got ""' },
      ],
    },
    // --- rules ---
    {
      name: 'unknown rule kind',
      input: { ...VALID, rules: [{ kind: 'no-such-kind', metric: 'cpu' }] },
      issues: [
        {
          path: 'rules[0].kind',
          message: `rules[0].kind: expected one of ${KINDS}, got "no-such-kind"`,
        },
      ],
    },
    {
      name: 'rule without a kind',
      input: { ...VALID, rules: [{ metric: 'cpu', target: 1 }] },
      issues: [
        {
          path: 'rules[0].kind',
          message: `rules[0].kind: expected one of ${KINDS}, got nothing`,
        },
      ],
    },
    {
      name: 'target and targetPerUnit both',
      input: { ...VALID, rules: [{ ...TT, targetPerUnit: 2 }] },
      issues: [
        {
          path: 'rules[0].targetPerUnit',
          message: `rules[0].targetPerUnit: expected ${ONE_TARGET}, got both`,
        },
      ],
    },
    {
      name: 'target and targetPerUnit neither',
      input: { ...VALID, rules: [{ kind: 'target-tracking', metric: 'cpu' }] },
      issues: [{ path: 'rules[0].target', message: `rules[0].target: expected ${ONE_TARGET}, got neither` }],
    },
    {
      name: 'target of 0',
      input: { ...VALID, rules: [{ ...TT, target: 0 }] },
      issues: [{ path: 'rules[0].target', message: 'rules[0].target: expected a number > 0, got 0' }],
    },
    {
      name: 'empty metric name',
      input: { ...VALID, rules: [{ ...TT, metric: '' }] },
      issues: [
        {
          path: 'rules[0].metric',
          message: 'rules[0].metric: expected a string of at least 1 character, got ""',
        },
      ],
    },
    {
      name: 'negative tolerance',
      input: { ...VALID, rules: [{ ...TT, tolerance: -0.1 }] },
      issues: [
        { path: 'rules[0].tolerance', message: 'rules[0].tolerance: expected a number ≥ 0, got -0.1' },
      ],
    },
    {
      name: 'single tolerance above 1',
      input: { ...VALID, rules: [{ ...TT, tolerance: 2 }] },
      issues: [{ path: 'rules[0].tolerance', message: 'rules[0].tolerance: expected a number ≤ 1, got 2' }],
    },
    {
      // Neither a number nor an object: the union's own words.
      name: 'tolerance of the wrong type',
      input: { ...VALID, rules: [{ ...TT, tolerance: 'high' }] },
      issues: [
        {
          path: 'rules[0].tolerance',
          message:
            'rules[0].tolerance: expected a number in [0, 1], or { scaleUp, scaleDown } with scaleUp ≥ 0 and scaleDown in [0, 1], got "high"',
        },
      ],
    },
    {
      name: 'scale-down tolerance above 1',
      input: { ...VALID, rules: [{ ...TT, tolerance: { scaleDown: 1.5 } }] },
      issues: [
        {
          path: 'rules[0].tolerance.scaleDown',
          message: 'rules[0].tolerance.scaleDown: expected a number ≤ 1, got 1.5',
        },
      ],
    },
    {
      name: 'zero window',
      input: { ...VALID, rules: [{ ...TT, window: 0 }] },
      issues: [
        { path: 'rules[0].window', message: 'rules[0].window: expected a window longer than 0, got 0' },
      ],
    },
    {
      name: 'unknown statistic',
      input: { ...VALID, rules: [{ ...TT, statistic: 'p99' }] },
      issues: [
        {
          path: 'rules[0].statistic',
          message: 'rules[0].statistic: expected one of "average", "last", "max", "min", "sum", got "p99"',
        },
      ],
    },
    {
      name: 'duplicate rule names (two unnamed rules on one metric)',
      input: { ...VALID, rules: [TT, { ...TT, target: 0.8 }] },
      issues: [
        {
          path: 'rules[1].name',
          message:
            'rules[1].name: expected a name not used by rules[0] (give the rule a distinct `name`), got "target-tracking:cpu"',
        },
      ],
    },
    {
      name: 'duplicate rule names (an explicit name equal to another rule’s default)',
      input: { ...VALID, rules: [TT, { ...TT, metric: 'mem', name: 'target-tracking:cpu' }] },
      issues: [
        {
          path: 'rules[1].name',
          message:
            'rules[1].name: expected a name not used by rules[0] (give the rule a distinct `name`), got "target-tracking:cpu"',
        },
      ],
    },
    {
      name: 'rules that are not an array',
      input: { ...VALID, rules: {} },
      issues: [{ path: 'rules', message: 'rules: expected an array, got {}' }],
    },
    // --- durations ---
    {
      name: "bad duration string ('5 minutes')",
      input: { ...VALID, evaluationInterval: '5 minutes' },
      issues: [
        { path: 'evaluationInterval', message: `evaluationInterval: expected ${DURATION}, got "5 minutes"` },
      ],
    },
    {
      name: 'zero evaluationInterval',
      input: { ...VALID, evaluationInterval: 0 },
      issues: [
        {
          path: 'evaluationInterval',
          message: 'evaluationInterval: expected an interval longer than 0, got 0',
        },
      ],
    },
    {
      name: 'zero timeout',
      input: { ...VALID, timeouts: { metrics: 0 } },
      issues: [
        { path: 'timeouts.metrics', message: 'timeouts.metrics: expected a timeout longer than 0, got 0' },
      ],
    },
    {
      name: 'negative metricRetention',
      input: { ...VALID, metricRetention: -1 },
      issues: [{ path: 'metricRetention', message: `metricRetention: expected ${DURATION}, got -1` }],
    },
    // --- behavior ---
    {
      name: 'bad behavior policy type (Kubernetes "pods" is "units" here)',
      input: { ...VALID, behavior: { scaleUp: { policies: [{ type: 'pods', value: 4, period: '15s' }] } } },
      issues: [
        {
          path: 'behavior.scaleUp.policies[0].type',
          message: 'behavior.scaleUp.policies[0].type: expected one of "units", "percent", got "pods"',
        },
      ],
    },
    {
      name: 'policy value 0',
      input: {
        ...VALID,
        behavior: { scaleDown: { policies: [{ type: 'percent', value: 0, period: '1m' }] } },
      },
      issues: [
        {
          path: 'behavior.scaleDown.policies[0].value',
          message: 'behavior.scaleDown.policies[0].value: expected a number > 0, got 0',
        },
      ],
    },
    {
      name: 'non-integer policy value',
      input: {
        ...VALID,
        behavior: { scaleDown: { policies: [{ type: 'percent', value: 12.5, period: '1m' }] } },
      },
      issues: [
        {
          path: 'behavior.scaleDown.policies[0].value',
          message: 'behavior.scaleDown.policies[0].value: expected an integer, got 12.5',
        },
      ],
    },
    {
      name: 'zero policy period',
      input: { ...VALID, behavior: { scaleUp: { policies: [{ type: 'units', value: 4, period: 0 }] } } },
      issues: [
        {
          path: 'behavior.scaleUp.policies[0].period',
          message: 'behavior.scaleUp.policies[0].period: expected a period longer than 0, got 0',
        },
      ],
    },
    {
      name: 'an empty policy list',
      input: { ...VALID, behavior: { scaleUp: { policies: [] } } },
      issues: [
        {
          path: 'behavior.scaleUp.policies',
          message: 'behavior.scaleUp.policies: expected at least 1 item, got an empty array',
        },
      ],
    },
    {
      name: 'unknown selectPolicy',
      input: { ...VALID, behavior: { scaleDown: { selectPolicy: 'maximum' } } },
      issues: [
        {
          path: 'behavior.scaleDown.selectPolicy',
          message: 'behavior.scaleDown.selectPolicy: expected one of "max", "min", "disabled", got "maximum"',
        },
      ],
    },
    // --- the rest ---
    {
      name: 'cooldown of the wrong type',
      input: { ...VALID, cooldown: true },
      issues: [
        {
          path: 'cooldown',
          message: 'cooldown: expected a duration, or an object { scaleOut, scaleIn } of durations, got true',
        },
      ],
    },
    {
      name: 'unknown arbitration mode',
      input: { ...VALID, arbitration: 'min' },
      issues: [
        {
          path: 'arbitration',
          message:
            'arbitration: expected one of "max", "aws", "azure", "priority", { formula: string, window? } or { custom: function }, got "min"',
        },
      ],
    },
    {
      name: 'labels with non-string values',
      input: { ...VALID, labels: { team: 5 } },
      issues: [{ path: 'labels.team', message: 'labels.team: expected a string, got 5' }],
    },
    {
      name: 'labels: a key that is not an identifier is quoted in the path',
      input: { ...VALID, labels: { 'cost-center': true } },
      issues: [
        { path: 'labels["cost-center"]', message: 'labels["cost-center"]: expected a string, got true' },
      ],
    },
    {
      name: 'launchTemplate that is a function',
      input: { ...VALID, launchTemplate: () => ({ image: 'runner' }) },
      issues: [
        {
          path: 'launchTemplate',
          message:
            'launchTemplate: expected plain JSON data (no functions, NaN, Infinity or cycles), got a function',
        },
      ],
    },
    // --- not an object at all ---
    {
      name: 'non-object input (a string)',
      input: 'web',
      issues: [{ path: '', message: '(root): expected an object, got "web"' }],
    },
    {
      name: 'non-object input (null)',
      input: null,
      issues: [{ path: '', message: '(root): expected an object, got null' }],
    },
    {
      name: 'non-object input (an array)',
      input: [],
      issues: [{ path: '', message: '(root): expected an object, got an empty array' }],
    },
  ])('$name', ({ input, issues }) => {
    expect(brief(rejection(input))).toEqual(issues);
  });

  it('launchTemplate with a function nested inside is rejected at launchTemplate', () => {
    const error = rejection({ ...VALID, launchTemplate: { image: 'runner', onLaunch: () => 1 } });
    expect(error.issues.map((i) => i.path)).toEqual(['launchTemplate']);
    expect(error.issues[0]?.message).toMatch(
      /^launchTemplate: expected plain JSON data \(no functions, NaN, Infinity or cycles\), got /,
    );
  });

  it.each([
    { name: 'NaN inside', template: { cpu: Number.NaN } },
    { name: 'Infinity inside', template: { limits: [1, Number.POSITIVE_INFINITY] } },
    { name: 'a class instance (Date)', template: { createdAt: new Date(0) } },
    {
      name: 'a cycle',
      template: (() => {
        const t: Record<string, unknown> = { a: 1 };
        t.self = t;
        return t;
      })(),
    },
  ])('launchTemplate with $name is rejected', ({ template }) => {
    expect(rejection({ ...VALID, launchTemplate: template }).issues.map((i) => i.path)).toEqual([
      'launchTemplate',
    ]);
  });

  it('a ConfigError with code CONFIG_INVALID, in the TidewayError tree, with issue details', () => {
    const error = rejection({ id: 'web', minCapacity: 2, maxCapacity: 1 });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toBeInstanceOf(TidewayError);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.name).toBe('ConfigError');
    expect(error.message).toBe(
      'Invalid scaling group config: 1 problem\n  - maxCapacity: expected a number ≥ minCapacity (2), got 1',
    );
    expect(error.issues).toEqual([
      {
        path: 'maxCapacity',
        segments: ['maxCapacity'],
        code: 'custom',
        expected: 'a number ≥ minCapacity (2)',
        received: '1',
        message: 'maxCapacity: expected a number ≥ minCapacity (2), got 1',
      },
    ]);
  });

  it('an unknown key issue carries its segments, code and what was got', () => {
    const [issue] = rejection({ ...VALID, rules: [{ ...TT, tolerence: 0.2 }] }).issues;
    expect(issue).toMatchObject({
      path: 'rules[0].tolerence',
      segments: ['rules', 0, 'tolerence'],
      code: 'unrecognized_keys',
      received: '"tolerence"',
    });
  });
});

describe('validateGroupConfig: every problem at once', () => {
  it('reports all field problems in one error, not just the first', () => {
    const error = rejection({
      id: 'has space',
      minCapacity: -1,
      maxCapacity: 2.5,
      evaluationInterval: '5 minutes',
      labels: { team: 1 },
      rules: [{ ...TT, tolerence: 0.2 }],
      maxCapcity: 3,
    });
    expect(error.issues.map((i) => i.path).sort()).toEqual(
      [
        'evaluationInterval',
        'id',
        'labels.team',
        'maxCapacity',
        'maxCapcity',
        'minCapacity',
        'rules[0].tolerence',
      ].sort(),
    );
    expect(error.message.split('\n')[0]).toBe('Invalid scaling group config: 7 problems');
    expect(error.message.split('\n')).toHaveLength(8);
  });

  it('reports problems in several rules and in behavior together', () => {
    const error = rejection({
      ...VALID,
      rules: [{ ...TT, statistic: 'p99' }, { kind: 'no-such-kind' }, { ...TT, metric: 'mem', target: -1 }],
      behavior: { scaleUp: { selectPolicy: 'fastest' }, scaleDown: { policies: [] } },
    });
    expect(error.issues.map((i) => i.path).sort()).toEqual(
      [
        'behavior.scaleDown.policies',
        'behavior.scaleUp.selectPolicy',
        'rules[0].statistic',
        'rules[1].kind',
        'rules[2].target',
      ].sort(),
    );
  });

  it('reports a cross-field problem (min > max) together with an unknown key', () => {
    const error = rejection({ id: 'web', minCapacity: 5, maxCapacity: 2, maxCapcity: 3 });
    expect(error.issues.map((i) => i.path).sort()).toEqual(['maxCapacity', 'maxCapcity']);
  });

  it('reports a cross-field problem (min > max) together with a wrongly typed field', () => {
    // min 5 and max 2 are both valid numbers, so "max ≥ min" can be checked whatever `id` is.
    const error = rejection({ id: 42, minCapacity: 5, maxCapacity: 2 });
    expect(brief(error)).toEqual([
      { path: 'id', message: 'id: expected a string, got 42' },
      { path: 'maxCapacity', message: 'maxCapacity: expected a number ≥ minCapacity (5), got 2' },
    ]);
  });
});

describe('validateGroupConfig: valid config', () => {
  const K8S_BEHAVIOR = {
    scaleUp: {
      stabilizationWindow: 0,
      selectPolicy: 'max',
      policies: [
        { type: 'units', value: 4, period: 15_000 },
        { type: 'percent', value: 100, period: 15_000 },
      ],
    },
    scaleDown: {
      stabilizationWindow: 300_000,
      selectPolicy: 'max',
      policies: [{ type: 'percent', value: 100, period: 15_000 }],
    },
  };

  it('fills in the documented defaults', () => {
    expect(validateGroupConfig({ ...VALID, rules: [TT] })).toEqual({
      id: 'web',
      resourceType: 'unit',
      minCapacity: 1,
      maxCapacity: 10,
      rules: [
        {
          kind: 'target-tracking',
          metric: 'cpu',
          target: 0.6,
          tolerance: { scaleUp: 0.1, scaleDown: 0.1 },
          window: 60_000,
          statistic: 'average',
        },
      ],
      arbitration: 'max',
      compositeMetrics: {},
      schedules: [],
      schedulePrecedence: 'largest',
      profiles: [],
      behavior: K8S_BEHAVIOR,
      cooldown: { scaleOut: 0, scaleIn: 0 },
      evaluationInterval: 15_000,
      metricRetention: 86_400_000,
      timeouts: { metrics: 10_000, controller: 30_000 },
      labels: {},
    });
  });

  it('no rules → an empty list', () => {
    expect(validateGroupConfig(VALID).rules).toEqual([]);
  });

  it('scale to zero and a fixed size are allowed (min 0; min = max = desired)', () => {
    expect(validateGroupConfig({ id: 'z', minCapacity: 0, maxCapacity: 0 }).maxCapacity).toBe(0);
    expect(
      validateGroupConfig({ id: 'f', minCapacity: 3, maxCapacity: 3, desiredCapacity: 3 }).desiredCapacity,
    ).toBe(3);
  });

  const RICH = {
    id: 'ci-runners',
    name: 'CI runners',
    resourceType: 'runner',
    minCapacity: 0,
    maxCapacity: 40,
    desiredCapacity: 2,
    rules: [
      { ...TT, tolerance: 0.2, window: '2m', statistic: 'max' },
      {
        kind: 'target-tracking',
        name: 'queue',
        metric: 'queued_jobs',
        targetPerUnit: 1,
        tolerance: { scaleUp: 0.05 },
      },
      {
        kind: 'target-tracking',
        name: 'wide',
        metric: 'busy',
        target: 0.8,
        tolerance: { scaleUp: 2, scaleDown: 1 },
      },
    ],
    behavior: {
      scaleDown: { stabilizationWindow: '1m', policies: [{ type: 'percent', value: 50, period: '1m' }] },
    },
    cooldown: '30s',
    evaluationInterval: '10s',
    metricRetention: '1h',
    timeouts: { metrics: '5s' },
    labels: { team: 'build' },
    launchTemplate: { image: 'runner:1', tags: ['a', 'b'], cpu: 2, spot: true, zone: null },
  };

  it('turns durations into ms and shorthand into full objects', () => {
    const config = validateGroupConfig(RICH);
    expect(config.evaluationInterval).toBe(10_000);
    expect(config.metricRetention).toBe(3_600_000);
    expect(config.cooldown).toEqual({ scaleOut: 30_000, scaleIn: 30_000 });
    expect(config.timeouts).toEqual({ metrics: 5_000, controller: 30_000 });
    expect(config.rules[0]).toMatchObject({
      window: 120_000,
      statistic: 'max',
      tolerance: { scaleUp: 0.2, scaleDown: 0.2 },
    });
    expect(config.rules[1]).toMatchObject({ tolerance: { scaleUp: 0.05, scaleDown: 0.1 } });
    expect(config.rules[2]).toMatchObject({ tolerance: { scaleUp: 2, scaleDown: 1 } });
    expect(config.behavior).toEqual({
      scaleUp: K8S_BEHAVIOR.scaleUp,
      scaleDown: {
        stabilizationWindow: 60_000,
        selectPolicy: 'max',
        policies: [{ type: 'percent', value: 50, period: 60_000 }],
      },
    });
    expect(config.launchTemplate).toEqual(RICH.launchTemplate);
  });

  it.each([
    { name: 'minimal', input: VALID },
    { name: 'with a rule', input: { ...VALID, rules: [TT] } },
    { name: 'rich (durations, shorthand, per-side tolerance, template)', input: RICH },
  ])('is idempotent: validate(validate(x)) deep-equals validate(x) — $name', ({ input }) => {
    const once = validateGroupConfig(input);
    expect(validateGroupConfig(once)).toEqual(once);
  });

  it('does not modify its input', () => {
    const input = structuredClone(RICH);
    validateGroupConfig(input);
    expect(input).toEqual(RICH);
  });
});
