// Config of the mqtt plugin (`plugins.mqtt` in understudy.yaml), with defaults: where the
// broker listens, logins, topic ACL rules (which apply with or without logins), the largest
// packet a client may send, and aedes' tuning.
import { Type, type Static } from '@understudy/plugin-sdk';

/**
 * 1 MiB: far above any telemetry or command message, far below what would hurt a laptop.
 * Mosquitto has the same knob (`max_packet_size`); MQTT itself allows 256 MiB.
 */
export const DEFAULT_MAX_PACKET_SIZE = 1024 * 1024;
/** The largest packet MQTT 3.1.1 can express: 1 + 4 length bytes + 268,435,455 (§2.2.3). */
export const MQTT_MAX_PACKET_SIZE = 268_435_460;

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

export const AclRuleSchema = Type.Object(
  {
    permission: Type.Union([Type.Literal('allow'), Type.Literal('deny')], { description: 'What the first rule that matches decides.' }),
    action: Type.Union([Type.Literal('publish'), Type.Literal('subscribe'), Type.Literal('all')], {
      default: 'all',
      description: 'publish; subscribe (the SUBACK and every delivery); or both.',
    }),
    topics: Type.Array(Type.String({ minLength: 1 }), {
      minItems: 1,
      description: 'Topic filters; {id} is the client id, {username} the login (a rule with {username} never matches an anonymous client).',
    }),
    who: Type.Union([Type.Literal('anyone'), Type.Literal('anonymous'), Type.Literal('devices'), Type.Literal('users')], {
      default: 'anyone',
      description: 'anonymous: no proven login; devices: logged in as a device identity; users: logged in as one of auth.users.',
    }),
    usernames: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: 'Only these logins (device ids or user names).' })),
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
    acl: Type.Array(AclRuleSchema, {
      default: [],
      description: 'Rules checked in order before the logins\' own filters, with or without auth.required; the first rule that matches decides.',
    }),
    maxPacketSize: Type.Integer({
      minimum: 64,
      maximum: MQTT_MAX_PACKET_SIZE,
      default: DEFAULT_MAX_PACKET_SIZE,
      description: 'Largest MQTT packet (bytes, fixed header included) a client may send; a client that declares a larger one is disconnected before it is buffered.',
    }),
    brokerId: Type.String({ default: 'understudy', description: 'Broker id (in $SYS topics); fixed so that runs are reproducible.' }),
    concurrency: Type.Integer({ minimum: 1, default: 100, description: "aedes' per-client in-flight delivery limit." }),
    queueLimit: Type.Integer({ minimum: 1, default: 42, description: 'Packets queued per client while it connects.' }),
  },
  { additionalProperties: false },
);

export type MqttConfig = Static<typeof MqttConfigSchema>;
export type MqttUser = Static<typeof UserSchema>;
export type AclRule = Static<typeof AclRuleSchema>;
