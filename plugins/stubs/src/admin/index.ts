// WireMock's admin API where WireMock clients expect it (`/__admin/mappings`,
// `/__admin/requests`, `/__admin/scenarios`, `/__admin/reset`): the plugin mounts these
// routes under /__admin with ctx.routes. The kernel's guard lets a write through only as
// application/json (or +json): a form or text/plain body, which a page can send cross-site,
// is refused before it gets here, so these routes no longer read JSON whatever the type
// as WireMock does.
import type { AdminApp } from '@understudy/plugin-sdk';
import type { Journal } from '../journal.js';
import type { MappingStore } from '../mapping-store.js';
import { mappingRoutes } from './mapping-routes.js';
import { requestRoutes } from './request-routes.js';
import { Empty } from './schemas.js';
import { scenarioRoutes } from './scenario-routes.js';

export interface AdminDeps {
  store: MappingStore;
  journal: Journal;
}

export function adminRoutes({ store, journal }: AdminDeps) {
  return async (app: AdminApp) => {
    await app.register(mappingRoutes(store));
    await app.register(requestRoutes(journal));
    await app.register(scenarioRoutes(store));
    app.post(
      '/reset',
      { schema: { summary: 'Reset mappings to the loaded ones, clear the journal and reset scenarios', response: { 200: Empty } } },
      async () => {
        store.reset();
        store.resetScenarios();
        journal.clear();
        return {};
      },
    );
  };
}
