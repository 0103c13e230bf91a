import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { waitFor } from '@understudy/plugin-sdk/testing';
import { inbox, startBroker } from './helpers.js';

const it = suite('mqtt: device logins and topic ACLs');

const users = [{ username: 'dashboard', password: 'letmein', subscribe: ['devices/+/status'], publish: ['commands/#'] }];

it('devices log in with their secret and are kept inside devices/{id}/#', async () => {
  const b = await startBroker({ auth: { required: true, users } });
  try {
    const broker = b.k.resolve('broker');
    broker.identities.set('d1', 's3cret');
    broker.identities.set('d2', 'other');
    const d1 = await b.connect({ clientId: 'd1', username: 'd1', password: 's3cret' });
    const own = await d1.subscribeAsync('devices/d1/commands/+', { qos: 1 });
    assert.is(own[0].qos, 1);
    // refused in SUBACK (0x80); the connection stays up
    const foreign = await d1.subscribeAsync('devices/d2/commands/+', { qos: 1 }).catch((err: { packet?: { granted: number[] } }) => err.packet?.granted);
    assert.equal(foreign, [128]);
    assert.ok(d1.connected);

    const dash = await b.connect({ clientId: 'dash-1', username: 'dashboard', password: 'letmein' });
    const box = inbox(dash);
    await dash.subscribeAsync('devices/+/status');
    await d1.publishAsync('devices/d1/status', 'online', { qos: 1 });
    await box.until(1);
    assert.equal(box.got[0].topic, 'devices/d1/status');

    // publishing outside its namespace is refused: the broker drops it and closes the client
    const sneaky = new Promise((resolve) => d1.once('close', resolve));
    d1.publish('devices/d2/status', 'spoofed', { qos: 1 });
    await sneaky;
    await waitFor(() => b.k.eventsOf('mqtt.publishDenied').length === 1, 'publishDenied event');
    assert.equal(b.k.eventsOf('mqtt.publishDenied')[0].data, { clientId: 'd1', topic: 'devices/d2/status' });
    assert.is(box.got.length, 1);
    assert.is(broker.counters().dropped, 1);
    assert.equal(b.k.eventsOf('mqtt.subscribeDenied')[0].data, { clientId: 'd1', topic: 'devices/d2/commands/+' });
  } finally {
    await b.stop();
  }
});

it('wrong secrets, unknown devices and revoked identities are refused with CONNACK 5', async () => {
  const b = await startBroker({ auth: { required: true } });
  try {
    const broker = b.k.resolve('broker');
    broker.identities.set('d1', 's3cret');
    const refused = async (options: object) => {
      try {
        await b.connect(options);
        return 'connected';
      } catch (err) {
        return (err as { code?: number }).code;
      }
    };
    assert.is(await refused({ clientId: 'd1', username: 'd1', password: 'wrong' }), 5);
    assert.is(await refused({ clientId: 'ghost', username: 'ghost', password: 'x' }), 5);
    assert.is(await refused({ clientId: 'anon' }), 5);
    broker.identities.delete('d1');
    assert.is(await refused({ clientId: 'd1', username: 'd1', password: 's3cret' }), 5);
    assert.is(broker.counters().refusedConnections, 4);
    assert.equal(b.k.eventsOf('mqtt.connectionRefused')[0].data, { clientId: 'd1', reason: 'wrong password for device "d1"' });
  } finally {
    await b.stop();
  }
});

it.run();
