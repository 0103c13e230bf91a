// The learner plugin's contract: the `learner` service the proxy (and anyone else) calls,
// the events it emits, and their declaration in the kernel's Services and EventMap. Other
// plugins import these types only (`import type { Learner } from '@understudy/plugin-learner'`).
// The shape is the one agreed in the learning-proxy plan; fields are only ever added.
import type { ExchangeRequest } from '@understudy/plugin-sdk';
import type { DriftChange, EndpointModel, MockResponse, Observation } from './model/types.js';

export type * from './model/types.js';

/** What a path is known as: the endpoint key, its template and the parameter values. */
export interface EndpointMatch {
  /** `GET /users/{userId}` */
  key: string;
  /** `/users/{userId}` */
  template: string;
  /** `{ userId: '42' }` */
  params: Record<string, string>;
}

/** Small persisted key/value store for the proxy's modes, pinned templates and scoped chaos faults. */
export interface LearnerSettings {
  get<T>(key: string): Promise<T | undefined>;
  /** Written through to storage before it resolves (an admin edit survives a crash). */
  set(key: string, value: unknown): Promise<void>;
  /** Remove a key (resolves false when it was not set). */
  delete(key: string): Promise<boolean>;
  /** Every key and value, for admin views. */
  all(): Promise<Record<string, unknown>>;
}

export interface LearnerStats {
  /** Observations waiting for the next flush. */
  queued: number;
  /** Their captured bytes. */
  queuedBytes: number;
  /** Observations refused because the queue was full (count or bytes). */
  dropped: number;
  /** Observations learned into a model. */
  learned: number;
  /** Batches written to storage. */
  flushes: number;
  /** Batches storage refused (the models in memory stay; the next flush retries). */
  flushErrors: number;
  /** Endpoints known. */
  endpoints: number;
  /** Endpoints refused because `maxEndpoints` was reached. */
  endpointsDropped: number;
  /** Stateful resources kept. */
  resources: number;
  /** Synthesized answers kept for requests that come again (bounded by entries and bytes), and how often one was used. */
  mockCache: { entries: number; bytes: number; hits: number; misses: number };
}

/** Options of one mock answer. */
export interface MockOptions {
  /**
   * Seed of this answer: the same seed and request give the same response. Default: the
   * learner's run seed (config `seed`, else drawn from the plugin's seeded stream).
   */
  seed?: string | number;
  /** Use the stateful resources (default true); false answers from the learned model only. */
  stateful?: boolean;
}

export interface Learner {
  /** Enqueue an observation, never blocking; false = the queue is full (counted in `dropped`). */
  observe(o: Observation): boolean;
  /** Learn and write everything queued now (tests, stop). */
  flush(): Promise<void>;
  /** The endpoint a request falls under, or undefined when none is known. */
  lookup(method: string, path: string): EndpointMatch | undefined;
  /** A mock answer: a stateful resource first, else synthesized; undefined = unknown endpoint. */
  mock(req: ExchangeRequest, options?: MockOptions): Promise<MockResponse | undefined>;
  endpoints(): EndpointModel[];
  endpoint(key: string): EndpointModel | undefined;
  /** Drift seen so far (bounded, newest last). */
  drift(): DriftChange[];
  settings: LearnerSettings;
  /** Forget every endpoint, template, resource and drift record (settings stay). */
  reset(): Promise<void>;
  /** Learn from a HAR 1.2 file (queued and flushed before it resolves). */
  importHar(text: string): Promise<{ observed: number }>;
  stats(): LearnerStats;
}

export interface LearnerEndpointLearnedEvent {
  key: string;
  template: string;
}

export interface LearnerTemplateChangedEvent {
  /** Endpoint keys or templates that were merged / replaced. */
  from: string[];
  to: string;
}

export interface LearnerOverflowEvent {
  /** Observations dropped so far in all. */
  dropped: number;
}

declare module '@understudy/kernel' {
  interface Services {
    learner: Learner;
  }
  interface EventMap {
    'learner.endpointLearned': LearnerEndpointLearnedEvent;
    'learner.drift': DriftChange;
    'learner.templateChanged': LearnerTemplateChangedEvent;
    'learner.overflow': LearnerOverflowEvent;
  }
}
