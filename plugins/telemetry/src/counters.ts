// Counters behind GET /stats: totals and per sensor.
import type { Reading, SensorCounts } from './contract.js';

export class Counters {
  generated = 0;
  published = 0;
  captured = 0;
  captureRejected = 0;
  offlineDropped = 0;
  readonly bySensor: Record<string, SensorCounts> = {};

  private of(sensor: string): SensorCounts {
    return (this.bySensor[sensor] ??= { generated: 0, published: 0, captured: 0, anomalies: {} });
  }

  onGenerated(r: Reading): void {
    this.generated++;
    const c = this.of(r.sensor);
    c.generated++;
    if (r.anomaly) c.anomalies[r.anomaly] = (c.anomalies[r.anomaly] ?? 0) + 1;
  }

  onPublished(r: Reading): void {
    this.published++;
    this.of(r.sensor).published++;
  }

  onCaptured(r: Reading): void {
    this.captured++;
    this.of(r.sensor).captured++;
  }

  /** Sensor names seen so far (models and captured ones). */
  sensorsSeen(): string[] {
    return Object.keys(this.bySensor);
  }
}
