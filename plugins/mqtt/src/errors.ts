// Every error the mqtt plugin raises. Codes are stable (`US_MQTT_…`); each message says
// how to fix the problem. Refusals on the wire are MQTT's own (CONNACK codes, SUBACK 0x80,
// a closed connection); these are for the admin API and startup.
import { defineError } from '@understudy/plugin-sdk';

export const MqttErrors = {
  BAD_TOPIC: defineError(
    'US_MQTT_BAD_TOPIC',
    400,
    (topic: string, why: string) => `Topic "${topic}" cannot be published to: ${why}. Use a topic without + or # and without empty levels at the ends, e.g. devices/d1/telemetry/temperature.`,
  ),
  BAD_FILTER: defineError(
    'US_MQTT_BAD_FILTER',
    400,
    (filter: string) => `"${filter}" is not a valid topic filter: + must fill a whole level and # must be the last level (e.g. devices/+/telemetry/#).`,
  ),
  BAD_PAYLOAD: defineError(
    'US_MQTT_BAD_PAYLOAD',
    400,
    (why: string) => `The payload cannot be decoded: ${why}. Send a string with encoding "utf8" (default) or "base64", or any JSON value as "json".`,
  ),
  CLIENT_NOT_FOUND: defineError(
    'US_MQTT_CLIENT_NOT_FOUND',
    404,
    (id: string) => `No connected MQTT client "${id}". List them with GET /__admin/mqtt/clients.`,
  ),
  PUBLISH_DENIED: defineError(
    'US_MQTT_PUBLISH_DENIED',
    403,
    (reason: string) =>
      `The broker's ACL refuses this publish: ${reason}. Publish as an identity that may (body "as": a user of plugins.mqtt.auth.users or a device id), or change plugins.mqtt.acl.`,
  ),
  UNKNOWN_IDENTITY: defineError(
    'US_MQTT_UNKNOWN_IDENTITY',
    400,
    (as: string, users: string[]) =>
      `No user or device "${as}" to publish as. Name a user of plugins.mqtt.auth.users (${users.length ? users.join(', ') : 'none configured'}) or a provisioned device id, or leave "as" out.`,
  ),
  PACKET_TOO_LARGE: defineError(
    'US_MQTT_PACKET_TOO_LARGE',
    413,
    (bytes: number, limit: number) => `A ${bytes}-byte payload makes a packet larger than plugins.mqtt.maxPacketSize (${limit} bytes). Send a smaller payload, or raise maxPacketSize.`,
  ),
  BAD_ACL: defineError(
    'US_MQTT_BAD_ACL',
    500, // at startup, like the kernel's US_CONFIG_INVALID
    (problems: string[]) => ({ message: `Invalid topic ACL:\n${problems.join('\n')}`, problems }),
  ),
  LISTEN_FAILED: defineError(
    'US_MQTT_LISTEN_FAILED',
    500,
    (address: string, why: string) => `The MQTT broker cannot listen on ${address}: ${why}. Set plugins.mqtt.port to a free port (0 picks one).`,
  ),
} as const;
