import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Dispatcher } from './dispatch.js';
import type { Exchange, ExchangeInit } from './types.js';

/** Turn a fastify request into an exchange init (raw body as text). */
export function exchangeFromRequest(request: FastifyRequest, extra: Partial<ExchangeInit> = {}): ExchangeInit {
  const body = request.body;
  return {
    protocol: 'http',
    ...extra,
    request: {
      method: request.method,
      url: request.url,
      headers: request.headers,
      body: Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : body == null ? '' : JSON.stringify(body),
    },
  };
}

/** Write an exchange's response to a fastify reply. */
export function sendExchange(reply: FastifyReply, ex: Exchange): FastifyReply {
  const res = ex.response!;
  reply.code(res.status);
  for (const [name, value] of Object.entries(res.headers)) {
    if (value !== undefined && name.toLowerCase() !== 'content-length') reply.header(name, value);
  }
  return reply.send(res.body);
}

/**
 * The catch-all: every HTTP request that no fastify route claims becomes an
 * exchange, so plugins answer it from the pipeline. Bodies are kept raw.
 */
export async function registerCatchAll(app: FastifyInstance, dispatch: Dispatcher): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 50 * 1024 * 1024 }, (_req, body, done) => done(null, body));
    scope.route({
      method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE'],
      url: '/*',
      schema: { hide: true },
      handler: async (request, reply) => sendExchange(reply, await dispatch(exchangeFromRequest(request))),
    });
  });
}
