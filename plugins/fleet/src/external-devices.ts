// External devices are real ones your code connects: the fleet only follows them. The
// broker's `mqtt.clientConnected` / `mqtt.clientDisconnected` events say when they come
// and go; their own status messages say whether a departure was on purpose.
import type { PluginEvents, UnderstudyEvent } from '@understudy/plugin-sdk';
import type { Broker, MqttMessage } from '@understudy/plugin-mqtt';

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

  const onEvent = (event: UnderstudyEvent) => {
    if (event.type !== 'mqtt.clientConnected' && event.type !== 'mqtt.clientDisconnected') return;
    const id = (event.data as { clientId?: string } | undefined)?.clientId;
    if (id === undefined || !devices.isExternal(id)) return;
    if (event.type === 'mqtt.clientConnected') {
      leaving.delete(id);
      devices.connected(id);
    } else if (!broker.isConnected(id)) {
      // a takeover by a new connection with the same id is not a disconnect
      devices.disconnected(id, leaving.delete(id));
    }
  };

  const onStatus = (message: MqttMessage) => {
    const id = message.topic.slice('devices/'.length, -'/status'.length);
    if (!devices.isExternal(id)) return;
    try {
      const status = JSON.parse(message.payload.toString('utf8')) as { state?: string; expected?: boolean };
      if (status.state === 'offline' && status.expected === true) leaving.add(id);
      else leaving.delete(id);
    } catch {
      // not the status convention: leave it
    }
  };

  const unsubscribeEvents = events.subscribe(onEvent);
  const unsubscribeStatus = broker.subscribe('devices/+/status', onStatus);
  return () => {
    unsubscribeEvents();
    unsubscribeStatus();
  };
}
