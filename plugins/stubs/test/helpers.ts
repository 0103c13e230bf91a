import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestKernel, fetchJson, type JsonReply, type TestKernel } from '@understudy/plugin-sdk/testing';
import stubs from '../src/index.js';

export const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** A started kernel with only the stubs plugin; `config` is the stubs config. */
export function startStubs(config: Record<string, unknown> = {}, seed?: number): Promise<TestKernel> {
  return createTestKernel({ plugins: [stubs], config: { stubs: config }, cwd: fixtures, seed });
}

/** fetch a path of the test kernel; JSON in and out. */
export const call = (k: TestKernel, path: string, init?: Parameters<typeof fetchJson>[1]): Promise<JsonReply> => fetchJson(k.baseUrl + path, init);
