// Checks a send request (REST body or `commands/send` message) and reports every problem
// with its path, so REST and MQTT senders get the same answer.
import { CommandErrors } from './errors.js';
import type { SendCommand } from './contract.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One topic level: no `/`, no wildcards, no spaces. */
const NAME = /^[A-Za-z0-9_.:-]{1,64}$/;
const DEVICE_ID = /^[^/+#]+$/;

const REQUEST_KEYS = ['target', 'name', 'params', 'timeoutMs', 'maxAttempts', 'ttlMs', 'requestId'];
const SELECTOR_KEYS = ['type', 'ids', 'metadata'];

export interface SendRequest extends SendCommand {
  /** MQTT senders: echoed back on `commands/results`. */
  requestId?: string;
}

export function parseSendRequest(body: unknown, origin: string): SendRequest {
  const problems: string[] = [];
  const add = (path: string, problem: string) => problems.push(`${path}: ${problem}`);
  if (!isObj(body)) throw new CommandErrors.INVALID('command', ['(root): must be an object like { "target": { "deviceId": "d1" }, "name": "reboot" }']);
  for (const k of Object.keys(body)) if (!REQUEST_KEYS.includes(k)) add(k, 'unknown property');
  checkTarget(body.target, add);
  if (typeof body.name !== 'string' || !NAME.test(body.name)) add('name', 'must be 1-64 characters of letters, digits, _ . : - (it becomes a topic level)');
  if (body.params !== undefined && !isObj(body.params)) add('params', 'must be an object');
  for (const k of ['timeoutMs', 'maxAttempts', 'ttlMs']) {
    const v = body[k];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 1)) add(k, 'must be an integer >= 1');
  }
  if (body.requestId !== undefined && typeof body.requestId !== 'string') add('requestId', 'must be a string');
  if (problems.length) throw new CommandErrors.INVALID('command', problems);
  return {
    target: body.target as SendCommand['target'],
    name: body.name as string,
    params: (body.params as Obj | undefined) ?? {},
    timeoutMs: body.timeoutMs as number | undefined,
    maxAttempts: body.maxAttempts as number | undefined,
    ttlMs: body.ttlMs as number | undefined,
    requestId: body.requestId as string | undefined,
    origin,
  };
}

function checkTarget(target: unknown, add: (path: string, problem: string) => void): void {
  if (!isObj(target)) return add('target', 'must be { "deviceId": "…" } or { "selector": { "type"?, "ids"?, "metadata"? } }');
  const keys = Object.keys(target);
  if (keys.length !== 1 || (keys[0] !== 'deviceId' && keys[0] !== 'selector')) return add('target', 'must have exactly one of deviceId or selector');
  if ('deviceId' in target) {
    if (typeof target.deviceId !== 'string' || !DEVICE_ID.test(target.deviceId)) add('target.deviceId', 'must be a non-empty string without / + # (it is a topic level)');
    return;
  }
  const selector = target.selector;
  if (!isObj(selector)) return add('target.selector', 'must be an object');
  for (const k of Object.keys(selector)) if (!SELECTOR_KEYS.includes(k)) add(`target.selector.${k}`, 'unknown property');
  if (selector.type !== undefined && (typeof selector.type !== 'string' || selector.type === '')) add('target.selector.type', 'must be a non-empty string');
  const ids = selector.ids;
  if (ids !== undefined && (!Array.isArray(ids) || ids.length === 0 || ids.some((id) => typeof id !== 'string'))) add('target.selector.ids', 'must be a non-empty array of strings');
  const metadata = selector.metadata;
  if (metadata !== undefined) {
    if (!isObj(metadata)) add('target.selector.metadata', 'must be an object');
    else {
      for (const [k, v] of Object.entries(metadata)) {
        if (!['string', 'number', 'boolean'].includes(typeof v)) add(`target.selector.metadata.${k}`, 'must be a string, number or boolean');
      }
    }
  }
}

/** A device's reply on `devices/{id}/replies`. */
export interface Reply {
  correlationId: string;
  status: 'ACKED' | 'COMPLETED' | 'FAILED' | 'REJECTED';
  result?: unknown;
  error?: string;
}

const REPLY_STATUSES = new Set(['ACKED', 'COMPLETED', 'FAILED', 'REJECTED']);

/** The reply, or undefined when it is not JSON or not shaped like a reply. */
export function parseReply(payload: Buffer | string): Reply | undefined {
  let body: unknown;
  try {
    body = JSON.parse(payload.toString());
  } catch {
    return undefined;
  }
  if (!isObj(body) || typeof body.correlationId !== 'string' || !REPLY_STATUSES.has(body.status as string)) return undefined;
  const error = body.error === undefined ? undefined : typeof body.error === 'string' ? body.error : JSON.stringify(body.error);
  return { correlationId: body.correlationId, status: body.status as Reply['status'], result: body.result, error };
}
