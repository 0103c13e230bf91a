// The breaker plugin's config: breaker defaults at the top level, per-service overrides,
// flapping detection and outlier ejection. The same field schemas validate the admin API,
// and `overridesProblems` checks a live change given to the \`breakers\` service directly
// (another plugin calling configure()), which no route schema sees.
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

type FieldSchema = { type?: string; minimum?: number; maximum?: number; exclusiveMinimum?: number; anyOf?: Array<{ const: unknown }> };

/**
 * Every problem of a partial breaker config, with its path (`failureRateThreshold: must be
 * <= 100`); empty when it is valid. Reads the same field schemas as the routes.
 */
export function overridesProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return ['(root): must be an object of breaker settings'];
  const problems: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    const schema = (fields as Record<string, FieldSchema>)[key];
    if (!schema) {
      problems.push(`${key}: unknown property "${key}" (one of ${Object.keys(fields).join(', ')})`);
      continue;
    }
    if (schema.anyOf) {
      const allowed = schema.anyOf.map((s) => s.const);
      if (!allowed.includes(v)) problems.push(`${key}: must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
    } else if (schema.type === 'boolean') {
      if (typeof v !== 'boolean') problems.push(`${key}: must be boolean`);
    } else if (typeof v !== 'number' || !Number.isFinite(v)) problems.push(`${key}: must be ${schema.type}`);
    else if (schema.type === 'integer' && !Number.isInteger(v)) problems.push(`${key}: must be integer`);
    else if (schema.minimum !== undefined && v < schema.minimum) problems.push(`${key}: must be >= ${schema.minimum}`);
    else if (schema.exclusiveMinimum !== undefined && v <= schema.exclusiveMinimum) problems.push(`${key}: must be > ${schema.exclusiveMinimum}`);
    else if (schema.maximum !== undefined && v > schema.maximum) problems.push(`${key}: must be <= ${schema.maximum}`);
  }
  return problems;
}
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
