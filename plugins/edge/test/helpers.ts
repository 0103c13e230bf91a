import mqttClient, { type MqttClient } from 'mqtt';
import { type PluginDefinition } from '@understudy/plugin-sdk';
import { createTestKernel, waitFor, type TestKernel } from '@understudy/plugin-sdk/testing';
import mqtt from '@understudy/plugin-mqtt';
import edge from '../src/index.js';
import type { EdgeNodeView } from '../src/contract.js';

export type Kernel = TestKernel;

/** mqtt on a free port, then `extra` plugins (fleet, commands), then edge. */
export async function startEdge(edgeConfig: Record<string, unknown>, extra: { plugins?: PluginDefinition<any>[]; config?: Record<string, unknown> } = {}) {
  return createTestKernel({
    plugins: [mqtt, ...(extra.plugins ?? []), edge],
    config: { mqtt: { port: 0 }, ...extra.config, edge: edgeConfig },
  });
}

/** A convention telemetry payload; seq counts per device+sensor. */
const seqs = new Map<string, number>();
export function reading(k: Kernel, deviceId: string, sensor: string, value: unknown) {
  const key = `${deviceId}/${sensor}`;
  const seq = (seqs.get(key) ?? 0) + 1;
  seqs.set(key, seq);
  return { deviceId, sensor, ts: k.clock.now(), value, unit: 'u', seq };
}

/** Publish readings in-process, as the broker (each resolves once subscribers got it). */
export async function publish(k: Kernel, deviceId: string, sensor: string, values: unknown[]) {
  const broker = k.resolve('broker');
  for (const v of values) await broker.publish(`devices/${deviceId}/telemetry/${sensor}`, reading(k, deviceId, sensor, v));
}

export interface Seen {
  topic: string;
  body: any;
}

/** A real MQTT client subscribed to `filter`, collecting what it receives. */
export async function subscriber(k: Kernel, filter = 'edge/#', clientId = 'upstream'): Promise<{ client: MqttClient; seen: Seen[] }> {
  const client = await mqttClient.connectAsync(k.resolve('broker').url, { clientId, reconnectPeriod: 0 });
  const seen: Seen[] = [];
  client.on('message', (topic, payload) => seen.push({ topic, body: JSON.parse(payload.toString()) }));
  await client.subscribeAsync(filter, { qos: 1 });
  return { client, seen };
}

export const nodeView = (k: Kernel, id: string) => k.resolve('edge').get(id) as EdgeNodeView;

/** Wait until the node has taken in `count` messages (they arrive over real sockets). */
export const untilReceived = (k: Kernel, id: string, count: number) => waitFor(() => nodeView(k, id).counters.received >= count, `${id} received ${count}`);

export { waitFor };
