// Topic ACL rules (`plugins.mqtt.acl`) on a real broker, with and without logins: a denied
// filter gets SUBACK 0x80 while the rest works, a `#` carries no denied topic, anonymous
// clients cannot write where only a device identity may, and the HTTP bridge is held to
// the same rules for the identity it publishes as.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { waitFor } from '@understudy/plugin-sdk/testing';
import { inbox, startBroker } from './helpers.js';

const it = suite('mqtt: topic ACL rules');

/** What the iot preset sets: only a device identity writes under its own devices/{id}/. */
const deviceOwned = [
  { permission: 'allow', action: 'publish', who: 'devices', topics: ['devices/{id}/#'] },
  { permission: 'deny', action: 'publish', topics: ['devices/#'] },
];

const granted = (err: { packet?: { granted: number[] } }) => err.packet?.granted;

it('anonymous clients: one denied filter gets SUBACK 0x80, everything else works; a # carries no denied topic', async () => {
  const b = await startBroker({ acl: [{ permission: 'deny', action: 'subscribe', topics: ['secret/#'] }] });
  try {
    const sub = await b.connect({ clientId: 'sub' });
    const box = inbox(sub);
    const acks = await sub.subscribeAsync({ 'secret/#': { qos: 1 }, 'public/#': { qos: 1 } }).catch(granted);
    assert.equal(Array.isArray(acks) ? acks.map((a) => (typeof a === 'number' ? a : a.qos)) : acks, [128, 1]);
    assert.ok(sub.connected);
    const all = await b.connect({ clientId: 'all' });
    const allBox = inbox(all);
    await all.subscribeAsync('#', { qos: 1 });

    const pub = await b.connect({ clientId: 'pub' });
    await pub.publishAsync('secret/plans', 'hidden', { qos: 1 });
    await pub.publishAsync('public/news', 'shown', { qos: 1 });
    await box.until(1);
    await allBox.until(1);
    assert.equal(box.topics(), ['public/news']);
    assert.equal(allBox.topics(), ['public/news']);
    // publishing to it is another action: allowed
    assert.ok(pub.connected);
    await waitFor(() => b.k.resolve('broker').counters().dropped === 1, 'the delivery to # dropped and counted');
    assert.equal(b.k.eventsOf('mqtt.subscribeDenied').map((e) => e.data), [{ clientId: 'sub', topic: 'secret/#' }]);
  } finally {
    await b.stop();
  }
});

it('devices/{id}/ belongs to the device identity: anonymous clients cannot delete its retained status; its identity can write it', async () => {
  const b = await startBroker({ acl: deviceOwned });
  try {
    const broker = b.k.resolve('broker');
    broker.identities.set('d1', 's1');
    const device = await b.connect({ clientId: 'd1', username: 'd1', password: 's1' });
    await device.publishAsync('devices/d1/status', '{"state":"online"}', { qos: 1, retain: true });
    await waitFor(async () => (await broker.retained('devices/d1/status')).length === 1, 'retained status');

    // an anonymous client, even one that borrows the device's client id, is refused and closed
    for (const clientId of ['vandal', 'd1-lookalike']) {
      const vandal = await b.connect({ clientId });
      const closed = new Promise((resolve) => vandal.once('close', resolve));
      vandal.publish('devices/d1/status', '', { qos: 1, retain: true });
      await closed;
    }
    // a client id that would widen {id} matches no rule of its own
    const wild = await b.connect({ clientId: '+' });
    const wildClosed = new Promise((resolve) => wild.once('close', resolve));
    wild.publish('devices/d1/status', '', { qos: 1, retain: true });
    await wildClosed;
    assert.equal((await broker.retained('devices/d1/status')).map((m) => m.payload.toString()), ['{"state":"online"}']);
    assert.is(b.k.eventsOf('mqtt.publishDenied').length, 3);

    // the device writes its own topics, not another device's
    await device.publishAsync('devices/d1/telemetry/t', '21', { qos: 1 });
    const shut = new Promise((resolve) => device.once('close', resolve));
    device.publish('devices/d2/status', 'spoofed', { qos: 1 });
    await shut;

    // anonymous clients still read everything and publish elsewhere
    const watcher = await b.connect({ clientId: 'watcher' });
    const box = inbox(watcher);
    await watcher.subscribeAsync('devices/#', { qos: 1 });
    await box.until(1, 'the retained status');
    await watcher.publishAsync('dashboards/hello', 'hi', { qos: 1 });
    assert.ok(watcher.connected);
  } finally {
    await b.stop();
  }
});

it('without auth.required a login that names a device or user must be right; an unknown name is anonymous', async () => {
  const b = await startBroker({ acl: deviceOwned, auth: { users: [{ username: 'ops', password: 'pw' }] } });
  try {
    b.k.resolve('broker').identities.set('d1', 's1');
    const code = (options: object) =>
      b.connect(options).then(
        () => 'connected',
        (err: { code?: number }) => err.code,
      );
    assert.is(await code({ clientId: 'd1', username: 'd1', password: 'wrong' }), 5);
    assert.is(await code({ clientId: 'x', username: 'ops', password: 'wrong' }), 5);
    assert.is(await code({ clientId: 'x', username: 'nobody', password: 'anything' }), 'connected');
    assert.is(await code({ clientId: 'd1', username: 'd1', password: 's1' }), 'connected');
    // the unknown name is anonymous: it may not write device topics
    const stranger = await b.connect({ clientId: 'stranger', username: 'd1-fan', password: 'x' });
    const closed = new Promise((resolve) => stranger.once('close', resolve));
    stranger.publish('devices/d1/telemetry/t', '99', { qos: 1 });
    await closed;
  } finally {
    await b.stop();
  }
});

