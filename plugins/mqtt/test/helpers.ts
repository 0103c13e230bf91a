import mqttClient, { type IClientOptions, type MqttClient } from 'mqtt';
import { type PluginDefinition } from '@understudy/plugin-sdk';
import { createTestKernel, waitFor, type TestKernel } from '@understudy/plugin-sdk/testing';
import mqtt from '../src/index.js';

export interface BrokerKit {
  k: TestKernel;
  url: string;
  /** Connect a real client; closed by `stop()`. */
  connect(options?: IClientOptions, url?: string): Promise<MqttClient>;
  /** A client that is not connected yet (attach listeners, then `client.connect()`). */
  unconnected(options?: IClientOptions): MqttClient;
  stop(): Promise<void>;
}

export async function startBroker(config: Record<string, unknown> = {}, more: PluginDefinition<any>[] = []): Promise<BrokerKit> {
  const k = await createTestKernel({ plugins: [mqtt, ...more], config: { mqtt: { port: 0, ...config } } });
  const clients: MqttClient[] = [];
  return {
    k,
    url: k.resolve('broker').url,
    async connect(options = {}, url = k.resolve('broker').url) {
      const client = await mqttClient.connectAsync(url, { reconnectPeriod: 0, ...options });
      clients.push(client);
      return client;
    },
    unconnected(options = {}) {
      const client = mqttClient.connect(k.resolve('broker').url, { reconnectPeriod: 0, ...options, manualConnect: true });
      clients.push(client);
      return client;
    },
    async stop() {
      await Promise.all(clients.map((c) => c.endAsync(true).catch(() => {})));
      await k.stop();
    },
  };
}

/** Collect the messages a client receives, as text. */
export function inbox(client: MqttClient) {
  const got: { topic: string; payload: string; retain: boolean; qos: number }[] = [];
  client.on('message', (topic, payload, packet) => got.push({ topic, payload: payload.toString(), retain: packet.retain, qos: packet.qos }));
  return {
    got,
    topics: () => got.map((m) => m.topic),
    until: (count: number, what = `${count} message(s)`) => waitFor(() => got.length >= count, what),
  };
}
