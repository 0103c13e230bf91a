import { readJsonWhateverTheType, type PluginContext } from '@understudy/plugin-sdk';
import type { Journal } from '../journal.js';
import type { StubStore } from '../store.js';
import { mappingRoutes } from './mappings.js';
import { requestRoutes } from './requests.js';
import { doc, Empty } from './schemas.js';
import { scenarioRoutes } from './scenarios.js';

export type AdminApp = PluginContext['http'];

export interface AdminDeps {
  store: StubStore;
  journal: Journal;
}

/** WireMock's admin API where WireMock clients expect it: `/__admin/mappings`, `/__admin/requests`, … */
export function adminRoutes(deps: AdminDeps) {
  return async (app: AdminApp) => {
    // WireMock reads JSON whatever the Content-Type (`curl -d` sends form-encoded)
    readJsonWhateverTheType(app);
    await app.register(mappingRoutes(deps));
    await app.register(requestRoutes(deps));
    await app.register(scenarioRoutes(deps));
    app.post(
      '/reset',
      { schema: { ...doc('Reset mappings to the loaded ones, clear the journal and reset scenarios'), response: { 200: Empty } } },
      async () => {
        deps.store.reset();
        deps.store.resetScenarios();
        deps.journal.clear();
        return {};
      },
    );
  };
}
