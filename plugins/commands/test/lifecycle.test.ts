import { suite } from 'uvu';
import { waitFor } from '@understudy/plugin-sdk/testing';
import * as assert from 'uvu/assert';
import { delivered, withKit, externalDevice, start, statuses, type Kit } from './helpers.js';

const FLEET = {
  devices: [
    { type: 'thermostat', count: 3, idPattern: 'thermo-{n}', metadata: { floor: 1 } },
    { type: 'sensor', count: 2, idPattern: 'sensor-{n}', connection: 'inprocess', metadata: { floor: 2 } },
  ],
};

const test = suite('commands: lifecycle with simulated and external devices');

const withFleet = (config: Record<string, unknown>, run: (kit: Kit) => Promise<void>) => withKit(config, FLEET, run);

test('REST command to one simulated device: SENT, ACKED after ackDelayMs, COMPLETED after completeDelayMs', () =>
  withFleet({}, async (kit) => {
    const res = await kit.send({ target: { deviceId: 'thermo-1' }, name: 'reboot', params: { force: true } });
    assert.is(res.status, 202);
    assert.is(res.body.commands.length, 1);
    const created = res.body.commands[0];
    assert.is(created.status, 'SENT');
    assert.is(created.deviceId, 'thermo-1');
    assert.is(created.attempts, 1);
    assert.is(created.origin, 'rest');
    assert.match(created.id, /^cmd-[0-9a-f]{8}-1$/);

    await delivered(kit, 1);
    await kit.k.advance(50);
    const acked = await kit.until(created.id, 'ACKED');
    const at = (status: string) => acked.history.find((h) => h.status === status)!.at;
    assert.is(at('ACKED') - at('SENT'), 50);
    await kit.k.advance(200);
    await kit.until(created.id, 'COMPLETED');

    const view = await kit.command(created.id);
    assert.equal(statuses(view), ['QUEUED', 'SENT', 'ACKED', 'COMPLETED']);
    assert.equal(view.result, { ok: true, command: 'reboot', params: { force: true } });
    assert.equal(view.params, { force: true });
    assert.equal((view.policy as { timeoutMs: number }).timeoutMs, 5000);
    const completedAt = view.history[3].at;
    assert.is(completedAt - view.history[2].at, 200);

    for (const type of ['command.queued', 'command.sent', 'command.acked', 'command.completed'] as const) {
      const events = kit.k.eventsOf(type);
      assert.is(events.length, 1, type);
      const attempts = type === 'command.queued' ? 0 : 1;
      assert.equal({ ...(events[0].data as object), reason: undefined }, { id: created.id, deviceId: 'thermo-1', name: 'reboot', attempts, reason: undefined });
    }
    assert.is((kit.k.eventsOf('command.sent')[0].data as { reason: string }).reason, 'attempt 1 of 3');

    const list = await kit.call('?deviceId=thermo-1&status=COMPLETED');
    assert.is(list.body.total, 1);
    assert.is(list.body.commands[0].id, created.id);
    assert.is((await kit.call('?deviceId=thermo-2')).body.total, 0);
  }));

