// Every error the mqtt plugin raises. Codes are stable (`US_MQTT_…`).
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
  LISTEN_FAILED: defineError(
    'US_MQTT_LISTEN_FAILED',
    500,
    (address: string, why: string) => `The MQTT broker cannot listen on ${address}: ${why}. Set plugins.mqtt.port to a free port (0 picks one).`,
  ),
} as const;
