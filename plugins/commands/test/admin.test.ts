import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { waitFor } from '@understudy/plugin-sdk/testing';
import { delivered, withKit, start, type Kit } from './helpers.js';

const FLEET = { devices: [{ type: 'sensor', count: 2, idPattern: 'sensor-{n}', connection: 'inprocess' }] };

const test = suite('commands: admin API');

const withFleet = (config: Record<string, unknown>, run: (kit: Kit) => Promise<void>) => withKit(config, FLEET, run);

const expectError = (res: { status: number; body: any }, status: number, code: string) => {
  assert.is(res.status, status, JSON.stringify(res.body));
  assert.is(res.body.code, code);
  assert.is(res.body.statusCode, status);
  assert.type(res.body.error, 'string');
  assert.type(res.body.message, 'string');
};

test('bad input gets a 4xx with a stable code, and nothing is sent', () =>
  withFleet({}, async (kit) => {
    expectError(await kit.send({ target: { deviceId: 'sensor-1' } }), 400, 'US_COMMANDS_INVALID');
    const many = await kit.send({ target: { deviceId: 'sensor-1', selector: {} }, name: 'a/b', timeoutMs: -1, extra: 1 });
    expectError(many, 400, 'US_COMMANDS_INVALID');
    for (const p of ['target:', 'name:', 'timeoutMs:', 'extra:']) assert.match(many.body.message, p);
    expectError(await kit.send([1]), 400, 'US_COMMANDS_INVALID');
    expectError(await kit.call('', { method: 'POST', body: '{', headers: { 'content-type': 'application/json' } }), 400, 'US_INVALID_JSON');
    expectError(await kit.send({ target: { deviceId: 'ghost' }, name: 'x' }), 404, 'US_COMMANDS_DEVICE_NOT_FOUND');
    expectError(await kit.call('?status=DONE'), 400, 'US_BAD_REQUEST');
    expectError(await kit.call('?limit=0'), 400, 'US_BAD_REQUEST');
    expectError(await kit.call('/cmd-nope'), 404, 'US_COMMANDS_NOT_FOUND');
    expectError(await kit.call('/cmd-nope', { method: 'DELETE' }), 404, 'US_COMMANDS_NOT_FOUND');
    assert.is((await kit.stats()).commands.created, 0);
    assert.is(kit.k.captured.filter((e) => e.type.startsWith('command.')).length, 0);
  }));

test('cancel: an unfinished command ends FAILED (cancelled); a finished one answers 409', () =>
  withFleet({}, async (kit) => {
    const c = (await kit.send({ target: { deviceId: 'sensor-1' }, name: 'x' })).body.commands[0];
    const cancelled = await kit.call(`/${c.id}`, { method: 'DELETE' });
    assert.is(cancelled.status, 200);
    assert.is(cancelled.body.status, 'FAILED');
    assert.is(cancelled.body.history.at(-1).reason, 'cancelled');
    assert.is((kit.k.eventsOf('command.failed')[0].data as { reason: string }).reason, 'cancelled');
    const again = await kit.call(`/${c.id}`, { method: 'DELETE' });
    expectError(again, 409, 'US_COMMANDS_ALREADY_FINISHED');
    assert.match(again.body.message, 'FAILED');
    // the device's answers come later: counted as late, the command stays FAILED
    await delivered(kit, 1);
    await kit.k.advance(250);
    await waitFor(async () => (await kit.stats()).commands.lateReplies === 2, 'two late replies');
    assert.is((await kit.command(c.id)).status, 'FAILED');
  }));

test('history.capacity: the oldest finished commands are dropped and counted; unfinished ones stay', () =>
  withFleet({ history: { capacity: 2 } }, async (kit) => {
    await kit.fleetCall('/devices/sensor-2/disconnect', { method: 'POST' });
    const waiting = (await kit.send({ target: { deviceId: 'sensor-2' }, name: 'later' })).body.commands[0];
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const c = (await kit.send({ target: { deviceId: 'sensor-1' }, name: `n${i}` })).body.commands[0];
      ids.push(c.id);
      await kit.call(`/${c.id}`, { method: 'DELETE' });
    }
    expectError(await kit.call(`/${ids[0]}`), 404, 'US_COMMANDS_NOT_FOUND');
    assert.is((await kit.call(`/${ids[1]}`)).status, 200);
    assert.is((await kit.command(waiting.id)).status, 'QUEUED');
    const stats = await kit.stats();
    assert.is(stats.commands.droppedFromHistory, 1);
    assert.is(stats.commands.active, 1);
    assert.is(stats.commands.finished, 2);
    const list = await kit.call('');
    assert.equal(list.body.commands.map((c: { id: string }) => c.id), [waiting.id, ids[1], ids[2]]);
    const limited = await kit.call('?limit=1');
    assert.is(limited.body.total, 3);
    assert.equal(limited.body.commands.map((c: { id: string }) => c.id), [ids[2]]);
  }));

test('maxActive: a send that would exceed it is refused with 429', () =>
  withFleet({ maxActive: 2 }, async (kit) => {
    assert.is((await kit.send({ target: { deviceId: 'sensor-1' }, name: 'x' })).status, 202);
    expectError(await kit.send({ target: { selector: { type: 'sensor' } }, name: 'x' }), 429, 'US_COMMANDS_TOO_MANY_ACTIVE');
    assert.is((await kit.send({ target: { deviceId: 'sensor-2' }, name: 'x' })).status, 202);
  }));

test('config is validated at start; routes are in OpenAPI', async () => {
  let failed: unknown;
  try {
    await start({ behaviour: { default: { failureRate: 2 } } }, FLEET);
  } catch (err) {
    failed = err;
  }
  assert.match(String(failed), 'failureRate');
  try {
    await start({ behaviour: { byType: { x: { nope: 1 } } } }, FLEET);
    failed = undefined;
  } catch (err) {
    failed = err;
  }
  assert.ok(failed, 'unknown behaviour fields are refused');
  await withFleet({}, async (kit) => {
    const spec = (await fetch(`${kit.k.baseUrl}/__admin/openapi.json`).then((r) => r.json())) as { paths: Record<string, unknown> };
    for (const path of ['/__admin/commands/', '/__admin/commands/{id}', '/__admin/commands/shadows/{deviceId}/desired']) assert.ok(spec.paths[path], path);
  });
});

test.run();
