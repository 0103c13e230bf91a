// The cluster plugin's config. Nodes, node pools and the plugin's knobs are checked by
// their TypeBox schema (the kernel reports a bad value with its path); workload specs are
// checked by spec.ts (the same rules as PUT /__admin/cluster/workloads/<name>), so the
// schema takes them as objects and index.ts reports their problems under
// `plugins.cluster.workloads.<name>`.
import { Type, type Static } from '@understudy/plugin-sdk';

export const NodeSpecSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' }),
    zone: Type.String({ minLength: 1, default: 'zone-a' }),
    cpu: Type.Number({ exclusiveMinimum: 0, description: 'Capacity in millicores (1000 = one core).' }),
    memory: Type.Number({ exclusiveMinimum: 0, description: 'Capacity in MiB.' }),
    instanceType: Type.String({ default: 'standard' }),
    pricePerHour: Type.Number({ minimum: 0, default: 0 }),
    interruptible: Type.Boolean({ default: false }),
    labels: Type.Record(Type.String(), Type.String(), { default: {} }),
  },
  { additionalProperties: false },
);

export const NodePoolSchema = Type.Object(
  {
    namePrefix: Type.String({ minLength: 1, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', description: 'Nodes are <namePrefix>-1 … -<count>.' }),
    count: Type.Integer({ minimum: 0 }),
    zones: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'Nodes go round-robin over these.' }),
    instanceType: Type.String({ default: 'standard' }),
    cpu: Type.Number({ exclusiveMinimum: 0 }),
    memory: Type.Number({ exclusiveMinimum: 0 }),
    pricePerHour: Type.Number({ minimum: 0, default: 0 }),
    interruptible: Type.Boolean({ default: false }),
    labels: Type.Record(Type.String(), Type.String(), { default: {} }),
  },
  { additionalProperties: false },
);

export const ClusterConfigSchema = Type.Object(
  {
    tickMs: Type.Integer({ minimum: 10, default: 1000, description: 'One tick of the controllers and the load model, on the kernel clock.' }),
    nodes: Type.Array(NodeSpecSchema, { default: [] }),
    nodePools: Type.Array(NodePoolSchema, { default: [] }),
    workloads: Type.Record(Type.String(), Type.Unknown(), { default: {}, description: 'Partial workload specs by name, over `defaults`.' }),
    defaults: Type.Unknown({ default: {}, description: 'A partial workload spec every workload starts from.' }),
    adopt: Type.Union([Type.Literal('all'), Type.Literal('listed')], {
      default: 'all',
      description: "'all': every mesh service not listed becomes a workload (replicas = its mesh instance count); 'listed': only `workloads`.",
    }),
    warmStart: Type.Boolean({ default: true, description: 'Instances of the configured world start Ready at kernel start (a running cluster), not through startupSeconds.' }),
    instanceEvents: Type.Boolean({ default: true, description: 'Emit cluster.instanceChanged on the event bus (the hook always runs).' }),
    queueTimeoutMs: Type.Number({ exclusiveMinimum: 0, default: 10_000, description: 'Queueing delay cap: a request waits at most this long, beyond it it fails.' }),
    maxCascadePasses: Type.Integer({ minimum: 1, default: 4, description: 'Passes over a dependency cycle when cascading errors and latency.' }),
    history: Type.Object(
      {
        count: Type.Integer({ minimum: 0, default: 1000, description: 'Terminated instances kept for GET /instances.' }),
        bytes: Type.Integer({ minimum: 0, default: 1_000_000 }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
);

export type ClusterConfig = Static<typeof ClusterConfigSchema>;
export type NodeSpecInput = Static<typeof NodeSpecSchema>;
