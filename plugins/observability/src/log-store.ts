// The central log store: a ring of entries addressed by sequence number, bounded by count
// AND estimated bytes (the oldest go first; every eviction is counted), queried newest
// first with a stable cursor (the sequence number the next page starts below), and read
// oldest first for the NDJSON export. Not the kernel's RingBuffer: a cursor needs an entry
// by its sequence number, and a newest-first page must not copy the whole buffer.
import type { LogPage, LogQuery, LogRecord } from './contract.js';
import { ObservabilityErrors } from './errors.js';
import { LEVEL_VALUES } from './levels.js';
import type { Entry } from './records.js';

export interface LogStoreStats {
  stored: number;
  bytes: number;
  /** Every record that left or never entered the store. */
  dropped: number;
  /** Of dropped: evicted to stay within maxBytes. */
  droppedForBytes: number;
  /** Of dropped: larger than maxBytes on its own. */
  droppedTooLarge: number;
  /** Records ever offered. */
  received: number;
}

/** A query with its level as a number and its cursor decoded. */
interface Filter {
  service?: string;
  level: number;
  traceId?: string;
  q?: string;
  from?: number;
  to?: number;
}

export function encodeCursor(seq: number): string {
  return Buffer.from(`s${seq}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^s(\d{1,15})$/.exec(text);
  if (!m) throw new ObservabilityErrors.INVALID_CURSOR(cursor);
  return Number(m[1]);
}

/** Does a record's message or any field's value contain `needle` (lower case)? */
function contains(record: LogRecord, needle: string): boolean {
  for (const key in record) {
    const v = record[key];
    if (typeof v === 'string') {
      if (v.toLowerCase().includes(needle)) return true;
    } else if (typeof v === 'number' || typeof v === 'boolean') {
      if (String(v).includes(needle)) return true;
    } else if (v !== null && typeof v === 'object') {
      let text: string;
      try {
        text = JSON.stringify(v);
      } catch {
        continue;
      }
      if (text.toLowerCase().includes(needle)) return true;
    }
  }
  return false;
}

export class LogStore {
  private readonly slots: (Entry | undefined)[];
  /** Sequence number of the oldest entry kept. */
  private first = 1;
  private next = 1;
  private total = 0;
  readonly stats: Omit<LogStoreStats, 'stored' | 'bytes'> = { dropped: 0, droppedForBytes: 0, droppedTooLarge: 0, received: 0 };

  constructor(
    readonly maxRecords: number,
    readonly maxBytes: number,
    readonly maxPageSize = 1000,
  ) {
    this.slots = new Array(maxRecords);
  }

  get size(): number {
    return this.next - this.first;
  }

  get bytes(): number {
    return this.total;
  }

  counters(): LogStoreStats {
    return { stored: this.size, bytes: this.total, ...this.stats };
  }

  push(entry: Entry): void {
    this.stats.received++;
    const bytes = entry.bytes;
    if (bytes > this.maxBytes) {
      this.stats.dropped++;
      this.stats.droppedTooLarge++;
      return;
    }
    const cap = this.maxRecords;
    while (this.next > this.first && (this.next - this.first === cap || this.total + bytes > this.maxBytes)) {
      if (this.next - this.first < cap) this.stats.droppedForBytes++;
      this.evictOldest();
    }
    const seq = this.next++;
    entry.seq = seq;
    this.slots[seq % cap] = entry;
    this.total += bytes;
  }

  private evictOldest(): void {
    const i = this.first % this.maxRecords;
    this.total -= this.slots[i]!.bytes;
    this.slots[i] = undefined;
    this.first++;
    this.stats.dropped++;
  }

  private filterOf(query: LogQuery): Filter {
    return {
      service: query.service,
      level: query.level ? LEVEL_VALUES[query.level] : 0,
      traceId: query.traceId,
      q: query.q ? query.q.toLowerCase() : undefined,
      from: query.from,
      to: query.to,
    };
  }

  /** The entry's record when it passes the filter (its record is built only when `q` needs it or it is returned). */
  private matches(e: Entry, f: Filter): boolean {
    if (e.level < f.level) return false;
    if (f.service !== undefined && e.service !== f.service) return false;
    if (f.traceId !== undefined && e.traceId !== f.traceId) return false;
    if (f.from !== undefined && e.time < f.from) return false;
    if (f.to !== undefined && e.time > f.to) return false;
    if (f.q !== undefined && !contains(e.record(), f.q)) return false;
    return true;
  }

  /** Newest first: `limit` matching records below the cursor, the cursor of the rest, and how many match in all. */
  query(query: LogQuery = {}): LogPage {
    const limit = Math.min(query.limit ?? 100, this.maxPageSize);
    const f = this.filterOf(query);
    const below = query.cursor === undefined ? this.next : Math.min(decodeCursor(query.cursor), this.next);
    const unfiltered = f.level === 0 && f.service === undefined && f.traceId === undefined && f.q === undefined && f.from === undefined && f.to === undefined;
    const items: LogRecord[] = [];
    let total = unfiltered ? this.size : 0;
    let next: string | undefined;
    let last = 0;
    const cap = this.maxRecords;
    // unfiltered, the records above the cursor need not be counted: start below it
    for (let seq = (unfiltered ? below : this.next) - 1; seq >= this.first; seq--) {
      const e = this.slots[seq % cap]!;
      if (!unfiltered && !this.matches(e, f)) continue;
      if (!unfiltered) total++;
      if (seq >= below) continue;
      if (items.length < limit) {
        items.push(e.record());
        last = seq;
      } else if (next === undefined) {
        next = encodeCursor(last);
        if (unfiltered) break;
      }
    }
    return next === undefined ? { items, total } : { items, next, total };
  }

  /**
   * Matching records oldest first, in batches (the export streams them): the entries present
   * when the export started, except those evicted before they were read.
   */
  *scan(query: LogQuery = {}, batch = 500): Generator<LogRecord[]> {
    const f = this.filterOf(query);
    const end = this.next;
    let out: LogRecord[] = [];
    for (let seq = this.first; seq < end; seq++) {
      if (seq < this.first) seq = this.first; // evicted while paused between batches
      const e = this.slots[seq % this.maxRecords];
      if (!e || e.seq !== seq || !this.matches(e, f)) continue;
      out.push(e.record());
      if (out.length >= batch) {
        yield out;
        out = [];
      }
    }
    if (out.length) yield out;
  }
}
