// The deploy bench's world: the ops bench's 1,000-instance world (lib/ops-world.ts: the
// same four tiers of mesh services, instances, probes, diurnal traffic at the edge and
// node pools) with observability (what analysis measures) and the deploy plugin, plus a
// `meter` plugin that counts failed requests from every cluster tick and every settled
// exchange, so the bench can attribute them to the deployment running at the time.
// One kernel, in this process, on the virtual clock.
import type { Kernel } from '@understudy/kernel';
import cluster, { type ClusterTick } from '@understudy/plugin-cluster';
import deploy from '@understudy/plugin-deploy';
import health from '@understudy/plugin-health';
import mesh from '@understudy/plugin-mesh';
import observability from '@understudy/plugin-observability';
import { definePlugin } from '@understudy/plugin-sdk';
import traffic from '@understudy/plugin-traffic';
import { startTieredWorld, tierNames } from './ops-world.js';

/** Failed requests since the last `take()`: the load model's (users' requests at the edge services) and sampled real exchanges. */
export interface Meter {
  /** (demand − served) × tick length, summed over the edge services: user requests that failed anywhere below them. */
  modelFailed: number;
  /** The same over every service (a request failing three hops down counts at each hop). */
  modelFailedAllHops: number;
  modelRequests: number;
  /** Real exchanges of the traffic plugin's sample (through mesh routing, every hop below them) that got a 5xx or no answer. */
  realFailed: number;
  realRequests: number;
}

export const newMeter = (): Meter => ({ modelFailed: 0, modelFailedAllHops: 0, modelRequests: 0, realFailed: 0, realRequests: 0 });

function meterPlugin(edge: Set<string>, meter: Meter) {
  return definePlugin({
    name: 'bench-meter',
    dependencies: ['cluster'],
    register(ctx) {
      ctx.pluginHooks('cluster').tick.tap('bench-meter', (tick: ClusterTick) => {
        const dt = tick.durationMs / 1000;
        for (const t of tick.services.values()) {
          const failed = Math.max(0, t.demand - t.served) * dt;
          meter.modelFailedAllHops += failed;
          if (!edge.has(t.service)) continue;
          meter.modelFailed += failed;
          meter.modelRequests += t.demand * dt;
        }
      });
      ctx.hooks.settled.tap('bench-meter', (ex) => {
        if (ex.context.hops !== 0) return;
        meter.realRequests++;
        if (!ex.response || ex.response.status >= 500) meter.realFailed++;
      });
    },
  });
}

export interface DeployWorld {
  services: number;
  instancesPer: number;
  analysisTemplates: Record<string, unknown>;
  seed?: number;
}

export async function startDeployWorld(world: DeployWorld, meter: Meter): Promise<Kernel> {
  const edge = tierNames(world.services)[0]!;
  return startTieredWorld(
    // headroom for a blue/green preview of a whole service beside its active set
    { ...world, periodSeconds: 86_400, extraNodes: 2 },
    [mesh, traffic, cluster, health, observability, deploy, meterPlugin(new Set(edge), meter)],
    {
      health: { policy: 'planner' },
      observability: {},
      deploy: { defaults: { progressDeadlineSeconds: 180 }, analysisTemplates: world.analysisTemplates },
    },
  );
}
