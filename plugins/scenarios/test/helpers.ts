// Test helpers: an in-memory `sessions` double (JSON merge patch over fixed base entities,
// snapshot/restore), a kernel with the scenarios plugin on a real socket and the virtual
// clock, and small readers of the captured scenario events.
import type { Entity, Sessions, SessionState } from '@understudy/plugin-personas';
import { createTestKernel, fetchJson, type TestKernel } from '@understudy/plugin-sdk/testing';
import scenarios from '../src/index.js';

function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export interface FakeSessions extends Sessions {
  patches: Array<{ session: string; key: string; changes: Record<string, unknown>; cause?: string }>;
  restores: number;
  /** Make patch throw for this entity key. */
  refuse?: string;
}

/** Base entities: accounts 1–9 (balance 100000 and debits 20000 EUR cents, status active), customers 40–49, cards 1–5. */
export function baseEntity(industry: string, plural: string, id: string): Entity | undefined {
  if (industry !== 'finance') return undefined;
  const n = Number(id);
  if (plural === 'accounts' && n >= 1 && n <= 9) return { id, type: 'account', balance: { amount: 100_000, currency: 'EUR' }, debits: { amount: 20_000, currency: 'EUR' }, status: 'active', score: 50 };
  if (plural === 'customers' && n >= 40 && n <= 49) return { id, type: 'customer', riskRating: 'low', name: `Customer ${id}` };
  if (plural === 'cards' && n >= 1 && n <= 5) return { id, type: 'card', status: 'active' };
  return undefined;
}

export function fakeSessions(): FakeSessions {
  const state = new Map<string, Map<string, Entity>>();
  const layer = (session: string) => state.get(session) ?? state.set(session, new Map()).get(session)!;
  const fake: FakeSessions = {
    patches: [],
    restores: 0,
    list: () => [...state.keys()].map((name) => ({ name, createdAt: 0, updatedAt: 0, patched: state.get(name)!.size, created: 0, deleted: 0, bytes: 0 })),
    info: () => undefined,
    create: (name) => (layer(name), { name, createdAt: 0, updatedAt: 0, patched: 0, created: 0, deleted: 0, bytes: 0 }),
    delete: (name) => void state.delete(name),
    get(session, industry, plural, id) {
      return state.get(session)?.get(`${industry}/${plural}/${id}`) ?? baseEntity(industry, plural, id);
    },
    patch(session, industry, plural, id, changes, cause) {
      const key = `${industry}/${plural}/${id}`;
      const current = fake.get(session, industry, plural, id);
      if (!current || fake.refuse === key) throw Object.assign(new Error(`No entity ${key}`), { code: 'US_PERSONAS_ENTITY_NOT_FOUND', statusCode: 404 });
      const next = mergePatch(current, changes) as Entity;
      layer(session).set(key, next);
      fake.patches.push({ session, key, changes, ...(cause !== undefined && { cause }) });
      return next;
    },
    createEntity: () => {
      throw new Error('not in the double');
    },
    deleteEntity: () => {
      throw new Error('not in the double');
    },
    reset: (session) => void state.delete(session),
    snapshot(session): SessionState {
      const entries = [...(state.get(session) ?? new Map<string, Entity>())];
      return { entities: entries.map(([key, record]) => { const [industry, plural, id] = key.split('/') as [string, string, string]; return { industry, plural, id, kind: 'patched', record: structuredClone(record), updatedAt: 0 }; }) };
    },
    restore(session, snapshot) {
      fake.restores++;
      state.set(session, new Map(snapshot.entities.map((e) => [`${e.industry}/${e.plural}/${e.id}`, structuredClone(e.record!)])));
    },
  };
  return fake;
}

export interface Harness {
  kernel: TestKernel;
  sessions: FakeSessions | undefined;
  admin: string;
  /** POST/PUT/GET under /__admin/scenarios. */
  call(method: string, path: string, json?: unknown): ReturnType<typeof fetchJson>;
  /** data of captured scenario.* events (optionally of one type), without wallAt. */
  events(type?: string): Array<Record<string, unknown>>;
}

export async function harness(options: { config?: Record<string, unknown>; sessions?: boolean; cwd?: string; seed?: number; kernel?: Record<string, unknown> } = {}): Promise<Harness> {
  const sessions = options.sessions === false ? undefined : fakeSessions();
  const kernel = await createTestKernel({
    plugins: [scenarios],
    config: { scenarios: options.config ?? {} },
    ...(sessions && { services: { sessions } }),
    ...(options.cwd && { cwd: options.cwd }),
    ...(options.seed !== undefined && { seed: options.seed }),
    ...(options.kernel && { kernel: options.kernel }),
  });
  const admin = `${kernel.baseUrl}/__admin/scenarios`;
  return {
    kernel,
    sessions,
    admin,
    call: (method, path, json) => fetchJson(`${admin}${path}`, { method, ...(json !== undefined && { json }) }),
    events: (type) =>
      kernel.captured
        .filter((e) => (type ? e.type === type : e.type.startsWith('scenario.')))
        .map((e) => ({ type: e.type, ...(e.data as Record<string, unknown>) }))
        .map(({ wallAt: _w, ...rest }) => rest),
  };
}

/** Run `fn` on a fresh harness, stopping its kernel afterwards whatever happens. */
export async function withHarness(fn: (h: Harness) => Promise<void>, options: Parameters<typeof harness>[0] = {}): Promise<void> {
  const h = await harness(options);
  try {
    await fn(h);
  } finally {
    await h.kernel.stop();
  }
}

/** A small script: two sets, a progression, a waypoint after it. */
export const SMALL = {
  name: 'small',
  steps: [
    { id: 'a', at: '0s', waypoint: 'Begin', set: { entity: 'finance/accounts/1', changes: { status: 'frozen' } } },
    { id: 'fall', at: '10s', progress: { entity: 'finance/accounts/1', field: 'balance.amount', to: 0, over: '20s', every: '5s' } },
    { id: 'low', after: 'fall', waypoint: 'Low', set: { entity: 'finance/accounts/1', changes: { status: 'overdrawn' } } },
    { id: 'end', after: 'low', delay: '10s', waypoint: 'End', emit: { type: 'bank.done', data: { ok: true } } },
  ],
};
