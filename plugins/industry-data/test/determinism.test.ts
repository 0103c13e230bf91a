// Every entity is a function of (seed, industry, type, id): the same from two services with
// the same seed whatever the order they are read in, different with another seed, and the same
// from two kernels with the same run seed. Id forms resolve to one canonical id.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { admin, service, start } from './helpers.js';

test('same seed → the same entities in any request order; another seed → others', () => {
  const a = service();
  const b = service();
  const forward = [1, 2, 3, 40, 41].map((id) => a.get('finance', 'transactions', String(id)));
  const backward = [41, 40, 3, 2, 1].map((id) => b.get('finance', 'transactions', String(id))).reverse();
  assert.equal(forward, backward);
  for (const industry of a.industries()) {
    for (const t of a.types(industry)) {
      assert.equal(a.get(industry, t.plural, '7'), b.get(industry, t.plural, '7'), `${industry}/${t.plural}/7`);
    }
  }
  const other = service({ seed: 'another' });
  assert.not.equal(other.get('finance', 'customers', '7'), a.get('finance', 'customers', '7'));
});

test('a cache hit returns a fresh copy: editing an entity never changes the next read', () => {
  const s = service();
  const first = s.get('finance', 'customers', '3')!;
  first.name = 'changed';
  assert.is.not(s.get('finance', 'customers', '3')!.name, 'changed');
});

test('id forms: 42, 0042, cus_42 and cus_000042 are one entity; outside the data set is undefined', () => {
  const s = service();
  const e = s.get('finance', 'customers', '42')!;
  assert.is(e.id, '42');
  for (const form of ['0042', 'cus_42', 'cus_000042', 'CUS_000042']) assert.equal(s.get('finance', 'customers', form), e, form);
  assert.is(s.canonicalId('finance', 'customers', 'cus_000042'), '42');
  for (const bad of ['0', '1001', 'acc_42', 'abc', '-1', '4.2', '']) assert.is(s.get('finance', 'customers', bad), undefined, bad);
  assert.is(s.canonicalId('finance', 'customers', 'x'), undefined);
  // plural or singular names both work
  assert.equal(s.get('finance', 'customer', '42'), e);
});

test('two kernels with the same run seed serve the same data; the seed config overrides it', async () => {
  const k1 = await start({}, 77);
  const k2 = await start({}, 77);
  const k3 = await start({ seed: 'fixed' }, 78);
  const k4 = await start({ seed: 'fixed' }, 79);
  try {
    const sample = async (k: typeof k1) => (await admin(k, '/industries/healthcare/patients/sample?id=5')).body.items[0];
    assert.equal(await sample(k1), await sample(k2));
    assert.equal(await sample(k3), await sample(k4));
    assert.not.equal(await sample(k1), await sample(k3));
    assert.is((await admin(k3, '/stats')).body.seed, 'fixed');
  } finally {
    await Promise.all([k1.stop(), k2.stop(), k3.stop(), k4.stop()]);
  }
});

test('dates derive from the epoch, never the wall clock', () => {
  const early = service({ epoch: '2020-06-01T00:00:00Z' });
  const late = service();
  const a = early.get('finance', 'transactions', '5')!;
  const b = late.get('finance', 'transactions', '5')!;
  assert.ok(String(a.bookedAt) < '2020-06-01T00:00:00.000Z');
  assert.ok(String(b.bookedAt) < '2026-01-01T00:00:00.000Z' && String(b.bookedAt) > '2025-06-01');
  assert.is(late.epoch, '2026-01-01T00:00:00.000Z');
});

test.run();
