import { describe, expect, it } from 'vitest';
import {
  durationOption,
  integerOption,
  listOption,
  positiveNumberOption,
  UsageError,
} from '../../src/cli/args.js';

describe('listOption', () => {
  it.each([
    { name: 'not given', values: undefined, items: [] },
    { name: 'one value', values: ['react'], items: ['react'] },
    { name: 'comma-separated', values: ['hpa-like,react'], items: ['hpa-like', 'react'] },
    { name: 'repeated and comma-separated', values: ['30s,5m', '1m'], items: ['30s', '5m', '1m'] },
    { name: 'spaces and blank items', values: [' a , ,b,'], items: ['a', 'b'] },
  ])('$name', ({ values, items }) => {
    expect(listOption(values)).toEqual(items);
  });
});

describe('option values', () => {
  it.each([
    { name: 'a duration', parse: () => durationOption('--delay', '90s'), value: '90s' },
    { name: 'a compound duration', parse: () => durationOption('--delay', '1h30m'), value: '1h30m' },
    { name: 'zero without a unit', parse: () => durationOption('--delay', '0'), value: 0 },
    {
      name: 'a decimal capacity',
      parse: () => positiveNumberOption('--capacity-per-unit', '2.5'),
      value: 2.5,
    },
    {
      name: 'a capacity in exponent form',
      parse: () => positiveNumberOption('--capacity-per-unit', '1e3'),
      value: 1000,
    },
    { name: 'a negative seed', parse: () => integerOption('--seed', '-3'), value: -3 },
  ])('reads $name', ({ parse, value }) => {
    expect(parse()).toBe(value);
  });

  it.each([
    {
      name: 'a number without a unit',
      parse: () => durationOption('--delay', '90'),
      message: '--delay: expected a duration such as "90s", "5m", "1h" or "1d", got "90"',
    },
    {
      name: 'a word',
      parse: () => durationOption('--warmup', 'a day'),
      message: '--warmup: expected a duration such as "90s", "5m", "1h" or "1d", got "a day"',
    },
    {
      name: 'a negative capacity',
      parse: () => positiveNumberOption('--capacity-per-unit', '-1'),
      message: '--capacity-per-unit: expected a number > 0, got "-1"',
    },
    {
      name: 'a hexadecimal capacity',
      parse: () => positiveNumberOption('--capacity-per-unit', '0x10'),
      message: '--capacity-per-unit: expected a number > 0, got "0x10"',
    },
    {
      name: 'an empty seed',
      parse: () => integerOption('--seed', ''),
      message: '--seed: expected a whole number, got ""',
    },
  ])('refuses $name with a UsageError', ({ parse, message }) => {
    expect(parse).toThrow(UsageError);
    expect(parse).toThrow(message);
  });
});
