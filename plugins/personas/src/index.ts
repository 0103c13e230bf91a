// The personas plugin: hero personas from config, demo sessions (a layer of changes over the
// generated data per session, picked by the X-Demo-Session header or the demo_session
// cookie, persisted in SQLite), the REST API per industry at Stage.Respond, the export API
// and the admin routes. Entities come from the industry-data plugin's `industryData`
// service. Its contract (the `sessions` service and the `session.*` events) is contract.ts.
import { definePlugin, Stage } from '@understudy/plugin-sdk';
import { adminRoutes } from './admin.js';
import { PersonasConfigSchema } from './config.js';
import { PersonaRegistry } from './personas.js';
import { RestApi } from './rest.js';
import { SessionService } from './sessions.js';
import { writeRules } from './write-rules.js';
import { SessionStore } from './store.js';
import { DataView } from './view.js';

export type * from './contract.js';
export { PersonasConfigSchema, PersonaSchema, type PersonasConfig, type PersonaConfig } from './config.js';
export { PersonasErrors } from './errors.js';
export { SESSION_COOKIE, SESSION_HEADER } from './session-of.js';

export default definePlugin({
  name: 'personas',
  version: '0.1.0',
  description: 'Hero personas, isolated demo sessions persisted in SQLite, and REST endpoints per industry with pagination, filtering, sorting and exports.',
  dependencies: ['industryData'],
  provides: ['sessions'],
  config: PersonasConfigSchema,
  register(ctx) {
    const { config } = ctx;
    const data = ctx.resolve('industryData');
    const personas = new PersonaRegistry(config.personas, data, config.prefix);
    const store = new SessionStore(config.storage, ctx.baseDir);
    ctx.onStop(() => store.close());
    const sessions = new SessionService({ data, store, clock: ctx.clock, events: ctx.events, limits: config.sessions, writeProblems: writeRules(data, config) });
    ctx.provide('sessions', sessions);
    const view = new DataView(data, sessions);
    const rest = new RestApi({ config, data, sessions, view, personas });
    // mesh's services and then personas' industries are answered before stubs' catch-all mappings
    ctx.hooks.exchange.tap({ name: 'personas', stage: Stage.Respond, after: 'mesh', before: 'stubs' }, (ex) => rest.handle(ex));
    ctx.admin(adminRoutes({ config, data, sessions, view, personas }));
    ctx.logger.debug({ storage: store.location, sessions: sessions.list().length, personas: personas.list().length }, 'personas ready');
  },
});
