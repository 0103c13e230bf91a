// WireMock's /__admin/scenarios routes: list scenarios, reset them, set one's state.
import { type AdminApp, errorResponses, Type } from '@understudy/plugin-sdk';
import type { MappingStore } from '../mapping-store.js';
import { Empty, ScenarioSchema } from './schemas.js';

export function scenarioRoutes(store: MappingStore) {
  return async (app: AdminApp) => {
    app.get(
      '/scenarios',
      { schema: { summary: 'Every scenario with its current state', response: { 200: Type.Object({ scenarios: Type.Array(ScenarioSchema) }) } } },
      async () => ({ scenarios: store.listScenarios() }),
    );
    app.post('/scenarios/reset', { schema: { summary: 'Put every scenario back to Started', response: { 200: Empty } } }, async () => {
      store.resetScenarios();
      return {};
    });
    app.put<{ Params: { name: string }; Body: { state: string } }>(
      '/scenarios/:name/state',
      {
        schema: {
          summary: 'Set one scenario state',
          params: Type.Object({ name: Type.String() }),
          body: Type.Object({ state: Type.String({ minLength: 1 }) }),
          response: { 200: Empty, ...errorResponses(400, 404) },
        },
      },
      async (req) => {
        store.setScenarioState(req.params.name, req.body.state);
        return {};
      },
    );
  };
}
