import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AccessControl, IdentityStore } from '../src/access.js';

const it = suite('mqtt: access control');

const auth = (over: Partial<ConstructorParameters<typeof AccessControl>[0]> = {}) => ({
  required: true,
  users: [{ username: 'dash', password: 'pw', publish: ['commands/#'], subscribe: ['#'] }],
  devicePublish: ['devices/{id}/#'],
  deviceSubscribe: ['devices/{id}/#'],
  ...over,
});
const pw = (s: string) => Buffer.from(s);

it('without auth.required everyone may do everything', () => {
  const acl = new AccessControl(auth({ required: false }), new IdentityStore());
  const c = { id: 'anyone' };
  assert.is(acl.required, false);
  assert.ok(acl.authenticate(c, undefined, undefined).ok);
  assert.ok(acl.mayPublish(c, 'x/y').ok);
  assert.ok(acl.maySubscribe(c, '#').ok);
});

it('devices log in as themselves and stay inside devices/{id}/#', () => {
  const ids = new IdentityStore();
  ids.set('d1', 's1');
  assert.ok(ids.has('d1'));
  const acl = new AccessControl(auth(), ids);
  const d1 = { id: 'd1' };
  assert.ok(acl.authenticate(d1, 'd1', pw('s1')).ok);
  assert.ok(acl.mayPublish(d1, 'devices/d1/telemetry/t').ok);
  assert.equal(acl.mayPublish(d1, 'devices/d2/telemetry/t'), { ok: false, reason: 'client "d1" may not publish to "devices/d2/telemetry/t"' });
  assert.ok(acl.maySubscribe(d1, 'devices/d1/commands/+').ok);
  assert.equal(acl.maySubscribe(d1, 'devices/+/commands/+'), { ok: false, reason: 'client "d1" may not subscribe to "devices/+/commands/+"' });
});

it('refuses: no username, unknown name, wrong secret, borrowed client id, revoked device', () => {
  const ids = new IdentityStore();
  ids.set('d1', 's1');
  const acl = new AccessControl(auth(), ids);
  assert.equal(acl.authenticate({ id: 'd1' }, undefined, undefined), { ok: false, reason: 'no username (this broker requires a login)' });
  assert.equal(acl.authenticate({ id: 'x' }, 'x', pw('s')), { ok: false, reason: 'unknown device or user "x"' });
  assert.equal(acl.authenticate({ id: 'd1' }, 'd1', undefined), { ok: false, reason: 'wrong password for device "d1"' });
  assert.equal(acl.authenticate({ id: 'other' }, 'd1', pw('s1')), { ok: false, reason: 'device "d1" must connect with client id "d1", not "other"' });
  assert.equal(acl.authenticate({ id: 'c' }, 'dash', pw('nope')), { ok: false, reason: 'wrong password for user "dash"' });
  ids.delete('d1');
  assert.not.ok(acl.authenticate({ id: 'd1' }, 'd1', pw('s1')).ok);
  // a connection that never logged in has no grant
  assert.not.ok(acl.mayPublish({ id: 'ghost' }, 'devices/ghost/x').ok);
});

it('configured users get their own ACLs, whatever their client id', () => {
  const acl = new AccessControl(auth(), new IdentityStore());
  const dash = { id: 'dashboard-1' };
  assert.ok(acl.authenticate(dash, 'dash', pw('pw')).ok);
  assert.ok(acl.maySubscribe(dash, 'devices/+/telemetry/#').ok);
  assert.ok(acl.mayPublish(dash, 'commands/send').ok);
  assert.not.ok(acl.mayPublish(dash, 'devices/d1/commands/reboot').ok);
});

it.run();
