import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { Kernel } from '../../kernel-api.js';
import { RevealSecretsQuery, revealSecrets } from '../secrets.js';

const PluginInfo = Type.Object({
  name: Type.String(),
  version: Type.String(),
  description: Type.String(),
  state: Type.String(),
  dependencies: Type.Array(Type.String()),
  provides: Type.Array(Type.String()),
  from: Type.String(),
  config: Type.Object({}, { additionalProperties: true }),
});

export function healthRoutes(kernel: Kernel): FastifyPluginAsync {
  return async (app) => {
    app.get(
      '/health',
      {
        schema: {
          summary: 'Liveness and a one-line summary of the kernel',
          tags: ['kernel'],
          response: {
            200: Type.Object({ status: Type.Literal('ok'), uptimeMs: Type.Number(), plugins: Type.Integer(), clock: Type.String(), seed: Type.Union([Type.Integer(), Type.String()]) }),
          },
        },
      },
      async () => ({
        status: 'ok' as const,
        uptimeMs: Math.round(process.uptime() * 1000),
        plugins: kernel.plugins().length,
        clock: kernel.clock.kind,
        seed: kernel.config.seed,
      }),
    );
    app.get<{ Querystring: { reveal?: 'secrets' } }>(
      '/plugins',
      {
        schema: {
          summary: 'Every loaded plugin with its version, state and effective config (options marked writeOnly shown as "(redacted)")',
          tags: ['kernel'],
          querystring: Type.Object({ ...RevealSecretsQuery }, { additionalProperties: false }),
          response: { 200: Type.Array(PluginInfo) },
        },
      },
      async (request) => kernel.plugins({ secrets: revealSecrets(request) ? 'reveal' : 'redact' }),
    );
  };
}
