// A stand-in `fleet` plugin that follows the fleet contract (plugins/fleet/src/contract.ts) with in-process
// devices: tests of the simulation can switch devices on and off line, provision and
// decommission them at will. The real fleet is used in real-fleet.test.ts.
import { definePlugin, Type } from '@understudy/plugin-sdk';
import type { Device, DeviceAgent, DeviceChange, Fleet, ProvisionTemplate } from '@understudy/plugin-fleet';
import type { Broker } from '@understudy/plugin-mqtt';

export function fakeFleet() {
  const devices = new Map<string, Device>();
  const online = new Set<string>();
  const listeners = new Set<(change: DeviceChange) => void>();
  let broker: Broker;
  const emit = (change: DeviceChange) => listeners.forEach((l) => l(change));

  const agent = (id: string): DeviceAgent => ({
    id,
    get online() {
      return online.has(id);
    },
    async publish(topic, payload, options) {
      if (!online.has(id)) throw new Error(`${id} is offline`);
      await broker.publish(topic, payload, options);
    },
    subscribe: (pattern, handler) => broker.subscribe(pattern, (m) => handler(m.topic, m.payload)),
  });

  const fleet: Fleet = {
    list: (filter) => [...devices.values()].filter((d) => filter?.type === undefined || d.type === filter.type),
    get: (id) => devices.get(id),
    async provision(templates: ProvisionTemplate[]) {
      const made: Device[] = [];
      for (const t of templates) {
        for (let n = 1; n <= t.count; n++) {
          const id = (t.idPattern ?? `${t.type}-{n}`).replace('{n}', String(n));
          const device: Device = {
            id,
            type: t.type,
            serial: `SN-${id}`,
            credentials: { username: id, password: 'secret' },
            metadata: t.metadata ?? {},
            firmware: t.firmware ?? '1.0.0',
            state: 'active',
            connection: t.connection ?? 'inprocess',
            provisionedAt: 0,
          };
          devices.set(id, device);
          made.push(device);
          emit({ kind: 'provisioned', device });
          if (device.connection !== 'external') {
            online.add(id);
            emit({ kind: 'connected', device });
          }
        }
      }
      return made;
    },
    agent: (id) => (devices.has(id) && devices.get(id)!.connection !== 'external' ? agent(id) : undefined),
    watch(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };

  const plugin = definePlugin({
    name: 'fleet',
    dependencies: ['mqtt'],
    provides: ['fleet'],
    config: Type.Object({ devices: Type.Array(Type.Unknown(), { default: [] }) }),
    register(ctx) {
      broker = ctx.resolve('broker');
      ctx.provide('fleet', fleet);
      ctx.onStart(async () => void (await fleet.provision(ctx.config.devices as ProvisionTemplate[])));
    },
  });

  return {
    plugin,
    fleet,
    /** Take a device off line (without a `connected` on the way back when `quietly`). */
    setOnline(id: string, on: boolean, quietly = false) {
      const device = devices.get(id)!;
      if (on) online.add(id);
      else online.delete(id);
      if (!quietly) emit(on ? { kind: 'connected', device } : { kind: 'disconnected', device, expected: true });
    },
    decommission(id: string) {
      const device = { ...devices.get(id)!, state: 'decommissioned' as const };
      devices.set(id, device);
      online.delete(id);
      emit({ kind: 'decommissioned', device });
    },
    update(device: Device) {
      devices.set(device.id, device);
      emit({ kind: 'updated', device });
    },
  };
}
