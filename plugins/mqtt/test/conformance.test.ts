// MQTT 3.1.1 conformance where aedes alone falls short, and the broker's largest packet,
// each sent byte by byte over a raw TCP socket: what the broker answers, that it closes,
// and that everyone else keeps being served.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { waitFor } from '@understudy/plugin-sdk/testing';
import { inbox, startBroker } from './helpers.js';
import { CONNACK, connectPacket, publishHeader, publishPacket, rawClient } from './raw.js';

const it = suite('mqtt: MQTT 3.1.1 conformance and the largest packet');

it('an empty client id with cleanSession = 0 is refused with CONNACK 0x02, then closed (MQTT-3.1.3-8)', async () => {
  const b = await startBroker();
  try {
    const port = b.k.resolve('broker').port;
    const raw = await rawClient(port);
    raw.write(connectPacket({ clientId: '', clean: false }));
    assert.equal(await raw.closed, CONNACK(0x02));
    assert.equal(b.k.eventsOf('mqtt.connectionRefused').map((e) => e.data.clientId), ['']);
    assert.match(b.k.eventsOf('mqtt.connectionRefused')[0].data.reason, /MQTT-3\.1\.3-8/);
    assert.is(b.k.resolve('broker').counters().refusedConnections, 1);

    // with a clean session the broker assigns an id (MQTT-3.1.3-6) and accepts
    const clean = await rawClient(port);
    clean.write(connectPacket({ clientId: '', clean: true }));
    assert.equal(await clean.bytes(4), CONNACK(0x00));
    clean.socket.destroy();
  } finally {
    await b.stop();
  }
});

it('an unsupported protocol level gets CONNACK 0x01 before the close (MQTT-3.1.2-2); a name that is not MQTT is just closed', async () => {
  const b = await startBroker();
  try {
    const port = b.k.resolve('broker').port;
    for (const level of [0, 2, 5, 6, 0x80 | 7]) {
      const raw = await rawClient(port);
      raw.write(connectPacket({ level, clientId: `level-${level}` }));
      assert.equal(await raw.closed, CONNACK(0x01), `level ${level}`);
    }
    const raw = await rawClient(port);
    raw.write(connectPacket({ protocolName: 'MQTX', clientId: 'not-mqtt' }));
    assert.equal(await raw.closed, Buffer.alloc(0)); // MQTT-3.1.2-1: the server may close without CONNACK
    // levels mqtt-packet refuses are reported by this plugin; level 5 is refused by aedes itself
    assert.is(b.k.eventsOf('mqtt.connectionRefused').length, 4);
    assert.match(b.k.eventsOf('mqtt.connectionRefused')[0].data.reason, /unsupported protocol level 0/);

    // 3.1 (MQIsdp, level 3) and 3.1.1 (MQTT, level 4) are served
    for (const [protocolName, level] of [['MQIsdp', 3], ['MQTT', 4]] as const) {
      const ok = await rawClient(port);
      ok.write(connectPacket({ protocolName, level, clientId: `ok-${level}` }));
      assert.equal(await ok.bytes(4), CONNACK(0x00));
      ok.socket.destroy();
    }
  } finally {
    await b.stop();
  }
});

it('a client that declares a 256 MB PUBLISH is disconnected at the header; the broker keeps serving the others', async () => {
  const b = await startBroker();
  try {
    const broker = b.k.resolve('broker');
    const good = await b.connect({ clientId: 'good' });
    const box = inbox(good);
    await good.subscribeAsync('still/#');

    const raw = await rawClient(broker.port);
    raw.write(connectPacket({ clientId: 'greedy' }));
    assert.equal(await raw.bytes(4), CONNACK(0x00));
    raw.write(Buffer.concat([publishHeader(268_435_455), Buffer.from('a little of it')]));
    await raw.closed;
    await waitFor(() => b.k.eventsOf('mqtt.packetTooLarge').length === 1, 'packetTooLarge event');
    assert.equal(b.k.eventsOf('mqtt.packetTooLarge')[0].data, { clientId: 'greedy', bytes: 268_435_460, limit: 1024 * 1024 });

    // before CONNECT too: the CONNECT itself may not be larger
    const early = await rawClient(broker.port);
    early.write(Buffer.concat([Buffer.from([0x10]), Buffer.from([0xff, 0xff, 0xff, 0x7f])]));
    assert.equal(await early.closed, Buffer.alloc(0));

    await good.publishAsync('still/alive', 'yes');
    await box.until(1);
    const stats = (await b.k.inject({ method: 'GET', url: '/__admin/mqtt/stats' })).json();
    assert.is(stats.oversizedPackets, 2);
    assert.ok(stats.clientErrors >= 2);
    assert.is(stats.clients, 1);
  } finally {
    await b.stop();
  }
});

it('maxPacketSize is exact: a packet of that size passes, one byte more closes the connection', async () => {
  const b = await startBroker({ maxPacketSize: 1024 });
  try {
    const broker = b.k.resolve('broker');
    const seen: string[] = [];
    broker.subscribe('big/#', (m) => seen.push(`${m.topic}:${m.payload.length}`));
    const topic = 'big/x'; // PUBLISH = 1 type byte + 2 length bytes + (2 + 5) topic bytes + payload
    const fits = 1024 - 1 - 2 - 7;
    const raw = await rawClient(broker.port);
    raw.write(connectPacket({ clientId: 'edge-of-limit' }));
    await raw.bytes(4);
    assert.is(publishPacket(topic, Buffer.alloc(fits)).length, 1024);
    raw.write(publishPacket(topic, Buffer.alloc(fits)));
    await waitFor(() => seen.length === 1, 'the 1024-byte packet delivered');
    assert.equal(seen, [`big/x:${fits}`]);
    raw.write(publishPacket(topic, Buffer.alloc(fits + 1)));
    await raw.closed;
    assert.is(seen.length, 1);
    assert.equal(b.k.eventsOf('mqtt.packetTooLarge')[0].data, { clientId: 'edge-of-limit', bytes: 1025, limit: 1024 });

    // an MQTT client library meets the same limit, over TCP and over WebSocket
    for (const url of [broker.url, broker.wsUrl]) {
      const client = await b.connect({ clientId: 'lib' }, url);
      const gone = new Promise((resolve) => client.once('close', resolve));
      client.publish('big/y', Buffer.alloc(4096));
      await gone;
    }
    assert.is(seen.length, 1);
    assert.is(broker.counters().oversizedPackets, 3);
  } finally {
    await b.stop();
  }
});

it('maxPacketSize is checked by the config schema', async () => {
  let error: (Error & { code?: string }) | undefined;
  try {
    const b = await startBroker({ maxPacketSize: 10 });
    await b.stop();
  } catch (err) {
    error = err as Error & { code?: string };
  }
  assert.is(error?.code, 'US_CONFIG_INVALID');
  assert.match(error!.message, /plugins\.mqtt\.maxPacketSize/);
});

it.run();
