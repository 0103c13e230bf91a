// The bounded store of readings: the newest `capacity`, overflow counted in `dropped`.
import { RingBuffer } from '@understudy/plugin-sdk';
import type { Reading, ReadingQuery } from './contract.js';

export function matches(r: Reading, q: ReadingQuery): boolean {
  return (
    (q.deviceIds === undefined || q.deviceIds.includes(r.deviceId)) &&
    (q.sensor === undefined || r.sensor === q.sensor) &&
    (q.type === undefined || r.type === q.type) &&
    (q.from === undefined || r.ts >= q.from) &&
    (q.to === undefined || r.ts <= q.to)
  );
}

export class ReadingStore {
  private readonly buffer: RingBuffer<Reading>;

  constructor(capacity: number) {
    this.buffer = new RingBuffer(capacity);
  }

  get length(): number {
    return this.buffer.length;
  }
  get capacity(): number {
    return this.buffer.capacity;
  }
  get dropped(): number {
    return this.buffer.dropped;
  }

  push(reading: Reading): void {
    this.buffer.push(reading);
  }

  /** Matching readings in store order (oldest first), from a snapshot taken now. */
  *matching(query: ReadingQuery): Generator<Reading> {
    for (const r of this.buffer.toArray()) if (matches(r, query)) yield r;
  }

  /** The first `limit` matching readings, and whether more matched. */
  query(query: ReadingQuery): { readings: Reading[]; truncated: boolean } {
    const limit = query.limit ?? Number.POSITIVE_INFINITY;
    const readings: Reading[] = [];
    for (const r of this.matching(query)) {
      if (readings.length >= limit) return { readings, truncated: true };
      readings.push(r);
    }
    return { readings, truncated: false };
  }
}
