// The sample API's HTTP server: a fastify app of its own (its own port, as a real backend
// would be) serving users, products and orders with a POST/GET/PUT/DELETE lifecycle,
// `/users/me` next to `/users/{id}`, nested `/users/{id}/orders`, lognormal latency per
// route family and occasional 500/503s — both drawn from the seeded stream and slept on the
// kernel clock, so a test decides when time passes and a run is reproducible.
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { Clock, Random } from '@understudy/plugin-sdk';
import type { Order, SampleData, User } from './data.js';

export interface BehaviourOptions {
  latency: { enabled: boolean; scale: number };
  errorRate: number;
}

/** Median ms and sigma per route family (reads of one item are fastest, writes slowest). */
const LATENCY = { item: { median: 18, sigma: 0.35 }, list: { median: 42, sigma: 0.4 }, write: { median: 65, sigma: 0.45 } } as const;
type Family = keyof typeof LATENCY;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ROLES = ['customer', 'admin', 'support'];
const STATUSES = ['pending', 'paid', 'shipped', 'cancelled'];

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface SampleServerDeps {
  data: SampleData;
  clock: Clock;
  random: Random;
  options: BehaviourOptions;
  bodyLimit: number;
  onRequest(): void;
}

export function buildServer(deps: SampleServerDeps): FastifyInstance {
  const { data, clock, random, options } = deps;
  const app = Fastify({ logger: false, bodyLimit: deps.bodyLimit });
  const notFound = (reply: FastifyReply, what: string, id: unknown) => reply.code(404).send({ error: 'not_found', message: `${what} ${String(id)} not found` });
  const invalid = (reply: FastifyReply, fields: string[]) => reply.code(422).send({ error: 'validation_failed', message: 'Some fields are invalid', fields });
  const page = <T>(items: T[], query: Record<string, string | undefined>) => {
    const limit = Math.min(Math.max(Number(query.limit ?? 20) || 20, 1), 100);
    const offset = Math.max(Number(query.offset ?? 0) || 0, 0);
    return { items: items.slice(offset, offset + limit), total: items.length, limit, offset };
  };
  const userId = (raw: string) => (/^\d+$/.test(raw) ? Number(raw) : NaN);

  /** Latency and errors of one request: sleeps on the kernel clock; true when it answered an error. */
  async function behave(family: Family, reply: FastifyReply): Promise<boolean> {
    deps.onRequest();
    if (options.latency.enabled) {
      const { median, sigma } = LATENCY[family];
      const ms = Math.round(median * Math.exp(sigma * random.normal(0, 1)) * options.latency.scale);
      if (ms > 0) await clock.sleep(ms);
    }
    if (options.errorRate > 0 && random.chance(options.errorRate)) {
      if (random.chance(0.5)) reply.code(503).header('retry-after', '1').send({ error: 'unavailable', message: 'Service temporarily unavailable' });
      else reply.code(500).send({ error: 'internal_error', message: 'Something went wrong' });
      return true;
    }
    return false;
  }

  app.get('/health', async () => ({ status: 'ok' }));

  // users
  app.get<{ Querystring: Record<string, string> }>('/users', async (req, reply) => (await behave('list', reply)) ? reply : page([...data.users.values()], req.query));
  app.get('/users/me', async (_req, reply) => {
    if (await behave('item', reply)) return reply;
    const me = data.users.get(1);
    return me ? { ...me, permissions: ['orders:read', 'orders:write', 'profile:write'] } : notFound(reply, 'User', 'me');
  });
  app.get<{ Params: { id: string } }>('/users/:id', async (req, reply) => {
    if (await behave('item', reply)) return reply;
    return data.users.get(userId(req.params.id)) ?? notFound(reply, 'User', req.params.id);
  });
  app.get<{ Params: { id: string }; Querystring: Record<string, string> }>('/users/:id/orders', async (req, reply) => {
    if (await behave('list', reply)) return reply;
    const id = userId(req.params.id);
    if (!data.users.has(id)) return notFound(reply, 'User', req.params.id);
    return page([...data.orders.values()].filter((o) => o.userId === id), req.query);
  });
  const userFields = (body: unknown, partial: boolean): string[] => {
    if (!isObj(body)) return ['(body)'];
    const bad: string[] = [];
    if ((!partial || body.name !== undefined) && (typeof body.name !== 'string' || body.name === '')) bad.push('name');
    if ((!partial || body.email !== undefined) && (typeof body.email !== 'string' || !body.email.includes('@'))) bad.push('email');
    if (body.role !== undefined && !ROLES.includes(body.role as string)) bad.push('role');
    return bad;
  };
  app.post('/users', async (req, reply) => {
    if (await behave('write', reply)) return reply;
    const bad = userFields(req.body, false);
    if (bad.length) return invalid(reply, bad);
    const body = req.body as Partial<User>;
    const base = data.someUser();
    const user = data.addUser({ ...base, name: body.name!, email: body.email!, role: body.role ?? 'customer', address: isObj(body.address) ? { ...base.address, ...body.address } : base.address, createdAt: new Date(clock.now()).toISOString() });
    return reply.code(201).header('location', `/users/${user.id}`).send(user);
  });
  app.put<{ Params: { id: string } }>('/users/:id', async (req, reply) => {
    if (await behave('write', reply)) return reply;
    const user = data.users.get(userId(req.params.id));
    if (!user) return notFound(reply, 'User', req.params.id);
    const bad = userFields(req.body, true);
    if (bad.length) return invalid(reply, bad);
    const body = req.body as Partial<User>;
    Object.assign(user, { ...(body.name && { name: body.name }), ...(body.email && { email: body.email }), ...(body.role && { role: body.role }) });
    return user;
  });
  app.delete<{ Params: { id: string } }>('/users/:id', async (req, reply) => {
    if (await behave('write', reply)) return reply;
    return data.users.delete(userId(req.params.id)) ? reply.code(204).send() : notFound(reply, 'User', req.params.id);
  });

  // products
  app.get<{ Querystring: Record<string, string> }>('/products', async (req, reply) => {
    if (await behave('list', reply)) return reply;
    const all = [...data.products.values()];
    return page(req.query.category ? all.filter((p) => p.category === req.query.category) : all, req.query);
  });
  app.get<{ Params: { id: string } }>('/products/:id', async (req, reply) => {
    if (await behave('item', reply)) return reply;
    if (!UUID.test(req.params.id)) return reply.code(400).send({ error: 'bad_request', message: 'Product ids are UUIDs' });
    return data.products.get(req.params.id) ?? notFound(reply, 'Product', req.params.id);
  });

  // orders
  app.get<{ Querystring: Record<string, string> }>('/orders', async (req, reply) => {
    if (await behave('list', reply)) return reply;
    const all = [...data.orders.values()];
    return page(req.query.status ? all.filter((o) => o.status === req.query.status) : all, req.query);
  });
  app.get<{ Params: { id: string } }>('/orders/:id', async (req, reply) => {
    if (await behave('item', reply)) return reply;
    return data.orders.get(userId(req.params.id)) ?? notFound(reply, 'Order', req.params.id);
  });
  app.post('/orders', async (req, reply) => {
    if (await behave('write', reply)) return reply;
    const body = req.body;
    const bad: string[] = [];
    if (!isObj(body) || !data.users.has(Number(body.userId))) bad.push('userId');
    const items = isObj(body) && Array.isArray(body.items) ? body.items : [];
    if (items.length === 0 || items.some((i) => !isObj(i) || !data.products.has(i.productId as string) || !Number.isInteger(i.quantity) || (i.quantity as number) < 1)) bad.push('items');
    if (bad.length) return invalid(reply, bad);
    const order = data.addOrder(
      Number((body as Record<string, unknown>).userId),
      items.map((i) => {
        const it = i as { productId: string; quantity: number };
        return { productId: it.productId, quantity: it.quantity, price: data.products.get(it.productId)!.price };
      }),
      'pending',
    );
    order.createdAt = new Date(clock.now()).toISOString();
    return reply.code(201).header('location', `/orders/${order.id}`).send(order);
  });
  app.put<{ Params: { id: string } }>('/orders/:id', async (req, reply) => {
    if (await behave('write', reply)) return reply;
    const order = data.orders.get(userId(req.params.id));
    if (!order) return notFound(reply, 'Order', req.params.id);
    const status = isObj(req.body) ? req.body.status : undefined;
    if (!STATUSES.includes(status as string)) return invalid(reply, ['status']);
    order.status = status as Order['status'];
    return order;
  });
  app.delete<{ Params: { id: string } }>('/orders/:id', async (req, reply) => {
    if (await behave('write', reply)) return reply;
    return data.orders.delete(userId(req.params.id)) ? reply.code(204).send() : notFound(reply, 'Order', req.params.id);
  });

  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: 'not_found', message: `No route ${req.method} ${req.url}` }));
  return app;
}
