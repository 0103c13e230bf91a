// The proxy's config (TypeBox; the kernel fills the defaults and reports every bad path
// before anything starts). `target` is the one-upstream shorthand of the issue
// (`target: https://api.example.com`); `targets` routes by path prefix, longest first.
import { Type, type Static } from '@understudy/plugin-sdk';

export const MODES = ['capture', 'simulate', 'spy', 'passthrough'] as const;
export type Mode = (typeof MODES)[number];
export const ModeSchema = Type.Union(
  MODES.map((m) => Type.Literal(m)),
  { description: 'capture: forward and learn; simulate: answer from what was learned; spy: mock what is known, forward (and learn) the rest; passthrough: forward only' },
);

const TargetSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, pattern: '^[A-Za-z0-9_.-]+$', description: 'names the upstream in observations, stats and ex.service' }),
    prefix: Type.String({ pattern: '^/', default: '/', description: 'path prefix routed to this target (whole segments; longest wins); stripped before the target URL\'s own path is prepended' }),
    url: Type.String({ pattern: '^https?://[^/?#]+', description: 'http(s) origin, optionally with a base path' }),
    headers: Type.Record(Type.String(), Type.String(), { default: {}, description: 'added to every upstream request (an API key…); never shown by reads' }),
  },
  { additionalProperties: false },
);

export const ProxyConfigSchema = Type.Object(
  {
    target: Type.Optional(Type.String({ pattern: '^https?://[^/?#]+', description: 'shorthand for targets: [{ name: default, prefix: /, url }]' })),
    targets: Type.Array(TargetSchema, { default: [] }),
    mode: Type.Union(MODES.map((m) => Type.Literal(m)), { default: 'capture', description: 'global mode (per request: X-Mock-Enabled; per endpoint: the admin API)' }),
    captureBytes: Type.Integer({ minimum: 0, default: 256 * 1024, description: 'bytes of a text/JSON body given to the learner (a longer body is streamed but not learned)' }),
    bufferBytes: Type.Integer({
      minimum: 0,
      default: 64 * 1024,
      description: 'an upstream body with a Content-Length up to this is read whole and sent with its length (one write); longer or unsized bodies are streamed; 0 streams every body',
    }),
    fallback: Type.Boolean({ default: true, description: 'answer with the learned mock when the upstream fails or times out' }),
    learnFailures: Type.Boolean({ default: false, description: 'also learn transport failures (a down backend then teaches the mock to fail)' }),
    identityEncoding: Type.Boolean({ default: true, description: 'while learning, ask the upstream for uncompressed bodies (Accept-Encoding: identity) so they can be learned' }),
    timeouts: Type.Object(
      {
        connectMs: Type.Integer({ minimum: 1, default: 5000, description: 'TCP/TLS connect (undici, real time)' }),
        responseMs: Type.Integer({ minimum: 1, default: 30_000, description: 'until the response headers (kernel clock); then the fallback' }),
        bodyMs: Type.Integer({ minimum: 0, default: 30_000, description: 'idle time between body chunks (undici, real time; 0 = none)' }),
      },
      { default: {}, additionalProperties: false },
    ),
    pool: Type.Object(
      {
        connections: Type.Integer({ minimum: 1, default: 128, description: 'keep-alive connections per target' }),
        keepAliveTimeoutMs: Type.Integer({ minimum: 1, default: 4000 }),
        pipelining: Type.Integer({ minimum: 1, default: 1 }),
      },
      { default: {}, additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export type ProxyConfig = Static<typeof ProxyConfigSchema>;
export type TargetConfig = Static<typeof TargetSchema>;