test('a fleet selector reaches every matching device, and only those', () =>
  withFleet({}, async (kit) => {
    const res = await kit.send({ target: { selector: { type: 'thermostat' } }, name: 'setTemp', params: { c: 21 } });
    assert.is(res.status, 202);
    const ids = res.body.commands.map((c: { id: string }) => c.id);
    assert.equal(res.body.commands.map((c: { deviceId: string }) => c.deviceId).sort(), ['thermo-1', 'thermo-2', 'thermo-3']);
    await delivered(kit, 3);
    await kit.k.advance(250);
    for (const id of ids) await kit.until(id, 'COMPLETED');
    assert.is(kit.k.eventsOf('command.completed').length, 3);

    // in-process devices, selected by metadata
    const sensors = await kit.send({ target: { selector: { metadata: { floor: 2 } } }, name: 'calibrate' });
    assert.equal(sensors.body.commands.map((c: { deviceId: string }) => c.deviceId).sort(), ['sensor-1', 'sensor-2']);
    await delivered(kit, 5);
    await kit.k.advance(250);
    for (const c of sensors.body.commands) await kit.until(c.id, 'COMPLETED');

    const byIds = await kit.send({ target: { selector: { ids: ['thermo-2', 'sensor-1', 'nope'] } }, name: 'ping' });
    assert.equal(byIds.body.commands.map((c: { deviceId: string }) => c.deviceId).sort(), ['sensor-1', 'thermo-2']);

    const none = await kit.send({ target: { selector: { type: 'fridge' } }, name: 'ping' });
    assert.is(none.status, 404);
    assert.is(none.body.code, 'US_COMMANDS_NO_DEVICES_MATCH');
    assert.match(none.body.message, 'fridge');
  }));

test('offline device: QUEUED; delivered in creation order when it connects; then completed', () =>
  withFleet({}, async (kit) => {
    assert.is((await kit.fleetCall('/devices/thermo-2/disconnect', { method: 'POST' })).status, 200);
    const first = (await kit.send({ target: { deviceId: 'thermo-2' }, name: 'first' })).body.commands[0];
    const second = (await kit.send({ target: { deviceId: 'thermo-2' }, name: 'second' })).body.commands[0];
    assert.is(first.status, 'QUEUED');
    assert.is(second.status, 'QUEUED');
    assert.is(first.attempts, 0);
    assert.is((await kit.call('?status=QUEUED')).body.total, 2);

    assert.is((await kit.fleetCall('/devices/thermo-2/connect', { method: 'POST' })).status, 200);
    await kit.until(second.id, 'SENT');
    assert.equal(kit.k.eventsOf('command.sent').map((e) => (e.data as { id: string }).id), [first.id, second.id]);
    await delivered(kit, 2);
    await kit.k.advance(250);
    await kit.until(first.id, 'COMPLETED');
    await kit.until(second.id, 'COMPLETED');
  }));

test('a command queued for a device that never connected reaches it on its first connect, without a retry', async () => {
  // autoConnect off: a fresh session, whose subscriptions the broker learns only when it subscribes
  const kit = await start({}, { ...FLEET, autoConnect: false });
  try {
    const [sent] = (await kit.send({ target: { deviceId: 'thermo-1' }, name: 'hello' })).body.commands;
    assert.is(sent.status, 'QUEUED');
    assert.is((await kit.fleetCall('/devices/thermo-1/connect', { method: 'POST' })).status, 200);
    await kit.until(sent.id, 'SENT');
    await delivered(kit, 1);
    await kit.k.advance(250);
    const done = await kit.until(sent.id, 'COMPLETED');
    assert.is(done.attempts, 1);
  } finally {
    await kit.stop();
  }
});

test('a command that waits longer than ttlMs for an offline device expires (TIMED_OUT)', () =>
  withFleet({}, async (kit) => {
    await kit.fleetCall('/devices/thermo-3/disconnect', { method: 'POST' });
    const c = (await kit.send({ target: { deviceId: 'thermo-3' }, name: 'reboot', ttlMs: 1000 })).body.commands[0];
    assert.is(c.expiresAt - c.createdAt, 1000);
    await kit.k.advance(999);
    assert.is((await kit.command(c.id)).status, 'QUEUED');
    await kit.k.advance(1);
    const done = await kit.command(c.id);
    assert.is(done.status, 'TIMED_OUT');
    assert.is(done.attempts, 0);
    assert.match(done.history.at(-1)!.reason!, 'expired');
    const event = kit.k.eventsOf('command.timedOut')[0];
    assert.match((event.data as { reason: string }).reason, 'expired');
    // coming back later delivers nothing
    await kit.fleetCall('/devices/thermo-3/connect', { method: 'POST' });
    assert.is(kit.k.eventsOf('command.sent').length, 0);
  }));

