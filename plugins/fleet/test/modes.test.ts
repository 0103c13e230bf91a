import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import mqttClient from 'mqtt';
import { waitFor } from '@understudy/plugin-sdk/testing';
import { startFleet, statusWatcher } from './helpers.js';

const modes = suite('in-process and external devices');

modes('in-process devices: status messages, publish and subscribe through the broker, no sockets', async () => {
  const kit = await startFleet({
    deviceTypes: { beacon: { connection: 'inprocess', firmware: '0.9.0', metadata: { site: 'lab' } } },
    devices: [{ type: 'beacon', count: 3 }],
  });
  try {
    assert.equal(kit.fleet.list().map((d) => [d.id, d.connection, d.firmware, d.metadata.site, d.state]), [
      ['beacon-0001', 'inprocess', '0.9.0', 'lab', 'active'],
      ['beacon-0002', 'inprocess', '0.9.0', 'lab', 'active'],
      ['beacon-0003', 'inprocess', '0.9.0', 'lab', 'active'],
    ]);
    const broker = kit.k.resolve('broker');
    assert.is(broker.clients().length, 0, 'no socket per device');
    const retained = await broker.retained('devices/+/status');
    assert.equal(retained.map((m) => [m.topic, JSON.parse(m.payload.toString()).state]), [
      ['devices/beacon-0001/status', 'online'],
      ['devices/beacon-0002/status', 'online'],
      ['devices/beacon-0003/status', 'online'],
    ]);

    const tester = await kit.client();
    const watcher = await statusWatcher(tester);
    const agent = kit.fleet.agent('beacon-0001')!;
    const got: string[] = [];
    agent.subscribe('devices/beacon-0001/commands/#', (topic, payload) => got.push(`${topic}=${payload}`));
    agent.subscribe('devices/beacon-0001/commands/+', (topic) => got.push(`plus:${topic}`));
    await tester.publishAsync('devices/beacon-0001/commands/ping', 'hi', { qos: 1 });
    await waitFor(() => got.length === 2, 'delivered once per subscription');
    assert.equal(got.sort(), ['devices/beacon-0001/commands/ping=hi', 'plus:devices/beacon-0001/commands/ping']);

    const seen: string[] = [];
    await tester.subscribeAsync('devices/beacon-0001/telemetry/#');
    tester.on('message', (topic, payload) => topic.includes('telemetry') && seen.push(payload.toString()));
    await agent.publish('devices/beacon-0001/telemetry/rssi', { value: -60 });
    await waitFor(() => seen.length === 1, 'telemetry from an in-process device');
    assert.equal(JSON.parse(seen[0]), { value: -60 });

    await kit.fleet.disconnect('beacon-0002', false);
    await kit.fleet.disconnect('beacon-0003');
    await watcher.until((g) => g.some((s) => s.id === 'beacon-0002' && s.state === 'offline' && !s.expected), 'simulated will');
    await watcher.until((g) => g.some((s) => s.id === 'beacon-0003' && s.state === 'offline' && s.expected), 'clean offline');
    assert.equal(kit.k.eventsOf('device.disconnected').map((e) => e.data), [
      { id: 'beacon-0002', expected: false },
      { id: 'beacon-0003', expected: true },
    ]);

    // subscriptions are kept while offline and listened to again on reconnect
    await kit.fleet.disconnect('beacon-0001');
    assert.not.ok(agent.online);
    const unsubscribe = agent.subscribe('devices/beacon-0001/config', (topic) => got.push(topic));
    await kit.fleet.connect('beacon-0001');
    await tester.publishAsync('devices/beacon-0001/config', '{}', { qos: 1 });
    await waitFor(() => got.includes('devices/beacon-0001/config'), 'subscription made while offline');
    unsubscribe();
    await agent.publish('devices/beacon-0001/config', 'x', { qos: 1 });
    assert.is(got.filter((t) => t === 'devices/beacon-0001/config').length, 1, 'unsubscribed');
  } finally {
    await kit.stop();
  }
});

