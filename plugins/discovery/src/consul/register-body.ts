// PUT /v1/agent/service/register's JSON → a registry registration. Consul decodes keys
// case-insensitively, so do we.
import { parseDuration } from '../durations.js';
import { invalid } from '../errors.js';
import { assertHealth } from '../registry.js';
import type { Health, InstanceRegistration, RegisterOptions } from '../contract.js';
import { type CheckInfo, defaultCheck } from './shapes.js';

type Json = Record<string, unknown>;

function lowerKeys(value: unknown, field: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalid(field, 'must be a JSON object');
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.toLowerCase(), v]));
}

export interface ConsulRegistration {
  registration: InstanceRegistration;
  options: RegisterOptions;
  check: CheckInfo;
}

/** The first TTL check (we cannot run HTTP/TCP/script checks), else the first check, else none. */
function pickCheck(body: Json, serviceId: string): { check: Json; checkId: string } | undefined {
  if (body.check !== undefined && body.check !== null) {
    const check = lowerKeys(body.check, 'Check');
    return { check, checkId: (check.checkid as string) || `service:${serviceId}` };
  }
  if (body.checks === undefined || body.checks === null) return undefined;
  if (!Array.isArray(body.checks)) invalid('Checks', 'must be an array');
  const checks = body.checks.map((c, i) => lowerKeys(c, `Checks[${i}]`));
  if (checks.length === 0) return undefined;
  const at = Math.max(0, checks.findIndex((c) => c.ttl));
  const only = checks.length === 1;
  return { check: checks[at], checkId: (checks[at].checkid as string) || (only ? `service:${serviceId}` : `service:${serviceId}:${at + 1}`) };
}

export function fromConsulBody(raw: unknown): ConsulRegistration {
  const body = lowerKeys(raw, 'body');
  if (typeof body.name !== 'string' || body.name === '') invalid('Name', 'missing service name');
  const id = body.id === undefined || body.id === '' ? body.name : body.id;
  if (typeof id !== 'string') invalid('ID', 'must be a string');
  const port = body.port ?? 0;
  const meta = (body.meta ?? {}) as Record<string, string>;
  const registration: InstanceRegistration = {
    id,
    service: body.name,
    address: (body.address ?? '') as string,
    port: port as number,
    tags: (body.tags ?? []) as string[],
    meta,
    source: 'consul',
  };
  if (typeof meta === 'object' && meta !== null && typeof meta.version === 'string') registration.version = meta.version;
  const options: RegisterOptions = { health: 'passing' };
  const picked = pickCheck(body, id);
  if (!picked) return { registration, options, check: defaultCheck(id, false) };

  const { check, checkId } = picked;
  const ttl = check.ttl !== undefined && check.ttl !== '';
  if (ttl) registration.ttlMs = parseDuration(check.ttl, 'Check.TTL');
  if (registration.ttlMs === 0) invalid('Check.TTL', 'must be longer than 0');
  if (check.deregistercriticalserviceafter !== undefined) {
    options.deregisterCriticalAfterMs = parseDuration(check.deregistercriticalserviceafter, 'Check.DeregisterCriticalServiceAfter');
  }
  // Consul starts TTL checks critical until the first update, unless Status says otherwise
  const status = check.status ?? (ttl ? 'critical' : 'passing');
  assertHealth(status, 'Check.Status');
  options.health = status as Health;
  const name = typeof check.name === 'string' && check.name ? check.name : `Service '${id}' check`;
  const notes = typeof check.notes === 'string' ? check.notes : '';
  return { registration, options, check: { checkId, name, notes, ttl } };
}
