// Replication of a stateful workload (`spec.stateful`): which instance is the primary, how far
// each other instance's data is behind, and which reads saw stale data.
//
// The rule (README "Stateful workloads"):
// - writes (non-GET requests to the service: the load model's accepted write rate every tick,
//   and every real write that got an answer) advance the primary's position; the primary is
//   the oldest Ready instance, and stays primary while it is Ready. When it leaves Ready the
//   most up-to-date Ready instance is promoted (ties: the oldest); the writes it had not yet
//   received are lost (asynchronous replication), counted in the `cluster.primaryChanged` event;
// - every other Ready instance applies each write `replicationLagMs` later: its data is that of
//   the primary `replicationLagMs` ago. That is the workload's contract, not staleness;
// - an instance whose process stops keeps the data it had. When it is Ready again (a restart, or
//   a new replica seeded at its creation), it is behind by the writes it missed; it replays them
//   and is current `catch-up` ms after it turned Ready: max(replicationLagMs, missed writes ÷
//   catchUpWritesPerSecond) — at least the lag, as every write reaches a replica that late;
// - a read (GET or HEAD) served by an instance that lacks writes a current replica has is
//   stale: in the load model, the reads routed to it × the time it was behind in the tick; a
//   real exchange is tagged and counted when it is served.
// Times are the kernel clock's; data positions are times ("has every write accepted up to t")
// plus a bounded log of cumulative write counts, to tell whether writes were missed at all.
import type { ReplicationView } from './contract.js';
import type { Instance } from './model.js';

/** Entries of the write log kept (ticks or instants with writes); older ones fold into a floor. */
export const WRITE_LOG_SIZE = 4096;

export interface ReplicationEvents {
  caughtUp(e: { instance: string; staleReads: number; tookMs: number }): void;
  behind(e: { instance: string; behindMs: number; missedWrites: number; currentAt: number }): void;
  primaryChanged(e: { from?: string; to?: string; lostWrites: number; reason: string }): void;
}

interface Replica {
  /** The primary's data it holds: every write accepted up to this time. */
  dataAt: number;
  /** Applying writes replicationLagMs after the primary (data = now − lag). */
  current: boolean;
  /** Replaying the writes it missed: data moves from `from` (at `start`) to `end − lag` (at `end`). */
  catchUp: { from: number; start: number; end: number } | undefined;
  /** Reads it served while behind, since it last fell behind. */
  staleReads: number;
}

/** Cumulative write counts at instants, bounded; `cumAt(t)` is the count of writes accepted up to t. */
export class WriteLog {
  private readonly at = new Float64Array(WRITE_LOG_SIZE);
  private readonly cum = new Float64Array(WRITE_LOG_SIZE);
  private head = 0;
  private size = 0;
  /** Cumulative count of the newest entry dropped (the floor below the kept entries). */
  private floor = 0;
  total = 0;
  dropped = 0;

  add(at: number, writes: number): void {
    if (writes <= 0) return;
    this.total += writes;
    const last = this.size > 0 ? (this.head + this.size - 1) % WRITE_LOG_SIZE : -1;
    if (last >= 0 && this.at[last] === at) {
      this.cum[last] = this.total;
      return;
    }
    if (this.size === WRITE_LOG_SIZE) {
      this.floor = this.cum[this.head]!;
      this.head = (this.head + 1) % WRITE_LOG_SIZE;
      this.size--;
      this.dropped++;
    }
    const i = (this.head + this.size) % WRITE_LOG_SIZE;
    this.at[i] = at;
    this.cum[i] = this.total;
    this.size++;
  }

  /** Writes accepted up to and including `t`. */
  cumAt(t: number): number {
    // binary search for the last entry with at <= t
    let lo = 0;
    let hi = this.size - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.at[(this.head + mid) % WRITE_LOG_SIZE]! <= t) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found < 0 ? this.floor : this.cum[(this.head + found) % WRITE_LOG_SIZE]!;
  }

  /** Writes accepted in (from, to]. */
  between(from: number, to: number): number {
    return to <= from ? 0 : Math.max(0, this.cumAt(to) - this.cumAt(from));
  }
}

