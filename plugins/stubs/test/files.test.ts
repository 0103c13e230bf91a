import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { call, fixtures, startStubs } from './helpers.js';

/** Starting must fail with a message containing every one of `parts`. */
async function startFails(config: Record<string, unknown>, ...parts: string[]) {
  try {
    const k = await startStubs(config);
    await k.stop();
  } catch (err) {
    for (const part of parts) assert.ok((err as Error).message.includes(part), `${(err as Error).message}\n  should mention ${part}`);
    return;
  }
  assert.unreachable('start should have failed');
}

test('loads single-mapping files, { mappings } files and nested folders, ignoring non-JSON files', async () => {
  const k = await startStubs({ root: 'world' });
  try {
    const list = await call(k, '/__admin/mappings');
    assert.is(list.body.meta.total, 5);
    assert.equal(k.eventsOf('stubs.mappingAdded').map((e) => e.data.source), Array(5).fill('defaults'));
  } finally {
    await k.stop();
  }
});

test('a root folder without mappings/ starts with no mappings', async () => {
  const k = await startStubs({ root: 'no-mappings' });
  try {
    assert.is((await call(k, '/__admin/mappings')).body.meta.total, 0);
  } finally {
    await k.stop();
  }
});

test('a configured root that does not exist stops startup, naming it', async () => {
  await startFails({ root: 'nowhere' }, join(fixtures, 'nowhere'), 'does not exist');
});

test('an invalid mapping file stops startup with the file and the field path', async () => {
  await startFails({ root: 'bad-regex' }, 'a.json', 'mappings[1].request.bodyPatterns[0].matches: invalid regular expression');
  await startFails({ root: 'bad-json' }, 'broken.json', 'not valid JSON');
  await startFails({ root: 'dup-ids' }, 'id same is also used by', 'a.json');
  await startFails({ root: 'escape' }, 'a.json', 'response.bodyFileName', 'outside __files/');
});

test('inline mappings are checked with their config path', async () => {
  await startFails({ mappings: [{ request: { method: 'GET', url: '/x', queryParameters: { q: 'plain' } } }] }, 'plugins.stubs.mappings[0].request.queryParameters.q: must be a matcher object');
  await startFails({ mappings: [{ request: { url: '/x' }, response: { bodyFileName: 'a.txt' } }] }, 'response.bodyFileName: needs a root folder');
});

test('the config schema rejects unknown keys', async () => {
  await startFails({ rooot: 'world' }, 'plugins.stubs', 'rooot');
});

test('a missing body file answers 500 with a code', async () => {
  const k = await startStubs({ root: 'world', mappings: [{ request: { url: '/gone' }, response: { bodyFileName: 'gone.json' } }] });
  try {
    const res = await call(k, '/gone');
    assert.is(res.status, 500);
    assert.is(res.body.code, 'US_STUBS_BODY_FILE_UNREADABLE');
    assert.match(res.body.message, 'gone.json');
  } finally {
    await k.stop();
  }
});

test('reset re-reads the files; broken files leave the mappings as they were', async () => {
  const root = mkdtempSync(join(tmpdir(), 'stubs-'));
  cpSync(join(fixtures, 'world'), root, { recursive: true });
  const k = await startStubs({ root });
  try {
    const hello = join(root, 'mappings', 'hello.json');
    writeFileSync(hello, JSON.stringify({ request: { url: '/hello' }, response: { body: 'edited' } }));
    assert.is((await call(k, '/__admin/mappings/reset', { method: 'POST' })).status, 200);
    assert.is((await call(k, '/hello')).text, 'edited');
    writeFileSync(hello, '{');
    const broken = await call(k, '/__admin/mappings/reset', { method: 'POST' });
    assert.is(broken.body.code, 'US_STUBS_MAPPING_FILE_INVALID');
    assert.is((await call(k, '/hello')).text, 'edited');
  } finally {
    await k.stop();
    rmSync(root, { recursive: true, force: true });
  }
});

test.run();
