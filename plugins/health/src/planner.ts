// The recovery planner (the default policy), pure: it sees the world through `PlannerWorld`
// and answers with decisions and actions; index.ts carries them out on the cluster and
// records them in incidents. A critical module: 100% lines and branches.
//
// Rules (policy 'planner'):
// (a) admission in dependency order: an instance may start only when each of its service's
//     critical dependencies (sync calls with onFailure 'propagate') that the cluster runs
//     and wants (desired > 0) has a Ready instance; else it is held Pending through the
//     cluster's `admit` hook. Dependencies in a cycle with the service do not gate it (a
//     cycle would otherwise wait forever).
// (b) restarts: an exit while a gating dependency has no Ready instance is parked (the
//     instance stays down, its crash-loop backoff forgotten: the failure was not its own)
//     and restarted at once when the dependency is Ready. Any other exit follows
//     Kubernetes' restartPolicy and backoff (restart-policy.ts).
// (c) nodes: instances left on a failed node are evicted (their controller replaces them
//     elsewhere, admitted by rule a); a node under memory pressure is drained once.
// (d) degraded services: an overloaded service sheds the share of its demand above
//     shedUtilisation (at most maxShed: what is left is served without queueing for the
//     timeout) and asks for the replicas that would carry it all at targetUtilisation
//     (`requestReplicas`; autoscaling answers it); shedding follows demand down and ends
//     below 1%. A caller whose critical dependency is unhealthy gets its breakers to it
//     forced open, closed again once the dependency is not unhealthy — or, when they were
//     opened because the dependency (or one that gates it, down the chain) had no Ready
//     instance, as soon as it has one (its status lags behind by the SLOs' hysteresis;
//     they are not opened again until it has recovered).
// With policy 'backoff' only restartPolicy and the backoff apply: nothing is held, parked,
// evicted, drained, shed or opened; switching to it undoes what the planner holds.
import type { InstanceState, RestartDecision } from '@understudy/plugin-cluster';
import type { RecoveryPolicy, ServiceStatus } from './contract.js';
import { CrashLoopBackoff, decideRestart, delaySeconds, shouldRestart, type ProcessExit, type RestartPolicyName } from './restart-policy.js';

export interface PlannerWorld {
  /** Services a service calls synchronously with onFailure 'propagate'. */
  criticalDependencies(service: string): readonly string[];
  /** Does the cluster run this service? */
  manages(service: string): boolean;
  ready(service: string): number;
  desired(service: string): number;
  /** An instance's state now (undefined: gone). */
  instanceState(id: string): InstanceState | undefined;
}

export interface PlannerSettings {
  /** Utilisation requestReplicas sizes a service for (0..1). */
  targetUtilisation: number;
  /** Utilisation shedding brings an overloaded service back to (0..1): the excess is turned away at the door instead of queueing. */
  shedUtilisation: number;
  /** Utilisation at which a degraded service counts as overloaded. */
  overloadUtilisation: number;
  /** Largest share of demand ever shed (0..1). */
  maxShed: number;
  shed: boolean;
  breakers: boolean;
  requestReplicas: boolean;
  drainOnPressure: boolean;
}

export type PlannerActionKind = 'hold' | 'admit' | 'restart' | 'evict' | 'drain' | 'shed' | 'openBreaker' | 'closeBreaker' | 'requestReplicas';

export interface PlannerAction {
  action: PlannerActionKind;
  /** Instance, node or service. */
  target: string;
  /** The service it concerns. */
  service?: string;
  message: string;
  /** Already done by the hook's answer (hold, admit, an immediate restart): only record it. */
  done?: boolean;
  /** shed: the share of demand turned away. */
  fraction?: number;
  /** openBreaker / closeBreaker: the callee. */
  dependency?: string;
  /** requestReplicas: how many in all. */
  replicas?: number;
}

