import { aggregate, STATISTICS, type Statistic } from './statistics.js';
import type { Observation } from './types.js';

/**
 * The formula language of `arbitration: { formula }` and `compositeMetrics`: numbers, names,
 * `+ - * / %` (also `× ÷ −`), comparisons, `&& || !`, `cond ? a : b`, `a ?? b`, and the functions
 * min, max, sum, avg, count, ceil, floor, round, abs and clamp. It is read by a hand-written
 * tokenizer and a Pratt parser into a tree that is walked to evaluate it: no `eval`, no
 * `Function`, and no property access of any kind, so a formula can reach nothing but the inputs
 * it is given. A name the formula may not use (`constructor`, `process`, …) is an error when
 * the formula is parsed.
 *
 * Values are numbers, booleans or *missing* (a failed rule, a metric without data, a division
 * by zero). Missing spreads through operators; `a ?? b` takes `b` when `a` is missing, and
 * min/max/sum/avg/count skip missing inputs.
 *
 * @example
 * const parsed = parseFormula('queue ?? cpu ?? 2', { names: ['queue', 'cpu'] });
 * if (parsed.ok) evaluateFormula(parsed.formula, { name: (n) => (n === 'cpu' ? 5 : undefined) }); // 5
 */
export type FormulaNode =
  | { readonly type: 'number'; readonly value: number; readonly column: number }
  | { readonly type: 'boolean'; readonly value: boolean; readonly column: number }
  | { readonly type: 'name'; readonly name: string; readonly column: number }
  | {
      readonly type: 'metric';
      readonly name: string;
      readonly statistic: Statistic;
      readonly column: number;
    }
  | { readonly type: 'item'; readonly column: number }
  | {
      readonly type: 'unary';
      readonly op: '-' | '!';
      readonly argument: FormulaNode;
      readonly column: number;
    }
  | {
      readonly type: 'binary';
      readonly op: BinaryOperator;
      readonly left: FormulaNode;
      readonly right: FormulaNode;
      readonly column: number;
    }
  | {
      readonly type: 'conditional';
      readonly test: FormulaNode;
      readonly then: FormulaNode;
      readonly otherwise: FormulaNode;
      readonly column: number;
    }
  | {
      readonly type: 'call';
      readonly fn: FormulaFunction;
      readonly args: readonly FormulaNode[];
      /** `count([..], { # > 1 })`: the predicate, where `#` is each item. */
      readonly predicate: FormulaNode | null;
      readonly column: number;
    };

type BinaryOperator =
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '<'
  | '<='
  | '>'
  | '>='
  | '=='
  | '!='
  | '&&'
  | '||'
  | '??';

/** The functions a formula may call. */
export type FormulaFunction =
  | 'min'
  | 'max'
  | 'sum'
  | 'avg'
  | 'count'
  | 'ceil'
  | 'floor'
  | 'round'
  | 'abs'
  | 'clamp';

const AGGREGATES = new Set<string>(['min', 'max', 'sum', 'avg', 'count']);
const UNARY_FUNCTIONS = new Set<string>(['ceil', 'floor', 'round', 'abs']);

/** A parsed formula: its source, its tree, and the names and metrics it reads. */
export interface Formula {
  /** The text as written. */
  readonly source: string;
  /** The parsed tree. */
  readonly root: FormulaNode;
  /** Names it reads (bare names and `rule("…")`), each once, in order of appearance. */
  readonly names: readonly string[];
  /** Metrics it reads through `metric("name", statistic?)`, each name once. */
  readonly metrics: readonly string[];
}

/** What a formula may refer to, checked when it is parsed. */
export interface FormulaScope {
  /** Names a bare identifier or `rule("…")` may use; absent allows any name. */
  readonly names?: readonly string[];
  /** Whether `metric("name")` is allowed. @default true */
  readonly metrics?: boolean;
  /** What the names are, for error messages. @default 'a known name' */
  readonly describeNames?: string;
}

/** Result of {@link parseFormula}: the formula, or where and why it is malformed. */
export type FormulaParseResult =
  | { readonly ok: true; readonly formula: Formula }
  | { readonly ok: false; readonly column: number; readonly message: string };

