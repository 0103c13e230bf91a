// The commands plugin: commands to one device or a fleet selector, from REST or MQTT, with
// acknowledgements, retries with backoff, timeouts, delivery to offline devices when they
// reconnect, simulated devices that answer by configured behaviour, and device shadows.
// Its contract (the `commands` service, command.* and shadow.* events) is src/contract.ts;
// device topics come from the fleet's catalogue (`deviceTopics`).
import { deviceTopics } from '@understudy/plugin-fleet';
import { definePlugin } from '@understudy/plugin-sdk';
import { adminRoutes } from './admin.js';
import { CommandCenter } from './commands.js';
import { CommandsConfigSchema } from './config.js';
import { Devices } from './devices.js';
import { listenForSends } from './mqtt-api.js';
import { Shadows } from './shadows.js';
import { Simulator } from './simulator.js';

export type * from './contract.js';
export { CommandCenter, EVENT_OF_STATUS, type CommandCounters, type CommandStats } from './commands.js';
export { CommandsConfigSchema, BehaviourOverridesSchema, DEFAULT_BEHAVIOUR, type CommandsConfig, type Behaviour, type BehaviourOverrides } from './config.js';
export { CommandErrors } from './errors.js';
export { SEND_TOPIC, RESULTS_TOPIC, type SendResult } from './mqtt-api.js';
export { Shadows, type Shadow, type ShadowCounters } from './shadows.js';
export { computeDelta, mergeState, jsonEqual } from './shadow-state.js';
export {
  transition,
  createCommand,
  backoffDelay,
  isTerminal,
  type CommandPolicy,
  type BackoffPolicy,
  type CommandInput,
  type CommandAction,
  type TransitionResult,
  type MachineCommand,
} from './state-machine.js';

export default definePlugin({
  name: 'commands',
  version: '0.1.0',
  description: 'Commands to devices and fleets with acknowledgements, retries, timeouts, offline delivery, simulated device behaviour and device shadows.',
  dependencies: ['mqtt', 'fleet'],
  provides: ['commands'],
  config: CommandsConfigSchema,
  register(ctx) {
    const broker = ctx.resolve('broker');
    const fleet = ctx.resolve('fleet');
    const devices = new Devices(fleet, broker);
    const commands = new CommandCenter(ctx.config, devices, broker, ctx.clock, ctx.random.fork('ids'), ctx.random.fork('backoff'), ctx.events, ctx.logger);
    const shadows = new Shadows(ctx.config.shadows.capacity, broker, ctx.clock, ctx.events, ctx.logger);
    const simulator = new Simulator(ctx.config.behaviour, fleet, ctx.clock, ctx.random.fork('devices'), ctx.logger);
    ctx.provide('commands', commands);

    // external devices: the broker tells who connected
    const offEvents = ctx.events.subscribe('mqtt.clientConnected', ({ data: { clientId } }) => {
      devices.sawClient(clientId);
      // simulated devices are announced by the fleet, once their subscriptions are in place
      if (!fleet.agent(clientId)) commands.deviceConnected(clientId);
    });
    // subscribed at register: simulated devices subscribe before they first connect, so
    // their subscriptions travel with the CONNECT instead of racing the first command
    const off: Array<() => void> = [
      offEvents,
      broker.subscribe(deviceTopics.replies.filter(), (m) => {
        const topic = deviceTopics.replies.parse(m.topic);
        if (topic) commands.reply(topic.deviceId, m.payload);
      }),
      broker.subscribe(deviceTopics.shadow.filter('+', 'reported'), (m) => {
        const topic = deviceTopics.shadow.parse(m.topic);
        if (topic) shadows.report(topic.deviceId, m.payload);
      }),
      listenForSends(broker, commands, ctx.logger),
      fleet.watch((change) => {
        if (change.kind === 'provisioned') simulator.attach(change.device.id);
        else if (change.kind === 'connected') commands.deviceConnected(change.device.id);
        else if (change.kind === 'decommissioned') simulator.detach(change.device.id);
      }),
    ];
    for (const device of fleet.list()) if (device.state !== 'decommissioned') simulator.attach(device.id);
    ctx.onStop(() => {
      for (const unsubscribe of off) unsubscribe();
      simulator.stop();
      commands.stop();
    });
    ctx.admin(adminRoutes(commands, shadows, simulator, devices));
  },
});
