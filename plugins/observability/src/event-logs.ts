// Events of the kernel event bus as log records: the event type, its source, its data, and
// the correlation ids lifted to the top (service, instance, incidentId, rolloutId, traceId,
// node), with a level and a one-line message per kind of event. Events are state changes
// (rare next to exchanges), so building and measuring the record here is cheap enough.
import type { UnderstudyEvent } from '@understudy/plugin-sdk';
import type { LogRecord } from './contract.js';
import { LEVEL_VALUES } from './levels.js';

const { info, warn, error } = LEVEL_VALUES;

/** Events that are bad news whatever their data. */
const WARN_TYPES = new Set([
  'breaker.opened',
  'breaker.forcedOpen',
  'breaker.flapping',
  'breaker.instanceEjected',
  'cluster.nodeFailed',
  'cluster.nodePressure',
  'cluster.unschedulable',
  'health.incidentOpened',
  'chaos.injected',
  'chaos.stepActivated',
  'mesh.loopDetected',
  'tracing.exportFailed',
  'stubs.unmatched',
  'service.deregistered',
]);
const FAILED_STATES = new Set(['Failed', 'OOMKilled', 'CrashLoopBackOff']);

type Data = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function eventLevel(type: string, data: Data): number {
  if (type === 'cluster.instanceChanged') return FAILED_STATES.has(String(data.to)) ? error : data.to === 'NotReady' ? warn : info;
  if (type === 'health.statusChanged') return data.to === 'unhealthy' ? error : data.to === 'degraded' ? warn : info;
  if (type === 'health.probeChanged') return data.ok === false ? warn : info;
  if (type === 'service.healthChanged') return data.status === 'critical' || data.to === 'critical' ? warn : info;
  return WARN_TYPES.has(type) ? warn : info;
}

/** A one-line message: what happened, to what, and why when the event says. */
export function eventMessage(type: string, data: Data): string {
  const why = str(data.reason) ?? str(data.message);
  const suffix = why ? ` (${why})` : '';
  switch (type) {
    case 'cluster.instanceChanged':
      return `instance ${str(data.id)} of ${str(data.service)}: ${str(data.from)} → ${str(data.to)}${suffix}`;
    case 'health.statusChanged':
      return `service ${str(data.service)}: ${str(data.from)} → ${str(data.to)}${Array.isArray(data.reasons) && data.reasons.length ? ` (${data.reasons.join('; ')})` : ''}`;
    case 'health.incidentOpened':
      return `incident ${str(data.incidentId)} opened: ${str(data.kind)} in ${Array.isArray(data.services) ? data.services.join(', ') : '?'}`;
    case 'health.incidentResolved':
      return `incident ${str(data.incidentId)} resolved${typeof data.ttrMs === 'number' ? ` after ${data.ttrMs} ms` : ''}`;
    case 'health.action':
      return `${str(data.action)} ${str(data.target)}: ${str(data.message)}`;
    case 'health.probeChanged':
      return `${str(data.probe)} probe of ${str(data.instance)} ${data.ok ? 'passing' : 'failing'}${suffix}`;
    default: {
      const subject = str(data.key) ?? str(data.service) ?? str(data.workload) ?? str(data.node) ?? str(data.id) ?? str(data.instance);
      return `${type}${subject ? ` ${subject}` : ''}${suffix}`;
    }
  }
}

/** The event as a pino-shaped record. */
export function eventRecord(e: UnderstudyEvent): LogRecord {
  const data = (e.data ?? {}) as Data;
  const r: LogRecord = { level: eventLevel(e.type, data), time: e.at, msg: eventMessage(e.type, data), kind: 'event', event: e.type, source: e.source };
  const service = str(data.service) ?? (Array.isArray(data.services) && typeof data.services[0] === 'string' ? data.services[0] : undefined);
  if (service !== undefined) r.service = service;
  const instance = str(data.instance) ?? (e.type.startsWith('cluster.instance') ? str(data.id) : undefined);
  if (instance !== undefined) r.instance = instance;
  for (const key of ['incidentId', 'rolloutId', 'traceId', 'spanId', 'node'] as const) {
    const v = str(data[key]);
    if (v !== undefined) r[key] = v;
  }
  r.data = data;
  return r;
}
