// Demo sessions over real sockets: a header or cookie selects one, twelve at once stay
// isolated, REST writes (PATCH as a merge patch, POST, DELETE) show everywhere in their
// session only (entity, lists, filters, relations, counts), each change is an event with
// its cause, unsafe records and bad names are refused, bounds are coded 409s and counted,
// and the service's snapshot, restore and reset behave as the contract says.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { start, write, type Kit } from './helpers.js';

const sessions = suite<{ kit: Kit }>('sessions');
sessions.before.each(async (ctx) => {
  ctx.kit = await start();
});
sessions.after.each(async (ctx) => ctx.kit.stop());

sessions('twelve concurrent sessions each see only their own changes', async ({ kit }) => {
  const names = Array.from({ length: 12 }, (_, i) => `demo-${i + 1}`);
  const before = (await kit.call('/finance/accounts/7')).body;
  await Promise.all(names.map((s, i) => kit.call('/finance/accounts/7', write('PATCH', { balance: { amount: i * 100 }, status: `s${i}` }, s))));
  const seen = await Promise.all(names.map((s) => kit.call('/finance/accounts/7', { session: s })));
  seen.forEach((r, i) => {
    assert.is(r.headers.get('x-demo-session'), names[i]);
    assert.equal(r.body.balance, { amount: i * 100, currency: 'EUR' }, 'a merge patch keeps the currency');
    assert.is(r.body.status, `s${i}`);
    assert.is(r.body.iban, before.iban);
  });
  assert.equal((await kit.call('/finance/accounts/7')).body, before, 'the default session is untouched');
  assert.is(kit.k.eventsOf('session.created').length, 12);
  assert.equal(
    kit.k.resolve('sessions').list().map((s) => s.name).sort(),
    [...names].sort(),
  );
});

sessions('the demo_session cookie selects a session; the header wins over it', async ({ kit }) => {
  await kit.call('/finance/customers/1', write('PATCH', { segment: 'cookie' }, 'c1'));
  const byCookie = await kit.call('/finance/customers/1', { headers: { cookie: 'theme=dark; demo_session=c1' } });
  assert.is(byCookie.body.segment, 'cookie');
  assert.is(byCookie.headers.get('x-demo-session'), 'c1');
  const quoted = await kit.call('/finance/customers/1', { headers: { cookie: 'demo_session="c1"' } });
  assert.is(quoted.body.segment, 'cookie');
  const both = await kit.call('/finance/customers/1', { headers: { cookie: 'demo_session=c1' }, session: 'other' });
  assert.is.not(both.body.segment, 'cookie');
  const bad = await kit.call('/finance/customers/1', { session: 'no spaces' });
  assert.is(bad.status, 400);
  assert.is(bad.body.code, 'US_PERSONAS_BAD_SESSION_NAME');
});

sessions('a patch shows in lists, filters, sorting, relations; events carry changes and cause', async ({ kit }) => {
  const s = 'sales';
  const patched = await kit.call('/finance/accounts/33', write('PATCH', { status: 'frozen', balance: { amount: 999_999_999 }, note: 'watch', openedAt: null }, s));
  assert.is(patched.status, 200);
  assert.is(patched.body.status, 'frozen');
  assert.is(patched.body.openedAt, undefined, 'null removes a field');
  assert.is(patched.body._links.self, `${kit.base}/finance/accounts/33`);
  const noted = await kit.call('/finance/accounts?note=watch', { session: s });
  assert.equal(noted.body.items.map((a: any) => a.id), ['33'], 'a field the session added can be filtered on');
  assert.is((await kit.call('/finance/accounts?note=watch')).status, 400, 'not in another session');
  const frozen = await kit.call('/finance/accounts?status=frozen', { session: s });
  assert.equal(frozen.body.items.map((a: any) => a.id), ['33']);
  assert.equal((await kit.call('/finance/accounts?status=frozen')).body.total, 0);
  const top = await kit.call('/finance/accounts?sort=-balance&pageSize=1', { session: s });
  assert.is(top.body.items[0].id, '33');
  const theirs = await kit.call('/finance/customers/3/accounts', { session: s });
  assert.equal(theirs.body.items.map((a: any) => [a.id, a.status]), [['3', 'open'], ['33', 'frozen']]);
  // moving the account to another customer moves it between relations
  await kit.call('/finance/accounts/33', write('PATCH', { customerId: 'cus_000004' }, s));
  assert.equal((await kit.call('/finance/customers/3/accounts', { session: s })).body.items.map((a: any) => a.id), ['3']);
  assert.equal((await kit.call('/finance/customers/4/accounts', { session: s })).body.items.map((a: any) => a.id), ['4', '34', '33']);
  assert.is((await kit.call('/finance/accounts/33/customer', { session: s })).body.id, '4');
  const events = kit.k.eventsOf('session.entityChanged');
  assert.equal(events[0].data, {
    session: s,
    industry: 'finance',
    plural: 'accounts',
    id: '33',
    kind: 'patched',
    changes: { status: 'frozen', balance: { amount: 999_999_999 }, note: 'watch', openedAt: null },
    cause: 'rest',
  });
  const changing = await kit.call('/finance/accounts/33', write('PATCH', { id: '34' }, s));
  assert.is(changing.status, 400);
  assert.is(changing.body.code, 'US_PERSONAS_BAD_CHANGES');
  const notObject = await kit.call('/finance/accounts/33', write('PATCH', [1, 2], s));
  assert.is(notObject.body.code, 'US_PERSONAS_BAD_CHANGES');
});

