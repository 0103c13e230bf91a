import { Type } from '@understudy/plugin-sdk';
import { StubsErrors } from '../errors.js';
import type { AdminApp, AdminDeps } from './index.js';
import { doc, Empty, errors, ScenarioSchema } from './schemas.js';

export function scenarioRoutes({ store }: AdminDeps) {
  return async (app: AdminApp) => {
    app.get(
      '/scenarios',
      { schema: { ...doc('Every scenario with its current state'), response: { 200: Type.Object({ scenarios: Type.Array(ScenarioSchema) }) } } },
      async () => ({ scenarios: store.listScenarios() }),
    );
    app.post('/scenarios/reset', { schema: { ...doc('Put every scenario back to Started'), response: { 200: Empty } } }, async () => {
      store.resetScenarios();
      return {};
    });
    app.put<{ Params: { name: string }; Body: { state: string } }>(
      '/scenarios/:name/state',
      {
        schema: {
          ...doc('Set one scenario state'),
          params: Type.Object({ name: Type.String() }),
          body: Type.Object({ state: Type.String({ minLength: 1 }) }),
          response: { 200: Empty, ...errors(400, 404) },
        },
      },
      async (req) => {
        if (!store.listScenarios().some((s) => s.name === req.params.name)) throw new StubsErrors.SCENARIO_NOT_FOUND(req.params.name);
        store.scenarios.set(req.params.name, req.body.state);
        return {};
      },
    );
  };
}
