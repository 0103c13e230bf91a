// Native admin API under /__admin/discovery: list, register, deregister, set health.
import { type AdminApp, errorResponses, Type } from '@understudy/plugin-sdk';
import { DiscoveryErrors } from './errors.js';
import type { Registry } from './registry.js';
import type { Health } from './contract.js';

const HealthSchema = Type.Union([Type.Literal('passing'), Type.Literal('warning'), Type.Literal('critical')]);
const Strings = Type.Record(Type.String(), Type.String());

const InstanceSchema = Type.Object({
  id: Type.String(),
  service: Type.String(),
  address: Type.String(),
  port: Type.Integer(),
  tags: Type.Array(Type.String()),
  meta: Strings,
  version: Type.String(),
  source: Type.String(),
  ttlMs: Type.Optional(Type.Number()),
  health: HealthSchema,
  output: Type.String(),
  registeredAt: Type.Number(),
  lastHeartbeat: Type.Number(),
  createIndex: Type.Integer(),
  modifyIndex: Type.Integer(),
  deregisterCriticalAfterMs: Type.Integer(),
  onTtlExpiry: Type.String(),
});

const RegistrationSchema = Type.Object(
  {
    id: Type.String({ minLength: 1 }),
    service: Type.String({ minLength: 1 }),
    address: Type.String({ default: '127.0.0.1' }),
    port: Type.Integer({ minimum: 0, maximum: 65535 }),
    tags: Type.Optional(Type.Array(Type.String())),
    meta: Type.Optional(Strings),
    version: Type.Optional(Type.String()),
    ttlMs: Type.Optional(Type.Integer({ minimum: 1, description: 'Critical without a heartbeat for this long' })),
    health: Type.Optional(HealthSchema),
    deregisterCriticalAfterMs: Type.Optional(Type.Integer({ minimum: 0, description: 'Removed after being critical this long; 0 = never' })),
  },
  { additionalProperties: false },
);

const IdParams = Type.Object({ id: Type.String() });
const Index = Type.Integer({ description: 'Change index of the registry' });

export function adminRoutes(registry: Registry) {
  const need = (id: string) => {
    const instance = registry.get(id);
    if (!instance) throw new DiscoveryErrors.INSTANCE_NOT_FOUND(id);
    return instance;
  };

  return async (app: AdminApp) => {
    app.get(
      '/services',
      { schema: { summary: 'Services and their tags', response: { 200: Type.Object({ services: Type.Record(Type.String(), Type.Array(Type.String())), index: Index }) } } },
      async () => ({ services: registry.services(), index: registry.index }),
    );

    app.get<{ Params: { service: string }; Querystring: { passingOnly?: boolean; tag?: string } }>(
      '/services/:service',
      {
        schema: {
          summary: 'Instances of one service',
          params: Type.Object({ service: Type.String() }),
          querystring: Type.Object({ passingOnly: Type.Optional(Type.Boolean()), tag: Type.Optional(Type.String()) }, { additionalProperties: false }),
          response: { 200: Type.Object({ instances: Type.Array(InstanceSchema), index: Index }) },
        },
      },
      async (req) => ({ instances: registry.instances(req.params.service, req.query), index: registry.serviceIndex(req.params.service) }),
    );

    app.get<{ Params: { id: string } }>(
      '/instances/:id',
      { schema: { summary: 'One instance', params: IdParams, response: { 200: InstanceSchema, ...errorResponses(404) } } },
      async (req) => need(req.params.id),
    );

    app.post<{ Body: typeof RegistrationSchema.static }>(
      '/instances',
      { schema: { summary: 'Register an instance (an existing id is updated)', body: RegistrationSchema, response: { 201: InstanceSchema, ...errorResponses(400, 409) } } },
      async (req, reply) => {
        const { health, deregisterCriticalAfterMs, ...registration } = req.body;
        return reply.code(201).send(registry.register({ ...registration, source: 'admin' }, { health, deregisterCriticalAfterMs }));
      },
    );

    app.delete<{ Params: { id: string } }>(
      '/instances/:id',
      { schema: { summary: 'Deregister an instance', params: IdParams, response: { 200: Type.Object({}), ...errorResponses(404) } } },
      async (req) => {
        if (!registry.deregister(req.params.id)) throw new DiscoveryErrors.INSTANCE_NOT_FOUND(req.params.id);
        return {};
      },
    );

    app.put<{ Params: { id: string }; Body: { health: Health; output?: string } }>(
      '/instances/:id/health',
      {
        schema: {
          summary: 'Set the health of an instance (renews its TTL)',
          params: IdParams,
          body: Type.Object({ health: HealthSchema, output: Type.Optional(Type.String()) }, { additionalProperties: false }),
          response: { 200: InstanceSchema, ...errorResponses(400, 404) },
        },
      },
      async (req) => {
        need(req.params.id);
        registry.setHealth(req.params.id, req.body.health, req.body.output);
        return need(req.params.id);
      },
    );

    app.post<{ Params: { id: string } }>(
      '/instances/:id/heartbeat',
      { schema: { summary: 'TTL heartbeat: the instance is passing', params: IdParams, response: { 200: InstanceSchema, ...errorResponses(404) } } },
      async (req) => {
        if (!registry.heartbeat(req.params.id)) throw new DiscoveryErrors.INSTANCE_NOT_FOUND(req.params.id);
        return need(req.params.id);
      },
    );
  };
}
