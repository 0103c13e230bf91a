// The bounded store of readings: the newest `capacity`, within `maxBytes` of estimated
// size, overflow counted in `dropped`.
//
// A count alone bounds simulated readings (small, fixed shapes) but not captured ones: a
// device's own publish may carry any JSON value up to the broker's packet size, and
// 100,000 readings of 1 MiB each is 100 GB. Each reading's size is estimated as a fixed
// allowance for the object and its numbers, its strings' lengths, and its value: a
// number or boolean is in the allowance, a string counts its length, an object the
// length of its JSON (simulated objects, GPS fixes, a fixed 64).
import { RingBuffer } from '@understudy/plugin-sdk';
import type { Reading, ReadingQuery } from './contract.js';

/** The allowance for a reading's object, numbers and field names, in bytes. */
export const READING_OVERHEAD_BYTES = 160;
const SIMULATED_OBJECT_BYTES = 64;

/** Estimated bytes one stored reading takes (see the file's header). */
export function readingBytes(r: Reading): number {
  let bytes = READING_OVERHEAD_BYTES + r.deviceId.length + r.sensor.length + r.unit.length + (r.type?.length ?? 0) + (r.anomaly?.length ?? 0);
  const { value } = r;
  if (typeof value === 'string') bytes += value.length;
  else if (typeof value === 'object' && value !== null) bytes += r.source === 'simulated' ? SIMULATED_OBJECT_BYTES : jsonLength(value);
  return bytes;
}

function jsonLength(value: unknown): number {
  try {
    return JSON.stringify(value)?.length ?? 0;
  } catch {
    return 0;
  }
}

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

  constructor(
    capacity: number,
    readonly maxBytes: number = Number.POSITIVE_INFINITY,
  ) {
    this.buffer = new RingBuffer(capacity, Number.isFinite(maxBytes) ? { maxBytes, sizeOf: readingBytes } : {});
  }

  get length(): number {
    return this.buffer.length;
  }
  get capacity(): number {
    return this.buffer.capacity;
  }
  /** Estimated bytes held (0 without maxBytes). */
  get bytes(): number {
    return this.buffer.bytes;
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
