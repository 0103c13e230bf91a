// The tracing plugin's config: propagation formats, store bounds (traces, spans per trace
// and bytes: per attribute value, per span, in all), response headers and the optional
// OTLP export.
import { Type, type Static } from '@understudy/plugin-sdk';

export const FORMATS = ['tracecontext', 'b3', 'b3multi', 'jaeger'] as const;
export type Format = (typeof FORMATS)[number];
const FormatSchema = Type.Union(FORMATS.map((f) => Type.Literal(f)));

export const OtlpSchema = Type.Object(
  {
    url: Type.String({ minLength: 1, description: 'OTLP/HTTP JSON traces endpoint, e.g. http://localhost:4318/v1/traces' }),
    headers: Type.Optional(Type.Record(Type.String(), Type.String())),
    batchSize: Type.Integer({ minimum: 1, default: 100 }),
    flushIntervalMs: Type.Integer({ minimum: 1, default: 1000 }),
    maxQueue: Type.Integer({ minimum: 1, default: 10000 }),
    maxRetries: Type.Integer({ minimum: 0, default: 3 }),
    retryBackoffMs: Type.Integer({ minimum: 0, default: 500 }),
  },
  { additionalProperties: false },
);
export type OtlpConfig = Static<typeof OtlpSchema>;

export const TracingConfigSchema = Type.Object(
  {
    propagation: Type.Object(
      {
        extract: Type.Array(FormatSchema, { default: [...FORMATS], description: 'formats accepted on incoming requests, tried in order' }),
        inject: Type.Array(FormatSchema, { default: ['tracecontext'], description: 'formats written on child requests' }),
        strictTracestate: Type.Boolean({
          default: false,
          description:
            'drop the whole tracestate when one list-member is invalid or there are more than 32 (what the W3C test suite\'s strict level 2 expects); by default only the bad members are dropped',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    maxTraces: Type.Integer({ minimum: 1, default: 1000 }),
    maxSpansPerTrace: Type.Integer({ minimum: 1, default: 1000 }),
    maxBytes: Type.Integer({
      minimum: 65536,
      default: 64 * 1024 * 1024,
      description: 'estimated bytes of every stored span together; the oldest traces are evicted to stay below (counted)',
    }),
    maxAttributeBytes: Type.Integer({
      minimum: 64,
      default: 4096,
      description: 'UTF-8 bytes of one attribute value (an object counts as its JSON), of a span\'s path and error message; a longer one is cut and marked (counted)',
    }),
    maxSpanAttributeBytes: Type.Integer({
      minimum: 256,
      default: 16384,
      description: 'bytes of one span\'s attributes together (keys and values); attributes past it are dropped (counted)',
    }),
    responseHeaders: Type.Boolean({ default: true, description: 'add traceparent and x-understudy-trace-id to responses' }),
    export: Type.Object({ otlp: Type.Optional(OtlpSchema) }, { additionalProperties: false, default: {} }),
  },
  { additionalProperties: false },
);
export type TracingConfig = Static<typeof TracingConfigSchema>;
