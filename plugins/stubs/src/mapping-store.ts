// The mapping store behind the `stubs` service: mappings in match order (priority, then
// newest first), the scenario states they move, near misses, and reset to the mappings
// from files and config. Every change is an event (see contract.ts). The store holds at
// most `maxMappings`: an add, import or reset past it is refused whole, before anything
// changes (409 US_STUBS_LIMIT_REACHED).
import type { ExchangeRequest, PluginEvents } from '@understudy/plugin-sdk';
import type { NearMiss, StubStore } from './contract.js';
import { StubsErrors } from './errors.js';
import type { StubMapping } from './mapping/types.js';
import { compileMapping, type CompiledMapping, type CompileOptions } from './mapping/validate.js';
import { ScenarioStates, type ScenarioView } from './scenario-states.js';

/** WireMock's default priority: lower numbers win. */
export const DEFAULT_PRIORITY = 5;
const NEAR_MISSES = 3;

export interface StoredStub extends CompiledMapping {
  /** Insertion order: on equal priority the most recently added mapping wins. */
  seq: number;
}

export interface StoreDeps extends CompileOptions {
  events: Pick<PluginEvents, 'emit'>;
  /** Most mappings held at once (plugins.stubs.maxMappings). */
  maxMappings: number;
  /** The mappings `POST /__admin/mappings/reset` goes back to (files and config, read afresh). */
  loadDefaults(): CompiledMapping[];
}

/**
 * The mappings, in match order. Also the `stubs` service: other plugins and tests add
 * WireMock mappings with `resolve('stubs').add({...})`.
 */
export class MappingStore implements StubStore {
  private readonly scenarios: ScenarioStates;
  private readonly stubs = new Map<string, StoredStub>();
  private ordered: StoredStub[] | undefined;
  private seq = 0;

  constructor(private readonly deps: StoreDeps) {
    this.scenarios = new ScenarioStates((scenario, from, to) => deps.events.emit('stubs.scenarioChanged', { scenario, from, to }));
  }

  /** Check a mapping (throws US_STUBS_INVALID_MAPPING with the field path) and add it; an existing id is replaced. */
  add(raw: unknown, source = 'api'): StubMapping {
    const compiled = this.compile(raw);
    this.checkRoom([compiled]);
    return this.insert(compiled, source);
  }

  /** Add several mappings, all or none (an invalid one or too many refuse the whole list). */
  addAll(raws: unknown, source = 'api'): StubMapping[] {
    if (!Array.isArray(raws)) throw new StubsErrors.INVALID_MAPPING('mappings', 'must be an array of mappings');
    const compiled = raws.map((raw, i) => compileMapping(raw, `mappings[${i}]`, this.deps));
    this.checkRoom(compiled);
    return compiled.map((c) => this.insert(c, source));
  }

  get(id: string): StubMapping | undefined {
    return this.stubs.get(id)?.mapping;
  }

  /** Like get(), but a missing id is a US_STUBS_MAPPING_NOT_FOUND (404). */
  require(id: string): StubMapping {
    return this.stored(id).mapping;
  }

  /** Replace a mapping in place (it keeps its position among equal priorities). */
  update(id: string, raw: unknown): StubMapping {
    const existing = this.stored(id);
    const compiled = this.compile({ ...(raw as object), id, uuid: undefined });
    this.stubs.set(id, { ...compiled, seq: existing.seq });
    this.ordered = undefined;
    this.deps.events.emit('stubs.mappingUpdated', { id, name: compiled.mapping.name });
    return compiled.mapping;
  }

  remove(id: string): StubMapping {
    const { mapping } = this.stored(id);
    this.stubs.delete(id);
    this.ordered = undefined;
    this.deps.events.emit('stubs.mappingRemoved', { id, name: mapping.name });
    return mapping;
  }

  /** Mappings in match order: priority, then newest first. */
  list(): StubMapping[] {
    return this.sorted().map((s) => s.mapping);
  }

  /** Remove every mapping (`DELETE /__admin/mappings`). */
  clear(): void {
    this.replaceAll([], 'cleared');
  }

