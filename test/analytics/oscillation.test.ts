/**
 * detectOscillation: reversals between consecutive actions within a window, and flapping.
 */
import { describe, expect, it } from 'vitest';
import { detectOscillation } from '../../src/analytics/oscillation.js';
import { expectRangeError, History, s } from './history.js';

// web, in seconds: out@0 (1→2), in@100 (2→1), out@150 (1→3), in@700 (3→2), out@720 (2→4), out@800 (4→5).
// Consecutive pairs and gaps: out→in 100 s (R1), in→out 50 s (R2), out→in 550 s, in→out 20 s (R3),
// out→out (same direction, never a reversal).
const web = new History()
  .action(s(0), 1, 1, 2)
  .action(s(100), 2, 2, 1)
  .action(s(150), 3, 1, 3)
  .action(s(700), 4, 3, 2)
  .action(s(720), 5, 2, 4)
  .action(s(800), 6, 4, 5);

describe('detectOscillation', () => {
  it.each([
    {
      // R1, R2, R3 ≤ 300 s; R1 + R2 fit in one window (0 → 150 s = 150 s ≤ 300 s): flapping from 150 s.
      // R2 + R3 span 100 → 720 s = 620 s: not together. Most in a window: 2.
      name: '5-minute window: three reversals, flapping',
      window: '5m',
      minReversals: undefined,
      count: 3,
      gaps: [100, 50, 20],
      group: { reversals: 3, maxReversalsInWindow: 2, flapping: true, flappingSince: s(150) },
    },
    {
      name: '5-minute window, three needed: not flapping',
      window: 300_000,
      minReversals: 3,
      count: 3,
      gaps: [100, 50, 20],
      group: { reversals: 3, maxReversalsInWindow: 2, flapping: false, flappingSince: null },
    },
    {
      // The window is inclusive: R1's 100 s gap counts. R1 + R2 span 150 s > 100 s: never two at once.
      name: '100-second window: reversals, no flapping',
      window: '100s',
      minReversals: undefined,
      count: 3,
      gaps: [100, 50, 20],
      group: { reversals: 3, maxReversalsInWindow: 1, flapping: false, flappingSince: null },
    },
    {
      name: '99-second window: R1 is too slow to count',
      window: 99_000,
      minReversals: undefined,
      count: 2,
      gaps: [50, 20],
      group: { reversals: 2, maxReversalsInWindow: 1, flapping: false, flappingSince: null },
    },
    {
      // The 550 s out→in pair counts too; R1..R4 then span 0 → 720 s ≤ 15 min: four in one window.
      name: '15-minute window: four reversals',
      window: '15m',
      minReversals: 4,
      count: 4,
      gaps: [100, 50, 550, 20],
      group: { reversals: 4, maxReversalsInWindow: 4, flapping: true, flappingSince: s(720) },
    },
  ])('$name', ({ window, minReversals, count, gaps, group }) => {
    const report = detectOscillation(web.records, {
      window,
      ...(minReversals === undefined ? {} : { minReversals }),
    });
    expect(report.count).toBe(count);
    expect(report.reversals.map((r) => r.gap / 1000)).toEqual(gaps);
    expect(report.groups).toEqual([{ groupId: 'web', actions: 6, ...group }]);
    expect(report.flapping).toEqual(group.flapping ? ['web'] : []);
  });

  it('names both actions of a reversal with their decisions and reasons', () => {
    const [first] = detectOscillation(web.records, { window: '5m' }).reversals;
    expect(first).toEqual({
      groupId: 'web',
      pattern: 'out-in',
      first: { at: 0, from: 1, to: 2, direction: 'out', decisionId: 'web#1', reason: 'ScaleOut' },
      second: { at: s(100), from: 2, to: 1, direction: 'in', decisionId: 'web#2', reason: 'ScaleIn' },
      gap: s(100),
    });
    expect(detectOscillation(web.records, { window: '5m' }).reversals.map((r) => r.pattern)).toEqual([
      'out-in',
      'in-out',
      'in-out',
    ]);
  });

  it('judges each group on its own actions', () => {
    // api: out@0, in@10, out@20, in@30 → three reversals within 30 s: flapping from the second
    // (20 s), and still from 20 s once the third comes. Interleaved with web, whose actions must
    // not pair with api's.
    const h = new History()
      .action(s(0), 1, 1, 2, 0, 'api')
      .action(s(5), 1, 4, 3, 0, 'web')
      .action(s(10), 2, 2, 1, 0, 'api')
      .action(s(20), 3, 1, 2, 0, 'api')
      .action(s(30), 4, 2, 1, 0, 'api');
    const report = detectOscillation(h.records, { window: '1m' });
    expect(report.groups).toEqual([
      {
        groupId: 'api',
        actions: 4,
        reversals: 3,
        maxReversalsInWindow: 3,
        flapping: true,
        flappingSince: s(20),
      },
      {
        groupId: 'web',
        actions: 1,
        reversals: 0,
        maxReversalsInWindow: 0,
        flapping: false,
        flappingSince: null,
      },
    ]);
    expect(report.flapping).toEqual(['api']);
    expect(detectOscillation(h.records, { window: '1m', groupId: 'web' }).count).toBe(0);
  });

  it('considers only actions in the range', () => {
    // [120 s, 1000 s): out@150, in@700, out@720, out@800 → only R3 (20 s).
    const report = detectOscillation(web.records, { window: '5m', range: { from: s(120), to: s(1000) } });
    expect(report.reversals.map((r) => [r.first.at, r.second.at])).toEqual([[s(700), s(720)]]);
  });

  it('ignores failed attempts: a failure is not an action', () => {
    const h = new History()
      .action(s(0), 1, 1, 2)
      .decision(s(10), 2, { current: 2, desired: 1 })
      .failed(s(11), 2, 1, 2)
      .action(s(20), 3, 2, 3);
    expect(detectOscillation(h.records, { window: '1m' }).count).toBe(0);
  });

  it.each([
    {
      name: 'no window',
      options: {},
      message:
        'options.window: expected a duration longer than 0, such as "30s", "5m" or a number of ms, got nothing',
    },
    {
      name: 'a zero window',
      options: { window: 0 },
      message:
        'options.window: expected a duration longer than 0, such as "30s", "5m" or a number of ms, got 0',
    },
    {
      name: 'a threshold of zero reversals',
      options: { window: '1m', minReversals: 0 },
      message: 'options.minReversals: expected a whole number ≥ 1, got 0',
    },
    {
      name: 'no options',
      options: undefined,
      message: 'options: expected an object with a window, got nothing',
    },
  ])('rejects $name', ({ options, message }) => {
    expectRangeError(() => detectOscillation([], options as never), message);
  });
});
