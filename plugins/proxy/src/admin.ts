// Control plane under /__admin/proxy: modes (global and per endpoint), targets (read, secrets
// redacted), stats, and chaos scoped to endpoints. Bodies are checked by modes.ts and
// scoped-chaos.ts (every problem with its path); the TypeBox schemas document them.
import { documentedOnly, errorResponses as errors, Type, type AdminApp, type PluginContext } from '@understudy/plugin-sdk';
import { ModeSchema } from './config.js';
import type { Modes } from './modes.js';
import type { ScopedChaos } from './scoped-chaos.js';
import type { ProxyStats } from './stats.js';
import { redactedUrl, type Target } from './targets.js';
import type { Learner } from '@understudy/plugin-learner';

const ModesView = Type.Object({
  mode: ModeSchema,
  configMode: ModeSchema,
  endpoints: Type.Record(Type.String(), ModeSchema, { description: 'endpoint key ("GET /users/{userId}") → mode' }),
});
const ModesEdit = Type.Object(
  {
    mode: Type.Optional(Type.Union([ModeSchema, Type.Null()], { description: 'null = back to the config\'s mode' })),
    endpoints: Type.Optional(Type.Record(Type.String(), Type.Union([ModeSchema, Type.Null()]), { description: 'null removes an endpoint\'s mode' })),
  },
  { additionalProperties: false },
);
const FaultView = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  endpoints: Type.Array(Type.String()),
  active: Type.Boolean(),
  injected: Type.Integer(),
  spec: Type.Unknown(),
});
const ScopedFault = Type.Object(
  { endpoints: Type.Array(Type.String(), { minItems: 1, description: 'endpoint keys, e.g. "GET /users/{userId}"' }), kind: Type.String() },
  { additionalProperties: true, description: 'a chaos fault (see the chaos plugin) with the endpoints it applies to' },
);

export interface AdminDeps {
  modes: Modes;
  targets: Target[];
  stats: ProxyStats;
  chaos: ScopedChaos;
  learner: () => Learner;
}

export function adminRoutes(deps: AdminDeps, _ctx?: PluginContext<unknown>) {
  const { modes, targets, stats, chaos } = deps;
  return async (app: AdminApp) => {
    app.get('/modes', { schema: { summary: 'The global mode and the modes per endpoint', response: { 200: ModesView } } }, async () => modes.view());
    app.patch(
      '/modes',
      { schema: { summary: 'Change the global mode and/or endpoint modes (null removes); persisted', body: ModesEdit, response: { 200: ModesView, ...errors(400) } }, validatorCompiler: documentedOnly },
      async (req) => modes.patch(req.body),
    );
    app.put(
      '/modes',
      { schema: { summary: 'Replace the global mode and every endpoint mode; persisted', body: ModesEdit, response: { 200: ModesView, ...errors(400) } }, validatorCompiler: documentedOnly },
      async (req) => modes.replace(req.body),
    );
    app.get(
      '/targets',
      {
        schema: {
          summary: 'Upstream targets (user info and query values of URLs redacted; extra headers by name only)',
          response: {
            200: Type.Object({
              targets: Type.Array(Type.Object({ name: Type.String(), prefix: Type.String(), url: Type.String(), headers: Type.Array(Type.String()), proxied: Type.Integer(), errors: Type.Integer() })),
            }),
          },
        },
      },
      async () => ({
        targets: targets.map((t) => ({ name: t.name, prefix: t.prefix, url: redactedUrl(t.url), headers: Object.keys(t.headers), ...stats.target(t.name) })),
      }),
    );
    app.get(
      '/stats',
      { schema: { summary: 'Proxied, mocked, fallbacks, upstream errors and timeouts, observations and the learner queue', response: { 200: Type.Unknown() } } },
      async () => ({ ...stats, learner: deps.learner().stats() }),
    );
    app.get('/chaos', { schema: { summary: 'Chaos faults scoped to endpoints', response: { 200: Type.Object({ faults: Type.Array(FaultView) }) } } }, async () => ({ faults: chaos.list() }));
    app.post(
      '/chaos',
      { schema: { summary: 'Add a chaos fault scoped to endpoint templates; persisted', body: ScopedFault, response: { 201: FaultView, ...errors(400, 409) } }, validatorCompiler: documentedOnly },
      async (req, reply) => reply.code(201).send(await chaos.add(req.body)),
    );
    app.delete<{ Params: { id: string } }>(
      '/chaos/:id',
      { schema: { summary: 'Remove one scoped fault', params: Type.Object({ id: Type.String() }), response: { 200: Type.Object({ removed: Type.Integer() }), ...errors(404) } } },
      async (req) => {
        await chaos.remove(req.params.id);
        return { removed: 1 };
      },
    );
    app.delete('/chaos', { schema: { summary: 'Remove every scoped fault', response: { 200: Type.Object({ removed: Type.Integer() }) } } }, async () => ({ removed: await chaos.clear() }));
  };
}
