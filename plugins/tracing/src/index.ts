// The tracing plugin: continues or starts a trace on every exchange (W3C Trace Context
// Level 2, B3, Jaeger), records a SERVER span per exchange and a CLIENT span per call a
// service makes, injects each call's own context into its request, keeps the spans in a
// bounded store, serves queries and views under /__admin/tracing, and exports OTLP/HTTP JSON.
import { definePlugin, inheritedLocal, Stage, type Headers } from '@understudy/plugin-sdk';
import { adminRoutes } from './admin.js';
import { TracingConfigSchema } from './config.js';
import { spanId, traceId } from './ids.js';
import { OtlpExporter } from './otlp.js';
import { FLAG_RANDOM, FLAG_SAMPLED, Propagation, traceparentOf } from './propagation.js';
import { SpanRecord, type RecordBounds, type RequestState } from './span-record.js';
import { SpanStore } from './span-store.js';

export type * from './contract.js';
export { SpanStore, rootOf, type StoredTrace, type StoreLimits } from './span-store.js';
export { SpanRecord, toSpans, REMOTE_TAG, type RequestState } from './span-record.js';
export { TracingErrors } from './errors.js';
export { TracingConfigSchema, FORMATS, type TracingConfig, type Format, type OtlpConfig } from './config.js';
export { Propagation, traceparentOf, FLAG_SAMPLED, FLAG_RANDOM, type Extracted, type ExtractResult } from './propagation.js';
export { parseTracestate, normaliseTracestate, truncateTracestate, isTracestateKey, MAX_MEMBERS, MAX_TRACESTATE_LENGTH, type TracestateParse } from './tracestate.js';
export { otlpBody, otlpSpan, unixNano } from './otlp.js';
export { spanTree, waterfall, sequenceDiagram, serviceMapMermaid, type SpanNode } from './views.js';

/**
 * The exchange's span record, in its locals. Inherited: a child call's locals start with
 * its caller's record (the kernel copies it), which the child's Inbound reads — its request
 * state, the caller's span and instance — and then replaces with its own.
 */
const RECORD = inheritedLocal('tracing.span');

/** Request states without a tracestate, one per flags value, shared. */
const STATES: readonly RequestState[] = [0, 1, 2, 3].map((flags) => Object.freeze({ flags, traceState: undefined }));
/** A trace this plugin starts: sampled, and its id is uniformly random (Level 2's random-trace-id). */
const STARTED = STATES[FLAG_SAMPLED | FLAG_RANDOM]!;

/** A root request continued from another traced service names its caller (mesh's child requests carry the header). */
function callerHeader(headers: Headers): string | undefined {
  const v = headers['x-understudy-caller'];
  return typeof v === 'string' && v.length > 0 && v.length <= 128 ? v : undefined;
}

const stringTag = (tags: Record<string, unknown>, key: string) => {
  const v = tags[key];
  return typeof v === 'string' && v.length <= 256 ? v : undefined;
};

export default definePlugin({
  name: 'tracing',
  version: '0.1.0',
  description: 'Distributed tracing: W3C Trace Context Level 2, B3 and Jaeger propagation, client and server spans, trace queries and views, OTLP/HTTP JSON export.',
  config: TracingConfigSchema,
  provides: ['tracer'],
  register(ctx) {
    const { config } = ctx;
    const tracer = new SpanStore(config);
    ctx.provide('tracer', tracer);
    const propagation = new Propagation(config.propagation.extract, config.propagation.inject, { strictTracestate: config.propagation.strictTracestate });
    const bounds: RecordBounds = { maxAttributeBytes: config.maxAttributeBytes, maxSpanAttributeBytes: config.maxSpanAttributeBytes, counters: tracer.stats };
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
      if (c.hops > 0 && c.traceId !== undefined) {
        // a child call (ctx.dispatch.child: the kernel copied the trace id, set parentSpanId to
        // the caller's span and the caller's record into the locals): the caller's CLIENT span
        // for this call, a new id its request carries as parent-id, and the callee's SERVER
        // span under it; the request state is the caller's request's
        const caller = ex.locals[RECORD] as SpanRecord | undefined;
        const state = caller?.state ?? STATES[FLAG_SAMPLED]!;
        const client = spanId(ids);
        const server = spanId(ids);
        const rec = new SpanRecord(
          c.traceId,
          server,
          client,
          client,
          c.parentSpanId,
          c.caller,
          caller && stringTag(caller.attributes, 'instance'),
          caller && stringTag(caller.attributes, 'version'),
          c.hops,
          state,
          ex.startedAt,
          c.tags,
        );
        ex.locals[RECORD] = rec;
        c.spanId = server;
        c.parentSpanId = client;
        const headers = { ...ex.request.headers }; // a copy: request headers may be shared
        propagation.injectInto(headers, c.traceId, client, state.flags, state.traceState);
        ex.request.headers = headers;
        return ex;
      }
      const got = propagation.extract(ex.request.headers);
      if (got.corrupt.length) tracer.stats.corruptHeaders++;
      else if (!got.present) tracer.stats.missingHeaders++;
      let state: RequestState;
      let caller = c.caller;
      const found = got.context;
      if (found) {
        c.traceId = found.traceId;
        c.parentSpanId = found.parentSpanId;
        tracer.stats.tracesContinued++;
        if (found.traceStateDropped) tracer.stats.tracestateDropped += found.traceStateDropped;
        // the state of this request, whatever an earlier request of the same trace carried
        state = found.traceState === undefined ? STATES[found.flags]! : { flags: found.flags, traceState: found.traceState };
        caller ??= callerHeader(ex.request.headers);
      } else {
        // a trace id a plugin set itself: sampled, its randomness unknown
        state = c.traceId === undefined ? STARTED : STATES[FLAG_SAMPLED]!;
        c.traceId ??= traceId(ids);
        tracer.stats.tracesStarted++;
      }
      c.spanId = spanId(ids);
      tracer.open(c.traceId, state);
      ex.locals[RECORD] = new SpanRecord(c.traceId, c.spanId, c.parentSpanId, undefined, undefined, caller, undefined, undefined, c.hops, state, ex.startedAt, c.tags);
      return ex;
    });

    if (config.responseHeaders) {
      ctx.hooks.exchange.tap({ name: 'tracing', stage: Stage.AfterShape }, (ex) => {
        const { response, context: c } = ex;
        if (!response || c.hops !== 0 || !c.traceId || !c.spanId) return ex;
        const rec = ex.locals[RECORD] as SpanRecord | undefined;
        const flags = rec?.spanId === c.spanId ? rec.state.flags : FLAG_SAMPLED;
        response.headers = { ...response.headers, traceparent: traceparentOf(c.traceId, c.spanId, flags), 'x-understudy-trace-id': c.traceId };
        return ex;
      });
    }

    ctx.hooks.settled.tap('tracing', (ex) => {
      const rec = ex.locals[RECORD] as SpanRecord | undefined;
      // not opened by this plugin's Inbound (e.g. a loop refused before the taps): no span
      if (rec === undefined || rec.spanId !== ex.context.spanId) return;
      rec.finish(ex, bounds);
      tracer.record(rec);
      exporter?.enqueue(rec);
    });

    if (exporter) {
      ctx.onStart(() => exporter.start());
      ctx.onStop(() => exporter.stop());
    }
    ctx.admin(adminRoutes(tracer, () => exporter?.queued));
  },
});
