// The mesh plugin: interdependent mock services behind real HTTP, with latency, errors,
// dependency calls as child exchanges, a dependency graph and the shop sample world.
// It exposes the `mesh.selectInstance` hooks (see contract.ts) so that other plugins
// have a say in which instance serves a call.
import type { AddressInfo } from 'node:net';
import { definePlugin, KernelErrors, Stage, SyncWaterfallHook, type Exchange, type ExchangeResponse } from '@understudy/plugin-sdk';
import { adminRoutes } from './admin.js';
import type { CallDeps } from './calls.js';
import { MeshConfigSchema } from './config.js';
import type { MeshInstance } from './contract.js';
import { DiscoveryLink } from './discovery-link.js';
import { SvgCache } from './graph/svg.js';
import { loopOf } from './loops.js';
import { OwnPorts } from './own-ports.js';
import { respond } from './respond.js';
import { createRouter, type Route } from './routing.js';
import { buildTopology, MeshStore, type PreparedChange } from './store.js';
import type { Topology } from './topology/model.js';
import { loadWorld } from './worlds.js';

/** The route the Route tap chose for an exchange, for the Respond tap (see Exchange.locals). */
const ROUTE = Symbol('mesh.route');

export { MeshStore } from './store.js';
export { MeshErrors } from './errors.js';
export { MeshConfigSchema, type MeshConfig } from './config.js';
export { createSampler, type LatencySpec, type Sampler } from './latency.js';
export { findCycles } from './graph/cycles.js';
export type { Graph, GraphNode, GraphEdge } from './graph/json.js';
export type { ServiceDef, EndpointDef, CallDef, CallGroupDef, LatencyDef, TopologyDef } from './topology/schema.js';
export type * from './contract.js';

export default definePlugin({
  name: 'mesh',
  version: '0.1.0',
  description: 'Service topology simulator: mock services with latency, errors and dependency calls behind real HTTP.',
  optionalDependencies: ['registry'],
  provides: ['mesh'],
  config: MeshConfigSchema,
  register(ctx) {
    const { config } = ctx;
    const defs = { ...(config.world === undefined ? {} : loadWorld(config.world, ctx.baseDir)), ...config.services };
    const initial = buildTopology(defs, 'plugins.mesh.services', (problems) => new KernelErrors.CONFIG_INVALID(problems.join('\n')));
    const store = new MeshStore(initial, ctx.events);
    ctx.provide('mesh', store);

    const hooks = ctx.defineHooks('mesh', {
      selectInstance: new SyncWaterfallHook<[readonly MeshInstance[], Exchange], readonly MeshInstance[]>(['candidates', 'exchange']),
    });
    const router = createRouter(() => store.topology, config.instanceSelection, ctx.random.fork('instances'), hooks.selectInstance, () => store.instanceSource);
    /** Originating requests whose loop was already reported (one event per request). */
    const loopsReported = new Set<string>();

    const observe: CallDeps['observe'] = (child, route, call) => {
      if ((child.error as { code?: string } | undefined)?.code !== KernelErrors.LOOP_DETECTED.code || loopsReported.has(route.origin)) return;
      loopsReported.add(route.origin);
      const path = [...route.chain, call.service];
      ctx.events.emit('mesh.loopDetected', { origin: route.origin, path, cycle: loopOf(path) });
    };
    const deps = {
      dispatch: ctx.dispatch,
      observe,
      sleep: (ms: number) => ctx.clock.sleep(ms),
      latencyRandom: ctx.random.fork('latency'),
      errorRandom: ctx.random.fork('errors'),
      latencyScale: config.latencyScale,
      errorScale: config.errorScale,
    };

    ctx.hooks.exchange.tap({ name: 'mesh', stage: Stage.Route }, (ex) => {
      const route = router.route(ex);
      if (route) ex.locals[ROUTE] = route;
      return ex;
    });
    /** An originating request is over: a loop it hit may be reported again by the next one. */
    const finished = (route: Route) => {
      if (route.root) loopsReported.delete(route.origin);
    };
    const respondLater = async (route: Route, ex: Exchange, response: Promise<ExchangeResponse>): Promise<Exchange> => {
      try {
        ex.response = await response;
      } finally {
        finished(route);
      }
      return ex;
    };
    // Runs for every hop the kernel has not answered yet (an open breaker or a fault did);
    // a response ready at once (see respond) settles without an async function. Before
    // stubs, which answer what no mock service does.
    ctx.hooks.exchange.tapPromise({ name: 'mesh', stage: Stage.Respond, before: 'stubs' }, (ex) => {
      const route = ex.locals[ROUTE] as Route | undefined;
      if (!route) return Promise.resolve(ex);
      let response: ExchangeResponse | Promise<ExchangeResponse> | undefined;
      try {
        response = respond(route, ex, deps);
      } finally {
        // answered at once, or failed: this request is over (respondLater finishes the others)
        if (!(response instanceof Promise)) finished(route);
      }
      if (response instanceof Promise) return respondLater(route, ex, response);
      ex.response = response;
      return Promise.resolve(ex);
    });

    // Own ports and discovery follow the topology once the server listens. Each change
    // binds its new ports first, then registers its instances (with the ports they got);
    // when either is refused, both are undone and the topology stays as it was.
    let host = '127.0.0.1';
    let mainPort = 0;
    let link: DiscoveryLink | undefined;
    const ports = new OwnPorts({
      dispatch: ctx.dispatch,
      host: () => host,
      mainPort: () => mainPort,
      bodyLimit: ctx.resolve('config').server.bodyLimit,
    });
    const acquire = async (next: Topology): Promise<PreparedChange> => {
      const plan = await ports.prepare(next);
      try {
        link?.sync(next, (s) => plan.portOf(s));
      } catch (err) {
        await plan.abort();
        throw err;
      }
      return { commit: () => plan.commit(), abort: () => plan.abort() };
    };
    store.participate(acquire);
    ctx.onStart(async () => {
      const address = ctx.http.server.address() as AddressInfo | null;
      if (address) {
        mainPort = address.port;
        host = address.address;
      }
      const registry = ctx.resolveOptional('registry');
      if (registry) link = new DiscoveryLink(registry, () => mainPort, () => store.instanceSource);
      // the configured topology is acquired like any change: a port in use fails the start
      // with US_MESH_PORT_IN_USE, and nothing stays bound or registered
      await store.activate();
    });
    ctx.onStop(() => ports.closeAll());

    ctx.admin(adminRoutes({ store, ports, svg: new SvgCache() }));
  },
});
