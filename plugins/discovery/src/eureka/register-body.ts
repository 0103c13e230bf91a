// POST /eureka/apps/:app's `{ instance: {...} }` → a registry registration.
import { invalid } from '../errors.js';
import type { InstanceRegistration, RegisterOptions } from '../contract.js';
import { type EurekaInfo, healthOf, isEurekaStatus } from './shapes.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Eureka ports come as `8080`, `"8080"` or `{ "$": 8080, "@enabled": "true" }`. */
function portOf(value: unknown): number {
  const raw = isObject(value) ? value.$ : value;
  const port = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof port !== 'number' || !Number.isInteger(port)) invalid('instance.port', 'must be an integer or { "$": <port> }');
  return port;
}

export function fromEurekaBody(app: string, raw: unknown, defaultLeaseMs: number) {
  if (!isObject(raw) || !isObject(raw.instance)) invalid('instance', 'missing: send { "instance": { … } }');
  const sent = raw.instance;
  const id = sent.instanceId ?? sent.hostName;
  if (typeof id !== 'string' || id === '') invalid('instance.instanceId', 'missing (or instance.hostName)');
  const address = sent.ipAddr ?? sent.hostName;
  if (typeof address !== 'string') invalid('instance.ipAddr', 'must be a string');
  const status = sent.status ?? 'UP';
  if (!isEurekaStatus(status)) invalid('instance.status', `must be one of UP, DOWN, STARTING, OUT_OF_SERVICE, UNKNOWN`);
  const meta = isObject(sent.metadata)
    ? Object.fromEntries(Object.entries(sent.metadata).filter(([k]) => k !== '@class').map(([k, v]) => [k, String(v)]))
    : {};
  const lease = isObject(sent.leaseInfo) ? Number(sent.leaseInfo.durationInSecs) : NaN;
  const leaseMs = Number.isFinite(lease) && lease > 0 ? lease * 1000 : defaultLeaseMs;
  const registration: InstanceRegistration = {
    id,
    service: app,
    address,
    port: portOf(sent.port),
    meta,
    ttlMs: leaseMs,
    source: 'eureka',
    ...(meta.version !== undefined && { version: meta.version }),
  };
  // a lapsed lease evicts the instance; a DOWN one stays until its lease lapses
  const options: RegisterOptions = { health: healthOf(status), output: status, onTtlExpiry: 'deregister', deregisterCriticalAfterMs: 0 };
  const info: EurekaInfo = { status, instance: sent, leaseMs };
  return { registration, options, info };
}
