// The optional services of the operations world, resolved from the plugin context when a
// run needs them (chaos works without any of them loaded). The deploy plugin's service is
// `deployments`; chaos calls only the part `DeployService` (ops.ts) describes.
import type {} from '@understudy/plugin-cluster';
import type {} from '@understudy/plugin-health';
import type {} from '@understudy/plugin-observability';
import type {} from '@understudy/plugin-traffic';
import type { PluginContext } from '@understudy/plugin-sdk';
import type { DeployService, OpsServices } from './ops.js';

export function opsServices(ctx: Pick<PluginContext<unknown>, 'resolveOptional'>): OpsServices {
  // `deployments` is declared in Services by the deploy plugin's contract, which chaos does not import
  const untyped = ctx.resolveOptional as unknown as (name: string) => unknown;
  return {
    cluster: () => ctx.resolveOptional('cluster'),
    observability: () => ctx.resolveOptional('observability'),
    health: () => ctx.resolveOptional('health'),
    traffic: () => ctx.resolveOptional('traffic'),
    deployments: () => untyped('deployments') as DeployService | undefined,
  };
}
