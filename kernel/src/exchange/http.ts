import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Readable, pipeline } from 'node:stream';
import type { Dispatcher } from './dispatch.js';
import { HttpRequest } from './request.js';
import type { ConnectionFault, Exchange, ExchangeInit } from './types.js';

/** Turn a fastify request into an exchange init (raw body as text, and its bytes when it had some). */
export function exchangeFromRequest(request: FastifyRequest, extra?: Partial<ExchangeInit>): ExchangeInit {
  const body = request.body;
  const raw = Buffer.isBuffer(body) ? body : undefined;
  return {
    protocol: 'http',
    ...extra,
    request: new HttpRequest(
      request.method,
      request.url,
      request.raw.rawHeaders,
      raw ? raw.toString('utf8') : typeof body === 'string' ? body : body == null ? '' : JSON.stringify(body),
      raw,
      request.raw.socket?.remoteAddress,
    ),
  };
}

/** Fixed bytes, so a faulty run is byte-for-byte reproducible. */
const GARBAGE = Buffer.from('\u0000\u00ff\u00fe lorem ipsum \u0007\u001b[2J\r\n\r\n', 'latin1');

/** Break the connection the way the fault names (WireMock's four faults). */
function breakConnection(socket: Socket | null | undefined, fault: ConnectionFault): void {
  if (!socket) return;
  switch (fault) {
    case 'CONNECTION_RESET_BY_PEER':
      socket.resetAndDestroy();
      break;
    case 'EMPTY_RESPONSE':
      socket.destroy();
      break;
    case 'MALFORMED_RESPONSE_CHUNK':
      socket.end(Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n'), GARBAGE]));
      break;
    case 'RANDOM_DATA_THEN_CLOSE':
      socket.end(GARBAGE);
      break;
  }
}

/** Write an exchange's response to a fastify reply (the kernel's own port; fastify pipes a stream body). */
export function sendExchange(reply: FastifyReply, ex: Exchange): FastifyReply {
  const res = ex.response!;
  if (res.fault) {
    reply.hijack();
    breakConnection(reply.raw.socket, res.fault);
    return reply;
  }
  reply.code(res.status);
  const { headers } = res;
  for (const name in headers) {
    const value = headers[name];
    // fastify computes the length of what it actually sends
    if (value !== undefined && name.toLowerCase() !== 'content-length') reply.header(name, value);
  }
  return reply.send(res.body);
}

/**
 * Write an exchange's response to a plain Node response (a plugin's own port, e.g. a
 * mesh service listening on its own): the same faults and headers as `sendExchange`.
 */
export function writeExchange(res: ServerResponse, ex: Exchange): void {
  const response = ex.response!;
  if (response.fault) return breakConnection(res.socket, response.fault);
  const { headers } = response;
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined && name.toLowerCase() !== 'content-length') res.setHeader(name, value);
  }
  res.statusCode = response.status;
  const { body } = response;
  if (body instanceof Readable) {
    // a broken source cuts the client's connection (no hanging), a gone client stops the source
    pipeline(body, res, () => {});
  } else {
    res.end(body);
  }
}

/**
 * The catch-all: every HTTP request that no fastify route claims becomes an
 * exchange, so plugins answer it from the pipeline. Bodies are kept raw.
 */
export async function registerCatchAll(app: FastifyInstance, dispatch: Dispatcher, bodyLimit: number): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_req, body, done) => done(null, body));
    scope.route({
      method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE'],
      url: '/*',
      schema: { hide: true },
      handler: async (request, reply) => sendExchange(reply, await dispatch(exchangeFromRequest(request))),
    });
  });
}
