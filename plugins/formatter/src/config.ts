// The formatter's config: which responses it shapes (path prefixes), how it prints them
// (indent, pretty by default), how money and dates are rendered. Every option has a
// default, so `formatter: {}` gives the documented behaviour; a bad value stops startup
// with its path (the kernel validates this schema).
import { Type, type Static } from '@understudy/plugin-sdk';

export const MONEY_FIELDS = ['amount', 'currency', 'minorUnits', 'display'] as const;
export type MoneyField = (typeof MONEY_FIELDS)[number];

export const FormatterConfigSchema = Type.Object(
  {
    paths: Type.Array(Type.String({ pattern: '^/' }), {
      default: ['/'],
      description: 'Path prefixes (whole segments) whose JSON responses are shaped. /__admin is never shaped, whatever this says.',
    }),
    exclude: Type.Array(Type.String({ pattern: '^/' }), { default: [], description: 'Path prefixes left alone even inside `paths`.' }),
    indent: Type.Integer({ minimum: 1, maximum: 8, default: 2, description: 'Spaces per level when printing pretty (?pretty, or `pretty: true`).' }),
    pretty: Type.Boolean({ default: false, description: 'Print pretty without ?pretty (?pretty=false turns it off per request).' }),
    xmlDeclaration: Type.Boolean({ default: true, description: 'Start XML with <?xml version="1.0" encoding="UTF-8"?>.' }),
    money: Type.Object(
      {
        enabled: Type.Boolean({ default: true, description: 'Render { amount: <minor units>, currency } objects.' }),
        locale: Type.String({ default: 'en-US', minLength: 2, description: 'BCP 47 locale of the display string (Intl.NumberFormat).' }),
        currencyDisplay: Type.Union([Type.Literal('symbol'), Type.Literal('narrowSymbol'), Type.Literal('code'), Type.Literal('name')], {
          default: 'symbol',
          description: 'How the display string names the currency (Intl.NumberFormat currencyDisplay).',
        }),
        fields: Type.Array(Type.Union(MONEY_FIELDS.map((f) => Type.Literal(f))), {
          default: [...MONEY_FIELDS],
          minItems: 1,
          uniqueItems: true,
          description: 'Fields of a rendered amount, in this order: amount (decimal string), currency, minorUnits (integer), display.',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    dates: Type.Object(
      {
        normalize: Type.Boolean({
          default: true,
          description: 'Rewrite date-times with an offset, and HTTP dates, as ISO 8601 UTC (2026-03-01T09:30:00.000Z); dates (2026-03-01) stay as they are.',
        }),
        epochMillisFields: Type.Array(Type.String({ minLength: 1 }), {
          default: [],
          description: 'Field names whose numbers are epoch milliseconds, rendered as ISO 8601 UTC strings.',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
);
export type FormatterConfig = Static<typeof FormatterConfigSchema>;
