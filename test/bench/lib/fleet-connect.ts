// The connect measurement of the fleet benchmark (fleet-child.ts, run by mqtt.ts):
// provision N devices and time how long they take to connect. Real time (performance.now)
// on purpose — this measures sockets, not the model.
import type { ConnectionMode, FleetService } from '@understudy/plugin-fleet';

export interface ConnectMeasurement {
  devices: number;
  connected: number;
  failed: number;
  provisionMs: number;
  /** From the first connect to the last settled one. */
  connectMs: number;
  connectsPerSecond: number;
}

/**
 * Provision `count` devices of `type` and connect them all, `connectConcurrency` at a
 * time. Run it with `autoConnect: false` so the measured connects are the only ones.
 */
export async function measureConnect(
  fleet: FleetService,
  options: { count: number; type?: string; connection?: ConnectionMode; idPattern?: string },
): Promise<ConnectMeasurement> {
  const t0 = performance.now();
  const devices = await fleet.provision([
    { type: options.type ?? 'bench', count: options.count, connection: options.connection ?? 'mqtt', ...(options.idPattern && { idPattern: options.idPattern }) },
  ]);
  const t1 = performance.now();
  const results = await Promise.allSettled(devices.map((d) => fleet.connect(d.id)));
  const t2 = performance.now();
  const failed = results.filter((r) => r.status === 'rejected').length;
  const connectMs = t2 - t1;
  return {
    devices: devices.length,
    connected: devices.length - failed,
    failed,
    provisionMs: t1 - t0,
    connectMs,
    connectsPerSecond: connectMs > 0 ? ((devices.length - failed) * 1000) / connectMs : 0,
  };
}
