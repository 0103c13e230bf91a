// Latencies of the IoT plugins on the real clock, in a process of its own: 1,000 fleet
// devices with real MQTT connections, the commands plugin with devices that answer at once
// (ackDelayMs 0, so the platform is measured, not a configured delay), and one edge node
// that owns every device.
// - command round trip: a command to every device by selector; QUEUED → ACKED and
//   → COMPLETED per command (the issue asks for acknowledgement well under 1 s);
// - edge processing: every device publishes temperature at a steady rate; the node's own
//   latency stats (enqueue → processed; target under 100 ms).
import { createKernel } from '@understudy/kernel';
import commandsPlugin, { type Commands } from '@understudy/plugin-commands';
import edgePlugin, { type Edge } from '@understudy/plugin-edge';
import fleetPlugin, { type Fleet } from '@understudy/plugin-fleet';
import mqtt from '@understudy/plugin-mqtt';
import { waitFor } from '@understudy/plugin-sdk/testing';

export interface IotLatencyResult {
  devices: number;
  commands: number;
  ackP50: number;
  ackP99: number;
  ackMax: number;
  completeP50: number;
  completeP99: number;
  /** One command at a time. */
  singleP50: number;
  singleP99: number;
  singleMax: number;
  edgeOfferedPerSec: number;
  edgeProcessed: number;
  edgeP50: number;
  edgeP99: number;
  edgeMax: number;
}

const DEVICES = 1000;
const kernel = createKernel({
  config: {
    server: { port: 0, host: '127.0.0.1' },
    logLevel: 'warn',
    plugins: {
      mqtt: { port: 0 },
      fleet: { storage: false, devices: [{ type: 'lat', count: DEVICES, idPattern: 'lat-{n:4}' }] },
      commands: { behaviour: { default: { ackDelayMs: 0, completeDelayMs: 0 } } },
      edge: {
        nodes: [
          {
            id: 'bench',
            devices: { idPrefix: 'lat-' },
            pipeline: { windows: [{ kind: 'tumbling', sizeMs: 1000, aggregates: ['mean', 'count'] }], anomaly: { zScore: 4, window: 30 } },
            budget: { queueLength: 100_000, ratePerSecond: 100_000 },
          },
        ],
      },
    },
  },
  plugins: [mqtt, fleetPlugin, commandsPlugin, edgePlugin],
});
await kernel.start();
const fleet = kernel.resolve('fleet') as unknown as Fleet;
const commands = kernel.resolve('commands') as unknown as Commands;
const edge = kernel.resolve('edge') as unknown as Edge;
await waitFor(() => fleet.list().filter((d) => d.state === 'active').length === DEVICES, 'every device online', 30_000);

const percentile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
};

// commands: one to every device, then wait for every one to finish
const sent = commands.send({ target: { selector: { type: 'lat' } }, name: 'ping' });
await waitFor(() => sent.every((c) => commands.get(c.id)!.status === 'COMPLETED'), 'every command completed', 30_000);
const at = (id: string, ...statuses: string[]) => commands.get(id)!.history.find((h) => statuses.includes(h.status))!.at;
// the device's first reply: ACKED, or COMPLETED when it answers both at once
const acked = sent.map((c) => at(c.id, 'ACKED', 'COMPLETED') - at(c.id, 'QUEUED'));
const completed = sent.map((c) => at(c.id, 'COMPLETED') - at(c.id, 'QUEUED'));

// one command at a time, to one device after another: the latency a single command sees
const single: number[] = [];
for (let i = 0; i < 200; i++) {
  const [c] = commands.send({ target: { deviceId: `lat-${String((i % DEVICES) + 1).padStart(4, '0')}` }, name: 'ping' });
  await waitFor(() => commands.get(c!.id)!.status === 'COMPLETED', 'a single command completed');
  single.push(at(c!.id, 'ACKED', 'COMPLETED') - at(c!.id, 'QUEUED'));
}

// edge: every device publishes 5 readings a second for 5 s (5,000 messages/s)
const ids = fleet.list().map((d) => d.id);
let seq = 0;
const tick = setInterval(() => {
  seq++;
  for (const id of ids) void fleet.agent(id)!.publish(`devices/${id}/telemetry/temperature`, { deviceId: id, sensor: 'temperature', ts: Date.now(), value: 21 + (seq % 7) / 10, unit: '°C', seq }).catch(() => {});
}, 200);
await new Promise((r) => setTimeout(r, 5000));
clearInterval(tick);
await new Promise((r) => setTimeout(r, 500));
const node = edge.get('bench')!;

const result: IotLatencyResult = {
  devices: DEVICES,
  commands: sent.length,
  ackP50: percentile(acked, 0.5),
  ackP99: percentile(acked, 0.99),
  ackMax: Math.max(...acked),
  completeP50: percentile(completed, 0.5),
  completeP99: percentile(completed, 0.99),
  singleP50: percentile(single, 0.5),
  singleP99: percentile(single, 0.99),
  singleMax: Math.max(...single),
  edgeOfferedPerSec: (DEVICES * 1000) / 200,
  edgeProcessed: node.latency.count,
  edgeP50: node.latency.p50,
  edgeP99: node.latency.p99,
  edgeMax: node.latency.max,
};
process.send!(result);
await kernel.stop();
process.exit(0);
