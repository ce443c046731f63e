import { describe, expect, it } from 'vitest';
import { validateGroupConfig } from '../../src/config/group.js';
import type { MetricObservation, Observation, Proposal } from '../../src/core/types.js';
import { ConfigError } from '../../src/errors.js';
import {
  type CustomRule,
  type CustomRuleContext,
  type CustomRuleFunction,
  type CustomRuleInput,
  customRuleSchema,
  proposeCustom,
} from '../../src/rules/custom.js';
import {
  metricQueries,
  proposeAll,
  proposeRule,
  type Rule,
  ruleMetricQueries,
  ruleName,
  ruleSchema,
} from '../../src/rules/registry.js';
import { AutoScalingManager } from '../../src/runtime/manager.js';
import { InMemoryMetricsProvider } from '../../src/testing/in-memory-metrics.js';
import { ManualClock } from '../../src/testing/manual-clock.js';
import { RecordingResourceController } from '../../src/testing/recording-controller.js';

const NOW = 1_000_000;

const rule = (propose: CustomRuleFunction, over: Partial<Omit<CustomRuleInput, 'kind' | 'propose'>> = {}) =>
  customRuleSchema.parse({ kind: 'custom', name: 'mine', propose, ...over });

/** Samples `ago` ms before NOW (oldest first), with the given values. */
const ok = (...points: [ago: number, value: number][]): MetricObservation => ({
  status: 'ok',
  samples: points.map(([ago, value]) => ({ timestamp: NOW - ago, value })),
});

const observe = (
  capacity: number,
  metrics: Observation['metrics'] = {},
  readyCapacity = capacity,
): Observation => ({
  now: NOW,
  capacity,
  readyCapacity,
  metrics,
});

describe('customRuleSchema', () => {
  it('fills in the defaults: no metrics; a metric is read over 60 s, aggregate only', () => {
    const propose = () => 1;
    expect(customRuleSchema.parse({ kind: 'custom', name: 'c', propose })).toEqual({
      kind: 'custom',
      name: 'c',
      metrics: [],
      propose,
    });
    expect(
      customRuleSchema.parse({ kind: 'custom', name: 'c', metrics: [{ name: 'qps' }], propose }).metrics,
    ).toEqual([{ name: 'qps', window: 60_000, perUnit: false }]);
  });
});