test('rejectionRate 1 and failureRate 1 end FAILED with the reason', () =>
  withFleet({ behaviour: { byCommand: { reject: { rejectionRate: 1 }, fail: { failureRate: 1 } } } }, async (kit) => {
    const rejected = (await kit.send({ target: { deviceId: 'thermo-1' }, name: 'reject' })).body.commands[0];
    const failed = (await kit.send({ target: { deviceId: 'thermo-1' }, name: 'fail' })).body.commands[0];
    await delivered(kit, 2);
    await kit.k.advance(50);
    const r = await kit.until(rejected.id, 'FAILED');
    assert.is(r.error, 'rejected: busy');
    assert.equal(statuses(r), ['QUEUED', 'SENT', 'FAILED']);
    assert.is(r.history[2].reason, 'device rejected: busy');
    await kit.k.advance(200);
    const f = await kit.until(failed.id, 'FAILED');
    assert.equal(statuses(f), ['QUEUED', 'SENT', 'ACKED', 'FAILED']);
    assert.is(f.error, 'simulated failure');
    assert.is(kit.k.eventsOf('command.failed').length, 2);
  }));

test('byType behaviour; a device provisioned later is simulated too; decommissioned devices refuse commands', () =>
  withFleet({ behaviour: { byType: { lock: { ackDelayMs: 10, completeDelayMs: 0 } } } }, async (kit) => {
    const provisioned = await kit.fleetCall('/devices', { method: 'POST', json: { type: 'lock', count: 1, idPattern: 'lock-{n}' } });
    assert.is(provisioned.status, 201, provisioned.text);
    const id = 'lock-1';
    await waitFor(() => kit.k.resolve('fleet').get(id)?.state === 'active', 'lock-1 to connect');
    const c = (await kit.send({ target: { deviceId: id }, name: 'unlock' })).body.commands[0];
    await delivered(kit, 1);
    await kit.k.advance(10);
    const done = await kit.until(c.id, 'COMPLETED');
    assert.is(done.history.at(-1)!.at - done.history[1].at, 10);

    assert.is((await kit.fleetCall(`/devices/${id}`, { method: 'DELETE' })).status, 200);
    const refused = await kit.send({ target: { deviceId: id }, name: 'unlock' });
    assert.is(refused.status, 409);
    assert.is(refused.body.code, 'US_COMMANDS_DEVICE_DECOMMISSIONED');
    assert.is((await kit.stats()).simulator.devices, 5);
  }));

test('an external MQTT client acting as a device: receives the command, its replies complete it', () =>
  withFleet({}, async (kit) => {
    const unknown = await kit.send({ target: { deviceId: 'ext-1' }, name: 'open' });
    assert.is(unknown.status, 404);
    assert.is(unknown.body.code, 'US_COMMANDS_DEVICE_NOT_FOUND');

    const device = await externalDevice(kit, 'ext-1', (cmd) => [{ status: 'ACKED' }, { status: 'COMPLETED', result: { opened: cmd.params } }]);
    const c = (await kit.send({ target: { deviceId: 'ext-1' }, name: 'open', params: { valve: 2 } })).body.commands[0];
    assert.is(c.status, 'SENT');
    const done = await kit.until(c.id, 'COMPLETED');
    assert.equal(done.result, { opened: { valve: 2 } });
    assert.equal(statuses(done), ['QUEUED', 'SENT', 'ACKED', 'COMPLETED']);
    assert.is(device.received.length, 1);
    const delivery = device.received[0];
    assert.is(delivery.topic, 'devices/ext-1/commands/open');
    assert.is(delivery.correlationId, c.id);
    assert.is(delivery.name, 'open');
    assert.equal(delivery.params, { valve: 2 });
    assert.is(delivery.sentAt, done.history[1].at);
  }));

test.run();
