// The cluster plugin: nodes, workloads and instances with Kubernetes' lifecycle, a
// scheduler, controllers reconciling on the kernel clock, and a rate-based queueing
// model that turns load into latency, errors and resource use (see README.md). It gives
// the mesh its instances (only Ready ones take traffic), taps real exchanges after
// routing (queueing delay, overload), and registers its instances in discovery.
import type { AddressInfo } from 'node:net';
import { definePlugin, KernelErrors, Stage, SyncBailHook, SyncHook } from '@understudy/plugin-sdk';
import { adminRoutes } from './admin.js';
import { ClusterService } from './cluster.js';
import { ClusterConfigSchema, type ClusterConfig } from './config.js';
import type { ClusterInstance, ClusterTick, InstanceChange, NodeSpec, RestartDecision, WorkloadSpec } from './contract.js';
import { afterRoute, counter, instanceSource, staleHeader } from './mesh-link.js';
import type { MeshService, MeshStore } from './mesh-types.js';
import type {} from '@understudy/plugin-traffic';
import type {} from '@understudy/plugin-discovery';
import { RegistryLink } from './registry-link.js';
import { baseSpec, completeProblems, deepMerge, specProblems } from './spec.js';

export { ClusterService } from './cluster.js';
export { ClusterConfigSchema, type ClusterConfig } from './config.js';
export { ClusterErrors, ResponseCodes } from './errors.js';
export { queue, newQueueResult, type QueueResult } from './load-model.js';
export * as lifecycle from './lifecycle.js';
export { INSTANCE_STATES } from './contract.js';
export type * from './contract.js';

/** Mean of a mesh latency spec in ms (the default service time of an adopted workload). */
function meanLatency(spec: unknown): number | undefined {
  const s = spec as { type?: string; ms?: number; min?: number; max?: number; mean?: number; median?: number; sigma?: number; p50?: number } | undefined;
  switch (s?.type) {
    case 'fixed':
      return s.ms;
    case 'uniform':
      return (s.min! + s.max!) / 2;
    case 'normal':
      return s.mean;
    case 'lognormal':
      return s.median! * Math.exp((s.sigma! * s.sigma!) / 2);
    case 'percentiles':
      return s.p50;
    default:
      return undefined;
  }
}

