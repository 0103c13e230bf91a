// A small stand-in for the industry-data plugin, for tests that need exact, known data: a
// plugin named `industry-data` providing `industryData` with finance customers (30) and
// accounts (60, account n belongs to customer ((n-1) % 30) + 1), and retail products (10).
// Entities are derived from (seed, industry, type, id, hints) as the real one's are, ids
// follow its rule (canonical "7"; "cus_000007", "cus_7" and "0007" are the same), and its
// validator refuses e-mail domains outside RFC 2606 (a safety rule) and the status
// "inconsistent" (standing for a consistency rule such as money.balance).
import { createRandom, definePlugin } from '@understudy/plugin-sdk';
import type { Entity, EntityTypeInfo, Hints, IndustryData, RelationInfo } from '@understudy/plugin-industry-data';
import { IndustryErrors } from '@understudy/plugin-industry-data';

const rel = (name: string, type: string, via: string, kind: 'one' | 'many'): RelationInfo => ({ name, type, via, kind });
const info = (type: string, plural: string, count: number, idPrefix: string, relations: RelationInfo[], fields: string[]): EntityTypeInfo => ({
  type,
  plural,
  count,
  idPrefix,
  description: `${plural} of the test data set`,
  relations,
  fields: fields.map((name) => ({ name, description: name })),
  hints: [{ key: 'name', description: 'fixed name' }],
});

export const TYPES: Record<string, EntityTypeInfo[]> = {
  finance: [
    info('customer', 'customers', 30, 'cus', [rel('accounts', 'accounts', 'customerId', 'many')], ['name', 'email', 'segment', 'createdAt', 'balance', 'tags', 'address']),
    info('account', 'accounts', 60, 'acc', [rel('customer', 'customers', 'customerId', 'one')], ['customerId', 'iban', 'balance', 'status', 'openedAt']),
  ],
  retail: [info('product', 'products', 10, 'prd', [], ['name', 'price', 'stock'])],
};

const FIRST = ['Ada', 'Ben', 'Chloe', 'Dev', 'Emma', 'Farid', 'Grace', 'Hugo'];
const LAST = ['Smith', 'Okafor', 'Larsen', 'Tanaka', 'Moreau', 'Silva'];
const SEGMENTS = ['basic', 'plus', 'premium'];

