// The iot preset end to end: the user scenarios of the IoT issue, with real MQTT clients
// over TCP and WebSocket against `presets: ['iot']` (a building of 33 devices, each with
// its own MQTT connection, telemetry, commands, one edge gateway per floor), on the
// virtual clock. The fleet is kept in memory so every test starts from the same world.
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createTestKernel, fetchJson, waitFor, type TestKernel } from '@understudy/plugin-sdk/testing';

type Ctx = { k: TestKernel; clients: MqttClient[] };
const iot = suite<Ctx>('iot preset');

const DEVICES = 33;

async function start(ctx: Ctx, config: Record<string, unknown> = {}) {
  ctx.k = await createTestKernel({
    presets: ['iot'],
    config: {
      ...config,
      mqtt: { port: 0, auth: { required: true, users: [{ username: 'ops', password: 'ops' }] }, ...(config.mqtt as object) },
      fleet: { storage: false, ...(config.fleet as object) },
    },
  });
  await waitFor(() => online(ctx.k) === DEVICES, 'every device of the building online');
}
const online = (k: TestKernel) => k.eventsOf('device.connected').length - k.eventsOf('device.disconnected').length;

iot.before.each((ctx) => {
  ctx.clients = [];
});
iot.after.each(async (ctx) => {
  await Promise.all(ctx.clients.map((c) => c.endAsync(true).catch(() => undefined)));
  await ctx.k?.stop();
});

/** A watcher logged in as the `ops` user (TCP by default; the WebSocket URL works too). */
async function watcher(ctx: Ctx, filter: string, options: IClientOptions = {}, url = ctx.k.resolve('broker').url) {
  const client = await mqtt.connectAsync(url, { username: 'ops', password: 'ops', reconnectPeriod: 0, ...options });
  ctx.clients.push(client);
  const got: { topic: string; payload: string; retain: boolean }[] = [];
  client.on('message', (topic, payload, packet) => got.push({ topic, payload: payload.toString(), retain: packet.retain }));
  await client.subscribeAsync(filter, { qos: 1 });
  return { client, got, json: (i: number) => JSON.parse(got[i]!.payload) };
}

const api = (k: TestKernel, path: string, init?: Parameters<typeof fetchJson>[1]) => fetchJson(k.baseUrl + path, init);
const post = (k: TestKernel, path: string, json: unknown) => api(k, path, { method: 'POST', json });

iot('provisioning and onboarding: the building comes online, new devices join, an external device logs in with its identity', async (ctx) => {
  await start(ctx);
  // retained statuses: a late watcher (over WebSocket) sees every device online
  const statuses = await watcher(ctx, 'devices/+/status', {}, ctx.k.resolve('broker').wsUrl);
  await waitFor(() => statuses.got.length === DEVICES, 'a retained status per device');
  assert.ok(statuses.got.every((m) => m.retain && JSON.parse(m.payload).state === 'online'));

  const added = await post(ctx.k, '/__admin/fleet/devices', { type: 'thermostat', count: 2, idPattern: 'f4-thermostat-{n:2}', metadata: { floor: 4 } });
  assert.is(added.status, 201);
  await waitFor(() => statuses.got.some((m) => m.topic === 'devices/f4-thermostat-02/status'), 'new devices online');

  const ext = await post(ctx.k, '/__admin/fleet/devices', { type: 'weather-station', count: 1, idPattern: 'roof-{n}', connection: 'external' });
  const device = ext.body.devices[0];
  assert.is(device.id, 'roof-1');
  const station = await mqtt.connectAsync(ctx.k.resolve('broker').url, {
    clientId: device.id,
    username: device.credentials.username,
    password: device.credentials.password,
    reconnectPeriod: 0,
  });
  ctx.clients.push(station);
  await waitFor(async () => (await api(ctx.k, '/__admin/fleet/devices/roof-1')).body.state === 'active', 'external device active');
  await station.publishAsync('devices/roof-1/telemetry/pressure', JSON.stringify({ deviceId: 'roof-1', sensor: 'pressure', ts: ctx.k.clock.now(), value: 1009.5, unit: 'hPa', seq: 1 }), { qos: 1 });
  await waitFor(async () => (await api(ctx.k, '/__admin/telemetry/readings?device=roof-1')).body.count === 1, 'captured reading');
  // a wrong secret is refused
  const refused = await mqtt.connectAsync(ctx.k.resolve('broker').url, { clientId: 'roof-1', username: 'roof-1', password: 'guess', reconnectPeriod: 0 }).catch((err) => err.code);
  assert.is(refused, 5);
  // decommissioned: its connection is dropped and its identity no longer logs in
  const closed = new Promise((resolve) => station.once('close', resolve));
  assert.is((await api(ctx.k, '/__admin/fleet/devices/roof-1', { method: 'DELETE' })).body.state, 'decommissioned');
  await closed;
  const revoked = await mqtt.connectAsync(ctx.k.resolve('broker').url, { clientId: 'roof-1', username: 'roof-1', password: device.credentials.password, reconnectPeriod: 0 }).catch((err) => err.code);
  assert.is(revoked, 5);
});

