// Control plane under /__admin/mesh. Topology bodies are checked by validate.ts (every
// problem with its path); the TypeBox schemas document them in OpenAPI. Every write is
// one transaction of the store (store.ts): whole or not at all.
import { errorResponses as errors, documentedOnly, Type, type AdminApp } from '@understudy/plugin-sdk';
import { buildGraph, type Graph } from './graph/json.js';
import { toDot } from './graph/dot.js';
import { toMermaid } from './graph/mermaid.js';
import type { SvgCache } from './graph/svg.js';
import type { OwnPorts } from './own-ports.js';
import type { MeshStore } from './store.js';
import type { MeshService, Topology } from './topology/model.js';
import { ServiceSchema, TopologySchema } from './topology/schema.js';

export interface AdminDeps {
  store: MeshStore;
  ports: OwnPorts;
  svg: SvgCache;
}

const ServiceSummary = Type.Object({
  name: Type.String(),
  instances: Type.Array(Type.Object({ id: Type.String(), version: Type.String() })),
  versions: Type.Array(Type.String()),
  endpoints: Type.Array(Type.String()),
  port: Type.Optional(Type.Integer({ description: 'configured own port (0 = any)' })),
  listeningPort: Type.Optional(Type.Integer({ description: 'the own port actually listened on' })),
  definition: Type.Unknown({ description: 'the service as configured' }),
});
const NameParams = Type.Object({ name: Type.String() });
const Count = Type.Object({ services: Type.Integer() });
const text = (summary: string) => ({ summary, response: { 200: Type.String() } });

export function adminRoutes({ store, ports, svg }: AdminDeps) {
  const summary = (s: MeshService) => ({
    name: s.name,
    instances: s.instances.map((i) => ({ id: i.id, version: i.version })),
    versions: s.versions,
    endpoints: s.endpoints.map((e) => e.key),
    port: s.port,
    listeningPort: ports.portOf(s.name),
    definition: s.def,
  });
  // graphs are derived data: built once per topology snapshot
  let graph: { topology: Topology; graph: Graph } | undefined;
  const currentGraph = () => {
    if (graph?.topology !== store.topology) graph = { topology: store.topology, graph: buildGraph(store.topology) };
    return graph.graph;
  };

  return async (app: AdminApp) => {
    app.get('/services', { schema: { summary: 'List mesh services', response: { 200: Type.Object({ services: Type.Array(ServiceSummary) }) } } }, async () => ({
      services: store.list().map(summary),
    }));
    app.get<{ Params: { name: string } }>(
      '/services/:name',
      { schema: { summary: 'One mesh service', params: NameParams, response: { 200: ServiceSummary, ...errors(404) } } },
      async (req) => summary(store.get(req.params.name)),
    );
    app.put<{ Params: { name: string } }>(
      '/services/:name',
      {
        schema: {
          summary: 'Create or replace one service (all or nothing: 409 when its port is taken)',
          params: NameParams,
          body: ServiceSchema,
          response: { 200: ServiceSummary, 201: ServiceSummary, ...errors(400, 409) },
        },
        validatorCompiler: documentedOnly,
      },
      async (req, reply) => {
        const created = await store.put(req.params.name, req.body);
        return reply.code(created ? 201 : 200).send(summary(store.get(req.params.name)));
      },
    );
    app.delete<{ Params: { name: string } }>(
      '/services/:name',
      { schema: { summary: 'Remove one service (refused while others call it)', params: NameParams, response: { 200: Count, ...errors(400, 404) } } },
      async (req) => {
        await store.remove(req.params.name);
        return { services: store.topology.services.size };
      },
    );
    app.put<{ Body: { services?: unknown } }>(
      '/topology',
      {
        schema: { summary: 'Replace the whole topology (all or nothing)', body: Type.Object({ services: TopologySchema }), response: { 200: Count, ...errors(400, 409) } },
        validatorCompiler: documentedOnly,
      },
      async (req) => {
        const body = req.body as { services?: unknown } | undefined;
        await store.replace(body?.services);
        return { services: store.topology.services.size };
      },
    );
    app.post('/reset', { schema: { summary: 'Back to the configured topology (all or nothing)', response: { 200: Count, ...errors(409) } } }, async () => {
      await store.reset();
      return { services: store.topology.services.size };
    });
    const graphJson = { summary: 'Dependency graph: nodes, edges, cycles', response: { 200: Type.Unknown() } };
    app.get('/graph', { schema: graphJson }, async () => currentGraph());
    app.get('/graph.json', { schema: graphJson }, async () => currentGraph());
    app.get('/graph.dot', { schema: text('Dependency graph in Graphviz DOT') }, async (_req, reply) =>
      reply.type('text/vnd.graphviz; charset=utf-8').send(toDot(currentGraph())),
    );
    app.get('/graph.mmd', { schema: text('Dependency graph in Mermaid') }, async (_req, reply) =>
      reply.type('text/vnd.mermaid; charset=utf-8').send(toMermaid(currentGraph())),
    );
    app.get('/graph.svg', { schema: text('Dependency graph rendered as SVG (Graphviz)') }, async (_req, reply) =>
      reply.type('image/svg+xml').send(await svg.get(store.topology, () => toDot(currentGraph()))),
    );
  };
}
