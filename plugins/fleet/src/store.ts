// Where identities survive a restart: one SQLite table (better-sqlite3), metadata and
// credentials as JSON columns. Inserts are written at once (a provisioned device must
// survive a crash); state changes are batched and written in one transaction on the
// next turn of the event loop, because thousands of devices connecting at once would
// otherwise mean thousands of commits.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { FleetErrors } from './errors.js';
import type { Device, DeviceState } from './contract.js';

interface Row {
  id: string;
  type: string;
  serial: string;
  credentials: string;
  metadata: string;
  firmware: string;
  state: DeviceState;
  connection: Device['connection'];
  provisioned_at: number;
  last_seen_at: number | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS devices (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  serial TEXT NOT NULL,
  credentials TEXT NOT NULL,
  metadata TEXT NOT NULL,
  firmware TEXT NOT NULL,
  state TEXT NOT NULL,
  connection TEXT NOT NULL,
  provisioned_at INTEGER NOT NULL,
  last_seen_at INTEGER
)`;

const fromRow = (r: Row): Device => ({
  id: r.id,
  type: r.type,
  serial: r.serial,
  credentials: JSON.parse(r.credentials),
  metadata: JSON.parse(r.metadata),
  firmware: r.firmware,
  state: r.state,
  connection: r.connection,
  provisionedAt: r.provisioned_at,
  ...(r.last_seen_at !== null && { lastSeenAt: r.last_seen_at }),
});

const toRow = (d: Device): Row => ({
  id: d.id,
  type: d.type,
  serial: d.serial,
  credentials: JSON.stringify(d.credentials),
  metadata: JSON.stringify(d.metadata),
  firmware: d.firmware,
  state: d.state,
  connection: d.connection,
  provisioned_at: d.provisionedAt,
  last_seen_at: d.lastSeenAt ?? null,
});

export class DeviceStore {
  readonly location: string;
  private readonly db: Database.Database;
  private readonly insertRow: Database.Statement<Row>;
  private readonly updateRow: Database.Statement<Row>;
  private readonly dirty = new Map<string, Device>();
  private flushScheduled = false;
  private closed = false;

  /** `file` relative to `baseDir`, or false for an in-memory database. */
  constructor(file: string | false, baseDir: string) {
    this.location = file === false ? ':memory:' : resolve(baseDir, file);
    try {
      if (file !== false) mkdirSync(dirname(this.location), { recursive: true });
      this.db = new Database(this.location);
      if (file !== false) {
        this.db.pragma('journal_mode = WAL');
        this.db.pragma('synchronous = NORMAL');
      }
      this.db.exec(SCHEMA);
    } catch (err) {
      throw new FleetErrors.STORAGE(this.location, (err as Error).message);
    }
    const columns = 'id, type, serial, credentials, metadata, firmware, state, connection, provisioned_at, last_seen_at';
    this.insertRow = this.db.prepare(`INSERT INTO devices (${columns}) VALUES (@id, @type, @serial, @credentials, @metadata, @firmware, @state, @connection, @provisioned_at, @last_seen_at)`);
    this.updateRow = this.db.prepare(
      'UPDATE devices SET metadata = @metadata, firmware = @firmware, state = @state, last_seen_at = @last_seen_at WHERE id = @id',
    );
  }

  /** Every device, in the order it was provisioned. */
  load(): Device[] {
    return (this.db.prepare('SELECT * FROM devices ORDER BY rowid').all() as Row[]).map(fromRow);
  }

  insert(devices: Device[]): void {
    this.db.transaction((rows: Device[]) => {
      for (const d of rows) this.insertRow.run(toRow(d));
    })(devices);
  }

  /** Remember a changed device; written with the others on the next turn. */
  save(device: Device): void {
    if (this.closed) return;
    this.dirty.set(device.id, device);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // I/O batching, not model time: setImmediate is the right tool here
    setImmediate(() => this.flush());
  }

  flush(): void {
    this.flushScheduled = false;
    if (this.closed || this.dirty.size === 0) return;
    const rows = [...this.dirty.values()];
    this.dirty.clear();
    this.db.transaction((list: Device[]) => {
      for (const d of list) this.updateRow.run(toRow(d));
    })(rows);
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.db.close();
  }
}
