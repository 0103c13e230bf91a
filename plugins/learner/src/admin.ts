// Control plane under /__admin/learner: learned endpoints (list with stats; one with its
// distributions, schemas and examples), path templates (pin, split, merge — each all or
// nothing: the edit runs on a copy that replaces the templates only when it succeeded, and
// it is written before the answer), drift, exports (OpenAPI 3.1, WireMock, Hoverfly v5),
// HAR import, stateful resources, settings (read), stats, reset. Bodies are checked by their
// TypeBox schemas (a bad one is a coded 400 naming the field); the edits' own problems are
// coded 4xx from errors.ts.
import { errorResponses as errors, Type, type AdminApp } from '@understudy/plugin-sdk';
import { LearnerErrors } from './errors.js';
import { toHoverfly, toOpenApi, toWireMock } from './exports/index.js';
import type { EndpointModel } from './model/types.js';
import type { LearnerService } from './service.js';

const Any = Type.Unknown();
const KeyParams = Type.Object({ key: Type.String({ minLength: 1, description: 'endpoint key, URL-encoded: GET%20%2Fusers%2F%7BuserId%7D' }) });
const TemplateText = Type.String({ minLength: 1, maxLength: 2000, description: '"/users/{userId}" or "GET /users/{userId}"' });

const EndpointSummary = Type.Object({
  key: Type.String(),
  method: Type.String(),
  template: Type.String(),
  upstream: Type.String(),
  count: Type.Integer(),
  errors: Type.Integer(),
  errorRate: Type.Number(),
  firstSeen: Type.Number(),
  lastSeen: Type.Number(),
  latency: Any,
  statuses: Type.Array(Type.Object({ status: Type.Integer(), count: Type.Integer(), share: Type.Number() })),
  pinned: Type.Boolean(),
});

const share = (n: number, of: number) => (of ? Math.round((n / of) * 10_000) / 10_000 : 0);

function summary(m: EndpointModel) {
  return {
    key: m.key,
    method: m.method,
    template: m.template,
    upstream: m.upstream,
    count: m.count,
    errors: m.errors,
    errorRate: share(m.errors, m.count),
    firstSeen: m.firstSeen,
    lastSeen: m.lastSeen,
    latency: m.latency,
    statuses: m.statuses.map((s) => ({ status: s.status, count: s.count, share: share(s.count, m.count) })),
    pinned: !!m.pinned,
  };
}

/** One endpoint in full, without the encoded histogram (the percentiles say it). */
function detail(m: EndpointModel) {
  const { latencyHistogram: _histogram, ...rest } = m;
  return { ...rest, ...summary(m), statuses: m.statuses.map((s) => ({ ...s, share: share(s.count, m.count) })) };
}

const FORMATS = ['openapi', 'wiremock', 'hoverfly'] as const;

