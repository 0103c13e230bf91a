// The device side of the fleet benchmark, in a process of its own: an Understudy kernel
// with the fleet plugin whose devices connect to the broker given on the command line
// (another process: 10,000 connections on each side would not fit in one process's file
// limit). Provisions and connects N devices, then every device publishes telemetry at
// QoS 1 for a while; reports connect time, messages/s, CPU and memory per device.
import { createKernel } from '@understudy/kernel';
import fleetPlugin, { deviceTopics, type FleetService } from '@understudy/plugin-fleet';
import mqtt from '@understudy/plugin-mqtt';
import { measureConnect } from './fleet-connect.js';

export interface FleetBenchResult {
  devices: number;
  connected: number;
  connectMs: number;
  connectsPerSecond: number;
  messagesPerSecond: number;
  messages: number;
  /** Process CPU (user + system) per device: while idle (keepalives only), and while publishing. */
  idleCpuUsPerDevicePerSec: number;
  busyCpuUsPerDevicePerSec: number;
  rssBytesPerDevice: number;
  heapBytesPerDevice: number;
}

const [brokerUrl, countArg, publishSecondsArg] = process.argv.slice(2);
const count = Number(countArg);
const publishSeconds = Number(publishSecondsArg ?? 5);

const kernel = createKernel({
  config: {
    server: { port: 0, host: '127.0.0.1' },
    logLevel: 'warn',
    plugins: {
      mqtt: { port: 0 },
      fleet: { storage: false, autoConnect: false, brokerUrl, connectConcurrency: 500, keepaliveSeconds: 60 },
    },
  },
  plugins: [mqtt, fleetPlugin],
});
await kernel.start();
const fleet = kernel.resolve('fleet') as FleetService;

global.gc?.();
const before = process.memoryUsage();
const connect = await measureConnect(fleet, { count, type: 'sensor', idPattern: 'bench-{n:5}' });
global.gc?.();
const after = process.memoryUsage();

const cpuFor = async (ms: number, work?: () => Promise<number>) => {
  const start = process.cpuUsage();
  const t0 = performance.now();
  const done = work ? await work() : await new Promise<number>((r) => setTimeout(() => r(0), ms));
  const used = process.cpuUsage(start);
  const seconds = (performance.now() - t0) / 1000;
  return { cpuUs: used.user + used.system, seconds, done };
};

const idle = await cpuFor(3000);

// every device publishes one reading per round, all rounds back to back, for publishSeconds
const ids = fleet.list().map((d) => d.id);
const busy = await cpuFor(0, async () => {
  let sent = 0;
  const deadline = performance.now() + publishSeconds * 1000;
  for (let round = 1; performance.now() < deadline; round++) {
    await Promise.all(
      ids.map((id) =>
        fleet
          .agent(id)!
          .publish(deviceTopics.telemetry.topic(id, 'temperature'), { deviceId: id, sensor: 'temperature', ts: Date.now(), value: 21, unit: '°C', seq: round }, { qos: 1 })
          .then(() => void sent++),
      ),
    );
  }
  return sent;
});

const result: FleetBenchResult = {
  devices: count,
  connected: connect.connected,
  connectMs: connect.connectMs,
  connectsPerSecond: connect.connectsPerSecond,
  messages: busy.done,
  messagesPerSecond: busy.done / busy.seconds,
  idleCpuUsPerDevicePerSec: idle.cpuUs / idle.seconds / count,
  busyCpuUsPerDevicePerSec: busy.cpuUs / busy.seconds / count,
  rssBytesPerDevice: (after.rss - before.rss) / count,
  heapBytesPerDevice: (after.heapUsed - before.heapUsed) / count,
};
process.send!(result);
await kernel.stop();
process.exit(0);
