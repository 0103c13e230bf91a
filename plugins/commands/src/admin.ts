// Control plane under /__admin/commands: send, list, inspect and cancel commands; read and
// set device shadows. Send bodies are checked by validate.ts (the same checks as for
// `commands/send`); the TypeBox schemas document them in OpenAPI.
import { documentedOnly, errorResponses as errors, Type, type AdminApp } from '@understudy/plugin-sdk';
import type { CommandCenter } from './commands.js';
import type { Devices } from './devices.js';
import type { Shadows } from './shadows.js';
import type { Simulator } from './simulator.js';
import type { CommandStatus } from './contract.js';
import { parseSendRequest } from './validate.js';

const Any = Type.Unknown();
const STATUSES = ['QUEUED', 'SENT', 'ACKED', 'COMPLETED', 'FAILED', 'TIMED_OUT'] as const;
const Status = Type.Union(STATUSES.map((s) => Type.Literal(s)));

const Selector = Type.Object(
  {
    type: Type.Optional(Type.String()),
    ids: Type.Optional(Type.Array(Type.String(), { minItems: 1 })),
    metadata: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()]))),
  },
  { additionalProperties: false, description: 'Every fleet device matching all given fields ({} = the whole fleet).' },
);

export const SendBody = Type.Object(
  {
    target: Type.Union([Type.Object({ deviceId: Type.String() }, { additionalProperties: false }), Type.Object({ selector: Selector }, { additionalProperties: false })]),
    name: Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$', description: 'Becomes the last topic level: devices/{id}/commands/{name}' }),
    params: Type.Optional(Type.Record(Type.String(), Any)),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 1, description: 'Per attempt, until the device acks (default: config timeoutMs).' })),
    maxAttempts: Type.Optional(Type.Integer({ minimum: 1 })),
    ttlMs: Type.Optional(Type.Integer({ minimum: 1, description: 'How long the command waits for an offline device.' })),
  },
  { additionalProperties: false },
);

const Transition = Type.Object({ status: Status, at: Type.Number(), reason: Type.Optional(Type.String()) });
const CommandView = Type.Object({
  id: Type.String({ description: 'Also the correlation id of the delivery and the reply.' }),
  deviceId: Type.String(),
  name: Type.String(),
  params: Any,
  status: Status,
  attempts: Type.Integer(),
  createdAt: Type.Number(),
  expiresAt: Type.Number(),
  result: Type.Optional(Any),
  error: Type.Optional(Type.String()),
  history: Type.Array(Transition, { description: 'Every status with the kernel-clock time it was entered.' }),
  origin: Type.String(),
  policy: Any,
});
const Commands = Type.Object({ commands: Type.Array(CommandView) });
const IdParams = Type.Object({ id: Type.String() });
const DeviceParams = Type.Object({ deviceId: Type.String() });
const ShadowView = Type.Object({
  deviceId: Type.String(),
  desired: Any,
  reported: Any,
  delta: Any,
  inSync: Type.Boolean(),
  version: Type.Integer(),
  updatedAt: Type.Optional(Type.Number()),
});

export function adminRoutes(commands: CommandCenter, shadows: Shadows, simulator: Simulator, devices: Devices) {
  return async (app: AdminApp) => {
    app.post(
      '/',
      { schema: { summary: 'Send a command to one device or every device a selector matches', body: SendBody, response: { 202: Commands, ...errors(400, 404, 409, 429) } }, validatorCompiler: documentedOnly },
      async (req, reply) => reply.code(202).send({ commands: commands.send(parseSendRequest(req.body, 'rest')) }),
    );
    app.get<{ Querystring: { deviceId?: string; status?: CommandStatus; limit?: number } }>(
      '/',
      {
        schema: {
          summary: 'Commands (unfinished and the finished ones still in the history), oldest first',
          querystring: Type.Object({
            deviceId: Type.Optional(Type.String()),
            status: Type.Optional(Status),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1000, description: 'The newest this many matches.' })),
          }),
          response: { 200: Type.Object({ commands: Type.Array(CommandView), total: Type.Integer() }), ...errors(400) },
        },
      },
      async (req) => {
        const { limit = 1000, ...filter } = req.query;
        const all = commands.list(filter);
        return { commands: all.slice(-limit), total: all.length };
      },
    );
    app.get('/stats', { schema: { summary: 'Counters: commands, replies (malformed, unknown, late, duplicate), shadows, simulated devices', response: { 200: Any } } }, async () => ({
      commands: commands.stats(),
      shadows: shadows.counters(),
      simulator: simulator.counters(),
      forgottenClients: devices.forgotten,
    }));
    app.get<{ Params: { id: string } }>('/:id', { schema: { summary: 'One command with its history', params: IdParams, response: { 200: CommandView, ...errors(404) } } }, async (req) =>
      commands.require(req.params.id),
    );
    app.delete<{ Params: { id: string } }>(
      '/:id',
      { schema: { summary: 'Cancel an unfinished command (FAILED, reason cancelled)', params: IdParams, response: { 200: CommandView, ...errors(404, 409) } } },
      async (req) => commands.cancel(req.params.id),
    );

    app.get('/shadows', { schema: { summary: 'Every device shadow', response: { 200: Type.Object({ shadows: Type.Array(ShadowView) }) } } }, async () => ({ shadows: shadows.list() }));
    app.get<{ Params: { deviceId: string } }>(
      '/shadows/:deviceId',
      { schema: { summary: "One device's shadow: desired, reported, delta, version", params: DeviceParams, response: { 200: ShadowView, ...errors(404, 409) } } },
      async (req) => {
        const shadow = shadows.get(req.params.deviceId);
        if (shadow.version === 0) devices.check(req.params.deviceId);
        return shadow;
      },
    );
    app.put<{ Params: { deviceId: string } }>(
      '/shadows/:deviceId/desired',
      {
        schema: {
          summary: 'Merge into the desired state (null deletes a key); publishes desired and delta, retained',
          params: DeviceParams,
          body: Type.Record(Type.String(), Any),
          response: { 200: ShadowView, ...errors(400, 404, 409, 429) },
        },
        validatorCompiler: documentedOnly,
      },
      async (req) => {
        devices.check(req.params.deviceId);
        return shadows.setDesired(req.params.deviceId, req.body);
      },
    );
  };
}
