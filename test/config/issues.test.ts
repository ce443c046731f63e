/**
 * describeValue: how every "got …" in an error message renders the value it was given.
 */
import { describe, expect, it } from 'vitest';
import { describeValue } from '../../src/config/issues.js';

describe('describeValue', () => {
  it.each([
    { name: 'undefined', value: undefined, text: 'nothing' },
    { name: 'null', value: null, text: 'null' },
    { name: 'NaN', value: Number.NaN, text: 'NaN' },
    { name: 'a number', value: -2.5, text: '-2.5' },
    { name: 'a string, quoted', value: '5 m', text: '"5 m"' },
    { name: 'a long string, cut', value: 'x'.repeat(80), text: `"${'x'.repeat(57)}..."` },
    { name: 'a bigint', value: 12n, text: '12n' },
    { name: 'a function', value: () => 1, text: 'a function' },
    { name: 'an empty array', value: [], text: 'an empty array' },
    { name: 'an array of one', value: [1], text: 'an array of 1 item' },
    { name: 'an array of three', value: [1, 2, 3], text: 'an array of 3 items' },
    { name: 'a small object, as JSON', value: { a: 1 }, text: '{"a":1}' },
    {
      name: 'a large object, cut',
      value: { description: 'y'.repeat(80) },
      text: `{"description":"${'y'.repeat(41)}...`,
    },
    { name: 'an object JSON would show as {}', value: { read: () => 1 }, text: 'an object with key read' },
    {
      name: 'an object of many functions',
      value: { a() {}, b() {}, c() {}, d() {}, e() {}, f() {} },
      text: 'an object with keys a, b, c, d, e, …',
    },
    { name: 'an empty object', value: {}, text: '{}' },
  ])('$name → $text', ({ value, text }) => {
    expect(describeValue(value)).toBe(text);
  });

  it('a cyclic object is "an object"', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(describeValue(cyclic)).toBe('an object');
  });
});
