// Consul's HTTP API (the parts service discovery uses), wire-compatible; the plugin mounts
// these routes under /v1 with ctx.routes. Consul answers unknown ids, and a registration
// past maxInstances, in plain text; each such answer carries x-understudy-code.
import { type AdminApp, type AdminReply, readJsonWhateverTheType } from '@understudy/plugin-sdk';
import { DiscoveryErrors } from '../errors.js';
import { assertHealth, type Registry } from '../registry.js';
import { codeHeaderOnErrors, plainCoded, plainError } from '../wire-errors.js';
import type { Health } from '../contract.js';
import { type BlockingQuery, flag, parseBlocking, type WaitLimits } from './blocking.js';
import { fromConsulBody } from './register-body.js';
import { agentService, catalogService, type CheckInfo, type ConsulNode, defaultCheck, healthEntry } from './shapes.js';

export interface ConsulDeps {
  registry: Registry;
  node: ConsulNode;
  limits: WaitLimits;
}

type ReadQuery = BlockingQuery & { passing?: string; tag?: string };

/** Consul answers unknown ids in plain text. */
function notFound(reply: AdminReply, code: string, message: string) {
  return plainError(reply, 404, code, message);
}
const { INSTANCE_NOT_FOUND, CHECK_NOT_FOUND, LIMIT_REACHED } = DiscoveryErrors;

export function consulRoutes({ registry, node, limits }: ConsulDeps) {
  /** Check of each service id, and service id of each check id. */
  const checks = new Map<string, CheckInfo>();
  const checkOwners = new Map<string, string>();
  registry.onRemoved((instance) => {
    const check = checks.get(instance.id);
    if (check) checkOwners.delete(check.checkId);
    checks.delete(instance.id);
  });
  const checkOf = (id: string, ttl: boolean) => checks.get(id) ?? defaultCheck(id, ttl);

  /** Wait when the query blocks, then set Consul's index headers. */
  async function read(query: ReadQuery, reply: AdminReply, service?: string): Promise<void> {
    const blocking = parseBlocking(query, limits);
    if (blocking) await registry.waitForChange(blocking.index, blocking.waitMs, service);
    const index = service === undefined ? registry.index : registry.serviceIndex(service);
    reply.header('x-consul-index', String(index)).header('x-consul-knownleader', 'true').header('x-consul-lastcontact', '0');
  }

  function updateCheck(reply: AdminReply, checkId: string, health: Health, output: string | undefined) {
    const serviceId = checkOwners.get(checkId) ?? (checkId.startsWith('service:') ? checkId.slice('service:'.length) : undefined);
    if (serviceId === undefined || !registry.setHealth(serviceId, health, output)) {
      return notFound(reply, CHECK_NOT_FOUND.code, `Unknown check ID "${checkId}". Ensure that the check ID is passed, not the check name.`);
    }
    return reply.code(200).send('');
  }

  return async (app: AdminApp) => {
    readJsonWhateverTheType(app);
    codeHeaderOnErrors(app);

    app.put('/agent/service/register', async (req, reply) => {
      const { registration, options, check } = fromConsulBody(req.body);
      const previous = checks.get(registration.id);
      try {
        registry.register(registration, options);
      } catch (err) {
        // past maxInstances: plain text, as Consul's own refusals are
        if (err instanceof LIMIT_REACHED) return plainCoded(reply, err);
        throw err;
      }
      if (previous) checkOwners.delete(previous.checkId);
      checks.set(registration.id, check);
      checkOwners.set(check.checkId, registration.id);
      return reply.code(200).send('');
    });

    app.put<{ Params: { id: string } }>('/agent/service/deregister/:id', async (req, reply) => {
      const { id } = req.params;
      if (!registry.deregister(id)) return notFound(reply, INSTANCE_NOT_FOUND.code, `Unknown service ID "${id}". Ensure that the service ID is passed, not the service name.`);
      return reply.code(200).send('');
    });

    app.get<{ Querystring: ReadQuery }>('/agent/services', async (req, reply) => {
      await read(req.query, reply);
      return Object.fromEntries(registry.all().map((i) => [i.id, agentService(i, node)]));
    });

    app.get<{ Params: { id: string }; Querystring: ReadQuery }>('/agent/service/:id', async (req, reply) => {
      await read(req.query, reply);
      const instance = registry.get(req.params.id);
      if (!instance) return notFound(reply, INSTANCE_NOT_FOUND.code, `unknown service ID: ${req.params.id}`);
      return agentService(instance, node);
    });

    const statuses: Array<[string, Health]> = [['pass', 'passing'], ['warn', 'warning'], ['fail', 'critical']];
    for (const [verb, health] of statuses) {
      app.put<{ Params: { checkId: string }; Querystring: { note?: string } }>(`/agent/check/${verb}/:checkId`, async (req, reply) =>
        updateCheck(reply, req.params.checkId, health, req.query.note ?? ''),
      );
    }

    app.put<{ Params: { checkId: string } }>('/agent/check/update/:checkId', async (req, reply) => {
      const body = (req.body ?? {}) as { Status?: unknown; Output?: unknown; status?: unknown; output?: unknown };
      const status = body.Status ?? body.status;
      assertHealth(status, 'Status');
      const output = body.Output ?? body.output;
      return updateCheck(reply, req.params.checkId, status, typeof output === 'string' ? output : '');
    });

    app.get<{ Querystring: ReadQuery }>('/catalog/services', async (req, reply) => {
      await read(req.query, reply);
      return registry.services();
    });

    app.get<{ Params: { name: string }; Querystring: ReadQuery }>('/catalog/service/:name', async (req, reply) => {
      const { name } = req.params;
      await read(req.query, reply, name);
      return registry.instances(name, { tag: req.query.tag }).map((i) => catalogService(i, node));
    });

    app.get<{ Params: { name: string }; Querystring: ReadQuery }>('/health/service/:name', async (req, reply) => {
      const { name } = req.params;
      await read(req.query, reply, name);
      const found = registry.instances(name, { tag: req.query.tag, passingOnly: flag(req.query.passing) });
      return found.map((i) => healthEntry(i, checkOf(i.id, i.ttlMs !== undefined), node));
    });
  };
}
