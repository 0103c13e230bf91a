// The fleet plugin: simulated IoT devices with identities (id, type, serial, secret),
// metadata, firmware and a lifecycle, stored in SQLite; each simulated device holds its
// own MQTT connection (or an in-process one for very large fleets) and may come and go
// on an intermittent connectivity model. Its contract (the `fleet` service, device.*
// events, the device topic catalogue) is src/contract.ts.
import { definePlugin } from '@understudy/plugin-sdk';
import { adminRoutes } from './admin.js';
import { FleetConfigSchema } from './config.js';
import { FleetService } from './fleet.js';
import { DeviceStore } from './store.js';

export type * from './contract.js';
export { deviceTopics } from './contract.js';
export { FleetConfigSchema, ProvisionTemplateSchema, resolveDeviceType, type FleetConfig, type ResolvedDeviceType } from './config.js';
export { FleetErrors } from './errors.js';
export { FleetService, type FleetStats, type FleetDeps } from './fleet.js';
export { compileIdPattern, DEFAULT_ID_PATTERN, type IdPattern } from './id-pattern.js';
export { ConnectivityModel, exponential } from './connectivity.js';
export { DeviceStore } from './store.js';
export type { JobView, JobAction, JobState } from './jobs.js';

export default definePlugin({
  name: 'fleet',
  version: '0.1.0',
  description: 'Simulated IoT devices: identities, lifecycle, bulk provisioning, their own MQTT connections and intermittent connectivity.',
  dependencies: ['mqtt'],
  provides: ['fleet'],
  config: FleetConfigSchema,
  register(ctx) {
    const broker = ctx.resolve('broker');
    const store = new DeviceStore(ctx.config.storage, ctx.baseDir, (err) =>
      ctx.logger.error({ err: err.message }, 'the fleet storage refused a batch of state changes; the devices in memory are right, the file lags behind'),
    );
    const fleet = new FleetService({ config: ctx.config, clock: ctx.clock, random: ctx.random, events: ctx.events, logger: ctx.logger, broker, store });
    try {
      // config devices exist from register on, so plugins registered later can list them
      fleet.commit(fleet.plan(ctx.config.devices, 'ensure'));
    } catch (err) {
      store.close();
      throw Object.assign(err as Error, { message: `plugins.fleet.devices: ${(err as Error).message}` });
    }
    ctx.provide('fleet', fleet);
    // lastSeenAt of devices that publish over their own connection (external ones included)
    ctx.pluginHooks('mqtt').published.tap('fleet', (message) => {
      if (message.clientId !== null) fleet.seen(message.clientId);
    });
    ctx.admin(adminRoutes(fleet, ctx.config.jobThreshold));
    ctx.onStart(() => fleet.start());
    ctx.onStop(() => fleet.stop());
  },
});