/** One service's situation, as status.ts assessed it this tick. */
export interface ServiceAssessment {
  service: string;
  status: ServiceStatus;
  demand: number;
  utilisation: number;
  /** Requests/s one Ready instance carries at utilisation 1 (0: unknown). */
  perInstanceRps: number;
  desired: number;
  /** Ready instances (what carries the load now). */
  ready: number;
  /** Critical dependencies that are unhealthy. */
  failingDependencies: readonly string[];
}

export interface ExitInput {
  id: string;
  service: string;
  restartPolicy: RestartPolicyName;
  exit: ProcessExit;
}

interface Parked {
  service: string;
  waitingFor: string[];
}

interface Remedies {
  shed: number;
  requested: number;
  /** Dependencies whose breakers are held open → opened while the dependency had no Ready instance. */
  breakers: Map<string, boolean>;
  /** Dependencies whose breakers were released when an instance was Ready, still unhealthy since: not opened again until they recover. */
  released: Set<string>;
}

const STOPPED: ReadonlySet<InstanceState> = new Set(['Failed', 'OOMKilled', 'CrashLoopBackOff']);

export class RecoveryPlanner {
  private policyName: RecoveryPolicy;
  /** Instances held Pending by admit: id → service. */
  private readonly held = new Map<string, string>();
  /** Instances stopped until their dependencies are Ready. */
  private readonly parked = new Map<string, Parked>();
  private readonly remedies = new Map<string, Remedies>();
  private readonly drained = new Set<string>();
  /** service → dependencies that gate it (cycles removed), until the topology changes. */
  private gates = new Map<string, readonly string[]>();

  constructor(
    private readonly world: PlannerWorld,
    readonly settings: Readonly<PlannerSettings>,
    policy: RecoveryPolicy,
    readonly backoff = new CrashLoopBackoff(),
  ) {
    this.policyName = policy;
  }

  get policy(): RecoveryPolicy {
    return this.policyName;
  }

  /** The mesh topology changed: dependencies are read again. */
  topologyChanged(): void {
    this.gates = new Map();
  }

  /** Critical dependencies of `service` that may gate it: not in a cycle with it. */
  gatingDependencies(service: string): readonly string[] {
    let deps = this.gates.get(service);
    if (!deps) {
      deps = this.world.criticalDependencies(service).filter((d) => d !== service && !this.reaches(d, service));
      this.gates.set(service, deps);
    }
    return deps;
  }

  /** Does `from` depend (transitively, critically) on `to`? */
  private reaches(from: string, to: string): boolean {
    const seen = new Set<string>([from]);
    const stack = [from];
    while (stack.length) {
      for (const next of this.world.criticalDependencies(stack.pop()!)) {
        if (next === to) return true;
        if (!seen.has(next)) {
          seen.add(next);
          stack.push(next);
        }
      }
    }
    return false;
  }

  /** Gating dependencies with no Ready instance (that the cluster runs and wants). */
  waitingFor(service: string): string[] {
    return this.gatingDependencies(service).filter((d) => this.world.manages(d) && this.world.desired(d) > 0 && this.world.ready(d) === 0);
  }

  /** The `admit` hook: a reason holds the instance Pending. */
  admit(id: string, service: string, record: (a: PlannerAction) => void): string | undefined {
    if (this.policyName !== 'planner') return undefined;
    const waiting = this.waitingFor(service);
    if (waiting.length) {
      const reason = `waiting for ${waiting.join(', ')} to be Ready`;
      if (!this.held.has(id)) {
        this.held.set(id, service);
        record({ action: 'hold', target: id, service, message: `${id} held Pending: ${reason}`, done: true });
      }
      return reason;
    }
    if (this.held.delete(id)) record({ action: 'admit', target: id, service, message: `${id} admitted: its dependencies are Ready`, done: true });
    return undefined;
  }

