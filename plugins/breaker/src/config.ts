// The breaker plugin's config: breaker defaults at the top level, per-service overrides,
// flapping detection and outlier ejection. The same field schemas validate the admin API.
import { Type, type Static } from '@understudy/plugin-sdk';
import { DEFAULT_BREAKER_CONFIG as D } from './state-machine.js';

const fields = {
  slidingWindowType: Type.Union([Type.Literal('COUNT_BASED'), Type.Literal('TIME_BASED')], { description: 'Last N calls, or the calls of the last N seconds (kernel clock).' }),
  slidingWindowSize: Type.Integer({ minimum: 1, description: 'Calls (COUNT_BASED) or seconds (TIME_BASED).' }),
  minimumNumberOfCalls: Type.Integer({ minimum: 1, description: 'Calls in the window before a rate is computed.' }),
  failureRateThreshold: Type.Number({ exclusiveMinimum: 0, maximum: 100, description: 'Percent; >= opens.' }),
  slowCallRateThreshold: Type.Number({ exclusiveMinimum: 0, maximum: 100, description: 'Percent; >= opens.' }),
  slowCallDurationThreshold: Type.Integer({ minimum: 0, description: 'ms (endedAt - startedAt, kernel clock); longer = slow.' }),
  waitDurationInOpenState: Type.Integer({ minimum: 0, description: 'ms in OPEN before HALF_OPEN.' }),
  permittedNumberOfCallsInHalfOpenState: Type.Integer({ minimum: 1 }),
  maxWaitDurationInHalfOpenState: Type.Integer({ minimum: 0, description: 'ms; 0 = wait for every permitted call.' }),
  automaticTransitionFromOpenToHalfOpenEnabled: Type.Boolean(),
};

type Fields = typeof fields;
const optional = <K extends keyof Fields>(k: K) => Type.Optional(fields[k]);

/** Partial breaker settings: a service's overrides, or a live change of the defaults. */
export const BreakerOverridesSchema = Type.Object(
  Object.fromEntries(Object.keys(fields).map((k) => [k, optional(k as keyof Fields)])) as { [K in keyof Fields]: ReturnType<typeof optional<K>> },
  { additionalProperties: false },
);
export type BreakerOverrides = Static<typeof BreakerOverridesSchema>;

const withDefault = <K extends keyof Fields>(k: K) => ({ ...fields[k], default: D[k] }) as Fields[K];

export const BreakerConfigSchema = Type.Object(
  {
    ...(Object.fromEntries(Object.keys(fields).map((k) => [k, withDefault(k as keyof Fields)])) as Fields),
    perInstance: Type.Boolean({ default: false, description: 'One breaker per instance (key ends with @<instance>).' }),
    clientCalls: Type.Boolean({
      default: false,
      description: 'Also guard calls from outside the mesh (caller "client"), as an ingress gateway would. Off: breakers sit between services.',
    }),
    services: Type.Record(Type.String(), BreakerOverridesSchema, { default: {}, description: 'Overrides by target service.' }),
    historySize: Type.Integer({ minimum: 1, default: 20, description: 'Transitions kept per breaker.' }),
    flapping: Type.Object(
      {
        transitions: Type.Integer({ minimum: 1, default: 3, description: 'Transitions to OPEN within windowMs that count as flapping.' }),
        windowMs: Type.Integer({ minimum: 1, default: 60_000 }),
      },
      { additionalProperties: false, default: {} },
    ),
    outlierDetection: Type.Object(
      {
        enabled: Type.Boolean({ default: true }),
        consecutive5xx: Type.Integer({ minimum: 1, default: 5 }),
        baseEjectionTimeMs: Type.Integer({ minimum: 1, default: 30_000 }),
        maxEjectionPercent: Type.Number({ minimum: 0, maximum: 100, default: 10 }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
);
export type BreakerPluginConfig = Static<typeof BreakerConfigSchema>;
