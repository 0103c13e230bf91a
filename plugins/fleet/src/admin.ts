// Control plane under /__admin/fleet: list/filter/get/update/decommission devices,
// connect and disconnect simulated ones, provision in bulk (a job beyond jobThreshold),
// bulk actions as jobs with progress, and fleet statistics. Device passwords are
// write-only: shown in the provisioning response, and in reads only with
// `?reveal=secrets` and the admin token (secrets.ts, the kernel's convention).
import { describeSchemaErrors, errorResponses as errors, KernelErrors, REDACTED, RevealSecretsQuery, schemaErrorFormatter, Type, type AdminApp, type SchemaError } from '@understudy/plugin-sdk';
import { ConnectionModeSchema, LooseMetadataSchema, templateSchema } from './config.js';
import { filterFromQuery } from './filter.js';
import type { FleetService } from './fleet.js';
import type { JobAction } from './jobs.js';
import { revealRequested, viewDevice } from './secrets.js';
import type { Device, DeviceFilter, DeviceUpdate, MetadataValue, ProvisionTemplate } from './contract.js';

const State = Type.Union(['provisioned', 'active', 'offline', 'decommissioned'].map((s) => Type.Literal(s)));
const DeviceView = Type.Object({
  id: Type.String(),
  type: Type.String(),
  serial: Type.String(),
  credentials: Type.Object({
    username: Type.String(),
    password: Type.String({ description: `The secret in the provisioning response, or with ?reveal=secrets and the admin token; "${REDACTED}" otherwise.` }),
  }),
  metadata: LooseMetadataSchema,
  firmware: Type.String(),
  state: State,
  connection: ConnectionModeSchema,
  provisionedAt: Type.Number(),
  lastSeenAt: Type.Optional(Type.Number()),
  keptOffline: Type.Optional(Type.Boolean({ description: 'Disconnected by the admin API and kept offline, across restarts, until connected again.' })),
});
const Reveal = RevealSecretsQuery.reveal;
const JobView = Type.Object({
  id: Type.String(),
  action: Type.String(),
  state: Type.Union([Type.Literal('running'), Type.Literal('completed'), Type.Literal('failed')]),
  total: Type.Integer(),
  done: Type.Integer(),
  failed: Type.Integer(),
  skipped: Type.Integer(),
  errors: Type.Array(Type.Object({ id: Type.Optional(Type.String()), message: Type.String() })),
  createdAt: Type.Number(),
  finishedAt: Type.Optional(Type.Number()),
  ids: Type.Optional(Type.Array(Type.String())),
});
const JobReply = Type.Object({ job: JobView });
const IdParams = Type.Object({ id: Type.String({ minLength: 1 }) });
const Filter = Type.Object(
  {
    type: Type.Optional(Type.String()),
    state: Type.Optional(State),
    ids: Type.Optional(Type.Array(Type.String())),
    metadata: Type.Optional(LooseMetadataSchema),
  },
  { additionalProperties: false, description: 'Every given key must match; {} selects every device.' },
);
const Template = templateSchema(LooseMetadataSchema);
const Templates = Type.Object({ templates: Type.Array(Template, { minItems: 1 }) }, { additionalProperties: false });
const ProvisionBody = Type.Union([Templates, Template], { description: '`{ templates: [...] }` or one template.' });
const Update = Type.Object(
  {
    metadata: Type.Optional(Type.Record(Type.String({ minLength: 1 }), Type.Unsafe<MetadataValue | null>({ description: 'string, number, boolean, or null to remove the key' }), { description: 'Merged.' })),
    firmware: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);
const BulkBody = Type.Object(
  {
    action: Type.Union(['decommission', 'connect', 'disconnect', 'update'].map((a) => Type.Literal(a))),
    filter: Filter,
    metadata: Update.properties.metadata,
    firmware: Update.properties.firmware,
    expected: Type.Optional(Type.Boolean({ description: 'disconnect: false drops the connection (the will is published). Default true.' })),
  },
  { additionalProperties: false },
);
const Stats = Type.Object({
  total: Type.Integer(),
  byState: Type.Record(Type.String(), Type.Integer()),
  byType: Type.Record(Type.String(), Type.Record(Type.String(), Type.Integer())),
  connected: Type.Integer(),
  connecting: Type.Integer(),
  changing: Type.Integer(),
  counters: Type.Record(Type.String(), Type.Integer()),
  jobs: Type.Object({ running: Type.Integer() }),
});

/** Of the provisioning body's union, only the branch the body meant (one template, or `{ templates }`). */
function provisionErrors(errs: ReadonlyArray<SchemaError & { schemaPath?: string }>, body: unknown): Error {
  const branch = body !== null && typeof body === 'object' && 'templates' in body ? 0 : 1;
  const meant = errs.some((e) => e.schemaPath?.startsWith('#/anyOf/')) ? errs.filter((e) => e.schemaPath?.startsWith(`#/anyOf/${branch}/`)) : errs;
  return new KernelErrors.BAD_REQUEST(describeSchemaErrors(meant, 'body'));
}

export function adminRoutes(fleet: FleetService, jobThreshold: number) {
  const hidden = (device: Device) => viewDevice(device, false);
  return async (app: AdminApp) => {
    app.get<{ Querystring: Record<string, string> }>(
      '/devices',
      {
        schema: {
          summary: 'Devices, filtered (type, state, ids=a,b, metadata.<key>=<value>) and paged',
          querystring: Type.Object(
            {
              type: Type.Optional(Type.String()),
              state: Type.Optional(Type.String({ description: 'provisioned, active, offline or decommissioned' })),
              ids: Type.Optional(Type.String({ description: 'Comma-separated ids' })),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 100 })),
              offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
              reveal: Reveal,
            },
            { additionalProperties: Type.String({ description: 'metadata.<key>=<value>' }) },
          ),
          response: { 200: Type.Object({ total: Type.Integer(), offset: Type.Integer(), limit: Type.Integer(), devices: Type.Array(DeviceView) }), ...errors(400) },
        },
      },
      async (req) => {
        const query = req.query as Record<string, string> & { limit: number; offset: number };
        const filter = filterFromQuery(query);
        const reveal = revealRequested(req);
        const page = fleet.query(filter, query.offset, query.limit);
        return { ...page, devices: page.devices.map((d) => viewDevice(d, reveal)), offset: query.offset, limit: query.limit };
      },
    );

    app.post<{ Body: ProvisionTemplate | { templates: ProvisionTemplate[] } }>(
      '/devices',
      {
        schema: {
          summary: `Provision devices from templates: 201 with the devices (their passwords shown this once), or 202 with a job beyond ${jobThreshold} devices`,
          body: ProvisionBody,
          response: { 201: Type.Object({ devices: Type.Array(DeviceView) }), 202: JobReply, ...errors(400, 409) },
        },
        // the handler formats the errors itself: it needs the body to tell which branch of the union was meant
        attachValidation: true,
      },
      async (req, reply) => {
        if (req.validationError) throw provisionErrors((req.validationError as { validation?: SchemaError[] }).validation ?? [], req.body);
        const templates = 'templates' in req.body ? req.body.templates : [req.body];
        const count = templates.reduce((n, t) => n + t.count, 0);
        if (count > jobThreshold) return reply.code(202).send({ job: fleet.provisionJob(templates).snapshot() });
        return reply.code(201).send({ devices: await fleet.provision(templates) });
      },
    );

    app.get<{ Params: { id: string }; Querystring: { reveal?: 'secrets' } }>(
      '/devices/:id',
      {
        schema: {
          summary: 'One device',
          params: IdParams,
          querystring: Type.Object({ ...RevealSecretsQuery }, { additionalProperties: false }),
          response: { 200: DeviceView, ...errors(403, 404) },
        },
      },
      async (req) => {
        const device = fleet.require(req.params.id);
        return viewDevice(device, revealRequested(req));
      },
    );

    app.patch<{ Params: { id: string }; Body: DeviceUpdate }>(
      '/devices/:id',
      {
        schema: { summary: 'Change metadata (merged; null removes a key) and/or firmware', params: IdParams, body: Update, response: { 200: DeviceView, ...errors(400, 404, 409) } },
        schemaErrorFormatter: schemaErrorFormatter(),
      },
      async (req) => hidden(fleet.update(req.params.id, req.body ?? {})),
    );

    app.delete<{ Params: { id: string } }>(
      '/devices/:id',
      { schema: { summary: 'Decommission a device: disconnect it, revoke its login; it stays listed', params: IdParams, response: { 200: DeviceView, ...errors(404) } } },
      async (req) => hidden(await fleet.decommission(req.params.id)),
    );

    app.post<{ Params: { id: string } }>(
      '/devices/:id/connect',
      { schema: { summary: 'Connect a simulated device (it stays wanted online)', params: IdParams, response: { 200: DeviceView, ...errors(404, 409, 502) } } },
      async (req) => hidden(await fleet.connect(req.params.id)),
    );

    app.post<{ Params: { id: string }; Querystring: { expected?: boolean } }>(
      '/devices/:id/disconnect',
      {
        schema: {
          summary: 'Disconnect a simulated device and keep it offline; ?expected=false drops the connection so the broker publishes the will',
          params: IdParams,
          querystring: Type.Object({ expected: Type.Optional(Type.Boolean({ default: true })) }, { additionalProperties: false }),
          response: { 200: DeviceView, ...errors(400, 404, 409) },
        },
      },
      async (req) => hidden(await fleet.disconnect(req.params.id, req.query.expected ?? true)),
    );

    app.post<{ Body: { action: Exclude<JobAction, 'provision'>; filter: DeviceFilter; expected?: boolean } & DeviceUpdate }>(
      '/bulk',
      {
        schema: { summary: 'Decommission, connect, disconnect or update every device a filter selects, as a job', body: BulkBody, response: { 202: JobReply, ...errors(400) } },
        schemaErrorFormatter: schemaErrorFormatter(),
      },
      async (req, reply) => {
        const { action, filter, metadata, firmware, expected } = req.body;
        const update: DeviceUpdate = { ...(metadata !== undefined && { metadata }), ...(firmware !== undefined && { firmware }) };
        return reply.code(202).send({ job: fleet.bulk(action, filter, { update, expected }).snapshot() });
      },
    );

    app.get<{ Params: { id: string } }>('/jobs/:id', { schema: { summary: 'Progress of a bulk job', params: IdParams, response: { 200: JobView, ...errors(404) } } }, async (req) =>
      fleet.requireJob(req.params.id).snapshot(),
    );

    app.get('/stats', { schema: { summary: 'Devices by state and type, connections, counters', response: { 200: Stats } } }, async () => fleet.stats());
  };
}
