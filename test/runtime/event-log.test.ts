/**
 * EventLog: the bounded, queryable history behind `getScalingEvents` and snapshots.
 */
import { describe, expect, it } from 'vitest';
import { EventLog, type Summarizer } from '../../src/runtime/event-log.js';
import type { ManagerEventName } from '../../src/runtime/events.js';

/** Append `count` events: group a/b alternating, kinds cycling, one second apart. */
/** A summarizer for tests: the payload is already `{ message, data }`. */
const passThrough: Summarizer = (_kind, payload) =>
  payload as { message: string; data: Record<string, unknown> };

function filled(limit: number, count: number): EventLog {
  const log = new EventLog(limit, passThrough);
  const kinds: ManagerEventName[] = ['decision', 'scaled', 'error'];
  for (let i = 0; i < count; i++) {
    log.append(kinds[i % 3] as ManagerEventName, i * 1000, i % 2 === 0 ? 'a' : 'b', {
      message: `event ${i}`,
      data: { i },
    });
  }
  return log;
}

const indexes = (records: { data: Readonly<Record<string, unknown>> }[]): unknown[] =>
  records.map((r) => r.data.i);

describe('EventLog', () => {
  it('numbers entries from 1 and lists them newest first; all() is oldest first', () => {
    const log = filled(100, 4);
    expect(log.query().map((r) => r.seq)).toEqual([4, 3, 2, 1]);
    expect(log.all().map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    expect(log.all()[0]).toEqual({
      seq: 1,
      kind: 'decision',
      at: 0,
      groupId: 'a',
      message: 'event 0',
      data: { i: 0 },
    });
  });

  it.each([
    { name: 'by group', query: { groupId: 'a' }, expected: [8, 6, 4, 2, 0] },
    {
      name: 'by kinds',
      query: { kinds: ['scaled', 'error'] as ManagerEventName[] },
      expected: [8, 7, 5, 4, 2, 1],
    },
    { name: 'from is inclusive', query: { from: 7000 }, expected: [9, 8, 7] },
    { name: 'to is exclusive', query: { to: 2000 }, expected: [1, 0] },
    { name: 'limit keeps the newest', query: { limit: 3 }, expected: [9, 8, 7] },
    {
      name: 'filters combine',
      query: { groupId: 'b', kinds: ['decision'] as ManagerEventName[], from: 1000, to: 9000 },
      expected: [3],
    },
    { name: 'limit applies after the filters', query: { groupId: 'b', limit: 2 }, expected: [9, 7] },
    { name: 'limit 0', query: { limit: 0 }, expected: [] },
  ])('query $name', ({ query, expected }) => {
    expect(indexes(filled(100, 10).query(query))).toEqual(expected);
  });

  it('drops the oldest beyond its limit', () => {
    const log = filled(3, 10);
    expect(indexes(log.query())).toEqual([9, 8, 7]);
    expect(log.all().map((r) => r.seq)).toEqual([8, 9, 10]);
  });

  it('keeps exactly the newest entries across growth and wrap-around beyond 1024', () => {
    // 1500 > the initial 1024 slots, so the ring grows, then wraps
    const log = filled(1500, 4000);
    const all = log.all();
    expect(all).toHaveLength(1500);
    expect(all[0]?.seq).toBe(2501);
    expect(all[1499]?.seq).toBe(4000);
    expect(all.every((r, i) => r.seq === 2501 + i)).toBe(true);
    expect(log.query({ limit: 2 }).map((r) => r.seq)).toEqual([4000, 3999]);
  });

  it('with limit 0 keeps nothing', () => {
    const log = filled(0, 5);
    expect(log.all()).toEqual([]);
    expect(log.query()).toEqual([]);
  });

  it('load replaces the contents, keeps the newest limit and continues the numbering', () => {
    const source = filled(100, 6);
    const log = filled(4, 2);
    log.load(source.all());
    expect(log.all().map((r) => r.seq)).toEqual([3, 4, 5, 6]);
    log.append('decision', 9000, 'a', { message: 'after load', data: {} });
    expect(log.query({ limit: 1 })[0]?.seq).toBe(7);
    log.load([]);
    expect(log.all()).toEqual([]);
    log.append('decision', 0, null, { message: 'first again', data: {} });
    expect(log.all()[0]?.seq).toBe(1);
  });

  it('renders a record only when it is first read, and once', () => {
    const seen: unknown[] = [];
    const log = new EventLog(10, (kind, payload) => {
      seen.push(payload);
      return { message: `${kind} rendered`, data: { payload } };
    });
    log.append('scaled', 0, 'a', 'p1');
    log.append('scaled', 1000, 'b', 'p2');
    expect(seen).toEqual([]); // appending renders nothing
    const first = log.query({ groupId: 'b' });
    expect(seen).toEqual(['p2']); // only what the query returned
    expect(log.query({ groupId: 'b' })[0]).toBe(first[0]); // cached, the same object
    log.all();
    expect(seen).toEqual(['p2', 'p1']);
  });
});
