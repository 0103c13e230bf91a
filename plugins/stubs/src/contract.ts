// The stubs plugin's contract: the `stubs` service (the mapping store other plugins and
// tests add WireMock mappings to), the types it answers with, every event the plugin
// emits with its payload, and their declaration in the kernel's Services and EventMap.
// Other plugins import these types only.
import type { ExchangeRequest } from '@understudy/plugin-sdk';
import type { ServeEvent, LoggedRequest } from './journal.js';
import type { StubMapping, RequestPattern, ResponseDefinition, DelayDistribution } from './mapping/types.js';
import type { Mismatch } from './matcher/request.js';
import type { ScenarioView } from './scenario-states.js';

export type { ServeEvent, LoggedRequest, StubMapping, RequestPattern, ResponseDefinition, DelayDistribution, Mismatch, ScenarioView };

/** A mapping that almost matched a request nothing matched, with what differed. */
export interface NearMiss {
  id: string;
  name?: string;
  /** 0 would have matched … 1 nothing alike. */
  distance: number;
  mismatches: Mismatch[];
}

/**
 * What `ctx.resolve('stubs')` gives: the mappings in match order and the scenarios.
 * Invalid mappings throw US_STUBS_INVALID_MAPPING with the field path; unknown ids
 * US_STUBS_MAPPING_NOT_FOUND; more than plugins.stubs.maxMappings US_STUBS_LIMIT_REACHED
 * (409, nothing changed).
 */
export interface StubStore {
  /** Check a mapping and add it; an existing id is replaced. `source` goes into stubs.mappingAdded. */
  add(raw: unknown, source?: string): StubMapping;
  /** Add several mappings, all or none (one invalid, or too many, and none is added). */
  addAll(raws: unknown, source?: string): StubMapping[];
  get(id: string): StubMapping | undefined;
  /** Like get(), but a missing id is a US_STUBS_MAPPING_NOT_FOUND (404). */
  require(id: string): StubMapping;
  /** Replace a mapping in place (it keeps its position among equal priorities). */
  update(id: string, raw: unknown): StubMapping;
  remove(id: string): StubMapping;
  /** Mappings in match order: priority, then newest first. */
  list(): StubMapping[];
  /** Remove every mapping. */
  clear(): void;
  /** Back to the mappings from files and config, re-reading the files (unchanged if they are invalid or too many). */
  reset(): void;
  /** The mapping that answers this request, moving its scenario on; undefined when none matches. */
  match(req: ExchangeRequest): StubMapping | undefined;
  /** The closest mappings to a request nothing matched. */
  nearMisses(req: ExchangeRequest, limit?: number): NearMiss[];
  listScenarios(): ScenarioView[];
  /** Set one scenario's state (US_STUBS_SCENARIO_NOT_FOUND when no mapping names it). */
  setScenarioState(name: string, state: string): void;
  /** Every scenario back to `Started`. */
  resetScenarios(): void;
}

export interface StubsUnmatchedEvent {
  /** Id of the exchange nothing matched. */
  exchange: string;
  method: string;
  url: string;
  /** Ids of the closest mappings, closest first. */
  nearMisses: string[];
}

export interface StubsMappingAddedEvent {
  id: string;
  name?: string;
  /** `defaults` (files and config at startup), `api`, or what the caller passed to add(). */
  source: string;
}

export interface StubsMappingChangedEvent {
  id: string;
  name?: string;
}

/** `reset` (back to files and config) and `cleared` carry the mappings left; `scenarios` none. */
export type StubsResetEvent = { scope: 'reset' | 'cleared'; mappings: number } | { scope: 'scenarios' };

export interface StubsScenarioChangedEvent {
  scenario: string;
  from: string;
  to: string;
}

declare module '@understudy/kernel' {
  interface Services {
    stubs: StubStore;
  }
  interface EventMap {
    'stubs.unmatched': StubsUnmatchedEvent;
    'stubs.mappingAdded': StubsMappingAddedEvent;
    'stubs.mappingUpdated': StubsMappingChangedEvent;
    'stubs.mappingRemoved': StubsMappingChangedEvent;
    'stubs.reset': StubsResetEvent;
    'stubs.scenarioChanged': StubsScenarioChangedEvent;
  }
}