sessions('POST creates with the next id (or a given one), DELETE hides; both only in the session', async ({ kit }) => {
  const s = 'shop';
  const created = await kit.call('/finance/customers', write('POST', { name: 'New Person', email: 'new@example.com', segment: 'basic' }, s));
  assert.is(created.status, 201);
  assert.is(created.body.id, '31');
  assert.is(created.body.type, 'customer');
  assert.is(created.headers.get('location'), '/finance/customers/31');
  const again = await kit.call('/finance/customers', write('POST', { name: 'Second' }, s));
  assert.is(again.body.id, '32');
  const given = await kit.call('/finance/customers', write('POST', { id: 'vip-1', name: 'Given' }, s));
  assert.is(given.body.id, 'vip-1');
  assert.is((await kit.call('/finance/customers', write('POST', { id: 'vip-1' }, s))).body.code, 'US_PERSONAS_ENTITY_EXISTS');
  assert.is((await kit.call('/finance/customers', write('POST', { id: '7' }, s))).status, 409, 'a generated id exists');
  assert.is((await kit.call('/finance/customers', write('POST', { id: 'a b' }, s))).body.code, 'US_PERSONAS_BAD_ID');
  // spellings of a created id find it too
  assert.is((await kit.call('/finance/customers/cus_000031', { session: s })).body.name, 'New Person');
  const list = await kit.call('/finance/customers?page=2&pageSize=20', { session: s });
  assert.is(list.body.total, 33);
  assert.equal(list.body.items.slice(-3).map((c: any) => c.id), ['31', '32', 'vip-1']);
  assert.is((await kit.call('/finance/customers/31')).status, 404, 'not in the default session');
  // an account for the new customer is one of her accounts
  const account = await kit.call('/finance/accounts', write('POST', { customerId: '31', status: 'open', balance: { amount: 5, currency: 'EUR' } }, s));
  assert.is(account.body.id, '61');
  assert.equal((await kit.call('/finance/customers/31/accounts', { session: s })).body.items.map((a: any) => a.id), ['61']);

  const del = await kit.call('/finance/customers/7', { method: 'DELETE', session: s });
  assert.is(del.status, 204);
  const gone = await kit.call('/finance/customers/7', { session: s });
  assert.is(gone.status, 404);
  assert.match(gone.body.message, 'deleted in session "shop"');
  assert.is((await kit.call('/finance/customers/7')).status, 200);
  assert.is((await kit.call('/finance/customers?pageSize=100', { session: s })).body.total, 32);
  assert.is((await kit.call('/finance', { session: s })).body.types[0].count, 32);
  // deleting a created entity forgets it; creating a deleted generated id brings it back as patched
  await kit.call('/finance/customers/32', { method: 'DELETE', session: s });
  assert.is((await kit.call('/finance/customers/32', { session: s })).status, 404);
  const back = await kit.call('/finance/customers', write('POST', { id: '7', name: 'Back' }, s));
  assert.is(back.status, 201);
  const info = kit.k.resolve('sessions').info(s)!;
  assert.equal({ patched: info.patched, created: info.created, deleted: info.deleted }, { patched: 1, created: 3, deleted: 0 });
  assert.equal(kit.k.eventsOf('session.entityChanged').map((e) => e.data.kind), ['created', 'created', 'created', 'created', 'deleted', 'deleted', 'patched']);
});

