// Detecting a resource lifecycle in traffic: a POST to a collection that answers 2xx with
// an id (a `Location` header under the collection's path, or an id field of the JSON
// body: `id`, `<singular>Id`, `uuid`, `_id`) marks the collection as creating resources;
// later GET/PUT/PATCH/DELETE of `{collection}/{id}` act on them. What is kept per
// collection template is how the real API names and numbers its ids, so a mock hands out
// ids the same way: the next integer above every id seen (never one the real API already
// used), or a UUID, or a string of the same shape.
import type { Observation } from '../model/types.js';

export type IdKind = 'integer' | 'uuid' | 'string';

export interface Lifecycle {
  /** Template of the collection (`/users`, `/users/{userId}/orders`). */
  collection: string;
  /** Field of the created body that holds the id (absent when only `Location` carries it). */
  idField?: string;
  idKind: IdKind;
  /** Integer ids: the next id to hand out, above every id the traffic showed. */
  nextSeq: number;
  /** The real API answers creations with a `Location` header. */
  location: boolean;
  /** Status of a creation (201 mostly, some APIs answer 200). */
  createdStatus: number;
  /** Creations seen. */
  creations: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function idKindOf(value: string): IdKind {
  if (/^\d{1,15}$/.test(value)) return 'integer';
  if (UUID.test(value)) return 'uuid';
  return 'string';
}

/** `users` → `user`, `categories` → `category`, `addresses` → `address`, `data` → `data`. */
export function singular(word: string): string {
  if (/ies$/i.test(word)) return word.slice(0, -3) + 'y';
  if (/(ss|sh|ch|x|z|us)es$/i.test(word)) return word.slice(0, -2);
  if (/(us|is)$/i.test(word)) return word; // status, analysis
  if (/[^s]s$/i.test(word)) return word.slice(0, -1);
  return word;
}

/** Last literal segment of a path or template (`/users/{userId}/orders` → `orders`). */
export function lastLiteral(path: string): string | undefined {
  return path
    .split('/')
    .filter((s) => s && !s.startsWith('{'))
    .pop();
}

/** Id fields, by preference, for a collection's created body. */
export function idFieldCandidates(collection: string): string[] {
  const noun = lastLiteral(collection);
  const named = noun ? [`${singular(noun)}Id`, `${singular(noun)}_id`] : [];
  return ['id', ...named, 'uuid', '_id'];
}

const header = (headers: Observation['responseHeaders'], name: string): string | undefined => {
  const v = headers?.[name];
  return Array.isArray(v) ? v[0] : v === undefined ? undefined : String(v);
};

/** The id a creation answered with, and where it was found. */
export function createdId(o: Observation, collection: string, body: unknown): { id: string; field?: string; location: boolean } | undefined {
  const location = header(o.responseHeaders, 'location');
  let fromLocation: string | undefined;
  if (location) {
    let path = location;
    try {
      path = new URL(location, 'http://x').pathname;
    } catch {
      // keep the raw value
    }
    const base = o.path.replace(/\/+$/, '');
    if (path.startsWith(`${base}/`)) {
      const rest = path.slice(base.length + 1).replace(/\/+$/, '');
      if (rest && !rest.includes('/')) fromLocation = decodeURIComponent(rest);
    }
  }
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const record = body as Record<string, unknown>;
    for (const field of idFieldCandidates(collection)) {
      const v = record[field];
      if ((typeof v === 'number' && Number.isInteger(v)) || (typeof v === 'string' && v.length > 0 && v.length <= 200)) {
        if (fromLocation === undefined || String(v) === fromLocation) return { id: String(v), field, location: fromLocation !== undefined };
      }
    }
  }
  return fromLocation === undefined ? undefined : { id: fromLocation, location: true };
}

/**
 * Update (or start) a collection's lifecycle with a creation seen on the wire; returns the
 * new lifecycle, or undefined when the observation is no creation.
 */
export function learnCreation(current: Lifecycle | undefined, o: Observation, collection: string, body: unknown): Lifecycle | undefined {
  if (o.method !== 'POST' || o.status < 200 || o.status >= 300 || o.failure) return undefined;
  const found = createdId(o, collection, body);
  if (!found) return undefined;
  const kind = idKindOf(found.id);
  const next: Lifecycle = current
    ? { ...current }
    : { collection, idKind: kind, nextSeq: 1, location: false, createdStatus: o.status, creations: 0 };
  next.creations++;
  next.createdStatus = o.status;
  next.location = next.location || found.location;
  if (found.field) next.idField = found.field;
  // ids of two shapes (integers and uuids) make them strings: never hand out a clashing shape
  if (next.idKind !== kind) next.idKind = 'string';
  if (kind === 'integer') next.nextSeq = Math.max(next.nextSeq, Number(found.id) + 1);
  return next;
}

/** An item id seen on the wire (`GET /users/57`) keeps integer sequences above it. */
export function learnItemId(current: Lifecycle, id: string): Lifecycle | undefined {
  if (current.idKind !== 'integer' || idKindOf(id) !== 'integer' || Number(id) < current.nextSeq) return undefined;
  return { ...current, nextSeq: Number(id) + 1 };
}
