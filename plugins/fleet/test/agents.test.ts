import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type Server } from 'node:net';
import { pino } from 'pino';
import { MqttDevice } from '../src/agents/mqtt-device.js';
import type { DeviceEnv } from '../src/agents/simulated-device.js';

const agents = suite('an MQTT device that cannot reach its broker');

const env = (): DeviceEnv & { log: string[] } => {
  const log: string[] = [];
  return {
    log,
    events: { connected: (id) => log.push(`connected ${id}`), disconnected: (id) => log.push(`disconnected ${id}`), seen: () => undefined },
    logger: pino({ level: 'silent' }),
    now: () => 0,
    gate: (open) => open(),
  };
};

const listen = (server: Server) => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));

agents('a refused connection is tried three times, then US_FLEET_CONNECT_FAILED', async () => {
  const server = createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve)); // nothing listens there now
  const e = env();
  let attempts = 0;
  const url = () => {
    attempts++;
    return `mqtt://127.0.0.1:${port}`;
  };
  const device = new MqttDevice('d-1', e, { url, password: 'x', keepaliveSeconds: 60, reconnectPeriodMs: 1, connectTimeoutMs: 2000 });
  try {
    await device.setTarget(true).then(
      () => assert.unreachable('connected'),
      (err) => {
        assert.is(err.code, 'US_FLEET_CONNECT_FAILED');
        assert.match(err.message, /"d-1".*ECONNREFUSED/);
      },
    );
    assert.is(attempts, 3);
    assert.not.ok(device.online);
    assert.equal(e.log, []);
  } finally {
    device.destroy();
  }
});

agents('a broker that never answers CONNECT times out (no retry)', async () => {
  const server = createServer(() => undefined);
  const port = await listen(server);
  let attempts = 0;
  server.on('connection', () => attempts++);
  const device = new MqttDevice('d-2', env(), { url: () => `mqtt://127.0.0.1:${port}`, password: 'x', keepaliveSeconds: 60, reconnectPeriodMs: 1, connectTimeoutMs: 100 });
  try {
    await device.setTarget(true).then(
      () => assert.unreachable('connected'),
      // mqtt.js's own connectTimeout and ours are the same; whichever fires first
      (err) => assert.match(err.message, /"d-2".*(connack timeout|no CONNACK within 100 ms)/),
    );
    assert.is(attempts, 1);
    await device.setTarget(false); // nothing to close
  } finally {
    device.destroy();
    server.close((): void => undefined);
    server.unref();
  }
});

agents.run();
