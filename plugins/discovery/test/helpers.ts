import { createTestKernel, fetchJson, type JsonReply, type TestKernel } from '@understudy/plugin-sdk/testing';
import discovery, { type Registry } from '../src/index.js';

/** A started kernel with only the discovery plugin; `config` is the discovery config. */
export function startDiscovery(config: Record<string, unknown> = {}, listen = true): Promise<TestKernel> {
  return createTestKernel({ plugins: [discovery], config: { discovery: config }, listen });
}

export function registryOf(k: TestKernel): Registry {
  return k.resolve('registry') as Registry;
}

export function portOf(k: TestKernel): number {
  return Number(new URL(k.baseUrl).port);
}

/** fetch a path of the test kernel; JSON in and out. */
export const call = (k: TestKernel, path: string, init?: Parameters<typeof fetchJson>[1]): Promise<JsonReply> => fetchJson(k.baseUrl + path, init);

/** Resolve when `check()` holds, polling on real ticks; reject after `withinMs` of real time. */
export async function until(check: () => boolean, withinMs = 5000, what = 'condition'): Promise<void> {
  const deadline = performance.now() + withinMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`until: ${what} not met within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Resolve with the first emission of `event`, or reject after `withinMs` of real time. */
export function once<T = unknown>(emitter: { once(event: string, fn: (...args: any[]) => void): unknown }, event: string, withinMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${event}" within ${withinMs} ms`)), withinMs);
    emitter.once(event, (value: T) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}