/** How a formula's inputs are looked up when it is evaluated; `undefined` means missing. */
export interface FormulaInputs {
  /** A bare name's (or `rule("…")`'s) value. */
  name(name: string): number | undefined;
  /** A metric's statistic; missing when not given. */
  metric?(name: string, statistic: Statistic): number | undefined;
}

/** The longest formula accepted, in characters. */
export const MAX_FORMULA_LENGTH = 2000;
const MAX_DEPTH = 64;

type TokenType = 'number' | 'name' | 'string' | 'op' | 'error' | 'end';
interface Token {
  readonly type: TokenType;
  readonly text: string;
  readonly value: number;
  readonly column: number;
}

const OPERATORS = [
  '??',
  '&&',
  '||',
  '==',
  '!=',
  '<=',
  '>=',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '!',
  '?',
  ':',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  '#',
];
const ALIASES: Readonly<Record<string, string>> = { '×': '*', '÷': '/', '−': '-' };

class ParseError extends Error {
  constructor(
    readonly column: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Split a formula into tokens. A character it cannot read ends the list with an `error` token, so
 * the parser reports problems in reading order (an unknown name before a bad character after it).
 */
function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const fail = (column: number, message: string): Token[] => {
    tokens.push({ type: 'error', text: message, value: 0, column });
    return tokens;
  };
  let i = 0;
  while (i < source.length) {
    const ch = source[i] as string;
    const column = i + 1;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
      continue;
    }
    if (isDigit(ch) || (ch === '.' && isDigit(source[i + 1] ?? ''))) {
      const match = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(source.slice(i)) as RegExpExecArray;
      const text = match[0];
      if (/^[A-Za-z_.]/.test(source[i + text.length] ?? '')) {
        return fail(column, `malformed number "${source.slice(i, i + text.length + 1)}"`);
      }
      tokens.push({ type: 'number', text, value: Number(text), column });
      i += text.length;
      continue;
    }
    if (/[A-Za-z_]/.test(ch)) {
      const text = (/^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i)) as RegExpExecArray)[0];
      tokens.push({ type: 'name', text, value: 0, column });
      i += text.length;
      continue;
    }
    if (ch === '"' || ch === "'") {
      const end = source.indexOf(ch, i + 1);
      if (end < 0) return fail(column, 'a string that is never closed');
      tokens.push({ type: 'string', text: source.slice(i + 1, end), value: 0, column });
      i = end + 1;
      continue;
    }
    const alias = ALIASES[ch];
    if (alias !== undefined) {
      tokens.push({ type: 'op', text: alias, value: 0, column });
      i++;
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (op === undefined) return fail(column, `unexpected character "${ch}"`);
    tokens.push({ type: 'op', text: op, value: 0, column });
    i += op.length;
  }
  tokens.push({ type: 'end', text: '', value: 0, column: source.length + 1 });
  return tokens;
}

function isDigit(ch: string): boolean {
  return ch >= '0' && ch <= '9';
}

const BINDING: Readonly<Record<string, number>> = {
  '??': 2,
  '||': 3,
  '&&': 4,
  '==': 5,
  '!=': 5,
  '<': 6,
  '<=': 6,
  '>': 6,
  '>=': 6,
  '+': 7,
  '-': 7,
  '*': 8,
  '/': 8,
  '%': 8,
};
const TERNARY = 1;
const UNARY = 9;

type ValueType = 'number' | 'boolean';

class Parser {
  private pos = 0;
  private depth = 0;
  private inPredicate = false;
  readonly names: string[] = [];
  readonly metrics: string[] = [];

  constructor(
    private readonly tokens: readonly Token[],
    private readonly scope: FormulaScope,
  ) {}

  parse(): FormulaNode {
    const root = this.expression(0);
    const next = this.peek();
    if (next.type !== 'end')
      throw new ParseError(next.column, `unexpected ${show(next)} after a complete expression`);
    return root;
  }

  private peek(): Token {
    const token = this.tokens[this.pos] as Token;
    if (token.type === 'error') throw new ParseError(token.column, token.text);
    return token;
  }

