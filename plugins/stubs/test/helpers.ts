import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestKernel, type TestKernel } from '@understudy/plugin-sdk';
import stubs from '../src/index.js';

export const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** A started kernel with only the stubs plugin; `config` is the stubs config. */
export function startStubs(config: Record<string, unknown> = {}, seed?: number): Promise<TestKernel> {
  return createTestKernel({ plugins: [stubs], config: { stubs: config }, cwd: fixtures, seed });
}

export interface JsonReply {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

/** fetch, then read the body as JSON when it is JSON. */
export async function call(k: TestKernel, path: string, init: RequestInit & { json?: unknown } = {}): Promise<JsonReply> {
  const { json, ...rest } = init;
  const res = await fetch(k.baseUrl + path, {
    ...rest,
    ...(json !== undefined && { body: JSON.stringify(json), headers: { 'content-type': 'application/json', ...rest.headers } }),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body, text };
}
