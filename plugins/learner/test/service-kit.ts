// Shared by the learner's service, admin, state and persistence tests: a started test
// kernel (virtual clock, real socket) with the learner plugin, the service itself, a way
// to flush on the kernel clock (advance one interval, then wait for that flush), and
// observation factories shaped like what the proxy hands over.
import type { Observation } from '../src/model/types.js';
import { createTestKernel, type TestKernel } from '@understudy/plugin-sdk/testing';
import learnerPlugin from '../src/index.js';
import type { LearnerService } from '../src/service.js';

export interface LearnerKit {
  kernel: TestKernel;
  learner: LearnerService;
  /** Let the flush timer fire (one interval of kernel time) and wait until its batch is written. */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

export async function startLearner(config: Record<string, unknown> = {}, options: { cwd?: string; seed?: number } = {}): Promise<LearnerKit> {
  const kernel = await createTestKernel({
    plugins: [learnerPlugin],
    config: { learner: { storage: ':memory:', ...config } },
    ...(options.cwd && { cwd: options.cwd }),
    ...(options.seed !== undefined && { seed: options.seed }),
  });
  const learner = kernel.resolve('learner') as LearnerService;
  const interval = Number(config.flushIntervalMs ?? 250);
  return {
    kernel,
    learner,
    tick: async () => {
      await kernel.clock.advance(interval);
      await learner.flush();
    },
    stop: () => kernel.stop(),
  };
}

let clock = 1_000_000;

/** Start observation times again (two kernels fed the same traffic see the same times). */
export function resetObservationClock(): void {
  clock = 1_000_000;
}

/** A JSON exchange as the proxy would observe it. */
export function obs(method: string, path: string, status: number, body?: unknown, extra: Partial<Observation> = {}): Observation {
  const text = body === undefined ? undefined : JSON.stringify(body);
  clock += 10;
  return {
    at: clock,
    method,
    path,
    query: {},
    requestHeaders: { accept: 'application/json' },
    status,
    responseHeaders: text === undefined ? {} : { 'content-type': 'application/json' },
    ...(text !== undefined && { responseBody: text }),
    responseBytes: text?.length ?? 0,
    latencyMs: 20,
    upstream: 'default',
    source: 'proxy',
    ...extra,
  };
}

export const user = (id: number) => ({ id, name: `User ${id}`, email: `user${id}@example.com`, createdAt: '2026-01-02T03:04:05Z' });

/** Teach the learner a users API: list, items (a template after 3 ids), /users/me, creation, a 404. */
export function usersTraffic(): Observation[] {
  return [
    obs('GET', '/users', 200, [user(1), user(2)]),
    ...[1, 2, 3, 4, 5].map((id) => obs('GET', `/users/${id}`, 200, user(id))),
    obs('GET', '/users/me', 200, { ...user(1), role: 'admin' }),
    obs('GET', '/users/404', 404, { error: 'not_found', message: 'no such user' }),
    obs('POST', '/users', 201, user(11), { requestBody: JSON.stringify({ name: 'User 11', email: 'user11@example.com' }), responseHeaders: { 'content-type': 'application/json', location: '/users/11' } }),
    obs('PUT', '/users/2', 200, user(2), { requestBody: JSON.stringify({ name: 'User 2', email: 'user2@example.com' }) }),
    obs('PUT', '/users/3', 200, user(3), { requestBody: JSON.stringify({ name: 'User 3' }) }),
    obs('PUT', '/users/4', 200, user(4), { requestBody: JSON.stringify({ name: 'User 4' }) }),
    obs('DELETE', '/users/5', 204, undefined),
    obs('DELETE', '/users/6', 204, undefined),
    obs('DELETE', '/users/7', 204, undefined),
  ];
}
