// Test kits: a started kernel with the personas plugin over the stand-in industry data (or
// the real industry-data plugin), on a real socket with the virtual clock, and small
// request helpers that name a session by header.
import { createTestKernel, fetchJson, type JsonReply, type TestKernel } from '@understudy/plugin-sdk/testing';
import personas from '../src/index.js';
import { fakeIndustryPlugin } from './fake-industry.js';

export interface Kit {
  k: TestKernel;
  base: string;
  /** A request to the main port, optionally in a session (X-Demo-Session). */
  call(path: string, init?: RequestInit & { json?: unknown; session?: string }): Promise<JsonReply>;
  /** A request to /__admin/personas. */
  admin(path: string, init?: RequestInit & { json?: unknown }): Promise<JsonReply>;
  stop(): Promise<void>;
}

export const MARIA = { key: 'maria', industry: 'finance', type: 'customers', id: 'cus_000007', name: 'Maria Chen', hints: { segment: 'premium' }, story: 'Premium customer with a mortgage' };

export async function start(config: Record<string, unknown> = {}, opts: { cwd?: string; seed?: string | number; fakeSeed?: string } = {}): Promise<Kit> {
  const k = await createTestKernel({
    plugins: [fakeIndustryPlugin(opts.fakeSeed), personas],
    config: { personas: { storage: ':memory:', personas: [MARIA], ...config } },
    cwd: opts.cwd,
    seed: opts.seed,
  });
  const call: Kit['call'] = (path, init = {}) => {
    const { session, ...rest } = init;
    return fetchJson(k.baseUrl + path, { ...rest, headers: { ...(session && { 'x-demo-session': session }), ...(rest.headers as Record<string, string>) } });
  };
  return {
    k,
    base: k.baseUrl,
    call,
    admin: (path, init) => fetchJson(`${k.baseUrl}/__admin/personas${path}`, init),
    stop: () => k.stop(),
  };
}

/** A JSON write through the REST API. */
export const write = (method: string, json: unknown, session?: string) => ({ method, json, ...(session && { session }) });
