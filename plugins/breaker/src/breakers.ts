// The `breakers` service: one CircuitBreaker per caller → service:endpoint (optionally per
// instance), created on the first call; the Guard decision, outcome recording, events,
// flapping detection and the live config. A call failed when the service itself failed
// (the SDK's respondedWithServerError: 5xx, a broken connection, no response); a 4xx is
// the caller's mistake, as in resilience4j and Envoy. A live config change is checked
// whole before anything changes (the same field rules as the routes, for callers of the
// service that no route schema sees) and then applied to every breaker it changes.
import { respondedWithServerError, type Clock, type Exchange, type PluginEvents } from '@understudy/plugin-sdk';
import { overridesProblems, type BreakerOverrides, type BreakerPluginConfig } from './config.js';
import type { BreakerTransitionEventType } from './contract.js';
import { BREAKER_OPEN, BreakerErrors } from './errors.js';
import type { EjectedInstance, Outliers } from './outliers.js';
import { CircuitBreaker, type BreakerConfig, type BreakerMetrics, type BreakerState, type Outcome, type Transition } from './state-machine.js';

/** This plugin's private state on an exchange (see Exchange.locals). */
const PERMITTED = Symbol('breaker.permitted');
const SHORT_CIRCUITED = Symbol('breaker.shortCircuited');

const CONFIG_KEYS = [
  'slidingWindowType',
  'slidingWindowSize',
  'minimumNumberOfCalls',
  'failureRateThreshold',
  'slowCallRateThreshold',
  'slowCallDurationThreshold',
  'waitDurationInOpenState',
  'permittedNumberOfCallsInHalfOpenState',
  'maxWaitDurationInHalfOpenState',
  'automaticTransitionFromOpenToHalfOpenEnabled',
] as const satisfies readonly (keyof BreakerConfig)[];

const EVENT_OF: Record<BreakerState, BreakerTransitionEventType> = {
  OPEN: 'breaker.opened',
  HALF_OPEN: 'breaker.halfOpened',
  CLOSED: 'breaker.closed',
  FORCED_OPEN: 'breaker.forcedOpen',
  DISABLED: 'breaker.disabled',
};

/** Outcomes shown per breaker in the listing. */
const WINDOW_SHOWN = 50;

interface Entry {
  key: string;
  caller?: string;
  service: string;
  endpoint: string;
  instance?: string;
  sm: CircuitBreaker;
  opens: number[];
  lastFlapping?: number;
  timer?: unknown;
  /** One tag object per state, shared by every exchange through this breaker. */
  tags: Partial<Record<BreakerState, BreakerTag>>;
}

export interface BreakerView extends BreakerMetrics {
  key: string;
  caller: string | null;
  service: string;
  endpoint: string;
  instance?: string;
  state: BreakerState;
  halfOpenAt?: number;
  window: Outcome[];
  transitions: Transition[];
  flapping: boolean;
  config: BreakerConfig;
}

export interface BreakerTag {
  key: string;
  state: BreakerState;
  shortCircuited?: true;
}

export class Breakers {
  private readonly entries = new Map<string, Entry>();
  /** caller → service → endpoint → breaker: finds a breaker without building its key string. */
  private readonly byRoute = new Map<string | undefined, Map<string, Map<string, Entry>>>();
  private defaults: BreakerConfig;
  private overrides: Record<string, BreakerOverrides>;

  constructor(
    private readonly config: BreakerPluginConfig,
    private readonly clock: Clock,
    private readonly events: PluginEvents,
    private readonly outliers: Outliers,
  ) {
    this.defaults = pickConfig(config);
    this.overrides = structuredClone(config.services);
  }

  /** Effective breaker settings for calls to `service`. */
  configFor(service: string): BreakerConfig {
    return { ...this.defaults, ...this.overrides[service] };
  }

  // Runs for every guarded call: without perInstance, three map lookups and no new string.
  private entryFor(ex: Exchange & { service: string }): Entry {
    const caller = ex.context.caller;
    const endpoint = ex.endpoint ?? '*';
    const instance = this.config.perInstance && typeof ex.context.tags.instance === 'string' ? ex.context.tags.instance : undefined;
    if (instance === undefined) {
      const known = this.byRoute.get(caller)?.get(ex.service)?.get(endpoint);
      if (known) return known;
    }
    const key = `${caller ?? 'client'}→${ex.service}:${endpoint}${instance === undefined ? '' : `@${instance}`}`;
    let entry = this.entries.get(key);
    if (!entry) {
      const created: Entry = { key, caller, service: ex.service, endpoint, instance, opens: [], tags: {}, sm: undefined as never };
      created.sm = new CircuitBreaker(this.configFor(ex.service), {
        now: () => this.clock.now(),
        historyLimit: this.config.historySize,
        onTransition: (t) => this.transitioned(created, t),
      });
      this.entries.set(key, created);
      if (instance === undefined) {
        let services = this.byRoute.get(caller);
        if (!services) this.byRoute.set(caller, (services = new Map()));
        let endpoints = services.get(ex.service);
        if (!endpoints) services.set(ex.service, (endpoints = new Map()));
        endpoints.set(endpoint, created);
      }
      entry = created;
    }
    return entry;
  }

