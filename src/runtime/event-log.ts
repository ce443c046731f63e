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

/** Turns an event's payload into its plain-data message and data. */
export type Summarizer = (
  kind: ManagerEventName,
  payload: unknown,
) => { message: string; data: Record<string, unknown> };

/**
 * A bounded history of events, oldest dropped first. It keeps each event's payload as emitted
 * and renders the plain-JSON record only when the entry is first read (a query or a snapshot):
 * most entries are never read, and rendering every one on the hot path cost more than the tick.
 *
 * The entries are kept in parallel ring buffers (numbers in typed arrays), not one object per
 * entry: an entry lives for `limit` events, long enough for the garbage collector to copy and
 * promote every object it holds, so appending writes slots and allocates nothing.
 */
export class EventLog {
  // Assigned by allocate(), called from the constructor.
  private seqs!: Float64Array;
  private ats!: Float64Array;
  private kinds!: ManagerEventName[];
  private groupIds!: (string | null)[];
  /** The payload as emitted (immutable), or the plain-data record once rendered or restored. */
  private items!: unknown[];
  /** 1 where `items` holds the rendered record. */
  private rendered!: Uint8Array;
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
    this.allocate(Math.min(limit, 1024));
  }

  // Fresh, empty columns of `capacity` entries.
  private allocate(capacity: number): void {
    this.seqs = new Float64Array(capacity);
    this.ats = new Float64Array(capacity);
    this.kinds = new Array(capacity);
    this.groupIds = new Array(capacity);
    this.items = new Array(capacity);
    this.rendered = new Uint8Array(capacity);
  }

  /** Append one entry. */
  append(kind: ManagerEventName, at: number, groupId: string | null, payload: unknown): void {
    if (this.limit === 0) return;
    this.push(this.nextSeq++, kind, at, groupId, payload, 0);
  }

  private push(
    seq: number,
    kind: ManagerEventName,
    at: number,
    groupId: string | null,
    item: unknown,
    rendered: number,
  ): void {
    let slot: number;
    if (this.size < this.limit) {
      if (this.size === this.seqs.length) this.grow();
      slot = (this.start + this.size) % this.seqs.length;
      this.size++;
    } else {
      slot = this.start;
      this.start = (this.start + 1) % this.seqs.length;
    }
    this.seqs[slot] = seq;
    this.ats[slot] = at;
    this.kinds[slot] = kind;
    this.groupIds[slot] = groupId;
    this.items[slot] = item;
    this.rendered[slot] = rendered;
  }

  private grow(): void {
    const { seqs, ats, kinds, groupIds, items, rendered, start } = this;
    this.allocate(Math.min(this.limit, Math.max(1, seqs.length * 2)));
    for (let i = 0; i < this.size; i++) {
      const from = (start + i) % seqs.length;
      this.seqs[i] = seqs[from] as number;
      this.ats[i] = ats[from] as number;
      this.kinds[i] = kinds[from] as ManagerEventName;
      this.groupIds[i] = groupIds[from] as string | null;
      this.items[i] = items[from];
      this.rendered[i] = rendered[from] as number;
    }
    this.start = 0;
  }

  /** The ring slot of the `i`-th oldest entry. */
  private slot(i: number): number {
    return (this.start + i) % this.seqs.length;
  }

  private materialize(slot: number): ScalingEventRecord {
    if (this.rendered[slot] === 0) {
      const kind = this.kinds[slot] as ManagerEventName;
      const { message, data } = this.summarize(kind, this.items[slot]);
      this.items[slot] = {
        seq: this.seqs[slot] as number,
        kind,
        at: this.ats[slot] as number,
        groupId: this.groupIds[slot] as string | null,
        message,
        data,
      } satisfies ScalingEventRecord;
      this.rendered[slot] = 1;
    }
    return this.items[slot] as ScalingEventRecord;
  }

  /**
   * Entries matching `query`, newest first.
   */
  query(query: ScalingEventQuery = {}): ScalingEventRecord[] {
    const out: ScalingEventRecord[] = [];
    const limit = query.limit ?? Number.POSITIVE_INFINITY;
    const kinds = query.kinds ? new Set(query.kinds) : undefined;
    for (let i = this.size - 1; i >= 0 && out.length < limit; i--) {
      const slot = this.slot(i);
      if (query.groupId !== undefined && this.groupIds[slot] !== query.groupId) continue;
      if (kinds && !kinds.has(this.kinds[slot] as ManagerEventName)) continue;
      const at = this.ats[slot] as number;
      if (query.from !== undefined && at < query.from) continue;
      if (query.to !== undefined && at >= query.to) continue;
      out.push(this.materialize(slot));
    }
    return out;
  }

  /** Every entry, oldest first (for snapshots). */
  all(): ScalingEventRecord[] {
    const out: ScalingEventRecord[] = [];
    for (let i = 0; i < this.size; i++) out.push(this.materialize(this.slot(i)));
    return out;
  }

  /** Replace the contents (for restore); keeps the newest `limit`. */
  load(records: readonly ScalingEventRecord[]): void {
    this.allocate(Math.max(1, Math.min(this.limit, Math.max(records.length, 1024))));
    this.start = 0;
    this.size = 0;
    const kept = records.slice(Math.max(0, records.length - this.limit));
    for (const record of kept) this.push(record.seq, record.kind, record.at, record.groupId, record, 1);
    this.nextSeq = kept.length > 0 ? (kept[kept.length - 1] as ScalingEventRecord).seq + 1 : 1;
  }
}
