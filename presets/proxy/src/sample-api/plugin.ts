// The sample API as a plugin of the preset: it stands in for the "real" backend the proxy
// sits in front of (there is no internet here). It listens on a port of its own
// (`sampleApi.port`, default 4010; 0 = any free port), and for the tour it can be stopped and
// started again through /__admin/sampleApi/stop and /start, so a user can watch the
// proxy answer in its place. Its data live in memory and survive a stop/start.
import { BODY_LIMIT, definePlugin, Type, type AdminApp } from '@understudy/plugin-sdk';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { SampleData } from './data.js';
import { buildServer } from './server.js';

export const SampleApiConfigSchema = Type.Object(
  {
    port: Type.Integer({ minimum: 0, maximum: 65535, default: 4010, description: 'port of the sample API (0 = any free port); the proxy preset points proxy.target at it' }),
    host: Type.String({ default: '127.0.0.1' }),
    latency: Type.Object(
      {
        enabled: Type.Boolean({ default: true }),
        scale: Type.Number({ minimum: 0, default: 1, description: 'multiplies every sampled latency (0.1 for a quick demo)' }),
      },
      { default: {}, additionalProperties: false },
    ),
    errorRate: Type.Number({ minimum: 0, maximum: 1, default: 0.02, description: 'share of requests answered 500 or 503' }),
  },
  { additionalProperties: false },
);

const Status = Type.Object({ running: Type.Boolean(), url: Type.String(), requests: Type.Integer() });

export const sampleApi = definePlugin({
  name: 'sampleApi',
  version: '0.1.0',
  description: 'A small "real" backend for the proxy preset: users, products and orders on their own port, with seeded latency and occasional errors.',
  config: SampleApiConfigSchema,
  register(ctx) {
    const data = new SampleData(ctx.random.fork('data'), ctx.clock.now());
    const random = ctx.random.fork('behaviour');
    let server: FastifyInstance | undefined;
    let port = ctx.config.port;
    let requests = 0;
    const url = () => `http://${ctx.config.host}:${port}`;

    async function start(): Promise<void> {
      if (server) return;
      const app = buildServer({ data, clock: ctx.clock, random, options: ctx.config, bodyLimit: BODY_LIMIT, onRequest: () => void requests++ });
      await app.listen({ port, host: ctx.config.host });
      // the same port on a restart, so the proxy's target stays right
      port = (app.server.address() as AddressInfo).port;
      server = app;
      ctx.logger.info({ url: url() }, 'sample API listening');
    }

    async function stop(): Promise<void> {
      const app = server;
      if (!app) return;
      server = undefined;
      // keep-alive sockets (the proxy's pool) too: a stopped backend refuses connections
      app.server.closeAllConnections();
      await app.close();
    }

    const status = () => ({ running: server !== undefined, url: url(), requests });
    ctx.onStart(start);
    ctx.onStop(stop);
    ctx.admin(async (app: AdminApp) => {
      app.get('/', { schema: { summary: 'Whether the sample API runs, its URL and how many requests it served', response: { 200: Status } } }, async () => status());
      app.post('/stop', { schema: { summary: 'Stop the sample API (the tour\'s "the backend went away")', response: { 200: Status } } }, async () => {
        await stop();
        return status();
      });
      app.post('/start', { schema: { summary: 'Start the sample API again on the same port', response: { 200: Status } } }, async () => {
        await start();
        return status();
      });
    });
  },
});
