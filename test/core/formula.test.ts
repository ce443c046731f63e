import { describe, expect, it } from 'vitest';
import {
  evaluateFormula,
  type FormulaInputs,
  MAX_FORMULA_LENGTH,
  metricReader,
  parseFormula,
} from '../../src/core/formula.js';

function run(
  source: string,
  values: Record<string, number | undefined>,
  metrics: FormulaInputs['metric'] = undefined,
) {
  const parsed = parseFormula(source);
  if (!parsed.ok) throw new Error(`${source}: column ${parsed.column}: ${parsed.message}`);
  return evaluateFormula(parsed.formula, {
    name: (n) => (Object.hasOwn(values, n) ? values[n] : undefined),
    ...(metrics === undefined ? {} : { metric: metrics }),
  });
}

describe('evaluateFormula', () => {
  it.each([
    { name: 'precedence: 2 + 3 × 4 = 14', source: '2 + 3 * 4', values: {}, expected: 14 },
    { name: 'parentheses: (2 + 3) × 4 = 20', source: '(2 + 3) * 4', values: {}, expected: 20 },
    { name: 'left-associative: 10 − 4 − 3 = 3', source: '10 - 4 - 3', values: {}, expected: 3 },
    { name: 'left-associative: 24 / 4 / 2 = 3', source: '24 / 4 / 2', values: {}, expected: 3 },
    { name: 'unicode operators: 10 − 2 × 3 ÷ 2 = 7', source: '10 − 2 × 3 ÷ 2', values: {}, expected: 7 },
    { name: 'modulo: 17 % 5 = 2', source: '17 % 5', values: {}, expected: 2 },
    { name: 'unary minus binds tighter than ×: -2 * 3 = -6', source: '-2 * 3', values: {}, expected: -6 },
    {
      name: 'decimal and exponent literals: .5 + 1e1 = 10.5',
      source: '.5 + 1e1',
      values: {},
      expected: 10.5,
    },
    { name: 'names: a + b', source: 'a + b', values: { a: 2, b: 5 }, expected: 7 },
    {
      name: 'rule("name") for names that are not identifiers',
      source: 'rule("step:cpu") * 2',
      values: { 'step:cpu': 3 },
      expected: 6,
    },
    { name: 'ternary true branch', source: 'a > 2 ? 10 : 20', values: { a: 3 }, expected: 10 },
    { name: 'ternary false branch', source: 'a > 2 ? 10 : 20', values: { a: 2 }, expected: 20 },
    {
      name: 'chained ternary is right-associative',
      source: 'a > 5 ? 1 : a > 2 ? 2 : 3',
      values: { a: 3 },
      expected: 2,
    },
    {
      name: '&& and ||: (a > 1 && b > 1) || a == 0',
      source: 'a > 1 && b > 1 || a == 0 ? 1 : 0',
      values: { a: 2, b: 0 },
      expected: 0,
    },
    { name: '! negates a comparison', source: '!(a > 1) ? 1 : 0', values: { a: 0 }, expected: 1 },
    { name: '== and != compare numbers', source: 'a == 2 && a != 3 ? 1 : 0', values: { a: 2 }, expected: 1 },
    { name: '?? takes the left value when present', source: 'a ?? 9', values: { a: 4 }, expected: 4 },
    { name: '?? skips a missing value', source: 'a ?? b ?? 9', values: { b: 5 }, expected: 5 },
    { name: '?? reaches the literal when all are missing', source: 'a ?? b ?? 9', values: {}, expected: 9 },
    { name: 'a missing input spreads through +', source: 'a + 1', values: {}, expected: undefined },
    {
      name: 'division by zero is missing, and ?? recovers',
      source: 'a / b ?? 3',
      values: { a: 1, b: 0 },
      expected: 3,
    },
    { name: 'modulo by zero is missing', source: 'a % 0', values: { a: 1 }, expected: undefined },
    { name: 'min skips missing inputs', source: 'min(a, b, c)', values: { a: 4, c: 2 }, expected: 2 },
    { name: 'max of a list', source: 'max([a, b])', values: { a: 4, b: 7 }, expected: 7 },
    {
      name: 'avg skips missing inputs: (2 + 6) / 2',
      source: 'avg(a, b, c)',
      values: { a: 2, c: 6 },
      expected: 4,
    },
    { name: 'sum', source: 'sum(a, b, 1)', values: { a: 2, b: 3 }, expected: 6 },
    { name: 'min of only missing inputs is missing', source: 'min(a, b)', values: {}, expected: undefined },
    { name: 'count counts present inputs', source: 'count(a, b, c)', values: { a: 0, c: 1 }, expected: 2 },
    { name: 'ceil(2.1) = 3', source: 'ceil(2.1)', values: {}, expected: 3 },
    { name: 'floor(2.9) = 2', source: 'floor(2.9)', values: {}, expected: 2 },
    { name: 'round(2.5) = 3', source: 'round(2.5)', values: {}, expected: 3 },
    { name: 'abs(-4) = 4', source: 'abs(-4)', values: {}, expected: 4 },
    { name: 'clamp(12, 0, 10) = 10', source: 'clamp(12, 0, 10)', values: {}, expected: 10 },
    { name: 'clamp(-1, 0, 10) = 0', source: 'clamp(a, 0, 10)', values: { a: -1 }, expected: 0 },
    {
      name: 'a formula giving true/false has no number',
      source: 'a > 1',
      values: { a: 2 },
      expected: undefined,
    },
    {
      name: 'a non-finite input is missing',
      source: 'a ?? 1',
      values: { a: Number.POSITIVE_INFINITY },
      expected: 1,
    },
  ])('$name', ({ source, values, expected }) => {
    expect(run(source, values as Record<string, number | undefined>)).toBe(expected);
  });

  it('reads metrics through metric("name", statistic), "last" by default', () => {
    const seen: string[] = [];
    const value = run('metric("http.requests") + metric("cpu", "average")', {}, (name, statistic) => {
      seen.push(`${name}/${statistic}`);
      return name === 'cpu' ? 0.5 : 100;
    });
    expect(value).toBe(100.5);
    expect(seen).toEqual(['http.requests/last', 'cpu/average']);
  });

  it('metricReader takes the statistic over the window and is missing without data', () => {
    const read = metricReader(
      {
        now: 100_000,
        metrics: {
          cpu: {
            status: 'ok',
            samples: [
              { timestamp: 10_000, value: 100 },
              { timestamp: 50_000, value: 2 },
              { timestamp: 90_000, value: 4 },
            ],
          },
          down: { status: 'failed', samples: [], error: 'timeout' },
        },
      },
      60_000,
    );
    // The sample at 10 000 is older than now − window = 40 000.
    expect(read('cpu', 'average')).toBe(3);
    expect(read('cpu', 'last')).toBe(4);
    expect(read('down', 'last')).toBeUndefined();
    expect(read('absent', 'last')).toBeUndefined();
    expect(read('constructor', 'last')).toBeUndefined();
  });
});

