// A user with an existing WireMock folder: `understudy start --config understudy.yaml`
// serves those mappings unchanged, over a real socket, and keeps serving after bad input.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startServer } from '../../kernel/test/cli-helpers.js';

const config = join(fileURLToPath(new URL('./fixtures/', import.meta.url)), 'understudy.yaml');

test('understudy start --config serves an existing WireMock folder', async () => {
  const server = await startServer(['--config', config]);
  try {
    assert.match(server.line, 'plugins: stubs');
    const greeting = await fetch(`${server.url}/greetings/world`);
    assert.is(greeting.status, 200);
    assert.equal(await greeting.json(), { greeting: 'hello', from: 'an existing WireMock mapping' });

    const catalog = await (await fetch(`${server.url}/catalog?page=1`)).json();
    assert.is(catalog.items[1].name, 'Bellows');

    const created = await fetch(`${server.url}/catalog`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"Crucible"}' });
    assert.is(created.status, 201);

    const miss = await fetch(`${server.url}/catalog`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title":"no name"}' });
    assert.is(miss.status, 404);
    const nearest = (await miss.json()).unmatched.stubs.nearMisses[0];
    assert.is(nearest.name, 'create item');
    assert.equal(nearest.mismatches.map((m: { field: string }) => m.field), ['body']);

    const badMapping = await fetch(`${server.url}/__admin/mappings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"request":{"urlPattern":"(["},"response":{}}' });
    assert.is(badMapping.status, 400);
    assert.match((await badMapping.json()).message, 'request.urlPattern');

    const journal = await (await fetch(`${server.url}/__admin/requests`)).json();
    assert.is(journal.meta.total, 4);
    assert.is((await fetch(`${server.url}/greetings/again`)).status, 200);
  } finally {
    assert.is(await server.stop(), 0);
  }
});

test.run();