const EPSILON = 1e-9;

export class Replication {
  readonly log = new WriteLog();
  primary: Instance | undefined;
  staleReads = 0;
  /** Real stale reads since the last tick (added to the tick's count). */
  private realStale = 0;
  private readonly replicas = new Map<Instance, Replica>();

  constructor(
    public lagMs: number,
    public catchUpRate: number | undefined,
    private readonly events: ReplicationEvents,
  ) {}

  private replica(inst: Instance): Replica {
    let r = this.replicas.get(inst);
    if (!r) {
      // a new instance is seeded from a current replica when it is created
      r = { dataAt: inst.createdAt - this.lagMs, current: false, catchUp: undefined, staleReads: 0 };
      this.replicas.set(inst, r);
    }
    return r;
  }

  /** The primary's data an instance holds now. */
  dataAt(inst: Instance, now: number): number {
    if (inst === this.primary) return now;
    const r = this.replica(inst);
    if (r.current) return now - this.lagMs;
    const c = r.catchUp;
    if (!c) return r.dataAt;
    // done replaying: current from then on (the next tick says so)
    if (now >= c.end) return now - this.lagMs;
    const span = c.end - c.start;
    return c.from + ((now - c.start) / span) * (c.end - this.lagMs - c.from);
  }

  /** Writes a current replica has that `inst` lacks (0: it reads what a current replica reads). */
  missed(inst: Instance, now: number): number {
    if (inst === this.primary) return 0;
    const r = this.replica(inst);
    if (r.current) return 0;
    return this.log.between(this.dataAt(inst, now), now - this.lagMs);
  }

  /** How much older its data is than a current replica's, in ms (0 when it lacks no write). */
  behindMs(inst: Instance, now: number): number {
    if (this.missed(inst, now) <= EPSILON) return 0;
    return Math.max(0, now - this.lagMs - this.dataAt(inst, now));
  }

  /** Every instance Ready now, in creation order: the first primary, the rest current (a running cluster). */
  seed(ready: readonly Instance[], now: number): void {
    for (const inst of ready) {
      const r = this.replica(inst);
      r.current = true;
      r.dataAt = now - this.lagMs;
    }
    if (!this.primary && ready.length > 0) this.promote(ready, now, 'first Ready instance');
  }

  /** An instance changed state (cluster.ts move()); `ready` is the workload's Ready list after it. */
  changed(inst: Instance, from: string, to: string, now: number, ready: readonly Instance[]): void {
    const running = (s: string) => s === 'Starting' || s === 'Ready' || s === 'NotReady';
    if (to === 'Ready') this.cameReady(inst, now, ready);
    else if (running(from) && !running(to)) {
      // the process stopped: it keeps the data it had
      const r = this.replica(inst);
      r.dataAt = this.dataAt(inst, now);
      r.current = false;
      r.catchUp = undefined;
    }
    if (from === 'Ready' && to !== 'Ready' && inst === this.primary) {
      // NotReady keeps replicating as a follower (it is the most current one)
      const r = this.replica(inst);
      r.dataAt = now;
      r.current = to === 'NotReady';
      this.primary = undefined;
      this.promote(ready, now, `${inst.id} left Ready (${to})`, inst.id);
    }
    if (to === 'Terminated') this.replicas.delete(inst);
  }

  private cameReady(inst: Instance, now: number, ready: readonly Instance[]): void {
    if (!this.primary) {
      this.promote(ready, now, `${inst.id} is Ready`);
      if (inst === this.primary) return;
    }
    const r = this.replica(inst);
    if (r.current || r.catchUp) return;
    const missed = this.log.between(r.dataAt, now - this.lagMs);
    if (missed <= EPSILON) {
      r.current = true;
      return;
    }
    const ms = Math.max(this.lagMs, this.catchUpRate ? (missed / this.catchUpRate) * 1000 : 0);
    if (ms <= 0) {
      r.current = true;
      return;
    }
    r.catchUp = { from: r.dataAt, start: now, end: now + ms };
    r.staleReads = 0;
    this.events.behind({ instance: inst.id, behindMs: Math.round(now - this.lagMs - r.dataAt), missedWrites: Math.round(missed), currentAt: now + ms });
  }

