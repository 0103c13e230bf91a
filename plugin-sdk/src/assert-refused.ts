// The project's rule for a refused request — a 4xx, a stable code, and a message that lists
// every problem with its path — as one check for tests, framework-neutral (node:assert's
// AssertionError, which uvu, node:test and mocha all report).
import { AssertionError } from 'node:assert';
import type { JsonReply } from './fetch-json.js';

/**
 * Assert that `reply` refused the request with `code` and `status` (400 unless told), its
 * message naming every one of `problems` (substrings: `replicas: must be >= 0`). A failure
 * lists every problem missing at once, with the message that came.
 */
export function assertRefused(reply: JsonReply, code: string, problems: readonly string[] = [], status = 400): void {
  const body = (typeof reply.body === 'object' && reply.body !== null ? reply.body : {}) as { code?: unknown; message?: unknown };
  const message = typeof body.message === 'string' ? body.message : '';
  const missing = problems.filter((p) => !message.includes(p));
  if (reply.status === status && body.code === code && missing.length === 0) return;
  const got = `got ${reply.status} ${String(body.code)}`;
  throw new AssertionError({
    message: `expected a ${status} ${code} naming every problem; ${got}${missing.length ? `, missing:\n  ${missing.join('\n  ')}` : ''}\nmessage: ${message || reply.text}`,
    actual: { status: reply.status, code: body.code, missing },
    expected: { status, code, missing: [] },
    operator: 'assertRefused',
  });
}
