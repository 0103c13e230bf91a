// The control plane under /__admin/personas over real sockets: sessions CRUD with coded
// 4xx, reset, snapshot and restore (a session copied into another), one entity's read,
// patch and delete, personas, and the export in JSON, NDJSON and CSV (parsed back), with
// session changes applied, bounded by export.maxRecords and paged by offset/limit.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { start, write, type Kit } from './helpers.js';

/** RFC 4180 CSV back into rows (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      (row = []), (field = ''), i++;
    } else field += ch;
  }
  return rows;
}

const admin = suite<{ kit: Kit }>('admin');
admin.before.each(async (ctx) => {
  ctx.kit = await start({ export: { maxRecords: 50, chunkSize: 7 } });
});
admin.after.each(async (ctx) => ctx.kit.stop());

admin('sessions: create, list, read, reset, delete, each refusal coded', async ({ kit }) => {
  const created = await kit.admin('/sessions', { method: 'POST', json: { name: 'demo-1' } });
  assert.is(created.status, 201);
  assert.equal(created.body, { name: 'demo-1', createdAt: created.body.createdAt, updatedAt: created.body.createdAt, patched: 0, created: 0, deleted: 0, bytes: 0 });
  assert.is((await kit.admin('/sessions', { method: 'POST', json: { name: 'demo-1' } })).body.code, 'US_PERSONAS_SESSION_EXISTS');
  for (const body of [{ name: 'has space' }, { name: 7 }, {}, 'text']) {
    const bad = await kit.admin('/sessions', { method: 'POST', json: body });
    assert.is(bad.status, 400, JSON.stringify(body));
    assert.is(bad.body.code, 'US_PERSONAS_BAD_SESSION_NAME');
  }
  const plain = await kit.admin('/sessions', { method: 'POST', body: 'name=x', headers: { 'content-type': 'text/plain' } });
  assert.is(plain.status, 415);
  await kit.call('/finance/customers/4', write('PATCH', { segment: 'x' }, 'demo-1'));
  const one = await kit.admin('/sessions/demo-1');
  assert.is(one.body.patched, 1);
  assert.equal(one.body.entities.map((e: any) => [e.industry, e.plural, e.id, e.kind, e.record.segment]), [['finance', 'customers', '4', 'patched', 'x']]);
  const missing = await kit.admin('/sessions/demo-2');
  assert.is(missing.status, 404);
  assert.is(missing.body.code, 'US_PERSONAS_SESSION_NOT_FOUND');
  assert.match(missing.body.message, 'Did you mean "demo-1"?');
  const reset = await kit.admin('/sessions/demo-1/reset', { method: 'POST' });
  assert.is(reset.body.patched, 0);
  assert.is(kit.k.eventsOf('session.reset')[0].data.cause, 'admin');
  assert.is((await kit.admin('/sessions/nobody/reset', { method: 'POST' })).status, 404);
  assert.equal((await kit.admin('/sessions/demo-1', { method: 'DELETE' })).body, { deleted: 'demo-1' });
  assert.is((await kit.admin('/sessions/demo-1', { method: 'DELETE' })).status, 404);
  assert.equal((await kit.admin('/sessions')).body.sessions, []);
});

admin('snapshot and restore copy a session; entities read, patched and deleted through admin', async ({ kit }) => {
  await kit.call('/finance/accounts/9', write('PATCH', { status: 'frozen' }, 'src'));
  await kit.call('/finance/customers', write('POST', { name: 'Copied' }, 'src'));
  await kit.call('/finance/customers/1', { method: 'DELETE', session: 'src' });
  const snap = await kit.admin('/sessions/src/snapshot');
  assert.equal(snap.body.entities.map((e: any) => [e.plural, e.id, e.kind]), [['accounts', '9', 'patched'], ['customers', '31', 'created'], ['customers', '1', 'deleted']]);
  const put = await kit.admin('/sessions/copy/snapshot', { method: 'PUT', json: snap.body });
  assert.is(put.status, 200);
  assert.equal([put.body.patched, put.body.created, put.body.deleted], [1, 1, 1]);
  assert.is((await kit.call('/finance/accounts/9', { session: 'copy' })).body.status, 'frozen');
  assert.is((await kit.call('/finance/customers/1', { session: 'copy' })).status, 404);
  const bad = await kit.admin('/sessions/copy/snapshot', { method: 'PUT', json: { entities: [{ industry: 'finance', plural: 'customers', id: '1', kind: 'maybe' }] } });
  assert.is(bad.status, 400);
  assert.is(bad.body.code, 'US_PERSONAS_BAD_SNAPSHOT');
  assert.match(bad.body.message, 'entities[0].kind');
  assert.is((await kit.admin('/sessions/nobody/snapshot')).status, 404);

  const patched = await kit.admin('/sessions/copy/entities/finance/accounts/acc_000009', { method: 'PATCH', json: { balance: { amount: 1 } } });
  assert.is(patched.status, 200);
  assert.equal([patched.body.status, patched.body.balance.amount, patched.body._links], ['frozen', 1, undefined]);
  assert.is(kit.k.eventsOf('session.entityChanged').at(-1)!.data.cause, 'admin');
  const read = await kit.admin('/sessions/copy/entities/finance/accounts/9');
  assert.equal(read.body, patched.body);
  assert.is((await kit.admin('/sessions/copy/entities/finance/accounts/9', { method: 'DELETE' })).status, 200);
  const gone = await kit.admin('/sessions/copy/entities/finance/accounts/9');
  assert.is(gone.status, 404);
  assert.is(gone.body.code, 'US_PERSONAS_ENTITY_NOT_FOUND');
  const unknownType = await kit.admin('/sessions/copy/entities/finance/acounts/9');
  assert.is(unknownType.status, 404);
  assert.match(unknownType.body.message, 'Did you mean "accounts"?');
  const badPatch = await kit.admin('/sessions/copy/entities/finance/customers/2', { method: 'PATCH', json: { type: 'other' } });
  assert.is(badPatch.body.code, 'US_PERSONAS_BAD_CHANGES');
  assert.is((await kit.admin('/sessions/bad%20name/entities/finance/customers/2')).status, 400);
});

admin('personas: listed, one by key with her entity in a session', async ({ kit }) => {
  const list = await kit.admin('/personas');
  assert.equal(list.body.personas.map((p: any) => [p.key, p.href]), [['maria', '/finance/customers/7']]);
  await kit.call('/finance/customers/@maria', write('PATCH', { segment: 'gold' }, 'bank'));
  const maria = await kit.admin('/personas/maria?session=bank');
  assert.equal([maria.body.session, maria.body.entity.segment, maria.body.entity.name], ['bank', 'gold', 'Maria Chen']);
  assert.is((await kit.admin('/personas/maria')).body.entity.segment, 'premium');
  const nope = await kit.admin('/personas/marie');
  assert.is(nope.status, 404);
  assert.match(nope.body.message, 'Did you mean "@maria"?');
  assert.is((await kit.admin('/personas/maria?session=a%20b')).status, 400);
});

admin('export: JSON, NDJSON and CSV of the data set with the session\'s changes', async ({ kit }) => {
  await kit.call('/finance/customers/2', write('PATCH', { name: 'Quote "Me", Please', segment: 'line\nbreak' }, 'bank'));
  await kit.call('/finance/customers/3', { method: 'DELETE', session: 'bank' });
  await kit.call('/finance/customers', write('POST', { name: 'Extra' }, 'bank'));
  const all = (await kit.call('/finance/customers?pageSize=100', { session: 'bank' })).body.items.map(({ _links, ...e }: any) => e);
  assert.is(all.length, 30);

  const json = await kit.admin('/export?industry=finance&type=customers&session=bank');
  assert.is(json.status, 200);
  assert.match(json.headers.get('content-type')!, 'application/json');
  assert.is(json.headers.get('content-disposition'), 'attachment; filename="finance-customers.json"');
  assert.is(json.headers.get('x-total-count'), '30');
  assert.equal(json.body, all);

  const nd = await kit.admin('/export?industry=finance&type=customer&format=ndjson&session=bank');
  assert.match(nd.headers.get('content-type')!, 'application/x-ndjson');
  assert.equal(nd.text.trimEnd().split('\n').map((l) => JSON.parse(l)), all);

  const csv = await kit.admin('/export?industry=finance&type=customers&format=csv&session=bank');
  assert.match(csv.headers.get('content-type')!, 'text/csv');
  const rows = parseCsv(csv.text);
  const [header, ...body] = rows;
  assert.equal(header.slice(0, 5), ['id', 'type', 'name', 'email', 'segment']);
  assert.ok(header.includes('balance.amount') && header.includes('address.city'));
  assert.is(body.length, 30);
  const two = Object.fromEntries(header.map((h, i) => [h, body[1][i]]));
  assert.equal([two.id, two.name, two.segment, two['balance.currency'], two.tags], ['2', 'Quote "Me", Please', 'line\nbreak', 'EUR', JSON.stringify(all[1].tags)]);
  assert.is(body.at(-1)![0], '31');

  const part = await kit.admin('/export?industry=finance&type=accounts&format=ndjson&offset=45&limit=10');
  assert.equal(part.text.trimEnd().split('\n').map((l) => JSON.parse(l).id), ['46', '47', '48', '49', '50', '51', '52', '53', '54', '55']);
  const tail = await kit.admin('/export?industry=finance&type=accounts&offset=59');
  assert.equal(tail.body.map((a: any) => a.id), ['60']);
  const empty = await kit.admin('/export?industry=finance&type=accounts&offset=60&format=csv');
  assert.is(empty.text, 'id,type\r\n');
  assert.equal((await kit.admin('/export?industry=finance&type=accounts&offset=60')).body, []);
});

admin('export refusals: too many records, bad parameters, unknown industry or type', async ({ kit }) => {
  const big = await kit.admin('/export?industry=finance&type=accounts');
  assert.is(big.status, 400);
  assert.is(big.body.code, 'US_PERSONAS_EXPORT_TOO_LARGE');
  assert.match(big.body.message, 'plugins.personas.export.maxRecords (50)');
  const bad = await kit.admin('/export?format=xml&offset=-1&limit=0');
  assert.is(bad.body.code, 'US_PERSONAS_BAD_QUERY');
  assert.equal(bad.body.message.split('\n').slice(1).map((l: string) => l.split(':')[0]), ['industry', 'type', 'format', 'offset', 'limit']);
  const industry = await kit.admin('/export?industry=finanse&type=customers');
  assert.is(industry.status, 404);
  assert.match(industry.body.message, 'Did you mean "finance"?');
  const type = await kit.admin('/export?industry=finance&type=custmers');
  assert.is(type.status, 404);
});

admin.run();
