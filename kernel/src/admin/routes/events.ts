import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { Kernel } from '../../kernel-api.js';
import type { UnderstudyEvent } from '../../events.js';

const Query = Type.Object({
  type: Type.Optional(Type.String({ description: 'Only events whose type starts with this prefix, e.g. `stubs.`' })),
});

const matches = (prefix: string | undefined) => (e: UnderstudyEvent) => !prefix || e.type.startsWith(prefix);

/**
 * GET /__admin/events: recent events as JSON; the same URL upgraded to a WebSocket
 * streams every new event as one JSON text message.
 */
export function eventRoutes(kernel: Kernel): FastifyPluginAsync {
  return async (app) => {
    app.route<{ Querystring: { type?: string } }>({
      method: 'GET',
      url: '/events',
      schema: {
          summary: 'Recent events (JSON), or a live stream when opened as a WebSocket',
          tags: ['kernel'],
          querystring: Query,
          response: {
            200: Type.Object({
              events: Type.Array(Type.Object({ type: Type.String(), at: Type.Number(), source: Type.String(), data: Type.Unknown() })),
              dropped: Type.Integer({ description: 'Events dropped from the buffer (eventBuffer, eventBufferBytes) since start' }),
              bytes: Type.Integer({ description: 'Estimated bytes the buffer holds (JSON length of each event)' }),
            }),
          },
      },
      wsHandler: (socket, request) => {
        const keep = matches(request.query.type);
        const unsubscribe = kernel.events.subscribe((event) => {
          if (keep(event) && socket.readyState === socket.OPEN) socket.send(JSON.stringify(event));
        });
        socket.on('close', unsubscribe);
      },
      handler: async (request) => ({ events: kernel.events.recent().filter(matches(request.query.type)), dropped: kernel.events.dropped, bytes: kernel.events.bytes }),
    });
  };
}
