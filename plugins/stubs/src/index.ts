// The stubs plugin: WireMock-compatible HTTP mocking on the exchange pipeline (the
// Respond stage), a request journal bounded by count and bytes, and WireMock's admin API
// under /__admin.
import { join, resolve } from 'node:path';
import { definePlugin, Stage, type Exchange } from '@understudy/plugin-sdk';
import { adminRoutes } from './admin/index.js';
import { StubsConfigSchema } from './config.js';
import { sequentialUuid, uuidFrom } from './ids.js';
import { Journal } from './journal.js';
import { loadDefaults } from './load-files.js';
import { buildResponse, readBodyFile } from './response.js';
import { MappingStore, type StoredStub } from './mapping-store.js';

/** Which mapping answered an exchange, for the journal (see Exchange.locals). */
const SERVED = Symbol('stubs.served');

export type * from './contract.js';
export { MappingStore, DEFAULT_PRIORITY } from './mapping-store.js';
export { StubsErrors } from './errors.js';
export { StubsConfigSchema, type StubsConfig } from './config.js';
export { compileRequestPattern, type RequestMatcher } from './matcher/request.js';

export default definePlugin({
  name: 'stubs',
  version: '0.1.0',
  description: 'WireMock-compatible HTTP stubs: mapping files, admin API, request journal, scenarios and near misses.',
  config: StubsConfigSchema,
  provides: ['stubs'],
  register(ctx) {
    const { config } = ctx;
    const root = config.root === undefined ? undefined : resolve(ctx.baseDir, config.root);
    const filesDir = root && join(root, '__files');
    // separate streams, so e.g. adding a delay never changes the ids that follow
    const compileOptions = { newId: uuidFrom(ctx.random.fork('ids')), filesDir };
    const delays = ctx.random.fork('delays');
    const store = new MappingStore({
      ...compileOptions,
      events: ctx.events,
      maxMappings: config.maxMappings,
      loadDefaults: () => loadDefaults({ root, inline: config.mappings }, compileOptions),
    });
    store.load();
    const journal = new Journal(config.journal, sequentialUuid(ctx.random.fork('journal')));
    ctx.provide('stubs', store);
    ctx.logger.debug({ mappings: store.list().length, root }, 'stubs loaded');

    // Matches are not events: a per-request event would flood the bounded event stream
    // and evict the state changes it exists for. Matched traffic is in the journal.
    const serve = async (ex: Exchange): Promise<Exchange> => {
      const served = store.find(ex.request);
      if (!served) {
        const nearMisses = store.nearMisses(ex.request);
        ex.context.unmatched.stubs = { nearMisses };
        const { method, url } = ex.request;
        ctx.events.emit('stubs.unmatched', { exchange: ex.id, method, url, nearMisses: nearMisses.map((n) => n.id) });
        return ex;
      }
      ex.locals[SERVED] = served;
      const stub = served.mapping;
      ex.context.tags.stub = stub.id;
      const { bodyFileName } = stub.response;
      ex.response = buildResponse(stub.response, delays, bodyFileName === undefined ? undefined : await readBodyFile(filesDir!, bodyFileName));
      return ex;
    };
    // First responder wins: the kernel skips this tap once another plugin answered (mesh
    // taps Respond before 'stubs'). Other protocols get a settled promise rather than an
    // async function (a promise and a frame per exchange).
    ctx.hooks.exchange.tapPromise({ name: 'stubs', stage: Stage.Respond }, (ex) => (ex.protocol !== 'http' ? Promise.resolve(ex) : serve(ex)));

    ctx.hooks.settled.tap('stubs', (ex) => {
      // the journal logs requests your software sent, and any call a stub answered —
      // not every call between other plugins' mock services
      if (ex.protocol !== 'http' || (ex.context.hops > 0 && !ex.locals[SERVED])) return;
      journal.record(ex, ex.locals[SERVED] as StoredStub | undefined);
    });

    ctx.routes('/__admin', adminRoutes({ store, journal }));
  },
});
