// The industry-data plugin's contract: the `industryData` service, the shapes it hands out
// (entities, type descriptions, list queries, safety problems) and its declaration in the
// kernel's Services. Personas (REST, sessions, exports) and scenarios import these types only.
//
// Conventions every consumer relies on (README "Conventions"):
// - an entity is plain JSON with `id` (canonical form: the decimal number as a string, "42";
//   "cus_000042", "cus_42" and "0042" resolve to the same entity), `type` (singular: "customer")
//   and its fields; relations are canonical ids in `<name>Id` fields;
// - money is `{ amount: <integer minor units>, currency: "EUR" }`;
// - dates are ISO 8601 UTC strings derived from the data set's `epoch`, never the wall clock;
// - entity = f(run seed, industry, type, id, hints): no shared stream, so request order never
//   changes an entity.

/** A generated record. `id` and `type` are always present; the rest depends on the type. */
export interface Entity {
  id: string;
  type: string;
  [field: string]: unknown;
}

/** Money in integer minor units (ISO 4217: EUR/USD/GBP 2, JPY 0, BHD 3). */
export interface Money {
  amount: number;
  currency: string;
}

/** Hints fix fields (`name: 'Maria Chen'`, `segment: 'premium'`) and shape relations (`products: ['mortgage']`). */
export type Hints = Record<string, unknown>;

export interface RelationInfo {
  /** Name used in `related(…, relation)` and in REST (`/finance/customers/42/accounts`). */
  name: string;
  /** Plural of the related type. */
  type: string;
  /** The field holding the id: on the related entities for `many`, on this entity for `one`. */
  via: string;
  /** `many`: this entity's children (a customer's accounts); `one`: its parent (an account's customer). */
  kind: 'one' | 'many';
}

export interface FieldInfo {
  name: string;
  description: string;
}

export interface HintInfo {
  key: string;
  description: string;
}

export interface EntityTypeInfo {
  /** Singular type name, the entity's `type` field ("customer"). */
  type: string;
  /** Plural used in paths ("customers"). */
  plural: string;
  /** Entities in the data set: ids run from 1 to count. */
  count: number;
  /** Prefix of the long id form ("cus" → "cus_000042"). */
  idPrefix: string;
  description: string;
  relations: RelationInfo[];
  fields: FieldInfo[];
  hints: HintInfo[];
}

export interface ListQuery {
  offset: number;
  limit: number;
  /** `field=value` on dotted paths (`status=active`, `address.city=Springfield`); arrays match any element; money matches its amount. */
  filter?: Record<string, string>;
  /** Dotted paths, `-` for descending: `['-createdAt', 'id']`. */
  sort?: string[];
}

export interface ListResult {
  items: Entity[];
  total: number;
}

export interface SafetyProblem {
  /** Dotted path of the offending field (`identifier[1].value`, `iban`). */
  path: string;
  /** Stable rule name (`iban.mod97`, `card.testRange`, `email.rfc2606`, `money.balance`). */
  rule: string;
  message: string;
}

export interface IndustryInfo {
  name: string;
  description: string;
  /** `builtin` (finance, healthcare, retail) or `custom` (described in config). */
  source: 'builtin' | 'custom';
  types: string[];
}

export interface IndustryData {
  /** Known industries: finance, healthcare, retail, then custom ones in config order. */
  industries(): string[];
  describe(industry: string): IndustryInfo;
  /** Entity types of an industry. Unknown industry → US_INDUSTRY_UNKNOWN (404) with "did you mean". */
  types(industry: string): EntityTypeInfo[];
  /** One type by plural (or singular) name. Unknown → US_INDUSTRY_TYPE_UNKNOWN (404). */
  type(industry: string, plural: string): EntityTypeInfo;
  /** Canonical id ("42") of any accepted form, or undefined when it is not an id of that type's data set. */
  canonicalId(industry: string, plural: string, id: string): string | undefined;
  /** The entity, or undefined when the id is outside the data set. Hints apply on top of registered ones. */
  get(industry: string, plural: string, id: string, hints?: Hints): Entity | undefined;
  list(
    industry: string,
    plural: string,
    q: ListQuery,
    hintsFor?: (id: string) => Hints | undefined,
  ): ListResult;
  /** Entities related to one (`accounts` of customer 42, `customer` of account 7). Unknown relation → US_INDUSTRY_RELATION_UNKNOWN (404). */
  related(industry: string, plural: string, id: string, relation: string, hints?: Hints): Entity[];
  /** Runs the safety validator over one record; [] when it is safe. */
  validate(industry: string, plural: string, record: Entity): SafetyProblem[];
  /**
   * Registers a hero persona's hints for an entity, so every endpoint sees them: `get`, `list`,
   * and the entity's relations (`products: ['mortgage']` makes one of her loans a mortgage, and
   * that loan is a mortgage wherever it is read). Replaces earlier hints for that entity.
   */
  registerHints(industry: string, plural: string, id: string, hints: Hints): void;
  /** Hints registered for an entity (merged with those of its parents' that shape it), if any. */
  hintsOf(industry: string, plural: string, id: string): Hints | undefined;
  /** The data set's seed and epoch (ISO 8601). */
  readonly seed: string;
  readonly epoch: string;
}

declare module '@understudy/kernel' {
  interface Services {
    industryData: IndustryData;
  }
}
