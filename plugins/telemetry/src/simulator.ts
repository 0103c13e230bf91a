// The live simulation: every fleet device whose type carries sensors gets one stream per
// sensor; streams with the same interval share one timer on the kernel clock (a simulated
// day of a large fleet is a few thousand timer firings, not one per device and sensor).
// Readings go out through the device's own agent while it is online, else into its
// bounded offline buffer, flushed when it reconnects.
import { RingBuffer, type Clock, type Random } from '@understudy/plugin-sdk';
import type { Device, DeviceChange, Fleet } from '@understudy/plugin-fleet';
import type { OverflowReporter } from './overflow.js';
import { payloadOf, SensorStream, type StreamSpec } from './stream.js';
import type { Reading } from './contract.js';

interface Outgoing {
  topic: string;
  reading: Reading;
}

interface DeviceRun {
  id: string;
  entries: Entry[];
  offline: RingBuffer<Outgoing>;
}

interface Entry {
  run: DeviceRun;
  stream: SensorStream;
}

interface Group {
  timer: ReturnType<Clock['setInterval']>;
  entries: Set<Entry>;
}

export interface SimulatorOptions {
  fleet: Fleet;
  clock: Clock;
  random: Random;
  specsByType: Map<string, StreamSpec[]>;
  qos: 0 | 1 | 2;
  offlineCapacity: number;
  overflow: OverflowReporter;
  /** Every generated reading, once. */
  onReading(reading: Reading): void;
  /** Every message the broker accepted (a duplicate twice). */
  onPublished(reading: Reading): void;
  onOfflineDropped(deviceId: string): void;
}

export class Simulator {
  private readonly runs = new Map<string, DeviceRun>();
  private readonly groups = new Map<number, Group>();
  /** `${deviceId}/${sensor}` of every stream ever simulated: capture skips their messages. */
  private readonly simulated = new Set<string>();
  private unwatch?: () => void;

  constructor(private readonly o: SimulatorOptions) {}

  start(): void {
    for (const device of this.o.fleet.list()) this.add(device);
    this.unwatch = this.o.fleet.watch((change) => this.onChange(change));
  }

  stop(): void {
    this.unwatch?.();
    for (const id of [...this.runs.keys()]) this.remove(id);
  }

  get devices(): number {
    return this.runs.size;
  }

  get streams(): number {
    let n = 0;
    for (const run of this.runs.values()) n += run.entries.length;
    return n;
  }

  /** Messages waiting in offline buffers. */
  get offlineBuffered(): number {
    let n = 0;
    for (const run of this.runs.values()) n += run.offline.length;
    return n;
  }

  isSimulated(deviceId: string, sensor: string): boolean {
    return this.simulated.has(`${deviceId}/${sensor}`);
  }

  private onChange(change: DeviceChange): void {
    if (change.kind === 'provisioned' || change.kind === 'updated') this.add(change.device);
    else if (change.kind === 'decommissioned') this.remove(change.device.id);
    else if (change.kind === 'connected') this.flush(change.device.id);
  }

  private add(device: Device): void {
    const specs = this.o.specsByType.get(device.type);
    if (!specs || this.runs.has(device.id) || device.state === 'decommissioned' || device.connection === 'external') return;
    const run: DeviceRun = { id: device.id, entries: [], offline: new RingBuffer(this.o.offlineCapacity) };
    for (const spec of specs) {
      const entry = { run, stream: new SensorStream(device.id, spec, this.o.random.fork(`${device.id}/${spec.sensor}`), device.type) };
      run.entries.push(entry);
      this.simulated.add(`${device.id}/${spec.sensor}`);
      this.group(spec.intervalMs).entries.add(entry);
    }
    this.runs.set(device.id, run);
  }

  private remove(id: string): void {
    const run = this.runs.get(id);
    if (!run) return;
    this.runs.delete(id);
    for (const entry of run.entries) {
      const ms = entry.stream.spec.intervalMs;
      const group = this.groups.get(ms)!;
      group.entries.delete(entry);
      if (group.entries.size === 0) {
        this.o.clock.clearInterval(group.timer);
        this.groups.delete(ms);
      }
    }
  }

  private group(intervalMs: number): Group {
    let group = this.groups.get(intervalMs);
    if (!group) {
      const entries: Group['entries'] = new Set();
      group = { entries, timer: this.o.clock.setInterval(() => this.tick(entries), intervalMs) };
      this.groups.set(intervalMs, group);
    }
    return group;
  }

  private tick(entries: Group['entries']): void {
    const t = this.o.clock.now();
    for (const { run, stream } of entries) {
      const step = stream.next(t);
      this.o.onReading(step.reading);
      for (const reading of step.send) this.send(run, { topic: stream.topic, reading });
    }
  }

  private send(run: DeviceRun, out: Outgoing): void {
    const agent = this.o.fleet.agent(run.id);
    if (!agent?.online) return this.buffer(run, out);
    // back online but the reconnect went unnoticed (or raced): older messages go first
    if (run.offline.length) this.flush(run.id);
    agent.publish(out.topic, payloadOf(out.reading), { qos: this.o.qos }).then(
      () => this.o.onPublished(out.reading),
      // went offline between the check and the write: keep it for the reconnect
      () => this.buffer(run, out),
    );
  }

  private buffer(run: DeviceRun, out: Outgoing): void {
    const before = run.offline.dropped;
    run.offline.push(out);
    if (run.offline.dropped > before) {
      this.o.onOfflineDropped(run.id);
      this.o.overflow.dropped('offline', { deviceId: run.id, dropped: run.offline.dropped, capacity: run.offline.capacity });
    }
  }

  /** Publish what an offline device kept, oldest first (on reconnect). */
  private flush(id: string): void {
    const run = this.runs.get(id);
    if (!run || run.offline.length === 0) return;
    const pending = run.offline.toArray();
    run.offline.clear();
    for (const out of pending) this.send(run, out);
  }
}
