// Stateful mocking: where the traffic showed a resource lifecycle (lifecycle.ts), a mock
// POST to the collection creates a resource (id handed out like the real API's), GET reads
// it back, PUT replaces it, PATCH merges into it, DELETE removes it (a 404 afterwards, in
// the shape the real API's 404s had). Ids the mock never created are not its business:
// those requests fall through to synthesis, which knows the real API's data. Every change
// comes back with the rows to write, so the caller persists it before the client hears of it.
import type { ExchangeRequest, Random } from '@understudy/plugin-sdk';
import type { EndpointMatch } from '../contract.js';
import type { EndpointModel, MockResponse, Observation } from '../model/types.js';
import type { Batch } from '../storage/store.js';
import { learnCreation, learnItemId, type Lifecycle } from './lifecycle.js';
import { ResourceTable, TOMBSTONE } from './resources.js';

export interface StateEnv {
  lookup(method: string, path: string): EndpointMatch | undefined;
  model(key: string): EndpointModel | undefined;
  /** A synthesized answer of `model` with the given status (undefined when it cannot make one). */
  synthesize(model: EndpointModel, req: ExchangeRequest, match: EndpointMatch, status?: number): MockResponse | undefined;
}

export interface StateAnswer {
  response: MockResponse;
  /** Rows to persist before answering. */
  writes: Pick<Batch, 'resources' | 'lifecycles'>;
}

type Json = Record<string, unknown>;

const ITEM_METHODS = new Set(['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE']);

const asObject = (text: string | undefined): Json | undefined => {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
  } catch {
    return undefined;
  }
};

/** The status a model answers most often among its 2xx ones. */
const successStatus = (model: EndpointModel | undefined, fallback: number): number =>
  model?.statuses.filter((s) => s.status >= 200 && s.status < 300).sort((a, b) => b.count - a.count || a.status - b.status)[0]?.status ?? fallback;

export class StatefulMocks {
  readonly resources: ResourceTable;
  private readonly lifecycles = new Map<string, Lifecycle>();
  private readonly dirty = new Set<string>();

  constructor(
    limits: { maxResources: number; maxBytes: number },
    private readonly random: Random,
  ) {
    this.resources = new ResourceTable(limits);
  }

  load(lifecycles: Array<{ collection: string; data: unknown }>, resources: Array<{ collection: string; id: string; body: string }>): void {
    for (const l of lifecycles) this.lifecycles.set(l.collection, l.data as Lifecycle);
    this.resources.load(resources);
  }

  list(): Lifecycle[] {
    return [...this.lifecycles.values()];
  }

  /** Learn from one observation (during a flush); `body` is its parsed JSON response body. */
  learn(o: Observation, match: EndpointMatch, body: unknown, lookup: StateEnv['lookup']): void {
    if (o.method === 'POST') {
      const next = learnCreation(this.lifecycles.get(match.template), o, match.template, body);
      if (next) this.set(next);
      return;
    }
    // an item's id teaches a lifecycle only once a creation was seen: no lookup before that
    if (this.lifecycles.size === 0) return;
    const item = splitItem(o.path);
    if (!item) return;
    const collection = lookup('POST', item.parent);
    const current = collection && this.lifecycles.get(collection.template);
    const next = current && learnItemId(current, item.id);
    if (next) this.set(next);
  }

  /** Lifecycles changed since the last call, for the next batch. */
  takeDirty(): NonNullable<Batch['lifecycles']> {
    const out = [...this.dirty].map((c) => ({ collection: c, data: this.lifecycles.get(c) ?? null }));
    this.dirty.clear();
    return out;
  }

  /** Write this lifecycle with the next batch again (the last write failed). */
  markDirty(collection: string): void {
    this.dirty.add(collection);
  }

  /** Collection templates replaced by another (learned or edited): their lifecycles move along. */
  rekey(from: string[], to: string): void {
    for (const old of from) {
      const lc = this.lifecycles.get(old);
      if (!lc || old === to) continue;
      this.lifecycles.delete(old);
      this.dirty.add(old);
      const into = this.lifecycles.get(to);
      this.set(
        into
          ? { ...into, nextSeq: Math.max(into.nextSeq, lc.nextSeq), creations: into.creations + lc.creations, location: into.location || lc.location }
          : { ...lc, collection: to },
      );
    }
  }

  clear(): void {
    this.lifecycles.clear();
    this.dirty.clear();
    this.resources.clear();
  }

