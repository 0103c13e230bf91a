import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { waitFor } from '@understudy/plugin-sdk/testing';
import { delivered, withKit, externalDevice, start, statuses, type Kit } from './helpers.js';

const CONFIG = { timeoutMs: 1000, maxAttempts: 3, backoff: { baseMs: 500, maxMs: 30_000, jitter: 0 }, completionTimeoutMs: 2000 };

const test = suite('commands: timeouts, retries and odd replies');

const withDefaults = (run: (kit: Kit) => Promise<void>, config: Record<string, unknown> = CONFIG, fleet: Record<string, unknown> = {}) => withKit(config, fleet, run);

test('a device that never replies: SENT, retried with backoff, TIMED_OUT with attempts = maxAttempts', () =>
  withDefaults(async (kit) => {
    const device = await externalDevice(kit, 'mute-1');
    const c = (await kit.send({ target: { deviceId: 'mute-1' }, name: 'reboot' })).body.commands[0];
    await waitFor(() => device.received.length === 1, 'first delivery');
    await kit.k.advance(1000); // no ack: retry 2 in 500 ms
    let view = await kit.command(c.id);
    assert.is(view.status, 'QUEUED');
    assert.is(view.history.at(-1)!.reason, 'no acknowledgement within 1000 ms; retry 2 of 3 in 500 ms');
    await kit.k.advance(500);
    assert.is((await kit.command(c.id)).status, 'SENT');
    await waitFor(() => device.received.length === 2, 'second delivery');
    await kit.k.advance(1000 + 1000); // retry 3 after 1000 ms (base·2)
    await waitFor(() => device.received.length === 3, 'third delivery');
    await kit.k.advance(999);
    assert.is((await kit.command(c.id)).status, 'SENT');
    await kit.k.advance(1);
    view = await kit.command(c.id);
    assert.is(view.status, 'TIMED_OUT');
    assert.is(view.attempts, 3);
    assert.equal(statuses(view), ['QUEUED', 'SENT', 'QUEUED', 'SENT', 'QUEUED', 'SENT', 'TIMED_OUT']);
    assert.is(view.history.at(-1)!.reason, 'no acknowledgement after 3 attempt(s) of 1000 ms');
    // the same correlation id on every delivery
    assert.equal(device.received.map((r) => r.correlationId), [c.id, c.id, c.id]);
    assert.equal(kit.k.eventsOf('command.sent').map((e) => (e.data as { attempts: number }).attempts), [1, 2, 3]);
    const timedOut = kit.k.eventsOf('command.timedOut');
    assert.is(timedOut.length, 1);
    assert.is((timedOut[0].data as { attempts: number }).attempts, 3);
    assert.is((await kit.stats()).commands.deliveries, 3);
  }));

test('per-request timeoutMs and maxAttempts', () =>
  withDefaults(async (kit) => {
    await externalDevice(kit, 'mute-2');
    const c = (await kit.send({ target: { deviceId: 'mute-2' }, name: 'x', timeoutMs: 100, maxAttempts: 1 })).body.commands[0];
    await kit.k.advance(100);
    const view = await kit.command(c.id);
    assert.is(view.status, 'TIMED_OUT');
    assert.equal(view.policy, { timeoutMs: 100, maxAttempts: 1, ttlMs: 3_600_000, backoff: CONFIG.backoff, completionTimeoutMs: 2000 });
  }));

test('acknowledged but never completed: TIMED_OUT after completionTimeoutMs', () =>
  withDefaults(async (kit) => {
    await externalDevice(kit, 'half-1', () => [{ status: 'ACKED' }]);
    const c = (await kit.send({ target: { deviceId: 'half-1' }, name: 'update' })).body.commands[0];
    await kit.until(c.id, 'ACKED');
    await kit.k.advance(1999);
    assert.is((await kit.command(c.id)).status, 'ACKED');
    await kit.k.advance(1);
    const view = await kit.command(c.id);
    assert.is(view.status, 'TIMED_OUT');
    assert.is(view.history.at(-1)!.reason, 'acknowledged but not completed within 2000 ms');
  }));

test('completionTimeoutMs 0: an ACKED command waits (until cancelled)', () =>
  withDefaults(
    async (kit) => {
      await externalDevice(kit, 'half-2', () => [{ status: 'ACKED' }]);
      const c = (await kit.send({ target: { deviceId: 'half-2' }, name: 'update' })).body.commands[0];
      await kit.until(c.id, 'ACKED');
      await kit.k.advance(3_600_000);
      assert.is((await kit.command(c.id)).status, 'ACKED');
      const cancelled = await kit.call(`/${c.id}`, { method: 'DELETE' });
      assert.is(cancelled.status, 200);
      assert.is(cancelled.body.status, 'FAILED');
      assert.is(cancelled.body.error, 'cancelled');
    },
    { ...CONFIG, completionTimeoutMs: 0 },
  ));

