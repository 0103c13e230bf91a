import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { KernelErrors } from '../../errors/index.js';
import type { Kernel } from '../../kernel-api.js';

const WEEK_MS = 7 * 24 * 3600_000;

const ClockView = Type.Object({
  kind: Type.Union([Type.Literal('real'), Type.Literal('virtual')]),
  now: Type.Number({ description: 'Kernel clock, ms since the epoch' }),
  iso: Type.String(),
  pendingTimers: Type.Integer(),
});

const AdvanceBody = Type.Object(
  { ms: Type.Integer({ minimum: 1, maximum: WEEK_MS, description: 'How far to move the virtual clock, in ms (at most a week per call)' }) },
  { additionalProperties: false },
);

/**
 * GET /__admin/clock and POST /__admin/clock/advance: the kernel clock, and moving a
 * virtual one from outside (`understudy start --clock virtual`), so that an hour of a
 * simulated world runs in seconds from curl as it does in tests. Advances are queued one
 * after another: two callers never fire the same timers twice or out of order.
 */
export function clockRoutes(kernel: Kernel): FastifyPluginAsync {
  let queue: Promise<unknown> = Promise.resolve();
  const view = () => {
    const now = kernel.clock.now();
    return { kind: kernel.clock.kind, now, iso: new Date(now).toISOString(), pendingTimers: kernel.clock.pendingTimers() };
  };
  return async (app) => {
    app.get('/clock', { schema: { summary: 'The kernel clock: real or virtual, and its time', tags: ['kernel'], response: { 200: ClockView } } }, async () => view());
    app.post<{ Body: { ms: number } }>(
      '/clock/advance',
      {
        schema: {
          summary: 'Move the virtual clock forward, firing every timer due on the way (409 on the real clock)',
          tags: ['kernel'],
          body: AdvanceBody,
          response: { 200: Type.Object({ ...ClockView.properties, advancedMs: Type.Integer() }) },
        },
      },
      async (request) => {
        if (kernel.clock.kind !== 'virtual') throw new KernelErrors.CLOCK_NOT_VIRTUAL();
        const run = queue.then(() => kernel.clock.advance(request.body.ms));
        queue = run.catch(() => undefined);
        await run;
        return { ...view(), advancedMs: request.body.ms };
      },
    );
  };
}
