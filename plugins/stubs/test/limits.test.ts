// The stubs plugin's memory bounds, over real sockets: the journal bounded in bytes as
// well as entries (large bodies kept cut, what was cut counted), and the mapping store
// bounded in count (maxMappings), refusing an add, an import or a reset whole.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ENTRY_OVERHEAD_BYTES, truncateUtf8 } from '../src/journal.js';
import { call, startStubs } from './helpers.js';

const KiB = 1024;
const MiB = 1024 * KiB;

const journal = suite('limits: journal in bytes');

journal('many large requests: the journal stays under maxBytes, bodies are cut and counted, matching saw the whole body', async () => {
  const maxBytes = MiB;
  const maxBodyBytes = 64 * KiB;
  // the mapping matches on the body's last bytes: only the whole body can match it
  const k = await startStubs({
    journal: { maxBytes, maxBodyBytes },
    mappings: [{ request: { method: 'POST', urlPath: '/upload', bodyPatterns: [{ contains: 'THE-END' }] }, response: { status: 201, body: 'stored' } }],
  });
  try {
    const size = MiB;
    const body = 'x'.repeat(size - 'THE-END'.length) + 'THE-END';
    for (let i = 0; i < 40; i++) {
      const res = await fetch(`${k.baseUrl}/upload?n=${i}`, { method: 'POST', body, headers: { 'content-type': 'text/plain' } });
      assert.is(res.status, 201, `request ${i} should match on its whole body`);
      assert.is(await res.text(), 'stored');
    }
    const res = await fetch(`${k.baseUrl}/__admin/requests`);
    const text = await res.text();
    assert.is(res.status, 200);
    // one read answers about what the journal holds, not 40 MB
    assert.ok(text.length < maxBytes + 64 * KiB, `GET /__admin/requests answered ${text.length} bytes`);
    const { requests, meta } = JSON.parse(text);
    assert.ok(meta.bytes <= maxBytes, `journal holds ${meta.bytes} bytes, cap ${maxBytes}`);
    assert.is(meta.maxBytes, maxBytes);
    assert.is(meta.truncated, 40);
    assert.is(meta.truncatedBytes, 40 * (size - maxBodyBytes));
    assert.is(meta.total, requests.length);
    assert.is(meta.total + meta.dropped, 40);
    assert.ok(meta.total >= 10 && meta.total < 16, `${meta.total} entries of ~65 KiB fit in 1 MiB`);
    for (const e of requests) {
      assert.is(e.wasMatched, true);
      assert.is(e.request.bodyTruncated, true);
      assert.is(e.request.originalBodyBytes, size);
      assert.is(e.request.body.length, maxBodyBytes);
      assert.ok(/^x+$/.test(e.request.body));
    }
    // newest first, the oldest dropped
    assert.is(requests[0].request.url, '/upload?n=39');
    // the copies are what find and count match on
    const found = await call(k, '/__admin/requests/count', { method: 'POST', json: { method: 'POST', urlPath: '/upload' } });
    assert.is(found.body.count, meta.total);
  } finally {
    await k.stop();
  }
});

journal('by default, a body over 64 KiB is cut to 64 KiB; smaller ones are kept whole and unmarked', async () => {
  const k = await startStubs();
  try {
    await fetch(`${k.baseUrl}/big`, { method: 'POST', body: 'y'.repeat(100 * KiB) });
    await fetch(`${k.baseUrl}/small`, { method: 'POST', body: 'small body' });
    const { body } = await call(k, '/__admin/requests');
    const [small, big] = body.requests;
    assert.is(small.request.body, 'small body');
    assert.is(small.request.bodyTruncated, undefined);
    assert.is(small.request.originalBodyBytes, undefined);
    assert.is(big.request.body.length, 64 * KiB);
    assert.is(big.request.bodyTruncated, true);
    assert.is(big.request.originalBodyBytes, 100 * KiB);
    assert.equal({ truncated: body.meta.truncated, truncatedBytes: body.meta.truncatedBytes, maxBytes: body.meta.maxBytes }, { truncated: 1, truncatedBytes: 36 * KiB, maxBytes: 16 * MiB });
    // one entry's estimate: the allowance, the URL twice and the body kept
    assert.ok(body.meta.bytes >= 2 * ENTRY_OVERHEAD_BYTES + 64 * KiB);
  } finally {
    await k.stop();
  }
});