  /** A stateful answer, or undefined when the request is not about a resource this mock keeps. */
  answer(req: ExchangeRequest, env: StateEnv): StateAnswer | undefined {
    const path = req.path.length > 1 ? req.path.replace(/\/+$/, '') : req.path;
    if (req.method === 'POST') {
      const created = this.create(path, req, env);
      if (created) return created;
    }
    if (!ITEM_METHODS.has(req.method)) return undefined;
    const item = splitItem(path);
    if (!item) return undefined;
    const collection = env.lookup('POST', item.parent);
    const lc = collection && this.lifecycles.get(collection.template);
    const stored = lc && this.resources.get(item.parent, item.id);
    if (!lc || !stored) return undefined;
    const match = env.lookup(req.method, path);
    const model = match && env.model(match.key);
    const synth = (status: number) => (model && match ? env.synthesize(model, req, match, status) : undefined);
    if (stored.body === undefined) return { response: this.notFound(req, env, path, model, match), writes: {} };
    const write = (body: string | undefined) => ({ resources: [{ collection: item.parent, id: item.id, body: body ?? TOMBSTONE }] });
    const respond = (status: number, body: string, kept: string | undefined | null): StateAnswer => {
      const made = synth(status);
      const response: MockResponse = {
        status,
        headers: body ? { ...(made?.headers ?? {}), 'content-type': 'application/json' } : { ...(made?.headers ?? {}) },
        body,
        delayMs: made?.delayMs ?? 0,
        via: 'state',
      };
      delete response.headers['content-length'];
      if (!body) delete response.headers['content-type'];
      if (kept === null) return { response, writes: {} };
      return { response, writes: this.resources.put(item.parent, item.id, kept) ? write(kept) : {} };
    };
    switch (req.method) {
      case 'GET':
      case 'HEAD':
        return respond(successStatus(model, 200), req.method === 'HEAD' ? '' : stored.body, null);
      case 'PUT':
      case 'PATCH': {
        const sent = asObject(req.body);
        if (!sent) return undefined;
        const next: Json = req.method === 'PATCH' ? { ...asObject(stored.body), ...sent } : { ...sent };
        if (lc.idField) next[lc.idField] = lc.idKind === 'integer' ? Number(item.id) : item.id;
        const text = JSON.stringify(next);
        const status = successStatus(model, 200);
        return respond(status, status === 204 ? '' : text, text);
      }
      default: {
        // DELETE (ITEM_METHODS holds no other)
        const status = successStatus(model, 204);
        const made = status === 204 ? undefined : synth(status);
        return respond(status, made?.body ?? '', undefined);
      }
    }
  }

  private create(path: string, req: ExchangeRequest, env: StateEnv): StateAnswer | undefined {
    const match = env.lookup('POST', path);
    const lc = match && this.lifecycles.get(match.template);
    if (!match || !lc) return undefined;
    const sent = req.body.trim() ? asObject(req.body) : {};
    if (!sent) return undefined; // not a JSON object: nothing to keep, synthesis answers
    const id = this.nextId(lc);
    const model = env.model(match.key);
    const made = model ? env.synthesize(model, req, match, lc.createdStatus) : undefined;
    const created: Json = { ...asObject(made?.body), ...sent };
    if (lc.idField) created[lc.idField] = lc.idKind === 'integer' ? Number(id) : id;
    const body = JSON.stringify(created);
    const headers: Record<string, string> = { ...(made?.headers ?? {}), 'content-type': 'application/json' };
    delete headers['content-length'];
    if (lc.location) headers.location = `${path}/${encodeURIComponent(id)}`;
    const kept = this.resources.put(path, id, body);
    return {
      response: { status: lc.createdStatus, headers, body, delayMs: made?.delayMs ?? 0, via: 'state' },
      writes: {
        lifecycles: [{ collection: lc.collection, data: lc }],
        ...(kept && { resources: [{ collection: path, id, body }] }),
      },
    };
  }

  private notFound(req: ExchangeRequest, env: StateEnv, path: string, model: EndpointModel | undefined, match: EndpointMatch | undefined): MockResponse {
    // the real API's 404 shape: this endpoint's, else the GET endpoint's of the same path
    const candidates: Array<[EndpointModel | undefined, EndpointMatch | undefined]> = [[model, match]];
    const get = env.lookup('GET', path);
    if (get) candidates.push([env.model(get.key), get]);
    for (const [m, mm] of candidates) {
      if (m && mm && m.statuses.some((s) => s.status === 404)) {
        const made = env.synthesize(m, req, mm, 404);
        if (made) return { ...made, status: 404, via: 'state' };
      }
    }
    return {
      status: 404,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ statusCode: 404, error: 'Not Found', message: `${path} was deleted` }),
      delayMs: 0,
      via: 'state',
    };
  }

  private nextId(lc: Lifecycle): string {
    this.dirty.add(lc.collection);
    if (lc.idKind === 'integer') return String(lc.nextSeq++);
    if (lc.idKind === 'uuid') return uuid(this.random);
    return `${lc.collection.split('/').filter(Boolean).pop()?.replace(/[{}]/g, '') ?? 'r'}-${lc.nextSeq++}`;
  }

  private set(lc: Lifecycle): void {
    this.lifecycles.set(lc.collection, lc);
    this.dirty.add(lc.collection);
  }
}

/** `/users/57` → parent `/users`, id `57`. */
export function splitItem(path: string): { parent: string; id: string } | undefined {
  const i = path.lastIndexOf('/');
  if (i <= 0 || i === path.length - 1) return undefined;
  let id: string;
  try {
    id = decodeURIComponent(path.slice(i + 1));
  } catch {
    return undefined;
  }
  return { parent: path.slice(0, i), id };
}

/** A version-4 UUID from the seeded stream (RFC 9562 §5.4: version and variant bits set). */
export function uuid(random: Random): string {
  const hex = Array.from({ length: 32 }, () => random.int(0, 15).toString(16));
  hex[12] = '4';
  hex[16] = ((random.int(0, 3) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
