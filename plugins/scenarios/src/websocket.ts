// The WebSocket API at /__admin/scenarios/ws. The kernel's guard (Host, Origin, token) runs
// on the upgrade request like on every route under /__admin (tested in test/websocket.test.ts).
// Protocol (README "WebSocket"): on connect a `hello` with every script and run; then each
// scenario event as `{ kind: "event", event }`; a client sends commands as JSON text
// (`{ "command": "jump", "scenario": "bank", "waypoint": "Overdraft", "id": 7 }`) and gets
// `{ kind: "reply", id, command, result }` or `{ kind: "error", id, statusCode, code, error, message }`
// — after the events the command caused, since events are sent as they are emitted.
// `?scenario=` and `?session=` narrow the event stream.
import { STATUS_CODES } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { PluginEvents } from '@understudy/plugin-sdk';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { ScenarioErrors } from './errors.js';
import type { ScenarioService } from './service.js';

export interface SocketDeps {
  service: ScenarioService;
  events: PluginEvents;
  logger: Logger;
  maxClients: number;
}

function errorMessage(err: unknown, id: unknown) {
  const coded = err as { statusCode?: number; code?: string; message?: string };
  const known = typeof coded.code === 'string' && coded.code.startsWith('US_') && typeof coded.statusCode === 'number';
  const statusCode = known ? coded.statusCode! : 500;
  return {
    kind: 'error' as const,
    ...(id !== undefined && { id }),
    statusCode,
    code: known ? coded.code! : 'US_INTERNAL',
    error: STATUS_CODES[statusCode] ?? 'Error',
    message: known ? coded.message! : 'The command failed inside the scenarios plugin; see the server log.',
  };
}

export function scenarioSocket({ service, events, logger, maxClients }: SocketDeps) {
  const clients = new Set<WebSocket>();
  const handler = (socket: WebSocket, request: IncomingMessage) => {
    const send = (message: unknown) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
    };
    if (clients.size >= maxClients) {
      send(errorMessage(new ScenarioErrors.LIMIT_REACHED('WebSocket clients', maxClients, 'maxClients'), undefined));
      socket.close(1013, 'too many clients');
      return;
    }
    clients.add(socket);
    const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
    const onlyScenario = query.get('scenario');
    const onlySession = query.get('session');
    const unsubscribe = events.subscribe((event) => {
      if (!event.type.startsWith('scenario.')) return;
      const data = event.data as { scenario?: string; session?: string };
      if (onlyScenario !== null && data.scenario !== onlyScenario) return;
      if (onlySession !== null && data.session !== undefined && data.session !== onlySession) return;
      send({ kind: 'event', event });
    });
    socket.on('close', () => {
      unsubscribe();
      clients.delete(socket);
    });
    socket.on('message', (raw, isBinary) => {
      let message: unknown;
      try {
        if (isBinary) throw new ScenarioErrors.COMMAND_INVALID('send commands as JSON text messages, not binary ones');
        try {
          message = JSON.parse(String(raw));
        } catch (err) {
          throw new ScenarioErrors.COMMAND_INVALID(`the message is not JSON (${(err as Error).message})`);
        }
        const result = service.execute(message);
        send({ kind: 'reply', ...(typeof message === 'object' && message !== null && 'id' in message && { id: (message as { id: unknown }).id }), command: (message as { command: string }).command, result });
      } catch (err) {
        const id = typeof message === 'object' && message !== null ? (message as { id?: unknown }).id : undefined;
        if (!(typeof (err as { code?: unknown }).code === 'string')) logger.error({ err }, 'scenario command failed');
        send(errorMessage(err, id));
      }
    });
    send({ kind: 'hello', scenarios: service.list(), runs: service.allRuns() });
  };
  return { handler, clients };
}
