// The topology's shape in TypeBox: documentation (admin OpenAPI) and static types.
// Values are checked by validate.ts, which reports exact field paths and the checks
// a schema cannot express (unknown targets, min > max).
import { Type, type Static } from '@understudy/plugin-sdk';

const ms = (description: string) => Type.Number({ minimum: 0, description });

export const LatencySchema = Type.Union(
  [
    Type.Object({ type: Type.Literal('fixed'), ms: ms('always this many ms') }),
    Type.Object({ type: Type.Literal('uniform'), min: ms('lower bound'), max: ms('upper bound (>= min)') }),
    Type.Object({ type: Type.Literal('normal'), mean: ms('mean'), stdDev: ms('standard deviation') }),
    Type.Object({ type: Type.Literal('lognormal'), median: ms('median'), sigma: Type.Number({ minimum: 0, description: 'shape (log-space std dev)' }) }),
    Type.Object({
      type: Type.Literal('percentiles'),
      p50: ms('median'),
      p90: ms('90th percentile'),
      p99: ms('99th percentile'),
      min: Type.Optional(ms('fastest (default p50/2)')),
      max: Type.Optional(ms('slowest (default p99 + (p99 - p90))')),
    }),
  ],
  { description: 'Latency distribution, sampled per request on the kernel clock' },
);

export const FallbackSchema = Type.Object(
  {
    status: Type.Optional(Type.Integer({ minimum: 100, maximum: 599, description: 'status recorded for the dependency (default 200)' })),
    body: Type.Optional(Type.Unknown({ description: 'result used in place of the failed dependency' })),
  },
  { additionalProperties: false },
);

export const CallSchema = Type.Object(
  {
    service: Type.String({ description: 'target service name' }),
    endpoint: Type.String({ description: "target endpoint's name or path" }),
    mode: Type.Optional(Type.Union([Type.Literal('sync'), Type.Literal('async')], { description: 'async = fire-and-forget (default sync)' })),
    onFailure: Type.Optional(
      Type.Union([Type.Literal('propagate'), Type.Literal('fallback'), Type.Literal('ignore')], { description: 'default propagate' }),
    ),
    fallback: Type.Optional(FallbackSchema),
  },
  { additionalProperties: false },
);

export const CallGroupSchema = Type.Object(
  {
    parallel: Type.Optional(Type.Boolean({ description: 'run the group concurrently (default false: in sequence)' })),
    calls: Type.Array(CallSchema),
  },
  { additionalProperties: false },
);

export const EndpointSchema = Type.Object(
  {
    path: Type.String({ description: 'path below the service, e.g. /orders/:id' }),
    name: Type.Optional(Type.String({ description: 'name used by calls (default: the path)' })),
    method: Type.Optional(Type.String({ description: 'HTTP method (default: any)' })),
    latency: Type.Optional(LatencySchema),
    errorRate: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'probability of a simulated error' })),
    errorStatus: Type.Optional(Type.Union([Type.Integer(), Type.Array(Type.Integer())], { description: 'status(es) of simulated errors (default 500)' })),
    status: Type.Optional(Type.Integer({ minimum: 100, maximum: 599, description: 'success status (default 200)' })),
    headers: Type.Optional(Type.Record(Type.String(), Type.String())),
    body: Type.Optional(Type.Unknown({ description: 'JSON value or text; strings may use {{service}}, {{endpoint}}, {{instance}}, {{request.path}}, …' })),
    parallel: Type.Optional(Type.Boolean({ description: 'run the top-level calls concurrently (default false)' })),
    calls: Type.Optional(Type.Array(Type.Union([CallSchema, CallGroupSchema]))),
  },
  { additionalProperties: false },
);

export const InstanceSchema = Type.Object(
  {
    version: Type.Optional(Type.String()),
    address: Type.Optional(Type.String()),
    port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
  },
  { additionalProperties: false },
);

export const ServiceSchema = Type.Object(
  {
    version: Type.Optional(Type.String({ description: 'default version label of its instances (default 1.0.0)' })),
    instances: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Array(InstanceSchema, { minItems: 1 })], { description: 'a count or one entry per instance (default 1)' })),
    port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535, description: 'also serve this service on a port of its own (0 = any free port)' })),
    endpoints: Type.Array(EndpointSchema),
  },
  { additionalProperties: false },
);

export const TopologySchema = Type.Record(Type.String(), ServiceSchema);

export type LatencyDef = Static<typeof LatencySchema>;
export type CallDef = Static<typeof CallSchema>;
export type CallGroupDef = Static<typeof CallGroupSchema>;
export type EndpointDef = Static<typeof EndpointSchema>;
export type InstanceDef = Static<typeof InstanceSchema>;
export type ServiceDef = Static<typeof ServiceSchema>;
export type TopologyDef = Record<string, ServiceDef>;