/** What the mesh says about a service: its instance count, main version, mean endpoint latency. */
function fromMesh(service: MeshService | undefined): Record<string, unknown> {
  if (!service) return {};
  const versions = new Map<string, number>();
  for (const i of service.instances) versions.set(i.version, (versions.get(i.version) ?? 0) + 1);
  const version = [...versions.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
  const means = service.def.endpoints.map((e) => meanLatency(e.latency)).filter((m): m is number => m !== undefined && m > 0);
  const out: Record<string, unknown> = { replicas: service.instances.length };
  if (version) out.version = version;
  if (means.length) out.capacity = { serviceTimeMs: Math.max(1, means.reduce((a, b) => a + b, 0) / means.length) };
  return out;
}

/** Nodes from config and pools; none: three nodes in three zones, sized for twice the requests. */
function nodeSpecs(config: ClusterConfig, specs: WorkloadSpec[], problems: string[]): NodeSpec[] {
  const nodes: NodeSpec[] = config.nodes.map((n) => ({ ...n, labels: { ...n.labels } }));
  for (const pool of config.nodePools) {
    for (let i = 0; i < pool.count; i++) {
      nodes.push({
        name: `${pool.namePrefix}-${i + 1}`,
        zone: pool.zones[i % pool.zones.length]!,
        cpu: pool.cpu,
        memory: pool.memory,
        instanceType: pool.instanceType,
        pricePerHour: pool.pricePerHour,
        interruptible: pool.interruptible,
        labels: { ...pool.labels, pool: pool.namePrefix },
      });
    }
  }
  if (nodes.length === 0 && config.nodes.length === 0 && config.nodePools.length === 0) {
    let cpu = 0;
    let memory = 0;
    for (const s of specs) {
      cpu += s.replicas * s.resources.requests.cpu;
      memory += s.replicas * s.resources.requests.memory;
    }
    const nodeCpu = Math.max(4000, Math.ceil((cpu * 2) / 3 / 1000) * 1000);
    const nodeMemory = Math.max(8192, Math.ceil((memory * 2) / 3 / 1024) * 1024);
    ['a', 'b', 'c'].forEach((z, i) =>
      nodes.push({ name: `node-${i + 1}`, zone: `zone-${z}`, cpu: nodeCpu, memory: nodeMemory, instanceType: 'default', pricePerHour: 0, interruptible: false, labels: {} }),
    );
  }
  const seen = new Map<string, string>();
  nodes.forEach((n, i) => {
    const where = i < config.nodes.length ? `plugins.cluster.nodes[${i}].name` : 'plugins.cluster.nodePools';
    const first = seen.get(n.name);
    if (first) problems.push(`${where}: node name "${n.name}" is used twice (also ${first})`);
    else seen.set(n.name, where);
  });
  return nodes;
}

export default definePlugin({
  name: 'cluster',
  version: '0.1.0',
  description: "A simulated cluster: nodes, workloads and instances with Kubernetes' lifecycle, a scheduler, controllers on the kernel clock, and a queueing model of load.",
  dependencies: ['mesh'],
  optionalDependencies: ['registry', 'traffic'],
  provides: ['cluster'],
  config: ClusterConfigSchema,
  register(ctx) {
    const config = ctx.config;
    const mesh: MeshStore = ctx.resolve('mesh');
    const hooks = ctx.defineHooks('cluster', {
      instanceExited: new SyncBailHook<[ClusterInstance, string], RestartDecision | undefined>(['instance', 'reason']),
      admit: new SyncBailHook<[ClusterInstance], string | undefined>(['instance']),
      instanceChanged: new SyncHook<[InstanceChange]>(['change']),
      tick: new SyncHook<[ClusterTick]>(['tick']),
    });

    // config: every problem with its full path, before anything starts
    const problems: string[] = [];
    const defaults = config.defaults ?? {};
    problems.push(...specProblems(defaults, 'plugins.cluster.defaults'));
    const topology = mesh.topology;
    /** Built-in defaults, then what the mesh says of the service, then config defaults, then the workload's own. */
    const specFor = (name: string, own: unknown): WorkloadSpec => {
      const service = typeof (own as { service?: unknown } | undefined)?.service === 'string' ? (own as { service: string }).service : name;
      return deepMerge(deepMerge(deepMerge(baseSpec(name), fromMesh(mesh.topology.services.get(service))), defaults), own ?? {});
    };
    const wanted: Array<{ name: string; spec: WorkloadSpec; adopted: boolean }> = [];
    const owners = new Map<string, string>();
    for (const [name, own] of Object.entries(config.workloads)) {
      const path = `plugins.cluster.workloads.${name}`;
      const found = specProblems(own, path);
      problems.push(...found);
      if (found.length) continue;
      const spec = specFor(name, own);
      problems.push(...completeProblems(spec, path));
      if (!topology.services.has(spec.service)) {
        problems.push(`${path}.service: no mesh service "${spec.service}" (mesh services: ${[...topology.services.keys()].join(', ') || 'none'})`);
      }
      const owner = owners.get(spec.service);
      if (owner) problems.push(`${path}.service: "${spec.service}" already runs as workload "${owner}"; one workload per service`);
      owners.set(spec.service, name);
      wanted.push({ name, spec, adopted: false });
    }
    if (config.adopt === 'all' && !specProblems(defaults).length) {
      for (const name of topology.services.keys()) {
        if (owners.has(name) || config.workloads[name] !== undefined) continue;
        const spec = specFor(name, undefined);
        problems.push(...completeProblems(spec, `plugins.cluster.defaults`));
        wanted.push({ name, spec, adopted: true });
      }
    }
    const nodes = nodeSpecs(config, wanted.map((w) => w.spec), problems);
    if (problems.length) throw new KernelErrors.CONFIG_INVALID([...new Set(problems)]);

    const traffic = ctx.resolveOptional('traffic');
    // the tick reads traffic's rates once; a stateful workload reads them by endpoint too
    let lastRates: ReturnType<NonNullable<typeof traffic>['rates']> | undefined;
    const cluster = new ClusterService(
      { tickMs: config.tickMs, instanceEvents: config.instanceEvents, queueTimeoutMs: config.queueTimeoutMs, maxCascadePasses: config.maxCascadePasses, adoptAll: config.adopt === 'all', history: config.history },
      {
        clock: ctx.clock,
        events: ctx.events,
        hooks,
        random: ctx.random.fork('cluster'),
        topology: () => mesh.topology,
        rates: traffic ? (at) => (lastRates = traffic.rates(at)).services : undefined,
        endpointRates: traffic ? (at) => (lastRates?.at === at ? lastRates : (lastRates = traffic.rates(at))).endpoints : undefined,
        specFor,
      },
    );
    for (const n of nodes) cluster.addNodeSpec(n);
    for (const w of wanted) cluster.addWorkload(w.name, w.spec, w.adopted);
    ctx.provide('cluster', cluster);

    // only Ready instances take a managed service's traffic
    mesh.useInstanceSource(instanceSource(cluster));
    const requests = ctx.random.fork('requests');
    ctx.hooks.exchange.tapPromise({ name: 'cluster', stage: Stage.AfterRoute, after: 'proxy-route' }, afterRoute(cluster, requests, (ms) => ctx.clock.sleep(ms)));
    ctx.hooks.exchange.tap({ name: 'cluster-stale-read', stage: Stage.Shape + 1 }, staleHeader);
    ctx.hooks.settled.tap('cluster', counter(cluster));

    ctx.onStart(() => {
      const registry = ctx.resolveOptional('registry');
      if (registry) {
        const address = () => {
          const a = ctx.http.server.address() as AddressInfo | null;
          return { host: a?.address ?? '127.0.0.1', port: a?.port ?? 0 };
        };
        cluster.registry = new RegistryLink(registry, address);
      }
      cluster.start(config.warmStart);
    });
    // adopt 'all' follows the mesh: a service added at run time becomes a workload, a removed one goes
    const unsubscribe = [
      ctx.events.subscribe('mesh.serviceAdded', (e) => cluster.adopt(e.data.service)),
      ctx.events.subscribe('mesh.serviceRemoved', (e) => cluster.abandon(e.data.service)),
    ];
    ctx.onStop(() => {
      for (const off of unsubscribe) off();
      cluster.stop();
    });
    ctx.admin(adminRoutes(cluster));
  },
});