  /** The `instanceExited` hook. */
  exited(input: ExitInput, now: number, record: (a: PlannerAction) => void): RestartDecision {
    const { id, service, restartPolicy, exit } = input;
    if (this.policyName === 'planner' && shouldRestart(restartPolicy, exit.exitCode)) {
      const waiting = this.waitingFor(service);
      if (waiting.length) {
        this.backoff.reset(id);
        this.parked.set(id, { service, waitingFor: waiting });
        const reason = `waiting for ${waiting.join(', ')} to be Ready (recovery planner)`;
        record({ action: 'hold', target: id, service, message: `${id} exited (${exit.reason}) and waits for ${waiting.join(', ')} before it restarts`, done: true });
        return { action: 'stay', reason };
      }
    }
    const decision = decideRestart(this.backoff, id, restartPolicy, exit, now);
    if (decision.action === 'restart') {
      record({ action: 'restart', target: id, service, message: `${id} restarts ${decision.delayMs ? `in ${delaySeconds(decision.delayMs)} s (${decision.state})` : 'now'}: ${exit.reason}`, done: true });
    }
    return decision;
  }

  /** Parked instances whose dependencies are Ready now: restart them (every tick, and when an instance becomes Ready). */
  recheck(): PlannerAction[] {
    const actions: PlannerAction[] = [];
    for (const [id, p] of this.parked) {
      const state = this.world.instanceState(id);
      if (state === undefined || !STOPPED.has(state)) {
        this.parked.delete(id);
        continue;
      }
      if (this.waitingFor(p.service).length) continue;
      this.parked.delete(id);
      actions.push({ action: 'restart', target: id, service: p.service, message: `${id} restarts: ${p.waitingFor.join(', ')} Ready again` });
    }
    return actions;
  }

  /** An instance left (terminated, replaced): forget it. */
  forget(id: string): void {
    this.held.delete(id);
    this.parked.delete(id);
    this.backoff.reset(id);
  }

  /** A node failed: evict what is still placed on it, so its controller replaces it elsewhere. */
  nodeFailed(node: string, instances: readonly { id: string; service: string; state: InstanceState }[]): PlannerAction[] {
    if (this.policyName !== 'planner') return [];
    return instances
      .filter((i) => i.state !== 'Terminated' && i.state !== 'Terminating')
      .map((i) => ({ action: 'evict', target: i.id, service: i.service, message: `evict ${i.id} from failed node ${node}: its controller replaces it on another node` }));
  }

  /** A node is under memory pressure: drain it once (cordon, instances rescheduled). */
  nodePressure(node: string): PlannerAction[] {
    if (this.policyName !== 'planner' || !this.settings.drainOnPressure || this.drained.has(node)) return [];
    this.drained.add(node);
    return [{ action: 'drain', target: node, message: `drain node ${node}: under memory pressure, its instances move to other nodes` }];
  }

  /** The node recovered: it may be drained again later. */
  nodeRecovered(node: string): void {
    this.drained.delete(node);
  }

  private remedy(service: string): Remedies {
    let r = this.remedies.get(service);
    if (!r) this.remedies.set(service, (r = { shed: 0, requested: 0, breakers: new Map(), released: new Set() }));
    return r;
  }