  /** Stage.Guard (the kernel skips it once a response exists): short-circuit when the breaker does not permit the call. */
  guard(ex: Exchange): Exchange {
    if (ex.service === undefined) return ex;
    if (ex.context.caller === undefined && !this.config.clientCalls) return ex;
    const entry = this.entryFor(ex as Exchange & { service: string });
    const { sm, key } = entry;
    if (sm.tryAcquirePermission()) {
      ex.locals[PERMITTED] = entry;
      const state = sm.state;
      ex.context.tags.breaker = entry.tags[state] ??= Object.freeze({ key, state });
      return ex;
    }
    const state = sm.state;
    ex.locals[SHORT_CIRCUITED] = true;
    ex.context.tags.breaker = { key, state, shortCircuited: true } satisfies BreakerTag;
    ex.response = {
      status: 503,
      headers: { 'content-type': 'application/json', 'x-understudy-breaker': encodeURIComponent(key), 'x-understudy-breaker-state': state },
      body: JSON.stringify({ statusCode: 503, code: BREAKER_OPEN, error: 'Service Unavailable', message: this.why(entry, state) }),
    };
    return ex;
  }

  private why(entry: Entry, state: BreakerState): string {
    const name = `Circuit breaker "${entry.key}"`;
    if (state === 'OPEN') {
      const at = entry.sm.halfOpenAt!;
      const wait = Math.max(0, at - this.clock.now());
      return `${name} is OPEN: the call was not made. It half-opens at ${new Date(at).toISOString()} (in ${wait} ms)${entry.sm.config.automaticTransitionFromOpenToHalfOpenEnabled ? '' : ', on the first call after that'}.`;
    }
    if (state === 'HALF_OPEN') {
      return `${name} is HALF_OPEN and all ${entry.sm.config.permittedNumberOfCallsInHalfOpenState} permitted calls are in flight: the call was not made. It closes or re-opens when they complete.`;
    }
    return `${name} is FORCED_OPEN: the call was not made. Close it with POST /__admin/breaker/${encodeURIComponent(entry.key)}/close.`;
  }

  /** settled: record what happened (not for calls the breaker itself short-circuited). */
  record(ex: Exchange): void {
    if (ex.locals[SHORT_CIRCUITED]) return;
    // a failed tap is a 500, so it counts; a tap's coded 4xx is an answer, as any 4xx
    const failure = respondedWithServerError(ex);
    const entry = ex.locals[PERMITTED] as Entry | undefined;
    if (entry) {
      entry.sm.onResult((ex.endedAt ?? this.clock.now()) - ex.startedAt, failure);
    }
    const instance = ex.context.tags.instance;
    if (ex.service !== undefined && typeof instance === 'string') this.outliers.record(ex.service, instance, failure);
  }

  private transitioned(entry: Entry, t: Transition): void {
    const m = entry.sm.metrics();
    this.events.emit(EVENT_OF[t.to], {
      key: entry.key,
      caller: entry.caller ?? null,
      service: entry.service,
      endpoint: entry.endpoint,
      ...(entry.instance !== undefined && { instance: entry.instance }),
      from: t.from,
      to: t.to,
      failureRate: m.failureRate,
      slowCallRate: m.slowCallRate,
      reason: t.reason,
    });
    if (t.to === 'OPEN') this.checkFlapping(entry, t.at);
    this.schedule(entry);
  }

  /** Time-driven transitions (automatic half-open, half-open max wait) happen on time. */
  private schedule(entry: Entry): void {
    if (entry.timer !== undefined) this.clock.clearTimeout(entry.timer as never);
    entry.timer = undefined;
    const deadline = entry.sm.nextDeadline();
    if (deadline === undefined) return;
    entry.timer = this.clock.setTimeout(() => {
      entry.timer = undefined;
      entry.sm.refresh();
    }, Math.max(0, deadline - this.clock.now()));
  }

  private checkFlapping(entry: Entry, at: number): void {
    const { transitions, windowMs } = this.config.flapping;
    entry.opens = entry.opens.filter((t) => t > at - windowMs);
    entry.opens.push(at);
    if (entry.opens.length < transitions) return;
    if (entry.lastFlapping !== undefined && at - entry.lastFlapping < windowMs) return;
    entry.lastFlapping = at;
    this.events.emit('breaker.flapping', {
      key: entry.key,
      caller: entry.caller ?? null,
      service: entry.service,
      endpoint: entry.endpoint,
      transitions: entry.opens.length,
      windowMs,
      reason: `opened ${entry.opens.length} times within ${windowMs} ms`,
    });
  }

