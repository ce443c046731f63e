import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  type ConfigIssue,
  GroupNotFoundError,
  TidewayError,
  TimeoutError,
  toError,
} from '../src/errors.js';

function issue(path: string, message: string): ConfigIssue {
  return { path, segments: path === '' ? [] : [path], code: 'custom', expected: 'x', received: 'y', message };
}

describe('TidewayError', () => {
  it('carries a stable code, the message, the subclass name and the standard cause', () => {
    const cause = new Error('socket closed');
    const err = new TidewayError('CONTROLLER_FAILED', 'The controller failed.', { cause });
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe('CONTROLLER_FAILED');
    expect(err.message).toBe('The controller failed.');
    expect(err.name).toBe('TidewayError');
    expect(err.cause).toBe(cause);
  });

  it('has no cause when none is given', () => {
    const err = new TidewayError('ABORTED', 'Stopped.');
    expect('cause' in err).toBe(false);
  });
});

describe('ConfigError', () => {
  it.each([
    {
      name: 'one issue → singular "problem", default subject and code',
      issues: [issue('maxCapacity', 'maxCapacity: expected a number ≥ minCapacity (2), got 1')],
      options: {},
      code: 'CONFIG_INVALID',
      message:
        'Invalid configuration: 1 problem\n  - maxCapacity: expected a number ≥ minCapacity (2), got 1',
    },
    {
      name: 'two issues → plural, one indented line each, in order',
      issues: [issue('id', 'id: first'), issue('rules', 'rules: second')],
      options: { subject: 'scaling group config' },
      code: 'CONFIG_INVALID',
      message: 'Invalid scaling group config: 2 problems\n  - id: first\n  - rules: second',
    },
    {
      name: 'snapshot errors keep their own code',
      issues: [issue('', '(root): expected an object, got null')],
      options: { code: 'SNAPSHOT_INVALID' as const, subject: 'snapshot' },
      code: 'SNAPSHOT_INVALID',
      message: 'Invalid snapshot: 1 problem\n  - (root): expected an object, got null',
    },
    {
      name: 'argument errors keep their own code',
      issues: [issue('holdFor', 'holdFor: bad')],
      options: { code: 'ARGUMENT_INVALID' as const, subject: 'argument' },
      code: 'ARGUMENT_INVALID',
      message: 'Invalid argument: 1 problem\n  - holdFor: bad',
    },
  ])('$name', ({ issues, options, code, message }) => {
    const err = new ConfigError(issues, options);
    expect(err).toBeInstanceOf(TidewayError);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('ConfigError');
    expect(err.code).toBe(code);
    expect(err.message).toBe(message);
    expect(err.issues).toBe(issues);
  });
});

describe('GroupNotFoundError', () => {
  it('names the missing group in a sentence and keeps the id', () => {
    const err = new GroupNotFoundError('ci-runners');
    expect(err).toBeInstanceOf(TidewayError);
    expect(err.name).toBe('GroupNotFoundError');
    expect(err.code).toBe('GROUP_NOT_FOUND');
    expect(err.groupId).toBe('ci-runners');
    expect(err.message).toBe('No scaling group with id "ci-runners" is registered.');
  });
});

describe('TimeoutError', () => {
  it('says what timed out and after how long', () => {
    const err = new TimeoutError('metrics.read', 10_000);
    expect(err).toBeInstanceOf(TidewayError);
    expect(err.name).toBe('TimeoutError');
    expect(err.code).toBe('TIMEOUT');
    expect(err.timeout).toBe(10_000);
    expect(err.message).toBe('metrics.read did not finish within 10000 ms.');
  });
});

describe('toError', () => {
  it('returns an Error unchanged (same instance)', () => {
    const original = new TypeError('bad');
    expect(toError(original)).toBe(original);
  });

  const circular: Record<string, unknown> = {};
  circular.self = circular;

  it.each([
    { name: 'a string becomes the message', value: 'boom', message: 'boom' },
    { name: 'an object is rendered as JSON', value: { code: 42 }, message: '{"code":42}' },
    { name: 'a number is rendered as JSON', value: 7, message: '7' },
    { name: 'null is rendered as JSON', value: null, message: 'null' },
    { name: 'undefined (JSON gives nothing) falls back to String()', value: undefined, message: 'undefined' },
    { name: 'a bigint (JSON throws) falls back to String()', value: 10n, message: '10' },
    { name: 'a cycle (JSON throws) falls back to String()', value: circular, message: '[object Object]' },
  ])('$name', ({ value, message }) => {
    const err = toError(value);
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toBe(message);
    expect(err.cause).toBe(value);
  });
});
