// The `learner` service: the proxy hands it observations (`observe`, never blocking: a
// bounded queue), a timer on the kernel clock drains the queue every `flushIntervalMs`
// (default 250 ms), learns each observation into the models in memory (path templates,
// endpoint models, drift, resource lifecycles) and writes what changed in ONE storage
// transaction — so a kill -9 loses at most the batch being learned, and the store is always
// at a batch boundary. Reads (`lookup`, `endpoints`, `mock`) are answered from memory;
// stateful mock changes and settings are written through before they answer, because a
// client was told about them.
import { createRandom, type Clock, type ExchangeRequest, type PluginEvents, type Random, type TimerHandle } from '@understudy/plugin-sdk';
import type { Logger } from 'pino';
import type { LearnerConfig } from './config.js';
import type { EndpointMatch, Learner, LearnerSettings, LearnerStats, MockOptions } from './contract.js';
import { LearnerErrors } from './errors.js';
import { parseHar } from './har.js';
import { detectDrift, LatencyWatch } from './model/drift.js';
import { EndpointLearner, mediaType, parseJsonBody } from './model/endpoint.js';
import { PathTemplates, type TemplateChange } from './model/templates.js';
import type { DriftChange, EndpointModel, MockResponse, Observation } from './model/types.js';
import { ObservationQueue } from './queue.js';
import { StatefulMocks, type StateEnv } from './state/stateful-mock.js';
import type { Batch, LearnerStore } from './storage/store.js';
import { MockCache } from './synth/cache.js';
import { synthesize } from './synth/synthesize.js';

export interface LearnerDeps {
  config: LearnerConfig;
  clock: Clock;
  random: Random;
  events: PluginEvents;
  logger: Pick<Logger, 'warn' | 'info'>;
  store: LearnerStore;
}

/** The parsed JSON body of a response (undefined when it is not JSON or not captured). */
const responseJson = (o: Observation): unknown => parseJsonBody(o.responseBody, mediaType(o.responseHeaders?.['content-type']));

/**
 * Observations learned in one go before the event loop is let through (the batch is still
 * written in one transaction). ≈ 5 µs each once an endpoint is mature (sampled learning),
 * ≈ 40 µs while young, so a slice is ≈ 2.5 ms (≤ 20 ms while everything is young); each
 * slice summarises and encodes each endpoint's histogram once (~70 µs).
 */
const LEARN_SLICE = 512;
const letIoThrough = () => new Promise<void>((resolve) => setImmediate(resolve));

/** `lookup` answers kept at most (the map is emptied when full). */
const LOOKUP_CACHE = 10_000;

const SETTING_KEY = /^[\x21-\x7e][\x20-\x7e]{0,199}$/;

export class LearnerService implements Learner {
  readonly settings: LearnerSettings;
  private readonly config: LearnerConfig;
  private readonly clock: Clock;
  private readonly events: PluginEvents;
  private readonly logger: LearnerDeps['logger'];
  private readonly store: LearnerStore;
  private readonly queue: ObservationQueue;
  private readonly learner: EndpointLearner;
  private readonly state: StatefulMocks;
  private readonly seed: string | number;
  private templates: PathTemplates;
  private models = new Map<string, EndpointModel>();
  private pinned = new Set<string>();
  private driftLog: Array<{ seq: number; change: DriftChange }> = [];
  private nextDriftSeq = 1;
  private settingsCache = new Map<string, unknown>();
  private readonly mockCache = new MockCache();
  /** `lookup` answers (null: no endpoint) since the templates last changed. */
  private readonly lookups = new Map<string, EndpointMatch | null>();
  // what the next batch writes
  private dirtyModels = new Set<string>();
  private deletedModels = new Set<string>();
  private templatesDirty = false;
  private pendingDrift: Array<{ seq: number; change: DriftChange }> = [];
  // counters
  private learnedTotal = 0;
  private flushCount = 0;
  private flushErrorCount = 0;
  private endpointsDroppedTotal = 0;
  private reportedDropped = 0;
  private timer: TimerHandle | undefined;
  private chain: Promise<void> = Promise.resolve();
  private started = false;
  private closed = false;

