// Device shadows: desired state set through the admin API, reported state captured from
// `devices/{id}/shadow/reported`, and the delta between them published retained, so a
// device that connects later still learns what it has to change.
import { deviceTopics } from '@understudy/plugin-fleet';
import type { Broker } from '@understudy/plugin-mqtt';
import type { Clock, PluginEvents } from '@understudy/plugin-sdk';
import type { Logger } from 'pino';
import { CommandErrors } from './errors.js';
import { computeDelta, isState, jsonEqual, mergeState, type State } from './shadow-state.js';

export interface Shadow {
  deviceId: string;
  desired: State;
  reported: State;
  /** Desired keys whose value differs from the reported one; empty = in sync. */
  delta: State;
  inSync: boolean;
  /** Bumped on every change of desired or reported. */
  version: number;
  updatedAt?: number;
}

export interface ShadowCounters {
  shadows: number;
  /** Reported messages that were not a JSON object. */
  malformedReports: number;
  /** Reports from new devices refused because shadows.capacity was reached. */
  refused: number;
}

const empty = (deviceId: string): Shadow => ({ deviceId, desired: {}, reported: {}, delta: {}, inSync: true, version: 0 });

export class Shadows {
  private readonly shadows = new Map<string, Shadow>();
  private malformedReports = 0;
  private refused = 0;

  constructor(
    private readonly capacity: number,
    private readonly broker: Broker,
    private readonly clock: Clock,
    private readonly events: PluginEvents,
    private readonly logger: Logger,
  ) {}

  /** The device's shadow (an empty one at version 0 if nothing was set or reported yet). */
  get(deviceId: string): Shadow {
    return this.shadows.get(deviceId) ?? empty(deviceId);
  }

  list(): Shadow[] {
    return [...this.shadows.values()];
  }

  counters(): ShadowCounters {
    return { shadows: this.shadows.size, malformedReports: this.malformedReports, refused: this.refused };
  }

  /** Merge into the desired state, publish desired and delta (retained). */
  setDesired(deviceId: string, patch: unknown): Shadow {
    if (!isState(patch)) throw new CommandErrors.INVALID('desired state', ['(root): must be a JSON object of desired values, e.g. { "targetTemp": 21 }']);
    const current = this.shadows.get(deviceId);
    if (!current && this.shadows.size >= this.capacity) throw new CommandErrors.SHADOW_LIMIT(this.capacity);
    const next = this.update(current ?? empty(deviceId), mergeState(current?.desired ?? {}, patch), current?.reported ?? {});
    this.publish(deviceTopics.shadow.topic(deviceId, 'desired'), next, next.desired);
    this.changed(next, 'desired', true);
    return next;
  }

  /** A message on `devices/{deviceId}/shadow/reported`: a JSON object of reported values. */
  report(deviceId: string, payload: Buffer): void {
    let patch: unknown;
    try {
      patch = JSON.parse(payload.toString());
    } catch {
      patch = undefined;
    }
    if (!isState(patch)) {
      this.malformedReports++;
      return;
    }
    const current = this.shadows.get(deviceId);
    if (!current && this.shadows.size >= this.capacity) {
      this.refused++;
      return;
    }
    const before = current ?? empty(deviceId);
    const next = this.update(before, before.desired, mergeState(before.reported, patch));
    this.changed(next, 'reported', !jsonEqual(before.delta, next.delta));
  }

  private update(current: Shadow, desired: State, reported: State): Shadow {
    const delta = computeDelta(desired, reported);
    const next: Shadow = { deviceId: current.deviceId, desired, reported, delta, inSync: Object.keys(delta).length === 0, version: current.version + 1, updatedAt: this.clock.now() };
    this.shadows.set(current.deviceId, next);
    return next;
  }

  private changed(shadow: Shadow, part: 'desired' | 'reported', deltaChanged: boolean): void {
    const { deviceId, version, inSync } = shadow;
    this.events.emit('shadow.updated', { deviceId, version, part, inSync });
    if (!deltaChanged) return;
    this.publish(deviceTopics.shadow.topic(deviceId, 'delta'), shadow, shadow.delta);
    this.events.emit('shadow.delta', { deviceId, version, delta: shadow.delta, inSync });
  }

  private publish(topic: string, shadow: Shadow, state: State): void {
    const payload = { state, version: shadow.version, at: shadow.updatedAt };
    this.broker.publish(topic, payload, { qos: 1, retain: true }).catch((err: unknown) => this.logger.warn({ err, topic }, 'publishing a shadow document failed'));
  }
}
