// Control plane under /__admin/personas: sessions (list, create, read, delete, reset,
// snapshot and restore, one entity's read, patch and delete), personas, and the export.
// Bodies and queries are checked by the plugin (documentedOnly keeps the TypeBox schemas
// for OpenAPI without fastify's coercion), so every refusal is a coded 4xx that says how
// to fix it, and every write is whole or nothing (sessions.ts).
import { documentedOnly, errorResponses as errors, Type, type AdminApp } from '@understudy/plugin-sdk';
import type { PersonasConfig } from './config.js';
import { PersonasErrors } from './errors.js';
import { CONTENT_TYPES, EXPORT_FORMATS, prepareExport, type ExportFormat } from './export.js';
import type { IndustryData } from './industry-types.js';
import { isPlainObject } from './merge-patch.js';
import type { PersonaRegistry } from './personas.js';
import type { SessionService } from './sessions.js';
import type { DataView } from './view.js';

export interface AdminDeps {
  config: PersonasConfig;
  data: IndustryData;
  sessions: SessionService;
  view: DataView;
  personas: PersonaRegistry;
}

const Any = Type.Unknown();
const NameParams = Type.Object({ name: Type.String() });
const EntityParams = Type.Object({ name: Type.String(), industry: Type.String(), plural: Type.String(), id: Type.String() });
const SessionInfoSchema = Type.Object({
  name: Type.String(),
  createdAt: Type.Number(),
  updatedAt: Type.Number(),
  patched: Type.Integer(),
  created: Type.Integer(),
  deleted: Type.Integer(),
  bytes: Type.Integer(),
});
const SessionEntitySchema = Type.Object({
  industry: Type.String(),
  plural: Type.String(),
  id: Type.String(),
  kind: Type.Union([Type.Literal('patched'), Type.Literal('created'), Type.Literal('deleted')]),
  record: Type.Optional(Any),
  updatedAt: Type.Number(),
});
const SessionStateSchema = Type.Object({ entities: Type.Array(SessionEntitySchema) });
const ExportQuery = Type.Object({
  industry: Type.String({ description: 'finance, healthcare, retail or a custom one' }),
  type: Type.String({ description: 'Plural (or singular) type: customers' }),
  format: Type.Optional(Type.Union(EXPORT_FORMATS.map((f) => Type.Literal(f)), { default: 'json' })),
  session: Type.Optional(Type.String({ description: 'Session whose changes apply (default: the default session)' })),
  offset: Type.Optional(Type.Integer({ minimum: 0 })),
  limit: Type.Optional(Type.Integer({ minimum: 1 })),
});

type Q = Record<string, unknown>;
const one = (v: unknown) => (Array.isArray(v) ? v[v.length - 1] : v);

