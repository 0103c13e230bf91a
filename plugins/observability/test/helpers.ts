// Shared helpers of the observability tests: a small mesh world (svc → db, with a
// templated endpoint), kernels of mesh + tracing + observability on a real socket with the
// virtual clock, HTTP calls, and promtool.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import mesh from '@understudy/plugin-mesh';
import tracing from '@understudy/plugin-tracing';
import type { PluginDefinition } from '@understudy/plugin-sdk';
import { createTestKernel, fetchJson, fetchOnClock, type TestKernel } from '@understudy/plugin-sdk/testing';
import observability from '../src/index.js';

export const world = {
  svc: {
    endpoints: [
      { path: '/orders/:id', method: 'GET', name: 'order', latency: { type: 'fixed', ms: 5 }, calls: [{ service: 'db', endpoint: 'query' }] },
      { path: '/fail', method: 'GET', name: 'fail', latency: { type: 'fixed', ms: 1 }, errorRate: 1, errorStatus: 503 },
    ],
  },
  db: { endpoints: [{ path: '/query', name: 'query', latency: { type: 'fixed', ms: 20 } }] },
};

export interface StartOptions {
  observability?: Record<string, unknown>;
  services?: Record<string, unknown>;
  plugins?: Array<PluginDefinition<any>>;
  config?: Record<string, unknown>;
  tracing?: boolean;
}

export async function start(options: StartOptions = {}): Promise<TestKernel> {
  return createTestKernel({
    plugins: [mesh, ...(options.tracing === false ? [] : [tracing]), observability, ...(options.plugins ?? [])],
    config: { mesh: { services: options.services ?? world }, observability: options.observability ?? {}, ...options.config },
  });
}

export const call = (k: TestKernel, path: string, init?: Parameters<typeof fetchJson>[1]) => fetchJson(k.baseUrl + path, init);

/** A request whose mesh latency runs on the virtual clock, advanced `stepMs` at a time until it answers. */
export const request = (k: TestKernel, path: string, stepMs = 50) => fetchOnClock(k, path, { stepMs });

export const PROMTOOL = '/usr/bin/promtool';

/** `promtool check metrics` on the text: its exit code and what it printed; undefined without promtool. */
export async function promtoolCheck(text: string): Promise<{ code: number; output: string } | undefined> {
  if (!existsSync(PROMTOOL)) return undefined;
  return new Promise((resolve, reject) => {
    const child = spawn(PROMTOOL, ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
    child.stdin.end(text);
  });
}
