// Chaos on chosen endpoints: faults of the chaos plugin (its engine, its validation) scoped
// to endpoint templates (`scope.endpoints: ['GET /users/{userId}']`), added through the
// proxy's admin API and persisted through `learner.settings` under `proxy.chaos`, so they
// are back after a restart. An add or a removal is written before it is answered; if the
// write fails the fault is taken back out (atomic).
import type { ActiveFault, Chaos, FaultSpec } from '@understudy/plugin-chaos';
import type { LearnerSettings } from '@understudy/plugin-learner';
import { parseKey } from './endpoint-key.js';
import { ProxyErrors } from './errors.js';

export const CHAOS_SETTING = 'proxy.chaos';
/** The `source` of the faults this plugin adds (shown by chaos's own admin too). */
export const CHAOS_SOURCE = 'proxy';

export interface ScopedFaultView {
  id: string;
  kind: string;
  endpoints: string[];
  /** False when the fault was removed behind the proxy's back (chaos's own admin). */
  active: boolean;
  injected: number;
  spec: FaultSpec;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export class ScopedChaos {
  /** Fault id → spec, in the order added. */
  private specs = new Map<string, FaultSpec>();

  constructor(
    private readonly chaos: () => Chaos | undefined,
    private readonly settings: () => LearnerSettings,
  ) {}

  private need(): Chaos {
    const chaos = this.chaos();
    if (!chaos) throw new ProxyErrors.CHAOS_NOT_LOADED();
    return chaos;
  }

  list(): ScopedFaultView[] {
    const chaos = this.chaos();
    return [...this.specs.values()].map((spec) => this.view(spec, chaos?.faults.get(spec.id)));
  }

  private view(spec: FaultSpec, active: ActiveFault | undefined): ScopedFaultView {
    return { id: spec.id, kind: spec.kind, endpoints: spec.scope?.endpoints ?? [], active: active !== undefined, injected: active?.injected ?? 0, spec };
  }

  /** A fault body with `endpoints` at the top (or in `scope`): checked, added to chaos, persisted. */
  async add(body: unknown): Promise<ScopedFaultView> {
    const chaos = this.need();
    if (!isObj(body)) throw new ProxyErrors.INVALID('scoped fault', ['(root): must be a chaos fault with "endpoints", e.g. { "kind": "latency", "ms": 800, "endpoints": ["GET /users/{userId}"] }']);
    const { endpoints: top, ...rest } = body;
    const scope = isObj(rest.scope) ? rest.scope : rest.scope === undefined ? {} : undefined;
    const endpoints = top ?? scope?.endpoints;
    const problems: string[] = [];
    if (scope === undefined) problems.push('scope: must be object');
    if (!Array.isArray(endpoints) || endpoints.length === 0) problems.push('endpoints: must be a non-empty array of endpoint keys ("GET /users/{userId}")');
    else
      endpoints.forEach((e, i) => {
        const parsed = typeof e === 'string' ? parseKey(e) : 'must be a string';
        if (typeof parsed === 'string') problems.push(`endpoints[${i}]: ${parsed}`);
      });
    if (problems.length) throw new ProxyErrors.INVALID('scoped fault', problems);
    // chaos validates the rest and answers its own coded 400/409
    const fault = chaos.addFault({ ...rest, scope: { ...scope, endpoints } }, CHAOS_SOURCE);
    this.specs.set(fault.spec.id, fault.spec);
    try {
      await this.persist();
    } catch (err) {
      this.specs.delete(fault.spec.id);
      chaos.faults.remove(fault.spec.id);
      throw err;
    }
    return this.view(fault.spec, fault);
  }

  async remove(id: string): Promise<void> {
    const spec = this.specs.get(id);
    if (!spec) throw new ProxyErrors.FAULT_NOT_FOUND(id);
    this.specs.delete(id);
    try {
      await this.persist();
    } catch (err) {
      this.specs.set(id, spec);
      throw err;
    }
    this.chaos()?.faults.remove(id);
  }

  async clear(): Promise<number> {
    const before = this.specs;
    this.specs = new Map();
    try {
      await this.persist();
    } catch (err) {
      this.specs = before;
      throw err;
    }
    for (const id of before.keys()) this.chaos()?.faults.remove(id);
    return before.size;
  }

  /** At start: re-add what was persisted. A fault chaos now refuses is left out (and said so in the log). */
  async load(warn: (msg: string) => void): Promise<void> {
    const chaos = this.chaos();
    const saved = await this.settings().get<FaultSpec[]>(CHAOS_SETTING);
    if (!chaos || !Array.isArray(saved)) return;
    for (const spec of saved) {
      try {
        const fault = chaos.addFault(spec, CHAOS_SOURCE);
        this.specs.set(fault.spec.id, fault.spec);
      } catch (err) {
        warn(`scoped chaos fault ${JSON.stringify(spec)} not restored: ${(err as Error).message}`);
      }
    }
  }

  private persist(): Promise<void> {
    return this.settings().set(CHAOS_SETTING, [...this.specs.values()]);
  }
}
