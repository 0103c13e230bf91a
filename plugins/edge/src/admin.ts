// Control plane under /__admin/edge: nodes with their counters and latency, recent
// aggregates and alerts, live budget changes, nodes added and removed at run time.
// Bodies are checked against the config's schemas, then by spec.ts; every problem is a
// 400 naming its path.
import { errorResponses as errors, schemaErrorFormatter, Type, type AdminApp } from '@understudy/plugin-sdk';
import { BudgetSchema, NodeSchema } from './config.js';
import type { EdgeService } from './edge.js';
import { RequestCodes } from './errors.js';
import type { BudgetSpec, EdgeNodeSpec } from './contract.js';

const Int = Type.Integer();

const BudgetView = Type.Object({
  queueLength: Int,
  ratePerSecond: Type.Number(),
  overflow: Type.String(),
  sampleEvery: Int,
});
const Counters = Type.Object(
  Object.fromEntries(
    ['received', 'invalid', 'skipped', 'overLimit', 'dropped', 'sampledOut', 'processed', 'filtered', 'aggregates', 'alerts', 'forwarded', 'forwardErrors', 'rulesFired', 'rulesWithoutCommands', 'ruleErrors'].map(
      (k) => [k, Int],
    ),
  ),
);
const NodeView = Type.Object({
  id: Type.String(),
  spec: Type.Unknown({ description: 'the node as given, with defaults filled in' }),
  devices: Type.Union([Int, Type.Null()], { description: 'devices owned now; null when that needs the fleet and it is not loaded' }),
  devicesSeen: Int,
  budget: BudgetView,
  queue: Type.Object({ depth: Int, overloaded: Type.Boolean() }),
  counters: Counters,
  forwardRatio: Type.Number({ description: 'forwarded / received' }),
  filters: Type.Array(Type.Object({ kind: Type.String(), held: Int })),
  latency: Type.Object({
    count: Int,
    p50: Type.Number(),
    p95: Type.Number(),
    p99: Type.Number(),
    max: Type.Number(),
    targetMs: Type.Number(),
    overTarget: Int,
  }),
});
const Aggregate = Type.Object({
  node: Type.String(),
  sensor: Type.String(),
  window: Type.Object({ kind: Type.String(), start: Type.Number(), end: Type.Number(), sizeMs: Int }),
  count: Type.Optional(Int),
  min: Type.Optional(Type.Number()),
  max: Type.Optional(Type.Number()),
  mean: Type.Optional(Type.Number()),
  devices: Int,
});
const Alert = Type.Unknown({ description: "{ kind: 'anomaly', node, deviceId, sensor, value, z, mean, std, at } or { kind: 'rule', node, rule, trigger, sensor, value, deviceIds, command, sent, commandIds, error?, at }" });
const IdParams = Type.Object({ id: Type.String() });
const Limit = Type.Integer({ minimum: 1, maximum: 10_000, default: 50 });

export function adminRoutes(edge: EdgeService) {
  return async (app: AdminApp) => {
    app.get(
      '/nodes',
      {
        schema: {
          summary: 'Every edge node with its counters, queue and latency',
          response: { 200: Type.Object({ nodes: Type.Array(NodeView), unowned: Type.Integer({ description: 'telemetry messages no node owns' }) }) },
        },
      },
      async () => ({ nodes: edge.list(), unowned: edge.unowned }),
    );
    app.post<{ Body: EdgeNodeSpec }>(
      '/nodes',
      {
        schema: { summary: 'Add an edge node (validated like config)', body: NodeSchema, response: { 201: NodeView, ...errors(400, 409) } },
        schemaErrorFormatter: schemaErrorFormatter(RequestCodes.INVALID_NODE),
      },
      async (req, reply) => reply.code(201).send(edge.add(req.body)),
    );
    app.get<{ Params: { id: string } }>(
      '/nodes/:id',
      { schema: { summary: 'One edge node', params: IdParams, response: { 200: NodeView, ...errors(404) } } },
      async (req) => edge.describe(req.params.id),
    );
    app.delete<{ Params: { id: string } }>(
      '/nodes/:id',
      { schema: { summary: 'Remove an edge node (its queued readings are let go); answers its final state', params: IdParams, response: { 200: NodeView, ...errors(404) } } },
      async (req) => edge.remove(req.params.id),
    );
    app.put<{ Params: { id: string }; Body: Partial<BudgetSpec> }>(
      '/nodes/:id/budget',
      {
        schema: {
          summary: 'Change a node’s budget live (omitted fields keep their value)',
          params: IdParams,
          body: BudgetSchema,
          response: { 200: Type.Object({ node: Type.String(), budget: BudgetView }), ...errors(400, 404) },
        },
        schemaErrorFormatter: schemaErrorFormatter(RequestCodes.INVALID_BUDGET),
      },
      async (req) => ({ node: req.params.id, budget: edge.setBudget(req.params.id, req.body ?? {}) }),
    );
    app.get<{ Params: { id: string }; Querystring: { sensor?: string; limit: number } }>(
      '/nodes/:id/aggregates',
      {
        schema: {
          summary: 'Recent aggregates of a node, oldest first',
          params: IdParams,
          querystring: Type.Object({ sensor: Type.Optional(Type.String()), limit: Limit }, { additionalProperties: false }),
          response: { 200: Type.Object({ aggregates: Type.Array(Aggregate) }), ...errors(400, 404) },
        },
        schemaErrorFormatter: schemaErrorFormatter(RequestCodes.BAD_QUERY),
      },
      async (req) => ({ aggregates: edge.aggregates(req.params.id, req.query) }),
    );
    app.get<{ Params: { id: string }; Querystring: { limit: number } }>(
      '/nodes/:id/alerts',
      {
        schema: {
          summary: 'Recent alerts of a node (anomalies and rule firings), oldest first',
          params: IdParams,
          querystring: Type.Object({ limit: Limit }, { additionalProperties: false }),
          response: { 200: Type.Object({ alerts: Type.Array(Alert) }), ...errors(400, 404) },
        },
        schemaErrorFormatter: schemaErrorFormatter(RequestCodes.BAD_QUERY),
      },
      async (req) => ({ alerts: edge.alerts(req.params.id, req.query) }),
    );
  };
}