journal('a large mapping that answers many requests counts in each entry, so listing them stays bounded', async () => {
  const maxBytes = 256 * KiB;
  const big = 'z'.repeat(40 * KiB);
  const k = await startStubs({ journal: { maxBytes }, mappings: [{ request: { urlPath: '/big-answer' }, response: { body: big } }] });
  try {
    for (let i = 0; i < 20; i++) assert.is((await fetch(`${k.baseUrl}/big-answer`)).status, 200);
    const res = await fetch(`${k.baseUrl}/__admin/requests`);
    const text = await res.text();
    const { meta } = JSON.parse(text);
    assert.ok(meta.bytes <= maxBytes);
    assert.ok(meta.dropped > 0);
    // each listed entry repeats the mapping (stubMapping and responseDefinition)
    assert.ok(text.length <= maxBytes + 16 * KiB, `GET /__admin/requests answered ${text.length} bytes`);
  } finally {
    await k.stop();
  }
});

journal('cuts at a UTF-8 character boundary, never inside a character or a surrogate pair', () => {
  assert.is(truncateUtf8('abc', 10), 'abc');
  assert.is(truncateUtf8('abcdef', 3), 'abc');
  assert.is(truncateUtf8('€€€', 7), '€€'); // 3 bytes each
  assert.is(truncateUtf8('a😀b', 4), 'a'); // the emoji takes 4 bytes
  assert.is(truncateUtf8('a😀b', 5), 'a😀');
  assert.is(truncateUtf8('😀😀', 2), '');
  assert.is(truncateUtf8('abc', 0), '');
});

journal('multi-byte bodies: originalBodyBytes counts UTF-8 bytes and the kept part fits maxBodyBytes', async () => {
  const k = await startStubs({ journal: { maxBodyBytes: 10 } });
  try {
    await fetch(`${k.baseUrl}/euro`, { method: 'POST', body: '€'.repeat(10), headers: { 'content-type': 'text/plain; charset=utf-8' } });
    const [entry] = (await call(k, '/__admin/requests')).body.requests;
    assert.is(entry.request.body, '€€€');
    assert.is(entry.request.originalBodyBytes, 30);
  } finally {
    await k.stop();
  }
});

journal('the journal config is checked: maxBytes below 1 KiB is refused with its path', async () => {
  try {
    const k = await startStubs({ journal: { maxBytes: 10 } });
    await k.stop();
    assert.unreachable('start should fail');
  } catch (err) {
    assert.match((err as Error).message, 'plugins.stubs.journal.maxBytes');
  }
});

journal.run();

const mappings = suite('limits: maxMappings');

const mapping = (n: number) => ({ id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, request: { urlPath: `/m${n}` }, response: { body: `m${n}` } });

mappings('adding past maxMappings answers 409 US_STUBS_LIMIT_REACHED naming the setting; replacing an id still works', async () => {
  const k = await startStubs({ maxMappings: 3, mappings: [mapping(1)] });
  try {
    for (const n of [2, 3]) assert.is((await call(k, '/__admin/mappings', { method: 'POST', json: mapping(n) })).status, 201);
    const added = k.eventsOf('stubs.mappingAdded').length;
    const refused = await call(k, '/__admin/mappings', { method: 'POST', json: mapping(4) });
    assert.is(refused.status, 409);
    assert.is(refused.body.code, 'US_STUBS_LIMIT_REACHED');
    assert.is(refused.body.error, 'Conflict');
    assert.match(refused.body.message, 'plugins.stubs.maxMappings (3)');
    assert.match(refused.body.message, 'nothing was changed');
    assert.is((await call(k, '/__admin/mappings')).body.meta.total, 3);
    assert.is((await call(k, '/m4')).status, 404);
    assert.is(k.eventsOf('stubs.mappingAdded').length, added);
    // an existing id is replaced, not added: no room needed
    const replaced = await call(k, '/__admin/mappings', { method: 'POST', json: { ...mapping(3), response: { body: 'again' } } });
    assert.is(replaced.status, 201);
    assert.is((await call(k, '/m3')).text, 'again');
    assert.is((await call(k, `/__admin/mappings/${mapping(2).id}`, { method: 'PUT', json: { request: { urlPath: '/m2' }, response: { body: 'edited' } } })).status, 200);
    // freeing a place makes room
    assert.is((await call(k, `/__admin/mappings/${mapping(1).id}`, { method: 'DELETE' })).status, 200);
    assert.is((await call(k, '/__admin/mappings', { method: 'POST', json: mapping(4) })).status, 201);
  } finally {
    await k.stop();
  }
});

