// WireMock's /__admin/mappings routes: list, add, import, get, replace, remove, reset.
// Mapping bodies are checked by the store (field paths in the message), not by fastify.
import { type AdminApp, documentedOnly, errorResponses, Type } from '@understudy/plugin-sdk';
import type { MappingStore } from '../mapping-store.js';
import { Empty, IdParams, MappingSchema, Meta, page, Paging } from './schemas.js';

export function mappingRoutes(store: MappingStore) {
  return async (app: AdminApp) => {
    app.get<{ Querystring: { limit?: number; offset?: number } }>(
      '/mappings',
      {
        schema: {
          summary: 'List mappings in match order',
          querystring: Paging,
          response: { 200: Type.Object({ mappings: Type.Array(MappingSchema), meta: Meta }) },
        },
      },
      async (req) => {
        const all = store.list();
        return { mappings: page(all, req.query), meta: { total: all.length } };
      },
    );
    app.post(
      '/mappings',
      {
        schema: { summary: 'Add a mapping (an existing id is replaced)', body: MappingSchema, response: { 201: MappingSchema, ...errorResponses(400) } },
        validatorCompiler: documentedOnly,
      },
      async (req, reply) => reply.code(201).send(store.add(req.body)),
    );
    app.post<{ Body: { mappings?: unknown[] } }>(
      '/mappings/import',
      {
        schema: {
          summary: 'Add several mappings, all or none',
          body: Type.Object({ mappings: Type.Array(MappingSchema) }),
          response: { 200: Type.Object({ mappings: Type.Array(MappingSchema) }), ...errorResponses(400) },
        },
        validatorCompiler: documentedOnly,
      },
      async (req) => ({ mappings: store.addAll(req.body?.mappings) }),
    );
    app.delete('/mappings', { schema: { summary: 'Remove every mapping', response: { 200: Empty } } }, async () => {
      store.clear();
      return {};
    });
    app.post(
      '/mappings/reset',
      { schema: { summary: 'Go back to the mappings from files and config (files are re-read)', response: { 200: Empty } } },
      async () => {
        store.reset();
        return {};
      },
    );
    app.get<{ Params: { id: string } }>(
      '/mappings/:id',
      { schema: { summary: 'One mapping', params: IdParams, response: { 200: MappingSchema, ...errorResponses(404) } } },
      async (req) => store.require(req.params.id),
    );
    app.put<{ Params: { id: string } }>(
      '/mappings/:id',
      {
        schema: { summary: 'Replace a mapping', params: IdParams, body: MappingSchema, response: { 200: MappingSchema, ...errorResponses(400, 404) } },
        validatorCompiler: documentedOnly,
      },
      async (req) => store.update(req.params.id, req.body),
    );
    app.delete<{ Params: { id: string } }>(
      '/mappings/:id',
      { schema: { summary: 'Remove a mapping', params: IdParams, response: { 200: Empty, ...errorResponses(404) } } },
      async (req) => {
        store.remove(req.params.id);
        return {};
      },
    );
  };
}
