import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import mqttClient from 'mqtt';
import { createTestKernel, waitFor } from '@understudy/plugin-sdk/testing';
import mqtt from '@understudy/plugin-mqtt';
// the fleet bench's connect measurement: kept working with the fleet's API by this test
import { measureConnect } from '../../../test/bench/lib/fleet-connect.js';
import { startFleet, statusWatcher } from './helpers.js';

const devices = suite('simulated devices over real MQTT');

devices('config devices connect at start; a subscriber sees them online (retained)', async () => {
  const kit = await startFleet({ devices: [{ type: 'thermostat', count: 3 }, { type: 'lamp', count: 2, idPattern: 'lamp-{n}' }] });
  try {
    const ids = ['thermostat-0001', 'thermostat-0002', 'thermostat-0003', 'lamp-1', 'lamp-2'];
    assert.equal(kit.fleet.list().map((d) => d.id), ids);
    await waitFor(() => kit.fleet.list().every((d) => d.state === 'active'), 'all active');
    const broker = kit.k.resolve('broker');
    for (const id of ids) assert.ok(broker.isConnected(id), `${id} has its own connection`);
    assert.ok(broker.clients().every((c) => c.persistent), 'persistent sessions');
    const watcher = await statusWatcher(await kit.client());
    await watcher.until((got) => ids.every((id) => got.some((s) => s.id === id && s.state === 'online' && s.retain)), 'retained online statuses');
    assert.equal(kit.k.eventsOf('device.provisioned').map((e) => e.data), ids.map((id) => ({ id, type: id.startsWith('lamp') ? 'lamp' : 'thermostat' })));
    assert.equal(kit.k.eventsOf('device.connected').map((e) => (e.data as any).id).sort(), [...ids].sort());
    const stats = kit.fleet.stats();
    assert.is(stats.connected, 5);
    assert.is(stats.byType.thermostat.active, 3);
  } finally {
    await kit.stop();
  }
});

devices('intermittent devices go offline and come back as the clock advances', async () => {
  const kit = await startFleet({
    deviceTypes: { tracker: { connectivity: { model: 'intermittent', meanOnlineMs: 1000, meanOfflineMs: 1000, unexpectedDropRate: 0.5 } } },
    devices: [{ type: 'tracker', count: 4 }],
  });
  try {
    const watcher = await statusWatcher(await kit.client());
    await waitFor(() => kit.fleet.list().every((d) => d.state === 'active'), 'all online');
    const changes: string[] = [];
    kit.fleet.watch((c) => changes.push(`${c.device.id}:${c.kind}`));
    for (let i = 0; i < 20; i++) {
      await kit.k.advance(500);
      // the real sockets follow the model before time moves on
      await waitFor(() => kit.fleet.stats().changing === 0, 'connections settled');
    }
    await waitFor(() => kit.k.eventsOf('device.disconnected').length >= 4, 'disconnects');
    await waitFor(() => kit.k.eventsOf('device.connected').length >= 8, 'reconnects');
    const disconnects = kit.k.eventsOf('device.disconnected').map((e) => e.data as { id: string; expected: boolean });
    assert.ok(disconnects.some((d) => d.expected), 'some clean disconnects');
    assert.ok(disconnects.some((d) => !d.expected), 'some dropped connections');
    await watcher.until((got) => got.some((s) => s.state === 'offline' && s.expected), 'a clean offline status');
    await watcher.until((got) => got.some((s) => s.state === 'offline' && !s.expected), 'a will');
    assert.ok(changes.some((c) => c.endsWith(':disconnected')) && changes.some((c) => c.endsWith(':connected')));
  } finally {
    await kit.stop();
  }
});

devices('an unexpected drop makes the broker publish the will; the device reconnects by itself', async () => {
  const kit = await startFleet({ devices: [{ type: 'meter', count: 1 }], reconnectPeriodMs: 50 });
  try {
    await waitFor(() => kit.fleet.get('meter-0001')?.state === 'active', 'online');
    const watcher = await statusWatcher(await kit.client());
    await kit.fleet.disconnect('meter-0001', false);
    await watcher.until((got) => got.some((s) => s.id === 'meter-0001' && s.state === 'offline' && s.expected === false), 'the will');
    assert.equal(kit.k.eventsOf('device.disconnected').map((e) => e.data), [{ id: 'meter-0001', expected: false }]);
    assert.is(kit.fleet.get('meter-0001')!.state, 'offline');
    // a drop the device did not choose (the broker kicks it) is followed by a reconnect
    await kit.fleet.connect('meter-0001');
    const broker = kit.k.resolve('broker') as any;
    broker.disconnect('meter-0001');
    await waitFor(() => kit.k.eventsOf('device.disconnected').length === 2, 'second disconnect');
    await waitFor(() => kit.k.eventsOf('device.connected').length === 3, 'automatic reconnect');
    assert.is(kit.fleet.get('meter-0001')!.state, 'active');
  } finally {
    await kit.stop();
  }
});

