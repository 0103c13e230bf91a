import { connect as tcpConnect } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { definePlugin } from '@understudy/plugin-sdk';
import { waitFor } from '@understudy/plugin-sdk/testing';
import type {} from '../src/index.js';
import { inbox, startBroker } from './helpers.js';

const it = suite('mqtt: HTTP bridge, counters and bad input');

it('POST /publish sends text, JSON and base64 payloads to real subscribers; the published hook sees them', async () => {
  const seen: string[] = [];
  const tapper = definePlugin({
    name: 'tapper',
    dependencies: ['mqtt'],
    register: (ctx) => void ctx.pluginHooks('mqtt').published.tap('tapper', (m) => seen.push(`${m.topic}=${m.payload.toString()}@${m.clientId}`)),
  });
  const b = await startBroker({}, [tapper]);
  try {
    const sub = await b.connect();
    const box = inbox(sub);
    await sub.subscribeAsync('bridge/#', { qos: 1 });
    const post = (body: unknown) => b.k.inject({ method: 'POST', url: '/__admin/mqtt/publish', payload: body as object });
    const text = await post({ topic: 'bridge/text', payload: 'hello', qos: 1 });
    assert.equal(text.json(), { topic: 'bridge/text', bytes: 5, qos: 1, retain: false });
    assert.is((await post({ topic: 'bridge/json', json: { on: true } })).statusCode, 200);
    assert.is((await post({ topic: 'bridge/b64', payload: Buffer.from('bytes').toString('base64'), encoding: 'base64', retain: true })).statusCode, 200);
    await box.until(3);
    assert.equal(box.got.map((m) => [m.topic, m.payload]), [['bridge/text', 'hello'], ['bridge/json', '{"on":true}'], ['bridge/b64', 'bytes']]);
    assert.equal(seen, ['bridge/text=hello@null', 'bridge/json={"on":true}@null', 'bridge/b64=bytes@null']);

    const client = await b.connect({ clientId: 'c1' });
    await client.publishAsync('bridge/from-client', 'x', { qos: 1 });
    await waitFor(() => seen.length === 4, 'hook sees client publishes');
    assert.is(seen[3], 'bridge/from-client=x@c1');
  } finally {
    await b.stop();
  }
});

it('bad input answers 400 with a stable code and changes nothing', async () => {
  const b = await startBroker();
  try {
    const post = (body: unknown) => b.k.inject({ method: 'POST', url: '/__admin/mqtt/publish', payload: body as object });
    const wild = await post({ topic: 'devices/+/x', payload: 'p' });
    assert.is(wild.statusCode, 400);
    assert.is(wild.json().code, 'US_MQTT_BAD_TOPIC');
    const both = await post({ topic: 't', payload: 'p', json: 1 });
    assert.is(both.json().code, 'US_MQTT_BAD_PAYLOAD');
    const b64 = await post({ topic: 't', payload: 'not base64!', encoding: 'base64' });
    assert.is(b64.json().code, 'US_MQTT_BAD_PAYLOAD');
    const noTopic = await post({ payload: 'p' });
    assert.is(noTopic.statusCode, 400);
    const filter = await b.k.inject({ method: 'GET', url: '/__admin/mqtt/retained?topic=a/%23/b' });
    assert.is(filter.json().code, 'US_MQTT_BAD_FILTER');
    const kick = await b.k.inject({ method: 'DELETE', url: '/__admin/mqtt/clients/nobody' });
    assert.is(kick.statusCode, 404);
    assert.is(kick.json().code, 'US_MQTT_CLIENT_NOT_FOUND');
    assert.throws(() => b.k.resolve('broker').subscribe('a/#/b', () => {}), /not a valid topic filter/);
    assert.is((await b.k.resolve('broker').retained()).length, 0);
  } finally {
    await b.stop();
  }
});

it('retained binary payloads are listed as base64; DELETE /clients/:id drops a client and its will fires', async () => {
  const b = await startBroker();
  try {
    await b.k.resolve('broker').publish('bin/x', Buffer.from([0xff, 0x00, 0xfe]), { retain: true });
    const listed = (await b.k.inject({ method: 'GET', url: '/__admin/mqtt/retained' })).json();
    assert.equal(listed.messages, [{ topic: 'bin/x', payload: Buffer.from([0xff, 0x00, 0xfe]).toString('base64'), encoding: 'base64', qos: 0 }]);

    const watcher = await b.connect();
    const box = inbox(watcher);
    await watcher.subscribeAsync('wills/#');
    await b.connect({ clientId: 'doomed', will: { topic: 'wills/doomed', payload: Buffer.from('gone'), qos: 0, retain: false } });
    const res = await b.k.inject({ method: 'DELETE', url: '/__admin/mqtt/clients/doomed' });
    assert.equal(res.json(), { disconnected: 'doomed' });
    await box.until(1, 'the will');
    assert.is(box.got[0].payload, 'gone');
  } finally {
    await b.stop();
  }
});

it('a client sending garbage is closed alone; the others keep working; counters show it', async () => {
  const b = await startBroker();
  try {
    const good = await b.connect({ clientId: 'good' });
    const box = inbox(good);
    await good.subscribeAsync('still/#');
    const raw = tcpConnect(b.k.resolve('broker').port, '127.0.0.1');
    const closed = new Promise((resolve) => raw.on('close', resolve));
    raw.on('error', () => {});
    raw.write(Buffer.from([0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x01, 0x02]));
    await closed;
    await good.publishAsync('still/alive', 'yes');
    await box.until(1);
    await b.k.advance(1000);
    const stats = (await b.k.inject({ method: 'GET', url: '/__admin/mqtt/stats' })).json();
    assert.is(stats.clients, 1);
    assert.ok(stats.clientErrors >= 1);
    assert.is(stats.messagesIn, 1);
    assert.is(stats.messagesOut, 1);
    assert.is(stats.messagesInPerSecond, 1);
    assert.is(stats.messagesOutPerSecond, 1);
    assert.match(stats.url, /^mqtt:\/\/127\.0\.0\.1:\d+$/);
    assert.match(stats.wsUrl, /\/mqtt$/);
  } finally {
    await b.stop();
  }
});

it('a port in use stops startup with US_MQTT_LISTEN_FAILED naming the address', async () => {
  const first = await startBroker();
  try {
    const { createTestKernel } = await import('@understudy/plugin-sdk/testing');
    const mqtt = (await import('../src/index.js')).default;
    let error: (Error & { code?: string; cause?: { code?: string } }) | undefined;
    try {
      const k = await createTestKernel({ plugins: [mqtt], config: { mqtt: { port: first.k.resolve('broker').port } } });
      await k.stop();
    } catch (err) {
      error = err as Error & { code?: string; cause?: { code?: string } };
    }
    assert.ok(error);
    assert.match(error.message, /cannot listen on 127\.0\.0\.1:\d+/);
    // the kernel names the plugin and keeps the plugin's own code as the cause
    assert.is(error.code, 'US_PLUGIN_FAILED');
    assert.is(error.cause?.code, 'US_MQTT_LISTEN_FAILED');
  } finally {
    await first.stop();
  }
});

it.run();
