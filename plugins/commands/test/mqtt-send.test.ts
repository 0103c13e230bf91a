import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { waitFor } from '@understudy/plugin-sdk/testing';
import { delivered, start } from './helpers.js';

const test = suite('commands: sending over MQTT');

test('commands/send creates commands; the outcome (requestId echoed) is published on commands/results', async () => {
  const kit = await start({}, { devices: [{ type: 'thermostat', count: 2, idPattern: 'thermo-{n}' }] });
  try {
    const app = await kit.client({ clientId: 'dashboard' });
    const results: any[] = [];
    app.on('message', (topic, payload) => topic === 'commands/results' && results.push(JSON.parse(payload.toString())));
    await app.subscribeAsync('commands/results', { qos: 1 });

    await app.publishAsync('commands/send', JSON.stringify({ requestId: 'r1', target: { selector: { type: 'thermostat' } }, name: 'reboot', params: { now: true } }), { qos: 1 });
    await waitFor(() => results.length === 1, 'the first result');
    assert.is(results[0].requestId, 'r1');
    assert.is(results[0].ok, true);
    assert.equal(results[0].commands.map((c: { deviceId: string }) => c.deviceId).sort(), ['thermo-1', 'thermo-2']);
    assert.ok(results[0].commands.every((c: { status: string }) => c.status === 'SENT'));
    const id = results[0].commands[0].id;
    const command = await kit.command(id);
    assert.is(command.origin, 'mqtt');
    assert.equal(command.params, { now: true });
    await delivered(kit, 2);
    await kit.k.advance(250);
    await kit.until(id, 'COMPLETED');

    await app.publishAsync('commands/send', JSON.stringify({ requestId: 'r2', target: { deviceId: 'ghost' }, name: 'reboot' }), { qos: 1 });
    await app.publishAsync('commands/send', JSON.stringify({ target: { deviceId: 'thermo-1' } }), { qos: 1 });
    await app.publishAsync('commands/send', '{ nope', { qos: 1 });
    await app.publishAsync('commands/send', 'null', { qos: 1 });
    await waitFor(() => results.length === 5, 'four more results');
    assert.equal(results[1], { requestId: 'r2', ok: false, error: { code: 'US_COMMANDS_DEVICE_NOT_FOUND', message: results[1].error.message } });
    assert.match(results[1].error.message, 'ghost');
    assert.is(results[2].requestId, undefined);
    assert.is(results[2].error.code, 'US_COMMANDS_INVALID');
    assert.match(results[2].error.message, 'name:');
    assert.is(results[3].error.code, 'US_COMMANDS_INVALID_JSON');
    assert.is(results[4].error.code, 'US_COMMANDS_INVALID');
  } finally {
    await kit.stop();
  }
});

test('an in-process publish to commands/send works too', async () => {
  const kit = await start({}, { devices: [{ type: 'sensor', count: 1, idPattern: 'sensor-{n}', connection: 'inprocess' }] });
  try {
    const results: any[] = [];
    kit.broker.subscribe('commands/results', (m) => results.push(JSON.parse(m.payload.toString())));
    await kit.broker.publish('commands/send', { target: { deviceId: 'sensor-1' }, name: 'ping' });
    await waitFor(() => results.length === 1, 'the result');
    assert.is(results[0].ok, true);
    assert.is((await kit.command(results[0].commands[0].id)).origin, 'mqtt');
  } finally {
    await kit.stop();
  }
});

test.run();
