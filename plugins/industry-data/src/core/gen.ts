// What a generator sees while it builds one entity: its id, its own seeded stream (and faker
// drawing from it), its hints, and read access to the rest of the data set (its parent, its
// children, any other entity). Everything is a function of (seed, industry, type, id, hints).
import type { Faker } from '@faker-js/faker';
import type { Random } from '@understudy/plugin-sdk';
import type { Entity, Hints, Money } from '../contract.js';
import type { TypeSpec } from './spec.js';

export interface Gen {
  readonly industry: string;
  readonly spec: TypeSpec;
  /** Numeric id (1..count); `key` is its canonical string. */
  readonly id: number;
  readonly key: string;
  readonly rng: Random;
  readonly faker: Faker;
  readonly hints: Hints;
  /** The data set's epoch, ms since 1970. */
  readonly epoch: number;
  /** The data set's currency for this industry (ISO 4217). */
  readonly currency: string;
  /** The parent's id (0 when the type has none). */
  parentId(): number;
  /** The generated parent (with its registered hints). */
  parent(): Entity;
  /** Position among the parent's children: index 0-based, and their ids in order. */
  siblings(): { index: number; ids: number[] };
  /** Ids of this entity's children of a type. */
  children(plural: string): number[];
  /** Ids of another entity's children of a type. */
  childrenOf(parentPlural: string, parentId: number, childPlural: string): number[];
  get(plural: string, id: number): Entity;
  count(plural: string): number;
  /** A valid id of another type, drawn from this entity's stream. */
  pick(plural: string): number;
  /** A named stream of any entity, independent of its main one: cheap shared facts (a transaction's amount, read by its account). */
  streamOf(plural: string, id: number, name: string): Random;
  /** Hints registered for another entity. */
  hintsOf(plural: string, id: number): Hints;
  money(amount: number, currency?: string): Money;
  /**
   * A value shared by many entities and derived only from the data set (a ticker's price series,
   * an account's ledger), computed once and kept in a small bounded memo of the industry.
   */
  memo<T>(key: string, compute: () => T): T;
}
