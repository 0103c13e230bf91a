// Control plane under /__admin/industry-data: the industries, their types (fields, relations,
// hint keys, sizes), a sample of any type with its safety report, the validator for records
// you send, and the cache's counters. Unknown industries, types and ids answer coded 404s
// with "did you mean"; bad bodies and queries coded 400s.
import { documentedOnly, errorResponses as errors, Type, type AdminApp } from '@understudy/plugin-sdk';
import type { Entity } from './contract.js';
import { IndustryErrors } from './errors.js';
import type { IndustryDataService } from './service.js';

const Any = Type.Unknown();
const IndustryParams = Type.Object({ industry: Type.String() });
const TypeParams = Type.Object({ industry: Type.String(), plural: Type.String() });
const Problem = Type.Object({ path: Type.String(), rule: Type.String(), message: Type.String() });

export function adminRoutes(service: IndustryDataService) {
  return async (app: AdminApp) => {
    app.get('/industries', { schema: { summary: 'Known industries (built-in and custom)', response: { 200: Type.Object({ industries: Type.Array(Any) }) } } }, async () => ({
      industries: service.industries().map((name) => service.describe(name)),
    }));

    app.get<{ Params: { industry: string } }>(
      '/industries/:industry',
      { schema: { summary: 'One industry with its entity types: fields, relations, hint keys and sizes', params: IndustryParams, response: { 200: Any, ...errors(404) } } },
      async (req) => ({ ...service.describe(req.params.industry), types: service.types(req.params.industry) }),
    );

    app.get<{ Params: { industry: string; plural: string } }>(
      '/industries/:industry/:plural',
      { schema: { summary: 'One entity type', params: TypeParams, response: { 200: Any, ...errors(404) } } },
      async (req) => service.type(req.params.industry, req.params.plural),
    );

    app.get<{ Params: { industry: string; plural: string }; Querystring: { n?: number; offset?: number; id?: string } }>(
      '/industries/:industry/:plural/sample',
      {
        schema: {
          summary: 'A sample of generated entities with the safety validator\'s findings for each',
          params: TypeParams,
          querystring: Type.Object(
            {
              n: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 3, description: 'how many' })),
              offset: Type.Optional(Type.Integer({ minimum: 0, default: 0, description: 'ids from offset + 1' })),
              id: Type.Optional(Type.String({ description: 'one entity by id (42 or cus_000042)' })),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ items: Type.Array(Any), total: Type.Integer(), problems: Type.Array(Type.Object({ id: Type.String(), problems: Type.Array(Problem) })) }), ...errors(400, 404) },
        },
      },
      async (req) => {
        const { industry, plural } = req.params;
        const t = service.type(industry, plural);
        let items: Entity[];
        if (req.query.id !== undefined) {
          const e = service.get(industry, plural, req.query.id);
          if (!e) throw new IndustryErrors.ENTITY_NOT_FOUND(industry, t.plural, req.query.id, t.count, t.idPrefix);
          items = [e];
        } else items = service.list(industry, plural, { offset: req.query.offset ?? 0, limit: req.query.n ?? 3 }).items;
        const problems = items.map((e) => ({ id: e.id, problems: service.validate(industry, plural, e) })).filter((p) => p.problems.length);
        return { items, total: t.count, problems };
      },
    );

    app.post<{ Params: { industry: string; plural: string }; Body: unknown }>(
      '/industries/:industry/:plural/validate',
      {
        schema: {
          summary: 'Run the safety validator over a record, or over { records: [...] }',
          params: TypeParams,
          body: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Object({ records: Type.Array(Any) })]),
          response: { 200: Type.Object({ valid: Type.Boolean(), results: Type.Array(Type.Object({ id: Any, valid: Type.Boolean(), problems: Type.Array(Problem) })) }), ...errors(400, 404) },
        },
        validatorCompiler: documentedOnly,
      },
      async (req) => {
        const { industry, plural } = req.params;
        service.type(industry, plural);
        const body = req.body;
        if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new IndustryErrors.INVALID_RECORD('the body is not a JSON object');
        const records = Array.isArray((body as { records?: unknown }).records) ? ((body as { records: unknown[] }).records) : [body];
        if (records.length > 1000) throw new IndustryErrors.INVALID_QUERY([`records: at most 1000 per request (got ${records.length})`]);
        const results = records.map((r, i) => {
          if (typeof r !== 'object' || r === null || Array.isArray(r)) throw new IndustryErrors.INVALID_RECORD(`records[${i}] is not a JSON object`);
          const problems = service.validate(industry, plural, r as Entity);
          return { id: (r as Entity).id ?? null, valid: problems.length === 0, problems };
        });
        return { valid: results.every((r) => r.valid), results };
      },
    );

    app.get('/stats', { schema: { summary: "The entity cache's counters and the data set's seed and epoch", response: { 200: Any } } }, async () => ({
      seed: service.seed,
      epoch: service.epoch,
      cache: service.cacheStats(),
    }));
  };
}
