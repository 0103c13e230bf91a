// Local decisions: rules watch readings, window aggregates or anomalies of a node and
// fire a command. A rule fires at most once per cooldown — per rule, and per device when
// its command goes back to the device that caused it (`source`).
import type { AggregateName, CompareOp, RuleSpec, RuleTarget } from './contract.js';
import type { WindowResult } from './windows.js';

export type Trigger = 'reading' | 'aggregate' | 'anomaly';

export interface Firing {
  rule: RuleSpec;
  trigger: Trigger;
  sensor: string;
  value: number;
  /** Devices behind the trigger (the commands' targets when the rule's target is `source`). */
  deviceIds: string[];
  target: RuleTarget;
}

export const DEFAULT_COOLDOWN_MS = 5000;

export function compare(value: number, op: CompareOp, limit: number): boolean {
  switch (op) {
    case '>':
      return value > limit;
    case '<':
      return value < limit;
    case '>=':
      return value >= limit;
    case '<=':
      return value <= limit;
    case '==':
      return value === limit;
  }
}

/** The value of `aggregate` in a window, and which devices produced it. */
function pick(result: WindowResult, aggregate: AggregateName): { value: number; deviceIds: string[] } {
  switch (aggregate) {
    case 'min':
      return { value: result.min, deviceIds: [result.minDevice] };
    case 'max':
      return { value: result.max, deviceIds: [result.maxDevice] };
    case 'mean':
      return { value: result.mean, deviceIds: [...result.devices] };
    case 'count':
      return { value: result.count, deviceIds: [...result.devices] };
  }
}

export class RuleEngine {
  /** When each rule (or rule + device) may fire again; pruned so it stays bounded. */
  private readonly quietUntil = new Map<string, number>();

  constructor(
    private readonly rules: RuleSpec[],
    private readonly maxKeys = 10_000,
  ) {}

  onReading(deviceId: string, sensor: string, value: number, now: number): Firing[] {
    return this.fire(now, (rule) =>
      'op' in rule.when && rule.when.aggregate === undefined && rule.when.sensor === sensor && compare(value, rule.when.op, rule.when.value)
        ? { trigger: 'reading', sensor, value, deviceIds: [deviceId] }
        : undefined,
    );
  }

  onAggregate(sensor: string, result: WindowResult, aggregates: AggregateName[], now: number): Firing[] {
    return this.fire(now, (rule) => {
      const when = rule.when;
      if (!('op' in when) || when.aggregate === undefined || when.sensor !== sensor || !aggregates.includes(when.aggregate)) return undefined;
      const { value, deviceIds } = pick(result, when.aggregate);
      return compare(value, when.op, when.value) ? { trigger: 'aggregate', sensor, value, deviceIds } : undefined;
    });
  }

  onAnomaly(deviceId: string, sensor: string, value: number, now: number): Firing[] {
    return this.fire(now, (rule) =>
      'anomaly' in rule.when && (rule.when.sensor === undefined || rule.when.sensor === sensor)
        ? { trigger: 'anomaly', sensor, value, deviceIds: [deviceId] }
        : undefined,
    );
  }

  private fire(now: number, match: (rule: RuleSpec) => Omit<Firing, 'rule' | 'target'> | undefined): Firing[] {
    const out: Firing[] = [];
    for (const rule of this.rules) {
      const hit = match(rule);
      if (!hit) continue;
      const target = rule.command.target ?? 'source';
      // a single-device source shares its cooldown with nobody else
      const key = target === 'source' && hit.deviceIds.length === 1 ? `${rule.name}\u0000${hit.deviceIds[0]}` : rule.name;
      if ((this.quietUntil.get(key) ?? -Infinity) > now) continue;
      this.remember(key, now + (rule.cooldownMs ?? DEFAULT_COOLDOWN_MS), now);
      out.push({ rule, target, ...hit });
    }
    return out;
  }

  private remember(key: string, until: number, now: number): void {
    if (this.quietUntil.size >= this.maxKeys && !this.quietUntil.has(key)) {
      for (const [k, t] of this.quietUntil) if (t <= now) this.quietUntil.delete(k);
      // every key still cooling down: forget the oldest entry (a firing may come early)
      if (this.quietUntil.size >= this.maxKeys) this.quietUntil.delete(this.quietUntil.keys().next().value!);
    }
    this.quietUntil.delete(key);
    this.quietUntil.set(key, until);
  }
}
