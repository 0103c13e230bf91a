/**
 * A bounded buffer: keeps the newest `capacity` items, counts what it dropped, and
 * never reallocates (pushing is O(1), unlike Array#shift on a full array). Every store
 * of events, traces, recordings or telemetry should be one of these.
 *
 * Bounded by count and, given `maxBytes` and `sizeOf` (an estimate of one item's size,
 * e.g. its JSON length), by bytes too: a push evicts the oldest items until the total
 * fits, and an item larger than `maxBytes` on its own is dropped (counted) rather than
 * kept. A count alone does not bound memory when items carry bodies of any size.
 */
export interface RingBufferOptions<T> {
  /** Most bytes (as `sizeOf` estimates them) the items may take together. */
  maxBytes?: number;
  /** Estimated size of one item in bytes; needed with `maxBytes`. */
  sizeOf?: (item: T) => number;
}

export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private readonly sizes: number[] | undefined;
  private start = 0;
  private size = 0;
  private total = 0;
  private readonly maxBytes: number;
  private readonly sizeOf: ((item: T) => number) | undefined;
  /** Items dropped because the buffer was full (by count or by bytes). */
  dropped = 0;

  constructor(
    readonly capacity: number,
    options: RingBufferOptions<T> = {},
  ) {
    this.items = new Array(Math.max(0, capacity));
    this.sizeOf = options.maxBytes !== undefined ? (options.sizeOf ?? (() => 0)) : undefined;
    this.maxBytes = options.maxBytes ?? Infinity;
    this.sizes = this.sizeOf ? new Array(Math.max(0, capacity)).fill(0) : undefined;
  }

  get length(): number {
    return this.size;
  }

  /** Estimated bytes held (0 without `maxBytes`). */
  get bytes(): number {
    return this.total;
  }

  push(item: T): void {
    const bytes = this.sizeOf ? this.sizeOf(item) : 0;
    if (this.capacity === 0 || bytes > this.maxBytes) {
      this.dropped++;
      return;
    }
    while (this.size > 0 && (this.size === this.capacity || this.total + bytes > this.maxBytes)) this.dropOldest();
    const slot = (this.start + this.size++) % this.capacity;
    this.items[slot] = item;
    if (this.sizes) {
      this.sizes[slot] = bytes;
      this.total += bytes;
    }
  }

  private dropOldest(): void {
    this.items[this.start] = undefined;
    if (this.sizes) this.total -= this.sizes[this.start]!;
    this.start = (this.start + 1) % this.capacity;
    this.size--;
    this.dropped++;
  }

  /** Oldest first. */
  toArray(): T[] {
    const out: T[] = new Array(this.size);
    for (let i = 0; i < this.size; i++) out[i] = this.items[(this.start + i) % this.capacity] as T;
    return out;
  }

  clear(): void {
    this.items.fill(undefined);
    this.sizes?.fill(0);
    this.start = 0;
    this.size = 0;
    this.total = 0;
  }
}
