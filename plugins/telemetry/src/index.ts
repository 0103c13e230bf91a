// The telemetry plugin: seeded sensor models (temperature, humidity, motion, pressure, CO2,
// battery, GPS, vibration) with anomalies, published by every fleet device through its own
// connection on devices/{id}/telemetry/{sensor}, stored in a bounded buffer and exported
// as NDJSON or CSV. Its contract (the `telemetry` service, telemetry.* events) is
// src/contract.ts; the topic comes from the fleet's catalogue (`deviceTopics.telemetry`).
import { definePlugin, KernelErrors } from '@understudy/plugin-sdk';
import { adminRoutes } from './admin.js';
import { TelemetryConfigSchema } from './config.js';
import { TelemetryService } from './service.js';
import { resolveSpecs } from './specs.js';

export { TelemetryConfigSchema, type TelemetryConfig } from './config.js';
export { TelemetryErrors } from './errors.js';
export { ANOMALY_KINDS, DRIFT_READINGS, STUCK_READINGS } from './anomalies.js';
export { CSV_HEADER, csvLine, ndjsonLine } from './export.js';
export { MODELS, SENSOR_NAMES, defineModel, type SensorModel } from './sensors/index.js';
export { SensorStream, payloadOf, type StreamSpec } from './stream.js';
export { resolveSpec } from './specs.js';
export { TelemetryService, MAX_SERIES_READINGS } from './service.js';
export type * from './contract.js';

export default definePlugin({
  name: 'telemetry',
  version: '0.1.0',
  description: 'Seeded sensor telemetry with anomalies, published by fleet devices over MQTT, exportable as NDJSON or CSV.',
  dependencies: ['mqtt', 'fleet'],
  provides: ['telemetry'],
  config: TelemetryConfigSchema,
  register(ctx) {
    const { byType, problems } = resolveSpecs(ctx.config.sensors);
    if (problems.length) throw new KernelErrors.CONFIG_INVALID(problems.join('\n'));
    const telemetry = new TelemetryService({
      name: ctx.name,
      config: ctx.config,
      specsByType: byType,
      clock: ctx.clock,
      random: ctx.random,
      events: ctx.events,
      fleet: ctx.resolve('fleet'),
      broker: ctx.resolve('broker'),
    });
    ctx.provide('telemetry', telemetry);
    ctx.onStart(() => telemetry.start());
    ctx.onStop(() => telemetry.stop());
    ctx.admin(adminRoutes(telemetry));
  },
});
