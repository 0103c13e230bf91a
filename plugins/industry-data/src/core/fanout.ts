// Distributes a child type's ids over its parents: child ids are contiguous per parent
// (customer 1 owns accounts 1–3, customer 2 accounts 4–4, …), so "the accounts of customer
// 42" is a range and "the customer of account 7" a binary search — both directions from one
// table, no scan, and every relation stays valid whatever the request order. The table holds
// one integer per parent (4 bytes: 40 KB for 10,000 customers) and is built once per type.
import { createRandom } from '@understudy/plugin-sdk';

export class Fanout {
  /** offsets[p] = number of children of parents 1..p; children of p are offsets[p-1]+1 .. offsets[p]. */
  private readonly offsets: Int32Array;

  constructor(
    readonly parents: number,
    readonly children: number,
    seed: string,
    minOne: boolean,
  ) {
    this.offsets = new Int32Array(parents + 1);
    if (parents === 0) return;
    const random = createRandom(seed, 'fanout');
    const base = minOne && children >= parents ? 1 : 0;
    const rest = children - base * parents;
    // weights 0.2–1.8 give a realistic spread (some customers have one account, some five)
    const weights = new Float64Array(parents);
    let total = 0;
    for (let i = 0; i < parents; i++) {
      const w = 0.2 + 1.6 * random.next();
      weights[i] = w;
      total += w;
    }
    let cumulative = 0;
    for (let i = 0; i < parents; i++) {
      cumulative += weights[i];
      this.offsets[i + 1] = base * (i + 1) + (i === parents - 1 ? rest : Math.floor((rest * cumulative) / total));
    }
  }

  /** Ids of the children of a parent (1-based), ascending. */
  childrenOf(parent: number): { first: number; count: number } {
    if (parent < 1 || parent > this.parents) return { first: 0, count: 0 };
    const first = this.offsets[parent - 1] + 1;
    return { first, count: this.offsets[parent] - this.offsets[parent - 1] };
  }

  /** The parent of a child id (1-based), 0 when out of range. */
  parentOf(child: number): number {
    if (child < 1 || child > this.children || this.parents === 0) return 0;
    let lo = 1;
    let hi = this.parents;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.offsets[mid] >= child) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
