// The ops preset: a 1,000-instance world of 50 tiered services on nodes in three zones, with
// probes, the recovery planner, HPA on the edge, a canary-ready service, breakers, tracing, chaos
// (with its experiment library) and observability; config generated in world.ts.
import autoscale from '@understudy/plugin-autoscale';
import breaker from '@understudy/plugin-breaker';
import chaos from '@understudy/plugin-chaos';
import cluster from '@understudy/plugin-cluster';
import deploy from '@understudy/plugin-deploy';
import discovery from '@understudy/plugin-discovery';
import health from '@understudy/plugin-health';
import mesh from '@understudy/plugin-mesh';
import observability from '@understudy/plugin-observability';
import { definePreset } from '@understudy/plugin-sdk';
import tracing from '@understudy/plugin-tracing';
import traffic from '@understudy/plugin-traffic';
import { opsConfig } from './world.js';

export default definePreset({
  name: 'ops',
  description: 'An operations world: 50 tiered services x 20 instances on nodes in three zones, probes, recovery, HPA, canary deployments, breakers, tracing, chaos experiments, observability.',
  plugins: [discovery, mesh, cluster, traffic, health, observability, autoscale, deploy, breaker, tracing, chaos],
  config: opsConfig() as never,
  world: 'ops: edge-1..2 -> api-1..8 -> svc-1..32 -> data-1..8, 20 instances each',
});
