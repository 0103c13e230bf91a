// Test helpers: a tiny plugin that answers at Stage.Respond with fixed JSON (or other)
// bodies by path, as personas will, and a kernel with the formatter in front of it on a
// real socket. `/child/<path>` answers with what a child call to <path> got back, to
// show child calls between services are not shaped.
import { definePlugin, Stage, Type } from '@understudy/plugin-sdk';
import { createTestKernel, fetchJson, type TestKernel } from '@understudy/plugin-sdk/testing';
import formatter from '../src/index.js';

export interface Canned {
  status?: number;
  type?: string;
  /** An object is sent as JSON; a string as it is. */
  body: unknown;
  vary?: string;
  /** What personas puts in `context.tags.personas`. */
  tag?: Record<string, string>;
}

export function answers(routes: Record<string, Canned>) {
  return definePlugin({
    name: 'answers',
    register(ctx) {
      ctx.hooks.exchange.tapPromise({ name: 'answers', stage: Stage.Respond }, async (ex) => {
        if (ex.request.path.startsWith('/child/')) {
          const child = await ctx.dispatch.child(ex, { request: { url: ex.request.path.slice('/child'.length), headers: { accept: 'application/xml' } } });
          ex.response = {
            status: 200,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ type: child.response!.headers['content-type'], body: String(child.response!.body) }),
          };
          return ex;
        }
        const canned = routes[ex.request.path];
        if (!canned) return ex;
        if (canned.tag) ex.context.tags.personas = canned.tag;
        ex.response = {
          status: canned.status ?? 200,
          headers: { 'content-type': canned.type ?? 'application/json', ...(canned.vary && { vary: canned.vary }) },
          body: typeof canned.body === 'string' ? canned.body : JSON.stringify(canned.body),
        };
        return ex;
      });
      // an admin route answering money: the formatter must leave the control plane alone
      ctx.admin(async (app) => {
        app.get('/money', { schema: { response: { 200: Type.Unknown() } } }, async () => ({ price: { amount: 1234, currency: 'EUR' } }));
      });
    },
  });
}

export async function start(routes: Record<string, Canned>, config: Record<string, unknown> = {}): Promise<TestKernel> {
  return createTestKernel({ plugins: [formatter, answers(routes)], config: { formatter: config } });
}

export const get = (k: TestKernel, path: string, headers: Record<string, string> = {}) => fetchJson(k.baseUrl + path, { headers });
