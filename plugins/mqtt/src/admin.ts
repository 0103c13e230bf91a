// Admin routes under /__admin/mqtt: the HTTP bridge (publish and read retained messages
// over HTTP), list and disconnect clients, counters, restart. The bridge publishes as an
// identity (`as`, or anonymously) and the broker's ACL applies to it as to a client, so the
// admin API is no way around the rules. The kernel tags the routes with the plugin's name
// and documents the shared error responses.
import { errorResponses as errors, Type, type AdminApp } from '@understudy/plugin-sdk';
import type { AedesBroker } from './broker.js';
import { MqttErrors } from './errors.js';
import type { MqttMessage } from './contract.js';

const QoS = Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal(2)]);

const PublishBody = Type.Object(
  {
    topic: Type.String({ minLength: 1, description: 'Topic name (no wildcards).' }),
    payload: Type.Optional(Type.String({ description: 'Text payload, or base64 when encoding is base64.' })),
    json: Type.Optional(Type.Unknown({ description: 'Any JSON value, sent as its JSON text (instead of payload).' })),
    encoding: Type.Union([Type.Literal('utf8'), Type.Literal('base64')], { default: 'utf8' }),
    qos: Type.Optional(QoS),
    retain: Type.Optional(Type.Boolean()),
    as: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'Publish as this identity (a user of auth.users or a device id) and within its ACL; default anonymous, within the acl rules.',
      }),
    ),
  },
  { additionalProperties: false },
);
type PublishBody = { topic: string; payload?: string; json?: unknown; encoding: 'utf8' | 'base64'; qos?: 0 | 1 | 2; retain?: boolean; as?: string };

const Message = Type.Object({
  topic: Type.String(),
  payload: Type.String(),
  encoding: Type.Union([Type.Literal('utf8'), Type.Literal('base64')]),
  qos: QoS,
});
const ClientView = Type.Object({
  id: Type.String(),
  transport: Type.String(),
  connectedAt: Type.Number(),
  persistent: Type.Boolean(),
  subscriptions: Type.Integer(),
});
const Stats = Type.Object({
  clients: Type.Integer(),
  messagesIn: Type.Integer(),
  messagesOut: Type.Integer(),
  messagesInPerSecond: Type.Number(),
  messagesOutPerSecond: Type.Number(),
  dropped: Type.Integer(),
  refusedConnections: Type.Integer(),
  clientErrors: Type.Integer(),
  oversizedPackets: Type.Integer(),
  url: Type.String(),
  wsUrl: Type.String(),
});

/** Text when the bytes are UTF-8, else base64 — what a person reading the API wants. */
function viewMessage(message: MqttMessage) {
  const text = message.payload.toString('utf8');
  const isText = Buffer.from(text, 'utf8').equals(message.payload);
  return {
    topic: message.topic,
    payload: isText ? text : message.payload.toString('base64'),
    encoding: isText ? ('utf8' as const) : ('base64' as const),
    qos: message.qos,
  };
}

function payloadOf(body: PublishBody): Buffer {
  if (body.json !== undefined && body.payload !== undefined) throw new MqttErrors.BAD_PAYLOAD('give either "payload" or "json", not both');
  if (body.json !== undefined) return Buffer.from(JSON.stringify(body.json));
  const text = body.payload ?? '';
  if (body.encoding === 'utf8') return Buffer.from(text, 'utf8');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw new MqttErrors.BAD_PAYLOAD('"payload" is not valid base64');
  return Buffer.from(text, 'base64');
}

export function adminRoutes(broker: AedesBroker) {
  return async (app: AdminApp) => {
    app.post<{ Body: PublishBody }>(
      '/publish',
      {
        schema: {
          summary: 'Publish a message as an identity (`as`) or anonymously; the broker\'s ACL applies',
          body: PublishBody,
          response: { 200: Type.Object({ topic: Type.String(), bytes: Type.Integer(), qos: QoS, retain: Type.Boolean() }), ...errors(400, 403, 413) },
        },
      },
      async (req) => {
        const payload = payloadOf(req.body);
        const qos = req.body.qos ?? 0;
        const retain = req.body.retain ?? false;
        await broker.bridgePublish(req.body.as, req.body.topic, payload, { qos, retain });
        return { topic: req.body.topic, bytes: payload.length, qos, retain };
      },
    );
    app.get<{ Querystring: { topic?: string } }>(
      '/retained',
      {
        schema: {
          summary: 'Retained messages on topics matching a filter',
          querystring: Type.Object({ topic: Type.Optional(Type.String({ description: 'Topic filter, default #' })) }),
          response: { 200: Type.Object({ messages: Type.Array(Message) }), ...errors(400) },
        },
      },
      async (req) => ({ messages: (await broker.retained(req.query.topic ?? '#')).map(viewMessage) }),
    );
    app.get('/clients', { schema: { summary: 'Connected clients', response: { 200: Type.Object({ clients: Type.Array(ClientView) }) } } }, async () => ({
      clients: broker.clients(),
    }));
    app.delete<{ Params: { id: string } }>(
      '/clients/:id',
      {
        schema: {
          summary: "Drop a client's connection, as a network failure would (its will is published)",
          params: Type.Object({ id: Type.String() }),
          response: { 200: Type.Object({ disconnected: Type.String() }), ...errors(404) },
        },
      },
      async (req) => {
        if (!broker.disconnect(req.params.id)) throw new MqttErrors.CLIENT_NOT_FOUND(req.params.id);
        return { disconnected: req.params.id };
      },
    );
    app.get('/stats', { schema: { summary: 'Clients, message counters and rates', response: { 200: Stats } } }, async () => ({
      ...broker.counters(),
      url: broker.url,
      wsUrl: broker.wsUrl,
    }));
    app.post('/restart', { schema: { summary: 'Restart the broker; sessions and retained messages survive', response: { 200: Type.Object({ url: Type.String() }) } } }, async () => {
      await broker.restart();
      return { url: broker.url };
    });
  };
}
