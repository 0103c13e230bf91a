// Control plane under /__admin/traffic: patterns (list, add, change, delete, start, stop)
// and the propagated rates. Bodies are checked whole by validate.ts (every problem with its
// path, 400 US_TRAFFIC_INVALID_PATTERN) before anything changes.
import { errorResponses as errors, schemaErrorFormatter, Type, type AdminApp } from '@understudy/plugin-sdk';
import { TrafficErrors } from './errors.js';
import type { TrafficService } from './traffic.js';
import { nearest } from './validate.js';

const Shape = Type.Object(
  { kind: Type.String({ description: 'constant | diurnal | ramp | step | bursts | replay' }) },
  { additionalProperties: true, description: 'A shape: kind and its fields (see the README)' },
);
const Spec = Type.Object(
  {
    service: Type.String({ description: 'Entry point: a mesh service' }),
    mix: Type.Optional(Type.Record(Type.String(), Type.Number(), { description: 'Endpoint key → weight' })),
    shape: Shape,
    scale: Type.Optional(Type.Number()),
    jitter: Type.Optional(Type.Number()),
  },
  { additionalProperties: true },
);
const Status = Type.Object({
  id: Type.String(),
  spec: Spec,
  running: Type.Boolean(),
  startedAt: Type.Optional(Type.Number()),
  rps: Type.Number({ description: 'Requests/s at the entry point now' }),
  sampled: Type.Integer({ description: 'Real exchanges sent through the pipeline' }),
});
const AddBody = Type.Object(
  {
    id: Type.Optional(Type.String()),
    start: Type.Optional(Type.Boolean({ description: 'Start at once (default true)' })),
  },
  { additionalProperties: true, description: 'A pattern spec (service, shape, mix?, scale?, jitter?) plus id? and start?' },
);
const Changes = Type.Object({}, { additionalProperties: true, description: 'Fields of the spec to change; null removes an optional one' });
const IdParams = Type.Object({ id: Type.String() });
const Rate = Type.Object({ service: Type.String(), rps: Type.Number() });
const RatesQuery = Type.Object({
  at: Type.Optional(Type.String({ description: 'Kernel-clock ms since the epoch, or an ISO 8601 time; default now' })),
  service: Type.Optional(Type.String({ description: 'Only this service' })),
});
const RatesView = Type.Object({
  at: Type.Number(),
  services: Type.Record(Type.String(), Type.Number()),
  endpoints: Type.Record(Type.String(), Type.Record(Type.String(), Type.Number())),
});
const Overview = Type.Object({
  patterns: Type.Array(Status),
  running: Type.Integer(),
  sampled: Type.Integer(),
  rates: Type.Object({ at: Type.Number(), total: Type.Number({ description: 'Σ requests/s over every service' }), top: Type.Array(Rate) }),
});
const TopQuery = Type.Object({ top: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 10 })) });
const bad = schemaErrorFormatter('US_TRAFFIC_INVALID_QUERY');
const badBody = schemaErrorFormatter('US_TRAFFIC_INVALID_PATTERN');

function parseAt(at: string | undefined): number | undefined {
  if (at === undefined || at === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(at)) return Number(at);
  const ms = Date.parse(at);
  if (Number.isNaN(ms)) throw new TrafficErrors.INVALID_QUERY(`at "${at}" is neither ms since the epoch nor an ISO 8601 time (e.g. at=2025-01-01T06:00:00Z)`);
  return ms;
}