  constructor(deps: LearnerDeps) {
    this.config = deps.config;
    this.clock = deps.clock;
    this.events = deps.events;
    this.logger = deps.logger;
    this.store = deps.store;
    this.queue = new ObservationQueue(deps.config.queue);
    this.learner = new EndpointLearner({ examples: deps.config.examples, secrets: deps.config.secrets, sampling: deps.config.sampling });
    this.state = new StatefulMocks(deps.config.state, deps.random.fork('state'));
    this.seed = deps.config.seed ?? deps.random.int(0, 0x7fffffff);
    this.templates = this.newTemplates();
    this.settings = {
      get: async <T>(key: string) => {
        const v = this.settingsCache.get(key);
        return v === undefined ? undefined : (structuredClone(v) as T);
      },
      set: async (key, value) => {
        const text = this.checkSetting(key, value);
        await this.store.setSetting(key, value);
        this.settingsCache.set(key, JSON.parse(text));
      },
      delete: async (key) => {
        this.checkKey(key);
        const had = await this.store.deleteSetting(key);
        this.settingsCache.delete(key);
        return had;
      },
      all: async () => Object.fromEntries([...this.settingsCache].map(([k, v]) => [k, structuredClone(v)])),
    };
  }

  private newTemplates(): PathTemplates {
    return new PathTemplates({ minDistinct: this.config.templates.minDistinct });
  }

  /** Load what the store holds and start the flush timer. */
  async start(): Promise<void> {
    await this.store.open();
    const snap = await this.store.load();
    this.templates = snap.templates === undefined ? this.newTemplates() : PathTemplates.fromJSON(snap.templates, { minDistinct: this.config.templates.minDistinct });
    this.lookups.clear();
    this.refreshPinned();
    for (const m of snap.endpoints) this.models.set(m.key, m);
    this.state.load(snap.lifecycles, snap.resources);
    for (const [k, v] of Object.entries(snap.settings)) this.settingsCache.set(k, v);
    this.driftLog = snap.drift.slice(-this.config.maxDrift);
    this.nextDriftSeq = (snap.drift.at(-1)?.seq ?? 0) + 1;
    this.timer = this.clock.setInterval(() => {
      this.flush().catch(() => {});
    }, this.config.flushIntervalMs);
    this.started = true;
  }

  /** Flush what is queued, stop the timer, close the store (idempotent). */
  async stop(): Promise<void> {
    if (this.closed) return;
    if (this.timer) this.clock.clearInterval(this.timer);
    if (this.started) await this.flush().catch(() => {});
    this.closed = true;
    await this.store.close();
  }

  get storage(): { kind: string; location: string } {
    return { kind: this.store.kind, location: this.store.location };
  }

  observe(o: Observation): boolean {
    if (this.closed) return false;
    return this.queue.push(o);
  }

  flush(): Promise<void> {
    return this.serial(() => this.learnAndWrite(this.queue.drain()));
  }

  /** One thing at a time: flushes, imports and resets never interleave. */
  private serial(fn: () => Promise<void>): Promise<void> {
    const run = this.chain.then(fn);
    this.chain = run.catch(() => {});
    return run;
  }