  private take(): Token {
    const token = this.peek();
    this.pos++;
    return token;
  }

  private expect(op: string, what: string): Token {
    const token = this.take();
    if (token.type !== 'op' || token.text !== op) {
      throw new ParseError(token.column, `expected "${op}" ${what}, got ${show(token)}`);
    }
    return token;
  }

  private expression(minBinding: number): FormulaNode {
    if (++this.depth > MAX_DEPTH)
      throw new ParseError(this.peek().column, `nesting deeper than ${MAX_DEPTH}`);
    let left = this.prefix();
    for (;;) {
      const token = this.peek();
      if (token.type !== 'op') break;
      if (token.text === '?') {
        if (TERNARY < minBinding) break;
        this.take();
        const then = this.expression(0);
        this.expect(':', 'between the two branches of "?"');
        // Right-associative: `a ? b : c ? d : e` is `a ? b : (c ? d : e)`.
        const otherwise = this.expression(TERNARY);
        left = this.typed({ type: 'conditional', test: left, then, otherwise, column: token.column });
        continue;
      }
      const binding = BINDING[token.text];
      if (binding === undefined || binding <= minBinding) break;
      this.take();
      const right = this.expression(binding);
      left = this.typed({
        type: 'binary',
        op: token.text as BinaryOperator,
        left,
        right,
        column: token.column,
      });
    }
    this.depth--;
    return left;
  }

  private prefix(): FormulaNode {
    const token = this.take();
    if (token.type === 'number') return { type: 'number', value: token.value, column: token.column };
    if (token.type === 'op' && (token.text === '-' || token.text === '!')) {
      const argument = this.expression(UNARY);
      return this.typed({ type: 'unary', op: token.text, argument, column: token.column });
    }
    if (token.type === 'op' && token.text === '(') {
      const inner = this.expression(0);
      this.expect(')', 'to close "("');
      return inner;
    }
    if (token.type === 'op' && token.text === '#') {
      if (!this.inPredicate)
        throw new ParseError(token.column, '"#" is only allowed inside a count predicate { … }');
      return { type: 'item', column: token.column };
    }
    if (token.type === 'name') {
      if (token.text === 'true' || token.text === 'false') {
        return { type: 'boolean', value: token.text === 'true', column: token.column };
      }
      // Look without reporting a bad token yet: an unknown name before it is the first problem.
      const next = this.tokens[this.pos] as Token;
      if (next.type === 'op' && next.text === '(') return this.call(token);
      return { type: 'name', name: this.useName(token.text, token.column), column: token.column };
    }
    throw new ParseError(token.column, `expected a number, a name or "(", got ${show(token)}`);
  }

  private useName(name: string, column: number): string {
    const allowed = this.scope.names;
    if (allowed !== undefined && !allowed.includes(name)) {
      const known =
        allowed.length > 0 ? ` (${allowed.map((n) => JSON.stringify(n)).join(', ')})` : ' (none here)';
      throw new ParseError(
        column,
        `unknown name "${name}"; expected ${this.scope.describeNames ?? 'a known name'}${known}`,
      );
    }
    if (!this.names.includes(name)) this.names.push(name);
    return name;
  }

