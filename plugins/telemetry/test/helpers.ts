import { createTestKernel, fetchJson, type TestKernel } from '@understudy/plugin-sdk/testing';
import mqttPlugin from '@understudy/plugin-mqtt';
import telemetry from '../src/index.js';
import type { Telemetry } from '../src/contract.js';
import { fakeFleet } from './fake-fleet.js';

export const THERMOSTAT = [
  { sensor: 'temperature' },
  { sensor: 'humidity' },
];

export type Kernel = TestKernel & { fake: ReturnType<typeof fakeFleet>; telemetry: Telemetry };

/** mqtt + the stand-in fleet (in-process devices) + telemetry. */
export async function start(telemetryConfig: Record<string, unknown>, devices: unknown[], seed?: number): Promise<Kernel> {
  const fake = fakeFleet();
  const k = await createTestKernel({
    plugins: [mqttPlugin, fake.plugin, telemetry],
    config: { mqtt: { port: 0 }, fleet: { devices }, telemetry: telemetryConfig },
    seed,
  });
  return Object.assign(k, { fake, telemetry: k.resolve('telemetry') });
}

export const admin = (k: TestKernel, path: string, init?: Parameters<typeof fetchJson>[1]) => fetchJson(`${k.baseUrl}/__admin/telemetry${path}`, init);
