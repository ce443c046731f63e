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

/**
 * A bounded history of events, oldest dropped first.
 */
export class EventLog {
  private entries: (ScalingEventRecord | undefined)[];
  private start = 0;
  private size = 0;
  private nextSeq = 1;

  /** @param limit how many entries are kept */
  constructor(readonly limit: number) {
    this.entries = new Array(Math.min(limit, 1024));
  }

  /** Append one entry. */
  append(
    kind: ManagerEventName,
    at: number,
    groupId: string | null,
    message: string,
    data: Record<string, unknown>,
  ): void {
    if (this.limit === 0) return;
    const record: ScalingEventRecord = { seq: this.nextSeq++, kind, at, groupId, message, data };
    if (this.size < this.limit) {
      if (this.size === this.entries.length) this.grow();
      this.entries[(this.start + this.size) % this.entries.length] = record;
      this.size++;
    } else {
      this.entries[this.start] = record;
      this.start = (this.start + 1) % this.entries.length;
    }
  }

  private grow(): void {
    const next = new Array<ScalingEventRecord | undefined>(Math.min(this.limit, this.entries.length * 2));
    for (let i = 0; i < this.size; i++) next[i] = this.entries[(this.start + i) % this.entries.length];
    this.entries = next;
    this.start = 0;
  }

  /**
   * Entries matching `query`, newest first.
   */
  query(query: ScalingEventQuery = {}): ScalingEventRecord[] {
    const out: ScalingEventRecord[] = [];
    const limit = query.limit ?? Number.POSITIVE_INFINITY;
    const kinds = query.kinds ? new Set(query.kinds) : undefined;
    for (let i = this.size - 1; i >= 0 && out.length < limit; i--) {
      const record = this.entries[(this.start + i) % this.entries.length] as ScalingEventRecord;
      if (query.groupId !== undefined && record.groupId !== query.groupId) continue;
      if (kinds && !kinds.has(record.kind)) continue;
      if (query.from !== undefined && record.at < query.from) continue;
      if (query.to !== undefined && record.at >= query.to) continue;
      out.push(record);
    }
    return out;
  }

  /** Every entry, oldest first (for snapshots). */
  all(): ScalingEventRecord[] {
    const out: ScalingEventRecord[] = [];
    for (let i = 0; i < this.size; i++)
      out.push(this.entries[(this.start + i) % this.entries.length] as ScalingEventRecord);
    return out;
  }

  /** Replace the contents (for restore); keeps the newest `limit`. */
  load(records: readonly ScalingEventRecord[]): void {
    this.entries = new Array(Math.max(1, Math.min(this.limit, Math.max(records.length, 1024))));
    this.start = 0;
    this.size = 0;
    const kept = records.slice(Math.max(0, records.length - this.limit));
    for (const record of kept) {
      if (this.size === this.entries.length) this.grow();
      this.entries[this.size++] = record;
    }
    this.nextSeq = kept.length > 0 ? (kept[kept.length - 1] as ScalingEventRecord).seq + 1 : 1;
  }
}