  private call(nameToken: Token): FormulaNode {
    const fn = nameToken.text;
    const column = nameToken.column;
    this.take();
    if (fn === 'rule' || fn === 'metric') return this.reference(fn, column);
    if (!AGGREGATES.has(fn) && !UNARY_FUNCTIONS.has(fn) && fn !== 'clamp') {
      throw new ParseError(
        column,
        `unknown function "${fn}"; expected one of min, max, sum, avg, count, ceil, floor, round, abs, clamp, rule, metric`,
      );
    }
    const args: FormulaNode[] = [];
    let predicate: FormulaNode | null = null;
    const close = this.peek();
    if (close.type === 'op' && close.text === ')') {
      throw new ParseError(close.column, `${fn}() needs at least one argument`);
    }
    if (AGGREGATES.has(fn) && close.type === 'op' && close.text === '[') {
      // A list, as KEDA's expr-lang writes it: `count([a, b, c], { # > 1 })`.
      this.take();
      for (;;) {
        args.push(this.numberArgument(fn));
        const sep = this.take();
        if (sep.type === 'op' && sep.text === ']') break;
        if (sep.type !== 'op' || sep.text !== ',') {
          throw new ParseError(sep.column, `expected "," or "]" in the list, got ${show(sep)}`);
        }
      }
      const after = this.peek();
      if (after.type === 'op' && after.text === ',') {
        this.take();
        if (fn !== 'count') throw new ParseError(after.column, `${fn}() takes one list`);
        const open = this.expect('{', 'to start the predicate of count()');
        const saved = this.inPredicate;
        this.inPredicate = true;
        predicate = this.expression(0);
        this.inPredicate = saved;
        this.expect('}', 'to close the predicate of count()');
        if (typeOf(predicate) !== 'boolean') {
          throw new ParseError(open.column, 'the predicate of count() must be a comparison (true or false)');
        }
      }
      this.expect(')', `to close ${fn}(`);
    } else {
      for (;;) {
        args.push(this.numberArgument(fn));
        const sep = this.take();
        if (sep.type === 'op' && sep.text === ')') break;
        if (sep.type !== 'op' || sep.text !== ',') {
          throw new ParseError(sep.column, `expected "," or ")" in ${fn}(…), got ${show(sep)}`);
        }
      }
      const arity = UNARY_FUNCTIONS.has(fn) ? 1 : fn === 'clamp' ? 3 : 0;
      if (arity > 0 && args.length !== arity) {
        throw new ParseError(
          column,
          `${fn}() takes ${arity} argument${arity > 1 ? 's' : ''}, got ${args.length}`,
        );
      }
    }
    return { type: 'call', fn: fn as FormulaFunction, args, predicate, column };
  }

  private numberArgument(fn: string): FormulaNode {
    const node = this.expression(0);
    if (typeOf(node) !== 'number') {
      throw new ParseError(node.column, `${fn}() takes numbers, got a comparison (true or false)`);
    }
    return node;
  }

  private reference(fn: 'rule' | 'metric', column: number): FormulaNode {
    const nameToken = this.take();
    if (nameToken.type !== 'string') {
      throw new ParseError(nameToken.column, `${fn}() takes a quoted name, got ${show(nameToken)}`);
    }
    if (nameToken.text.length === 0) throw new ParseError(nameToken.column, `${fn}() takes a non-empty name`);
    let statistic: Statistic = 'last';
    if (fn === 'metric') {
      if (this.scope.metrics === false) {
        throw new ParseError(column, 'metric() cannot be used here');
      }
      const sep = this.peek();
      if (sep.type === 'op' && sep.text === ',') {
        this.take();
        const stat = this.take();
        if (stat.type !== 'string' || !(STATISTICS as readonly string[]).includes(stat.text)) {
          throw new ParseError(
            stat.column,
            `expected a statistic (${STATISTICS.map((s) => JSON.stringify(s)).join(', ')}), got ${show(stat)}`,
          );
        }
        statistic = stat.text as Statistic;
      }
    }
    this.expect(')', `to close ${fn}(`);
    if (fn === 'rule') {
      return { type: 'name', name: this.useName(nameToken.text, nameToken.column), column };
    }
    if (!this.metrics.includes(nameToken.text)) this.metrics.push(nameToken.text);
    return { type: 'metric', name: nameToken.text, statistic, column };
  }

