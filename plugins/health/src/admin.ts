// Control plane under /__admin/health: service status, probes, incidents and the recovery
// policy. Queries and bodies are checked against their schemas (400 US_HEALTH_INVALID_QUERY /
// US_HEALTH_INVALID_POLICY naming the field); unknown names are 404s with their own codes.
import { errorResponses as errors, schemaErrorFormatter, Type, type AdminApp } from '@understudy/plugin-sdk';
import type { RecoveryPolicy } from './contract.js';
import type { HealthMonitor } from './monitor.js';

const Status = Type.Union([Type.Literal('healthy'), Type.Literal('degraded'), Type.Literal('unhealthy')]);
const Policy = Type.Union([Type.Literal('planner'), Type.Literal('backoff')]);
const Slo = Type.Object({ errorRate: Type.Number(), p99Ms: Type.Number() });

export const ServiceHealthSchema = Type.Object({
  service: Type.String(),
  status: Status,
  reasons: Type.Array(Type.String()),
  ready: Type.Integer(),
  desired: Type.Integer(),
  errorRate: Type.Number(),
  p99Ms: Type.Number(),
  slo: Slo,
  dependencies: Type.Array(Type.Object({ service: Type.String(), critical: Type.Boolean(), status: Status })),
  since: Type.Number(),
});

const ProbeView = Type.Object({
  instance: Type.String(),
  probe: Type.Union([Type.Literal('liveness'), Type.Literal('readiness'), Type.Literal('startup')]),
  ok: Type.Boolean(),
  consecutiveFailures: Type.Integer(),
  consecutiveSuccesses: Type.Integer(),
  at: Type.Number(),
  message: Type.String(),
});

const Entry = Type.Object({
  at: Type.Number(),
  kind: Type.Union([Type.Literal('detected'), Type.Literal('action'), Type.Literal('recovered'), Type.Literal('note')]),
  action: Type.Optional(Type.String()),
  target: Type.Optional(Type.String()),
  message: Type.String(),
});

export const IncidentSchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  services: Type.Array(Type.String()),
  openedAt: Type.Number(),
  resolvedAt: Type.Optional(Type.Number()),
  ttrMs: Type.Optional(Type.Number()),
  status: Type.Union([Type.Literal('open'), Type.Literal('resolved')]),
  timeline: Type.Array(Entry),
  droppedEntries: Type.Optional(Type.Integer()),
});

const Counters = Type.Object({
  probes: Type.Record(Type.String(), Type.Object({ passed: Type.Integer(), failed: Type.Integer() })),
  restarts: Type.Integer(),
  incidentsOpened: Type.Integer(),
  incidentsResolved: Type.Integer(),
  recoveryTimesMs: Type.Array(Type.Number()),
  incidentsDropped: Type.Optional(Type.Integer()),
  actions: Type.Optional(Type.Record(Type.String(), Type.Integer())),
});

const PolicyView = Type.Object({
  policy: Policy,
  planner: Type.Object({
    targetUtilisation: Type.Number(),
    shedUtilisation: Type.Number(),
    overloadUtilisation: Type.Number(),
    maxShed: Type.Number(),
    shed: Type.Boolean(),
    breakers: Type.Boolean(),
    requestReplicas: Type.Boolean(),
    drainOnPressure: Type.Boolean(),
  }),
  backoff: Type.Object({ initialMs: Type.Number(), maxMs: Type.Number(), resetAfterMs: Type.Number() }),
  remedies: Type.Array(Type.Object({ service: Type.String(), shed: Type.Number(), breakers: Type.Array(Type.String()) })),
  held: Type.Integer(),
  parked: Type.Integer(),
});

const ActionView = Type.Object({ action: Type.String(), target: Type.String(), message: Type.String() });

export function adminRoutes(health: HealthMonitor) {
  return async (app: AdminApp) => {
    // GET /__admin/health itself is the kernel's liveness route: this overview answers at
    // /__admin/health/ (trailing slash) and /__admin/health/services
    const overviewOptions = {
      schema: {
        summary: 'Every service with its dependency-aware status, and the health counters',
        response: {
          200: Type.Object({
            policy: Policy,
            summary: Type.Object({ healthy: Type.Integer(), degraded: Type.Integer(), unhealthy: Type.Integer(), openIncidents: Type.Integer() }),
            services: Type.Array(ServiceHealthSchema),
            counters: Counters,
          }),
        },
      },
    };
    const overviewHandler = async () => {
      const services = health.services();
      const count = (s: string) => services.filter((v) => v.status === s).length;
      return {
        policy: health.policy,
        summary: { healthy: count('healthy'), degraded: count('degraded'), unhealthy: count('unhealthy'), openIncidents: health.incidents({ status: 'open' }).length },
        services,
        counters: health.counters(),
      };
    };
    app.get('/', { ...overviewOptions, prefixTrailingSlash: 'slash' }, overviewHandler);
    app.get('/services', overviewOptions, overviewHandler);

    app.get<{ Params: { name: string } }>(
      '/services/:name',
      { schema: { summary: 'One service: status, reasons, instances, SLOs, dependencies', params: Type.Object({ name: Type.String() }), response: { 200: ServiceHealthSchema, ...errors(404) } } },
      async (req) => health.service(req.params.name),
    );

    app.get<{ Querystring: { instance?: string } }>(
      '/probes',
      {
        schema: {
          summary: 'Probe results (of one instance with ?instance=)',
          querystring: Type.Object({ instance: Type.Optional(Type.String({ minLength: 1 })) }, { additionalProperties: false }),
          response: { 200: Type.Object({ probes: Type.Array(ProbeView) }), ...errors(400, 404) },
        },
        schemaErrorFormatter: schemaErrorFormatter('US_HEALTH_INVALID_QUERY'),
      },
      async (req) => ({ probes: health.probes(req.query.instance) }),
    );

    app.get<{ Querystring: { status?: 'open' | 'resolved'; service?: string } }>(
      '/incidents',
      {
        schema: {
          summary: 'Incidents, newest first (?status=open|resolved, ?service=)',
          querystring: Type.Object(
            { status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('resolved')])), service: Type.Optional(Type.String({ minLength: 1 })) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ incidents: Type.Array(IncidentSchema), dropped: Type.Integer() }), ...errors(400) },
        },
        schemaErrorFormatter: schemaErrorFormatter('US_HEALTH_INVALID_QUERY'),
      },
      async (req) => ({ incidents: health.incidents(req.query), dropped: health.store.dropped }),
    );

    app.get<{ Params: { id: string } }>(
      '/incidents/:id',
      { schema: { summary: 'One incident with its timeline and time to recovery', params: Type.Object({ id: Type.String() }), response: { 200: IncidentSchema, ...errors(404) } } },
      async (req) => health.incident(req.params.id),
    );

    app.get('/policy', { schema: { summary: 'The recovery policy, planner settings, backoff, remedies in force', response: { 200: PolicyView } } }, async () => health.policyView());

    app.put<{ Body: { policy: RecoveryPolicy } }>(
      '/policy',
      {
        schema: {
          summary: 'Switch the recovery policy at run time (planner | backoff)',
          body: Type.Object({ policy: Policy }, { additionalProperties: false }),
          response: { 200: Type.Object({ ...PolicyView.properties, actions: Type.Array(ActionView) }), ...errors(400) },
        },
        schemaErrorFormatter: schemaErrorFormatter('US_HEALTH_INVALID_POLICY'),
      },
      async (req) => {
        const actions = health.setPolicy(req.body.policy).map((a) => ({ action: a.action, target: a.target, message: a.message }));
        return { ...health.policyView(), actions };
      },
    );
  };
}
