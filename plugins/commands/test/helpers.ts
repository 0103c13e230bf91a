import mqttClient, { type IClientOptions, type MqttClient } from 'mqtt';
import { createTestKernel, fetchJson, waitFor, type JsonReply, type TestKernel } from '@understudy/plugin-sdk/testing';
import mqtt, { type Broker } from '@understudy/plugin-mqtt';
import fleet from '@understudy/plugin-fleet';
import commands, { type Command } from '../src/index.js';

export interface Kit {
  k: TestKernel;
  broker: Broker;
  /** A real MQTT client (closed by stop()). */
  client(options?: IClientOptions): Promise<MqttClient>;
  /** fetch a path under /__admin/commands. */
  call(path: string, init?: Parameters<typeof fetchJson>[1]): Promise<JsonReply>;
  /** fetch a path under /__admin/fleet. */
  fleetCall(path: string, init?: Parameters<typeof fetchJson>[1]): Promise<JsonReply>;
  send(body: unknown): Promise<JsonReply>;
  /** GET /__admin/commands/:id */
  command(id: string): Promise<Command & { policy: unknown }>;
  /** Wait (real time) until the command has this status. */
  until(id: string, status: string): Promise<Command>;
  stats(): Promise<any>;
  stop(): Promise<void>;
}

export async function start(config: Record<string, unknown> = {}, fleetConfig: Record<string, unknown> = {}): Promise<Kit> {
  const k = await createTestKernel({
    plugins: [mqtt, fleet, commands],
    config: { mqtt: { port: 0 }, fleet: { storage: false, ...fleetConfig }, commands: config },
  });
  const clients: MqttClient[] = [];
  const call = (path: string, init?: Parameters<typeof fetchJson>[1]) => fetchJson(`${k.baseUrl}/__admin/commands${path}`, init);
  const kit: Kit = {
    k,
    broker: k.resolve('broker'),
    async client(opts = {}) {
      const client = await mqttClient.connectAsync(k.resolve('broker').url, { reconnectPeriod: 0, ...opts });
      clients.push(client);
      return client;
    },
    call,
    fleetCall: (path, init) => fetchJson(`${k.baseUrl}/__admin/fleet${path}`, init),
    send: (body) => call('', { method: 'POST', json: body }),
    command: async (id) => (await call(`/${id}`)).body,
    async until(id, status) {
      let last: Command | undefined;
      try {
        await waitFor(() => (last = k.resolve('commands').get(id))?.status === status, `command ${id} to be ${status}`);
      } catch (err) {
        throw new Error(`${(err as Error).message}; it is ${last?.status}: ${JSON.stringify(last?.history)}`);
      }
      return last!;
    },
    stats: async () => (await call('/stats')).body,
    async stop() {
      await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
      await k.stop();
    },
  };
  return kit;
}

/** Wait until simulated devices received this many command deliveries in all. */
/** Run `run` against a started kit, stopping it however `run` ends. */
export async function withKit(config: Record<string, unknown>, fleetConfig: Record<string, unknown>, run: (kit: Kit) => Promise<void>): Promise<void> {
  const kit = await start(config, fleetConfig);
  try {
    await run(kit);
  } finally {
    await kit.stop();
  }
}

export async function delivered(kit: Kit, count: number): Promise<void> {
  await waitFor(async () => (await kit.stats()).simulator.received >= count, `${count} deliveries to simulated devices`);
}

/** A device of the test's own: collects its deliveries and replies with `answer` (if given). */
export async function externalDevice(
  kit: Kit,
  id: string,
  answer?: (command: { correlationId: string; name: string; params: unknown }) => Array<Record<string, unknown>>,
  options: IClientOptions = {},
) {
  const client = await kit.client({ clientId: id, ...options });
  const received: Array<{ topic: string; correlationId: string; name: string; params: unknown; sentAt: number }> = [];
  client.on('message', (topic, payload) => {
    if (!topic.startsWith(`devices/${id}/commands/`)) return;
    const command = JSON.parse(payload.toString());
    received.push({ topic, ...command });
    for (const reply of answer?.(command) ?? []) client.publish(`devices/${id}/replies`, JSON.stringify({ correlationId: command.correlationId, ...reply }), { qos: 1 });
  });
  await client.subscribeAsync(`devices/${id}/commands/+`, { qos: 1 });
  return { client, received, reply: (body: unknown) => client.publishAsync(`devices/${id}/replies`, typeof body === 'string' ? body : JSON.stringify(body), { qos: 1 }) };
}

export const statuses = (command: Command) => command.history.map((h) => h.status);