export function adminRoutes(learner: LearnerService) {
  const find = (key: string) => {
    const model = learner.endpoint(key);
    if (!model) throw new LearnerErrors.ENDPOINT_NOT_FOUND(key);
    return model;
  };
  return async (app: AdminApp) => {
    app.get(
      '/endpoints',
      {
        schema: {
          summary: 'Learned endpoints with their counts, error rate, latency percentiles and status mix',
          querystring: Type.Object({ method: Type.Optional(Type.String()), prefix: Type.Optional(Type.String()) }, { additionalProperties: false }),
          response: { 200: Type.Object({ endpoints: Type.Array(EndpointSummary) }) },
        },
      },
      async (req) => {
        const { method, prefix } = req.query as { method?: string; prefix?: string };
        return {
          endpoints: learner
            .endpoints()
            .filter((m) => (!method || m.method === method.toUpperCase()) && (!prefix || m.template.startsWith(prefix)))
            .map(summary),
        };
      },
    );
    app.get<{ Params: { key: string } }>(
      '/endpoints/:key',
      { schema: { summary: 'One endpoint: distributions, schemas per status, query parameters, examples (redacted)', params: KeyParams, response: { 200: Any, ...errors(404) } } },
      async (req) => detail(find(req.params.key)),
    );
    app.get(
      '/lookup',
      {
        schema: {
          summary: 'The endpoint a request would fall under',
          querystring: Type.Object({ method: Type.String({ minLength: 1 }), path: Type.String({ pattern: '^/' }) }, { additionalProperties: false }),
          response: { 200: Type.Object({ key: Type.String(), template: Type.String(), params: Type.Record(Type.String(), Type.String()), known: Type.Boolean() }), ...errors(404) },
        },
      },
      async (req) => {
        const { method, path } = req.query as { method: string; path: string };
        const match = learner.lookup(method, path);
        if (!match) throw new LearnerErrors.ENDPOINT_NOT_FOUND(`${method.toUpperCase()} ${path}`);
        return { ...match, known: !!learner.endpoint(match.key) };
      },
    );

    app.get('/templates', { schema: { summary: 'Learned and pinned path templates', response: { 200: Type.Object({ templates: Type.Array(Any) }) } } }, async () => ({
      templates: learner.pathTemplates.templates(),
    }));
    const Changed = Type.Array(Type.Object({ from: Type.Array(Type.String()), to: Type.String() }));
    app.post(
      '/templates/pin',
      {
        schema: {
          summary: 'Pin a template: never generalised further, its parameter names kept (created when new)',
          body: Type.Object({ template: TemplateText }, { additionalProperties: false }),
          response: { 200: Type.Object({ template: Type.String(), changed: Changed }), ...errors(400, 409) },
        },
      },
      async (req) => {
        const { template } = req.body as { template: string };
        return learner.editTemplates((t) => t.pin(template));
      },
    );
    app.post(
      '/templates/split',
      {
        schema: {
          summary: "Keep one value of a template's last parameter apart as a literal route (/users/me next to /users/{userId})",
          body: Type.Object({ template: TemplateText, value: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }),
          response: { 200: Type.Object({ template: Type.String() }), ...errors(400, 404, 409) },
        },
      },
      async (req) => {
        const { template, value } = req.body as { template: string; value: string };
        const { template: made } = await learner.editTemplates((t) => ({ ...t.split(template, value), changed: [] }));
        return { template: made };
      },
    );
    app.post(
      '/templates/merge',
      {
        schema: {
          summary: 'Merge templates into one with a parameter where they differ; their endpoint models merge too',
          body: Type.Object({ templates: Type.Array(TemplateText, { minItems: 1, maxItems: 1000 }), into: TemplateText }, { additionalProperties: false }),
          response: { 200: Type.Object({ template: Type.String(), changed: Changed }), ...errors(400, 404) },
        },
      },
      async (req) => {
        const { templates, into } = req.body as { templates: string[]; into: string };
        return learner.editTemplates((t) => t.merge(templates, into));
      },
    );

    app.get(
      '/drift',
      {
        schema: {
          summary: 'What changed against what was learned (fields added/removed/retyped, new statuses, latency shifts), oldest first',
          querystring: Type.Object({ key: Type.Optional(Type.String()), since: Type.Optional(Type.Number({ minimum: 0 })) }, { additionalProperties: false }),
          response: { 200: Type.Object({ drift: Type.Array(Any) }) },
        },
      },
      async (req) => {
        const { key, since } = req.query as { key?: string; since?: number };
        return { drift: learner.drift().filter((d) => (!key || d.key === key) && (since === undefined || d.at >= since)) };
      },
    );

    app.get<{ Params: { format: string } }>(
      '/export/:format',
      {
        schema: {
          summary: 'Export what was learned: openapi (3.1), wiremock (mappings), hoverfly (simulation v5)',
          params: Type.Object({ format: Type.String() }),
          querystring: Type.Object({ title: Type.Optional(Type.String({ maxLength: 200 })), server: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }),
          response: { 200: Any, ...errors(404) },
        },
      },
      async (req) => {
        const { format } = req.params;
        const { title, server } = req.query as { title?: string; server?: string };
        const models = learner.endpoints();
        switch (format) {
          case 'openapi':
            return toOpenApi(models, { ...(title && { title }), ...(server && { servers: [server] }) });
          case 'wiremock':
            return toWireMock(models);
          case 'hoverfly':
            return toHoverfly(models);
          default:
            throw new LearnerErrors.UNKNOWN_FORMAT(format, [...FORMATS]);
        }
      },
    );

    app.post(
      '/import/har',
      {
        schema: {
          summary: 'Learn from a HAR 1.2 file (the JSON document as the body); learned and stored before the answer',
          body: Type.Object({ log: Any }),
          response: { 200: Type.Object({ observed: Type.Integer(), endpoints: Type.Integer() }), ...errors(400, 413) },
        },
      },
      async (req) => {
        const { observed } = await learner.importHar(JSON.stringify(req.body));
        return { observed, endpoints: learner.endpoints().length };
      },
    );

    app.get('/resources', { schema: { summary: 'Stateful mocks: the lifecycles detected and the resources kept', response: { 200: Any } } }, async () => ({
      lifecycles: learner.lifecycles(),
      resources: learner.stats().resources,
    }));
    app.get('/settings', { schema: { summary: 'Settings kept for other plugins (proxy modes, scoped chaos faults)', response: { 200: Type.Object({ settings: Any }) } } }, async () => ({
      settings: await learner.settings.all(),
    }));
    app.get('/stats', { schema: { summary: 'Queue, learning and storage counters', response: { 200: Any } } }, async () => ({
      ...learner.stats(),
      storage: learner.storage,
    }));
    app.post(
      '/reset',
      {
        schema: {
          summary: 'Forget every endpoint, template, drift record and stateful resource (settings stay)',
          response: { 200: Type.Object({ reset: Type.Boolean() }), ...errors(400) },
        },
      },
      async (req) => {
        // no body, or an empty object: a reset takes no options, and a typo must not reset
        const body = req.body as unknown;
        if (body !== undefined && body !== null && !(typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0)) {
          throw new LearnerErrors.INVALID('reset request', ['body: send no body or {} (a reset takes no options)']);
        }
        await learner.reset();
        return { reset: true };
      },
    );
  };
}
