import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import commands from '@understudy/plugin-commands';
import fleet from '@understudy/plugin-fleet';
import { nodeView, publish, startEdge, subscriber, waitFor } from './helpers.js';

const it = suite('edge: local rules, with and without the commands plugin');

const withFleet = (edgeConfig: Record<string, unknown>) =>
  startEdge(edgeConfig, {
    plugins: [fleet, commands],
    config: {
      fleet: {
        storage: false,
        devices: [
          { type: 'thermostat', count: 2, idPattern: 'th-{n}', connection: 'inprocess', metadata: { site: 'a' } },
          { type: 'thermostat', count: 1, idPattern: 'tb-{n}', connection: 'inprocess', metadata: { site: 'b' } },
          { type: 'siren', count: 1, idPattern: 'siren-{n}', connection: 'inprocess', metadata: { site: 'a' } },
        ],
      },
    },
  });

const cool = { name: 'cool', when: { sensor: 'temp', op: '>', value: 30 }, command: { name: 'cool', params: { to: 22 } }, cooldownMs: 10_000 };

it('a reading rule sends a command to the device that caused it, through the commands service; cooldown per device', async () => {
  const k = await withFleet({ nodes: [{ id: 'hall', devices: { type: 'thermostat', metadata: { site: 'a' } }, pipeline: { rules: [cool] } }] });
  const up = await subscriber(k);
  const device = await subscriber(k, 'devices/+/commands/#', 'watcher');
  try {
    const view = nodeView(k, 'hall');
    assert.is(view.devices, 2, 'fleet type + metadata group');
    await publish(k, 'tb-1', 'temp', [40]);
    assert.is(nodeView(k, 'hall').counters.received, 0, 'site b is not this node’s');
    await publish(k, 'th-1', 'temp', [25, 35, 36]);
    const sent = k.resolve('commands').list({ deviceId: 'th-1' });
    assert.is(sent.length, 1, 'the second breach is inside the cooldown');
    assert.equal([sent[0].name, sent[0].params, sent[0].origin], ['cool', { to: 22 }, 'edge:hall']);
    await waitFor(() => device.seen.length === 1, 'the command delivered on MQTT');
    assert.is(device.seen[0].topic, 'devices/th-1/commands/cool');
    assert.is(device.seen[0].body.correlationId, sent[0].id);

    const fired = k.eventsOf('edge.ruleFired');
    assert.is(fired.length, 1);
    assert.equal(fired[0].data, {
      node: 'hall',
      rule: 'cool',
      trigger: 'reading',
      sensor: 'temp',
      value: 35,
      deviceIds: ['th-1'],
      command: { name: 'cool', params: { to: 22 }, target: 'source' },
      sent: true,
      commandIds: [sent[0].id],
      at: Date.UTC(2025, 0, 1),
    });
    await waitFor(() => up.seen.length === 1, 'the rule alert upstream');
    assert.equal(up.seen[0], { topic: 'edge/hall/alerts', body: { kind: 'rule', ...(fired[0].data as object) } });

    // another device has its own cooldown; the simulated device completes the command
    await publish(k, 'th-2', 'temp', [31]);
    assert.is(k.resolve('commands').list({ deviceId: 'th-2' }).length, 1);
    await k.advance(1000);
    assert.is(k.resolve('commands').get(sent[0].id)!.status, 'COMPLETED');
    const { counters } = nodeView(k, 'hall');
    assert.equal([counters.rulesFired, counters.rulesWithoutCommands, counters.ruleErrors, counters.alerts], [2, 0, 0, 2]);
  } finally {
    await up.client.endAsync();
    await device.client.endAsync();
    await k.stop();
  }
});

it('aggregate and anomaly rules: the max points at one device, the mean at all of them, an anomaly at a fixed target', async () => {
  const k = await withFleet({
    nodes: [
      {
        id: 'site-a',
        devices: { metadata: { site: 'a' } },
        pipeline: {
          windows: [{ kind: 'tumbling', sizeMs: 1000, aggregates: ['max', 'mean'] }],
          anomaly: { zScore: 3, window: 10, minSamples: 5 },
          rules: [
            { name: 'hottest', when: { sensor: 'temp', op: '>', value: 28, aggregate: 'max' }, command: { name: 'cool' } },
            { name: 'all-warm', when: { sensor: 'temp', op: '>', value: 20, aggregate: 'mean' }, command: { name: 'eco' } },
            { name: 'spike', when: { anomaly: true, sensor: 'temp' }, command: { name: 'sound', target: { deviceId: 'siren-1' } } },
          ],
        },
      },
    ],
  });
  try {
    await publish(k, 'th-1', 'temp', [21, 22]);
    await publish(k, 'th-2', 'temp', [29]);
    await k.advance(1000);
    const cmds = k.resolve('commands');
    assert.equal(cmds.list({ deviceId: 'th-2' }).map((c) => c.name).sort(), ['cool', 'eco']);
    assert.equal(cmds.list({ deviceId: 'th-1' }).map((c) => c.name), ['eco']);
    const fired = k.eventsOf('edge.ruleFired').map((e) => e.data as { rule: string; trigger: string; deviceIds: string[]; commandIds: string[] });
    assert.equal(fired.map((f) => [f.rule, f.trigger, f.deviceIds, f.commandIds.length]), [
      ['hottest', 'aggregate', ['th-2'], 1],
      ['all-warm', 'aggregate', ['th-1', 'th-2'], 2],
    ]);

    await publish(k, 'th-1', 'temp', [21, 22, 21, 22, 21]);
    await publish(k, 'th-1', 'temp', [60]);
    assert.is(k.eventsOf('edge.alert').length, 1);
    assert.equal(cmds.list({ deviceId: 'siren-1' }).map((c) => [c.name, c.origin]), [['sound', 'edge:site-a']]);
  } finally {
    await k.stop();
  }
});

it('a command the commands service refuses is counted and reported, the node goes on', async () => {
  const k = await withFleet({
    nodes: [{ id: 'n', devices: { idPrefix: 'th-' }, pipeline: { rules: [{ ...cool, command: { name: 'cool', target: { deviceId: 'ghost' } } }] } }],
  });
  try {
    await publish(k, 'th-1', 'temp', [35]);
    const view = nodeView(k, 'n');
    assert.equal([view.counters.rulesFired, view.counters.ruleErrors], [1, 1]);
    const [alert] = k.resolve('edge').alerts('n') as Array<{ sent: boolean; error?: string; commandIds: string[] }>;
    assert.is(alert.sent, false);
    assert.equal(alert.commandIds, []);
    assert.match(alert.error!, 'ghost');
  } finally {
    await k.stop();
  }
});

it('without the commands plugin a rule publishes its alert (kind rule) and counts rulesWithoutCommands', async () => {
  const k = await startEdge({ nodes: [{ id: 'solo', devices: { ids: ['d1'] }, pipeline: { rules: [cool] } }] });
  const up = await subscriber(k);
  try {
    await publish(k, 'd1', 'temp', [31]);
    await waitFor(() => up.seen.length === 1, 'the rule alert');
    assert.equal(
      { kind: up.seen[0].body.kind, sent: up.seen[0].body.sent, commandIds: up.seen[0].body.commandIds, command: up.seen[0].body.command },
      { kind: 'rule', sent: false, commandIds: [], command: { name: 'cool', params: { to: 22 }, target: 'source' } },
    );
    assert.is(nodeView(k, 'solo').counters.rulesWithoutCommands, 1);
    assert.is(k.eventsOf('edge.ruleFired').length, 1);
  } finally {
    await up.client.endAsync();
    await k.stop();
  }
});

it.run();