export function adminRoutes(d: AdminDeps) {
  const defaultSession = d.config.sessions.default;
  const sessionParam = (q: Q) => {
    const name = one(q.session);
    const session = name === undefined || name === '' ? defaultSession : String(name);
    d.sessions.checkName(session);
    return session;
  };
  const detail = (name: string) => ({ ...d.sessions.info(name)!, entities: d.sessions.snapshot(name).entities });

  return async (app: AdminApp) => {
    app.get('/sessions', { schema: { summary: 'Demo sessions, their sizes, bounds and refusals', response: { 200: Type.Object({ sessions: Type.Array(SessionInfoSchema), stats: Any }) } } }, async () => ({
      sessions: d.sessions.list(),
      stats: d.sessions.stats(),
    }));
    app.post(
      '/sessions',
      { schema: { summary: 'Create an empty session', body: Type.Object({ name: Type.String() }), response: { 201: SessionInfoSchema, ...errors(400, 409) } }, validatorCompiler: documentedOnly },
      async (req, reply) => {
        const body = req.body as Q | undefined;
        if (!isPlainObject(body) || typeof body.name !== 'string') throw new PersonasErrors.BAD_SESSION_NAME(String(isPlainObject(body) ? body.name : body));
        return reply.code(201).send(d.sessions.create(body.name));
      },
    );
    app.get<{ Params: { name: string } }>(
      '/sessions/:name',
      { schema: { summary: 'One session with every entity it changed', params: NameParams, response: { 200: Any, ...errors(404) } } },
      async (req) => {
        d.sessions.existing(req.params.name);
        return detail(req.params.name);
      },
    );
    app.delete<{ Params: { name: string } }>(
      '/sessions/:name',
      { schema: { summary: 'Delete a session and its changes', params: NameParams, response: { 200: Type.Object({ deleted: Type.String() }), ...errors(404) } } },
      async (req) => {
        d.sessions.delete(req.params.name);
        return { deleted: req.params.name };
      },
    );
    app.post<{ Params: { name: string } }>(
      '/sessions/:name/reset',
      { schema: { summary: 'Drop every change of a session (the session stays)', params: NameParams, response: { 200: SessionInfoSchema, ...errors(404) } } },
      async (req) => {
        d.sessions.reset(req.params.name, 'admin');
        return d.sessions.info(req.params.name);
      },
    );
    app.get<{ Params: { name: string } }>(
      '/sessions/:name/snapshot',
      { schema: { summary: "A session's state, to restore later", params: NameParams, response: { 200: SessionStateSchema, ...errors(404) } } },
      async (req) => {
        d.sessions.existing(req.params.name);
        return d.sessions.snapshot(req.params.name);
      },
    );
    app.put<{ Params: { name: string } }>(
      '/sessions/:name/snapshot',
      {
        schema: { summary: "Replace a session's state with a snapshot (created when needed)", params: NameParams, body: SessionStateSchema, response: { 200: SessionInfoSchema, ...errors(400, 409) } },
        validatorCompiler: documentedOnly,
      },
      async (req) => {
        d.sessions.restore(req.params.name, req.body as never);
        return d.sessions.info(req.params.name);
      },
    );
    app.get<{ Params: { name: string; industry: string; plural: string; id: string } }>(
      '/sessions/:name/entities/:industry/:plural/:id',
      { schema: { summary: 'One entity as the session sees it', params: EntityParams, response: { 200: Any, ...errors(404) } } },
      async (req) => {
        const { name, industry, plural, id } = req.params;
        d.sessions.checkName(name);
        const found = d.sessions.get(name, industry, plural, id);
        if (!found) throw new PersonasErrors.ENTITY_NOT_FOUND(`/${industry}/${plural}/${id}`, `session "${name}" has no such entity (deleted, or outside the data set)`, []);
        return found;
      },
    );
    app.patch<{ Params: { name: string; industry: string; plural: string; id: string } }>(
      '/sessions/:name/entities/:industry/:plural/:id',
      { schema: { summary: 'Change an entity in a session (JSON merge patch)', params: EntityParams, body: Any, response: { 200: Any, ...errors(400, 404, 409, 422) } }, validatorCompiler: documentedOnly },
      async (req) => {
        const { name, industry, plural, id } = req.params;
        return d.sessions.patch(name, industry, plural, id, req.body as Record<string, unknown>, 'admin');
      },
    );
    app.delete<{ Params: { name: string; industry: string; plural: string; id: string } }>(
      '/sessions/:name/entities/:industry/:plural/:id',
      { schema: { summary: 'Delete an entity in a session', params: EntityParams, response: { 200: Type.Object({ deleted: Type.String() }), ...errors(404) } } },
      async (req) => {
        const { name, industry, plural, id } = req.params;
        d.sessions.deleteEntity(name, industry, plural, id, 'admin');
        return { deleted: `/${industry}/${plural}/${id}` };
      },
    );

    app.get('/personas', { schema: { summary: 'Hero personas from config', response: { 200: Type.Object({ personas: Type.Array(Any) }) } } }, async () => ({
      personas: d.personas.list(),
    }));
    app.get<{ Params: { key: string }; Querystring: Q }>(
      '/personas/:key',
      {
        schema: { summary: "One persona with her entity (as ?session= sees it)", params: Type.Object({ key: Type.String() }), querystring: Type.Object({ session: Type.Optional(Type.String()) }), response: { 200: Any, ...errors(400, 404) } },
        validatorCompiler: documentedOnly,
      },
      async (req) => {
        const p = d.personas.get(req.params.key);
        if (!p) throw new PersonasErrors.PERSONA_NOT_FOUND(req.params.key, '', d.personas.list().map((x) => x.key), d.personas.suggest(req.params.key));
        const session = sessionParam(req.query);
        return { ...p, session, entity: d.sessions.get(session, p.industry, p.type, p.id) ?? null };
      },
    );

    app.get<{ Querystring: Q }>(
      '/export',
      {
        schema: {
          summary: 'A whole data set as the session sees it: JSON, NDJSON or CSV, streamed',
          querystring: ExportQuery,
          response: { 200: { description: 'The records (application/json, application/x-ndjson or text/csv)' }, ...errors(400, 404) },
        },
        validatorCompiler: documentedOnly,
      },
      async (req, reply) => {
        const q = req.query;
        const problems: string[] = [];
        const industry = one(q.industry);
        const type = one(q.type);
        const format = (one(q.format) ?? 'json') as string;
        if (typeof industry !== 'string' || !industry) problems.push(`industry: required (one of ${d.data.industries().join(', ')})`);
        if (typeof type !== 'string' || !type) problems.push('type: required (a plural such as customers)');
        if (!EXPORT_FORMATS.includes(format as ExportFormat)) problems.push(`format: "${format}" is not one of ${EXPORT_FORMATS.join(', ')}`);
        const integer = (name: string, min: number) => {
          const raw = one(q[name]);
          if (raw === undefined) return undefined;
          if (typeof raw !== 'string' || !/^\d+$/.test(raw) || Number(raw) < min) return void problems.push(`${name}: ${JSON.stringify(raw)} is not an integer of at least ${min}`);
          return Number(raw);
        };
        const offset = integer('offset', 0) ?? 0;
        const limit = integer('limit', 1);
        if (problems.length) throw new PersonasErrors.BAD_QUERY(problems);
        const session = sessionParam(q);
        const info = d.data.type(industry as string, type as string);
        const prepared = prepareExport(d.view, { session, industry: industry as string, info, format: format as ExportFormat, offset, limit }, d.config.export);
        return reply
          .header('content-type', CONTENT_TYPES[format as ExportFormat])
          .header('content-disposition', `attachment; filename="${industry}-${info.plural}.${format}"`)
          .header('x-total-count', String(prepared.records))
          .send(prepared.stream);
      },
    );
  };
}