modes('in-process intermittent devices follow the model on the kernel clock', async () => {
  const kit = await startFleet({
    deviceTypes: { tag: { connection: 'inprocess', connectivity: { model: 'intermittent', meanOnlineMs: 60_000, meanOfflineMs: 10_000 } } },
    devices: [{ type: 'tag', count: 20 }],
  });
  try {
    assert.is(kit.fleet.stats().connected, 20);
    for (let i = 0; i < 60; i++) {
      await kit.k.advance(5_000);
      await waitFor(() => kit.fleet.stats().changing === 0, 'settled');
    }
    const off = kit.k.eventsOf('device.disconnected');
    const on = kit.k.eventsOf('device.connected');
    assert.ok(off.length >= 20, `${off.length} disconnects in 5 minutes`);
    const stats = kit.fleet.stats();
    assert.is(on.length - 20, off.length - stats.byState.offline, 'every device that went offline and is not offline now came back');
    assert.is(stats.byState.active + stats.byState.offline, 20);
    assert.is(stats.counters.expectedDisconnects + stats.counters.unexpectedDisconnects, off.length);
  } finally {
    await kit.stop();
  }
});

modes('external devices are identities only; their state follows the broker', async () => {
  const kit = await startFleet({ devices: [{ type: 'phone', count: 1, connection: 'external' }] }, { mqtt: { auth: { required: true } } });
  try {
    const phone = kit.fleet.get('phone-0001')!;
    assert.is(phone.state, 'provisioned');
    assert.is(kit.fleet.agent('phone-0001'), undefined);
    await kit.fleet.connect('phone-0001').then(
      () => assert.unreachable(),
      (err) => assert.is(err.code, 'US_FLEET_NOT_SIMULATED'),
    );
    const connect = () =>
      mqttClient.connectAsync(kit.k.resolve('broker').url, { clientId: phone.id, username: phone.id, password: phone.credentials.password, reconnectPeriod: 0 });
    const real = await connect();
    await waitFor(() => kit.fleet.get('phone-0001')!.state === 'active', 'active when it connects');
    const connectedAt = kit.fleet.get('phone-0001')!.lastSeenAt!;
    await kit.k.advance(1000);
    await real.publishAsync('devices/phone-0001/telemetry/battery', '80', { qos: 1 });
    await waitFor(() => kit.fleet.get('phone-0001')!.lastSeenAt === connectedAt + 1000, 'lastSeenAt from its messages');
    await real.publishAsync('devices/phone-0001/status', JSON.stringify({ state: 'offline', expected: true }), { qos: 1, retain: true });
    await real.publishAsync('devices/phone-0001/status', 'not json', { qos: 1 });
    await real.publishAsync('devices/phone-0001/status', JSON.stringify({ state: 'offline', expected: true }), { qos: 1, retain: true });
    await real.endAsync();
    await waitFor(() => kit.fleet.get('phone-0001')!.state === 'offline', 'offline when it leaves');
    const again = await connect();
    await waitFor(() => kit.fleet.get('phone-0001')!.state === 'active', 'active again');
    // it meant to leave, changed its mind, then vanished: not expected
    await again.publishAsync('devices/phone-0001/status', JSON.stringify({ state: 'offline', expected: true }), { qos: 1 });
    await again.publishAsync('devices/phone-0001/status', JSON.stringify({ state: 'online', expected: true }), { qos: 1 });
    again.stream.destroy();
    await waitFor(() => kit.k.eventsOf('device.disconnected').length === 2, 'dropped');
    assert.equal(kit.k.eventsOf('device.disconnected').map((e) => e.data), [
      { id: 'phone-0001', expected: true },
      { id: 'phone-0001', expected: false },
    ]);
    // strangers and unknown ids are not devices
    kit.k.events.emit('mqtt', 'mqtt.clientConnected', { clientId: 'nobody', transport: 'tcp' });
    kit.k.events.emit('mqtt', 'mqtt.clientConnected', {} as never);
    assert.is(kit.fleet.list().length, 1);
  } finally {
    await kit.stop();
  }
});

modes.run();
