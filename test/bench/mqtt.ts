// MQTT benchmarks (part of `npm run bench`). Brokers run in processes of their own
// (child-target.ts), the load generator in another:
// - deliveries per second through the broker at QoS 0 and QoS 1, many publishers and
//   subscribers, Understudy's mqtt plugin against bare aedes measured in the same run;
// - a fleet of simulated devices, each with its own MQTT connection (fleet-child.ts), all
//   in one process, against the broker in another.
import { fileURLToPath } from 'node:url';
import { startInChild } from './lib/child-target.js';
import { inChild } from './lib/in-child.js';
import type { FleetBenchResult } from './lib/fleet-child.js';
import type { IotLatencyResult } from './lib/iot-latency-child.js';
import type { MqttLoadOptions, MqttLoadResult } from './lib/mqtt-load-child.js';
import { say } from './lib/rounds.js';

/** The targets (users ask for 10,000 messages/s and 1,000 devices). */
const QOS0_TARGET = 50_000;
const DEVICES_TARGET = 10_000;

const LOAD = fileURLToPath(new URL('./lib/mqtt-load-child.ts', import.meta.url));
const FLEET = fileURLToPath(new URL('./lib/fleet-child.ts', import.meta.url));
const LATENCY = fileURLToPath(new URL('./lib/iot-latency-child.ts', import.meta.url));

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

const load = (options: MqttLoadOptions) => inChild<MqttLoadResult>(LOAD, { send: options });

export async function benchBrokerThroughput(rounds = Number(process.env.MQTT_BENCH_ROUNDS ?? 2)) {
  const brokers = [await startInChild('bare aedes'), await startInChild('understudy mqtt')];
  const shape = { publishers: 10, subscribers: 4, durationMs: 5000, warmupMs: 1000, window: 200, payloadBytes: 64 };
  const rows: { qos: 0 | 1; broker: string; result: MqttLoadResult }[] = [];
  try {
    for (const qos of [0, 1] as const) {
      for (let round = 0; round < rounds; round++) {
        for (const broker of brokers) {
          const result = await load({ url: broker.url, qos, ...shape });
          rows.push({ qos, broker: broker.name, result });
          say(`  QoS ${qos} round ${round + 1} ${broker.name}: ${fmt(result.deliveredPerSec)} deliveries/s`);
        }
      }
    }
  } finally {
    for (const b of brokers) await b.close();
  }
  const best = (qos: 0 | 1, broker: string) =>
    rows.filter((r) => r.qos === qos && r.broker === broker).reduce((a, b) => (b.result.deliveredPerSec > a.result.deliveredPerSec ? b : a));
  say('');
  say(`${shape.publishers} publishers → ${shape.subscribers} subscribers of bench/# (${shape.payloadBytes}-byte payloads), best of ${rounds} rounds of ${shape.durationMs / 1000} s:`);
  say('');
  say('| QoS | broker | deliveries/s | publishes/s | p50 ms | p99 ms | ratio vs bare aedes |');
  say('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
  const out: Record<string, number> = {};
  for (const qos of [0, 1] as const) {
    const base = best(qos, 'bare aedes').result;
    for (const name of ['bare aedes', 'understudy mqtt']) {
      const r = best(qos, name).result;
      out[`${name} qos${qos}`] = r.deliveredPerSec;
      say(`| ${qos} | ${name} | ${fmt(r.deliveredPerSec)} | ${fmt(r.publishedPerSec)} | ${fmt(r.p50Ms, 2)} | ${fmt(r.p99Ms, 2)} | ${fmt(r.deliveredPerSec / base.deliveredPerSec, 2)}× |`);
    }
  }
  const qos0 = best(0, 'understudy mqtt').result.deliveredPerSec;
  say(`QoS 0 through Understudy: ${fmt(qos0)} messages/s — target ${fmt(QOS0_TARGET)} ${qos0 >= QOS0_TARGET ? 'met' : 'NOT met'}`);
  return out;
}

export async function benchFleet(devices = Number(process.env.FLEET_BENCH_DEVICES ?? DEVICES_TARGET)) {
  const broker = await startInChild('understudy mqtt');
  let result: FleetBenchResult;
  try {
    result = await inChild<FleetBenchResult>(FLEET, { args: [broker.url, String(devices), '5'], execArgv: ['--expose-gc'] });
  } finally {
    await broker.close();
  }
  say('');
  say(`A fleet of ${fmt(devices)} devices, each with its own MQTT connection, in one process (broker in another):`);
  say('');
  say('| devices connected | connect time s | connects/s | telemetry msgs/s (QoS 1) | CPU µs/s per device idle | CPU µs/s per device publishing | RSS per device KiB | heap per device KiB |');
  say('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  say(
    `| ${fmt(result.connected)} | ${fmt(result.connectMs / 1000, 2)} | ${fmt(result.connectsPerSecond)} | ${fmt(result.messagesPerSecond)} | ${fmt(result.idleCpuUsPerDevicePerSec, 1)} | ${fmt(result.busyCpuUsPerDevicePerSec, 1)} | ${fmt(result.rssBytesPerDevice / 1024, 1)} | ${fmt(result.heapBytesPerDevice / 1024, 1)} |`,
  );
  say(`connected devices in one process: ${fmt(result.connected)} — target ${fmt(DEVICES_TARGET)} ${result.connected >= DEVICES_TARGET ? 'met' : 'NOT met'}`);
  return result;
}

export async function benchIotLatency() {
  const r = await inChild<IotLatencyResult>(LATENCY);
  say('');
  say(`Latency on the real clock, ${fmt(r.devices)} devices with real connections (kernel-clock ms, 1 ms resolution):`);
  say('');
  say('| what | samples | p50 ms | p99 ms | max ms | target |');
  say('| --- | ---: | ---: | ---: | ---: | --- |');
  say(`| one command at a time: QUEUED → ACKED (device answers at once) | 200 | ${r.singleP50} | ${r.singleP99} | ${r.singleMax} | well under 1,000 ms — ${r.singleP99 < 1000 ? 'met' : 'NOT met'} |`);
  say(`| ${fmt(r.commands)} commands at once (one per device): QUEUED → ACKED | ${fmt(r.commands)} | ${r.ackP50} | ${r.ackP99} | ${r.ackMax} | |`);
  say(`| ${fmt(r.commands)} commands at once: QUEUED → COMPLETED | ${fmt(r.commands)} | ${r.completeP50} | ${r.completeP99} | — | |`);
  say(`| edge processing at ${fmt(r.edgeOfferedPerSec)} readings/s (enqueue → processed) | ${fmt(r.edgeProcessed)} | ${r.edgeP50} | ${r.edgeP99} | ${r.edgeMax} | under 100 ms — ${r.edgeP99 < 100 ? 'met' : 'NOT met'} |`);
  return r;
}

async function main() {
  await benchBrokerThroughput();
  await benchFleet();
  await benchIotLatency();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    process.stderr.write(`mqtt bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  });
}
