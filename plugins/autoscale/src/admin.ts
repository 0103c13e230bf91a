// Control plane under /__admin/autoscale: the autoscalers (list with status, one, its
// history, PUT a whole spec with ?dryRun, DELETE, evaluate now), the simulated queues of KEDA
// queue triggers, and the reports: the policy comparison (JSON and SVG chart), cost with
// right-sizing, and capacity at a growth rate. Specs are checked whole by the controller
// (every problem with its path, 400 US_AUTOSCALE_INVALID_SPEC, nothing changes); query
// problems are 400 US_AUTOSCALE_INVALID_REQUEST.
import { errorResponses as errors, schemaErrorFormatter, Type, type AdminApp } from '@understudy/plugin-sdk';
import type { Cluster } from '@understudy/plugin-cluster';
import type { Controller } from './controller.js';
import { capacityReport, CompareCache, compareOptions, costReport, type CompareQuery } from './reports.js';
import { comparisonSvg } from './svg-chart.js';

const StatusSchema = Type.Object({
  workload: Type.String(),
  spec: Type.Unknown(),
  currentReplicas: Type.Integer(),
  readyReplicas: Type.Integer(),
  desiredReplicas: Type.Optional(Type.Integer()),
  lastScaleTime: Type.Optional(Type.Number()),
  lastEvaluation: Type.Optional(Type.Number()),
  lastReason: Type.Optional(Type.String()),
  active: Type.Optional(Type.Boolean()),
  lastActiveTime: Type.Optional(Type.Number()),
  detail: Type.Optional(Type.Unknown()),
  metrics: Type.Optional(Type.Record(Type.String(), Type.Union([Type.Number(), Type.Null()]))),
  historyDropped: Type.Integer(),
});
const HistoryPointSchema = Type.Object({
  at: Type.Number(),
  replicas: Type.Integer(),
  ready: Type.Integer(),
  desired: Type.Optional(Type.Integer()),
  demand: Type.Number(),
  reason: Type.String(),
});
const QueueSchema = Type.Object({ name: Type.String(), length: Type.Number(), arrivalRps: Type.Number(), ratePerInstance: Type.Number(), consumer: Type.Optional(Type.String()) });
const WorkloadParams = Type.Object({ workload: Type.String() });
const CompareQuerySchema = Type.Object(
  {
    seed: Type.Optional(Type.Integer({ description: 'Seed of the traffic noise (1).' })),
    hours: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 168, description: 'Simulated hours (24).' })),
    tickSeconds: Type.Optional(Type.Number({ minimum: 1, maximum: 60, description: 'Seconds per step of the simulation (5).' })),
    factor: Type.Optional(Type.Number({ minimum: 0, maximum: 100, description: 'The traffic step (3: a 3× increase).' })),
    workload: Type.Optional(Type.String({ description: "Shape the run like this cluster workload (startup, capacity, requests, price); traffic scaled to its capacity." })),
  },
  { additionalProperties: false },
);