  private async learnAndWrite(batch: Observation[]): Promise<void> {
    if (this.closed) return;
    // in slices, with the event loop let through between them: a backlog of thousands of
    // observations never holds up the proxied requests for the whole of its learning
    for (let i = 0; i < batch.length; i += LEARN_SLICE) {
      if (i > 0) await letIoThrough();
      this.learnBatch(i === 0 && batch.length <= LEARN_SLICE ? batch : batch.slice(i, i + LEARN_SLICE));
    }
    if (this.queue.dropped > this.reportedDropped) {
      this.reportedDropped = this.queue.dropped;
      this.events.emit('learner.overflow', { dropped: this.queue.dropped });
    }
    const write: Batch = {
      at: this.clock.now(),
      endpoints: [...this.dirtyModels].map((k) => this.models.get(k)).filter((m): m is EndpointModel => !!m),
      deleteEndpoints: [...this.deletedModels],
      ...(this.templatesDirty && { templates: this.templates.toJSON() }),
      drift: this.pendingDrift,
      lifecycles: this.state.takeDirty(),
    };
    if (this.driftLog.length && this.driftLog[0].seq > 1) write.pruneDriftBelow = this.driftLog[0].seq;
    const empty = !write.endpoints!.length && !write.deleteEndpoints!.length && !this.templatesDirty && !write.drift!.length && !write.lifecycles!.length;
    if (empty) return;
    const dirty = { models: this.dirtyModels, deleted: this.deletedModels, drift: this.pendingDrift };
    this.dirtyModels = new Set();
    this.deletedModels = new Set();
    this.pendingDrift = [];
    this.templatesDirty = false;
    try {
      await this.store.write(write);
      this.flushCount++;
    } catch (err) {
      // the models in memory stay right: write them with the next batch
      this.flushErrorCount++;
      for (const k of dirty.models) this.dirtyModels.add(k);
      for (const k of dirty.deleted) if (!this.models.has(k)) this.deletedModels.add(k);
      this.pendingDrift.unshift(...dirty.drift);
      this.templatesDirty = true;
      for (const l of write.lifecycles ?? []) this.state.markDirty(l.collection);
      this.logger.warn({ err }, 'learner: a batch could not be written; it is retried with the next flush');
      throw err;
    }
  }

