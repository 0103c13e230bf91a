// The personas plugin's config: where the REST API answers (prefix), where sessions are
// stored (SQLite file or memory), hero personas, pagination and the bounds of sessions and
// exports. Personas are checked against the data set at register time (every problem with
// its path, see personas.ts), so the schema only checks their shape.
import { Type, type Static } from '@understudy/plugin-sdk';

export const PersonaSchema = Type.Object(
  {
    key: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$', description: 'Name of the persona in URLs: `/finance/customers/@maria`.' }),
    industry: Type.String({ minLength: 1 }),
    type: Type.String({ minLength: 1, description: 'Plural (or singular) entity type: `customers`.' }),
    id: Type.Union([Type.String({ minLength: 1 }), Type.Integer({ minimum: 1 })], { description: 'Id of the entity the persona is (any form the data set accepts: `42`, `cus_000042`).' }),
    name: Type.Optional(Type.String({ minLength: 1, description: 'Display name; also fixed as a hint (`name`) unless hints name one.' })),
    hints: Type.Record(Type.String(), Type.Unknown(), { default: {}, description: 'Generator hints (see industry-data\'s README for the keys per type).' }),
    story: Type.Optional(Type.String({ description: 'A line for the presenter: who she is, what happens to her.' })),
  },
  { additionalProperties: false },
);
export type PersonaConfig = Static<typeof PersonaSchema>;

export const PersonasConfigSchema = Type.Object(
  {
    prefix: Type.String({
      default: '',
      pattern: '^(/[A-Za-z0-9._~-]+)*$',
      description: 'Path the REST API answers under (`/api` → `/api/finance/customers`); default none.',
    }),
    storage: Type.String({
      minLength: 1,
      default: '.understudy/demo.db',
      description: 'SQLite file of the sessions, relative to the config file\'s folder; `:memory:` keeps them for the run only.',
    }),
    personas: Type.Array(PersonaSchema, { default: [] }),
    pagination: Type.Object(
      {
        defaultPageSize: Type.Integer({ minimum: 1, default: 20 }),
        maxPageSize: Type.Integer({ minimum: 1, default: 500 }),
      },
      { additionalProperties: false, default: {} },
    ),
    sessions: Type.Object(
      {
        default: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$', default: 'default', description: 'Session of requests that name none.' }),
        autoCreate: Type.Boolean({ default: true, description: 'A write naming an unknown session creates it (else 404).' }),
        max: Type.Integer({ minimum: 1, default: 100, description: 'Sessions at most; one more is refused (409) and counted.' }),
        maxEntities: Type.Integer({ minimum: 1, default: 10_000, description: 'Changed, created or deleted entities one session may hold.' }),
        maxBytes: Type.Integer({ minimum: 1024, default: 4 * 1024 * 1024, description: 'Estimated bytes (JSON length) of one session\'s records.' }),
        maxTotalBytes: Type.Integer({ minimum: 1024, default: 64 * 1024 * 1024, description: 'Estimated bytes of every session\'s records together.' }),
      },
      { additionalProperties: false, default: {} },
    ),
    export: Type.Object(
      {
        maxRecords: Type.Integer({ minimum: 1, default: 100_000, description: 'Records one export may stream; larger data sets need `?offset=&limit=`.' }),
        chunkSize: Type.Integer({ minimum: 1, maximum: 1000, default: 500, description: 'Records read per step of a stream or scan (memory is bounded by one chunk; at most industry-data\'s maxPageSize).' }),
      },
      { additionalProperties: false, default: {} },
    ),
    maxScan: Type.Integer({
      minimum: 1,
      default: 20_000,
      description: 'Most entities a filtered or sorted list may read (it reads the whole type); larger types answer 400 for such lists.',
    }),
    validateWrites: Type.Union([Type.Literal('safety'), Type.Literal('all'), Type.Literal('off')], {
      default: 'safety',
      description:
        'Which of industry-data\'s validator rules a written record (PATCH, POST, restore) must pass (422 otherwise): `safety` the rules on real-world identifiers (safetyRules), `all` every rule (balances that add up too), `off` none.',
    }),
    safetyRules: Type.Array(Type.String({ minLength: 1 }), {
      default: ['email.', 'url.', 'ip.', 'phone.', 'ssn.', 'mrn.', 'card.', 'iban.', 'bic.', 'ticker.', 'entity.'],
      description: 'Rule names (or prefixes ending in ".") that `validateWrites: safety` enforces.',
    }),
    ignoreParams: Type.Array(Type.String(), {
      default: ['format', 'pretty'],
      description: 'Query parameters that are not filters (the formatter\'s).',
    }),
  },
  { additionalProperties: false },
);

export type PersonasConfig = Static<typeof PersonasConfigSchema>;
