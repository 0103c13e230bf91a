import swagger from '@fastify/swagger';
import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { KernelErrors } from '../errors/index.js';
import type { Kernel } from '../kernel-api.js';
import { KERNEL_VERSION } from '../version.js';
import { installErrorHandler } from './error-handler.js';
import type { GuardRoute } from './guard.js';
import { clockRoutes } from './routes/clock.js';
import { eventRoutes } from './routes/events.js';
import { healthRoutes } from './routes/health.js';

export interface AdminDeps {
  kernel: Kernel;
  /** False when mounted in a host app that may already have swagger/websocket. */
  ownsApp: boolean;
  logger: Logger;
  /** Attaches the control plane's guard to a route (guard.ts). */
  guardRoute: GuardRoute;
}

/**
 * An empty body sent as application/json (many clients do this for body-less POSTs)
 * reads as no body, instead of fastify's 400; route schemas still say if one is needed.
 * A `+json` type (application/merge-patch+json, application/vnd.x+json) reads as JSON too:
 * the control plane's guard accepts those types, so the parsers must as well.
 */
function acceptEmptyJson(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'ignore');
  app.removeContentTypeParser('application/json');
  for (const type of ['application/json', /^application\/[\w.+-]+\+json(?:\s*;|$)/i]) {
    app.addContentTypeParser(type, { parseAs: 'string' }, (request, body, done) =>
      body === '' ? done(null, undefined) : parseJson(request, body as string, done),
    );
  }
}

/**
 * The control plane's core: error shape, OpenAPI, WebSocket, health, plugins, events.
 * Resolves to the scope that holds @fastify/websocket, where plugins add their own
 * WebSocket routes (e.g. MQTT over WebSocket at `/mqtt`) — wrapped in an object, because
 * a fastify instance is a thenable and a promise would unwrap it.
 */
export async function registerAdmin(app: FastifyInstance, { kernel, ownsApp, logger, guardRoute }: AdminDeps): Promise<{ websocketScope: FastifyInstance }> {
  // first, so that every route under /__admin added from here on is guarded
  app.addHook('onRoute', (route) => guardRoute(route));
  installErrorHandler(app, logger);
  if (ownsApp) acceptEmptyJson(app);
  if (ownsApp || !app.hasDecorator('swagger')) {
    await app.register(swagger, {
      openapi: {
        info: { title: 'Understudy control plane', version: KERNEL_VERSION, description: 'Admin API of every loaded plugin.' },
      },
    });
  }
  app.get('/__admin/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(healthRoutes(kernel), { prefix: '/__admin' });
  await app.register(clockRoutes(kernel), { prefix: '/__admin' });
  // @fastify/websocket adds onRequest/onResponse hooks; kept inside this scope they cost
  // the WebSocket routes only, not every mocked request. It listens to the server's
  // upgrades once, so every WebSocket route of every plugin must live in this one scope.
  let websocketScope: FastifyInstance | undefined;
  await app.register(async (scope) => {
    // one message is bounded like one request body (ws's default is 100 MiB)
    if (!scope.hasDecorator('websocketServer')) await scope.register(websocket, { options: { maxPayload: kernel.config.server.bodyLimit } });
    await scope.register(eventRoutes(kernel), { prefix: '/__admin' });
    websocketScope = scope;
  });
  app.all('/__admin/*', { schema: { hide: true } }, async (request) => {
    throw new KernelErrors.ADMIN_ROUTE_NOT_FOUND(request.method, request.url);
  });
  return { websocketScope: websocketScope! };
}