test('a device that drops while a command is SENT gets the retry when it comes back', () =>
  withDefaults(async (kit) => {
    const first = await externalDevice(kit, 'flaky-1', undefined, { clean: false });
    const c = (await kit.send({ target: { deviceId: 'flaky-1' }, name: 'sync' })).body.commands[0];
    await waitFor(() => first.received.length === 1, 'first delivery');
    await first.client.endAsync();
    await waitFor(() => !kit.broker.isConnected('flaky-1'), 'flaky-1 to disconnect');
    await kit.k.advance(1000 + 500); // ack timeout, then the retry finds the device offline
    const waiting = await kit.command(c.id);
    assert.is(waiting.status, 'QUEUED');
    assert.is(waiting.attempts, 1);
    // back with its persistent session: the subscription exists at connect
    const again = await externalDevice(kit, 'flaky-1', () => [{ status: 'COMPLETED', result: 'done' }], { clean: false });
    const done = await kit.until(c.id, 'COMPLETED');
    assert.is(done.attempts, 2);
    assert.is(done.result, 'done');
    assert.equal(statuses(done), ['QUEUED', 'SENT', 'QUEUED', 'SENT', 'COMPLETED']);
    assert.is(again.received.length, 1);
  }));

test('a device that was seen once may be commanded while offline; it gets the command when it reconnects', () =>
  withDefaults(async (kit) => {
    const once = await externalDevice(kit, 'ext-9', undefined, { clean: false });
    await once.client.endAsync();
    await waitFor(() => !kit.broker.isConnected('ext-9'), 'ext-9 to disconnect');
    const c = (await kit.send({ target: { deviceId: 'ext-9' }, name: 'wake' })).body.commands[0];
    assert.is(c.status, 'QUEUED');
    await externalDevice(kit, 'ext-9', () => [{ status: 'COMPLETED' }], { clean: false });
    await kit.until(c.id, 'COMPLETED');
  }));

test('late, duplicate, unknown and malformed replies are counted and ignored', () =>
  withDefaults(async (kit) => {
    const device = await externalDevice(kit, 'odd-1');
    const c = (await kit.send({ target: { deviceId: 'odd-1' }, name: 'x' })).body.commands[0];
    await waitFor(() => device.received.length === 1, 'delivery');
    await device.reply({ correlationId: c.id, status: 'ACKED' });
    await device.reply({ correlationId: c.id, status: 'ACKED' });
    await device.reply({ correlationId: c.id, status: 'COMPLETED' });
    await device.reply({ correlationId: c.id, status: 'FAILED', error: 'too late' });
    await device.reply({ correlationId: 'cmd-nope', status: 'ACKED' });
    await device.reply('not json');
    await device.reply({ correlationId: c.id, status: 'WHATEVER' });
    // a reply for odd-1's command on another device's topic
    await device.client.publishAsync('devices/other/replies', JSON.stringify({ correlationId: c.id, status: 'FAILED' }), { qos: 1 });
    await waitFor(async () => (await kit.stats()).commands.replies === 8, '8 replies');
    const { commands } = await kit.stats();
    assert.is(commands.duplicateReplies, 1);
    assert.is(commands.lateReplies, 1);
    assert.is(commands.unknownReplies, 2);
    assert.is(commands.malformedReplies, 2);
    const view = await kit.command(c.id);
    assert.is(view.status, 'COMPLETED');
    assert.equal(statuses(view), ['QUEUED', 'SENT', 'ACKED', 'COMPLETED']);
  }));

test('a reply to a command still waiting for its device (never sent) is ignored', () =>
  withDefaults(async (kit) => {
    const device = await externalDevice(kit, 'ext-2');
    await device.client.endAsync();
    await waitFor(() => !kit.broker.isConnected('ext-2'), 'ext-2 to disconnect');
    const c = (await kit.send({ target: { deviceId: 'ext-2' }, name: 'x' })).body.commands[0];
    const spy = await kit.client({ clientId: 'spy' });
    await spy.publishAsync('devices/ext-2/replies', JSON.stringify({ correlationId: c.id, status: 'COMPLETED' }), { qos: 1 });
    await waitFor(async () => (await kit.stats()).commands.replies === 1, 'the reply');
    assert.is((await kit.command(c.id)).status, 'QUEUED');
    assert.is((await kit.stats()).commands.unknownReplies, 1);
  }));

test('a simulated device with dropRate 1 never answers: retried, then TIMED_OUT', () =>
  withDefaults(
    async (kit) => {
      const c = (await kit.send({ target: { deviceId: 'lossy-1' }, name: 'x', maxAttempts: 2 })).body.commands[0];
      await delivered(kit, 1);
      await kit.k.advance(1500);
      await delivered(kit, 2);
      await kit.k.advance(1000);
      const view = await kit.command(c.id);
      assert.is(view.status, 'TIMED_OUT');
      assert.is(view.attempts, 2);
      assert.is((await kit.stats()).simulator.dropped, 2);
    },
    { ...CONFIG, behaviour: { default: { dropRate: 1 } } },
    { devices: [{ type: 'lossy', count: 1, idPattern: 'lossy-{n}', connection: 'inprocess' }] },
  ));

test('jitter comes from the seeded random stream: same seed, same retry times', async () => {
  const retryDelays: number[][] = [];
  for (let run = 0; run < 2; run++) {
    await withDefaults(
      async (kit) => {
        await externalDevice(kit, 'mute-3');
        const c = (await kit.send({ target: { deviceId: 'mute-3' }, name: 'x' })).body.commands[0];
        await kit.k.advance(1000);
        const reason = (await kit.command(c.id)).history.at(-1)!.reason!;
        retryDelays.push([Number(/in (\d+) ms/.exec(reason)![1])]);
      },
      { ...CONFIG, backoff: { baseMs: 1000, maxMs: 30_000, jitter: 0.5 } },
    );
  }
  assert.equal(retryDelays[0], retryDelays[1]);
  assert.ok(retryDelays[0][0] >= 500 && retryDelays[0][0] <= 1500);
});

test.run();
