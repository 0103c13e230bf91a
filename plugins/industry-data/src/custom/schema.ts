// How a user describes an industry of her own in config: entities with fields, each field
// one generator (a faker method, an enum with weights, a range, money, a date, a template over
// other fields and a vocabulary, a reference to another entity, or a safe identifier), and
// optionally a parent for a relation. compile.ts checks what a schema cannot (exactly one
// generator per field, faker methods that exist and are safe, references that resolve) and
// reports every problem with its path.
import { Type, type Static } from '@understudy/plugin-sdk';

export const SAFE_KINDS = ['email', 'phone', 'ip', 'url', 'ssn', 'mrn', 'iban', 'bic', 'card', 'uuid'] as const;

export const FieldSchema = Type.Union([
  Type.String({ description: 'shorthand for { faker: "<module>.<method>" }' }),
  Type.Object(
    {
      faker: Type.Optional(Type.String({ description: 'a faker method, "person.fullName", "commerce.productName", "location.city"' })),
      args: Type.Optional(Type.Array(Type.Unknown(), { description: "arguments of the faker method" })),
      enum: Type.Optional(Type.Array(Type.Union([Type.String(), Type.Number(), Type.Boolean()]), { minItems: 1 })),
      weights: Type.Optional(Type.Array(Type.Number({ minimum: 0 }), { description: 'relative weights of the enum values' })),
      int: Type.Optional(Type.Array(Type.Integer(), { minItems: 2, maxItems: 2, description: '[min, max] inclusive' })),
      number: Type.Optional(Type.Array(Type.Number(), { minItems: 2, maxItems: 2, description: '[min, max)' })),
      decimals: Type.Optional(Type.Integer({ minimum: 0, maximum: 6, default: 2 })),
      money: Type.Optional(Type.Object({ min: Type.Integer(), max: Type.Integer(), currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })) }, { additionalProperties: false })),
      date: Type.Optional(
        Type.Object(
          { fromDays: Type.Integer({ description: 'days from the epoch (negative: before)' }), toDays: Type.Integer(), dateOnly: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
      ),
      template: Type.Optional(Type.String({ description: 'text with {field} (another field), {word} (a vocabulary list) and [a|b] alternatives' })),
      ref: Type.Optional(Type.String({ description: 'plural of another entity of this industry: the field holds one of its ids' })),
      safe: Type.Optional(Type.Union(SAFE_KINDS.map((k) => Type.Literal(k)))),
      sequence: Type.Optional(Type.String({ description: 'prefix of a readable number: "FLT-" → FLT-000042' })),
      boolean: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'probability of true' })),
      value: Type.Optional(Type.Unknown({ description: 'a constant' })),
      description: Type.Optional(Type.String()),
    },
    { additionalProperties: false },
  ),
]);

export const CustomEntitySchema = Type.Object(
  {
    type: Type.String({ pattern: '^[a-z][a-zA-Z0-9-]*$', description: 'singular name: "aircraft"' }),
    plural: Type.Optional(Type.String({ pattern: '^[a-z][a-zA-Z0-9-]*$', description: 'path name; default type + "s"' })),
    idPrefix: Type.Optional(Type.String({ pattern: '^[a-z]{2,6}$' })),
    description: Type.Optional(Type.String()),
    count: Type.Integer({ minimum: 0, maximum: 10_000_000, default: 100 }),
    parent: Type.Optional(
      Type.Object(
        {
          type: Type.String({ description: 'plural of the parent entity' }),
          via: Type.Optional(Type.String({ description: 'field holding the parent id; default <parent type>Id' })),
          name: Type.Optional(Type.String()),
          minOne: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
    ),
    fields: Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }), FieldSchema, { default: {} }),
  },
  { additionalProperties: false },
);

export const CustomIndustrySchema = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z][a-z0-9-]*$' }),
    description: Type.Optional(Type.String()),
    currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
    vocabulary: Type.Record(Type.String(), Type.Array(Type.String(), { minItems: 1 }), { default: {} }),
    entities: Type.Array(CustomEntitySchema, { minItems: 1 }),
  },
  { additionalProperties: false },
);

export type FieldConfig = Static<typeof FieldSchema>;
export type CustomEntityConfig = Static<typeof CustomEntitySchema>;
export type CustomIndustryConfig = Static<typeof CustomIndustrySchema>;
