// The `traffic` service: patterns by id (validated whole before anything changes), their
// start/stop on the kernel clock, rates(at) propagated through the mesh's call graph (the
// propagation compiled once per topology snapshot and each pattern's reach vector once per
// snapshot and spec), and the sample of real exchanges sent through the pipeline.
import type { Clock, Dispatcher, PluginEvents, Random } from '@understudy/plugin-sdk';
import type { MeshStore } from '@understudy/plugin-mesh';
import type { PatternSpec, PatternStatus, Traffic, TrafficRates } from './contract.js';
import { TrafficErrors } from './errors.js';
import { Propagation, type Reach, type Topology } from './propagation.js';
import { compileRate, type RateFn } from './shapes/index.js';
import { checkPattern, type Checked, type TopologyView } from './validate.js';

export interface TrafficDeps {
  mesh: MeshStore;
  clock: Clock;
  random: Random;
  events: PluginEvents;
  dispatch: Dispatcher;
  baseDir: string;
  maxHops: number;
  maxPatterns: number;
  samplePerSecond: number;
}

interface Entry {
  id: string;
  spec: PatternSpec;
  checked: Checked;
  rate: RateFn;
  running: boolean;
  startedAt?: number;
  sampled: number;
  /** Its reach over the snapshot it was compiled for. */
  reach?: { for: Propagation; vector: Reach; services: Reach; mix: Array<{ key: string; weight: number; method: string; url: string }> };
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export class TrafficService implements Traffic {
  private readonly entries = new Map<string, Entry>();
  private propagation: Propagation | undefined;
  private nextId = 1;
  private readonly sampleRandom: Random;
  /** The last rates computed (the cluster and observability may ask for the same instant). */
  private last: { at: number; version: number; rates: TrafficRates } | undefined;
  private version = 0;
  /** Sample exchanges sent in total, and those that failed to dispatch (never expected). */
  sampledTotal = 0;

  constructor(private readonly deps: TrafficDeps) {
    this.sampleRandom = deps.random.fork('sample');
  }

  /** The mesh's services and endpoint keys, for validation. */
  private view(): TopologyView {
    const topology = this.deps.mesh.topology;
    return {
      services: () => topology.services.keys(),
      endpoints: (name) => topology.services.get(name)?.endpoints.map((e) => e.key),
    };
  }

  private check(value: unknown, what: string, prefix = ''): Checked {
    const { problems, checked } = checkPattern(value, this.view(), this.deps.baseDir, prefix);
    if (!checked) throw new TrafficErrors.INVALID_PATTERN(what, problems);
    return checked;
  }

  hasService(name: string): boolean {
    return this.deps.mesh.topology.services.has(name);
  }

  serviceNames(): string[] {
    return [...this.deps.mesh.topology.services.keys()];
  }

  /** Every problem of a config pattern (paths under `prefix`); empty when valid. */
  problemsOf(value: unknown, prefix: string): string[] {
    return checkPattern(value, this.view(), this.deps.baseDir, prefix).problems;
  }

  private entry(id: string): Entry {
    const e = this.entries.get(id);
    if (!e) throw new TrafficErrors.PATTERN_NOT_FOUND(id);
    return e;
  }

  private compile(id: string, checked: Checked): RateFn {
    return compileRate(checked.spec, checked.points, this.deps.random.fork(`pattern/${id}`));
  }

  private emit(type: 'traffic.started' | 'traffic.stopped' | 'traffic.changed', e: Entry, source: string): void {
    this.deps.events.emit(type, { id: e.id, service: e.spec.service, kind: e.spec.shape.kind, source });
  }

  private changed(): void {
    this.version++;
    this.last = undefined;
  }

  private status(e: Entry, now = this.deps.clock.now()): PatternStatus {
    return {
      id: e.id,
      spec: structuredClone(e.spec),
      running: e.running,
      ...(e.startedAt === undefined ? {} : { startedAt: e.startedAt }),
      rps: this.rpsOf(e, now),
      sampled: e.sampled,
    };
  }

  /** The pattern's rate at its entry point at `at` (0 when stopped or not started yet). */
  private rpsOf(e: Entry, at: number): number {
    if (!e.running || e.startedAt === undefined || at < e.startedAt) return 0;
    return e.rate((at - e.startedAt) / 1000, at / 1000);
  }

  patterns(): PatternStatus[] {
    const now = this.deps.clock.now();
    return [...this.entries.values()].map((e) => this.status(e, now));
  }

  pattern(id: string): PatternStatus {
    return this.status(this.entry(id));
  }

  add(spec: unknown, options: { id?: string; start?: boolean; source?: string } = {}): PatternStatus {
    const generated = options.id === undefined;
    const id = options.id ?? this.freeId();
    if (!ID.test(id)) throw new TrafficErrors.INVALID_PATTERN('pattern', [`id: "${id}" must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit`]);
    if (this.entries.has(id)) throw new TrafficErrors.DUPLICATE_ID(id);
    if (this.entries.size >= this.deps.maxPatterns) throw new TrafficErrors.TOO_MANY_PATTERNS(this.deps.maxPatterns);
    const checked = this.check(spec, `pattern "${id}"`);
    const e: Entry = { id, spec: checked.spec, checked, rate: this.compile(id, checked), running: false, sampled: 0 };
    this.entries.set(id, e);
    // a generated id is used up only by a pattern that was added: a refused one leaves no gap
    if (generated) this.nextId++;
    this.changed();
    this.emit('traffic.changed', e, options.source ?? 'api');
    if (options.start ?? true) this.startOne(e, options.source ?? 'api');
    return this.status(e);
  }

  /** The next `pattern-<n>` not taken (not reserved: add() moves past it once the pattern is in). */
  private freeId(): string {
    while (this.entries.has(`pattern-${this.nextId}`)) this.nextId++;
    return `pattern-${this.nextId}`;
  }

  update(id: string, changes: unknown): PatternStatus {
    const e = this.entry(id);
    if (typeof changes !== 'object' || changes === null || Array.isArray(changes)) {
      throw new TrafficErrors.INVALID_PATTERN(`change of pattern "${id}"`, ['(root): must be an object of the fields to change (service, mix, shape, scale, jitter)']);
    }
    // a shallow merge: a given shape or mix replaces the old one whole; null removes an optional field
    const merged: Record<string, unknown> = { ...e.spec };
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) delete merged[k];
      else merged[k] = v;
    }
    const checked = this.check(merged, `change of pattern "${id}"`);
    e.spec = checked.spec;
    e.checked = checked;
    e.rate = this.compile(id, checked);
    e.reach = undefined;
    this.changed();
    this.emit('traffic.changed', e, 'api');
    return this.status(e);
  }

  remove(id: string): void {
    const e = this.entry(id);
    if (e.running) this.stopOne(e, 'api');
    this.entries.delete(id);
    this.changed();
    this.emit('traffic.changed', e, 'api');
  }

  start(id?: string, source = 'api'): void {
    if (id !== undefined) return this.startOne(this.entry(id), source);
    for (const e of this.entries.values()) this.startOne(e, source);
  }

  stop(id?: string, source = 'api'): void {
    if (id !== undefined) return this.stopOne(this.entry(id), source);
    for (const e of this.entries.values()) this.stopOne(e, source);
  }

  private startOne(e: Entry, source: string): void {
    if (e.running) return;
    e.running = true;
    e.startedAt = this.deps.clock.now();
    this.changed();
    this.emit('traffic.started', e, source);
  }

  private stopOne(e: Entry, source: string): void {
    if (!e.running) return;
    e.running = false;
    e.startedAt = undefined;
    this.changed();
    this.emit('traffic.stopped', e, source);
  }

  /** The propagation of the current topology snapshot (rebuilt when mesh swapped it). */
  private current(): Propagation {
    const topology: Topology = this.deps.mesh.topology;
    if (this.propagation?.topology !== topology) {
      this.propagation = new Propagation(topology, this.deps.maxHops);
      this.changed();
    }
    return this.propagation;
  }

  /** Mesh announced a new topology: drop the compiled propagation now (rates() would notice too). */
  topologyChanged(): void {
    this.propagation = undefined;
    for (const e of this.entries.values()) e.reach = undefined;
    this.changed();
  }

  private reachOf(e: Entry, p: Propagation): NonNullable<Entry['reach']> {
    if (e.reach?.for === p) return e.reach;
    const service = p.topology.services.get(e.spec.service);
    const keys = service ? service.endpoints.map((ep) => ep.key) : [];
    const weights = e.spec.mix ?? Object.fromEntries(keys.map((k) => [k, 1]));
    // endpoints gone from the topology since the pattern was checked carry nothing
    const present = Object.entries(weights).filter(([k, w]) => w > 0 && p.node(e.spec.service, k) !== undefined);
    const total = present.reduce((s, [, w]) => s + w, 0);
    const mix = present.map(([key, w]) => {
      const ep = service!.byKey.get(key)!;
      return { key, weight: w / total, method: ep.method ?? 'GET', url: `/${service!.name}${ep.path.replace(/:\w+|\{\w+\}|\*/g, '1')}` };
    });
    const vector = p.combine(mix.map((m) => ({ node: p.node(e.spec.service, m.key)!, weight: m.weight })));
    e.reach = { for: p, vector, services: p.byService(vector), mix };
    return e.reach;
  }

  rates(at: number = this.deps.clock.now()): TrafficRates {
    const p = this.current();
    if (this.last && this.last.at === at && this.last.version === this.version) return this.last.rates;
    // per service first, from each pattern's reach summed by service (the cluster reads only these)
    const perService = this.scratch(p.services.length);
    const active: Array<{ rps: number; reach: NonNullable<Entry['reach']> }> = [];
    for (const e of this.entries.values()) {
      const rps = this.rpsOf(e, at);
      if (!(rps > 0)) continue;
      const reach = this.reachOf(e, p);
      active.push({ rps, reach });
      const { nodes, coefficients } = reach.services;
      for (let i = 0; i < nodes.length; i++) perService[nodes[i]!] += rps * coefficients[i]!;
    }
    const services = new Map<string, number>();
    for (let s = 0; s < perService.length; s++) if (perService[s]! > 0) services.set(p.services[s]!, perService[s]!);
    // by endpoint: built when first read
    let endpoints: Map<string, Map<string, number>> | undefined;
    const rates: TrafficRates = {
      at,
      services,
      get endpoints() {
        if (!endpoints) {
          const totals = new Float64Array(p.size);
          for (const { rps, reach } of active) {
            const { nodes, coefficients } = reach.vector;
            for (let i = 0; i < nodes.length; i++) totals[nodes[i]!] += rps * coefficients[i]!;
          }
          endpoints = new Map();
          for (let i = 0; i < totals.length; i++) {
            const v = totals[i]!;
            if (v === 0) continue;
            const name = p.serviceOf[i]!;
            let m = endpoints.get(name);
            if (!m) endpoints.set(name, (m = new Map()));
            m.set(p.keyOf[i]!, v);
          }
        }
        return endpoints;
      },
    };
    this.last = { at, version: this.version, rates };
    return rates;
  }

  /** A zeroed buffer of `n`, reused from call to call (its contents are copied out at once). */
  private buffer = new Float64Array(0);
  private scratch(n: number): Float64Array {
    if (this.buffer.length !== n) this.buffer = new Float64Array(n);
    else this.buffer.fill(0);
    return this.buffer;
  }

  /**
   * One second of the sample: `perSecond` real exchanges per running pattern whose rate is
   * above 0, each to an endpoint of its mix drawn by weight (seeded), through the pipeline.
   */
  sampleTick(): void {
    const n = this.deps.samplePerSecond;
    if (n === 0) return;
    const now = this.deps.clock.now();
    const p = this.current();
    for (const e of this.entries.values()) {
      if (!(this.rpsOf(e, now) > 0)) continue;
      const { mix } = this.reachOf(e, p);
      if (mix.length === 0) continue;
      for (let i = 0; i < n; i++) {
        let u = this.sampleRandom.next();
        let chosen = mix[mix.length - 1]!;
        for (const m of mix) {
          if (u < m.weight) {
            chosen = m;
            break;
          }
          u -= m.weight;
        }
        e.sampled++;
        this.sampledTotal++;
        void this.deps.dispatch({
          protocol: 'http',
          request: { method: chosen.method, url: chosen.url, headers: { 'x-understudy-traffic': e.id } },
          context: { tags: { traffic: e.id } },
        });
      }
    }
  }
}
