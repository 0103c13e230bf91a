// Sending commands over MQTT: a client publishes a send request to `commands/send` and the
// outcome is published to `commands/results` (its `requestId` echoed back). In-process
// subscribers do not learn the publisher's client id, so the origin is plain `mqtt`.
import type { Broker, MqttMessage } from '@understudy/plugin-mqtt';
import { KernelErrors, type CodedError } from '@understudy/plugin-sdk';
import type { Logger } from 'pino';
import type { CommandCenter } from './commands.js';
import { CommandErrors } from './errors.js';
import { parseSendRequest } from './validate.js';

export const SEND_TOPIC = 'commands/send';
export const RESULTS_TOPIC = 'commands/results';

export type SendResult =
  | { requestId?: string; ok: true; commands: Array<{ id: string; deviceId: string; status: string }> }
  | { requestId?: string; ok: false; error: { code: string; message: string } };

export function handleSendMessage(message: MqttMessage, commands: CommandCenter): SendResult {
  let body: unknown;
  try {
    body = JSON.parse(message.payload.toString());
  } catch (err) {
    return failure(undefined, new CommandErrors.INVALID_JSON((err as Error).message));
  }
  const requestId = typeof (body as { requestId?: unknown } | null)?.requestId === 'string' ? (body as { requestId: string }).requestId : undefined;
  try {
    const request = parseSendRequest(body, 'mqtt');
    const created = commands.send(request);
    return { ...(requestId !== undefined && { requestId }), ok: true, commands: created.map((c) => ({ id: c.id, deviceId: c.deviceId, status: c.status })) };
  } catch (err) {
    return failure(requestId, err as CodedError);
  }
}

function failure(requestId: string | undefined, err: CodedError): SendResult {
  return { ...(requestId !== undefined && { requestId }), ok: false, error: { code: err.code ?? KernelErrors.INTERNAL.code, message: err.message } };
}

/** Listen on `commands/send`; returns unsubscribe. */
export function listenForSends(broker: Broker, commands: CommandCenter, logger: Logger): () => void {
  return broker.subscribe(SEND_TOPIC, (message) => {
    const result = handleSendMessage(message, commands);
    broker.publish(RESULTS_TOPIC, result, { qos: 1 }).catch((err: unknown) => logger.warn({ err }, 'publishing a command result failed'));
  });
}