sessions('writes need JSON and safe data', async ({ kit }) => {
  const text = await kit.call('/finance/customers/1', { method: 'PATCH', body: 'x', headers: { 'content-type': 'text/plain' } });
  assert.is(text.status, 415);
  assert.is(text.body.code, 'US_PERSONAS_UNSUPPORTED_MEDIA_TYPE');
  const broken = await kit.call('/finance/customers/1', { method: 'PATCH', body: '{', headers: { 'content-type': 'application/json' } });
  assert.is(broken.body.code, 'US_PERSONAS_INVALID_JSON');
  const merge = await kit.call('/finance/customers/1', { method: 'PATCH', body: '{"segment":"x"}', headers: { 'content-type': 'application/merge-patch+json' }, session: 'm' });
  assert.is(merge.status, 200);
  const unsafe = await kit.call('/finance/customers/1', write('PATCH', { email: 'someone@gmail.com' }, 'm'));
  assert.is(unsafe.status, 422);
  assert.is(unsafe.body.code, 'US_PERSONAS_UNSAFE_RECORD');
  assert.equal(unsafe.body.problems[0].rule, 'email.rfc2606');
  assert.is((await kit.call('/finance/customers/1', { session: 'm' })).body.segment, 'x', 'nothing changed');
  const missing = await kit.call('/finance/customers/99', write('PATCH', { segment: 'x' }, 'm'));
  assert.is(missing.status, 404);
});

sessions('service: snapshot, restore, reset, delete (the contract scenarios rewinds with)', async ({ kit }) => {
  const svc = kit.k.resolve('sessions');
  assert.equal(svc.snapshot('nobody'), { entities: [] });
  svc.patch('story', 'finance', 'accounts', 'acc_000007', { balance: { amount: 10 } }, 'scenario:bank/one');
  const start = svc.snapshot('story');
  assert.equal(start.entities.map((e) => [e.id, e.kind]), [['7', 'patched']]);
  await kit.k.clock.advance(5000);
  svc.patch('story', 'finance', 'accounts', '7', { balance: { amount: -50 } }, 'scenario:bank/two');
  svc.createEntity('story', 'finance', 'customers', { name: 'Late' });
  svc.deleteEntity('story', 'finance', 'customers', '2');
  assert.is(svc.get('story', 'finance', 'accounts', '7')!.balance && (svc.get('story', 'finance', 'accounts', '7')!.balance as any).amount, -50);
  assert.is(svc.info('story')!.updatedAt - svc.info('story')!.createdAt, 5000, 'times are the kernel clock');
  svc.restore('story', start);
  assert.equal((svc.get('story', 'finance', 'accounts', '7')!.balance as any).amount, 10);
  assert.is(svc.get('story', 'finance', 'customers', '31'), undefined);
  assert.ok(svc.get('story', 'finance', 'customers', '2'));
  assert.equal(kit.k.eventsOf('session.restored').map((e) => e.data), [{ session: 'story', entities: 1 }]);
  // a returned entity is a copy
  const e = svc.get('story', 'finance', 'accounts', '7')!;
  e.status = 'mutated';
  assert.is(svc.get('story', 'finance', 'accounts', '7')!.status, 'open');
  svc.restore('fresh', start);
  assert.is(svc.info('fresh')!.patched, 1, 'restore creates the session');
  svc.reset('story');
  assert.is(svc.info('story')!.patched, 0);
  assert.is((svc.get('story', 'finance', 'accounts', '7')!.balance as any).amount, (svc.get('default', 'finance', 'accounts', '7')!.balance as any).amount);
  svc.delete('story');
  assert.is(svc.info('story'), undefined);
  assert.throws(() => svc.delete('story'), (err: any) => err.code === 'US_PERSONAS_SESSION_NOT_FOUND');
  assert.throws(() => svc.create('fresh'), (err: any) => err.code === 'US_PERSONAS_SESSION_EXISTS');
  assert.throws(() => svc.create('bad name'), (err: any) => err.code === 'US_PERSONAS_BAD_SESSION_NAME');
  assert.throws(() => svc.get('x', 'finance', 'nope', '1'), (err: any) => err.code === 'US_INDUSTRY_TYPE_UNKNOWN');
  assert.throws(() => svc.patch('x', 'finance', 'customers', '31', { a: 1 }), (err: any) => err.code === 'US_PERSONAS_ENTITY_NOT_FOUND' && /ids run from 1 to 30/.test(err.message));
  assert.throws(() => svc.deleteEntity('x', 'finance', 'customers', 'nobody'), (err: any) => err.statusCode === 404);
  assert.equal(kit.k.eventsOf('session.deleted').map((e) => e.data), [{ session: 'story' }]);
});

