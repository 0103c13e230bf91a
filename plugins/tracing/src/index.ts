// The tracing plugin: continues or starts a trace on every exchange (W3C Trace Context,
// B3, Jaeger), injects it into child calls, records a span per hop in a bounded store,
// serves queries and views under /__admin/tracing, and exports OTLP/HTTP JSON.
import { definePlugin, Stage } from '@understudy/plugin-sdk';
import { adminRoutes } from './admin.js';
import { TracingConfigSchema } from './config.js';
import { hexId } from './ids.js';
import { OtlpExporter } from './otlp.js';
import { Propagation, traceparentOf } from './propagation.js';
import { recordOf } from './span-record.js';
import { SpanStore } from './span-store.js';

export type * from './contract.js';
export { SpanStore, rootOf, type StoredTrace } from './span-store.js';
export { SpanRecord, toSpan, recordOf } from './span-record.js';
export { TracingErrors } from './errors.js';
export { TracingConfigSchema, FORMATS, type TracingConfig, type Format, type OtlpConfig } from './config.js';
export { Propagation, parseTracestate, truncateTracestate, traceparentOf, type Extracted, type ExtractResult } from './propagation.js';
export { otlpBody, otlpSpan, unixNano } from './otlp.js';
export { spanTree, waterfall, sequenceDiagram, serviceMapMermaid, type SpanNode } from './views.js';

export default definePlugin({
  name: 'tracing',
  version: '0.1.0',
  description: 'Distributed tracing: W3C Trace Context, B3 and Jaeger propagation, a span per hop, trace queries and views, OTLP/HTTP JSON export.',
  config: TracingConfigSchema,
  provides: ['tracer'],
  register(ctx) {
    const { config } = ctx;
    const tracer = new SpanStore(config);
    ctx.provide('tracer', tracer);
    const propagation = new Propagation(config.propagation.extract, config.propagation.inject);
    const ids = ctx.random.fork('ids');
    const otlp = config.export.otlp;
    const exporter = otlp
      ? new OtlpExporter(otlp, {
          clock: ctx.clock,
          counters: tracer.stats,
          onBatchFailed: (info) => {
            ctx.logger.warn({ url: otlp.url, ...info }, 'OTLP export failed');
            ctx.events.emit('tracing.exportFailed', { url: otlp.url, ...info });
          },
        })
      : undefined;

    ctx.hooks.exchange.tap({ name: 'tracing', stage: Stage.Inbound }, (ex) => {
      const c = ex.context;
      if (c.traceId && c.parentSpanId) {
        // a child call (ctx.dispatch.child: the kernel copied the trace id and set parentSpanId
        // to the caller's span): same trace, a new span under the caller's; the child's
        // request carries the context
        c.spanId = hexId(ids, 8);
        const rec = tracer.peek(c.traceId);
        const headers = { ...ex.request.headers }; // a copy: request headers may be shared
        propagation.injectInto(headers, c.traceId, c.parentSpanId, rec?.flags ?? 1, rec?.traceState);
        ex.request.headers = headers;
        return ex;
      }
      const got = propagation.extract(ex.request.headers);
      if (got.corrupt.length) tracer.stats.corruptHeaders++;
      else if (!got.present) tracer.stats.missingHeaders++;
      if (got.context) {
        c.traceId = got.context.traceId;
        c.parentSpanId = got.context.parentSpanId;
        tracer.stats.tracesContinued++;
        tracer.open(c.traceId, got.context.flags, got.context.traceState);
      } else {
        c.traceId ??= hexId(ids, 16);
        tracer.stats.tracesStarted++;
        tracer.open(c.traceId);
      }
      c.spanId = hexId(ids, 8);
      return ex;
    });

    if (config.responseHeaders) {
      ctx.hooks.exchange.tap({ name: 'tracing', stage: Stage.AfterShape }, (ex) => {
        const { response, context: c } = ex;
        if (!response || c.hops !== 0 || !c.traceId || !c.spanId) return ex;
        const flags = tracer.peek(c.traceId)?.flags ?? 1;
        response.headers = { ...response.headers, traceparent: traceparentOf(c.traceId, c.spanId, flags), 'x-understudy-trace-id': c.traceId };
        return ex;
      });
    }

    ctx.hooks.settled.tap('tracing', (ex) => {
      if (!ex.context.traceId || !ex.context.spanId) return;
      const span = recordOf(ex);
      tracer.record(span);
      exporter?.enqueue(span);
    });

    if (exporter) {
      ctx.onStart(() => exporter.start());
      ctx.onStop(() => exporter.stop());
    }
    ctx.admin(adminRoutes(tracer, () => exporter?.queued));
  },
});
