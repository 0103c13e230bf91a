// Control plane under /__admin/breaker. Bodies are validated against the TypeBox schemas;
// a bad value is a 400 naming its path (`failureRateThreshold: must be <= 100`).
import { errorResponses as errors, schemaErrorFormatter, Type, type AdminApp } from '@understudy/plugin-sdk';
import type { Breakers } from './breakers.js';
import { BreakerOverridesSchema } from './config.js';

const State = Type.Union(['CLOSED', 'OPEN', 'HALF_OPEN', 'FORCED_OPEN', 'DISABLED'].map((s) => Type.Literal(s)));
const BreakerView = Type.Object({
  key: Type.String(),
  caller: Type.Union([Type.String(), Type.Null()]),
  service: Type.String(),
  endpoint: Type.String(),
  instance: Type.Optional(Type.String()),
  state: State,
  failureRate: Type.Number({ description: 'percent; -1 below minimumNumberOfCalls' }),
  slowCallRate: Type.Number({ description: 'percent; -1 below minimumNumberOfCalls' }),
  bufferedCalls: Type.Integer(),
  failedCalls: Type.Integer(),
  slowCalls: Type.Integer(),
  notPermittedCalls: Type.Integer(),
  halfOpenAt: Type.Optional(Type.Number()),
  window: Type.Array(Type.Object({ at: Type.Number(), durationMs: Type.Number(), failure: Type.Boolean(), slow: Type.Boolean() })),
  transitions: Type.Array(Type.Object({ from: State, to: State, at: Type.Number(), reason: Type.String() })),
  flapping: Type.Boolean(),
  config: Type.Unknown(),
});
const KeyParams = Type.Object({ key: Type.String({ description: 'URL-encoded breaker key, e.g. a%E2%86%92b%3Ago' }) });
const ServiceParams = Type.Object({ service: Type.String() });
const Settings = Type.Object({ defaults: Type.Unknown(), services: Type.Unknown() });

export function adminRoutes(breakers: Breakers) {
  return async (app: AdminApp) => {
    app.get('/', { schema: { summary: 'Every circuit breaker', response: { 200: Type.Object({ breakers: Type.Array(BreakerView) }) } } }, async () => ({
      breakers: breakers.list(),
    }));
    app.get('/outliers', {
      schema: {
        summary: 'Ejected instances and every instance seen',
        response: { 200: Type.Object({ ejected: Type.Array(Type.Unknown()), instances: Type.Array(Type.Unknown()) }) },
      },
    }, async () => ({ ejected: breakers.ejected(), instances: breakers.instances() }));
    app.get('/config', { schema: { summary: 'Breaker defaults and per-service overrides', response: { 200: Settings } } }, async () => breakers.settings());
    app.put<{ Body: Record<string, unknown> }>(
      '/config',
      { schema: { summary: 'Change the defaults of every breaker', body: BreakerOverridesSchema, response: { 200: Type.Unknown(), ...errors(400) } }, schemaErrorFormatter: schemaErrorFormatter() },
      async (req) => ({ defaults: breakers.configureDefaults(req.body) }),
    );
    app.put<{ Params: { service: string }; Body: Record<string, unknown> }>(
      '/config/:service',
      {
        schema: { summary: 'Change the breakers of calls to one service', params: ServiceParams, body: BreakerOverridesSchema, response: { 200: Type.Unknown(), ...errors(400) } },
        schemaErrorFormatter: schemaErrorFormatter(),
      },
      async (req) => ({ service: req.params.service, config: breakers.configure(req.params.service, req.body) }),
    );
    app.post('/reset', { schema: { summary: 'Reset every breaker to CLOSED', response: { 200: Type.Object({ reset: Type.Integer() }) } } }, async () => ({
      reset: breakers.reset(),
    }));
    app.get<{ Params: { key: string } }>('/:key', { schema: { summary: 'One breaker', params: KeyParams, response: { 200: BreakerView, ...errors(404) } } }, async (req) =>
      breakers.get(req.params.key),
    );
    const action = (path: string, summary: string, run: (key: string) => unknown) =>
      app.post<{ Params: { key: string } }>(`/:key/${path}`, { schema: { summary, params: KeyParams, response: { 200: BreakerView, ...errors(404) } } }, async (req) => {
        run(req.params.key);
        return breakers.get(req.params.key);
      });
    action('force-open', 'Force a breaker open (FORCED_OPEN)', (k) => breakers.forceOpen(k));
    action('close', 'Close a breaker (CLOSED)', (k) => breakers.forceClose(k));
    action('disable', 'Disable a breaker (DISABLED: every call permitted, nothing recorded)', (k) => breakers.disable(k));
    action('reset', 'Reset a breaker to CLOSED with an empty window', (k) => breakers.reset(k));
  };
}
