// Tracing on the Kernel 2 pipeline without the mesh: a child call made by any plugin with
// ctx.dispatch.child is a CLIENT span under its parent and the callee's SERVER span under
// that (the kernel derives the context), SERVER span errors follow respondedWithServerError,
// and response headers go on every answer the pipeline makes (Stage.AfterShape).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { definePlugin, Stage, type ExchangeResponse } from '@understudy/plugin-sdk';
import { createTestKernel, type TestKernel } from '@understudy/plugin-sdk/testing';
import tracing from '../src/index.js';

const TID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PID = '00f067aa0ba902b7';

const text = (status: number, body = ''): ExchangeResponse => ({ status, headers: { 'content-type': 'text/plain' }, body });

/**
 * A responder that is not the mesh: `/parent` calls `/child` through ctx.dispatch.child,
 * `/status/<n>` answers n, `/fault` breaks the connection, `/boom` throws.
 */
function responder(seen: Array<Record<string, unknown>>) {
  return definePlugin({
    name: 'responder',
    register(ctx) {
      ctx.hooks.exchange.tapPromise({ name: 'responder', stage: Stage.Respond }, async (ex) => {
        const { path } = ex.request;
        if (path === '/parent') {
          ex.service = 'parent';
          const child = await ctx.dispatch.child(ex, { service: 'child', endpoint: 'get', request: { method: 'GET', url: '/child' } });
          ex.response = text(200, `child said ${child.response!.status}`);
        } else if (path === '/child') {
          seen.push({ ...ex.request.headers });
          ex.response = text(200, 'child');
        } else if (path.startsWith('/status/')) {
          ex.response = text(Number(path.slice('/status/'.length)));
        } else if (path === '/fault') {
          ex.response = { ...text(200), fault: 'CONNECTION_RESET_BY_PEER' };
        } else if (path === '/boom') {
          throw new Error('boom');
        }
        return ex;
      });
    },
  });
}

const pipeline = suite<{ k: TestKernel; seen: Array<Record<string, unknown>> }>('tracing on the kernel pipeline');

pipeline.before.each(async (ctx) => {
  ctx.seen = [];
  ctx.k = await createTestKernel({ plugins: [tracing, responder(ctx.seen)] });
});
pipeline.after.each(async ({ k }) => {
  await k.stop();
});

pipeline('a child call of ctx.dispatch.child is a span under its parent, with the caller and the injected context', async ({ k, seen }) => {
  const res = await fetch(`${k.baseUrl}/parent`, { headers: { traceparent: `00-${TID}-${PID}-01` } });
  assert.is(await res.text(), 'child said 200');
  const spans = k.resolve('tracer').getTrace(TID)!.spans;
  const parent = spans.find((s) => s.service === 'parent')!;
  const call = spans.find((s) => s.service === 'child' && s.kind === 'client')!;
  const child = spans.find((s) => s.service === 'child' && s.kind === 'server')!;
  assert.is(spans.length, 3, "the parent's SERVER span, its CLIENT span for the call, the child's SERVER span");
  assert.is(parent.parentSpanId, PID);
  assert.is(call.parentSpanId, parent.spanId);
  assert.is(child.parentSpanId, call.spanId);
  assert.is.not(child.spanId, parent.spanId);
  assert.is(child.caller, 'parent');
  assert.is(child.hops, 1);
  assert.is(seen[0]!.traceparent, `00-${TID}-${call.spanId}-01`, "the call's request carries its CLIENT span as parent-id");
  assert.is(res.headers.get('traceparent'), `00-${TID}-${parent.spanId}-01`);
});

pipeline('span errors: 5xx, a connection fault and a failing tap; not a 4xx', async ({ k }) => {
  const errorOf = async (path: string) => {
    const res = await fetch(`${k.baseUrl}${path}`).catch(() => undefined);
    await res?.arrayBuffer();
    const [summary] = k.resolve('tracer').findTraces({ limit: 1 });
    return k.resolve('tracer').getTrace(summary!.traceId)!.spans[0]!;
  };
  assert.is((await errorOf('/status/404')).error, false);
  assert.is((await errorOf('/status/499')).error, false);
  assert.is((await errorOf('/status/500')).error, true);
  assert.is((await errorOf('/status/503')).error, true);
  const fault = await errorOf('/fault');
  assert.is(fault.error, true);
  assert.is(fault.fault, 'CONNECTION_RESET_BY_PEER');
  const boom = await errorOf('/boom');
  assert.is(boom.error, true);
  assert.is(boom.status, 500);
  assert.match(boom.errorMessage!, 'boom');
});

pipeline('response headers go on answers the pipeline made, a failing tap\'s 500 included; not on the kernel\'s no-match 404', async ({ k }) => {
  const boom = await fetch(`${k.baseUrl}/boom`);
  assert.is(boom.status, 500);
  assert.ok(boom.headers.get('x-understudy-trace-id'));
  const none = await fetch(`${k.baseUrl}/nothing-here`);
  assert.is(none.status, 404);
  assert.is(none.headers.get('x-understudy-trace-id'), null);
  assert.is(k.resolve('tracer').findTraces().length, 2, 'both spans are recorded');
});

pipeline.run();
