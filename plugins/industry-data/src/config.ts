// The industry-data plugin's config: the data set's seed and epoch, its size per type, the
// currency per industry, custom industries, and the bounds of the entity cache and of list
// queries. Every option has a default, so an empty config gives the three built-in industries.
import { Type, type Static } from '@understudy/plugin-sdk';
import { CustomIndustrySchema } from './custom/schema.js';

export const IndustryDataConfigSchema = Type.Object(
  {
    seed: Type.Optional(Type.Union([Type.String(), Type.Number()], { description: "data set seed; default: derived from the kernel's run seed" })),
    epoch: Type.String({ default: '2026-01-01T00:00:00Z', pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2}))?$', description: 'ISO 8601 instant every generated date is relative to' }),
    industries: Type.Array(Type.Union([Type.Literal('finance'), Type.Literal('healthcare'), Type.Literal('retail')]), {
      default: ['finance', 'healthcare', 'retail'],
      description: 'built-in industries to serve',
    }),
    counts: Type.Record(Type.String(), Type.Record(Type.String(), Type.Integer({ minimum: 0, maximum: 10_000_000 })), {
      default: {},
      description: 'data set size per industry and type: { finance: { customers: 5000 } }',
    }),
    currency: Type.Record(Type.String(), Type.String({ pattern: '^[A-Z]{3}$' }), { default: {}, description: 'ISO 4217 currency per industry (default finance EUR, healthcare USD, retail USD)' }),
    custom: Type.Array(CustomIndustrySchema, { default: [], description: 'industries you describe (see README "Custom industries")' }),
    cache: Type.Object(
      {
        maxEntries: Type.Integer({ minimum: 0, default: 10_000 }),
        maxBytes: Type.Integer({ minimum: 0, default: 32 * 1024 * 1024 }),
      },
      { default: {}, additionalProperties: false },
    ),
    maxPageSize: Type.Integer({ minimum: 1, maximum: 100_000, default: 1000, description: 'largest list page' }),
    maxScan: Type.Integer({ minimum: 1, default: 100_000, description: 'largest data set a filtered or sorted list may scan' }),
  },
  { additionalProperties: false },
);

export type IndustryDataConfig = Static<typeof IndustryDataConfigSchema>;

export const DEFAULT_CURRENCY: Record<string, string> = { finance: 'EUR', healthcare: 'USD', retail: 'USD' };
