// Test helpers of the proxy: a real upstream on its own socket (echoes what it got,
// answers binary, big, slow and broken bodies on request) and a learner double that
// knows the endpoints a test gives it, records observations and keeps settings in memory.
import type { EndpointMatch, Learner, LearnerSettings, MockResponse, Observation } from '@understudy/plugin-learner';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestKernel, type TestKernel } from '@understudy/plugin-sdk/testing';
import chaos from '@understudy/plugin-chaos';
import proxy from '../src/index.js';

export interface Upstream {
  url: string;
  server: Server;
  /** Requests as the upstream saw them. */
  seen: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: Buffer }>;
  /** Responses held by /hang, to release or break later. */
  held: ServerResponse[];
  close(): Promise<void>;
}

export const BINARY = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0xfe, 0x0d, 0x0a, 0x1a, 0xc3, 0x28]);

export async function startUpstream(): Promise<Upstream> {
  const seen: Upstream['seen'] = [];
  const held: ServerResponse[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const path = req.url!.split('?')[0]!;
      if (path === '/hang') return void held.push(res);
      if (path === '/reset') return void req.socket.destroy();
      if (path === '/binary') {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        return void res.end(body.length ? body : BINARY);
      }
      if (path === '/big') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ items: Array.from({ length: 2000 }, (_, i) => ({ id: i, name: `item ${i}` })) }));
      }
      if (path === '/midway') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        res.write('{"partial":');
        return void setImmediate(() => req.socket.destroy());
      }
      if (path === '/sized') {
        const text = JSON.stringify({ sized: true, url: req.url });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
        return void res.end(text);
      }
      if (path === '/hop') {
        res.writeHead(200, { 'content-type': 'text/plain', connection: 'x-secret-hop, keep-alive', 'x-secret-hop': 'no', 'keep-alive': 'timeout=5', 'x-kept': 'yes' });
        return void res.end('hop');
      }
      const status = Number(new URL(req.url!, 'http://x').searchParams.get('status') ?? 200);
      res.writeHead(status, { 'content-type': 'application/json', 'x-upstream': 'yes' });
      res.end(JSON.stringify({ method: req.method, url: req.url, host: req.headers.host, body: body.toString('utf8') }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    seen,
    held,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export class MemorySettings implements LearnerSettings {
  readonly values = new Map<string, unknown>();
  failWrites = false;
  async get<T>(key: string): Promise<T | undefined> {
    return structuredClone(this.values.get(key)) as T | undefined;
  }
  async set(key: string, value: unknown): Promise<void> {
    if (this.failWrites) throw new Error('disk full');
    this.values.set(key, structuredClone(value));
  }
  async delete(key: string): Promise<boolean> {
    return this.values.delete(key);
  }
  async all(): Promise<Record<string, unknown>> {
    return Object.fromEntries(this.values);
  }
}

/** A learner double: `known` maps templates (`GET /users/{userId}`) to the mock they answer. */
export function fakeLearner(known: Record<string, Partial<MockResponse>> = {}, settings = new MemorySettings()) {
  const observed: Observation[] = [];
  let accept = true;
  const templates = Object.keys(known).map((key) => {
    const [method, template] = key.split(' ') as [string, string];
    return { key, method, template, segments: template.split('/').slice(1) };
  });
  const lookup = (method: string, path: string): EndpointMatch | undefined => {
    const segs = path.split('/').slice(1);
    // literal templates first, as the learner does
    const sorted = [...templates].sort((a, b) => a.template.split('{').length - b.template.split('{').length);
    for (const t of sorted) {
      if (t.method !== method || t.segments.length !== segs.length) continue;
      const params: Record<string, string> = {};
      if (t.segments.every((s, i) => (s.startsWith('{') ? ((params[s.slice(1, -1)] = segs[i]!), true) : s === segs[i]))) return { key: t.key, template: t.template, params };
    }
    return undefined;
  };
  const learner: Learner = {
    observe: (o) => (accept ? (observed.push(o), true) : false),
    flush: async () => {},
    lookup,
    mock: async (req) => {
      const match = lookup(req.method, req.path);
      if (!match) return undefined;
      const m = known[match.key]!;
      return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mocked: match.key, params: match.params }), delayMs: 0, via: 'synthesized', ...m };
    },
    endpoints: () => [],
    endpoint: () => undefined,
    drift: () => [],
    settings,
    reset: async () => {},
    importHar: async () => ({ observed: 0 }),
    stats: () => ({ queued: 0, queuedBytes: 0, dropped: 0, learned: observed.length, flushes: 0, flushErrors: 0, endpoints: templates.length, endpointsDropped: 0, resources: 0, mockCache: { entries: 0, bytes: 0, hits: 0, misses: 0 } }),
  };
  return { learner, observed, settings, refuse: () => (accept = false) };
}

/** A placeholder plugin that declares the learner service (the double replaces it). */
export const learnerStub = { name: 'learner', provides: ['learner' as const], register() {} };

export async function startProxy(config: Record<string, unknown>, learner: Learner, withChaos = false): Promise<TestKernel> {
  return createTestKernel({
    plugins: withChaos ? [learnerStub, chaos, proxy] : [learnerStub, proxy],
    config: { proxy: config },
    services: { learner },
  });
}