iot('telemetry streaming: every sensor of the building publishes documented payloads; export covers a device and a time range', async (ctx) => {
  await start(ctx);
  const t0 = ctx.k.clock.now();
  const stream = await watcher(ctx, 'devices/+/telemetry/#');
  await ctx.k.advance(60_000);
  // 12 thermostats: 6 temperatures + 2 CO2 each; 6 humidity sensors: 4 each; 9 motion detectors: 6 each (when online)
  await waitFor(() => stream.got.length >= 12 * 8 + 6 * 4, 'a minute of telemetry');
  const sensors = new Set(stream.got.map((m) => m.topic.split('/')[3]));
  for (const s of ['temperature', 'co2', 'humidity', 'motion']) assert.ok(sensors.has(s), s);
  const first = stream.got.find((m) => m.topic === 'devices/f1-thermostat-01/telemetry/temperature')!;
  const reading = JSON.parse(first.payload);
  assert.equal(Object.keys(reading).sort(), ['deviceId', 'sensor', 'seq', 'ts', 'unit', 'value']);
  assert.is(reading.deviceId, 'f1-thermostat-01');
  assert.is(reading.unit, '°C');
  assert.is(reading.seq, 1);
  assert.ok(reading.value > 5 && reading.value < 40);

  const csv = await fetch(`${ctx.k.baseUrl}/__admin/telemetry/export?device=f1-thermostat-01&sensor=temperature&from=${t0}&to=${t0 + 60_000}&format=csv`);
  assert.is(csv.status, 200);
  const lines = (await csv.text()).trim().split('\n');
  assert.is(lines[0], 'ts,deviceId,sensor,value,unit,seq,anomaly');
  assert.is(lines.length, 1 + 6);
  const ndjson = await fetch(`${ctx.k.baseUrl}/__admin/telemetry/export?type=thermostat&sensor=co2&from=${t0}&to=${t0 + 60_000}`);
  assert.is((await ndjson.text()).trim().split('\n').length, 12 * 2);
});

iot('commands to fleets: a selector reaches every thermostat of a floor, each acknowledges and completes', async (ctx) => {
  await start(ctx);
  const delivered = await watcher(ctx, 'devices/+/commands/#');
  const sent = await post(ctx.k, '/__admin/commands', { target: { selector: { type: 'thermostat', metadata: { floor: 2 } } }, name: 'set-point', params: { celsius: 21 } });
  assert.is(sent.status, 202);
  assert.is(sent.body.commands.length, 4);
  await waitFor(() => delivered.got.length === 4, 'four deliveries');
  assert.equal(delivered.got.map((m) => m.topic).sort(), [1, 2, 3, 4].map((n) => `devices/f2-thermostat-0${n}/commands/set-point`));
  assert.ok(delivered.got.every((m) => JSON.parse(m.payload).correlationId && JSON.parse(m.payload).params.celsius === 21));
  await ctx.k.untilTimers();
  await ctx.k.advance(1000);
  await waitFor(async () => {
    const res = await api(ctx.k, '/__admin/commands?status=COMPLETED');
    return res.body.commands.length === 4;
  }, 'four completed commands');
  const one = await api(ctx.k, `/__admin/commands/${sent.body.commands[0].id}`);
  assert.equal(one.body.history.map((h: { status: string }) => h.status), ['QUEUED', 'SENT', 'ACKED', 'COMPLETED']);
  assert.is(ctx.k.eventsOf('command.completed').length, 4);
});