sessions('restore checks the whole state first: every problem with its path, nothing changed', async ({ kit }) => {
  const svc = kit.k.resolve('sessions');
  svc.patch('r', 'finance', 'customers', '1', { segment: 'kept' });
  const bad = {
    entities: [
      { industry: 'finance', plural: 'customers', id: '2', kind: 'patched', record: { segment: 'x' } },
      { industry: 'finance', plural: 'nope', id: '1', kind: 'patched', record: {} },
      { industry: 'finance', plural: 'customers', id: '99', kind: 'patched', record: {} },
      { industry: 'finance', plural: 'customers', id: '3', kind: 'created', record: {} },
      { industry: 'finance', plural: 'customers', id: '4', kind: 'deleted', record: {} },
      { industry: 'finance', plural: 'customers', id: '5', kind: 'gone' },
      { industry: 'finance', plural: 'customers', id: 'cus_000002', kind: 'deleted' },
      { industry: 'finance', plural: 'customers', id: '6', kind: 'patched', record: { email: 'x@gmail.com' } },
      { industry: 'finance', plural: 'customers', id: '8', kind: 'patched' },
      { industry: 'finance', plural: 'customers', id: 'a b', kind: 'created', record: {} },
      'no',
      { id: 1 },
    ],
  };
  assert.throws(
    () => svc.restore('r', bad as any),
    (err: any) =>
      err.code === 'US_PERSONAS_BAD_SNAPSHOT' &&
      err.problems.length === 11 &&
      err.problems[0].startsWith('entities[1]: Industry "finance" has no entity type "nope"') &&
      err.problems.some((p: string) => p.startsWith('entities[6]: finance/customers/2 is listed twice')) &&
      err.problems.some((p: string) => p.startsWith('entities[7].record.email')),
  );
  assert.throws(() => svc.restore('r', { nope: 1 } as any), (err: any) => err.code === 'US_PERSONAS_BAD_SNAPSHOT');
  assert.is(svc.get('r', 'finance', 'customers', '1')!.segment, 'kept');
  assert.is(svc.info('r')!.patched, 1);
});

sessions.run();