  /** Check operand types as the node is built, so a type error points at its operator. */
  private typed(node: FormulaNode): FormulaNode {
    switch (node.type) {
      case 'unary':
        want(node.argument, node.op === '-' ? 'number' : 'boolean', `"${node.op}"`, node.column);
        break;
      case 'binary': {
        const op = node.op;
        if (op === '&&' || op === '||') {
          want(node.left, 'boolean', `"${op}"`, node.column);
          want(node.right, 'boolean', `"${op}"`, node.column);
        } else if (op === '==' || op === '!=' || op === '??') {
          if (typeOf(node.left) !== typeOf(node.right)) {
            throw new ParseError(node.column, `"${op}" needs the same kind of value on both sides`);
          }
        } else {
          want(node.left, 'number', `"${op}"`, node.column);
          want(node.right, 'number', `"${op}"`, node.column);
        }
        break;
      }
      case 'conditional':
        want(node.test, 'boolean', 'the condition of "?"', node.column);
        if (typeOf(node.then) !== typeOf(node.otherwise)) {
          throw new ParseError(node.column, 'both branches of "?" must give the same kind of value');
        }
        break;
      default:
        break;
    }
    return node;
  }
}

function want(node: FormulaNode, type: ValueType, what: string, column: number): void {
  if (typeOf(node) !== type) {
    throw new ParseError(
      column,
      type === 'number'
        ? `${what} needs numbers, got a comparison (true or false)`
        : `${what} needs a comparison (true or false), got a number`,
    );
  }
}

function typeOf(node: FormulaNode): ValueType {
  switch (node.type) {
    case 'boolean':
      return 'boolean';
    case 'unary':
      return node.op === '!' ? 'boolean' : 'number';
    case 'binary':
      switch (node.op) {
        case '<':
        case '<=':
        case '>':
        case '>=':
        case '==':
        case '!=':
        case '&&':
        case '||':
          return 'boolean';
        case '??':
          return typeOf(node.left);
        default:
          return 'number';
      }
    case 'conditional':
      return typeOf(node.then);
    default:
      return 'number';
  }
}

function show(token: Token): string {
  if (token.type === 'end') return 'the end of the formula';
  if (token.type === 'string') return `the string "${token.text}"`;
  return `"${token.text}"`;
}

/**
 * Parse a formula, checking that every name is in `scope` and every operand has the right kind
 * of value (numbers for arithmetic, comparisons for `&&`, `||`, `!` and `?`). Never throws: a
 * malformed formula comes back with the 1-based column of the problem and a message.
 *
 * @example
 * parseFormula('max(a, b) +', { names: ['a', 'b'] });
 * // { ok: false, column: 12, message: 'expected a number, a name or "(", got the end of the formula' }
 */
export function parseFormula(source: string, scope: FormulaScope = {}): FormulaParseResult {
  try {
    if (source.length > MAX_FORMULA_LENGTH) {
      throw new ParseError(MAX_FORMULA_LENGTH + 1, `a formula longer than ${MAX_FORMULA_LENGTH} characters`);
    }
    const parser = new Parser(tokenize(source), scope);
    const root = parser.parse();
    return { ok: true, formula: { source, root, names: parser.names, metrics: parser.metrics } };
  } catch (error) {
    if (error instanceof ParseError) return { ok: false, column: error.column, message: error.message };
    throw error;
  }
}

/**
 * The one-line description of a malformed formula used in config errors.
 *
 * @example
 * describeFormulaError({ ok: false, column: 3, message: 'unknown name "x"' }); // 'column 3: unknown name "x"'
 */
export function describeFormulaError(result: { readonly column: number; readonly message: string }): string {
  return `column ${result.column}: ${result.message}`;
}

type Value = number | boolean | undefined;

/**
 * Evaluate a parsed formula by walking its tree. Returns `undefined` when the result is missing
 * (a missing input not covered by `??`, a division by zero, a result that is not finite) and
 * for a formula that gives true/false rather than a number.
 *
 * @example
 * const parsed = parseFormula('(a + b) / 2');
 * if (parsed.ok) evaluateFormula(parsed.formula, { name: (n) => (n === 'a' ? 4 : 6) }); // 5
 */
