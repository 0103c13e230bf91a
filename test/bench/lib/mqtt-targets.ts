// MQTT brokers under test: bare aedes on a TCP server (the baseline) and Understudy's
// mqtt plugin in a kernel, configured as a user would (defaults; port 0).
import { createServer } from 'node:net';
import { Aedes } from 'aedes';
import { createKernel } from '@understudy/kernel';
import mqtt from '@understudy/plugin-mqtt';
import type { Target } from './targets.js';

export async function startBareAedes(): Promise<Target> {
  const aedes = await Aedes.createBroker();
  const server = createServer(aedes.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    name: 'bare aedes',
    url: `mqtt://127.0.0.1:${port}`,
    close: async () => {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function startUnderstudyMqtt(): Promise<Target> {
  const kernel = createKernel({
    config: { server: { port: 0, host: '127.0.0.1' }, logLevel: 'warn', plugins: { mqtt: { port: 0 } } },
    plugins: [mqtt],
  });
  await kernel.start();
  return { name: 'understudy mqtt', url: kernel.resolve('broker').url, close: () => kernel.stop() };
}