describe('proposeCustom: what the function returns', () => {
  it.each<{ name: string; output: ReturnType<CustomRuleFunction>; capacity: number; expected: Proposal }>([
    {
      name: 'a number above capacity',
      output: 6,
      capacity: 4,
      expected: {
        rule: 'mine',
        ruleIndex: 2,
        outcome: 'propose',
        capacity: 6,
        reason: 'AboveTarget',
        message: 'mine wants 6',
      },
    },
    {
      name: 'a number below capacity',
      output: 2,
      capacity: 4,
      expected: {
        rule: 'mine',
        ruleIndex: 2,
        outcome: 'propose',
        capacity: 2,
        reason: 'BelowTarget',
        message: 'mine wants 2',
      },
    },
    {
      name: 'the current capacity',
      output: 4,
      capacity: 4,
      expected: {
        rule: 'mine',
        ruleIndex: 2,
        outcome: 'propose',
        capacity: 4,
        reason: 'WithinTolerance',
        message: 'mine wants 4',
      },
    },
    {
      name: 'zero',
      output: 0,
      capacity: 4,
      expected: {
        rule: 'mine',
        ruleIndex: 2,
        outcome: 'propose',
        capacity: 0,
        reason: 'BelowTarget',
        message: 'mine wants 0',
      },
    },
    {
      // ⌈2.1⌉ = 3: a fraction of a unit still needs a whole unit.
      name: 'a fraction, rounded up',
      output: 2.1,
      capacity: 4,
      expected: {
        rule: 'mine',
        ruleIndex: 2,
        outcome: 'propose',
        capacity: 3,
        reason: 'BelowTarget',
        message: 'mine wants 3',
      },
    },
    {
      name: '{ capacity, message }: the message is kept',
      output: { capacity: 7, message: 'queue of 70 jobs' },
      capacity: 4,
      expected: {
        rule: 'mine',
        ruleIndex: 2,
        outcome: 'propose',
        capacity: 7,
        reason: 'AboveTarget',
        message: 'queue of 70 jobs',
      },
    },
    {
      name: '{ capacity } with no message: the default sentence',
      output: { capacity: 4.5 },
      capacity: 4,
      expected: {
        rule: 'mine',
        ruleIndex: 2,
        outcome: 'propose',
        capacity: 5,
        reason: 'AboveTarget',
        message: 'mine wants 5',
      },
    },
    {
      name: 'null: abstain',
      output: null,
      capacity: 4,
      expected: {
        rule: 'mine',
        ruleIndex: 2,
        outcome: 'abstain',
        reason: 'Abstained',
        message: 'mine abstained',
      },
    },
    {
      name: 'undefined: abstain',
      output: undefined,
      capacity: 4,
      expected: {
        rule: 'mine',
        ruleIndex: 2,
        outcome: 'abstain',
        reason: 'Abstained',
        message: 'mine abstained',
      },
    },
    {
      name: 'NaN: invalid',
      output: Number.NaN,
      capacity: 4,
      expected: {
        rule: 'mine',
        ruleIndex: 2,
        outcome: 'invalid',
        reason: 'RuleFailed',
        message: 'custom rule mine returned NaN; expected a number ≥ 0',
      },
    },
    {
      name: 'a negative number: invalid',
      output: -1,
      capacity: 4,
      expected: {
        rule: 'mine',
        ruleIndex: 2,
        outcome: 'invalid',
        reason: 'RuleFailed',
        message: 'custom rule mine returned -1; expected a number ≥ 0',
      },
    },
    {
      name: 'Infinity: invalid',
      output: Number.POSITIVE_INFINITY,
      capacity: 4,
      expected: {
        rule: 'mine',
        ruleIndex: 2,
        outcome: 'invalid',
        reason: 'RuleFailed',
        message: 'custom rule mine returned Infinity; expected a number ≥ 0',
      },
    },
    {
      name: '{ capacity: NaN }: invalid',
      output: { capacity: Number.NaN },
      capacity: 4,
      expected: {
        rule: 'mine',
        ruleIndex: 2,
        outcome: 'invalid',
        reason: 'RuleFailed',
        message: 'custom rule mine returned NaN; expected a number ≥ 0',
      },
    },
    {
      name: 'a string: invalid',
      output: '3' as unknown as number,
      capacity: 4,
      expected: {
        rule: 'mine',
        ruleIndex: 2,
        outcome: 'invalid',
        reason: 'RuleFailed',
        message: 'custom rule mine returned undefined; expected a number ≥ 0',
      },
    },
  ])('$name', ({ output, capacity, expected }) => {
    expect(
      proposeCustom(
        rule(() => output),
        2,
        observe(capacity),
      ),
    ).toEqual(expected);
  });

  it.each([
    { name: 'an Error', thrown: new Error('boom'), message: 'custom rule mine threw: boom' },
    { name: 'a string', thrown: 'no data', message: 'custom rule mine threw: no data' },
  ])('a function that throws $name is invalid (RuleFailed), never an exception', ({ thrown, message }) => {
    const proposal = proposeCustom(
      rule(() => {
        throw thrown;
      }),
      0,
      observe(3),
    );
    expect(proposal).toEqual({
      rule: 'mine',
      ruleIndex: 0,
      outcome: 'invalid',
      reason: 'RuleFailed',
      message,
    });
  });

  it('passes now, capacity and ready capacity', () => {
    let seen: Pick<CustomRuleContext, 'now' | 'capacity' | 'readyCapacity'> | undefined;
    proposeCustom(
      rule(({ now, capacity, readyCapacity }) => {
        seen = { now, capacity, readyCapacity };
        return null;
      }),
      0,
      observe(5, {}, 3),
    );
    expect(seen).toEqual({ now: NOW, capacity: 5, readyCapacity: 3 });
  });
});

