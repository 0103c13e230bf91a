// Control plane under /__admin/chaos: faults, scenarios, experiments. Bodies are checked by
// validate.ts (every problem with its path); the TypeBox schemas document them in OpenAPI.
import { errorResponses as errors, documentedOnly, Type, type AdminApp } from '@understudy/plugin-sdk';
import type { Chaos } from './service.js';
import { toMarkdown } from './experiments.js';
import { FAULT_KINDS } from './specs.js';

const IdParams = Type.Object({ id: Type.String() });
const Any = Type.Unknown();

export const ScopeSchema = Type.Object(
  {
    service: Type.Optional(Type.String()),
    endpoint: Type.Optional(Type.String()),
    caller: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    version: Type.Optional(Type.String()),
    endpoints: Type.Optional(Type.Array(Type.String(), { minItems: 1, description: 'endpoint templates, e.g. "GET /users/{userId}" (a learning proxy\'s learned keys, mesh endpoints)' })),
    percentage: Type.Optional(Type.Number({ minimum: 0, maximum: 100, default: 100 })),
  },
  { additionalProperties: false },
);

export const FaultSchema = Type.Object({
  id: Type.Optional(Type.String()),
  kind: Type.Union(FAULT_KINDS.map((k) => Type.Literal(k))),
  scope: Type.Optional(ScopeSchema),
  ms: Type.Optional(Type.Number({ minimum: 0 })),
  jitterMs: Type.Optional(Type.Number({ minimum: 0 })),
  distribution: Type.Optional(Type.Unknown({ description: '{ type: uniform, min, max } | { type: normal, mean, stdDev } | { type: lognormal, median, sigma }' })),
  status: Type.Optional(Type.Integer({ minimum: 100, maximum: 599 })),
  body: Type.Optional(Type.Unknown()),
  groups: Type.Optional(Type.Array(Type.Array(Type.String()))),
  headers: Type.Optional(Type.Array(Type.String())),
});

const FaultView = Type.Object({ id: Type.String(), kind: Type.String(), source: Type.String(), addedAt: Type.Number(), injected: Type.Integer(), spec: Any });