export function evaluateFormula(formula: Formula, inputs: FormulaInputs): number | undefined {
  const value = evaluate(formula.root, inputs, undefined);
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function evaluate(node: FormulaNode, inputs: FormulaInputs, item: number | undefined): Value {
  switch (node.type) {
    case 'number':
    case 'boolean':
      return node.value;
    case 'item':
      return item;
    case 'name':
      return finite(inputs.name(node.name));
    case 'metric':
      return finite(inputs.metric?.(node.name, node.statistic));
    case 'unary': {
      const v = evaluate(node.argument, inputs, item);
      if (v === undefined) return undefined;
      return node.op === '-' ? -(v as number) : !v;
    }
    case 'conditional': {
      const test = evaluate(node.test, inputs, item);
      if (test === undefined) return undefined;
      return evaluate(test ? node.then : node.otherwise, inputs, item);
    }
    case 'binary':
      return binary(node.op, node.left, node.right, inputs, item);
    case 'call':
      return call(node, inputs, item);
  }
}

function finite(value: number | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function binary(
  op: BinaryOperator,
  leftNode: FormulaNode,
  rightNode: FormulaNode,
  inputs: FormulaInputs,
  item: number | undefined,
): Value {
  const left = evaluate(leftNode, inputs, item);
  if (op === '??') return left !== undefined ? left : evaluate(rightNode, inputs, item);
  if (left === undefined) return undefined;
  if (op === '&&' && left === false) return false;
  if (op === '||' && left === true) return true;
  const right = evaluate(rightNode, inputs, item);
  if (right === undefined) return undefined;
  if (op === '&&' || op === '||') return right;
  if (op === '==') return left === right;
  if (op === '!=') return left !== right;
  const a = left as number;
  const b = right as number;
  switch (op) {
    case '+':
      return finite(a + b);
    case '-':
      return finite(a - b);
    case '*':
      return finite(a * b);
    case '/':
      // Division by zero is missing, so `x / y ?? fallback` can recover from it.
      return b === 0 ? undefined : finite(a / b);
    case '%':
      return b === 0 ? undefined : a % b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
}

function call(
  node: Extract<FormulaNode, { type: 'call' }>,
  inputs: FormulaInputs,
  item: number | undefined,
): Value {
  const values = node.args.map((arg) => evaluate(arg, inputs, item) as number | undefined);
  switch (node.fn) {
    case 'ceil':
    case 'floor':
    case 'round':
    case 'abs': {
      const v = values[0];
      if (v === undefined) return undefined;
      return node.fn === 'abs' ? Math.abs(v) : Math[node.fn](v);
    }
    case 'clamp': {
      const [v, lo, hi] = values;
      if (v === undefined || lo === undefined || hi === undefined) return undefined;
      return Math.min(Math.max(v, lo), hi);
    }
    case 'count': {
      let n = 0;
      for (const v of values) {
        if (v === undefined) continue;
        if (node.predicate === null || evaluate(node.predicate, inputs, v) === true) n++;
      }
      return n;
    }
    default: {
      const present = values.filter((v): v is number => v !== undefined);
      if (present.length === 0) return undefined;
      if (node.fn === 'min') return Math.min(...present);
      if (node.fn === 'max') return Math.max(...present);
      const total = present.reduce((a, b) => a + b, 0);
      return finite(node.fn === 'sum' ? total : total / present.length);
    }
  }
}

const CACHE_LIMIT = 256;
const cache = new Map<string, FormulaParseResult>();

/**
 * {@link parseFormula} without a scope, remembered by source text: the pipeline parses each
 * tick's formula once, not once per tick. Deterministic (the cache only saves work).
 *
 * @example
 * const parsed = parseFormulaCached('max(a, b)');
 */
export function parseFormulaCached(source: string): FormulaParseResult {
  let result = cache.get(source);
  if (result === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    result = parseFormula(source);
    cache.set(source, result);
  }
  return result;
}

/**
 * How a formula reads `metric("name", statistic)`: the statistic of the samples newer than
 * `now − window`; missing without data.
 *
 * @example
 * metricReader(observation, 60_000)('cpu', 'average');
 */
export function metricReader(
  observation: Pick<Observation, 'now' | 'metrics'>,
  window: number,
): NonNullable<FormulaInputs['metric']> {
  return (name, statistic) => {
    const metric = Object.hasOwn(observation.metrics, name) ? observation.metrics[name] : undefined;
    if (metric === undefined || metric.status !== 'ok') return undefined;
    return aggregate(metric.samples, statistic, observation.now - window);
  };
}
