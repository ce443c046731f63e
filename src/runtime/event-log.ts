import type { ManagerEventName } from './events.js';

/** One entry of the event history: plain data, safe to serialise. */
export interface ScalingEventRecord {
  /** Position in the history, increasing by one per entry. */
  readonly seq: number;
  /** The event's name. */
  readonly kind: ManagerEventName;
  /** When, ms since the epoch. */
  readonly at: number;
  /** The group, or null for events not about one. */
  readonly groupId: string | null;
  /** One sentence. */
  readonly message: string;
  /** The event's data as plain JSON (errors as `{ name, message, code }`). */
  readonly data: Readonly<Record<string, unknown>>;
}

/** A query over the event history; every field narrows the result. */
export interface ScalingEventQuery {
  /** Only this group. */
  readonly groupId?: string;
  /** Only these kinds. */
  readonly kinds?: readonly ManagerEventName[];
  /** Only events at or after this time. */
  readonly from?: number;
  /** Only events before this time. */
  readonly to?: number;
  /** At most this many, the newest. */
  readonly limit?: number;
}

/** What the history holds per event until someone reads it. */
interface Entry {
  readonly seq: number;
  readonly kind: ManagerEventName;
  readonly at: number;
  readonly groupId: string | null;
  /** The event's payload as emitted (immutable), or undefined once restored from a snapshot. */
  readonly payload: unknown;
  /** The plain-data record, made on first read. */
  record: ScalingEventRecord | undefined;
}

/** Turns an event's payload into its plain-data message and data. */
export type Summarizer = (
  kind: ManagerEventName,
  payload: unknown,
) => { message: string; data: Record<string, unknown> };

/**
 * A bounded history of events, oldest dropped first. It keeps each event's payload as emitted
 * and renders the plain-JSON record only when the entry is first read (a query or a snapshot):
 * most entries are never read, and rendering every one on the hot path cost more than the tick.
 */
export class EventLog {
  private entries: (Entry | undefined)[];
  private start = 0;
  private size = 0;
  private nextSeq = 1;

  /**
   * @param limit how many entries are kept
   * @param summarize renders a payload as plain data when an entry is read
   */
  constructor(
    readonly limit: number,
    private readonly summarize: Summarizer,
  ) {
    this.entries = new Array(Math.min(limit, 1024));
  }

  /** Append one entry. */
  append(kind: ManagerEventName, at: number, groupId: string | null, payload: unknown): void {
    if (this.limit === 0) return;
    this.push({ seq: this.nextSeq++, kind, at, groupId, payload, record: undefined });
  }

  private push(entry: Entry): void {
    if (this.size < this.limit) {
      if (this.size === this.entries.length) this.grow();
      this.entries[(this.start + this.size) % this.entries.length] = entry;
      this.size++;
    } else {
      this.entries[this.start] = entry;
      this.start = (this.start + 1) % this.entries.length;
    }
  }

  private grow(): void {
    const next = new Array<Entry | undefined>(Math.min(this.limit, Math.max(1, this.entries.length * 2)));
    for (let i = 0; i < this.size; i++) next[i] = this.entries[(this.start + i) % this.entries.length];
    this.entries = next;
    this.start = 0;
  }

  private materialize(entry: Entry): ScalingEventRecord {
    if (entry.record === undefined) {
      const { message, data } = this.summarize(entry.kind, entry.payload);
      entry.record = {
        seq: entry.seq,
        kind: entry.kind,
        at: entry.at,
        groupId: entry.groupId,
        message,
        data,
      };
    }
    return entry.record;
  }

  /**
   * Entries matching `query`, newest first.
   */
  query(query: ScalingEventQuery = {}): ScalingEventRecord[] {
    const out: ScalingEventRecord[] = [];
    const limit = query.limit ?? Number.POSITIVE_INFINITY;
    const kinds = query.kinds ? new Set(query.kinds) : undefined;
    for (let i = this.size - 1; i >= 0 && out.length < limit; i--) {
      const entry = this.entries[(this.start + i) % this.entries.length] as Entry;
      if (query.groupId !== undefined && entry.groupId !== query.groupId) continue;
      if (kinds && !kinds.has(entry.kind)) continue;
      if (query.from !== undefined && entry.at < query.from) continue;
      if (query.to !== undefined && entry.at >= query.to) continue;
      out.push(this.materialize(entry));
    }
    return out;
  }

  /** Every entry, oldest first (for snapshots). */
  all(): ScalingEventRecord[] {
    const out: ScalingEventRecord[] = [];
    for (let i = 0; i < this.size; i++)
      out.push(this.materialize(this.entries[(this.start + i) % this.entries.length] as Entry));
    return out;
  }

  /** Replace the contents (for restore); keeps the newest `limit`. */
  load(records: readonly ScalingEventRecord[]): void {
    this.entries = new Array(Math.max(1, Math.min(this.limit, Math.max(records.length, 1024))));
    this.start = 0;
    this.size = 0;
    const kept = records.slice(Math.max(0, records.length - this.limit));
    for (const record of kept) {
      this.push({
        seq: record.seq,
        kind: record.kind,
        at: record.at,
        groupId: record.groupId,
        payload: undefined,
        record,
      });
    }
    this.nextSeq = kept.length > 0 ? (kept[kept.length - 1] as ScalingEventRecord).seq + 1 : 1;
  }
}
