// The kernel's config schema: the top level of `understudy.yaml`, defaults included.
import { Type, type Static } from '@sinclair/typebox';

/** The default body limit (50 MiB): `server.bodyLimit` when the config does not say. */
export const BODY_LIMIT = 50 * 1024 * 1024;

/** The kernel's own settings: the top level of `understudy.yaml`. */
export const KernelConfigSchema = Type.Object(
  {
    server: Type.Object(
      {
        port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080, description: 'HTTP port (0 = any free port).' }),
        host: Type.String({ default: '127.0.0.1', description: 'Interface to listen on; 0.0.0.0 for every interface.' }),
        bodyLimit: Type.Integer({
          minimum: 1024,
          default: BODY_LIMIT,
          description: 'Largest request body in bytes, on every listener the project opens (the main port and plugins\' own); larger ones are answered 413 US_BODY_TOO_LARGE.',
        }),
        admin: Type.Object(
          {
            token: Type.Optional(
              Type.String({
                minLength: 16,
                writeOnly: true,
                description:
                  'Admin token, sent as `Authorization: Bearer <token>` on every control-plane route (/__admin and plugins\' wire routes). UNDERSTUDY_ADMIN_TOKEN, when set, wins over this value. At least 16 characters (e.g. `openssl rand -hex 32`).',
              }),
            ),
            requireToken: Type.Optional(
              Type.Boolean({
                description:
                  'Whether startup needs a token configured. Unset: only when server.host is beyond loopback. true: always. false: never (beyond loopback, a loud warning that the admin API is open to the network). A configured token is always checked.',
              }),
            ),
            allowedOrigins: Type.Array(Type.String({ minLength: 1 }), {
              default: [],
              description: 'Origins (e.g. http://localhost:3000) whose pages may call the control plane cross-origin; any other cross-origin Origin is refused (403 US_ORIGIN_REFUSED).',
            }),
            allowedHosts: Type.Array(Type.String({ minLength: 1 }), {
              default: [],
              description:
                'Host names accepted on loopback connections besides localhost, 127.0.0.0/8, [::1] and server.host (a leading dot matches subdomains: .example.test); any other Host is refused (403 US_HOST_REFUSED, against DNS rebinding).',
            }),
          },
          { additionalProperties: false, default: {} },
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    seed: Type.Union([Type.Integer(), Type.String()], { default: 1, description: 'Run seed: same seed and inputs, same outputs.' }),
    clock: Type.Union([Type.Literal('real'), Type.Literal('virtual')], { default: 'real' }),
    logLevel: Type.Union(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
      { default: 'info' },
    ),
    logFormat: Type.Union([Type.Literal('json'), Type.Literal('pretty')], {
      default: 'json',
      description: 'json: one pino line per entry (for machines); pretty: coloured, human-readable (pino-pretty).',
    }),
    /** Milliseconds each plugin's start/stop may take. */
    lifecycleTimeout: Type.Integer({ minimum: 1, default: 10_000 }),
    /** Hop limit for child exchanges; beyond it a call is answered 508. */
    maxHops: Type.Integer({ minimum: 1, default: 32 }),
    /** How many recent events the kernel keeps for the admin API. */
    eventBuffer: Type.Integer({ minimum: 0, default: 1000 }),
    /** At most this many bytes of recent events (each estimated by its JSON length); the oldest go first. */
    eventBufferBytes: Type.Integer({ minimum: 0, default: 4 * 1024 * 1024 }),
    /** Presets to load: names (`basic`), package names or paths. */
    presets: Type.Array(Type.String(), { default: [] }),
    /** Extra plugins to load by package name or path (their config goes under `plugins:`). */
    load: Type.Array(Type.String(), { default: [] }),
    /**
     * Config per plugin name. A name not provided by a preset or `load` is loaded as
     * `@understudy/plugin-<name>`; `false` disables a preset's plugin.
     */
    plugins: Type.Record(Type.String(), Type.Union([Type.Object({}, { additionalProperties: true }), Type.Literal(false), Type.Null()]), {
      default: {},
    }),
  },
  { additionalProperties: false },
);

export type KernelConfig = Static<typeof KernelConfigSchema>;
type ServerConfig = KernelConfig['server'];
export type KernelConfigInput = Partial<Omit<KernelConfig, 'server'>> & {
  server?: Partial<Omit<ServerConfig, 'admin'>> & { admin?: Partial<ServerConfig['admin']> };
};