export function adminRoutes(controller: Controller, cluster: Cluster, now: () => number) {
  const cache = new CompareCache();
  const report = (q: CompareQuery) => {
    const revision = q.workload !== undefined ? cluster.workloads().find((w) => w.name === q.workload)?.revision : undefined;
    return cache.get(JSON.stringify([q.seed, q.hours, q.tickSeconds, q.factor, q.workload, revision]), () => compareOptions(cluster, q));
  };
  return async (app: AdminApp) => {
    const bad = { schemaErrorFormatter: schemaErrorFormatter('US_AUTOSCALE_INVALID_REQUEST') };
    app.get('/autoscalers', { schema: { summary: 'Every autoscaler with its status: replicas now and desired, last metric values, last decision and why', response: { 200: Type.Object({ autoscalers: Type.Array(StatusSchema) }) } } }, async () => ({
      autoscalers: controller.list(),
    }));
    app.get<{ Params: { workload: string } }>(
      '/autoscalers/:workload',
      { schema: { summary: "One workload's autoscaler", params: WorkloadParams, response: { 200: StatusSchema, ...errors(404) } } },
      async (req) => controller.get(req.params.workload),
    );
    app.get<{ Params: { workload: string } }>(
      '/autoscalers/:workload/history',
      {
        schema: {
          summary: 'Evaluations, oldest first (bounded: history.count, history.bytes)',
          params: WorkloadParams,
          response: { 200: Type.Object({ workload: Type.String(), history: Type.Array(HistoryPointSchema), dropped: Type.Integer() }), ...errors(404) },
        },
      },
      async (req) => ({ workload: req.params.workload, history: controller.history(req.params.workload), dropped: controller.get(req.params.workload).historyDropped }),
    );
    app.put<{ Params: { workload: string }; Querystring: { dryRun?: boolean }; Body: unknown }>(
      '/autoscalers/:workload',
      {
        schema: {
          summary: "Create or replace a workload's autoscaler (the whole spec; what is left out takes its default); ?dryRun=true checks it and changes nothing",
          params: WorkloadParams,
          querystring: Type.Object({ dryRun: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
          body: Type.Unknown(),
          response: { 200: StatusSchema, 201: StatusSchema, ...errors(400, 404) },
        },
        ...bad,
      },
      async (req, reply) => {
        const dryRun = req.query.dryRun === true;
        const existed = controller.list().some((s) => s.workload === req.params.workload);
        const status = controller.set(req.params.workload, req.body, { dryRun, source: 'admin' });
        if (!dryRun && !existed) reply.code(201);
        return status;
      },
    );
    app.delete<{ Params: { workload: string } }>(
      '/autoscalers/:workload',
      { schema: { summary: "Remove a workload's autoscaler (its replicas stay as they are)", params: WorkloadParams, response: { 200: Type.Object({ deleted: Type.String() }), ...errors(404) } } },
      async (req) => {
        controller.remove(req.params.workload);
        return { deleted: req.params.workload };
      },
    );
    app.post<{ Params: { workload: string } }>(
      '/autoscalers/:workload/evaluate',
      { schema: { summary: 'Evaluate the autoscaler now (as its timer would)', params: WorkloadParams, response: { 200: StatusSchema, ...errors(404) } } },
      async (req) => controller.evaluate(req.params.workload),
    );
    app.get('/queues', { schema: { summary: 'The simulated queues of KEDA queue triggers', response: { 200: Type.Object({ queues: Type.Array(QueueSchema) }) } } }, async () => ({ queues: controller.queues() }));
    app.put<{ Params: { name: string }; Body: unknown }>(
      '/queues/:name',
      { schema: { summary: "Change a queue's length or arrival rate: { length?, arrivalRps? }", params: Type.Object({ name: Type.String() }), body: Type.Unknown(), response: { 200: QueueSchema, ...errors(400, 404) } }, ...bad },
      async (req) => controller.setQueue(req.params.name, req.body as { length?: number; arrivalRps?: number }),
    );
    app.get<{ Querystring: CompareQuery }>(
      '/compare',
      {
        schema: {
          summary: 'The policy comparison: the same seeded diurnal traffic with a step under the HPA, KEDA-style and predictive policies; instance-hours, cost, minutes in SLO breach, time to absorb the step',
          querystring: CompareQuerySchema,
          response: { 200: Type.Unknown(), ...errors(400, 404) },
        },
        ...bad,
      },
      async (req) => report(req.query),
    );
    app.get<{ Querystring: CompareQuery }>(
      '/compare.svg',
      { schema: { summary: 'The comparison as an SVG chart of replicas and demand over time (same query as /compare)', querystring: CompareQuerySchema, response: { 200: Type.String({ description: 'image/svg+xml' }), ...errors(400, 404) } }, ...bad },
      async (req, reply) => reply.type('image/svg+xml; charset=utf-8').send(comparisonSvg(report(req.query))),
    );
    app.get<{ Querystring: { percentile?: number; headroom?: number } }>(
      '/cost',
      {
        schema: {
          summary: 'Cost now: per hour (on-demand and interruptible, by instance type and zone), per request, per workload; right-sizing from the observed usage',
          querystring: Type.Object(
            {
              percentile: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100, description: 'Usage percentile to size for (95).' })),
              headroom: Type.Optional(Type.Number({ minimum: 0, maximum: 10, description: 'Headroom over it (0.2).' })),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Unknown(), ...errors(400) },
        },
        ...bad,
      },
      async (req) => costReport(cluster, controller.usage, now(), req.query),
    );
    app.get<{ Querystring: { growth?: number; months?: number; stepMonths?: number } }>(
      '/capacity',
      {
        schema: {
          summary: 'Capacity plan: with demand growing by `growth` a month (0.1 = 10 %), when each zone and the cluster run out of nodes, the nodes to add and the cost',
          querystring: Type.Object(
            {
              growth: Type.Optional(Type.Number({ description: 'Growth per month (0.1).' })),
              months: Type.Optional(Type.Integer({ description: 'Months to plan (24).' })),
              stepMonths: Type.Optional(Type.Integer({ description: 'Months between steps (1).' })),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Unknown(), ...errors(400) },
        },
        ...bad,
      },
      async (req) => capacityReport(cluster, { growthPerMonth: req.query.growth ?? 0.1, ...(req.query.months !== undefined && { months: req.query.months }), ...(req.query.stepMonths !== undefined && { stepMonths: req.query.stepMonths }) }),
    );
  };
}
