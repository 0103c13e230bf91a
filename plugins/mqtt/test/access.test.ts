import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AccessControl, aclProblems, IdentityStore } from '../src/access.js';
import type { AclRule } from '../src/config.js';

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

const rule = (r: Partial<AclRule> & Pick<AclRule, 'permission' | 'topics'>): AclRule => ({ action: 'all', who: 'anyone', ...r });

it('acl rules without logins: the first rule that matches decides, no match allows', () => {
  const acl = new AccessControl(auth({ required: false }), new IdentityStore(), [
    rule({ permission: 'allow', action: 'publish', topics: ['shared/open'] }),
    rule({ permission: 'deny', action: 'publish', topics: ['shared/#'] }),
    rule({ permission: 'deny', action: 'subscribe', topics: ['secret/#'] }),
  ]);
  const c = { id: 'c1' };
  assert.ok(acl.authenticate(c, undefined, undefined).ok);
  assert.ok(acl.mayPublish(c, 'shared/open').ok);
  assert.equal(acl.mayPublish(c, 'shared/x'), { ok: false, reason: 'client "c1" may not publish to "shared/x" (plugins.mqtt.acl[1])' });
  assert.ok(acl.mayPublish(c, 'secret/x').ok, 'a subscribe rule says nothing of publishing');
  assert.ok(acl.mayPublish(c, 'other').ok);
  // a subscription inside a deny rule is refused; a wider one is granted and its deliveries filtered
  assert.not.ok(acl.maySubscribe(c, 'secret/+/x').ok);
  assert.ok(acl.maySubscribe(c, '#').ok);
  assert.not.ok(acl.mayReceive(c, 'secret/plans'));
  assert.ok(acl.mayReceive(c, 'public/news'));
});

it('placeholders bind to the connection; a client id that is no single level binds nothing', () => {
  const acl = new AccessControl(auth({ required: false, users: [{ username: 'ops', password: 'pw', publish: ['#'], subscribe: ['#'] }] }), new IdentityStore(), [
    rule({ permission: 'allow', action: 'publish', topics: ['own/{id}/#', 'users/{username}/#'] }),
    rule({ permission: 'deny', action: 'publish', topics: ['own/#', 'users/#'] }),
  ]);
  const plain = { id: 'c1' };
  acl.authenticate(plain, undefined, undefined);
  assert.ok(acl.mayPublish(plain, 'own/c1/x').ok);
  assert.not.ok(acl.mayPublish(plain, 'own/c2/x').ok);
  assert.not.ok(acl.mayPublish(plain, 'users/c1/x').ok, 'anonymous clients have no {username}');
  for (const id of ['+', '#', 'a/b', '']) {
    const odd = { id };
    acl.authenticate(odd, undefined, undefined);
    assert.not.ok(acl.mayPublish(odd, 'own/x/y').ok, `client id ${JSON.stringify(id)}`);
  }
  const ops = { id: 'dash-1' };
  assert.ok(acl.authenticate(ops, 'ops', pw('pw')).ok);
  assert.ok(acl.mayPublish(ops, 'users/ops/x').ok);
  assert.not.ok(acl.mayPublish(ops, 'users/admin/x').ok);
});

it('the bridge principal: anonymous is bound by the rules only; a user or device by its own filters too', () => {
  const ids = new IdentityStore();
  ids.set('d1', 's1');
  const acl = new AccessControl(auth(), ids, [rule({ permission: 'deny', action: 'publish', topics: ['locked/#'] })]);
  const bridge = acl.bridgePrincipal(undefined);
  assert.ok(acl.principalMayPublish(bridge, 'anything/at/all').ok);
  assert.equal(acl.principalMayPublish(bridge, 'locked/x'), { ok: false, reason: 'the HTTP bridge may not publish to "locked/x" (plugins.mqtt.acl[0])' });
  assert.ok(acl.principalMayPublish(acl.bridgePrincipal('d1'), 'devices/d1/x').ok);
  assert.not.ok(acl.principalMayPublish(acl.bridgePrincipal('d1'), 'devices/d2/x').ok);
  assert.ok(acl.principalMayPublish(acl.bridgePrincipal('dash'), 'commands/x').ok);
  assert.throws(() => acl.bridgePrincipal('ghost'), /No user or device "ghost"/);
});

it('rule topics that are no filters are reported with their paths', () => {
  assert.equal(aclProblems([rule({ permission: 'deny', topics: ['a/{id}/#', 'a/#/b', 'x+'] })]), [
    'plugins.mqtt.acl[0].topics[1]: "a/#/b" is not a topic filter (+ fills a whole level, # is the last one)',
    'plugins.mqtt.acl[0].topics[2]: "x+" is not a topic filter (+ fills a whole level, # is the last one)',
  ]);
  assert.throws(() => new AccessControl(auth(), new IdentityStore(), [rule({ permission: 'deny', topics: ['#/x'] })]), /Invalid topic ACL/);
});

it.run();