  /** The most up-to-date Ready instance (ties: the oldest) becomes the primary. */
  private promote(ready: readonly Instance[], now: number, reason: string, from?: string): void {
    let best: Instance | undefined;
    let bestAt = -Infinity;
    for (const inst of ready) {
      const at = this.dataAt(inst, now);
      if (at > bestAt + EPSILON) {
        best = inst;
        bestAt = at;
      }
    }
    const lostWrites = best ? this.log.between(bestAt, now) : 0;
    this.primary = best;
    if (best) {
      const r = this.replica(best);
      r.current = true;
      r.catchUp = undefined;
    }
    if (from !== undefined || best) this.events.primaryChanged({ ...(from !== undefined && { from }), ...(best && { to: best.id }), lostWrites: Math.round(lostWrites), reason });
  }

  /** A real write the service answered: the primary's position moves. */
  write(now: number): void {
    if (this.primary) this.log.add(now, 1);
  }

  /**
   * A real read served by `inst`: its ms behind when it was stale (counted unless `sample`: the
   * load model holds traffic's samples already), else 0.
   */
  read(inst: Instance, now: number, sample: boolean): number {
    const behind = inst.state === 'Ready' ? this.behindMs(inst, now) : 0;
    if (behind > 0 && !sample) {
      this.replica(inst).staleReads++;
      this.staleReads++;
      this.realStale++;
    }
    return behind;
  }

  /**
   * One tick of the load model: `writeRate` accepted writes/s (recorded at the tick's end),
   * `readRate` reads/s routed to each Ready instance. Returns the tick's stale reads (the
   * simulated ones plus the real ones since the last tick); replicas done catching up are
   * current again (an event each).
   */
  tick(now: number, durationMs: number, writeRate: number, readRate: number, ready: readonly Instance[]): number {
    let stale = this.realStale;
    this.realStale = 0;
    const start = now - durationMs;
    for (const inst of ready) {
      if (inst === this.primary) continue;
      const r = this.replica(inst);
      const c = r.catchUp;
      if (r.current || !c) continue;
      // the reads of the part of the tick it was Ready and behind
      const from = Math.max(start, c.start);
      const ms = Math.min(now, c.end) - from;
      if (readRate > 0 && ms > 0 && this.log.between(this.dataAt(inst, from), from - this.lagMs) > EPSILON) {
        const n = (readRate * ms) / 1000;
        r.staleReads += n;
        this.staleReads += n;
        stale += n;
      }
      if (now >= c.end) {
        r.current = true;
        r.catchUp = undefined;
        this.events.caughtUp({ instance: inst.id, staleReads: Math.round(r.staleReads), tookMs: c.end - c.start });
      }
    }
    if (this.primary && writeRate > 0) this.log.add(now, (writeRate * durationMs) / 1000);
    return stale;
  }

  view(now: number, instances: Iterable<Instance>): ReplicationView {
    const behind: Record<string, number> = {};
    const catchingUp: Record<string, number> = {};
    const byInstance: Record<string, number> = {};
    for (const inst of instances) {
      if (inst === this.primary) continue;
      const r = this.replicas.get(inst);
      const ms = this.behindMs(inst, now);
      if (ms > 0) behind[inst.id] = Math.round(ms);
      if (r?.catchUp) catchingUp[inst.id] = r.catchUp.end;
      if (r && (r.staleReads > 0 || ms > 0)) byInstance[inst.id] = Math.round(r.staleReads);
    }
    return {
      lagMs: this.lagMs,
      ...(this.catchUpRate !== undefined && { catchUpWritesPerSecond: this.catchUpRate }),
      ...(this.primary && { primary: this.primary.id }),
      writes: Math.round(this.log.total),
      behind,
      catchingUp,
      staleReads: Math.round(this.staleReads),
      staleReadsByInstance: byInstance,
    };
  }
}