export function fakeIndustryData(seed: string): IndustryData & { calls: { list: number } } {
  const hints = new Map<string, Hints>();
  const calls = { list: 0 };
  const type = (industry: string, plural: string): EntityTypeInfo => {
    const types = TYPES[industry];
    if (!types) throw new IndustryErrors.UNKNOWN_INDUSTRY(industry, Object.keys(TYPES));
    const found = types.find((t) => t.plural === plural || t.type === plural);
    if (!found) throw new IndustryErrors.UNKNOWN_TYPE(industry, plural, types.map((t) => t.plural));
    return found;
  };
  const canonicalId = (industry: string, plural: string, id: string) => {
    const t = type(industry, plural);
    let rest = id;
    if (rest.startsWith(`${t.idPrefix}_`)) rest = rest.slice(t.idPrefix.length + 1);
    if (!/^\d+$/.test(rest)) return undefined;
    const n = Number(rest);
    return n >= 1 && n <= t.count ? String(n) : undefined;
  };
  const make = (industry: string, t: EntityTypeInfo, id: string, extra?: Hints): Entity => {
    const r = createRandom(`${seed}:${industry}:${t.plural}:${id}`);
    const n = Number(id);
    const day = String(1 + (n % 28)).padStart(2, '0');
    let e: Entity;
    if (t.plural === 'customers') {
      const first = FIRST[r.int(0, FIRST.length - 1)];
      const last = LAST[r.int(0, LAST.length - 1)];
      e = {
        id,
        type: 'customer',
        name: `${first} ${last}`,
        email: `${first.toLowerCase()}.${last.toLowerCase()}${n}@example.com`,
        segment: SEGMENTS[r.int(0, 2)],
        createdAt: `2026-01-${day}T09:00:00.000Z`,
        balance: { amount: r.int(0, 500_000), currency: 'EUR' },
        tags: n % 2 ? ['vip', 'newsletter'] : ['newsletter'],
        address: { city: ['Springfield', 'Shelbyville', 'Ogdenville'][n % 3], country: 'DE' },
      };
    } else if (t.plural === 'accounts') {
      e = {
        id,
        type: 'account',
        customerId: String(((n - 1) % 30) + 1),
        iban: `DE00 0000 0000 ${String(n).padStart(10, '0')}`,
        balance: { amount: r.int(-10_000, 900_000), currency: 'EUR' },
        status: n % 5 === 0 ? 'closed' : 'open',
        openedAt: `2025-12-${day}`,
      };
    } else {
      e = { id, type: 'product', name: `Product ${n}`, price: { amount: 100 * n, currency: 'EUR' }, stock: r.int(0, 40) };
    }
    return { ...e, ...hints.get(`${industry}/${t.plural}/${id}`), ...extra, id, type: e.type };
  };
  const get = (industry: string, plural: string, id: string, extra?: Hints) => {
    const t = type(industry, plural);
    const cid = canonicalId(industry, plural, id);
    return cid === undefined ? undefined : make(industry, t, cid, extra);
  };
  return {
    calls,
    seed,
    epoch: '2026-01-01T00:00:00Z',
    industries: () => Object.keys(TYPES),
    describe: (industry) => ({ name: industry, description: industry, source: 'builtin', types: (TYPES[industry] ?? []).map((t) => t.plural) }),
    types: (industry) => {
      if (!TYPES[industry]) throw new IndustryErrors.UNKNOWN_INDUSTRY(industry, Object.keys(TYPES));
      return TYPES[industry];
    },
    type,
    canonicalId,
    get,
    list(industry, plural, q) {
      calls.list++;
      const t = type(industry, plural);
      const items: Entity[] = [];
      for (let n = q.offset + 1; n <= Math.min(t.count, q.offset + q.limit); n++) items.push(make(industry, t, String(n)));
      return { items, total: t.count };
    },
    related(industry, plural, id, relation) {
      const t = type(industry, plural);
      const r = t.relations.find((x) => x.name === relation);
      if (!r) throw new IndustryErrors.UNKNOWN_RELATION(industry, plural, relation, t.relations.map((x) => x.name));
      const parent = get(industry, plural, id)!;
      if (r.kind === 'one') return [get(industry, r.type, String(parent[r.via]))!];
      const child = type(industry, r.type);
      const out: Entity[] = [];
      for (let n = 1; n <= child.count; n++) {
        const e = make(industry, child, String(n));
        if (e[r.via] === parent.id) out.push(e);
      }
      return out;
    },
    validate(_industry, _plural, record) {
      const problems = [];
      const email = record.email;
      if (typeof email === 'string' && !/@example\.(com|org|net)$/.test(email)) problems.push({ path: 'email', rule: 'email.rfc2606', message: `${email} is not at a reserved domain` });
      // a consistency rule, as the real validator's balances that add up
      if (record.status === 'inconsistent') problems.push({ path: 'balance', rule: 'money.balance', message: 'balance does not add up' });
      return problems;
    },
    registerHints(industry, plural, id, h) {
      hints.set(`${industry}/${type(industry, plural).plural}/${canonicalId(industry, plural, id)}`, h);
    },
    hintsOf: (industry, plural, id) => hints.get(`${industry}/${plural}/${id}`),
  };
}

/** The stand-in as a plugin (named like the real one, so personas' dependency is met). */
export const fakeIndustryPlugin = (seed = 'test-seed') =>
  definePlugin({
    name: 'industry-data',
    provides: ['industryData'],
    register(ctx) {
      ctx.provide('industryData', fakeIndustryData(seed));
    },
  });
