// The personas plugin's contract: the `sessions` service (demo sessions, each a layer of
// patched, created and deleted entities over the generated data set, persisted in SQLite),
// the hero personas it shows, the events it emits, and their declaration in the kernel's
// Services and EventMap. Other plugins (scenarios) import these types only.

import type { Entity } from '@understudy/plugin-industry-data';

/** Entities are industry-data's (`id`, `type`, fields; money in minor units, ISO 8601 dates). */
export type { Entity };

/** Where an entity lives: `finance` / `accounts` / `7` (the canonical id). */
export interface EntityRef {
  industry: string;
  plural: string;
  id: string;
}

/** A demo session as listed (times are kernel clock ms). */
export interface SessionInfo {
  name: string;
  createdAt: number;
  updatedAt: number;
  /** Generated entities with changes in this session. */
  patched: number;
  /** Entities created in this session. */
  created: number;
  /** Generated entities deleted in this session. */
  deleted: number;
  /** Estimated bytes of the session's stored records (JSON length). */
  bytes: number;
}

/** How a session differs from the generated data for one entity. */
export type EntityChangeKind = 'patched' | 'created' | 'deleted';

/** One entity a session holds a version of. `record` is absent for a deletion. */
export interface SessionEntity extends EntityRef {
  kind: EntityChangeKind;
  /** The whole entity as the session sees it (generated + every patch, or as created). */
  record?: Entity;
  /** Kernel clock ms of the last change. */
  updatedAt: number;
}

/**
 * Everything a session holds, in a JSON-safe form: what `snapshot` returns and `restore`
 * takes (scenarios rewind with it). Entities in the order they were first changed (created
 * entities are listed in that order).
 */
export interface SessionState {
  entities: SessionEntity[];
}

export interface Sessions {
  /** Every session, `default` included once it exists, sorted by name. */
  list(): SessionInfo[];
  /** One session, or undefined. */
  info(name: string): SessionInfo | undefined;
  /** Create an empty session (409 US_PERSONAS_SESSION_EXISTS; 400 for a bad name). */
  create(name: string): SessionInfo;
  /** Delete a session and its state (404 US_PERSONAS_SESSION_NOT_FOUND). */
  delete(name: string): void;
  /** The entity as the session sees it (generated + patches), or undefined (unknown or deleted). */
  get(session: string, industry: string, plural: string, id: string): Entity | undefined;
  /**
   * Merge `changes` into the entity (JSON merge patch: objects merge, `null` removes a
   * field; `id` and `type` cannot change). Atomic and persisted before it is applied; the
   * session is created when it does not exist yet. Emits `session.entityChanged`.
   */
  patch(session: string, industry: string, plural: string, id: string, changes: Record<string, unknown>, cause?: string): Entity;
  /** Add an entity to a session (an id is assigned when the record has none). */
  createEntity(session: string, industry: string, plural: string, record: Record<string, unknown>, cause?: string): Entity;
  /** Remove an entity from a session's view (a generated one is hidden, a created one dropped). */
  deleteEntity(session: string, industry: string, plural: string, id: string, cause?: string): void;
  /** Drop every change of the session (the session itself stays). */
  reset(session: string): void;
  /** The session's state (empty for a session that does not exist). */
  snapshot(session: string): SessionState;
  /** Replace the session's state with `state`, atomically (the session is created when needed). */
  restore(session: string, state: SessionState): void;
}

/** A hero persona from config, as listed by `GET /<industry>/personas`. */
export interface Persona {
  key: string;
  industry: string;
  /** Plural of the entity type (`customers`). */
  type: string;
  /** The entity's id as the generator names it. */
  id: string;
  name?: string;
  hints: Record<string, unknown>;
  story?: string;
  /** Path of the persona's entity on the REST API. */
  href: string;
}

export interface SessionEntityChangedEvent extends EntityRef {
  session: string;
  kind: EntityChangeKind;
  /** The merge patch applied (the whole record for a creation, null for a deletion). */
  changes: Record<string, unknown> | null;
  cause?: string;
}

declare module '@understudy/kernel' {
  interface Services {
    sessions: Sessions;
  }
  interface EventMap {
    'session.created': { session: string };
    'session.deleted': { session: string };
    'session.reset': { session: string; cause?: string };
    'session.restored': { session: string; entities: number };
    'session.entityChanged': SessionEntityChangedEvent;
  }
}
