// The iot preset: a three-floor office building. Each floor has thermostats, humidity
// sensors, motion detectors and smart plugs, every device with its own MQTT connection,
// and one edge gateway that aggregates the floor's telemetry and cools it when it runs hot.
// The broker's ACL protects what the simulation owns: only a device's own identity may
// publish under devices/{id}/, with or without logins; anyone may still subscribe.
import commands from '@understudy/plugin-commands';
import edge from '@understudy/plugin-edge';
import fleet from '@understudy/plugin-fleet';
import mqtt from '@understudy/plugin-mqtt';
import { definePreset } from '@understudy/plugin-sdk';
import telemetry from '@understudy/plugin-telemetry';

export const FLOORS = [1, 2, 3];

/**
 * Only the device identity (its id and secret) publishes under its own `devices/{id}/`;
 * nobody else publishes there over MQTT (Understudy's own plugins publish in-process).
 * Subscribing stays open to everyone.
 */
export const DEVICE_TOPICS_ACL = [
  { permission: 'allow', action: 'publish', who: 'devices', topics: ['devices/{id}/#'] },
  { permission: 'deny', action: 'publish', topics: ['devices/#'] },
] as const;

/** Devices of one type on every floor: ids like `f2-thermostat-01`, metadata `{ floor: 2 }`. */
const onEveryFloor = (type: string, count: number) =>
  FLOORS.map((floor) => ({ type, count, idPattern: `f${floor}-${type}-{n:2}`, metadata: { floor, building: 'hq' } }));

/** One edge gateway per floor: 1-minute aggregates, anomaly alerts, and a cooling rule. */
const gateway = (floor: number) => ({
  id: `floor-${floor}`,
  devices: { metadata: { floor } },
  pipeline: {
    filters: [{ kind: 'deadband', delta: 0.05 }],
    windows: [{ kind: 'tumbling', sizeMs: 60_000, aggregates: ['min', 'max', 'mean', 'count'] }],
    anomaly: { zScore: 4, window: 30 },
    rules: [
      {
        name: 'cool-when-hot',
        when: { sensor: 'temperature', op: '>', value: 26, aggregate: 'mean' },
        command: { name: 'set-mode', params: { mode: 'cool' }, target: { selector: { type: 'thermostat', metadata: { floor } } } },
        cooldownMs: 300_000,
      },
    ],
  },
  budget: { queueLength: 1000, ratePerSecond: 500 },
});

export default definePreset({
  name: 'iot',
  description: 'An IoT world: a building of thermostats, humidity sensors, motion detectors and smart plugs on a real MQTT broker, with telemetry, commands and one edge gateway per floor.',
  plugins: [mqtt, fleet, telemetry, commands, edge],
  config: {
    mqtt: { acl: DEVICE_TOPICS_ACL.map((rule) => ({ ...rule, topics: [...rule.topics] })) },
    fleet: {
      deviceTypes: {
        thermostat: { firmware: '2.4.1' },
        'humidity-sensor': { firmware: '1.2.0' },
        'motion-detector': { firmware: '1.0.3', connectivity: { model: 'intermittent', meanOnlineMs: 600_000, meanOfflineMs: 30_000 } },
        'smart-plug': { firmware: '3.1.0' },
      },
      devices: [
        ...onEveryFloor('thermostat', 4),
        ...onEveryFloor('humidity-sensor', 2),
        ...onEveryFloor('motion-detector', 3),
        ...onEveryFloor('smart-plug', 2),
      ],
    },
    telemetry: {
      sensors: {
        thermostat: [
          { sensor: 'temperature', intervalMs: 10_000 },
          { sensor: 'co2', intervalMs: 30_000 },
        ],
        'humidity-sensor': [
          { sensor: 'humidity', intervalMs: 15_000 },
          { sensor: 'battery', intervalMs: 300_000 },
        ],
        'motion-detector': [
          { sensor: 'motion', intervalMs: 10_000 },
          { sensor: 'battery', intervalMs: 300_000 },
        ],
      },
    },
    commands: {
      behaviour: {
        default: { ackDelayMs: 50, completeDelayMs: 200 },
        byType: { 'smart-plug': { ackDelayMs: 20, completeDelayMs: 50 } },
      },
    },
    edge: { nodes: FLOORS.map(gateway) },
  },
  world: 'building "hq", 3 floors: 4 thermostats, 2 humidity sensors, 3 motion detectors and 2 smart plugs per floor (33 devices); edge gateways floor-1 … floor-3',
});
