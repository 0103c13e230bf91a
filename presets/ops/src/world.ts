// Generates the ops world's config (mesh services, cluster nodes and workloads, traffic) in code,
// so the preset ships 1,000 instances without a 1,000-line YAML.
export const TIERS = [
  { tier: 'edge', count: 2 },
  { tier: 'api', count: 8 },
  { tier: 'svc', count: 32 },
  { tier: 'data', count: 8 },
] as const;

export const REPLICAS = 20;

/** Service names per tier: edge-1, edge-2, api-1 … data-8. */
export function serviceNames(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const t of TIERS) out[t.tier] = Array.from({ length: t.count }, (_, i) => `${t.tier}-${i + 1}`);
  return out;
}

export function opsConfig(): Record<string, unknown> {
  const names = serviceNames();
  const tierOrder = TIERS.map((t) => t.tier);
  const services: Record<string, unknown> = {};
  const workloads: Record<string, unknown> = {};
  tierOrder.forEach((tier, ti) => {
    const next = names[tierOrder[ti + 1]!] ?? [];
    names[tier]!.forEach((name, i) => {
      // each service calls two of the next tier, the second optional (fallback)
      const calls = next.length === 0 ? [] : [
        { service: next[(i * 2) % next.length], endpoint: 'call' },
        { service: next[(i * 2 + 1) % next.length], endpoint: 'call', onFailure: 'fallback', fallback: { body: null } },
      ];
      services[name] = { endpoints: [{ path: '/call', method: 'GET', name: 'call', latency: { type: 'lognormal', median: tier === 'data' ? 3 : 5, sigma: 0.3 }, calls }] };
      workloads[name] = tier === 'data' ? { replicas: REPLICAS, startupSeconds: 5 } : { replicas: REPLICAS };
    });
  });
  return {
    mesh: { services },
    cluster: {
      tickMs: 1000,
      nodePools: [
        { namePrefix: 'od', count: 24, zones: ['zone-a', 'zone-b', 'zone-c'], instanceType: 'm5.2xlarge', cpu: 8000, memory: 32768, pricePerHour: 0.384 },
        { namePrefix: 'spot', count: 6, zones: ['zone-a', 'zone-b', 'zone-c'], instanceType: 'm5.2xlarge-spot', cpu: 8000, memory: 32768, pricePerHour: 0.12 },
      ],
      defaults: {
        startupSeconds: 3,
        resources: { requests: { cpu: 100, memory: 256 }, limits: { cpu: 500, memory: 512 } },
        capacity: { concurrency: 20, serviceTimeMs: 10 },
        probes: {
          startup: { tcpSocket: { port: 8080 }, periodSeconds: 1, failureThreshold: 30 },
          liveness: { tcpSocket: { port: 8080 }, periodSeconds: 5, failureThreshold: 3 },
          readiness: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 2, failureThreshold: 1 },
        },
      },
      workloads,
    },
    traffic: { patterns: { users: { service: 'edge-1', shape: { kind: 'diurnal', min: 10, max: 40, troughHour: 4 } } } },
    health: { policy: 'planner', slo: { default: { errorRate: 0.01, p99Ms: 2000 } } },
    observability: {},
    breaker: {},
    tracing: {},
    discovery: {},
    chaos: {},
  };
}
