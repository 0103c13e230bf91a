// MQTT load generator, in a process of its own: `publishers` clients publish as fast as a
// window of unacknowledged messages allows, `subscribers` clients each subscribe to every
// topic, for `durationMs` after a warm-up. Reports deliveries per second (what a broker's
// throughput is) and publish → delivery latency (same process, same clock).
import mqtt, { type MqttClient } from 'mqtt';

export interface MqttLoadOptions {
  url: string;
  qos: 0 | 1;
  publishers: number;
  subscribers: number;
  durationMs: number;
  warmupMs: number;
  /** Unacknowledged publishes per publisher (written, for QoS 0; PUBACKed, for QoS 1). */
  window: number;
  payloadBytes: number;
}

export interface MqttLoadResult {
  published: number;
  delivered: number;
  deliveredPerSec: number;
  publishedPerSec: number;
  p50Ms: number;
  p99Ms: number;
}

const connect = (url: string, clientId: string) => mqtt.connectAsync(url, { clientId, reconnectPeriod: 0, clean: true });

async function run(o: MqttLoadOptions): Promise<MqttLoadResult> {
  const subs: MqttClient[] = [];
  let measuring = false;
  let delivered = 0;
  let received = 0;
  const latencies: number[] = [];
  for (let i = 0; i < o.subscribers; i++) {
    const c = await connect(o.url, `bench-sub-${i}`);
    c.on('message', (_topic, payload) => {
      received++;
      if (!measuring) return;
      delivered++;
      if ((delivered & 63) === 0) latencies.push(performance.now() - payload.readDoubleLE(0));
    });
    await c.subscribeAsync('bench/#', { qos: o.qos });
    subs.push(c);
  }
  const pubs: MqttClient[] = [];
  for (let i = 0; i < o.publishers; i++) pubs.push(await connect(o.url, `bench-pub-${i}`));

  let published = 0;
  let stopped = false;
  const loops = pubs.map(
    (client, i) =>
      new Promise<void>((resolve) => {
        const topic = `bench/${i}`;
        let inFlight = 0;
        const pump = () => {
          while (!stopped && inFlight < o.window) {
            const payload = Buffer.alloc(o.payloadBytes);
            payload.writeDoubleLE(performance.now(), 0);
            inFlight++;
            client.publish(topic, payload, { qos: o.qos }, () => {
              inFlight--;
              if (measuring) published++;
              if (stopped) {
                if (inFlight === 0) resolve();
              } else if (inFlight < o.window / 2) setImmediate(pump);
            });
          }
        };
        pump();
      }),
  );
  await new Promise((r) => setTimeout(r, o.warmupMs));
  measuring = true;
  const started = performance.now();
  await new Promise((r) => setTimeout(r, o.durationMs));
  measuring = false;
  const seconds = (performance.now() - started) / 1000;
  stopped = true;
  await Promise.race([Promise.all(loops), new Promise((r) => setTimeout(r, 2000))]);
  // let the broker drain its backlog before anyone leaves (bare aedes overflows its stack
  // when subscribers disconnect with a large backlog queued)
  for (let last = -1; last !== received; ) {
    last = received;
    await new Promise((r) => setTimeout(r, 300));
  }
  await Promise.all([...subs, ...pubs].map((c) => c.endAsync()));
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { published, delivered, deliveredPerSec: delivered / seconds, publishedPerSec: published / seconds, p50Ms: at(0.5), p99Ms: at(0.99) };
}

process.once('message', async (options: MqttLoadOptions) => {
  process.send!(await run(options));
  process.exit(0);
});
