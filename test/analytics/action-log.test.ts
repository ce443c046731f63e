/**
 * actionLog: one row per applied action, newest first, with the decision's reason and sentence.
 */
import { describe, expect, it } from 'vitest';
import { type ActionLogQuery, actionLog } from '../../src/analytics/action-log.js';
import { expectRangeError, History, s } from './history.js';

// web: out@10 (#1, 2→4, applied 1 s later), in@100 (#2, 4→3), manual out@200 (#3, 3→6);
// api: in@150 (#1, 5→2). A failed attempt and a no-change decision in between are not actions.
// seq, in the order added: 1 web#1, 2 scaled, 3 web#9, 4 web#2, 5 scaled, 6 web#10, 7 failed,
// 8 api#1, 9 scaled, 10 web#3, 11 scaled.
const history = new History()
  .action(s(10), 1, 2, 4, s(1))
  .decision(s(50), 9, { current: 4, desired: 4 })
  .action(s(100), 2, 4, 3)
  .decision(s(120), 10, { current: 3, desired: 5 })
  .failed(s(121), 3, 5, 10)
  .action(s(150), 1, 5, 2, 0, 'api')
  .decision(s(200), 3, {
    current: 3,
    desired: 6,
    reason: 'ManualOverride',
    message: 'Scale out from 3 to 6: release day.',
  })
  .scaled(s(200), 3, 6, 3, { reason: 'ManualOverride' });

describe('actionLog', () => {
  it('lists every applied action newest first, with the decision behind it', () => {
    expect(actionLog(history.records)).toEqual([
      {
        at: s(200),
        groupId: 'web',
        from: 3,
        to: 6,
        direction: 'out',
        reason: 'ManualOverride',
        message: 'Scale out from 3 to 6: release day.',
        decisionId: 'web#3',
        decidedAt: s(200),
        seq: 11,
      },
      {
        at: s(150),
        groupId: 'api',
        from: 5,
        to: 2,
        direction: 'in',
        reason: 'ScaleIn',
        message: 'ScaleIn 5 to 2.',
        decisionId: 'api#1',
        decidedAt: s(150),
        seq: 9,
      },
      {
        at: s(100),
        groupId: 'web',
        from: 4,
        to: 3,
        direction: 'in',
        reason: 'ScaleIn',
        message: 'ScaleIn 4 to 3.',
        decisionId: 'web#2',
        decidedAt: s(100),
        seq: 5,
      },
      {
        at: s(11),
        groupId: 'web',
        from: 2,
        to: 4,
        direction: 'out',
        reason: 'ScaleOut',
        message: 'ScaleOut 2 to 4.',
        decisionId: 'web#1',
        decidedAt: s(10),
        seq: 2,
      },
    ]);
  });

  it.each([
    { name: 'one group', query: { groupId: 'web' }, ids: ['web#3', 'web#2', 'web#1'] },
    { name: 'scale-ins only', query: { direction: 'in' }, ids: ['api#1', 'web#2'] },
    // from inclusive (100 s counts), to exclusive (200 s does not).
    { name: 'a time range', query: { from: s(100), to: s(200) }, ids: ['api#1', 'web#2'] },
    { name: 'the newest two', query: { limit: 2 }, ids: ['web#3', 'api#1'] },
    { name: 'a limit of zero', query: { limit: 0 }, ids: [] },
    {
      name: 'all filters at once',
      query: { groupId: 'web', direction: 'out', from: 0, limit: 1 },
      ids: ['web#3'],
    },
  ])('filters: $name', ({ query, ids }) => {
    expect(actionLog(history.records, query as ActionLogQuery).map((r) => r.decisionId)).toEqual(ids);
  });

  it('keeps the row but leaves the sentence null when the decision aged out', () => {
    const [row] = actionLog(new History().scaled(s(5), 2, 3, 7).records);
    expect(row).toMatchObject({ decisionId: 'web#7', reason: 'ScaleOut', message: null, decidedAt: null });
  });

  it.each([
    {
      name: 'an unknown direction',
      query: { direction: 'up' },
      message: 'query.direction: expected "out" or "in", got "up"',
    },
    {
      name: 'a negative limit',
      query: { limit: -1 },
      message: 'query.limit: expected a whole number ≥ 0, got -1',
    },
    {
      name: 'a non-numeric from',
      query: { from: '2026-01-01' },
      message:
        'query.from: expected a finite number of ms since the epoch (within ±8.64e15), got "2026-01-01"',
    },
    {
      name: 'a query that is not an object',
      query: 7,
      message: 'query: expected an object of options, got 7',
    },
  ])('rejects $name', ({ query, message }) => {
    expectRangeError(() => actionLog([], query as never), message);
  });
});
