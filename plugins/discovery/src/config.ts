// The discovery plugin's config: how many instances the registry holds, reaping,
// blocking-query waits, the Consul node, Eureka leases and instances registered at startup.
import { Type, type Static } from '@understudy/plugin-sdk';

const StaticService = Type.Object(
  {
    id: Type.Optional(Type.String({ minLength: 1, description: 'Default: `<service>-<n>`' })),
    service: Type.String({ minLength: 1 }),
    address: Type.String({ default: '127.0.0.1' }),
    port: Type.Integer({ minimum: 0, maximum: 65535 }),
    tags: Type.Optional(Type.Array(Type.String())),
    meta: Type.Optional(Type.Record(Type.String(), Type.String())),
    version: Type.Optional(Type.String()),
    ttlMs: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);

/** Default of maxInstances, also quoted in the README. */
export const DEFAULT_MAX_INSTANCES = 5_000;

export const DiscoveryConfigSchema = Type.Object(
  {
    maxInstances: Type.Integer({
      minimum: 1,
      default: DEFAULT_MAX_INSTANCES,
      description: 'Most instances registered at once (every source together); a new one past it is refused with 409 US_DISCOVERY_LIMIT_REACHED.',
    }),
    deregisterCriticalAfterMs: Type.Integer({
      minimum: 0,
      default: 0,
      description: "Remove instances critical for this long (Consul's DeregisterCriticalServiceAfter); 0 = keep them. A registration's own value wins.",
    }),
    defaultWaitMs: Type.Integer({ minimum: 0, default: 300_000, description: 'Blocking query wait when `?index=` comes without `?wait=` (Consul: 5m).' }),
    maxWaitMs: Type.Integer({ minimum: 0, default: 600_000, description: 'Longest blocking query wait (Consul: 10m).' }),
    node: Type.Object(
      {
        name: Type.String({ default: 'understudy' }),
        address: Type.String({ default: '127.0.0.1' }),
        datacenter: Type.String({ default: 'dc1' }),
      },
      { additionalProperties: false, default: {}, description: 'The one Consul node every instance runs on.' },
    ),
    eureka: Type.Object(
      {
        leaseDurationMs: Type.Integer({ minimum: 1, default: 90_000, description: 'Lease without a renewal before an instance is evicted, unless it sends leaseInfo.durationInSecs.' }),
      },
      { additionalProperties: false, default: {} },
    ),
    services: Type.Array(StaticService, { default: [], description: 'Instances registered at startup (source `config`).' }),
  },
  { additionalProperties: false },
);

export type DiscoveryConfig = Static<typeof DiscoveryConfigSchema>;
