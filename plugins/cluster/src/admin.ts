// Control plane under /__admin/cluster: the summary, nodes (add, fail, recover, cordon,
// drain, pressure), workloads (read, apply a partial spec with ?dryRun, delete),
// instances (filter, page, kill, evict, restart), load shedding and the last tick.
// Workload bodies are checked by spec.ts (every problem with its path, nothing changes);
// unknown names are 404s with a code and a hint naming what exists.
import { documentedOnly, errorResponses as errors, schemaErrorFormatter, Type, type AdminApp } from '@understudy/plugin-sdk';
import { ClusterErrors } from './errors.js';
import type { ClusterService } from './cluster.js';
import { INSTANCE_STATES, type ClusterInstance, type ClusterTick, type InstanceState } from './contract.js';

const ResourcesSchema = Type.Object({ cpu: Type.Number(), memory: Type.Number() });
const NodeViewSchema = Type.Object({
  name: Type.String(),
  zone: Type.String(),
  cpu: Type.Number(),
  memory: Type.Number(),
  instanceType: Type.String(),
  pricePerHour: Type.Number(),
  interruptible: Type.Boolean(),
  labels: Type.Record(Type.String(), Type.String()),
  condition: Type.Union([Type.Literal('Ready'), Type.Literal('NotReady')]),
  unschedulable: Type.Boolean(),
  draining: Type.Boolean(),
  allocated: ResourcesSchema,
  usage: ResourcesSchema,
  pressure: ResourcesSchema,
  instances: Type.Integer(),
});
const StateSchema = Type.Union(INSTANCE_STATES.map((s) => Type.Literal(s)));
const InstanceSchema = Type.Object({
  id: Type.String(),
  workload: Type.String(),
  service: Type.String(),
  version: Type.String(),
  state: StateSchema,
  since: Type.Number(),
  node: Type.Optional(Type.String()),
  zone: Type.Optional(Type.String()),
  createdAt: Type.Number(),
  startedAt: Type.Optional(Type.Number()),
  readyAt: Type.Optional(Type.Number()),
  restarts: Type.Integer(),
  lastTermination: Type.Optional(Type.Object({ reason: Type.String(), at: Type.Number(), exitCode: Type.Integer() })),
  reason: Type.Optional(Type.String()),
  process: Type.Object({ up: Type.Boolean(), live: Type.Boolean(), ready: Type.Boolean() }),
  gates: Type.Record(Type.String(), Type.Boolean()),
  load: Type.Object({
    arrivalRate: Type.Number(),
    utilisation: Type.Number(),
    latencyMs: Type.Number(),
    errorRate: Type.Number(),
    cpu: Type.Number(),
    memoryMiB: Type.Number(),
  }),
});
const CountsSchema = Type.Record(Type.String(), Type.Integer(), { description: 'Instances by state' });
const WorkloadViewSchema = Type.Object({
  name: Type.String(),
  spec: Type.Unknown({ description: 'The whole WorkloadSpec (see the README)' }),
  states: CountsSchema,
  ready: Type.Integer(),
  replicaSets: Type.Record(Type.String(), Type.Integer()),
  revision: Type.Integer(),
  trafficWeights: Type.Optional(Type.Record(Type.String(), Type.Number(), { description: "A deployment's traffic weights, version → weight (absent: even over the Ready instances)" })),
  replication: Type.Optional(
    Type.Object(
      {
        lagMs: Type.Number(),
        catchUpWritesPerSecond: Type.Optional(Type.Number()),
        primary: Type.Optional(Type.String()),
        writes: Type.Integer(),
        behind: Type.Record(Type.String(), Type.Number(), { description: 'instance → ms behind a current replica' }),
        catchingUp: Type.Record(Type.String(), Type.Number(), { description: 'instance → clock time it is current' }),
        staleReads: Type.Integer(),
        staleReadsByInstance: Type.Record(Type.String(), Type.Integer()),
      },
      { description: 'A stateful workload: primary, replicas behind, reads that saw stale data' },
    ),
  ),
});
const ApplyResultSchema = Type.Object({
  workload: Type.String(),
  dryRun: Type.Boolean(),
  created: Type.Boolean(),
  diff: Type.Array(Type.Object({ path: Type.String(), from: Type.Unknown(), to: Type.Unknown() })),
  actions: Type.Array(Type.String()),
});
const ServiceTickSchema = Type.Object({
  service: Type.String(),
  workload: Type.Optional(Type.String()),
  demand: Type.Number(),
  admitted: Type.Number(),
  served: Type.Number(),
  errorRate: Type.Number(),
  latencyMs: Type.Number(),
  p99Ms: Type.Number(),
  utilisation: Type.Number(),
  ready: Type.Integer(),
  desired: Type.Integer(),
  readyByVersion: Type.Record(Type.String(), Type.Integer()),
  shareByVersion: Type.Optional(Type.Record(Type.String(), Type.Number(), { description: 'Share of the admitted demand per version with Ready instances (a workload only)' })),
  errorRateByVersion: Type.Optional(Type.Record(Type.String(), Type.Number(), { description: "Error ratio of each version's own requests, dependencies' errors included (a workload only)" })),
});
const StatsSchema = Type.Object({
  at: Type.Union([Type.Number(), Type.Null()]),
  durationMs: Type.Number(),
  services: Type.Record(Type.String(), ServiceTickSchema),
});
const SummarySchema = Type.Object({
  at: Type.Number(),
  instances: Type.Integer(),
  states: CountsSchema,
  nodes: Type.Object({ total: Type.Integer(), ready: Type.Integer() }),
  workloads: Type.Array(
    Type.Object({
      name: Type.String(),
      service: Type.String(),
      version: Type.String(),
      replicas: Type.Integer(),
      ready: Type.Integer(),
      states: CountsSchema,
      replicaSets: Type.Record(Type.String(), Type.Integer()),
      revision: Type.Integer(),
    }),
  ),
  historyDropped: Type.Integer({ description: 'Terminated instances dropped from the bounded history' }),
});