it('rules come before the logins\' own filters under auth.required; who and usernames narrow a rule', async () => {
  const b = await startBroker({
    auth: { required: true, users: [{ username: 'ops', password: 'pw' }, { username: 'intern', password: 'pw' }] },
    acl: [
      { permission: 'deny', action: 'all', who: 'users', usernames: ['intern'], topics: ['billing/#'] },
      { permission: 'deny', action: 'subscribe', who: 'devices', topics: ['devices/{id}/secrets'] },
    ],
  });
  try {
    b.k.resolve('broker').identities.set('d1', 's1');
    const intern = await b.connect({ clientId: 'i', username: 'intern', password: 'pw' });
    assert.equal(await intern.subscribeAsync('billing/#').catch(granted), [128]);
    const ops = await b.connect({ clientId: 'o', username: 'ops', password: 'pw' });
    assert.is((await ops.subscribeAsync('billing/#'))[0].qos, 0);
    const d1 = await b.connect({ clientId: 'd1', username: 'd1', password: 's1' });
    const acks = await d1.subscribeAsync({ 'devices/d1/commands/+': { qos: 1 }, 'devices/d1/secrets': { qos: 1 } }).catch(granted);
    assert.equal(Array.isArray(acks) ? acks.map((a) => (typeof a === 'number' ? a : a.qos)) : acks, [1, 128]);
  } finally {
    await b.stop();
  }
});

it('the HTTP bridge is held to the ACL for the identity it publishes as: 403 and nothing published', async () => {
  const b = await startBroker({ acl: deviceOwned, maxPacketSize: 256 });
  try {
    const broker = b.k.resolve('broker');
    broker.identities.set('d1', 's1');
    await broker.publish('devices/d1/status', '{"state":"online"}', { retain: true }); // in-process: Understudy itself
    const post = (body: object) => b.k.inject({ method: 'POST', url: '/__admin/mqtt/publish', payload: body });

    const denied = await post({ topic: 'devices/d1/status', payload: '', retain: true });
    assert.is(denied.statusCode, 403);
    assert.is(denied.json().code, 'US_MQTT_PUBLISH_DENIED');
    assert.match(denied.json().message, /the HTTP bridge may not publish to "devices\/d1\/status" \(plugins\.mqtt\.acl\[1\]\)/);
    assert.equal((await broker.retained('devices/d1/status')).map((m) => m.payload.toString()), ['{"state":"online"}']);
    assert.equal(b.k.eventsOf('mqtt.publishDenied').at(-1)!.data, { clientId: '$bridge', topic: 'devices/d1/status' });

    // as the device itself it may; another device's topics stay closed to it
    assert.is((await post({ topic: 'devices/d1/status', json: { state: 'offline' }, retain: true, as: 'd1' })).statusCode, 200);
    assert.equal((await broker.retained('devices/d1/status')).map((m) => m.payload.toString()), ['{"state":"offline"}']);
    assert.is((await post({ topic: 'devices/d2/status', payload: 'x', as: 'd1' })).json().code, 'US_MQTT_PUBLISH_DENIED');

    const ghost = await post({ topic: 'x', payload: 'x', as: 'ghost' });
    assert.is(ghost.statusCode, 400);
    assert.is(ghost.json().code, 'US_MQTT_UNKNOWN_IDENTITY');
    const sys = await post({ topic: '$SYS/broker/uptime', payload: 'forged' });
    assert.is(sys.json().code, 'US_MQTT_PUBLISH_DENIED');
    // outside the rules the bridge publishes as before
    assert.is((await post({ topic: 'alerts/drill', payload: 'ok' })).statusCode, 200);

    const big = await post({ topic: 'alerts/big', payload: 'x'.repeat(300) });
    assert.is(big.statusCode, 413);
    assert.is(big.json().code, 'US_MQTT_PACKET_TOO_LARGE');
  } finally {
    await b.stop();
  }
});

it('under auth.required the bridge as a user gets that user\'s filters; without "as" only the rules bind it', async () => {
  const b = await startBroker({ auth: { required: true, users: [{ username: 'ops', password: 'pw', publish: ['alerts/#'] }] } });
  try {
    const post = (body: object) => b.k.inject({ method: 'POST', url: '/__admin/mqtt/publish', payload: body });
    assert.is((await post({ topic: 'alerts/a', payload: '1', as: 'ops' })).statusCode, 200);
    const outside = await post({ topic: 'billing/a', payload: '1', as: 'ops' });
    assert.is(outside.statusCode, 403);
    assert.match(outside.json().message, /client "ops" may not publish to "billing\/a"/);
    assert.is((await post({ topic: 'billing/a', payload: '1' })).statusCode, 200);
  } finally {
    await b.stop();
  }
});

it('a rule topic that is no filter stops startup with US_MQTT_BAD_ACL naming its path', async () => {
  let error: (Error & { code?: string; cause?: { code?: string } }) | undefined;
  try {
    const b = await startBroker({ acl: [{ permission: 'deny', topics: ['ok/#', 'a/#/b'] }] });
    await b.stop();
  } catch (err) {
    error = err as typeof error;
  }
  assert.ok(error);
  assert.ok([error.code, error.cause?.code].includes('US_MQTT_BAD_ACL'), `got ${error.code}`);
  assert.match(error.message, /plugins\.mqtt\.acl\[0\]\.topics\[1\]: "a\/#\/b" is not a topic filter/);
});

it.run();