mappings('an import that does not fit is refused whole; one that fits (replaced ids included) is accepted whole', async () => {
  const k = await startStubs({ maxMappings: 3, mappings: [mapping(1)] });
  try {
    const tooMany = await call(k, '/__admin/mappings/import', { method: 'POST', json: { mappings: [mapping(2), mapping(3), mapping(4)] } });
    assert.is(tooMany.status, 409);
    assert.is(tooMany.body.code, 'US_STUBS_LIMIT_REACHED');
    assert.match(tooMany.body.message, 'That would make 4 mappings');
    assert.is((await call(k, '/__admin/mappings')).body.meta.total, 1);
    for (const n of [2, 3, 4]) assert.is((await call(k, `/m${n}`)).status, 404);
    // 1 is replaced, 2 and 3 are new: three in all
    const fits = await call(k, '/__admin/mappings/import', { method: 'POST', json: { mappings: [mapping(1), mapping(2), mapping(3), mapping(2)] } });
    assert.is(fits.status, 200);
    assert.is((await call(k, '/__admin/mappings')).body.meta.total, 3);
  } finally {
    await k.stop();
  }
});

mappings('files and config holding more than maxMappings stop startup; a reset to too many changes nothing', async () => {
  const root = mkdtempSync(join(tmpdir(), 'stubs-limit-'));
  try {
    mkdirSync(join(root, 'mappings'));
    writeFileSync(join(root, 'mappings', 'a.json'), JSON.stringify({ mappings: [mapping(1), mapping(2)] }));
    try {
      const k = await startStubs({ root, maxMappings: 2, mappings: [mapping(3)] });
      await k.stop();
      assert.unreachable('start should fail');
    } catch (err) {
      assert.match((err as Error).message, 'plugins.stubs.maxMappings (2)');
    }

    const k = await startStubs({ root, maxMappings: 2 });
    try {
      assert.is((await call(k, '/__admin/mappings')).body.meta.total, 2);
      writeFileSync(join(root, 'mappings', 'b.json'), JSON.stringify(mapping(3)));
      const reset = await call(k, '/__admin/mappings/reset', { method: 'POST' });
      assert.is(reset.status, 409);
      assert.is(reset.body.code, 'US_STUBS_LIMIT_REACHED');
      assert.equal((await call(k, '/__admin/mappings')).body.mappings.map((m: { id: string }) => m.id).sort(), [mapping(1).id, mapping(2).id]);
      assert.is((await call(k, '/m1')).text, 'm1');
    } finally {
      await k.stop();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

mappings('the service refuses the same way (a plugin adding mappings in code)', async () => {
  const k = await startStubs({ maxMappings: 1 });
  try {
    const stubs = k.resolve('stubs');
    stubs.add(mapping(1));
    assert.throws(() => stubs.add(mapping(2)), (err: { code?: string; statusCode?: number }) => err.code === 'US_STUBS_LIMIT_REACHED' && err.statusCode === 409);
    assert.throws(() => stubs.addAll([mapping(2)]), (err: { code?: string }) => err.code === 'US_STUBS_LIMIT_REACHED');
    assert.equal(stubs.list().map((m) => m.id), [mapping(1).id]);
  } finally {
    await k.stop();
  }
});

mappings.run();
