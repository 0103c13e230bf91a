// telemetry.overflow without flooding: the first drop of a buffer kind is reported at once,
// later drops at most once per interval (with the running total).
import type { Clock, PluginEvents } from '@understudy/plugin-sdk';
import type { TelemetryOverflow } from './contract.js';

export type BufferKind = TelemetryOverflow['buffer'];

export class OverflowReporter {
  private readonly lastAt = new Map<BufferKind, number>();

  constructor(
    private readonly clock: Clock,
    private readonly events: PluginEvents,
    private readonly intervalMs: number,
  ) {}

  /** Call after a buffer dropped something; emits when the last report is old enough. */
  dropped(buffer: BufferKind, data: Omit<TelemetryOverflow, 'buffer'>): void {
    const now = this.clock.now();
    const last = this.lastAt.get(buffer);
    if (last !== undefined && now - last < this.intervalMs) return;
    this.lastAt.set(buffer, now);
    this.events.emit('telemetry.overflow', { buffer, ...data });
  }
}