iot('QoS and retained messages: a persistent QoS 1 subscriber gets what was published while it was away; retained messages are listed', async (ctx) => {
  await start(ctx);
  const opts = { clientId: 'ops-dashboard', clean: false };
  const first = await watcher(ctx, 'alerts/#', opts);
  await first.client.endAsync();
  await post(ctx.k, '/__admin/mqtt/publish', { topic: 'alerts/fire-drill', json: { at: '10:00' }, qos: 1 });
  await post(ctx.k, '/__admin/mqtt/publish', { topic: 'alerts/board', payload: 'kept', qos: 1, retain: true });
  const back = mqtt.connect(ctx.k.resolve('broker').url, { username: 'ops', password: 'ops', reconnectPeriod: 0, resubscribe: false, ...opts });
  ctx.clients.push(back);
  const got: string[] = [];
  back.on('message', (topic) => got.push(topic));
  await waitFor(() => got.length === 2, 'both queued QoS 1 messages');
  assert.equal(got.sort(), ['alerts/board', 'alerts/fire-drill']);
  const retained = await api(ctx.k, '/__admin/mqtt/retained?topic=alerts/%23');
  assert.equal(retained.body.messages, [{ topic: 'alerts/board', payload: 'kept', encoding: 'utf8', qos: 1 }]);
});

iot('edge filtering: gateways forward only aggregates and alerts upstream, never raw readings', async (ctx) => {
  await start(ctx);
  const upstream = await watcher(ctx, 'edge/#');
  await ctx.k.advance(3 * 60_000);
  await waitFor(() => upstream.got.some((m) => m.topic === 'edge/floor-3/aggregates/temperature'), 'aggregates of every floor');
  assert.ok(upstream.got.every((m) => /^edge\/floor-[123]\/(aggregates\/[a-z0-9]+|alerts)$/.test(m.topic)));
  const aggregate = JSON.parse(upstream.got.find((m) => m.topic === 'edge/floor-1/aggregates/temperature')!.payload);
  assert.is(aggregate.node, 'floor-1');
  assert.ok(aggregate.count >= 4 && aggregate.min <= aggregate.mean && aggregate.mean <= aggregate.max);
  // temperatures have 2 decimals; every mean published has at most one more, never float noise
  for (const m of upstream.got.filter((g) => g.topic.includes('/aggregates/temperature'))) {
    const { mean } = JSON.parse(m.payload);
    assert.ok(Math.abs(mean * 1000 - Math.round(mean * 1000)) < 1e-6, `mean ${mean}`);
  }
  const node = await api(ctx.k, '/__admin/edge/nodes/floor-1');
  assert.ok(node.body.counters.forwarded < node.body.counters.received / 4, 'far fewer messages upstream than in');
});

