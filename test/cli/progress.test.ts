import { describe, expect, it } from 'vitest';
import { createProgress, progressLine } from '../../src/cli/progress.js';
import { fakeIo } from './fake-io.js';

describe('progressLine', () => {
  it.each([
    { name: 'nothing done', done: 0, total: 4, line: '[........] 0/4 runs' },
    { name: 'half done', done: 2, total: 4, line: '[####....] 2/4 runs' },
    { name: 'rounded to the nearest cell', done: 1, total: 3, line: '[###.....] 1/3 runs' },
    { name: 'all done', done: 4, total: 4, line: '[########] 4/4 runs' },
    { name: 'an empty total', done: 0, total: 0, line: '[########] 0/0 runs' },
  ])('$name', ({ done, total, line }) => {
    expect(progressLine(done, total, 'runs', 8)).toBe(line);
  });
});

describe('createProgress', () => {
  it('writes nothing when stderr is not a terminal', () => {
    const { io, err, raw } = fakeIo({}, { isTTY: false, stderrWrite: true });
    const progress = createProgress(io, 'x: ', 'runs');
    progress.status('working');
    progress.update(1, 2);
    progress.finish();
    expect(err).toEqual([]);
    expect(raw).toEqual([]);
  });

  it('erases the line only when it drew one', () => {
    const { io, raw } = fakeIo({}, { isTTY: true, stderrWrite: true });
    createProgress(io, 'x: ', 'runs').finish();
    expect(raw).toEqual([]);
  });
});