  /** Remediation of one service for this tick. */
  remediate(a: ServiceAssessment): PlannerAction[] {
    if (this.policyName !== 'planner') return [];
    const actions: PlannerAction[] = [];
    const r = this.remedy(a.service);
    const s = this.settings;
    const troubled = a.status !== 'healthy';
    const overloaded = troubled && a.utilisation >= s.overloadUtilisation;
    const capacity = a.perInstanceRps * a.ready * s.shedUtilisation;
    if (s.shed && (overloaded || r.shed > 0)) {
      const want = a.demand > 0 ? Math.min(s.maxShed, Math.max(0, 1 - capacity / a.demand)) : 0;
      const fraction = want < 0.01 ? 0 : Math.round(want * 100) / 100;
      if (fraction !== r.shed) {
        r.shed = fraction;
        actions.push({
          action: 'shed',
          target: a.service,
          service: a.service,
          fraction,
          message: fraction ? `shed ${Math.round(fraction * 100)}% of ${a.service}'s demand (${a.demand.toFixed(1)} req/s, utilisation ${a.utilisation.toFixed(2)})` : `stop shedding ${a.service}'s demand`,
        });
      }
    }
    if (s.requestReplicas && overloaded && a.perInstanceRps > 0) {
      const replicas = Math.ceil(a.demand / (a.perInstanceRps * s.targetUtilisation));
      if (replicas > a.desired && replicas !== r.requested) {
        r.requested = replicas;
        actions.push({ action: 'requestReplicas', target: a.service, service: a.service, replicas, message: `${a.service} needs ${replicas} replicas for ${a.demand.toFixed(1)} req/s (has ${a.desired})` });
      }
    }
    if (!overloaded) r.requested = 0;
    if (s.breakers) {
      const failing = troubled ? a.failingDependencies : [];
      for (const dep of r.released) if (!failing.includes(dep)) r.released.delete(dep);
      for (const dep of failing) {
        if (r.breakers.has(dep) || r.released.has(dep)) continue;
        r.breakers.set(dep, this.down(dep));
        actions.push({ action: 'openBreaker', target: a.service, service: a.service, dependency: dep, message: `open the breakers on ${a.service} → ${dep}: ${dep} is unhealthy` });
      }
      for (const [dep, wasDown] of r.breakers) {
        // opened because nothing of it (or of what it needs) was Ready: released as soon as
        // it is, not after its SLOs' hysteresis (the traffic is what brings its error rate down)
        const back = wasDown && !this.down(dep);
        const still = failing.includes(dep);
        if (still && !back) continue;
        r.breakers.delete(dep);
        if (still) r.released.add(dep);
        const why = back ? `${dep} and its critical dependencies have Ready instances again` : `${dep} recovered`;
        actions.push({ action: 'closeBreaker', target: a.service, service: a.service, dependency: dep, message: `close the breakers on ${a.service} → ${dep}: ${why}` });
      }
    }
    return actions;
  }

  /** Nothing of it can answer: the cluster runs it with no Ready instance, or so it is with a dependency that gates it (down the chain). */
  private down(service: string): boolean {
    if (this.world.manages(service) && this.world.ready(service) === 0) return true;
    // the gating graph has no cycles (gatingDependencies leaves them out)
    return this.gatingDependencies(service).some((d) => this.down(d));
  }

  /** Services with remedies in force (shedding, or breakers held open). */
  active(): { service: string; shed: number; breakers: string[] }[] {
    return [...this.remedies]
      .filter(([, r]) => r.shed > 0 || r.breakers.size > 0)
      .map(([service, r]) => ({ service, shed: r.shed, breakers: [...r.breakers.keys()] }));
  }

  /** Switch policy; leaving the planner undoes what it holds (parked restarts, shedding, breakers). */
  setPolicy(policy: RecoveryPolicy): PlannerAction[] {
    const was = this.policyName;
    this.policyName = policy;
    if (was !== 'planner' || policy === 'planner') return [];
    const actions: PlannerAction[] = [];
    for (const [id, p] of this.parked) actions.push({ action: 'restart', target: id, service: p.service, message: `${id} restarts: policy switched to backoff` });
    for (const [service, r] of this.remedies) {
      if (r.shed > 0) actions.push({ action: 'shed', target: service, service, fraction: 0, message: `stop shedding ${service}'s demand: policy switched to backoff` });
      for (const dep of r.breakers.keys()) actions.push({ action: 'closeBreaker', target: service, service, dependency: dep, message: `close the breakers on ${service} → ${dep}: policy switched to backoff` });
    }
    this.parked.clear();
    this.held.clear();
    this.remedies.clear();
    this.drained.clear();
    return actions;
  }

  /** Counts for the admin view. */
  summary(): { held: number; parked: number } {
    return { held: this.held.size, parked: this.parked.size };
  }
}