iot('intermittent connectivity: motion detectors drop off and come back; unexpected drops announce themselves by will', async (ctx) => {
  await start(ctx);
  const statuses = await watcher(ctx, 'devices/+/status');
  await ctx.k.advance(60 * 60_000);
  await waitFor(() => ctx.k.eventsOf('device.disconnected').length >= 3, 'some motion detectors offline');
  const drops = ctx.k.eventsOf('device.disconnected').map((e) => e.data as { id: string; expected: boolean });
  assert.ok(drops.every((d) => d.id.includes('motion-detector')), 'only the intermittent type drops');
  assert.ok(drops.some((d) => !d.expected), 'at least one unexpected drop');
  await waitFor(() => statuses.got.some((m) => JSON.parse(m.payload).state === 'offline' && JSON.parse(m.payload).expected === false), 'a will');
  await ctx.k.advance(60 * 60_000);
  await waitFor(() => ctx.k.eventsOf('device.connected').length > DEVICES, 'reconnections');
});

iot('delivery to offline devices: a command waits while the plug is offline and completes once it reconnects', async (ctx) => {
  await start(ctx);
  const off = await post(ctx.k, '/__admin/fleet/devices/f1-smart-plug-01/disconnect', {});
  assert.is(off.status, 200);
  const sent = await post(ctx.k, '/__admin/commands', { target: { deviceId: 'f1-smart-plug-01' }, name: 'switch', params: { on: false } });
  const id = sent.body.commands[0].id;
  assert.is((await api(ctx.k, `/__admin/commands/${id}`)).body.status, 'QUEUED');
  await post(ctx.k, '/__admin/fleet/devices/f1-smart-plug-01/connect', {});
  await waitFor(async () => (await api(ctx.k, `/__admin/commands/${id}`)).body.status === 'SENT', 'sent on reconnect');
  await ctx.k.untilTimers();
  await ctx.k.advance(1000);
  await waitFor(async () => (await api(ctx.k, `/__admin/commands/${id}`)).body.status === 'COMPLETED', 'completed');
});

iot('telemetry overflow: a tiny buffer drops the oldest readings, counts them and reports once — the server keeps answering', async (ctx) => {
  await start(ctx, { telemetry: { buffer: { capacity: 50 } } });
  await ctx.k.advance(10 * 60_000);
  const stats = await api(ctx.k, '/__admin/telemetry/stats');
  assert.is(stats.status, 200);
  assert.is(stats.body.stored, 50);
  assert.ok(stats.body.dropped > 0);
  assert.is(ctx.k.eventsOf('telemetry.overflow').length >= 1, true);
  assert.ok(ctx.k.eventsOf('telemetry.overflow').length < 20, 'reported, not flooded');
  assert.is((await api(ctx.k, '/__admin/health')).status, 200);
});

iot('edge resource exhaustion: a gateway over its budget drops and counts, reports once, and recovers', async (ctx) => {
  await start(ctx);
  const budget = await api(ctx.k, '/__admin/edge/nodes/floor-1/budget', { method: 'PUT', json: { queueLength: 3, ratePerSecond: 0.05 } });
  assert.is(budget.status, 200);
  await ctx.k.advance(2 * 60_000);
  const node = await api(ctx.k, '/__admin/edge/nodes/floor-1');
  assert.ok(node.body.counters.dropped > 0);
  assert.is(ctx.k.eventsOf('edge.budgetExceeded').length, 1);
  await api(ctx.k, '/__admin/edge/nodes/floor-1/budget', { method: 'PUT', json: { queueLength: 1000, ratePerSecond: 500 } });
  await ctx.k.advance(60_000);
  await waitFor(() => ctx.k.eventsOf('edge.budgetRecovered').length === 1, 'recovered');
  const other = await api(ctx.k, '/__admin/edge/nodes/floor-2');
  assert.is(other.body.counters.dropped, 0);
});

