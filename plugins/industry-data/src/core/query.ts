// Filtering and sorting of lists on dotted paths: `status=active`, `address.city=Springfield`,
// `balance=1250` (money compares its amount), `tags=vip` (an array matches any element);
// sort keys `-createdAt`, `name` (numbers numerically, strings by code point so the order is
// the same on every machine, missing values last), with the id as the final tie-break.
import type { Entity } from '../contract.js';
import { isMoney } from '../safety/money.js';

export function getPath(value: unknown, path: string): unknown {
  let v = value;
  for (const part of path.split('.')) {
    if (v === null || v === undefined) return undefined;
    if (Array.isArray(v) && !/^\d+$/.test(part)) v = v.map((e) => (e as Record<string, unknown>)?.[part]);
    else v = (v as Record<string, unknown>)[part];
  }
  return isMoney(v) ? v.amount : v;
}

function matchesValue(v: unknown, wanted: string): boolean {
  if (Array.isArray(v)) return v.some((e) => matchesValue(isMoney(e) ? e.amount : e, wanted));
  if (v === null || v === undefined) return wanted === '' || wanted === 'null';
  if (typeof v === 'object') return false;
  return String(v) === wanted;
}

export function matches(e: Entity, filter: Record<string, string>): boolean {
  for (const [path, wanted] of Object.entries(filter)) if (!matchesValue(getPath(e, path), wanted)) return false;
  return true;
}

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return 1;
  if (b === undefined || b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  const na = Number(sa);
  const nb = Number(sb);
  if (sa !== '' && sb !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

export function comparator(sort: readonly string[]): (a: Entity, b: Entity) => number {
  const keys = sort.map((s) => (s.startsWith('-') ? { path: s.slice(1), dir: -1 } : { path: s.replace(/^\+/, ''), dir: 1 }));
  return (a, b) => {
    for (const k of keys) {
      const va = getPath(a, k.path);
      const vb = getPath(b, k.path);
      // missing values stay last in both directions
      if ((va === undefined || va === null) !== (vb === undefined || vb === null)) return va === undefined || va === null ? 1 : -1;
      const c = compareValues(va, vb);
      if (c !== 0) return c * k.dir;
    }
    return Number(a.id) - Number(b.id);
  };
}
