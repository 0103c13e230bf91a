import * as assert from 'uvu/assert';
import mqttClient, { type IClientOptions, type MqttClient } from 'mqtt';
import { createTestKernel, fetchJson, waitFor, type JsonReply, type TestKernel } from '@understudy/plugin-sdk/testing';
import mqtt from '@understudy/plugin-mqtt';
import fleet, { type FleetService } from '../src/index.js';

export interface FleetKit {
  k: TestKernel;
  fleet: FleetService;
  /** A real MQTT client of the test (not a device); closed by stop(). */
  client(options?: IClientOptions): Promise<MqttClient>;
  /** fetch a path of /__admin/fleet; JSON in and out. */
  call(path: string, init?: Parameters<typeof fetchJson>[1]): Promise<JsonReply>;
  stop(): Promise<void>;
}

export async function startFleet(
  config: Record<string, unknown> = {},
  options: { mqtt?: Record<string, unknown>; cwd?: string; seed?: number; kernel?: Parameters<typeof createTestKernel>[0]['kernel'] } = {},
): Promise<FleetKit> {
  const k = await createTestKernel({
    plugins: [mqtt, fleet],
    config: { mqtt: { port: 0, ...options.mqtt }, fleet: { storage: false, ...config } },
    ...(options.cwd && { cwd: options.cwd }),
    ...(options.seed !== undefined && { seed: options.seed }),
    ...(options.kernel && { kernel: options.kernel }),
  });
  const clients: MqttClient[] = [];
  return {
    k,
    fleet: k.resolve('fleet') as FleetService,
    async client(opts = {}) {
      const client = await mqttClient.connectAsync(k.resolve('broker').url, { reconnectPeriod: 0, ...opts });
      clients.push(client);
      return client;
    },
    call: (path, init) => fetchJson(`${k.baseUrl}/__admin/fleet${path}`, init),
    async stop() {
      await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
      await k.stop();
    },
  };
}

export interface StatusMessage {
  id: string;
  state: 'online' | 'offline';
  expected: boolean;
  at?: number;
  retain: boolean;
}

/** Collect devices/+/status messages a client receives. */
export async function statusWatcher(client: MqttClient) {
  const got: StatusMessage[] = [];
  client.on('message', (topic, payload, packet) => {
    const m = /^devices\/([^/]+)\/status$/.exec(topic);
    if (m) got.push({ id: m[1], ...JSON.parse(payload.toString()), retain: packet.retain });
  });
  await client.subscribeAsync('devices/+/status', { qos: 1 });
  return {
    got,
    of: (id: string) => got.filter((s) => s.id === id),
    until: (check: (got: StatusMessage[]) => boolean, what: string) => waitFor(() => check(got), what),
  };
}

/** Wait until a job is no longer running; returns its last view. */
export async function jobDone(kit: FleetKit, id: string): Promise<any> {
  let last: any;
  await waitFor(async () => {
    last = (await kit.call(`/jobs/${id}`)).body;
    return last.state !== 'running';
  }, `job ${id} to finish`, 20_000);
  return last;
}

/** `fn` throws an error with this code (and a message matching `message`). */
export function throwsCode(fn: () => unknown, code: string, message?: RegExp): void {
  try {
    fn();
  } catch (err) {
    assert.is((err as { code?: string }).code, code);
    if (message) assert.match((err as Error).message, message);
    return;
  }
  assert.unreachable(`expected ${code}`);
}