iot('with logins off, the simulation\'s device topics are still its own: anonymous clients and the HTTP bridge cannot write them, and still see everything', async (ctx) => {
  await start(ctx, { mqtt: { auth: { required: false } } });
  const broker = ctx.k.resolve('broker');
  const statusOf = async (id: string) => (await broker.retained(`devices/${id}/status`)).map((m) => JSON.parse(m.payload.toString()).state);
  assert.equal(await statusOf('f1-thermostat-01'), ['online']);

  // an anonymous client, as the tour's mosquitto_sub is, sees every retained status
  const anonymous = await mqtt.connectAsync(broker.url, { clientId: 'tourist', reconnectPeriod: 0 });
  ctx.clients.push(anonymous);
  const seen: string[] = [];
  anonymous.on('message', (topic) => seen.push(topic));
  await anonymous.subscribeAsync('devices/+/status', { qos: 1 });
  await waitFor(() => seen.length === DEVICES, 'a retained status per device');

  // … but deleting one, or speaking for a device, closes its connection and changes nothing
  const closed = new Promise((resolve) => anonymous.once('close', resolve));
  anonymous.publish('devices/f1-thermostat-01/status', '', { qos: 1, retain: true });
  await closed;
  const impostor = await mqtt.connectAsync(broker.url, { clientId: 'f1-smart-plug-01-clone', reconnectPeriod: 0 });
  ctx.clients.push(impostor);
  const gone = new Promise((resolve) => impostor.once('close', resolve));
  impostor.publish('devices/f1-smart-plug-01/replies', JSON.stringify({ correlationId: 'forged', status: 'COMPLETED' }), { qos: 1 });
  await gone;
  assert.equal(await statusOf('f1-thermostat-01'), ['online']);
  assert.equal(ctx.k.eventsOf('mqtt.publishDenied').map((e) => e.data.topic), ['devices/f1-thermostat-01/status', 'devices/f1-smart-plug-01/replies']);

  // the HTTP bridge is held to the same rules
  const bridged = await post(ctx.k, '/__admin/mqtt/publish', { topic: 'devices/f1-thermostat-01/status', payload: '', retain: true });
  assert.is(bridged.status, 403);
  assert.is(bridged.body.code, 'US_MQTT_PUBLISH_DENIED');
  assert.equal(await statusOf('f1-thermostat-01'), ['online']);
  assert.is((await post(ctx.k, '/__admin/mqtt/publish', { topic: 'alerts/drill', payload: 'ok' })).status, 200);

  // the devices themselves go on: telemetry still flows, commands still complete
  const watcher = await mqtt.connectAsync(broker.url, { clientId: 'watcher', reconnectPeriod: 0 });
  ctx.clients.push(watcher);
  const telemetry: string[] = [];
  watcher.on('message', (topic) => telemetry.push(topic));
  await watcher.subscribeAsync('devices/+/telemetry/#', { qos: 1 });
  await ctx.k.advance(20_000);
  await waitFor(() => telemetry.length >= 12, 'telemetry from the devices');
  const sent = await post(ctx.k, '/__admin/commands', { target: { deviceId: 'f2-smart-plug-01' }, name: 'switch', params: { on: true } });
  await ctx.k.untilTimers();
  await ctx.k.advance(1000);
  await waitFor(async () => (await api(ctx.k, `/__admin/commands/${sent.body.commands[0].id}`)).body.status === 'COMPLETED', 'completed');
});

iot('device passwords are write-only in admin reads: the provisioning answer shows them once', async (ctx) => {
  await start(ctx);
  const added = await post(ctx.k, '/__admin/fleet/devices', { type: 'thermostat', count: 1, idPattern: 'lab-{n}' });
  assert.match(added.body.devices[0].credentials.password, /^[0-9a-f]{32}$/);
  const list = await api(ctx.k, '/__admin/fleet/devices?limit=1000');
  assert.is(list.body.total, DEVICES + 1);
  assert.ok(list.body.devices.every((d: { credentials: { password: string } }) => d.credentials.password === '(redacted)'));
  assert.equal((await api(ctx.k, '/__admin/fleet/devices/lab-1')).body.credentials, { username: 'lab-1', password: '(redacted)' });
  const asked = await api(ctx.k, '/__admin/fleet/devices/lab-1?reveal=secrets');
  assert.is(asked.status, 403);
  assert.is(asked.body.code, 'US_REVEAL_NEEDS_TOKEN');
});

iot.run();