const bounds = suite('bounds');
bounds('sessions, entities and bytes are bounded; refusals are coded 409s and counted', async () => {
  const kit = await start({ sessions: { max: 3, maxEntities: 2, maxBytes: 2048, maxTotalBytes: 4096 } });
  try {
    for (const s of ['a', 'b', 'c']) assert.is((await kit.call('/finance/customers/1', write('PATCH', { segment: s }, s))).status, 200);
    const fourth = await kit.call('/finance/customers/1', write('PATCH', { segment: 'd' }, 'd'));
    assert.is(fourth.status, 409);
    assert.is(fourth.body.code, 'US_PERSONAS_SESSION_LIMIT');
    assert.match(fourth.body.message, 'plugins.personas.sessions.max');
    assert.is((await kit.call('/finance/customers/1', { session: 'd' })).status, 200, 'reads need no session');
    await kit.call('/finance/customers/2', write('PATCH', { segment: 'x' }, 'a'));
    const third = await kit.call('/finance/customers/3', write('PATCH', { segment: 'x' }, 'a'));
    assert.is(third.body.code, 'US_PERSONAS_SESSION_FULL');
    assert.match(third.body.message, 'maxEntities');
    assert.is((await kit.call('/finance/customers/2', write('PATCH', { segment: 'again' }, 'a'))).status, 200, 'changing a held entity adds none');
    const big = await kit.call('/finance/customers/1', write('PATCH', { notes: 'x'.repeat(3000) }, 'b'));
    assert.match(big.body.message, 'maxBytes');
    await kit.call('/finance/customers/1', write('PATCH', { notes: 'x'.repeat(1500) }, 'b'));
    const total = await kit.call('/finance/customers/1', write('PATCH', { notes: 'x'.repeat(1500) }, 'c'));
    assert.match(total.body.message, 'maxTotalBytes');
    const stats = (await kit.admin('/sessions')).body.stats;
    assert.equal(stats.refused, { sessions: 1, entities: 1, bytes: 2 });
    assert.is(stats.sessions, 3);
    assert.ok(stats.bytes <= 4096);
  } finally {
    await kit.stop();
  }
});
bounds('without autoCreate, an unknown session is a 404 (the default one always works)', async () => {
  const kit = await start({ sessions: { autoCreate: false } });
  try {
    const res = await kit.call('/finance/customers/1', { session: 'demo-1' });
    assert.is(res.status, 404);
    assert.is(res.body.code, 'US_PERSONAS_SESSION_NOT_FOUND');
    assert.is((await kit.admin('/sessions', { method: 'POST', json: { name: 'demo-1' } })).status, 201);
    assert.is((await kit.call('/finance/customers/1', { session: 'demo-1' })).status, 200);
    assert.is((await kit.call('/finance/customers/1', write('PATCH', { segment: 'x' }))).status, 200);
    const near = await kit.call('/finance/customers/1', { session: 'demo-2' });
    assert.equal(near.body.suggestions, ['demo-1']);
  } finally {
    await kit.stop();
  }
});
bounds('a filtered or sorted list of a type larger than maxScan is a coded 400; plain pages still work', async () => {
  const kit = await start({ maxScan: 40 });
  try {
    const res = await kit.call('/finance/accounts?status=open');
    assert.is(res.status, 400);
    assert.match(res.body.message, 'more than plugins.personas.maxScan (40)');
    assert.is((await kit.call('/finance/accounts?page=3&pageSize=25')).body.items.length, 10);
    assert.is((await kit.call('/finance/customers?status_ne=x&sort=-id')).status, 400, 'status is no customer field');
    assert.is((await kit.call('/finance/customers?sort=-id')).body.items[0].id, '30');
    // patched and created entities of a large type page without a scan; a deletion needs one
    await kit.call('/finance/accounts/2', write('PATCH', { status: 'frozen' }, 's'));
    await kit.call('/finance/accounts', write('POST', { status: 'new' }, 's'));
    const last = await kit.call('/finance/accounts?page=7&pageSize=10', { session: 's' });
    assert.equal([last.body.total, last.body.items.map((a: any) => a.id)], [61, ['61']]);
    assert.is((await kit.call('/finance/accounts?pageSize=2', { session: 's' })).body.items[1].status, 'frozen');
    await kit.call('/finance/accounts/3', { method: 'DELETE', session: 's' });
    assert.is((await kit.call('/finance/accounts', { session: 's' })).status, 400);
  } finally {
    await kit.stop();
  }
});
bounds('validateWrites: safety rules by default, every rule with all, none with off', async () => {
  for (const [mode, unsafe, inconsistent] of [['safety', 422, 200], ['all', 422, 422], ['off', 200, 200]] as const) {
    const kit = await start(mode === 'safety' ? {} : { validateWrites: mode });
    try {
      assert.is((await kit.call('/finance/customers/1', write('PATCH', { email: 'a@gmail.com' }, 's'))).status, unsafe, `${mode}: unsafe`);
      const res = await kit.call('/finance/accounts/1', write('PATCH', { status: 'inconsistent' }, 's'));
      assert.is(res.status, inconsistent, `${mode}: inconsistent`);
      if (inconsistent === 422) assert.equal(res.body.problems.map((p: any) => p.rule), ['money.balance']);
    } finally {
      await kit.stop();
    }
  }
});
bounds.run();