// KEDA scalingModifiers examples (peer-vectors.json), written in the same syntax as KEDA's
// expr-lang formulas. Source: https://keda.sh/docs/2.21/concepts/scaling-deployments/
describe('KEDA scalingModifiers formulas (peer vectors)', () => {
  it.each([
    {
      name: 'keda-scaling-modifiers-average: (trig_one + trig_two)/2 with 3 and 7 → 5',
      values: { trig_one: 3, trig_two: 7 },
      expected: 5,
    },
  ])('$name', ({ values, expected }) => {
    expect(run('(trig_one + trig_two)/2', values)).toBe(expected);
  });

  it.each([
    {
      name: 'keda-scaling-modifiers-ternary: trig_one 3 > 2 → 3 + 4 = 7',
      values: { trig_one: 3, trig_two: 4 },
      expected: 7,
    },
    {
      name: 'keda-scaling-modifiers-ternary: trig_one 2 is not > 2 → 1',
      values: { trig_one: 2, trig_two: 4 },
      expected: 1,
    },
  ])('$name', ({ values, expected }) => {
    expect(run('trig_one > 2 ? trig_one + trig_two : 1', values)).toBe(expected);
  });

  it.each([
    {
      name: 'keda-scaling-modifiers-count: two of three above 1 → 5',
      values: { trig_one: 2, trig_two: 3, trig_three: 0 },
      expected: 5,
    },
    {
      name: 'keda-scaling-modifiers-count: one of three above 1 → 0',
      values: { trig_one: 2, trig_two: 1, trig_three: 0 },
      expected: 0,
    },
    {
      name: 'keda-scaling-modifiers-count: all three above 1 → 5',
      values: { trig_one: 2, trig_two: 2, trig_three: 2 },
      expected: 5,
    },
  ])('$name', ({ values, expected }) => {
    expect(run('count([trig_one,trig_two,trig_three],{#>1}) > 1 ? 5 : 0', values)).toBe(expected);
  });

  it.each([
    {
      name: 'keda-scaling-modifiers-nested: trig_one < 2 and sum ≥ 2 → 5',
      values: { trig_one: 1, trig_two: 1 },
      expected: 5,
    },
    {
      name: 'keda-scaling-modifiers-nested: only trig_one < 2 → 10',
      values: { trig_one: 1, trig_two: 0 },
      expected: 10,
    },
    {
      name: 'keda-scaling-modifiers-nested: trig_one ≥ 2 → 0',
      values: { trig_one: 2, trig_two: 5 },
      expected: 0,
    },
  ])('$name', ({ values, expected }) => {
    expect(run('trig_one < 2 ? trig_one+trig_two >= 2 ? 5 : 10 : 0', values)).toBe(expected);
  });

  // https://keda.sh/docs/2.21/reference/scaledobject-spec/ — failing triggers are nil in the formula.
  it.each([
    {
      name: 'keda-fallback-nil-coalescing: bestHealthy uses best_metric',
      values: { best_metric: 1, slower_metric: 2, metric_backup: 3 },
      expected: 1,
    },
    {
      name: 'keda-fallback-nil-coalescing: bestFailing uses slower_metric',
      values: { slower_metric: 2, metric_backup: 3 },
      expected: 2,
    },
    {
      name: 'keda-fallback-nil-coalescing: bestAndSlowerFailing uses metric_backup',
      values: { metric_backup: 3 },
      expected: 3,
    },
    { name: 'keda-fallback-nil-coalescing: allFailing gives the literal 8', values: {}, expected: 8 },
  ])('$name', ({ values, expected }) => {
    expect(run('best_metric ?? slower_metric ?? metric_backup ?? 8', values)).toBe(expected);
  });

  it('keda-fallback-nil-coalescing: allFailingWithoutLiteral has no value (the caller falls back)', () => {
    expect(run('best_metric ?? slower_metric ?? metric_backup', {})).toBeUndefined();
  });
});

