import { fetchJson, type JsonReply } from './fetch-json.js';
import type { TestKernel } from './test-kernel.js';

/**
 * `fetchJson` of `path` on the test kernel's socket for an answer that waits on the
 * virtual clock (mesh latency, a chaos delay): advance `stepMs` at a time until it comes.
 * Bounded by real time (`withinMs`), not by a count of steps: a loaded machine may take
 * many turns of the event loop before the request reaches the kernel. After that the
 * request is left to fetchJson's own timeout.
 */
export async function fetchOnClock(
  kernel: TestKernel,
  path: string,
  options: { stepMs?: number; withinMs?: number; init?: Parameters<typeof fetchJson>[1] } = {},
): Promise<JsonReply> {
  const { stepMs = 50, withinMs = 8000, init } = options;
  const pending = fetchJson(kernel.baseUrl + path, init);
  let done = false;
  pending.then(
    () => (done = true),
    () => (done = true),
  );
  const deadline = performance.now() + withinMs;
  while (!done && performance.now() < deadline) {
    await new Promise((resolve) => setImmediate(resolve));
    if (!done) await kernel.advance(stepMs);
  }
  return pending;
}
