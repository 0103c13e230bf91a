// The mqtt plugin: a real MQTT 3.1.1 broker (aedes) on TCP and on the kernel's HTTP
// server over WebSocket, with device logins, topic ACLs, an HTTP bridge and counters.
// Its contract (the `broker` service, events, the `mqtt` hook group) is src/contract.ts.
import { definePlugin, SyncHook } from '@understudy/plugin-sdk';
import { adminRoutes } from './admin.js';
import { AedesBroker } from './broker.js';
import { MqttConfigSchema } from './config.js';

export type * from './contract.js';
export { MqttConfigSchema, DEFAULT_MAX_PACKET_SIZE, type MqttConfig, type AclRule } from './config.js';
export { MqttErrors } from './errors.js';
export { encodePayload } from './broker.js';
export { topicMatches, filterCovers, isValidFilter, topicProblem } from './topics.js';

export default definePlugin({
  name: 'mqtt',
  version: '0.1.0',
  description: 'A real MQTT 3.1.1 broker (aedes) on TCP and WebSocket, with device logins, topic ACLs and an HTTP bridge.',
  provides: ['broker'],
  config: MqttConfigSchema,
  async register(ctx) {
    const hooks = ctx.defineHooks('mqtt', { published: new SyncHook(['message']) });
    const broker = new AedesBroker({ config: ctx.config, clock: ctx.clock, events: ctx.events, logger: ctx.logger, hooks });
    await broker.create();
    ctx.provide('broker', broker);
    const { websocket } = ctx.config;
    if (websocket.enabled) ctx.websocket(websocket.path, (socket, request) => broker.handleWebSocket(socket, request));
    ctx.admin(adminRoutes(broker));
    ctx.onStart(async () => {
      await broker.listen();
      if (websocket.enabled) broker.setHttpAddress(ctx.http.server.address() as { address: string; port: number } | null, websocket.path);
    });
    ctx.onStop(() => broker.stop());
  },
});
