// What an industry is made of: entity type specs (fields, parent, references, hint keys, a
// generator and a safety check per type). Finance, healthcare, retail and custom industries
// all build these; the service turns them into the `industryData` contract.
import type { Entity, FieldInfo, HintInfo, Hints } from '../contract.js';
import type { Gen } from './gen.js';
import type { Problems } from '../safety/problems.js';

/** A belongs-to link: this type's entities are distributed over the parent's (see fanout.ts). */
export interface ParentSpec {
  /** Relation name from the child's side ("customer"). */
  name: string;
  plural: string;
  /** Field on the child holding the parent's id ("customerId"). */
  via: string;
  /** Every parent gets at least one child when there are enough (a customer has an account). */
  minOne?: boolean;
}

/** A reference to some other entity, chosen by the generator (a review's customer). */
export interface RefSpec {
  name: string;
  plural: string;
  via: string;
}

/** A hero hint asking for a child shaped a certain way (`products: ['mortgage']` → a loan `{ kind: 'mortgage' }`). */
export interface Demand {
  /** Plural of the child type; the type's parent must be the hinted entity's type. */
  plural: string;
  hints: Hints;
}

export interface TypeSpec {
  type: string;
  plural: string;
  idPrefix: string;
  description: string;
  /** Default size of the data set (config `counts` overrides). */
  count: number;
  parent?: ParentSpec;
  refs?: RefSpec[];
  /** Other types its generator reads with `g.get` (so those are cached). */
  reads?: string[];
  fields: FieldInfo[];
  hints: HintInfo[];
  generate(g: Gen): Entity;
  /** Type-specific safety rules (checksums, ranges, sums); the generic walk runs for every type. */
  check?(record: Entity, problems: Problems): void;
  /** Children a hero's hints ask for. */
  demands?(hints: Hints): Demand[];
}

export interface IndustrySpec {
  name: string;
  description: string;
  source: 'builtin' | 'custom';
  types: TypeSpec[];
}
