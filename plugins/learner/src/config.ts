// The learner's config (TypeBox; the kernel applies the defaults and reports every bad
// path before anything starts). Defaults: a SQLite file under .understudy/, a flush every
// 250 ms of kernel time (a kill -9 loses at most that much learning), a queue of 10,000
// observations or 32 MiB, whichever fills first.
import { Type, type Static } from '@understudy/plugin-sdk';

const Names = (description: string) => Type.Array(Type.String({ minLength: 1 }), { default: [], description });

export const LearnerConfigSchema = Type.Object(
  {
    storage: Type.String({
      minLength: 1,
      default: '.understudy/learner.db',
      description: 'SQLite file (relative to the config folder), ":memory:", or a postgres:// URL',
    }),
    postgresSchema: Type.Optional(
      Type.String({ pattern: '^[a-z_][a-z0-9_]{0,62}$', description: 'PostgreSQL schema to keep the tables in (default: the search path, usually public)' }),
    ),
    flushIntervalMs: Type.Integer({ minimum: 10, maximum: 1000, default: 250, description: 'kernel-clock ms between batched writes; a kill -9 loses at most one batch' }),
    queue: Type.Object(
      {
        maxItems: Type.Integer({ minimum: 1, default: 10_000 }),
        maxBytes: Type.Integer({ minimum: 1024, default: 32 * 1024 * 1024, description: 'captured body bytes waiting to be learned' }),
      },
      { default: {}, additionalProperties: false },
    ),
    maxEndpoints: Type.Integer({ minimum: 1, default: 2000, description: 'endpoint models kept; observations of new endpoints past it are counted and dropped' }),
    templates: Type.Object(
      {
        minDistinct: Type.Integer({ minimum: 2, default: 3, description: 'distinct values of one class before a segment becomes a parameter' }),
      },
      { default: {}, additionalProperties: false },
    ),
    examples: Type.Object(
      {
        maxPerStatus: Type.Integer({ minimum: 0, default: 5 }),
        maxBytes: Type.Integer({ minimum: 0, default: 64 * 1024, description: 'bytes of examples per status' }),
      },
      { default: {}, additionalProperties: false },
    ),
    sampling: Type.Object(
      {
        after: Type.Integer({
          minimum: 0,
          default: 200,
          description: 'observations of a status learned in full (schema, headers, examples, drift walk) before sampling starts, and again after a body changed its shape',
        }),
        every: Type.Integer({
          minimum: 1,
          default: 50,
          description: 'then every n-th observation is learned in full, and any of another media type or whose JSON top level the schema does not describe; the rest are counted only. 1 learns every one in full',
        }),
      },
      { default: {}, additionalProperties: false },
    ),
    secrets: Type.Object(
      {
        headers: Names('header names redacted besides authorization, cookie, set-cookie, proxy-authorization, x-api-key'),
        fields: Names('JSON field names whose values are redacted in kept examples (password, token, …)'),
      },
      { default: {}, additionalProperties: false },
    ),
    state: Type.Object(
      {
        enabled: Type.Boolean({ default: true, description: 'stateful mocks for resource lifecycles seen in traffic' }),
        maxResources: Type.Integer({ minimum: 0, default: 10_000 }),
        maxBytes: Type.Integer({ minimum: 0, default: 16 * 1024 * 1024 }),
      },
      { default: {}, additionalProperties: false },
    ),
    maxDrift: Type.Integer({ minimum: 0, default: 500, description: 'drift records kept (oldest dropped)' }),
    seed: Type.Optional(Type.Union([Type.String(), Type.Number()], { description: 'seed of synthesized answers (default: from the run seed)' })),
  },
  { additionalProperties: false },
);

export type LearnerConfig = Static<typeof LearnerConfigSchema>;
