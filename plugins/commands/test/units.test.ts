// The few paths the integration tests cannot reach over real sockets: a broker that refuses
// publishes, a device that is offline when its reply is due, a full list of seen clients.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { pino } from 'pino';
import { createVirtualClock, createRandom } from '@understudy/kernel';
import type { Broker, MqttMessage } from '@understudy/plugin-mqtt';
import type { DeviceAgent, Fleet } from '@understudy/plugin-fleet';
import type { PluginEvents, UnderstudyEvent } from '@understudy/plugin-sdk';
import { CommandCenter } from '../src/commands.js';
import { CommandsConfigSchema } from '../src/config.js';
import { Devices } from '../src/devices.js';
import { handleSendMessage } from '../src/mqtt-api.js';
import { Simulator } from '../src/simulator.js';

const logger = pino({ level: 'silent' });
const CONFIG = {
  timeoutMs: 1000,
  maxAttempts: 1,
  backoff: { baseMs: 1, maxMs: 1, jitter: 0 },
  ttlMs: 10_000,
  completionTimeoutMs: 0,
  maxActive: 10,
  history: { capacity: 10 },
  shadows: { capacity: 10 },
  behaviour: { default: { ackDelayMs: 10, completeDelayMs: 10, failureRate: 0, rejectionRate: 0, dropRate: 0 }, byType: {}, byCommand: {} },
};

function fakeBroker(overrides: Partial<Broker> = {}): Broker {
  return {
    publish: async () => undefined,
    subscribe: () => () => undefined,
    isConnected: () => false,
    ...overrides,
  } as unknown as Broker;
}

function fakeEvents(): PluginEvents & { got: UnderstudyEvent[] } {
  const got: UnderstudyEvent[] = [];
  return { got, emit: (type, data) => (got.push({ type, data, at: 0, source: 'commands' } as UnderstudyEvent), got.at(-1)!) as never, subscribe: () => () => true, recent: () => got };
}

function fakeAgent(id: string, online = true) {
  const subs = new Map<string, (topic: string, payload: Buffer) => void>();
  const published: Array<{ topic: string; payload: unknown }> = [];
  const agent = {
    id,
    online,
    publish: async (topic: string, payload: unknown) => {
      if (!agent.online) throw new Error('offline');
      published.push({ topic, payload });
    },
    subscribe: (pattern: string, handler: (topic: string, payload: Buffer) => void) => {
      subs.set(pattern, handler);
      return () => subs.delete(pattern);
    },
  };
  return { agent: agent as DeviceAgent & { online: boolean }, subs, published };
}

function fakeFleet(agents: Record<string, DeviceAgent>, types: Record<string, string> = {}): Fleet {
  return {
    get: (id: string) => (types[id] ? ({ id, type: types[id], state: 'active' } as never) : undefined),
    agent: (id: string) => agents[id],
    list: () => [],
  } as unknown as Fleet;
}

const units = suite('commands: units');

units('config defaults fill every field', async () => {
  const { Value } = await import('@sinclair/typebox/value');
  const config = Value.Default(CommandsConfigSchema, {}) as Record<string, any>;
  assert.is(config.timeoutMs, 5000);
  assert.equal(config.backoff, { baseMs: 1000, maxMs: 30_000, jitter: 0.2 });
  assert.equal(config.behaviour.default, { ackDelayMs: 50, completeDelayMs: 200, failureRate: 0, rejectionRate: 0, dropRate: 0 });
});

units('a publish the broker refuses is counted; the ack timeout takes over', async () => {
  const clock = createVirtualClock();
  const broker = fakeBroker({ publish: async () => Promise.reject(new Error('closing')), isConnected: () => true });
  const devices = new Devices(fakeFleet({}), broker);
  devices.sawClient('d1');
  const center = new CommandCenter(CONFIG, devices, broker, clock, createRandom(1, 'ids'), createRandom(1, 'jitter'), fakeEvents(), logger);
  const [command] = center.send({ target: { deviceId: 'd1' }, name: 'x' });
  assert.is(command.origin, 'service');
  assert.is(command.status, 'SENT');
  await clock.advance(0);
  assert.is(center.stats().publishFailures, 1);
  await clock.advance(1000);
  assert.is(center.get(command.id)!.status, 'TIMED_OUT');
  assert.equal(center.list({ status: 'TIMED_OUT' }).map((c) => c.id), [command.id]);
  assert.equal(center.list({ status: 'SENT' }), []);
  center.stop();
});

units('seen clients are bounded: the oldest is forgotten and counted', () => {
  const devices = new Devices(fakeFleet({}), fakeBroker(), 2);
  devices.sawClient('a');
  devices.sawClient('b');
  devices.sawClient('a'); // seen again: the newest now
  devices.sawClient('c');
  assert.is(devices.forgotten, 1);
  devices.check('a');
  devices.check('c');
  assert.throws(() => devices.check('b'), (err: { code: string }) => err.code === 'US_COMMANDS_DEVICE_NOT_FOUND');
});

units('a send message that fails without a code reports US_INTERNAL', () => {
  const broken = { send: () => { throw new Error('boom'); } } as unknown as CommandCenter;
  const message = { topic: 'commands/send', payload: Buffer.from('{"requestId":"r","target":{"deviceId":"d"},"name":"x"}'), qos: 0, retain: false, clientId: null } as MqttMessage;
  assert.equal(handleSendMessage(message, broken), { requestId: 'r', ok: false, error: { code: 'US_INTERNAL', message: 'boom' } });
});

units('simulator: attach is idempotent, non-simulated devices are skipped, odd messages counted', async () => {
  const clock = createVirtualClock();
  const { agent, subs, published } = fakeAgent('d1');
  const sim = new Simulator(CONFIG.behaviour, fakeFleet({ d1: agent }, { d1: 't', ext: 't' }), clock, createRandom(1, 'sim'), logger);
  sim.attach('d1');
  sim.attach('d1');
  sim.attach('ext'); // no agent
  sim.attach('ghost'); // no device
  assert.is(sim.counters().devices, 1);
  assert.is(subs.size, 2);
  const command = subs.get('devices/d1/commands/+')!;
  const delta = subs.get('devices/d1/shadow/delta')!;
  command('devices/d1/commands/x', Buffer.from('not json'));
  command('devices/d1/commands/x', Buffer.from('{"correlationId":1,"name":"x"}'));
  delta('devices/d1/shadow/delta', Buffer.from('nope'));
  delta('devices/d1/shadow/delta', Buffer.from('{"state":[1]}'));
  delta('devices/d1/shadow/delta', Buffer.from('{"state":{}}'));
  assert.equal(sim.counters(), { devices: 1, received: 2, deltas: 0, malformedCommands: 2, dropped: 0, publishFailures: 0 });

  // the device goes offline before its reply is due: the publish fails and is counted
  command('devices/d1/commands/x', Buffer.from('{"correlationId":"c1","name":"x","params":{}}'));
  await clock.advance(10);
  assert.equal(published.map((p) => (p.payload as { status: string }).status), ['ACKED']);
  agent.online = false;
  await clock.advance(10);
  assert.is(sim.counters().publishFailures, 1);

  // detach clears pending replies and subscriptions; detaching twice is harmless
  agent.online = true;
  command('devices/d1/commands/x', Buffer.from('{"correlationId":"c2","name":"x","params":{}}'));
  sim.detach('d1');
  sim.detach('d1');
  await clock.advance(100);
  assert.is(published.length, 1);
  assert.is(subs.size, 0);
  sim.stop();
});

units.run();