  /**
   * Learn a batch: templates first (a promotion inside the batch re-keys earlier models
   * once), then per endpoint in one go — EndpointLearner.observeAll encodes the latency
   * histogram once per endpoint and batch instead of once per observation (deflating it
   * was the largest single cost: ~0.12 ms of ~0.4 ms per observation, measured with
   * --cpu-prof on 9,000 JSON observations). Sampled learning (`sampling`): most
   * observations of a mature endpoint are only counted, so a body is parsed only when it
   * is learned in full, a POST's for the resource lifecycles, or nowhere. Drift is checked
   * against the model as it was before the batch, each change once per batch: the latency
   * rule over the batch in order (LatencyWatch), the other rules only for the observations
   * learned in full (a transport failure is never drift).
   */
  private learnBatch(batch: Observation[]): void {
    // the templates change below: what lookup answered may not hold afterwards
    this.lookups.clear();
    const groups = new Map<string, { template: string; items: Array<{ o: Observation; params: Record<string, string> }> }>();
    let lastChange = -1;
    const learned = batch.map((o, i) => {
      const r = this.templates.learn(o.method.toUpperCase(), o.path);
      if (!r.overflow) this.templatesDirty = true;
      if (r.changed.length) {
        this.rekey(r.changed);
        lastChange = i;
      }
      return r;
    });
    batch.forEach((o, i) => {
      const method = o.method.toUpperCase();
      const r = learned[i];
      // a template learned after the batch's last change is still the current one
      const now = i >= lastChange || r.overflow ? r : this.templates.match(method, o.path) || r;
      const key = `${method} ${now.template}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { template: now.template, items: [] }));
      group.items.push({ o: o.method === method ? o : { ...o, method }, params: now.params });
    });
    const driftSeen = new Set<string>();
    for (const [key, group] of groups) {
      const before = this.models.get(key);
      if (!before && this.models.size >= this.config.maxEndpoints) {
        this.endpointsDroppedTotal += group.items.length;
        continue;
      }
      // each body parsed at most once, and only when something needs it
      const parsed = new Map<number, unknown>();
      const bodyOf = (i: number) => {
        if (!parsed.has(i)) parsed.set(i, responseJson(group.items[i].o));
        return parsed.get(i);
      };
      const full: boolean[] = [];
      const last = group.items[group.items.length - 1];
      const model = this.rematchExamples(
        this.learner.observeAll(
          before,
          group.items.map((it) => it.o),
          { template: group.template, params: last.params },
          { body: bodyOf, full },
        ),
      );
      if (before) {
        const latency = new LatencyWatch(before);
        group.items.forEach(({ o }, i) => {
          const shift = latency.observe(o.latencyMs, !o.failure);
          if (shift) this.noteDrift(driftSeen, key, { key: before.key, kind: 'latency-shift', at: o.at, before: shift.band, after: shift.median });
          // an observation on the light path is of a known status and media type whose first
          // observation (learned in full) reported them: only the latency rule is left for it
          if (!full[i]) return;
          for (const change of detectDrift(before, o, bodyOf(i), { latency: false })) this.noteDrift(driftSeen, key, change);
        });
      }
      if (this.isPinned(group.template)) model.pinned = true;
      this.models.set(key, model);
      this.dirtyModels.add(key);
      this.deletedModels.delete(key);
      this.learnedTotal += group.items.length;
      if (!before) this.events.emit('learner.endpointLearned', { key, template: group.template });
      if (this.config.state.enabled) {
        group.items.forEach(({ o, params }, i) => {
          // only a creation's answer says something to the lifecycle rule
          this.state.learn(o, { key, template: group.template, params }, o.method === 'POST' ? bodyOf(i) : undefined, (m, p) => this.lookup(m, p));
        });
      }
    }
  }

  private isPinned(template: string): boolean {
    return this.pinned.has(template);
  }

  /** Pins change only through admin edits (and a load): the set is rebuilt then, not per observation. */
  private refreshPinned(): void {
    this.pinned = new Set(this.templates.templates().filter((t) => t.pinned).map((t) => t.template));
  }

  /** Record a drift change unless the batch already did (once per endpoint, kind, status and place). */
  private noteDrift(seen: Set<string>, key: string, change: DriftChange): void {
    const id = `${key} ${change.kind} ${change.status ?? ''} ${change.pointer ?? ''}`;
    if (seen.has(id)) return;
    seen.add(id);
    this.recordDrift(change);
  }

  private recordDrift(change: DriftChange): void {
    const entry = { seq: this.nextDriftSeq++, change };
    this.driftLog.push(entry);
    if (this.driftLog.length > this.config.maxDrift) this.driftLog.splice(0, this.driftLog.length - this.config.maxDrift);
    this.pendingDrift.push(entry);
    if (this.pendingDrift.length > this.config.maxDrift) this.pendingDrift.splice(0, this.pendingDrift.length - this.config.maxDrift);
    this.events.emit('learner.drift', change);
  }

  /** Templates replaced by another: their endpoint models (per method) merge into the new key. */
  private rekey(changes: TemplateChange[]): void {
    for (const change of changes) {
      const from = new Set(change.from);
      const moved: string[] = [];
      const byMethod = new Map<string, EndpointModel[]>();
      for (const model of this.models.values()) {
        if (!from.has(model.template) || model.template === change.to) continue;
        byMethod.set(model.method, [...(byMethod.get(model.method) ?? []), model]);
      }
      for (const [method, models] of byMethod) {
        const target = `${method} ${change.to}`;
        const existing = this.models.get(target);
        const merged = this.learner.merge(existing ? [existing, ...models] : models, { template: change.to, params: {} });
        for (const m of models) {
          this.models.delete(m.key);
          this.dirtyModels.delete(m.key);
          this.deletedModels.add(m.key);
          moved.push(m.key);
        }
        this.models.set(target, this.rematchExamples(merged));
        this.dirtyModels.add(target);
        this.deletedModels.delete(target);
      }
      this.state.rekey(change.from, change.to);
      this.templatesDirty = true;
      this.events.emit('learner.templateChanged', { from: change.from, to: change.to });
      if (moved.length) this.logger.info({ from: moved, to: change.to }, 'learner: endpoints merged into a template');
    }
  }

  /**
   * Examples carry the parameters of the match they were learned with — an older template's
   * (none for a literal `/users/1`) or the batch's last request's: match their own paths
   * again, so synthesis sees `id` equal `userId` in each.
   */
  private rematchExamples(model: EndpointModel): EndpointModel {
    for (const status of model.statuses) {
      status.examples = status.examples.map((ex) => {
        const m = this.templates.match(model.method, ex.path);
        return m && m.template === model.template ? { ...ex, params: m.params } : ex;
      });
    }
    return model;
  }

  /**
   * The learned endpoint of a request. The proxy asks for every request it routes (on the
   * response path), and templates change only while a batch is learned or edited: answers
   * are kept until then (frozen; bounded), so a path seen again costs one map lookup
   * instead of a walk of the template tree and a rendered template (≈ 1–2 µs).
   */
  lookup(method: string, path: string): EndpointMatch | undefined {
    const upper = method.toUpperCase();
    const cacheKey = `${upper} ${path}`;
    const hit = this.lookups.get(cacheKey);
    if (hit !== undefined) return hit ?? undefined;
    const m = this.templates.match(upper, path);
    const found = m ? Object.freeze({ key: `${upper} ${m.template}`, template: m.template, params: Object.freeze(m.params) }) : null;
    if (this.lookups.size >= LOOKUP_CACHE) this.lookups.clear();
    this.lookups.set(cacheKey, found);
    return found ?? undefined;
  }

  async mock(req: ExchangeRequest, options: MockOptions = {}): Promise<MockResponse | undefined> {
    if (this.closed) return undefined;
    const seed = options.seed ?? this.seed;
    const method = req.method.toUpperCase();
    const request = method === req.method ? req : { ...req, method };
    if (this.config.state.enabled && options.stateful !== false) {
      const answer = this.state.answer(request, this.stateEnv(seed));
      if (answer) {
        const { resources, lifecycles } = answer.writes;
        if (resources?.length || lifecycles?.length) await this.store.write({ at: this.clock.now(), ...answer.writes });
        return answer.response;
      }
    }
    const match = this.lookup(method, req.path);
    const model = match && this.models.get(match.key);
    if (!match || !model) return undefined;
    return this.synthesizeFor(model, request, match, seed);
  }

  private synthesizeFor(model: EndpointModel, req: ExchangeRequest, match: EndpointMatch, seed: string | number, status?: number): MockResponse {
    const q = req.url.indexOf('?');
    const query = q === -1 ? '' : new URLSearchParams(req.url.slice(q + 1)).toString();
    const stream = `${match.key} ${req.path}${query ? `?${query}` : ''}`;
    const now = this.clock.now();
    // a request without a body: the answer is a pure function of the model object, the seed,
    // the stream name, the method, the status asked for and (only when the model has no
    // lastSeen) the clock — the same inputs answer from the cache, byte for byte
    const cacheKey = req.body ? undefined : `${seed}\u0000${req.method}\u0000${status ?? ''}\u0000${model.lastSeen ? '' : now}\u0000${stream}`;
    if (cacheKey !== undefined) {
      const hit = this.mockCache.get(cacheKey, model);
      if (hit) return hit;
    }
    const answer = synthesize(
      model,
      { method: req.method, path: req.path, params: match.params, query: req.query, ...(req.body && { body: req.body }) },
      createRandom(seed, stream),
      { now, ...(status !== undefined && { status }) },
    );
    if (cacheKey !== undefined) this.mockCache.set(cacheKey, model, answer);
    return answer;
  }

  private stateEnv(seed: string | number): StateEnv {
    return {
      lookup: (m, p) => this.lookup(m, p),
      model: (key) => this.models.get(key),
      synthesize: (model, req, match, status) => this.synthesizeFor(model, req, match, seed, status),
    };
  }

  endpoints(): EndpointModel[] {
    return [...this.models.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  endpoint(key: string): EndpointModel | undefined {
    return this.models.get(key);
  }

  drift(): DriftChange[] {
    return this.driftLog.map((d) => d.change);
  }

  /** The path templates (admin views and edits). */
  get pathTemplates(): PathTemplates {
    return this.templates;
  }

  /** The lifecycles stateful mocks follow (admin view). */
  lifecycles() {
    return this.state.list();
  }

  /**
   * Change the templates atomically: `edit` works on a copy; if it throws nothing changed;
   * else the copy replaces the templates, models are re-keyed and everything is written in
   * one batch before it resolves.
   */
  editTemplates<T extends { changed?: TemplateChange[] }>(edit: (templates: PathTemplates) => T): Promise<T> {
    let result!: T;
    return this.serial(async () => {
      // learn what is queued first, so the edit applies to everything seen so far
      await this.learnAndWrite(this.queue.drain());
      const copy = PathTemplates.fromJSON(this.templates.toJSON(), { minDistinct: this.config.templates.minDistinct });
      result = edit(copy);
      this.templates = copy;
      this.lookups.clear();
      this.templatesDirty = true;
      this.refreshPinned();
      if (result.changed?.length) this.rekey(result.changed);
      for (const model of this.models.values()) {
        // templates can be pinned, never unpinned
        if (!model.pinned && this.isPinned(model.template)) {
          model.pinned = true;
          this.dirtyModels.add(model.key);
        }
      }
      await this.learnAndWrite([]);
    }).then(() => result);
  }

  async reset(): Promise<void> {
    await this.serial(async () => {
      this.queue.drain();
      await this.store.reset();
      this.templates = this.newTemplates();
      this.lookups.clear();
      this.refreshPinned();
      this.models.clear();
      this.state.clear();
      this.driftLog = [];
      this.dirtyModels.clear();
      this.deletedModels.clear();
      this.pendingDrift = [];
      this.templatesDirty = false;
    });
  }

  async importHar(text: string): Promise<{ observed: number }> {
    const observations = parseHar(text);
    await this.serial(() => this.learnAndWrite([...this.queue.drain(), ...observations]));
    return { observed: observations.length };
  }

  stats(): LearnerStats {
    return {
      queued: this.queue.length,
      queuedBytes: this.queue.queuedBytes,
      dropped: this.queue.dropped,
      learned: this.learnedTotal,
      flushes: this.flushCount,
      flushErrors: this.flushErrorCount,
      endpoints: this.models.size,
      endpointsDropped: this.endpointsDroppedTotal,
      resources: this.state.resources.size,
      mockCache: { entries: this.mockCache.size, bytes: this.mockCache.cachedBytes, hits: this.mockCache.hits, misses: this.mockCache.misses },
    };
  }

  private checkKey(key: unknown): void {
    if (typeof key !== 'string' || !SETTING_KEY.test(key)) throw new LearnerErrors.BAD_SETTING(String(key).slice(0, 60), 'the key must be 1–200 printable characters');
  }

  private checkSetting(key: string, value: unknown): string {
    this.checkKey(key);
    let text: string | undefined;
    try {
      text = JSON.stringify(value);
    } catch (err) {
      throw new LearnerErrors.BAD_SETTING(key, `the value cannot be stored as JSON (${(err as Error).message})`);
    }
    if (text === undefined) throw new LearnerErrors.BAD_SETTING(key, 'the value is undefined; delete the key instead');
    if (text.length > 1024 * 1024) throw new LearnerErrors.BAD_SETTING(key, `the value is ${text.length} bytes of JSON, more than 1 MiB`);
    return text;
  }
}
