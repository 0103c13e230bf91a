// Where identities survive a restart: one SQLite table (better-sqlite3), metadata and
// credentials as JSON columns. Inserts and admin edits are written at once, each batch in
// one transaction that either holds or leaves nothing (a provisioned device must survive a
// crash, and a bulk edit happens whole or not at all); state changes from connections are
// batched and written in one transaction on the next turn of the event loop, because
// thousands of devices connecting at once would otherwise mean thousands of commits.
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
  kept_offline: number;
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
  last_seen_at INTEGER,
  kept_offline INTEGER NOT NULL DEFAULT 0
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
  ...(r.kept_offline === 1 && { keptOffline: true }),
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
  kept_offline: d.keptOffline ? 1 : 0,
});

export class DeviceStore {
  readonly location: string;
  private readonly db: Database.Database;
  private readonly insertRow: Database.Statement<Row>;
  private readonly updateRow: Database.Statement<Row>;
  private readonly dirty = new Map<string, Device>();
  private flushScheduled = false;
  private closed = false;

  /**
   * `file` relative to `baseDir`, or false for an in-memory database. `onError` hears of a
   * batched state write that failed (the devices in memory stay right; the file lags).
   */
  constructor(
    file: string | false,
    baseDir: string,
    private readonly onError: (err: Error) => void = () => {},
  ) {
    this.location = file === false ? ':memory:' : resolve(baseDir, file);
    try {
      if (file !== false) mkdirSync(dirname(this.location), { recursive: true });
      this.db = new Database(this.location);
      if (file !== false) {
        this.db.pragma('journal_mode = WAL');
        this.db.pragma('synchronous = NORMAL');
      }
      this.db.exec(SCHEMA);
      // files written before kept_offline existed
      const columns = this.db.prepare('PRAGMA table_info(devices)').all() as Array<{ name: string }>;
      if (!columns.some((c) => c.name === 'kept_offline')) this.db.exec('ALTER TABLE devices ADD COLUMN kept_offline INTEGER NOT NULL DEFAULT 0');
    } catch (err) {
      throw new FleetErrors.STORAGE(this.location, (err as Error).message);
    }
    const columns = 'id, type, serial, credentials, metadata, firmware, state, connection, provisioned_at, last_seen_at, kept_offline';
    this.insertRow = this.db.prepare(
      `INSERT INTO devices (${columns}) VALUES (@id, @type, @serial, @credentials, @metadata, @firmware, @state, @connection, @provisioned_at, @last_seen_at, @kept_offline)`,
    );
    this.updateRow = this.db.prepare(
      'UPDATE devices SET metadata = @metadata, firmware = @firmware, state = @state, last_seen_at = @last_seen_at, kept_offline = @kept_offline WHERE id = @id',
    );
  }

  /** Every device, in the order it was provisioned. */
  load(): Device[] {
    return (this.db.prepare('SELECT * FROM devices ORDER BY rowid').all() as Row[]).map(fromRow);
  }

  /** Store new devices: all of them in one transaction, or none (US_FLEET_STORAGE_WRITE). */
  insert(devices: Device[]): void {
    this.write(() => {
      for (const d of devices) this.insertRow.run(toRow(d));
    });
  }

  /**
   * Write changed devices now, all in one transaction or none (US_FLEET_STORAGE_WRITE): an
   * admin edit is stored before it is applied in memory, so a failure changes nothing.
   */
  saveNow(devices: Device[]): void {
    this.write(() => {
      for (const d of devices) this.updateRow.run(toRow(d));
    });
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
    try {
      this.db.transaction((list: Device[]) => {
        for (const d of list) this.updateRow.run(toRow(d));
      })(rows);
    } catch (err) {
      this.onError(err as Error);
    }
  }

  private write(run: () => void): void {
    if (this.closed) throw new FleetErrors.STORAGE_WRITE(this.location, 'the storage is closed (the fleet stopped)');
    try {
      this.db.transaction(run)();
    } catch (err) {
      throw new FleetErrors.STORAGE_WRITE(this.location, (err as Error).message);
    }
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.db.close();
  }
}