devices('clean disconnect publishes offline expected:true; decommission revokes the login', async () => {
  const kit = await startFleet(
    { devices: [{ type: 'valve', count: 2 }] },
    { mqtt: { auth: { required: true, users: [{ username: 'ops', password: 'pw' }] } } },
  );
  try {
    await waitFor(() => kit.fleet.list().every((d) => d.state === 'active'), 'online with their secrets');
    const watcher = await statusWatcher(await kit.client({ username: 'ops', password: 'pw' }));
    const { password } = kit.fleet.get('valve-0001')!.credentials;

    await kit.fleet.disconnect('valve-0001');
    await watcher.until((got) => got.some((s) => s.id === 'valve-0001' && s.state === 'offline' && s.expected === true), 'clean offline');
    await kit.fleet.connect('valve-0001');
    await watcher.until((got) => got.filter((s) => s.id === 'valve-0001' && s.state === 'online').length === 2, 'online again');

    const gone = await kit.fleet.decommission('valve-0001');
    assert.is(gone.state, 'decommissioned');
    assert.is(kit.fleet.agent('valve-0001'), undefined);
    assert.is(kit.fleet.get('valve-0002')!.state, 'active');
    const statuses = watcher.of('valve-0001');
    assert.equal(statuses.at(-1)!.state, 'offline');
    assert.equal(statuses.at(-1)!.expected, true);
    assert.ok(!statuses.some((s) => s.expected === false), 'no will on a clean disconnect');
    assert.equal(kit.k.eventsOf('device.decommissioned').map((e) => e.data), [{ id: 'valve-0001', type: 'valve' }]);
    assert.is(kit.k.resolve('broker').identities.has('valve-0001'), false);
    assert.equal(await kit.fleet.decommission('valve-0001'), gone, 'idempotent');
    assert.is(kit.k.eventsOf('device.decommissioned').length, 1);

    const refused = await mqttClient
      .connectAsync(kit.k.resolve('broker').url, { clientId: 'valve-0001', username: 'valve-0001', password, reconnectPeriod: 0 })
      .then((c) => c.endAsync().then(() => 'connected'), (err: Error) => err.message);
    assert.match(refused, /Not authorized/);
    await kit.fleet.connect('valve-0001').then(
      () => assert.unreachable('connect of a decommissioned device'),
      (err) => assert.is(err.code, 'US_FLEET_DECOMMISSIONED'),
    );
  } finally {
    await kit.stop();
  }
});

devices('agents publish and subscribe through their own connection, across reconnects', async () => {
  const kit = await startFleet({ devices: [{ type: 'plug', count: 2 }] });
  try {
    await waitFor(() => kit.fleet.list().every((d) => d.state === 'active'), 'online');
    const a = kit.fleet.agent('plug-0001')!;
    const b = kit.fleet.agent('plug-0002')!;
    assert.ok(a.online);
    const got: string[] = [];
    const off = a.subscribe('devices/plug-0001/commands/+', (topic, payload) => got.push(`${topic}=${payload}`), { qos: 1 });
    const twice: string[] = [];
    const offTwice = a.subscribe('devices/plug-0001/#', (topic) => twice.push(topic));
    const broker = kit.k.resolve('broker');
    const fromDevice: Array<string | null> = [];
    broker.subscribe('devices/plug-0001/telemetry/#', (m) => fromDevice.push(m.payload.toString()));
    await waitFor(() => broker.clients().find((c) => c.id === 'plug-0001')?.subscriptions === 2, 'subscriptions at the broker');

    const tester = await kit.client();
    await tester.publishAsync('devices/plug-0001/commands/reboot', 'now', { qos: 1 });
    await waitFor(() => got.length === 1, 'command delivered');
    assert.equal(got, ['devices/plug-0001/commands/reboot=now']);
    await a.publish('devices/plug-0001/telemetry/power', { watts: 3 }, { qos: 1 });
    await a.publish('devices/plug-0001/telemetry/power', 'raw');
    await waitFor(() => fromDevice.length === 2, 'telemetry at the broker');
    assert.equal(fromDevice, ['{"watts":3}', 'raw']);
    assert.ok(kit.fleet.get('plug-0001')!.lastSeenAt! > 0);

    // a reconnect the fleet makes uses a new client: subscriptions are sent again
    await kit.fleet.disconnect('plug-0001');
    await a.publish('devices/plug-0001/telemetry/x', 'late').then(
      () => assert.unreachable('publish while offline'),
      (err) => assert.is(err.code, 'US_FLEET_DEVICE_OFFLINE'),
    );
    offTwice();
    await kit.fleet.connect('plug-0001');
    await waitFor(() => broker.clients().find((c) => c.id === 'plug-0001')?.subscriptions === 1, 'resubscribed (persistent session kept one)');
    await tester.publishAsync('devices/plug-0001/commands/blink', '1', { qos: 1 });
    await waitFor(() => got.length === 2, 'command after reconnect');
    off();
    off(); // twice is harmless
    await waitFor(() => broker.clients().find((c) => c.id === 'plug-0001')?.subscriptions === 0, 'unsubscribed at the broker');

    // a handler that throws does not stop the others
    b.subscribe('devices/plug-0002/x', () => {
      throw new Error('handler bug');
    });
    const ok: string[] = [];
    b.subscribe('devices/plug-0002/x', (t) => ok.push(t));
    await waitFor(() => broker.clients().find((c) => c.id === 'plug-0002')?.subscriptions === 1, 'b subscribed');
    await tester.publishAsync('devices/plug-0002/x', '1', { qos: 1 });
    await waitFor(() => ok.length === 1, 'second handler ran');
  } finally {
    await kit.stop();
  }
});

