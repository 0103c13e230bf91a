// Config of the mqtt plugin (`plugins.mqtt` in understudy.yaml), with defaults.
import { Type, type Static } from '@understudy/plugin-sdk';

const Patterns = (description: string, fallback: string[]) =>
  Type.Array(Type.String({ minLength: 1 }), { default: fallback, description });

export const UserSchema = Type.Object(
  {
    username: Type.String({ minLength: 1 }),
    password: Type.String(),
    publish: Patterns('Topic filters this user may publish to.', ['#']),
    subscribe: Patterns('Topic filters this user may subscribe to.', ['#']),
  },
  { additionalProperties: false },
);

export const MqttConfigSchema = Type.Object(
  {
    port: Type.Integer({ minimum: 0, maximum: 65535, default: 1883, description: 'TCP port of the broker; 0 picks a free one.' }),
    host: Type.String({ default: '127.0.0.1', description: 'Interface to listen on; 0.0.0.0 for every interface.' }),
    websocket: Type.Object(
      {
        enabled: Type.Boolean({ default: true }),
        path: Type.String({ default: '/mqtt', pattern: '^/', description: 'Path of MQTT over WebSocket on the HTTP server.' }),
      },
      { default: {}, additionalProperties: false },
    ),
    auth: Type.Object(
      {
        required: Type.Boolean({
          default: false,
          description: 'When true every client must log in, as a device identity (client id = username) or a configured user, and topic ACLs apply.',
        }),
        users: Type.Array(UserSchema, { default: [], description: 'Non-device logins (dashboards, mosquitto_sub), with their own ACLs.' }),
        devicePublish: Patterns('What a device may publish to; {id} is its client id.', ['devices/{id}/#']),
        deviceSubscribe: Patterns('What a device may subscribe to; {id} is its client id.', ['devices/{id}/#']),
      },
      { default: {}, additionalProperties: false },
    ),
    brokerId: Type.String({ default: 'understudy', description: 'Broker id (in $SYS topics); fixed so that runs are reproducible.' }),
    concurrency: Type.Integer({ minimum: 1, default: 100, description: "aedes' per-client in-flight delivery limit." }),
    queueLimit: Type.Integer({ minimum: 1, default: 42, description: 'Packets queued per client while it connects.' }),
  },
  { additionalProperties: false },
);

export type MqttConfig = Static<typeof MqttConfigSchema>;
export type MqttUser = Static<typeof UserSchema>;