export function adminRoutes(traffic: TrafficService) {
  return async (app: AdminApp) => {
    app.get<{ Querystring: { top?: number } }>(
      '/',
      { schema: { summary: 'Patterns with their rate now, and the busiest services', querystring: TopQuery, response: { 200: Overview, ...errors(400) } }, schemaErrorFormatter: bad },
      async (req) => {
        const patterns = traffic.patterns();
        const rates = traffic.rates();
        const all = [...rates.services].map(([service, rps]) => ({ service, rps }));
        const total = all.reduce((s, r) => s + r.rps, 0);
        all.sort((a, b) => b.rps - a.rps || (a.service < b.service ? -1 : 1));
        return {
          patterns,
          running: patterns.filter((p) => p.running).length,
          sampled: traffic.sampledTotal,
          rates: { at: rates.at, total, top: all.slice(0, req.query.top ?? 10) },
        };
      },
    );
    app.get<{ Querystring: { at?: string; service?: string } }>(
      '/rates',
      { schema: { summary: 'Requests/s per service and endpoint at a time, propagated through the call graph', querystring: RatesQuery, response: { 200: RatesView, ...errors(400, 404) } }, schemaErrorFormatter: bad },
      async (req) => {
        const at = parseAt(req.query.at);
        const rates = traffic.rates(at);
        const only = req.query.service;
        if (only !== undefined && !traffic.hasService(only)) throw new TrafficErrors.SERVICE_NOT_FOUND(only, nearest(only, traffic.serviceNames()));
        const services: Record<string, number> = {};
        const endpoints: Record<string, Record<string, number>> = {};
        for (const [name, rps] of rates.services) if (only === undefined || name === only) services[name] = rps;
        for (const [name, eps] of rates.endpoints) if (only === undefined || name === only) endpoints[name] = Object.fromEntries(eps);
        if (only !== undefined && services[only] === undefined) services[only] = 0;
        return { at: rates.at, services, endpoints };
      },
    );
    app.get('/patterns', { schema: { summary: 'Every pattern', response: { 200: Type.Object({ patterns: Type.Array(Status) }) } } }, async () => ({ patterns: traffic.patterns() }));
    app.post<{ Body: Record<string, unknown> }>(
      '/patterns',
      { schema: { summary: 'Add a pattern (validated whole; started unless start is false)', body: AddBody, response: { 201: Status, ...errors(400, 409) } }, schemaErrorFormatter: badBody },
      async (req, reply) => {
        const { id, start, ...spec } = req.body;
        reply.code(201);
        return traffic.add(spec, { id: id as string | undefined, start: start as boolean | undefined });
      },
    );
    app.get<{ Params: { id: string } }>('/patterns/:id', { schema: { summary: 'One pattern', params: IdParams, response: { 200: Status, ...errors(404) } } }, async (req) =>
      traffic.pattern(req.params.id),
    );
    app.patch<{ Params: { id: string }; Body: Record<string, unknown> }>(
      '/patterns/:id',
      { schema: { summary: 'Change a pattern (merged, then validated whole); a running one keeps its start', params: IdParams, body: Changes, response: { 200: Status, ...errors(400, 404) } }, schemaErrorFormatter: badBody },
      async (req) => traffic.update(req.params.id, req.body),
    );
    app.delete<{ Params: { id: string } }>(
      '/patterns/:id',
      { schema: { summary: 'Delete a pattern (stopped first)', params: IdParams, response: { 200: Type.Object({ removed: Type.String() }), ...errors(404) } } },
      async (req) => {
        traffic.remove(req.params.id);
        return { removed: req.params.id };
      },
    );
    for (const action of ['start', 'stop'] as const) {
      app.post<{ Params: { id: string } }>(
        `/patterns/:id/${action}`,
        { schema: { summary: `${action === 'start' ? 'Start' : 'Stop'} one pattern`, params: IdParams, response: { 200: Status, ...errors(404) } } },
        async (req) => {
          traffic[action](req.params.id);
          return traffic.pattern(req.params.id);
        },
      );
      app.post(
        `/${action}`,
        { schema: { summary: `${action === 'start' ? 'Start' : 'Stop'} every pattern`, response: { 200: Type.Object({ patterns: Type.Array(Status) }) } } },
        async () => {
          traffic[action]();
          return { patterns: traffic.patterns() };
        },
      );
    }
  };
}