devices('devices provisioned later connect at once; stop ends every connection', async () => {
  const kit = await startFleet();
  let stopped = false;
  try {
    const made = await kit.fleet.provision([{ type: 'cam', count: 3 }]);
    assert.equal(made.map((d) => d.state), ['provisioned', 'provisioned', 'provisioned']);
    await waitFor(() => kit.fleet.list().every((d) => d.state === 'active'), 'connected after provisioning');
    const broker = kit.k.resolve('broker');
    await kit.stop();
    stopped = true;
    assert.is(broker.clients().length, 0);
    assert.is(kit.k.eventsOf('device.disconnected').length, 3);
  } finally {
    if (!stopped) await kit.stop();
  }
});

devices('a device the broker refuses fails to connect with US_FLEET_CONNECT_FAILED', async () => {
  const kit = await startFleet({ autoConnect: false, devices: [{ type: 'x', count: 1 }] }, { mqtt: { auth: { required: true } } });
  try {
    kit.k.resolve('broker').identities.set('x-0001', 'another secret');
    await kit.fleet.connect('x-0001').then(
      () => assert.unreachable('connected with a wrong secret'),
      (err) => {
        assert.is(err.code, 'US_FLEET_CONNECT_FAILED');
        assert.match(err.message, /x-0001.*Not authorized/);
      },
    );
    assert.is(kit.fleet.get('x-0001')!.state, 'provisioned');
    assert.is(kit.fleet.stats().counters.connectFailures, 1);
    const job = kit.fleet.bulk('connect', { type: 'x' });
    await waitFor(() => job.view.state === 'completed', 'bulk connect finished');
    assert.equal({ done: job.view.done, failed: job.view.failed }, { done: 1, failed: 1 });
    assert.is(job.view.errors[0].id, 'x-0001');
    assert.match(job.view.errors[0].message, /Not authorized/);
  } finally {
    await kit.stop();
  }
});

devices('devices refused at start are counted; start still resolves', async () => {
  // a configured user with the device's name and another password wins the login check
  const kit = await startFleet({ devices: [{ type: 'x', count: 2 }] }, { mqtt: { auth: { required: true, users: [{ username: 'x-0002', password: 'not the secret' }] } } });
  try {
    assert.is(kit.fleet.get('x-0001')!.state, 'active');
    assert.is(kit.fleet.get('x-0002')!.state, 'provisioned');
    assert.is(kit.fleet.stats().counters.connectFailures, 1);
  } finally {
    await kit.stop();
  }
});

devices('brokerUrl points mqtt devices at another broker', async () => {
  const other = await createTestKernel({ plugins: [mqtt], config: { mqtt: { port: 0 } } });
  const kit = await startFleet({ brokerUrl: other.resolve('broker').url, devices: [{ type: 'far', count: 1 }] });
  try {
    await waitFor(() => kit.fleet.get('far-0001')?.state === 'active', 'connected');
    assert.ok(other.resolve('broker').isConnected('far-0001'));
    assert.not.ok(kit.k.resolve('broker').isConnected('far-0001'));
  } finally {
    await kit.stop();
    await other.stop();
  }
});

devices('measureConnect (test/bench/lib/fleet-connect.ts) provisions and connects N devices', async () => {
  const kit = await startFleet({ autoConnect: false });
  try {
    const m = await measureConnect(kit.fleet, { count: 5, idPattern: 'b-{n}' });
    assert.equal({ devices: m.devices, connected: m.connected, failed: m.failed }, { devices: 5, connected: 5, failed: 0 });
    assert.ok(m.connectsPerSecond > 0 && m.connectMs > 0 && m.provisionMs >= 0);
    assert.is(kit.k.resolve('broker').clients().length, 5);
    const inproc = await measureConnect(kit.fleet, { count: 2, type: 'light', connection: 'inprocess' });
    assert.is(inproc.connected, 2);
    assert.equal(kit.fleet.list({ type: 'light' }).map((d) => d.id), ['light-0001', 'light-0002']);
  } finally {
    await kit.stop();
  }
});

devices.run();
