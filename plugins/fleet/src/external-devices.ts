// Following external devices: real ones your code connects, which the fleet only watches.
// The broker's `mqtt.clientConnected` / `mqtt.clientDisconnected` events say when they
// come and go; their own status messages (`devices/{id}/status`) say whether a departure
// was on purpose.
import type { PluginEvents } from '@understudy/plugin-sdk';
import type { Broker, MqttMessage } from '@understudy/plugin-mqtt';
import { deviceTopics, type DeviceStatus } from './contract.js';

export interface ExternalDeviceEvents {
  /** True for a provisioned, not decommissioned device of connection `external`. */
  isExternal(id: string): boolean;
  connected(id: string): void;
  disconnected(id: string, expected: boolean): void;
}

/** Follow external devices; returns a function that stops following. */
export function followExternalDevices(broker: Broker, events: PluginEvents, devices: ExternalDeviceEvents): () => void {
  /** Devices whose last status said `offline, expected: true`. */
  const leaving = new Set<string>();

  const offConnected = events.subscribe('mqtt.clientConnected', ({ data: { clientId: id } }) => {
    if (!devices.isExternal(id)) return;
    leaving.delete(id);
    devices.connected(id);
  });
  const offDisconnected = events.subscribe('mqtt.clientDisconnected', ({ data: { clientId: id } }) => {
    // a takeover by a new connection with the same id is not a disconnect
    if (devices.isExternal(id) && !broker.isConnected(id)) devices.disconnected(id, leaving.delete(id));
  });

  const onStatus = (message: MqttMessage) => {
    const id = deviceTopics.status.parse(message.topic)?.deviceId;
    if (id === undefined || !devices.isExternal(id)) return;
    try {
      const status = JSON.parse(message.payload.toString('utf8')) as Partial<DeviceStatus>;
      if (status.state === 'offline' && status.expected === true) leaving.add(id);
      else leaving.delete(id);
    } catch {
      // not the status convention: leave it
    }
  };
  const offStatus = broker.subscribe(deviceTopics.status.filter(), onStatus);

  return () => {
    offConnected();
    offDisconnected();
    offStatus();
  };
}
