// A test plugin that turns child exchanges into real HTTP requests: at Stage.Fault (after
// tracing's Inbound injected the call's context, before the mesh would answer at Respond)
// it takes every child exchange and sends its request — method, path, body and exactly
// the headers it carries, the tracing plugin's `traceparent`/`tracestate` among them — to
// the kernel's own port, and answers the child with what came back. The request arrives as
// a root exchange, so the receiving side continues the trace from those headers, as a
// second process would. It tags the child `url.full` (OpenTelemetry's client attribute),
// which tells tracing that the SERVER span of the call is recorded by the side that
// received it. What each request carried is kept in `sent`, in order.
import type { AddressInfo } from 'node:net';
import { definePlugin, Stage, type ExchangeResponse } from '@understudy/plugin-sdk';

export interface SentRequest {
  url: string;
  /** The headers the child exchange carried, as sent. */
  headers: Record<string, string>;
  /** The caller (the child exchange's context.caller). */
  caller?: string;
}

export function httpHop() {
  const sent: SentRequest[] = [];
  const plugin = definePlugin({
    name: 'http-hop',
    register(ctx) {
      ctx.hooks.exchange.tapPromise({ name: 'http-hop', stage: Stage.Fault }, async (ex) => {
        if (ex.context.hops === 0) return ex;
        const { port } = ctx.http.server.address() as AddressInfo;
        const url = `http://127.0.0.1:${port}${ex.request.url}`;
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(ex.request.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
        sent.push({ url, headers, caller: ex.context.caller });
        const method = ex.request.method;
        const res = await fetch(url, { method, headers, ...(method === 'GET' || method === 'HEAD' ? {} : { body: ex.request.body }) });
        const response: ExchangeResponse = { status: res.status, headers: { 'content-type': res.headers.get('content-type') ?? 'text/plain' }, body: await res.text() };
        ex.context.tags['url.full'] = url;
        ex.response = response;
        return ex;
      });
    },
  });
  return { plugin, sent };
}
