// Control plane under /__admin/telemetry: stored readings, NDJSON/CSV export, counters,
// the sensor models, and series generated on demand.
import { Readable } from 'node:stream';
import { errorResponses as errors, Type, type AdminApp } from '@understudy/plugin-sdk';
import { AnomaliesSchema } from './config.js';
import { TelemetryErrors } from './errors.js';
import { EXPORT_FORMATS, exportChunks, type ExportFormat } from './export.js';
import type { TelemetryService } from './service.js';
import type { ReadingQuery, SensorName } from './contract.js';

const Time = Type.String({ description: 'ms since the epoch (kernel clock) or an ISO 8601 time' });
const Filter = {
  device: Type.Optional(Type.String({ description: 'Device id, or several separated by commas' })),
  sensor: Type.Optional(Type.String()),
  type: Type.Optional(Type.String({ description: 'Fleet device type' })),
  from: Type.Optional(Time),
  to: Type.Optional(Time),
};
type FilterQuery = { device?: string; sensor?: string; type?: string; from?: string; to?: string };

const ReadingSchema = Type.Object({
  deviceId: Type.String(),
  sensor: Type.String(),
  ts: Type.Number(),
  value: Type.Unknown({ description: 'a number, or { lat, lon } for gps' }),
  unit: Type.String(),
  seq: Type.Number(),
  anomaly: Type.Optional(Type.String()),
  type: Type.Optional(Type.String()),
  source: Type.String(),
});
const Counts = Type.Object({ generated: Type.Integer(), published: Type.Integer(), captured: Type.Integer(), anomalies: Type.Record(Type.String(), Type.Integer()) });
const Stats = Type.Object({
  devices: Type.Integer(),
  streams: Type.Integer(),
  generated: Type.Integer(),
  published: Type.Integer(),
  captured: Type.Integer(),
  captureRejected: Type.Integer(),
  stored: Type.Integer(),
  capacity: Type.Integer(),
  bytes: Type.Integer({ description: 'Estimated bytes the stored readings take' }),
  maxBytes: Type.Integer({ description: 'buffer.maxBytes' }),
  dropped: Type.Integer({ description: 'Readings pushed out of the store (by capacity or maxBytes)' }),
  offlineBuffered: Type.Integer(),
  offlineDropped: Type.Integer(),
  bySensor: Type.Record(Type.String(), Counts),
});
const SensorInfo = Type.Object({ name: Type.String(), unit: Type.String(), description: Type.String(), params: Type.Unknown() });
const SeriesBody = Type.Object(
  {
    deviceId: Type.String({ minLength: 1 }),
    sensor: Type.String(),
    from: Type.Union([Type.Number(), Type.String()]),
    to: Type.Union([Type.Number(), Type.String()]),
    intervalMs: Type.Optional(Type.Integer({ minimum: 1 })),
    params: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    anomalies: Type.Optional(AnomaliesSchema),
    seed: Type.Optional(Type.Union([Type.Number(), Type.String()])),
    type: Type.Optional(Type.String({ description: 'A configured device type lends its sensor spec' })),
  },
  { additionalProperties: false },
);
type SeriesBodyType = { deviceId: string; sensor: string; from: number | string; to: number | string; intervalMs?: number; params?: Record<string, unknown>; anomalies?: Record<string, number>; seed?: number | string; type?: string };

/** ms since the epoch, or an ISO 8601 time. */
export function parseTime(name: string, value: number | string): number {
  if (typeof value === 'number') return value;
  const ms = /^-?\d+$/.test(value.trim()) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms)) throw new TelemetryErrors.BAD_TIME(name, value);
  return ms;
}

function range(fromText: number | string | undefined, toText: number | string | undefined): { from?: number; to?: number } {
  const from = fromText === undefined ? undefined : parseTime('from', fromText);
  const to = toText === undefined ? undefined : parseTime('to', toText);
  if (from !== undefined && to !== undefined && from > to) throw new TelemetryErrors.BAD_RANGE(from, to);
  return { from, to };
}

export function adminRoutes(telemetry: TelemetryService) {
  const toQuery = (q: FilterQuery): ReadingQuery => {
    if (q.sensor !== undefined && !telemetry.knownSensors().includes(q.sensor)) throw new TelemetryErrors.UNKNOWN_SENSOR(q.sensor, telemetry.knownSensors());
    const deviceIds = q.device
      ?.split(',')
      .map((d) => d.trim())
      .filter(Boolean);
    return { deviceIds: deviceIds?.length ? deviceIds : undefined, sensor: q.sensor, type: q.type, ...range(q.from, q.to) };
  };

  return async (app: AdminApp) => {
    app.get<{ Querystring: FilterQuery & { limit?: number } }>(
      '/readings',
      {
        schema: {
          summary: 'Stored readings, oldest first (page with from)',
          querystring: Type.Object({ ...Filter, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1000 })) }),
          response: { 200: Type.Object({ readings: Type.Array(ReadingSchema), count: Type.Integer(), truncated: Type.Boolean() }), ...errors(400) },
        },
      },
      async (req) => {
        const { readings, truncated } = telemetry.store.query({ ...toQuery(req.query), limit: req.query.limit });
        return { readings, count: readings.length, truncated };
      },
    );

    app.get<{ Querystring: FilterQuery & { format?: string } }>(
      '/export',
      {
        schema: {
          summary: 'Stream matching readings as NDJSON (default) or CSV',
          querystring: Type.Object({ ...Filter, format: Type.Optional(Type.String({ description: 'ndjson (default) or csv' })) }),
          response: { 200: Type.String({ description: 'application/x-ndjson or text/csv' }), ...errors(400) },
        },
      },
      async (req, reply) => {
        const format = req.query.format ?? 'ndjson';
        if (!Object.hasOwn(EXPORT_FORMATS, format)) throw new TelemetryErrors.BAD_FORMAT(format);
        const query = toQuery(req.query);
        return reply
          .type(EXPORT_FORMATS[format as ExportFormat])
          .header('content-disposition', `attachment; filename="telemetry.${format}"`)
          .send(Readable.from(exportChunks(telemetry.store.matching(query), format as ExportFormat)));
      },
    );

    app.get('/stats', { schema: { summary: 'Counters: generated, published, stored, dropped, offline buffers, per sensor', response: { 200: Stats } } }, async () =>
      telemetry.stats(),
    );

    app.get('/sensors', { schema: { summary: 'The sensor models, their units and default params', response: { 200: Type.Object({ sensors: Type.Array(SensorInfo) }) } } }, async () => ({
      sensors: telemetry.sensors(),
    }));

    app.post<{ Body: SeriesBodyType }>(
      '/series',
      {
        schema: {
          summary: 'Generate a series without publishing it (deterministic per seed, device and sensor)',
          body: SeriesBody,
          response: { 200: Type.Object({ readings: Type.Array(ReadingSchema) }), ...errors(400) },
        },
      },
      async (req) => {
        const b = req.body;
        const { from, to } = range(b.from, b.to);
        return {
          readings: telemetry.series({ ...b, sensor: b.sensor as SensorName, from: from!, to: to! }),
        };
      },
    );
  };
}
