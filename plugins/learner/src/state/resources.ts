// The stateful mocks' resources in memory: per concrete collection path (`/users`,
// `/users/42/orders`) and id, the body a mock answers with, or a tombstone once deleted
// (so a read after DELETE is a 404, as on the real API, instead of a synthesized answer).
// Bounded by count and bytes: past either limit a creation is answered but not kept, and
// counted (`overflow`). Each change is written through to storage by the caller, so what
// a client was told it created survives a restart.
export interface StoredResource {
  collection: string;
  id: string;
  /** JSON text; undefined for a tombstone. */
  body: string | undefined;
}

/** Storage row body of a tombstone: a real resource body is JSON text, never empty. */
export const TOMBSTONE = '';

const keyOf = (collection: string, id: string) => `${collection}\n${id}`;

export class ResourceTable {
  private readonly rows = new Map<string, StoredResource>();
  private bytes = 0;
  private overflowed = 0;

  constructor(private readonly limits: { maxResources: number; maxBytes: number }) {}

  /** Rows from storage (tombstones included), at start. */
  load(rows: Array<{ collection: string; id: string; body: string }>): void {
    for (const r of rows) this.put(r.collection, r.id, r.body === TOMBSTONE ? undefined : r.body, true);
  }

  get(collection: string, id: string): StoredResource | undefined {
    return this.rows.get(keyOf(collection, id));
  }

  /**
   * Keep a body (or a tombstone); false when it does not fit the limits (counted). A
   * replacement only needs room for its growth.
   */
  put(collection: string, id: string, body: string | undefined, loading = false): boolean {
    const key = keyOf(collection, id);
    const before = this.rows.get(key);
    const size = (body?.length ?? 0) + key.length;
    const oldSize = before ? (before.body?.length ?? 0) + key.length : 0;
    if (!loading && ((!before && this.rows.size >= this.limits.maxResources) || this.bytes - oldSize + size > this.limits.maxBytes)) {
      this.overflowed++;
      return false;
    }
    this.rows.set(key, { collection, id, body });
    this.bytes += size - oldSize;
    return true;
  }

  clear(): void {
    this.rows.clear();
    this.bytes = 0;
  }

  /** Live resources (tombstones not counted). */
  get size(): number {
    let n = 0;
    for (const r of this.rows.values()) if (r.body !== undefined) n++;
    return n;
  }

  get overflow(): number {
    return this.overflowed;
  }

  list(): StoredResource[] {
    return [...this.rows.values()];
  }
}