  private isFlapping(entry: Entry): boolean {
    const since = this.clock.now() - this.config.flapping.windowMs;
    return entry.opens.filter((t) => t > since).length >= this.config.flapping.transitions;
  }

  private view(entry: Entry): BreakerView {
    const { sm } = entry;
    const m = sm.metrics();
    const halfOpenAt = sm.halfOpenAt;
    return {
      key: entry.key,
      caller: entry.caller ?? null,
      service: entry.service,
      endpoint: entry.endpoint,
      ...(entry.instance !== undefined && { instance: entry.instance }),
      state: sm.state,
      ...m,
      ...(halfOpenAt !== undefined && { halfOpenAt }),
      window: sm.outcomes().slice(-WINDOW_SHOWN),
      transitions: [...sm.history],
      flapping: this.isFlapping(entry),
      config: sm.config,
    };
  }

  private entry(key: string): Entry {
    const entry = this.entries.get(key);
    if (!entry) throw new BreakerErrors.NOT_FOUND(key);
    return entry;
  }

  list(): BreakerView[] {
    return [...this.entries.values()].map((e) => this.view(e));
  }

  get(key: string): BreakerView {
    return this.view(this.entry(key));
  }

  forceOpen(key: string): BreakerView {
    this.entry(key).sm.forceOpen();
    return this.get(key);
  }

  forceClose(key: string): BreakerView {
    this.entry(key).sm.close();
    return this.get(key);
  }

  disable(key: string): BreakerView {
    this.entry(key).sm.disable();
    return this.get(key);
  }

  /** One breaker, or every breaker, back to CLOSED with empty windows. */
  reset(key?: string): number {
    const targets = key === undefined ? [...this.entries.values()] : [this.entry(key)];
    for (const e of targets) {
      e.sm.reset();
      e.opens = [];
      e.lastFlapping = undefined;
    }
    return targets.length;
  }

  /**
   * Change the defaults live. All or nothing: the changes are checked first (400
   * `US_BREAKER_INVALID_CONFIG`, every problem with its path, nothing changed); then every
   * breaker whose settings change takes them (state kept, windows start empty), and the
   * others keep their windows too.
   */
  configureDefaults(changes: BreakerOverrides): BreakerConfig {
    const defaults = { ...this.defaults, ...checked('the defaults', changes) };
    this.commit(defaults, this.overrides);
    return { ...this.defaults };
  }

  /** Change one service's overrides live; all or nothing, as configureDefaults. */
  configure(service: string, changes: BreakerOverrides): BreakerConfig {
    const overrides = { ...this.overrides, [service]: { ...this.overrides[service], ...checked(`service "${service}"`, changes) } };
    this.commit(this.defaults, overrides);
    return this.configFor(service);
  }

  /** Swap in checked settings: every breaker's new config is computed before any is applied. */
  private commit(defaults: BreakerConfig, overrides: Record<string, BreakerOverrides>): void {
    const changed: Array<[Entry, BreakerConfig]> = [];
    for (const e of this.entries.values()) {
      const next = { ...defaults, ...overrides[e.service] };
      if (CONFIG_KEYS.some((k) => next[k] !== e.sm.config[k])) changed.push([e, next]);
    }
    this.defaults = defaults;
    this.overrides = overrides;
    for (const [e, config] of changed) {
      e.sm.configure(config);
      this.schedule(e);
    }
  }

  settings(): { defaults: BreakerConfig; services: Record<string, BreakerOverrides> } {
    return { defaults: { ...this.defaults }, services: structuredClone(this.overrides) };
  }

  ejected(): EjectedInstance[] {
    return this.outliers.ejected();
  }

  instances(): ReturnType<Outliers['hostsSummary']> {
    return this.outliers.hostsSummary();
  }

  stop(): void {
    for (const e of this.entries.values()) if (e.timer !== undefined) this.clock.clearTimeout(e.timer as never);
    this.outliers.stop();
  }
}

/** `changes` if valid (a copy, keys it names only), else a coded 400 with every problem. */
function checked(what: string, changes: unknown): BreakerOverrides {
  const problems = overridesProblems(changes);
  if (problems.length) throw new BreakerErrors.INVALID_CONFIG(what, problems);
  return { ...(changes as BreakerOverrides) };
}

function pickConfig(source: BreakerConfig): BreakerConfig {
  return Object.fromEntries(CONFIG_KEYS.map((k) => [k, source[k]])) as unknown as BreakerConfig;
}