  /** Load the defaults at startup; each emits stubs.mappingAdded. */
  load(): void {
    const defaults = this.deps.loadDefaults();
    this.checkRoom(defaults);
    for (const compiled of defaults) this.insert(compiled, 'defaults');
  }

  /** Back to the mappings from files and config, re-reading the files; nothing changes if they are invalid or too many. */
  reset(): void {
    const defaults = this.deps.loadDefaults();
    this.checkTotal(defaults.length);
    this.replaceAll(defaults, 'reset');
  }

  /** Every scenario back to `Started`. */
  resetScenarios(): void {
    this.scenarios.reset();
    this.deps.events.emit('stubs.reset', { scope: 'scenarios' });
  }

  listScenarios(): ScenarioView[] {
    return this.scenarios.list(this.list());
  }

  setScenarioState(name: string, state: string): void {
    if (!this.listScenarios().some((s) => s.name === name)) throw new StubsErrors.SCENARIO_NOT_FOUND(name);
    this.scenarios.set(name, state);
  }

  /** The mapping that answers this request, moving its scenario on; undefined when none matches. */
  match(req: ExchangeRequest): StubMapping | undefined {
    return this.find(req)?.mapping;
  }

  /** Like match(), with what the store knows of the mapping (its size, for the journal). */
  find(req: ExchangeRequest): StoredStub | undefined {
    const hit = this.sorted().find((s) => this.scenarios.allows(s.mapping) && s.matcher.test(req));
    if (hit) this.scenarios.advance(hit.mapping);
    return hit;
  }

  /** The closest mappings to a request nothing matched, with what differed. */
  nearMisses(req: ExchangeRequest, limit = NEAR_MISSES): NearMiss[] {
    return this.sorted()
      .map(({ mapping, matcher }) => {
        const { distance, mismatches } = matcher.evaluate(req);
        let total = distance * matcher.weight;
        let weight = matcher.weight;
        if (!this.scenarios.allows(mapping)) {
          mismatches.push({ field: 'scenarioState', expected: mapping.requiredScenarioState!, actual: this.scenarios.stateOf(mapping.scenarioName!) });
          total += 1;
          weight += 1;
        }
        const score = weight ? Math.round((total / weight) * 1000) / 1000 : 0;
        return { id: mapping.id, name: mapping.name, distance: score, mismatches };
      })
      .sort((a, b) => a.distance - b.distance)
      .slice(0, limit);
  }

  private compile(raw: unknown): CompiledMapping {
    return compileMapping(raw, '', this.deps);
  }

  /** Refuse (before any change) mappings that would take the store past maxMappings; replaced ids take no room. */
  private checkRoom(compiled: CompiledMapping[]): void {
    const added = new Set<string>();
    for (const { mapping } of compiled) if (!this.stubs.has(mapping.id)) added.add(mapping.id);
    this.checkTotal(this.stubs.size + added.size);
  }

  private checkTotal(wanted: number): void {
    const max = this.deps.maxMappings;
    if (wanted > max) throw new StubsErrors.LIMIT_REACHED(wanted, max, this.stubs.size);
  }

  private insert(compiled: CompiledMapping, source: string): StubMapping {
    const { mapping } = compiled;
    this.stubs.set(mapping.id, { ...compiled, seq: ++this.seq });
    this.ordered = undefined;
    this.deps.events.emit('stubs.mappingAdded', { id: mapping.id, name: mapping.name, source });
    return mapping;
  }

  private replaceAll(compiled: CompiledMapping[], scope: 'reset' | 'cleared'): void {
    this.stubs.clear();
    for (const c of compiled) this.stubs.set(c.mapping.id, { ...c, seq: ++this.seq });
    this.ordered = undefined;
    this.deps.events.emit('stubs.reset', { scope, mappings: this.stubs.size });
  }

  private stored(id: string): StoredStub {
    const stub = this.stubs.get(id);
    if (!stub) throw new StubsErrors.MAPPING_NOT_FOUND(id);
    return stub;
  }

  private sorted(): StoredStub[] {
    this.ordered ??= [...this.stubs.values()].sort(
      (a, b) => (a.mapping.priority ?? DEFAULT_PRIORITY) - (b.mapping.priority ?? DEFAULT_PRIORITY) || b.seq - a.seq,
    );
    return this.ordered;
  }
}
