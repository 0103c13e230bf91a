import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { waitFor } from '@understudy/plugin-sdk/testing';
import { inbox, startBroker } from './helpers.js';

const it = suite('mqtt: a real broker over TCP and WebSocket');

it('QoS 0, 1 and 2 between real clients, with + and # wildcards', async () => {
  const b = await startBroker();
  try {
    const sub = await b.connect({ clientId: 'sub' });
    const box = inbox(sub);
    await sub.subscribeAsync({ 'devices/+/telemetry/#': { qos: 2 } });
    const pub = await b.connect({ clientId: 'pub' });
    await pub.publishAsync('devices/d1/telemetry/temperature', '21.5', { qos: 0 });
    await pub.publishAsync('devices/d2/telemetry/co2', '400', { qos: 1 });
    await pub.publishAsync('devices/d3/telemetry/x/y', 'deep', { qos: 2 });
    await pub.publishAsync('devices/d4/status', 'not matched', { qos: 1 });
    await box.until(3);
    assert.equal(box.got.map((m) => [m.topic, m.payload, m.qos]).sort(), [
      ['devices/d1/telemetry/temperature', '21.5', 0],
      ['devices/d2/telemetry/co2', '400', 1],
      ['devices/d3/telemetry/x/y', 'deep', 2],
    ]);
    const clients = (await b.k.inject({ method: 'GET', url: '/__admin/mqtt/clients' })).json().clients;
    assert.equal(clients.map((c: { id: string }) => c.id).sort(), ['pub', 'sub']);
    assert.equal(b.k.eventsOf('mqtt.clientConnected').map((e) => (e.data as { clientId: string }).clientId), ['sub', 'pub']);
  } finally {
    await b.stop();
  }
});

it('MQTT over WebSocket at /mqtt on the HTTP server talks to TCP clients', async () => {
  const b = await startBroker();
  try {
    const broker = b.k.resolve('broker');
    assert.match(broker.wsUrl, /^ws:\/\/127\.0\.0\.1:\d+\/mqtt$/);
    const ws = await b.connect({ clientId: 'browser' }, broker.wsUrl);
    const box = inbox(ws);
    await ws.subscribeAsync('hello/#', { qos: 1 });
    const tcp = await b.connect({ clientId: 'tcp' });
    await tcp.publishAsync('hello/ws', 'from tcp', { qos: 1 });
    await box.until(1);
    assert.equal(box.got[0], { topic: 'hello/ws', payload: 'from tcp', retain: false, qos: 1 });
    const ids = broker.clients().map((c) => [c.id, c.transport]);
    assert.equal(ids.sort(), [['browser', 'ws'], ['tcp', 'tcp']]);
  } finally {
    await b.stop();
  }
});

it('retained messages reach late subscribers, are listed over HTTP, and an empty payload clears them', async () => {
  const b = await startBroker();
  try {
    const pub = await b.connect();
    await pub.publishAsync('devices/d1/status', '{"state":"online"}', { qos: 1, retain: true });
    const late = await b.connect();
    const box = inbox(late);
    await late.subscribeAsync('devices/+/status');
    await box.until(1);
    assert.equal([box.got[0].topic, box.got[0].payload, box.got[0].retain], ['devices/d1/status', '{"state":"online"}', true]);
    const listed = (await b.k.inject({ method: 'GET', url: '/__admin/mqtt/retained?topic=devices/%2B/status' })).json();
    assert.equal(listed.messages, [{ topic: 'devices/d1/status', payload: '{"state":"online"}', encoding: 'utf8', qos: 1 }]);
    await pub.publishAsync('devices/d1/status', '', { qos: 1, retain: true });
    await waitFor(async () => (await b.k.resolve('broker').retained()).length === 0, 'retained cleared');
  } finally {
    await b.stop();
  }
});

it('a will is published when a client vanishes without DISCONNECT', async () => {
  const b = await startBroker();
  try {
    const watcher = await b.connect();
    const box = inbox(watcher);
    await watcher.subscribeAsync('devices/+/status', { qos: 1 });
    const device = await b.connect({
      clientId: 'd1',
      will: { topic: 'devices/d1/status', payload: Buffer.from('{"state":"offline","expected":false}'), qos: 1, retain: true },
    });
    device.stream.destroy();
    await box.until(1, 'the will');
    assert.equal(box.got[0], { topic: 'devices/d1/status', payload: '{"state":"offline","expected":false}', retain: false, qos: 1 });
    await waitFor(() => b.k.eventsOf('mqtt.clientDisconnected').length === 1, 'disconnect event');
    assert.equal(b.k.eventsOf('mqtt.clientDisconnected')[0].data, { clientId: 'd1' });
  } finally {
    await b.stop();
  }
});

it('a persistent session keeps its subscription and queues QoS 1 messages while offline', async () => {
  const b = await startBroker();
  try {
    const first = await b.connect({ clientId: 'keeper', clean: false });
    await first.subscribeAsync('jobs/#', { qos: 1 });
    await first.endAsync();
    const pub = await b.connect();
    await pub.publishAsync('jobs/1', 'while away', { qos: 1 });
    const again = b.unconnected({ clientId: 'keeper', clean: false, resubscribe: false });
    const box = inbox(again);
    again.connect();
    await box.until(1, 'the queued message');
    assert.equal(box.got[0].payload, 'while away');
  } finally {
    await b.stop();
  }
});

it('broker restart: clients reconnect; sessions keep subscriptions and queued QoS 1 messages', async () => {
  const b = await startBroker();
  try {
    const broker = b.k.resolve('broker');
    const port = broker.port;
    const live = await b.connect({ clientId: 'live', clean: false, reconnectPeriod: 20, resubscribe: false });
    const liveBox = inbox(live);
    await live.subscribeAsync('news/#', { qos: 1 });
    const away = await b.connect({ clientId: 'away', clean: false });
    await away.subscribeAsync('news/#', { qos: 1 });
    await away.endAsync();

    const reconnected = new Promise((resolve) => live.once('connect', resolve));
    const res = await b.k.inject({ method: 'POST', url: '/__admin/mqtt/restart' });
    assert.is(res.statusCode, 200);
    assert.is(broker.port, port);
    assert.is(b.k.eventsOf('mqtt.restarted').length, 1);
    await reconnected;
    await broker.publish('news/today', 'after restart', { qos: 1 });
    await liveBox.until(1, 'delivery to the reconnected client (subscription kept by the broker)');
    assert.is(liveBox.got[0].payload, 'after restart');

    const back = b.unconnected({ clientId: 'away', clean: false, resubscribe: false });
    const backBox = inbox(back);
    back.connect();
    await backBox.until(1, 'message queued across the restart');
    assert.is(backBox.got[0].payload, 'after restart');
  } finally {
    await b.stop();
  }
});

it.run();
