// Topology writes are atomic: a write whose side effects cannot be acquired (an own port
// already in use, a registry that refuses an instance) answers a coded 4xx and leaves the
// topology, the own-port servers and discovery's registrations exactly as they were — and
// the next valid write succeeds. Ports are occupied by plain servers of the test itself.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import discovery from '@understudy/plugin-discovery';
import type { InstanceRegistration, ServiceRegistry } from '@understudy/plugin-discovery';
import { defineError } from '@understudy/plugin-sdk';
import { createTestKernel } from '@understudy/plugin-sdk/testing';
import mesh from '../src/index.js';
import { call, start, svc } from './helpers.js';

const atomic = suite('mesh: topology writes are whole or not at all');
const A = '/__admin/mesh';

/** A plain server holding a port, as another process would. */
async function occupy(port = 0): Promise<{ port: number; release(): Promise<void> }> {
  const server: Server = createServer((_req, res) => res.end('someone else'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { port: (server.address() as AddressInfo).port, release: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A port that was free a moment ago. */
async function freePort(): Promise<number> {
  const held = await occupy();
  await held.release();
  return held.port;
}

/** Is something listening on 127.0.0.1:port? (Binding it is the honest check.) */
async function isFree(port: number): Promise<boolean> {
  try {
    await (await occupy(port)).release();
    return true;
  } catch {
    return false;
  }
}

const text = async (url: string) => (await call(url)).text;

atomic('an edit asking for a port in use is a 409 US_MESH_PORT_IN_USE and changes nothing; a later valid edit succeeds', async () => {
  const own = await freePort();
  const k = await createTestKernel({
    plugins: [discovery, mesh],
    config: { mesh: { services: { a: svc({ body: 'a-v1' }, { port: own, instances: 2 }), b: svc({ body: 'b-v1' }, { port: 0 }) } } },
  });
  const taken = await occupy();
  try {
    const registry = k.resolve('registry');
    const before = {
      services: (await call(`${k.baseUrl}${A}/services`)).body,
      registered: registry.instances('a').map((i) => `${i.id}:${i.port}`),
      graph: (await call(`${k.baseUrl}${A}/graph`)).body,
    };
    const bPort = before.services.services.find((s: { name: string }) => s.name === 'b').listeningPort as number;
    const eventsBefore = k.captured.length;

    const refused = await call(`${k.baseUrl}${A}/services/a`, { method: 'PUT', json: svc({ body: 'a-v2' }, { port: taken.port, instances: 3 }) });
    assert.is(refused.status, 409);
    assert.is(refused.body.code, 'US_MESH_PORT_IN_USE');
    assert.is(refused.body.error, 'Conflict');
    assert.match(refused.body.message, `port ${taken.port}`);
    assert.match(refused.body.message, 'nothing was changed');
    assert.match(refused.body.message, 'port: 0');

    // the same topology, on every port, in the registry and in the graph
    assert.equal((await call(`${k.baseUrl}${A}/services`)).body, before.services);
    assert.equal(registry.instances('a').map((i) => `${i.id}:${i.port}`), before.registered);
    assert.equal((await call(`${k.baseUrl}${A}/graph`)).body, before.graph);
    assert.is(await text(`${k.baseUrl}/a/`), 'a-v1');
    assert.is(await text(`http://127.0.0.1:${own}/`), 'a-v1');
    assert.is(await text(`http://127.0.0.1:${bPort}/`), 'b-v1');
    assert.is(await text(`http://127.0.0.1:${taken.port}/`), 'someone else');
    assert.equal(k.captured.slice(eventsBefore).map((e) => e.type), [], 'no event for a refused edit');

    // the next edits go through, from where the topology is
    const moved = await call(`${k.baseUrl}${A}/services/a`, { method: 'PUT', json: svc({ body: 'a-v2' }, { port: 0, instances: 3 }) });
    assert.is(moved.status, 200);
    const newPort = moved.body.listeningPort as number;
    assert.is(await text(`http://127.0.0.1:${newPort}/`), 'a-v2');
    assert.ok(await isFree(own), 'the old port was closed once the new one was bound');
    assert.equal(registry.instances('a').map((i) => `${i.id}:${i.port}`), [`a-1:${newPort}`, `a-2:${newPort}`, `a-3:${newPort}`]);
    const added = await call(`${k.baseUrl}${A}/services/c`, { method: 'PUT', json: svc({ body: 'c' }) });
    assert.is(added.status, 201);
  } finally {
    await taken.release();
    await k.stop();
  }
});

atomic('a new service on a port in use is refused and never appears; the main port counts as in use', async () => {
  const k = await start({ services: { a: svc({ body: 'a' }) } });
  const taken = await occupy();
  try {
    const res = await call(`${k.baseUrl}${A}/services/late`, { method: 'PUT', json: svc({}, { port: taken.port }) });
    assert.is(res.status, 409);
    assert.is(res.body.code, 'US_MESH_PORT_IN_USE');
    assert.is((await call(`${k.baseUrl}${A}/services/late`)).status, 404);
    assert.is((await call(`${k.baseUrl}/late/`)).status, 404);

    const main = Number(new URL(k.baseUrl).port);
    const onMain = await call(`${k.baseUrl}${A}/services/late`, { method: 'PUT', json: svc({}, { port: main }) });
    assert.is(onMain.status, 409);
    assert.match(onMain.body.message, "Understudy's main port");
    assert.equal((await call(`${k.baseUrl}${A}/services`)).body.services.map((s: { name: string }) => s.name), ['a']);
  } finally {
    await taken.release();
    await k.stop();
  }
});

atomic('replacing the whole topology: one port in use in the middle, and no other port stays bound', async () => {
  const k = await start({ services: { a: svc({ body: 'a' }, { port: 0 }) } });
  const taken = await occupy();
  const [first, last] = [await freePort(), await freePort()];
  try {
    const aPort = (await call(`${k.baseUrl}${A}/services/a`)).body.listeningPort as number;
    const res = await call(`${k.baseUrl}${A}/topology`, {
      method: 'PUT',
      json: { services: { x: svc({}, { port: first }), y: svc({}, { port: taken.port }), z: svc({}, { port: last }) } },
    });
    assert.is(res.status, 409);
    assert.is(res.body.code, 'US_MESH_PORT_IN_USE');
    assert.match(res.body.message, 'Service "y"');
    assert.ok(await isFree(first), 'the port bound before the refusal was let go');
    assert.ok(await isFree(last));
    assert.equal((await call(`${k.baseUrl}${A}/services`)).body.services.map((s: { name: string }) => s.name), ['a']);
    assert.is(await text(`http://127.0.0.1:${aPort}/`), 'a');
  } finally {
    await taken.release();
    await k.stop();
  }
});

atomic('moves and swaps of fixed ports: the new port is bound before the old one closes, swapped ports are handed over', async () => {
  const [p1, p2, p3] = [await freePort(), await freePort(), await freePort()];
  const k = await start({ services: { a: svc({ body: 'a' }, { port: p1 }), b: svc({ body: 'b' }, { port: p2 }) } });
  try {
    const swapped = await call(`${k.baseUrl}${A}/topology`, { method: 'PUT', json: { services: { a: svc({ body: 'a' }, { port: p2 }), b: svc({ body: 'b' }, { port: p1 }) } } });
    assert.is(swapped.status, 200);
    assert.is(await text(`http://127.0.0.1:${p2}/`), 'a');
    assert.is(await text(`http://127.0.0.1:${p1}/`), 'b');
    const moved = await call(`${k.baseUrl}${A}/services/a`, { method: 'PUT', json: svc({ body: 'a' }, { port: p3 }) });
    assert.is(moved.status, 200);
    assert.is(moved.body.listeningPort, p3);
    assert.is(await text(`http://127.0.0.1:${p3}/`), 'a');
    assert.ok(await isFree(p2));
  } finally {
    await k.stop();
  }
});

atomic('two services asking for one fixed port is a 400 naming both', async () => {
  const port = await freePort();
  const k = await start({ services: { a: svc({}, { port }) } });
  try {
    const res = await call(`${k.baseUrl}${A}/services/b`, { method: 'PUT', json: svc({}, { port }) });
    assert.is(res.status, 400);
    assert.is(res.body.code, 'US_MESH_INVALID_TOPOLOGY');
    assert.match(res.body.message, `services.b.port: port ${port} is also the port of service "a"`);
  } finally {
    await k.stop();
  }
});

atomic('reset acquires the configured ports again: refused while one is taken, then it goes through', async () => {
  const configured = await freePort();
  const k = await start({ services: { a: svc({ body: 'configured' }, { port: configured }) } });
  let taken: Awaited<ReturnType<typeof occupy>> | undefined;
  try {
    await call(`${k.baseUrl}${A}/services/a`, { method: 'PUT', json: svc({ body: 'edited' }, { port: 0 }) });
    const edited = (await call(`${k.baseUrl}${A}/services/a`)).body.listeningPort as number;
    taken = await occupy(configured);
    const res = await call(`${k.baseUrl}${A}/reset`, { method: 'POST' });
    assert.is(res.status, 409);
    assert.is(res.body.code, 'US_MESH_PORT_IN_USE');
    assert.is(await text(`http://127.0.0.1:${edited}/`), 'edited');
    assert.is(await text(`${k.baseUrl}/a/`), 'edited');
    await taken.release();
    taken = undefined;
    assert.is((await call(`${k.baseUrl}${A}/reset`, { method: 'POST' })).status, 200);
    assert.is(await text(`http://127.0.0.1:${configured}/`), 'configured');
    assert.ok(await isFree(edited));
  } finally {
    await taken?.release();
    await k.stop();
  }
});

atomic('a configured port in use fails the start with US_MESH_PORT_IN_USE', async () => {
  const taken = await occupy();
  try {
    await start({ services: { a: svc({}, { port: taken.port }) } });
    assert.unreachable('should not start');
  } catch (err) {
    assert.match(String((err as Error).message), `port ${taken.port}`);
    assert.match(JSON.stringify(err, Object.getOwnPropertyNames(err)) + String((err as { cause?: unknown }).cause), 'US_MESH_PORT_IN_USE');
  } finally {
    await taken.release();
  }
});

atomic('a registry that refuses an instance: its coded 4xx, no registration, port or service left behind', async () => {
  const FULL = defineError('US_TEST_REGISTRY_FULL', 409, (id: string) => `The registry is full: "${id}" was not registered.`);
  const held = new Map<string, InstanceRegistration>();
  const registry = {
    register(reg: InstanceRegistration) {
      if (reg.id === 'b-2') throw new FULL(reg.id);
      held.set(reg.id, reg);
      return reg;
    },
    deregister: (id: string) => held.delete(id),
  } as unknown as ServiceRegistry;
  const k = await createTestKernel({ plugins: [mesh], services: { registry }, config: { mesh: { services: { a: svc({ body: 'a' }) } } } });
  try {
    const before = [...held.keys()];
    assert.equal(before, ['a-1']);
    const res = await call(`${k.baseUrl}${A}/topology`, {
      method: 'PUT',
      json: { services: { a: svc({ body: 'a2' }, { port: 0 }), b: svc({}, { instances: 2 }) } },
    });
    assert.is(res.status, 409);
    assert.is(res.body.code, 'US_TEST_REGISTRY_FULL');
    assert.equal([...held.keys()], before);
    assert.is(held.get('a-1')!.port, Number(new URL(k.baseUrl).port), 'a-1 registered as before (main port)');
    const a = (await call(`${k.baseUrl}${A}/services/a`)).body;
    assert.is(a.listeningPort, undefined, 'the own port bound for the refused change was closed');
    assert.is(await text(`${k.baseUrl}/a/`), 'a');
    assert.is((await call(`${k.baseUrl}${A}/services/b`)).status, 404);
    assert.is((await call(`${k.baseUrl}${A}/services/c`, { method: 'PUT', json: svc() })).status, 201);
    assert.equal([...held.keys()], ['a-1', 'c-1']);
  } finally {
    await k.stop();
  }
});

atomic('concurrent writes run one after the other: none is lost', async () => {
  const k = await start({ services: { a: svc() } });
  try {
    const names = ['p', 'q', 'r', 's', 't'];
    const answers = await Promise.all(names.map((n) => call(`${k.baseUrl}${A}/services/${n}`, { method: 'PUT', json: svc({}, { port: 0 }) })));
    assert.equal(answers.map((r) => r.status), [201, 201, 201, 201, 201]);
    const listed = (await call(`${k.baseUrl}${A}/services`)).body.services as Array<{ name: string; listeningPort?: number }>;
    assert.equal(listed.map((s) => s.name).sort(), ['a', ...names]);
    for (const s of listed.filter((x) => x.name !== 'a')) assert.is((await call(`http://127.0.0.1:${s.listeningPort}/`)).status, 200);
  } finally {
    await k.stop();
  }
});

atomic.run();