describe('parseFormula rejects malformed and unsafe formulas with a column', () => {
  it.each([
    {
      name: 'a dangling operator',
      source: 'a +',
      column: 4,
      message: 'expected a number, a name or "(", got the end of the formula',
    },
    {
      name: 'an unclosed parenthesis',
      source: '(a + 1',
      column: 7,
      message: 'expected ")" to close "(", got the end of the formula',
    },
    {
      name: 'two values side by side',
      source: 'a b',
      column: 3,
      message: 'unexpected "b" after a complete expression',
    },
    { name: 'an unknown character', source: 'a $ b', column: 3, message: 'unexpected character "$"' },
    {
      name: 'property access is not part of the language',
      source: 'a.constructor',
      column: 2,
      message: 'unexpected character "."',
    },
    {
      name: 'brackets after a name are not indexing',
      source: 'a["x"]',
      column: 2,
      message: 'unexpected "[" after a complete expression',
    },
    { name: 'a malformed number', source: '1.2.3', column: 1, message: 'malformed number "1.2."' },
    {
      name: 'an unknown function',
      source: 'eval("1")',
      column: 1,
      message:
        'unknown function "eval"; expected one of min, max, sum, avg, count, ceil, floor, round, abs, clamp, rule, metric',
    },
    {
      name: 'Function is an unknown function',
      source: 'Function("return 1")',
      column: 1,
      message:
        'unknown function "Function"; expected one of min, max, sum, avg, count, ceil, floor, round, abs, clamp, rule, metric',
    },
    { name: 'a wrong arity', source: 'clamp(1, 2)', column: 1, message: 'clamp() takes 3 arguments, got 2' },
    { name: 'no arguments', source: 'max()', column: 5, message: 'max() needs at least one argument' },
    {
      name: 'arithmetic on a comparison',
      source: '(a > 1) + 2',
      column: 9,
      message: '"+" needs numbers, got a comparison (true or false)',
    },
    {
      name: 'a number as a condition',
      source: 'a ? 1 : 2',
      column: 3,
      message: 'the condition of "?" needs a comparison (true or false), got a number',
    },
    {
      name: 'branches of different kinds',
      source: 'a > 1 ? 1 : a > 2',
      column: 7,
      message: 'both branches of "?" must give the same kind of value',
    },
    {
      name: '&& on numbers',
      source: 'a && 1',
      column: 3,
      message: '"&&" needs a comparison (true or false), got a number',
    },
    {
      name: '# outside a predicate',
      source: '# + 1',
      column: 1,
      message: '"#" is only allowed inside a count predicate { … }',
    },
    { name: 'a predicate on max', source: 'max([a], {# > 1})', column: 8, message: 'max() takes one list' },
    {
      name: 'a predicate that is not a comparison',
      source: 'count([a], {# + 1})',
      column: 12,
      message: 'the predicate of count() must be a comparison (true or false)',
    },
    {
      name: 'an unknown statistic',
      source: 'metric("cpu", "p99")',
      column: 15,
      message: 'expected a statistic ("average", "last", "max", "min", "sum"), got the string "p99"',
    },
    {
      name: 'metric() without a quoted name',
      source: 'metric(cpu)',
      column: 8,
      message: 'metric() takes a quoted name, got "cpu"',
    },
    {
      name: 'an unclosed string',
      source: 'metric("cpu)',
      column: 8,
      message: 'a string that is never closed',
    },
  ])('$name', ({ source, column, message }) => {
    expect(parseFormula(source)).toEqual({ ok: false, column, message });
  });

  it.each(['constructor', '__proto__', 'globalThis', 'process', 'this', 'prototype', 'toString'])(
    'the global-looking name %s is just an unknown name',
    (name) => {
      const result = parseFormula(`${name} + 1`, { names: ['cpu'], describeNames: 'a rule name' });
      expect(result).toEqual({
        ok: false,
        column: 1,
        message: `unknown name "${name}"; expected a rule name ("cpu")`,
      });
    },
  );

  it('a name is looked up only through the inputs given, never on an object', () => {
    // Even without a scope, a name is whatever `inputs.name` says; nothing else is reachable.
    expect(run('constructor ?? 1', {})).toBe(1);
    expect(run('__proto__ ?? 2', {})).toBe(2);
  });

  it('rejects formulas longer than the limit and nesting deeper than 64', () => {
    expect(parseFormula(`${'1+'.repeat(MAX_FORMULA_LENGTH)}1`).ok).toBe(false);
    const deep = parseFormula(`${'('.repeat(100)}1${')'.repeat(100)}`);
    expect(deep).toMatchObject({ ok: false, message: 'nesting deeper than 64' });
    expect(parseFormula(`${'('.repeat(30)}1${')'.repeat(30)}`).ok).toBe(true);
  });

  it('lists the names and metrics a formula reads, once each', () => {
    const parsed = parseFormula('a + rule("b:c") + a + metric("m") + metric("m", "max")');
    expect(parsed.ok && parsed.formula.names).toEqual(['a', 'b:c']);
    expect(parsed.ok && parsed.formula.metrics).toEqual(['m']);
  });

  it('metric() can be forbidden by the scope', () => {
    expect(parseFormula('metric("x")', { metrics: false })).toEqual({
      ok: false,
      column: 1,
      message: 'metric() cannot be used here',
    });
  });
});
