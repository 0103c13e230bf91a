// Schemas of the WireMock-compatible admin API, for validation of simple inputs and
// for /__admin/openapi.json, and WireMock's limit/offset paging. Mapping bodies are
// checked by compileMapping, which reports the exact field path; these schemas only
// document their shape.
import { Type } from '@understudy/plugin-sdk';

const Any = Type.Unknown();
const Matchers = Type.Record(Type.String(), Any);

export const RequestPatternSchema = Type.Object(
  {
    method: Type.Optional(Type.String({ description: 'HTTP method or ANY' })),
    url: Type.Optional(Type.String({ description: 'Path and query, exact' })),
    urlPath: Type.Optional(Type.String({ description: 'Path, exact' })),
    urlPattern: Type.Optional(Type.String({ description: 'Regex on path and query' })),
    urlPathPattern: Type.Optional(Type.String({ description: 'Regex on path' })),
    urlPathTemplate: Type.Optional(Type.String({ description: 'e.g. /users/{id}' })),
    pathParameters: Type.Optional(Matchers),
    queryParameters: Type.Optional(Matchers),
    headers: Type.Optional(Matchers),
    cookies: Type.Optional(Matchers),
    basicAuthCredentials: Type.Optional(Type.Object({ username: Type.String(), password: Type.String() })),
    bodyPatterns: Type.Optional(Type.Array(Any)),
  },
  { additionalProperties: true },
);

export const MappingSchema = Type.Object(
  {
    id: Type.Optional(Type.String()),
    uuid: Type.Optional(Type.String()),
    name: Type.Optional(Type.String()),
    priority: Type.Optional(Type.Integer({ minimum: 1, description: 'Lower wins; default 5' })),
    request: RequestPatternSchema,
    response: Type.Optional(
      Type.Object(
        {
          status: Type.Optional(Type.Integer()),
          headers: Type.Optional(Type.Record(Type.String(), Any)),
          body: Type.Optional(Type.String()),
          jsonBody: Type.Optional(Any),
          base64Body: Type.Optional(Type.String()),
          bodyFileName: Type.Optional(Type.String()),
          fixedDelayMilliseconds: Type.Optional(Type.Integer()),
          delayDistribution: Type.Optional(Type.Record(Type.String(), Any)),
          fault: Type.Optional(Type.String()),
        },
        { additionalProperties: true },
      ),
    ),
    scenarioName: Type.Optional(Type.String()),
    requiredScenarioState: Type.Optional(Type.String()),
    newScenarioState: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);

export const IdParams = Type.Object({ id: Type.String() });
export const Paging = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 0 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
});
/** WireMock's `limit`/`offset` paging of a list. */
export function page<T>(items: T[], { limit, offset = 0 }: { limit?: number; offset?: number }): T[] {
  return items.slice(offset, limit === undefined ? undefined : offset + limit);
}
export const Meta = Type.Object({ total: Type.Integer() });
export const Empty = Type.Object({});

export const LoggedRequestSchema = Type.Object(
  {
    url: Type.String(),
    absoluteUrl: Type.String(),
    method: Type.String(),
    headers: Type.Record(Type.String(), Type.String()),
    queryParams: Type.Record(Type.String(), Any),
    body: Type.String(),
    bodyTruncated: Type.Optional(Type.Literal(true, { description: 'The journal kept only the first journal.maxBodyBytes bytes of the body' })),
    originalBodyBytes: Type.Optional(Type.Integer({ description: 'Size of the body as received (UTF-8 bytes), when it was cut' })),
    loggedDate: Type.Number(),
    loggedDateString: Type.String(),
  },
  { additionalProperties: true },
);

/** `meta` of GET /__admin/requests: the count listed, and what the journal's bounds let go. */
export const JournalMeta = Type.Object({
  total: Type.Integer({ description: 'Entries held now' }),
  dropped: Type.Integer({ description: 'Entries dropped to stay under journal.maxEntries or journal.maxBytes, since start' }),
  bytes: Type.Integer({ description: 'Estimated bytes the entries hold now' }),
  maxBytes: Type.Integer({ description: 'journal.maxBytes' }),
  truncated: Type.Integer({ description: 'Entries whose body was cut to journal.maxBodyBytes, since start' }),
  truncatedBytes: Type.Integer({ description: 'Bytes cut from those bodies' }),
});

export const ServeEventSchema = Type.Object(
  {
    id: Type.String(),
    request: LoggedRequestSchema,
    responseDefinition: Any,
    response: Any,
    wasMatched: Type.Boolean(),
    stubMapping: Type.Optional(MappingSchema),
  },
  { additionalProperties: true },
);

export const ScenarioSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  state: Type.String(),
  possibleStates: Type.Array(Type.String()),
});