const NameParams = Type.Object({ name: Type.String() });
const IdParams = Type.Object({ id: Type.String() });
/** The optional `{ reason }` of an action; documented only: a POST with no body at all must work (curl -X POST). */
const ReasonBody = Type.Object({ reason: Type.Optional(Type.String()) }, { additionalProperties: false });

/** The reason of an action's body, which may be absent; anything but `{ reason?: string }` is a 400. */
function reasonOf(body: unknown): string | undefined {
  if (body === undefined || body === null || body === '') return undefined;
  const keys = typeof body === 'object' && !Array.isArray(body) ? Object.keys(body) : undefined;
  const reason = (body as { reason?: unknown }).reason;
  if (keys && keys.every((k) => k === 'reason') && (reason === undefined || typeof reason === 'string')) return reason as string | undefined;
  throw new ClusterErrors.INVALID_VALUE(['body: must be an object with an optional string `reason` (or no body at all)']);
}
const InstancesQuery = Type.Object(
  {
    workload: Type.Optional(Type.String()),
    service: Type.Optional(Type.String()),
    state: Type.Optional(StateSchema),
    node: Type.Optional(Type.String()),
    zone: Type.Optional(Type.String()),
    limit: Type.Integer({ minimum: 1, maximum: 10_000, default: 100 }),
    offset: Type.Integer({ minimum: 0, default: 0 }),
  },
  { additionalProperties: false },
);

/** An instance as JSON (a live one without its bookkeeping). */
const view = (i: ClusterInstance): ClusterInstance => ((i as { toJSON?: () => ClusterInstance }).toJSON?.() ?? i);

export function statsOf(tick: ClusterTick | undefined) {
  if (!tick) return { at: null, durationMs: 0, services: {} };
  return { at: tick.at, durationMs: tick.durationMs, services: Object.fromEntries(tick.services) };
}