describe('proposeCustom: what the function can read', () => {
  // The observation holds `qps` (three samples, 40, 20 and 10 s old) and `cpu`; the rule declares
  // only `qps`, over 30 s.
  const metrics = {
    qps: ok([40_000, 100], [20_000, 30], [10_000, 50]),
    cpu: ok([5_000, 0.7]),
  };
  const read = (f: (input: CustomRuleContext) => unknown, window: string | number = '30s'): unknown => {
    let out: unknown;
    proposeCustom(
      rule(
        (input) => {
          out = f(input);
          return null;
        },
        { metrics: [{ name: 'qps', window }] },
      ),
      0,
      observe(2, metrics),
    );
    return out;
  };

  it.each<{ name: string; f: (input: CustomRuleContext) => unknown; expected: unknown }>([
    // Inside (NOW − 30 s, NOW]: the samples 20 and 10 s old, values 30 and 50.
    { name: "value(name) is the last sample's value", f: ({ value }) => value('qps'), expected: 50 },
    {
      name: 'value(name, average) is over the declared window',
      f: ({ value }) => value('qps', 'average'),
      expected: 40,
    },
    {
      name: 'value(name, max) ignores the 40-s-old 100',
      f: ({ value }) => value('qps', 'max'),
      expected: 50,
    },
    { name: 'value(name, sum)', f: ({ value }) => value('qps', 'sum'), expected: 80 },
    { name: 'value(name, min)', f: ({ value }) => value('qps', 'min'), expected: 30 },
    {
      name: 'value of an undeclared metric is undefined',
      f: ({ value }) => value('cpu'),
      expected: undefined,
    },
    {
      name: 'metric() of an undeclared metric is missing',
      f: ({ metric }) => metric('cpu'),
      expected: { status: 'missing', samples: [] },
    },
    {
      name: 'metric() of a declared metric the observation lacks is missing',
      f: ({ metric }) => metric('nope'),
      expected: { status: 'missing', samples: [] },
    },
  ])('$name', ({ f, expected }) => {
    expect(read(f)).toEqual(expected);
  });

  it('value is undefined when the declared metric has no sample in its window', () => {
    // A 5-s window holds none of the samples (the newest is 10 s old).
    expect(read(({ value }) => value('qps'), '5s')).toBeUndefined();
  });

  it('value is undefined for a metric that failed or is missing', () => {
    for (const status of ['failed', 'missing'] as const) {
      let got: number | undefined = 0;
      proposeCustom(
        rule(
          ({ value }) => {
            got = value('qps');
            return null;
          },
          { metrics: [{ name: 'qps' }] },
        ),
        0,
        observe(1, { qps: { status, samples: [] } }),
      );
      expect(got).toBeUndefined();
    }
  });

  it('metric() of a declared metric holds only the samples inside its declared window', () => {
    // The manager fetches each metric over the widest window any rule asks for, so the
    // observation can hold older samples than this rule declared (here one 40 s old against a
    // 30-s window). The input's doc promises "samples inside the declared window".
    expect(read(({ metric }) => metric('qps'))).toEqual({
      status: 'ok',
      samples: [
        { timestamp: NOW - 20_000, value: 30 },
        { timestamp: NOW - 10_000, value: 50 },
      ],
    });
  });
});

