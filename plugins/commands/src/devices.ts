// Which devices a command can reach: fleet devices, and external MQTT clients the broker
// has seen connect (their client id is their device id).
import type { Broker } from '@understudy/plugin-mqtt';
import type { Device, Fleet } from '@understudy/plugin-fleet';
import { CommandErrors } from './errors.js';
import type { CommandTarget } from './contract.js';

/** Client ids remembered for non-fleet devices; the oldest is forgotten beyond this. */
export const SEEN_CLIENTS_CAP = 100_000;

export class Devices {
  private readonly seen = new Set<string>();
  /** Client ids forgotten because more than SEEN_CLIENTS_CAP connected. */
  forgotten = 0;

  constructor(
    private readonly fleet: Fleet,
    private readonly broker: Broker,
    private readonly seenCap = SEEN_CLIENTS_CAP,
  ) {}

  /** The broker saw `clientId` connect (the `mqtt.clientConnected` event). */
  sawClient(clientId: string): void {
    this.seen.delete(clientId);
    this.seen.add(clientId);
    if (this.seen.size > this.seenCap) {
      this.seen.delete(this.seen.values().next().value as string);
      this.forgotten++;
    }
  }

  /** Throws unless commands (or a shadow) can be addressed to this device id. */
  check(id: string): Device | undefined {
    const device = this.fleet.get(id);
    if (device?.state === 'decommissioned') throw new CommandErrors.DEVICE_DECOMMISSIONED(id);
    if (!device && !this.seen.has(id) && !this.broker.isConnected(id)) throw new CommandErrors.DEVICE_NOT_FOUND(id);
    return device;
  }

  /** Device ids a target addresses, in fleet order; throws when there are none. */
  resolve(target: CommandTarget): string[] {
    if ('deviceId' in target) {
      this.check(target.deviceId);
      return [target.deviceId];
    }
    const { type, ids, metadata } = target.selector;
    const devices = this.fleet.list({ type, ids, metadata }).filter((d) => d.state !== 'decommissioned');
    if (devices.length === 0) throw new CommandErrors.NO_DEVICES_MATCH(JSON.stringify(target.selector));
    return devices.map((d) => d.id);
  }

  /** Simulated devices are online when their agent is; others when their client is connected. */
  isOnline(id: string): boolean {
    const agent = this.fleet.agent(id);
    return agent ? agent.online : this.broker.isConnected(id);
  }
}
