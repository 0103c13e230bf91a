import { documentedOnly, Type } from '@understudy/plugin-sdk';
import type { AdminApp, AdminDeps } from './index.js';
import { doc, Empty, errors, IdParams, MappingSchema, Meta, page, Paging } from './schemas.js';


export function mappingRoutes({ store }: AdminDeps) {
  return async (app: AdminApp) => {
    app.get<{ Querystring: { limit?: number; offset?: number } }>(
      '/mappings',
      {
        schema: {
          ...doc('List mappings in match order'),
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
        schema: { ...doc('Add a mapping (an existing id is replaced)'), body: MappingSchema, response: { 201: MappingSchema, ...errors(400) } },
        validatorCompiler: documentedOnly,
      },
      async (req, reply) => reply.code(201).send(store.add(req.body)),
    );
    app.post<{ Body: { mappings?: unknown[] } }>(
      '/mappings/import',
      {
        schema: {
          ...doc('Add several mappings, all or none'),
          body: Type.Object({ mappings: Type.Array(MappingSchema) }),
          response: { 200: Type.Object({ mappings: Type.Array(MappingSchema) }), ...errors(400) },
        },
        validatorCompiler: documentedOnly,
      },
      async (req) => ({ mappings: store.addAll(req.body?.mappings) }),
    );
    app.delete('/mappings', { schema: { ...doc('Remove every mapping'), response: { 200: Empty } } }, async () => {
      store.clear();
      return {};
    });
    app.post(
      '/mappings/reset',
      { schema: { ...doc('Go back to the mappings from files and config (files are re-read)'), response: { 200: Empty } } },
      async () => {
        store.reset();
        return {};
      },
    );
    app.get<{ Params: { id: string } }>(
      '/mappings/:id',
      { schema: { ...doc('One mapping'), params: IdParams, response: { 200: MappingSchema, ...errors(404) } } },
      async (req) => store.require(req.params.id),
    );
    app.put<{ Params: { id: string } }>(
      '/mappings/:id',
      {
        schema: { ...doc('Replace a mapping'), params: IdParams, body: MappingSchema, response: { 200: MappingSchema, ...errors(400, 404) } },
        validatorCompiler: documentedOnly,
      },
      async (req) => store.update(req.params.id, req.body),
    );
    app.delete<{ Params: { id: string } }>(
      '/mappings/:id',
      { schema: { ...doc('Remove a mapping'), params: IdParams, response: { 200: Empty, ...errors(404) } } },
      async (req) => {
        store.remove(req.params.id);
        return {};
      },
    );
  };
}