describe('custom rules in the registry', () => {
  const propose: CustomRuleFunction = () => 3;
  const custom: Rule = ruleSchema.parse({
    kind: 'custom',
    name: 'queue',
    metrics: [
      { name: 'depth', window: '2m' },
      { name: 'utilization', perUnit: true },
    ],
    propose,
  });
  const tracking: Rule = ruleSchema.parse({ kind: 'target-tracking', metric: 'depth', targetPerUnit: 10 });

  it('goes by its name and reads the metrics it declares', () => {
    expect(ruleName(custom)).toBe('queue');
    expect(ruleMetricQueries(custom)).toEqual([
      { name: 'depth', window: 120_000, perUnit: false },
      { name: 'utilization', window: 60_000, perUnit: true },
    ]);
  });

  it('merges its metrics with other rules’ (widest window, perUnit if any asks)', () => {
    expect(metricQueries([tracking, custom])).toEqual([
      { name: 'depth', window: 120_000, perUnit: false },
      { name: 'utilization', window: 60_000, perUnit: true },
    ]);
  });

  it('is dispatched by proposeRule and proposeAll with its index', () => {
    const observation = observe(2, { depth: ok([1000, 25]) });
    expect(proposeRule(custom, 1, observation)).toMatchObject({ rule: 'queue', ruleIndex: 1, capacity: 3 });
    // depth 25 at 10 per unit: ⌈2.5⌉ = 3 for the target-tracking rule too.
    expect(proposeAll([tracking, custom], observation).map((p) => [p.rule, p.ruleIndex, p.capacity])).toEqual(
      [
        ['target-tracking:depth', 0, 3],
        ['queue', 1, 3],
      ],
    );
  });

  it('sees only its own window of a metric another rule reads over a wider one, in a running group', async () => {
    // qps = 1 every 10 s. A target-tracking rule reads qps over 2 min, the custom rule over 30 s
    // and proposes how many samples it was given. At 120 s its window (90 s, 120 s] holds the
    // samples at 100, 110 and 120 s: 3. (The target-tracking rule sees 1 against target 1 and
    // keeps 2.)
    const clock = new ManualClock(0);
    const samples = Array.from({ length: 13 }, (_, i) => ({ timestamp: i * 10_000, value: 1 }));
    const manager = new AutoScalingManager({
      metrics: new InMemoryMetricsProvider({ series: { qps: samples } }),
      controller: new RecordingResourceController({ clock, initial: 2 }),
      clock,
      scheduler: clock,
    });
    manager.registerScalingGroup({
      id: 'g',
      minCapacity: 0,
      maxCapacity: 20,
      rules: [
        { kind: 'target-tracking', metric: 'qps', target: 1, window: '2m' },
        {
          kind: 'custom',
          name: 'count',
          metrics: [{ name: 'qps', window: '30s' }],
          propose: ({ metric }) => metric('qps').samples.length,
        },
      ],
    });
    clock.advance(120_000);
    const decision = await manager.evaluate('g');
    expect(decision?.proposals.map((p) => [p.rule, p.capacity])).toEqual([
      ['target-tracking:qps', 2],
      ['count', 3],
    ]);
  });
});

describe('custom rule config validation', () => {
  const group = (rules: unknown[]) => ({ id: 'g', minCapacity: 0, maxCapacity: 5, rules });
  const issuesOf = (input: unknown): [string, string][] => {
    try {
      validateGroupConfig(input);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
      return (error as ConfigError).issues.map((i) => [i.path, i.message]);
    }
    throw new Error('expected the config to be rejected');
  };

  it.each<{ name: string; rules: unknown[]; expected: [string, string][] }>([
    {
      name: 'a missing name',
      rules: [{ kind: 'custom', propose: () => 1 }],
      expected: [['rules[0].name', 'rules[0].name: expected a string, got nothing']],
    },
    {
      name: 'an empty name',
      rules: [{ kind: 'custom', name: '', propose: () => 1 }],
      expected: [['rules[0].name', 'rules[0].name: expected a string of at least 1 character, got ""']],
    },
    {
      name: 'propose that is not a function',
      rules: [{ kind: 'custom', name: 'c', propose: 3 }],
      expected: [
        [
          'rules[0].propose',
          'rules[0].propose: expected a function (input) => capacity | { capacity, message } | null, got 3',
        ],
      ],
    },
    {
      name: 'no propose at all',
      rules: [{ kind: 'custom', name: 'c' }],
      expected: [
        [
          'rules[0].propose',
          'rules[0].propose: expected a function (input) => capacity | { capacity, message } | null, got nothing',
        ],
      ],
    },
    {
      name: 'a metric window of 0',
      rules: [{ kind: 'custom', name: 'c', metrics: [{ name: 'qps', window: 0 }], propose: () => 1 }],
      expected: [
        ['rules[0].metrics[0].window', 'rules[0].metrics[0].window: expected a window longer than 0, got 0'],
      ],
    },
    {
      name: 'a name another rule already uses',
      rules: [
        { kind: 'custom', name: 'c', propose: () => 1 },
        { kind: 'custom', name: 'c', propose: () => 2 },
      ],
      expected: [
        [
          'rules[1].name',
          'rules[1].name: expected a name not used by rules[0] (give the rule a distinct `name`), got "c"',
        ],
      ],
    },
  ])('rejects $name with a path', ({ rules, expected }) => {
    expect(issuesOf(group(rules))).toEqual(expected);
  });

  it('accepts a custom rule and keeps its function', () => {
    const propose: CustomRuleFunction = () => 1;
    const parsed = validateGroupConfig(group([{ kind: 'custom', name: 'c', propose }]));
    expect((parsed.rules[0] as CustomRule).propose).toBe(propose);
  });
});