export function adminRoutes(chaos: Chaos) {
  const faultView = (id: string) => {
    const f = chaos.faults.get(id)!;
    return { id, kind: f.spec.kind, source: f.source, addedAt: f.addedAt, injected: f.injected, spec: f.spec };
  };
  return async (app: AdminApp) => {
    app.get('/faults', { schema: { summary: 'Active faults with their injection counters', response: { 200: Type.Object({ faults: Type.Array(FaultView) }) } } }, async () => ({
      faults: chaos.faults.list().map((f) => faultView(f.spec.id)),
    }));
    app.post(
      '/faults',
      { schema: { summary: 'Add a fault', body: FaultSchema, response: { 201: FaultView, ...errors(400, 409) } }, validatorCompiler: documentedOnly },
      async (req, reply) => reply.code(201).send(faultView(chaos.addFault(req.body).spec.id)),
    );
    app.get<{ Params: { id: string } }>('/faults/:id', { schema: { summary: 'One fault', params: IdParams, response: { 200: FaultView, ...errors(404) } } }, async (req) => {
      chaos.fault(req.params.id);
      return faultView(req.params.id);
    });
    app.delete<{ Params: { id: string } }>(
      '/faults/:id',
      { schema: { summary: 'Remove one fault', params: IdParams, response: { 200: Type.Object({ removed: Type.Integer() }), ...errors(404) } } },
      async (req) => {
        chaos.removeFault(req.params.id);
        return { removed: 1 };
      },
    );
    app.delete('/faults', { schema: { summary: 'Remove every fault', response: { 200: Type.Object({ removed: Type.Integer() }) } } }, async () => ({
      removed: chaos.clearFaults(),
    }));

    app.post('/scenarios', { schema: { summary: 'Create a scenario', body: Any, response: { 201: Any, ...errors(400, 409) } }, validatorCompiler: documentedOnly }, async (req, reply) =>
      reply.code(201).send(chaos.scenarioView(chaos.createScenario(req.body).spec.id)),
    );
    app.get('/scenarios', { schema: { summary: 'List scenarios', response: { 200: Type.Object({ scenarios: Type.Array(Any) }) } } }, async () => ({
      scenarios: chaos.scenarios.list().map((s) => chaos.scenarioView(s.spec.id)),
    }));
    app.get<{ Params: { id: string } }>('/scenarios/:id', { schema: { summary: 'One scenario: step states, observed failures, cascade report', params: IdParams, response: { 200: Any, ...errors(404) } } }, async (req) =>
      chaos.scenarioView(req.params.id),
    );
    app.post<{ Params: { id: string } }>('/scenarios/:id/start', { schema: { summary: 'Start a scenario', params: IdParams, response: { 200: Any, ...errors(404, 409) } } }, async (req) => {
      chaos.startScenario(req.params.id);
      return chaos.scenarioView(req.params.id);
    });
    app.post<{ Params: { id: string } }>('/scenarios/:id/stop', { schema: { summary: 'Stop a scenario (its faults are removed)', params: IdParams, response: { 200: Any, ...errors(404) } } }, async (req) => {
      chaos.stopScenario(req.params.id);
      return chaos.scenarioView(req.params.id);
    });

    const summary = (id: string) => {
      const e = chaos.experiments.get(id);
      return { id, title: e.spec.title, status: e.status, startedAt: e.startedAt, endedAt: e.endedAt };
    };
    const Summary = Type.Object({ id: Type.String(), title: Type.String(), status: Type.String(), startedAt: Type.Optional(Type.Number()), endedAt: Type.Optional(Type.Number()) });
    app.post('/experiments', { schema: { summary: 'Create an experiment (Chaos Toolkit shape)', body: Any, response: { 201: Summary, ...errors(400, 409) } }, validatorCompiler: documentedOnly }, async (req, reply) =>
      reply.code(201).send(summary(chaos.createExperiment(req.body).spec.id)),
    );
    app.get('/experiments', { schema: { summary: 'List experiments', response: { 200: Type.Object({ experiments: Type.Array(Summary) }) } } }, async () => ({
      experiments: chaos.experiments.list().map((e) => summary(e.spec.id)),
    }));
    app.get<{ Params: { id: string } }>('/experiments/:id', { schema: { summary: 'One experiment', params: IdParams, response: { 200: Any, ...errors(404) } } }, async (req) => ({
      ...summary(req.params.id),
      spec: chaos.experiments.get(req.params.id).spec,
    }));
    app.post<{ Params: { id: string }; Querystring: { wait?: boolean } }>(
      '/experiments/:id/run',
      {
        schema: {
          summary: 'Run an experiment; with ?wait=true answer its report when it ends',
          params: IdParams,
          querystring: Type.Object({ wait: Type.Optional(Type.Boolean()) }),
          response: { 200: Any, 202: Summary, ...errors(404, 409) },
        },
      },
      async (req, reply) => {
        const run = chaos.runExperiment(req.params.id);
        if (req.query.wait) return reply.code(200).send(chaos.experiments.report(await run));
        return reply.code(202).send(summary(req.params.id));
      },
    );
    app.post<{ Params: { id: string } }>('/experiments/:id/stop', { schema: { summary: 'Abort a running experiment', params: IdParams, response: { 200: Summary, ...errors(404) } } }, async (req) => {
      await chaos.stopExperiment(req.params.id);
      return summary(req.params.id);
    });
    app.get<{ Params: { id: string } }>('/experiments/:id/report', { schema: { summary: 'Experiment report (JSON)', params: IdParams, response: { 200: Any, ...errors(404) } } }, async (req) =>
      chaos.experiments.report(chaos.experiments.get(req.params.id)),
    );
    app.get<{ Params: { id: string } }>(
      '/experiments/:id/journal',
      { schema: { summary: "The last run as a Chaos Toolkit journal (experiment, status, deviated, steady_states, run[], rollbacks[])", params: IdParams, response: { 200: Any, ...errors(404) } } },
      async (req) => chaos.experiments.journal(chaos.experiments.get(req.params.id)),
    );
    app.get('/library', { schema: { summary: 'Ready-to-run experiment templates for an operations world', response: { 200: Type.Object({ templates: Type.Array(Any) }) } } }, async () => ({
      templates: chaos.library(),
    }));
    app.post<{ Params: { name: string } }>(
      '/library/:name',
      {
        schema: {
          summary: 'Create an experiment from a template: { id?, params }',
          params: Type.Object({ name: Type.String() }),
          body: Type.Object({ id: Type.Optional(Type.String()), params: Type.Optional(Type.Record(Type.String(), Type.Unknown())) }),
          response: { 201: Summary, ...errors(400, 404, 409) },
        },
        validatorCompiler: documentedOnly,
      },
      async (req, reply) => reply.code(201).send(summary(chaos.createFromLibrary(req.params.name, req.body).spec.id)),
    );
    app.get<{ Params: { id: string } }>(
      '/experiments/:id/report.md',
      { schema: { summary: 'Experiment report (Markdown)', params: IdParams, response: { 200: Type.String(), ...errors(404) } } },
      async (req, reply) => reply.type('text/markdown; charset=utf-8').send(toMarkdown(chaos.experiments.report(chaos.experiments.get(req.params.id)))),
    );
  };
}
