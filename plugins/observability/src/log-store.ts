// The central log store: a ring of slots addressed by sequence number, bounded by count
// AND estimated bytes (the oldest go first; every eviction is counted), queried newest
// first with a stable cursor (the sequence number the next page starts below), and read
// oldest first for the NDJSON export. Exchange records live in columns (exchange-columns.ts:
// nothing allocated per exchange); other records
// are objects. Not the kernel's RingBuffer: a cursor needs a record by its sequence number,
// and a newest-first page must not copy the whole buffer.
import type { LogPage, LogQuery, LogRecord } from './contract.js';
import { ObservabilityErrors } from './errors.js';
import { ExchangeColumns, exchangeBytes, type ExchangeFields } from './exchange-columns.js';
import { LEVEL_VALUES } from './levels.js';
import type { FieldsEntry } from './records.js';

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

/** A query with its level as a number, its text lower-cased and its trace id parsed. */
interface Filter {
  service?: string;
  kind?: string;
  event?: string;
  level: number;
  traceId?: string;
  q?: string;
  from?: number;
  to?: number;
}

const EMPTY = 0;
const EXCHANGE = 1;
const FIELDS = 2;

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
  private readonly kind: Uint8Array;
  private readonly time: Float64Array;
  private readonly level: Uint8Array;
  private readonly size_: Float64Array;
  private readonly others: (FieldsEntry | undefined)[];
  private readonly xs: ExchangeColumns;
  /** Sequence number of the oldest record kept. */
  private first = 1;
  private next = 1;
  private total = 0;
  readonly stats: Omit<LogStoreStats, 'stored' | 'bytes'> = { dropped: 0, droppedForBytes: 0, droppedTooLarge: 0, received: 0 };

  constructor(
    readonly maxRecords: number,
    readonly maxBytes: number,
    readonly maxPageSize = 1000,
  ) {
    this.kind = new Uint8Array(maxRecords);
    this.time = new Float64Array(maxRecords);
    this.level = new Uint8Array(maxRecords);
    this.size_ = new Float64Array(maxRecords);
    this.others = new Array<FieldsEntry | undefined>(maxRecords).fill(undefined);
    this.xs = new ExchangeColumns(maxRecords);
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

  /** Makes room for `bytes` and returns the slot of the new record (-1: refused, counted). */
  private claim(bytes: number): number {
    this.stats.received++;
    if (bytes > this.maxBytes) {
      this.stats.dropped++;
      this.stats.droppedTooLarge++;
      return -1;
    }
    const cap = this.maxRecords;
    while (this.next > this.first && (this.next - this.first === cap || this.total + bytes > this.maxBytes)) {
      if (this.next - this.first < cap) this.stats.droppedForBytes++;
      this.evictOldest();
    }
    return this.next % cap;
  }

  private commit(slot: number, kind: number, time: number, level: number, bytes: number): number {
    this.kind[slot] = kind;
    this.time[slot] = time;
    this.level[slot] = level;
    this.size_[slot] = bytes;
    this.total += bytes;
    return this.next++;
  }

  private evictOldest(): void {
    const i = this.first % this.maxRecords;
    this.total -= this.size_[i]!;
    if (this.kind[i] === FIELDS) this.others[i] = undefined;
    else this.xs.clear(i);
    this.kind[i] = EMPTY;
    this.first++;
    this.stats.dropped++;
  }

  /** Stores an event's or a plugin's record; its sequence number (-1: refused). */
  push(entry: FieldsEntry): number {
    const slot = this.claim(entry.bytes);
    if (slot < 0) return -1;
    this.others[slot] = entry;
    return this.commit(slot, FIELDS, entry.time, entry.level, entry.bytes);
  }

  /** Stores an exchange's record (the fields are copied into the columns); its sequence number (-1: refused). */
  pushExchange(time: number, level: number, fields: ExchangeFields): number {
    const bytes = exchangeBytes(fields);
    const slot = this.claim(bytes);
    if (slot < 0) return -1;
    this.xs.write(slot, fields);
    return this.commit(slot, EXCHANGE, time, level, bytes);
  }

  /** The record with this sequence number, if still stored. */
  at(seq: number): LogRecord | undefined {
    if (seq < this.first || seq >= this.next) return undefined;
    return this.recordOf(seq % this.maxRecords);
  }

  private recordOf(slot: number): LogRecord {
    return this.kind[slot] === EXCHANGE ? this.xs.record(slot, this.time[slot]!, this.level[slot]!) : this.others[slot]!.record();
  }

  private filterOf(query: LogQuery): Filter {
    return {
      service: query.service,
      kind: query.kind,
      event: query.event,
      level: query.level ? LEVEL_VALUES[query.level] : 0,
      traceId: query.traceId,
      q: query.q ? query.q.toLowerCase() : undefined,
      from: query.from,
      to: query.to,
    };
  }

  private matches(slot: number, f: Filter): boolean {
    if (this.level[slot]! < f.level) return false;
    const t = this.time[slot]!;
    if (f.from !== undefined && t < f.from) return false;
    if (f.to !== undefined && t > f.to) return false;
    const exchange = this.kind[slot] === EXCHANGE;
    if (f.kind !== undefined && (exchange ? 'exchange' : this.others[slot]!.kind) !== f.kind) return false;
    if (f.event !== undefined) {
      const event = exchange ? undefined : this.others[slot]!.event;
      if (event === undefined || (f.event.endsWith('.') ? !event.startsWith(f.event) : event !== f.event)) return false;
    }
    if (f.service !== undefined && (exchange ? this.xs.service[slot] : this.others[slot]!.service) !== f.service) return false;
    if (f.traceId !== undefined && (exchange ? this.xs.traceId[slot] : this.others[slot]!.traceId) !== f.traceId) return false;
    if (f.q !== undefined && !contains(this.recordOf(slot), f.q)) return false;
    return true;
  }

  /** Newest first: `limit` matching records below the cursor, the cursor of the rest, and how many match in all. */
  query(query: LogQuery = {}): LogPage {
    const limit = Math.min(query.limit ?? 100, this.maxPageSize);
    const f = this.filterOf(query);
    const below = query.cursor === undefined ? this.next : Math.min(decodeCursor(query.cursor), this.next);
    const unfiltered = f.level === 0 && f.service === undefined && f.kind === undefined && f.event === undefined && f.traceId === undefined && f.q === undefined && f.from === undefined && f.to === undefined;
    const items: LogRecord[] = [];
    let total = unfiltered ? this.size : 0;
    let next: string | undefined;
    let last = 0;
    const cap = this.maxRecords;
    // unfiltered, the records above the cursor need not be counted: start below it
    for (let seq = (unfiltered ? below : this.next) - 1; seq >= this.first; seq--) {
      const slot = seq % cap;
      if (!unfiltered && !this.matches(slot, f)) continue;
      if (!unfiltered) total++;
      if (seq >= below) continue;
      if (items.length < limit) {
        items.push(this.recordOf(slot));
        last = seq;
      } else if (next === undefined) {
        next = encodeCursor(last);
        if (unfiltered) break;
      }
    }
    return next === undefined ? { items, total } : { items, next, total };
  }

  /**
   * Matching records oldest first, in batches (the export streams them): the records present
   * when the export started, except those evicted before they were read.
   */
  *scan(query: LogQuery = {}, batch = 500): Generator<LogRecord[]> {
    const f = this.filterOf(query);
    const end = this.next;
    let out: LogRecord[] = [];
    for (let seq = this.first; seq < end; seq++) {
      if (seq < this.first) seq = this.first; // evicted while paused between batches
      const slot = seq % this.maxRecords;
      if (!this.matches(slot, f)) continue;
      out.push(this.recordOf(slot));
      if (out.length >= batch) {
        yield out;
        out = [];
      }
    }
    if (out.length) yield out;
  }
}
