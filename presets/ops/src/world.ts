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

/**
 * What differs by tier. The edge tier is the one that saturates: 100 requests/s per
 * instance (2 at a time, 20 ms each), CPU requested at half its limit, so the HPA's 70 %
 * target is reached at 35 % of an instance's capacity, as in a cluster that keeps headroom.
 */
const TIER_WORKLOAD: Record<string, Record<string, unknown>> = {
  edge: { capacity: { concurrency: 2, serviceTimeMs: 20 }, resources: { requests: { cpu: 250, memory: 256 }, limits: { cpu: 500, memory: 512 } } },
  api: {},
  svc: {},
  data: { startupSeconds: 5 },
};

/** The canary-ready service: a good next version and a bad one, for the tour and the experiments. */
export const CANARY = { workload: 'api-1', good: '1.1.0', bad: '1.1.0-bad' } as const;

/** HPA on the front services (Kubernetes' autoscaling/v2 shape). */
function frontAutoscalers(edge: string[]): Record<string, unknown> {
  const hpa = { policy: 'hpa', minReplicas: REPLICAS, maxReplicas: 80, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }] };
  return Object.fromEntries(edge.map((service) => [service, hpa]));
}

/** Argo-style canary for the canary-ready service: 20 %, analysis, 50 %, analysis, promoted. */
const CANARY_ROLLOUT = {
  strategy: {
    canary: {
      steps: [
        { setWeight: 20 },
        { pause: { duration: '30s' } },
        { analysis: { templates: [{ templateName: 'error-rate' }] } },
        { setWeight: 50 },
        { pause: { duration: '30s' } },
        { analysis: { templates: [{ templateName: 'error-rate' }] } },
      ],
    },
  },
  bakeSeconds: 60,
};

const ANALYSIS_TEMPLATES = {
  'error-rate': {
    metrics: [{ name: 'errors', interval: '10s', count: 3, successCondition: 'result < 0.02', failureLimit: 0, provider: { kind: 'errorRate', window: '30s' } }],
  },
};

/** The chaos experiment library, ready to run (POST /__admin/chaos/experiments/<id>/run). */
function experiments(names: Record<string, string[]>): unknown[] {
  return [
    { library: 'zone-outage', id: 'zone-a-down', params: { zone: 'zone-a', outageMs: 30_000, withinMs: 180_000 } },
    { library: 'dependency-failure', id: 'data-1-down', params: { workload: names.data![0], percentage: 100, withinMs: 180_000 } },
    { library: 'bad-deploy', id: 'bad-deploy', params: { workload: names.api![1], withinMs: 180_000 } },
    { library: 'traffic-spike', id: 'spike', params: { service: names.edge![0], factor: 3, spikeMs: 120_000, withinMs: 180_000 } },
  ];
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
      workloads[name] = { replicas: REPLICAS, ...TIER_WORKLOAD[tier] };
    });
  });
  return {
    mesh: { services },
    cluster: {
      tickMs: 1000,
      nodePools: [
        { namePrefix: 'od', count: 24, zones: ['zone-a', 'zone-b', 'zone-c'], instanceType: 'm5.2xlarge', cpu: 8000, memory: 32768, pricePerHour: 0.384 },
        { namePrefix: 'spot', count: 6, zones: ['zone-a', 'zone-b', 'zone-c'], instanceType: 'm5.2xlarge-spot', cpu: 8000, memory: 32768, pricePerHour: 0.12, interruptible: true },
      ],
      defaults: {
        startupSeconds: 3,
        resources: { requests: { cpu: 100, memory: 256 }, limits: { cpu: 500, memory: 512 } },
        capacity: { concurrency: 20, serviceTimeMs: 10 },
        probes: {
          // Kubernetes' periods (liveness 10 s, readiness 5 s as commonly set; startup every
          // second while starting): 300 probe runs a second over 1,000 instances
          startup: { tcpSocket: { port: 8080 }, periodSeconds: 1, failureThreshold: 30 },
          liveness: { tcpSocket: { port: 8080 }, periodSeconds: 10, failureThreshold: 3 },
          readiness: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 5, failureThreshold: 1 },
        },
      },
      workloads: { ...workloads, [CANARY.workload]: { ...(workloads[CANARY.workload] as object), versions: { [CANARY.good]: {}, [CANARY.bad]: { errorRate: 0.25 } } } },
    },
    traffic: {
      patterns: {
        users: { service: 'edge-1', shape: { kind: 'diurnal', min: 200, max: 800, troughHour: 4 }, jitter: 0.05 },
        partners: { service: 'edge-2', shape: { kind: 'constant', rps: 150 }, jitter: 0.05 },
      },
    },
    health: { policy: 'planner', slo: { default: { errorRate: 0.01, p99Ms: 2000 } } },
    autoscale: { autoscalers: frontAutoscalers(names.edge!) },
    deploy: { rollouts: { [CANARY.workload]: CANARY_ROLLOUT }, analysisTemplates: ANALYSIS_TEMPLATES },
    observability: {},
    breaker: {},
    tracing: {},
    discovery: {},
    chaos: { experiments: experiments(names) },
  };
}
