const CHUNK = 128;

/**
 * Recent samples of one metric, kept in fixed-size chunks of typed arrays so a day of 1-minute
 * samples costs about 16 bytes a sample. Samples older than the retention are dropped a chunk
 * at a time.
 */
export class MetricHistory {
  private chunks: Float64Array[] = [];
  private head = 0; // index of the first live sample in chunks[0]
  private tail = 0; // samples used in the last chunk
  private last = Number.NEGATIVE_INFINITY;

  /** @param retention how long samples are kept, in ms */
  constructor(public retention: number) {}

  /** Number of samples held. */
  get length(): number {
    if (this.chunks.length === 0) return 0;
    return (this.chunks.length - 1) * CHUNK + this.tail - this.head;
  }

  /** Timestamp of the newest sample, or -Infinity. */
  get lastTimestamp(): number {
    return this.last;
  }

  /** Append a sample; ignored unless newer than the newest held. */
  push(timestamp: number, value: number): void {
    if (!(timestamp > this.last)) return;
    let chunk = this.chunks[this.chunks.length - 1];
    if (chunk === undefined || this.tail === CHUNK) {
      chunk = new Float64Array(CHUNK * 2);
      this.chunks.push(chunk);
      this.tail = 0;
    }
    chunk[this.tail * 2] = timestamp;
    chunk[this.tail * 2 + 1] = value;
    this.tail++;
    this.last = timestamp;
  }

  /** Drop samples at or before `now − retention`. */
  prune(now: number): void {
    const cutoff = now - this.retention;
    while (this.chunks.length > 0) {
      const first = this.chunks[0] as Float64Array;
      const used = this.chunks.length === 1 ? this.tail : CHUNK;
      while (this.head < used && (first[this.head * 2] as number) <= cutoff) this.head++;
      if (this.head < used) return;
      this.chunks.shift();
      this.head = 0;
      if (this.chunks.length === 0) this.tail = 0;
    }
  }

  /** Visit samples with `from ≤ timestamp < to`, oldest first. */
  forEach(
    visit: (timestamp: number, value: number) => void,
    from = Number.NEGATIVE_INFINITY,
    to = Number.POSITIVE_INFINITY,
  ): void {
    for (let c = 0; c < this.chunks.length; c++) {
      const chunk = this.chunks[c] as Float64Array;
      const begin = c === 0 ? this.head : 0;
      const end = c === this.chunks.length - 1 ? this.tail : CHUNK;
      for (let i = begin; i < end; i++) {
        const t = chunk[i * 2] as number;
        if (t >= from && t < to) visit(t, chunk[i * 2 + 1] as number);
      }
    }
  }

  /** Samples as `[timestamp, value]` pairs, oldest first. */
  toArray(from?: number, to?: number): [number, number][] {
    const out: [number, number][] = [];
    this.forEach(
      (t, v) => {
        out.push([t, v]);
      },
      from,
      to,
    );
    return out;
  }
}