export function adminRoutes(cluster: ClusterService) {
  return async (app: AdminApp) => {
    const bad = { schemaErrorFormatter: schemaErrorFormatter('US_CLUSTER_INVALID_VALUE') };
    app.get('/', { schema: { summary: 'Instances by state, nodes and workloads', response: { 200: SummarySchema } } }, async () => cluster.summary());

    // nodes
    app.get('/nodes', { schema: { summary: 'Every node', response: { 200: Type.Object({ nodes: Type.Array(NodeViewSchema) }) } } }, async () => ({ nodes: cluster.nodes() }));
    app.post<{ Body: unknown }>(
      '/nodes',
      {
        schema: {
          summary: 'Add a node: { name, cpu (millicores), memory (MiB), zone?, instanceType?, pricePerHour?, interruptible?, labels? }',
          body: Type.Unknown(),
          response: { 201: NodeViewSchema, ...errors(400, 409) },
        },
      },
      async (req, reply) => {
        reply.code(201);
        return cluster.addNode(req.body);
      },
    );
    app.get<{ Params: { name: string } }>('/nodes/:name', { schema: { summary: 'One node', params: NameParams, response: { 200: NodeViewSchema, ...errors(404) } } }, async (req) =>
      cluster.node(req.params.name),
    );
    const nodeAction = (path: string, summary: string, run: (name: string, body: { reason?: string }) => unknown) =>
      app.post<{ Params: { name: string }; Body: unknown }>(
        `/nodes/:name/${path}`,
        { schema: { summary, params: NameParams, body: ReasonBody, response: { 200: NodeViewSchema, ...errors(400, 404) } }, validatorCompiler: documentedOnly },
        async (req) => {
          run(req.params.name, { reason: reasonOf(req.body) });
          return cluster.node(req.params.name);
        },
      );
    nodeAction('fail', 'Fail a node: NotReady, its instances lost (NodeLost) and replaced elsewhere', (n, b) => cluster.failNode(n, b.reason));
    nodeAction('recover', 'Bring a failed node back (Ready, schedulable again)', (n) => cluster.recoverNode(n));
    nodeAction('cordon', 'Mark a node unschedulable (its instances stay)', (n) => cluster.cordon(n, true));
    nodeAction('uncordon', 'Mark a node schedulable again', (n) => cluster.cordon(n, false));
    nodeAction('drain', 'Cordon a node and evict its instances (rescheduled elsewhere)', (n) => cluster.drain(n));
    app.post<{ Params: { name: string }; Body: { cpu?: number; memory?: number } }>(
      '/nodes/:name/pressure',
      {
        schema: {
          summary: 'Take CPU (millicores) and memory (MiB) on a node, as a hog would; 0 releases it. Past capacity, instances are evicted.',
          params: NameParams,
          body: Type.Object({ cpu: Type.Optional(Type.Number({ minimum: 0 })), memory: Type.Optional(Type.Number({ minimum: 0 })) }, { additionalProperties: false }),
          response: { 200: NodeViewSchema, ...errors(400, 404) },
        },
        ...bad,
      },
      async (req) => cluster.pressure(req.params.name, req.body),
    );

    // workloads
    app.get('/workloads', { schema: { summary: 'Every workload', response: { 200: Type.Object({ workloads: Type.Array(WorkloadViewSchema) }) } } }, async () => ({
      workloads: cluster.workloads(),
    }));
    app.get<{ Params: { name: string } }>('/workloads/:name', { schema: { summary: 'One workload', params: NameParams, response: { 200: WorkloadViewSchema, ...errors(404) } } }, async (req) =>
      cluster.workload(req.params.name),
    );
    app.put<{ Params: { name: string }; Querystring: { dryRun?: boolean }; Body: unknown }>(
      '/workloads/:name',
      {
        schema: {
          summary: 'Apply a partial workload spec over the current one (or the defaults); ?dryRun=true returns the diff and planned actions only',
          params: NameParams,
          querystring: Type.Object({ dryRun: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
          body: Type.Unknown(),
          response: { 200: ApplyResultSchema, 201: ApplyResultSchema, ...errors(400) },
        },
        ...bad,
      },
      async (req, reply) => {
        const result = cluster.apply(req.params.name, req.body, { dryRun: req.query.dryRun === true, source: 'api' });
        if (result.created && !result.dryRun) reply.code(201);
        return result;
      },
    );
    app.delete<{ Params: { name: string } }>(
      '/workloads/:name',
      { schema: { summary: 'Delete a workload and its instances', params: NameParams, response: { 200: Type.Object({ deleted: Type.String() }), ...errors(404) } } },
      async (req) => {
        cluster.remove(req.params.name);
        return { deleted: req.params.name };
      },
    );

    // instances
    app.get<{ Querystring: { workload?: string; service?: string; state?: InstanceState; node?: string; zone?: string; limit: number; offset: number } }>(
      '/instances',
      {
        schema: {
          summary: 'Instances (Terminated ones from the bounded history last), filtered and paged',
          querystring: InstancesQuery,
          response: { 200: Type.Object({ total: Type.Integer(), offset: Type.Integer(), limit: Type.Integer(), instances: Type.Array(InstanceSchema) }), ...errors(400) },
        },
        ...bad,
      },
      async (req) => {
        const { limit, offset, ...query } = req.query;
        const all = cluster.instances(query);
        return { total: all.length, offset, limit, instances: all.slice(offset, offset + limit).map(view) };
      },
    );
    app.get<{ Params: { id: string } }>('/instances/:id', { schema: { summary: 'One instance', params: IdParams, response: { 200: InstanceSchema, ...errors(404) } } }, async (req) =>
      view(cluster.instance(req.params.id)),
    );
    const instanceAction = (path: string, summary: string, run: (id: string, reason: string | undefined) => ClusterInstance) =>
      app.post<{ Params: { id: string }; Body: unknown }>(
        `/instances/:id/${path}`,
        { schema: { summary, params: IdParams, body: ReasonBody, response: { 200: InstanceSchema, ...errors(400, 404, 409) } }, validatorCompiler: documentedOnly },
        async (req) => view(run(req.params.id, reasonOf(req.body))),
      );
    instanceAction('kill', 'Kill the process (exit 137): the restart policy decides what follows', (id, r) => cluster.kill(id, r));
    instanceAction('evict', 'Delete the instance (Evicted); its workload replaces it', (id, r) => cluster.evict(id, r));
    instanceAction('restart', 'Restart the process (through Starting again)', (id, r) => cluster.restart(id, r ?? 'restarted through the admin API'));

    // load
    app.post<{ Params: { service: string }; Body: { fraction: number } }>(
      '/services/:service/shed',
      {
        schema: {
          summary: "Turn away this share (0..1) of a service's demand at its door (503 US_CLUSTER_OVERLOADED); 0 stops shedding",
          params: Type.Object({ service: Type.String() }),
          body: Type.Object({ fraction: Type.Number({ minimum: 0, maximum: 1 }) }, { additionalProperties: false }),
          response: { 200: Type.Object({ service: Type.String(), fraction: Type.Number() }), ...errors(400) },
        },
        ...bad,
      },
      async (req) => {
        cluster.shed(req.params.service, req.body.fraction, 'api');
        return { service: req.params.service, fraction: cluster.shedFraction(req.params.service) };
      },
    );
    app.get('/stats', { schema: { summary: 'The last tick of the load model, per mesh service', response: { 200: StatsSchema } } }, async () => statsOf(cluster.lastTick()));
  };
}
