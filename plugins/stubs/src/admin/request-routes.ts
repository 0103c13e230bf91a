// WireMock's /__admin/requests routes: the request journal (with what its bounds let go
// in `meta`), unmatched requests, and counting or finding entries by request pattern.
import { type AdminApp, documentedOnly, errorResponses, Type } from '@understudy/plugin-sdk';
import { StubsErrors } from '../errors.js';
import type { Journal } from '../journal.js';
import { compileRequestPattern } from '../matcher/request.js';
import { Empty, IdParams, JournalMeta, LoggedRequestSchema, page, Paging, RequestPatternSchema, ServeEventSchema } from './schemas.js';

export function requestRoutes(journal: Journal) {
  return async (app: AdminApp) => {
    app.get<{ Querystring: { limit?: number; offset?: number } }>(
      '/requests',
      {
        schema: {
          summary: 'The request journal, newest first',
          querystring: Paging,
          response: {
            200: Type.Object({
              requests: Type.Array(ServeEventSchema),
              meta: JournalMeta,
              requestJournalDisabled: Type.Boolean(),
            }),
          },
        },
      },
      async (req) => {
        const all = journal.list();
        return { requests: page(all, req.query), meta: { total: all.length, ...journal.stats() }, requestJournalDisabled: journal.disabled };
      },
    );
    const clear = async () => {
      journal.clear();
      return {};
    };
    app.delete('/requests', { schema: { summary: 'Clear the journal', response: { 200: Empty } } }, clear);
    app.post('/requests/reset', { schema: { summary: 'Clear the journal (older WireMock clients)', response: { 200: Empty } } }, clear);
    app.get(
      '/requests/unmatched',
      {
        schema: {
          summary: 'Requests no mapping matched',
          response: { 200: Type.Object({ requests: Type.Array(LoggedRequestSchema), requestJournalDisabled: Type.Boolean() }) },
        },
      },
      async () => ({
        requests: journal.list((e) => !e.wasMatched).map((e) => e.request),
        requestJournalDisabled: journal.disabled,
      }),
    );
    app.post(
      '/requests/count',
      {
        schema: { summary: 'Count journal entries matching a request pattern', body: RequestPatternSchema, response: { 200: Type.Object({ count: Type.Integer() }), ...errorResponses(400) } },
        validatorCompiler: documentedOnly,
      },
      async (req) => ({ count: journal.matching(compileRequestPattern(req.body ?? {}, 'request')).length }),
    );
    app.post(
      '/requests/find',
      {
        schema: {
          summary: 'Journal entries matching a request pattern',
          body: RequestPatternSchema,
          response: { 200: Type.Object({ requests: Type.Array(LoggedRequestSchema) }), ...errorResponses(400) },
        },
        validatorCompiler: documentedOnly,
      },
      async (req) => ({ requests: journal.matching(compileRequestPattern(req.body ?? {}, 'request')).map((e) => e.request) }),
    );
    app.get<{ Params: { id: string } }>(
      '/requests/:id',
      { schema: { summary: 'One journal entry', params: IdParams, response: { 200: ServeEventSchema, ...errorResponses(404) } } },
      async (req) => {
        const event = journal.get(req.params.id);
        if (!event) throw new StubsErrors.REQUEST_NOT_FOUND(req.params.id);
        return event;
      },
    );
  };
}
