// Checks of the operations world's providers (ops.ts): cluster, deploy and traffic
// actions; observability, health and cluster probes. Every problem with its path.
import { isObj, join, type Checker, type Obj } from './validate.js';

/** Arguments each action takes: `required` and `optional` names. */
const ACTIONS: Record<string, Record<string, { required: string[]; optional: string[] }>> = {
  cluster: {
    'kill-instances': { required: ['workload'], optional: ['count', 'percentage', 'mode'] },
    'fail-node': { required: ['node'], optional: ['durationMs'] },
    'drain-node': { required: ['node'], optional: ['durationMs'] },
    'recover-node': { required: ['node'], optional: [] },
    'uncordon-node': { required: ['node'], optional: [] },
    'fail-zone': { required: ['zone'], optional: ['durationMs'] },
    'recover-zone': { required: ['zone'], optional: [] },
    'node-pressure': { required: ['node'], optional: ['memory', 'cpu', 'durationMs'] },
    'release-pressure': { required: ['node'], optional: [] },
    recover: { required: [], optional: [] },
  },
  deploy: {
    'deploy-version': { required: ['workload', 'version'], optional: ['template', 'strategy'] },
    rollback: { required: ['workload'], optional: [] },
    abort: { required: ['workload'], optional: [] },
  },
  traffic: {
    spike: { required: ['service'], optional: ['rps', 'factor', 'durationMs'] },
    'end-spikes': { required: [], optional: [] },
  },
};

const PROBES: Record<string, Record<string, { required: string[]; optional: string[] }>> = {
  observability: {
    'error-rate': { required: ['service'], optional: ['windowMs', 'version'] },
    'p99-latency': { required: ['service'], optional: ['windowMs', 'version'] },
    metric: { required: ['name'], optional: ['labels'] },
  },
  health: {
    status: { required: [], optional: ['service'] },
    'open-incidents': { required: [], optional: ['service'] },
  },
  cluster: { 'ready-instances': { required: ['workload'], optional: [] } },
};

const NUMBERS: Record<string, { min?: number; max?: number; integer?: boolean }> = {
  count: { min: 1, integer: true },
  percentage: { min: 0, max: 100 },
  memory: { min: 0 },
  cpu: { min: 0 },
  rps: { min: 0 },
  factor: { min: 1 },
  durationMs: { min: 0 },
  windowMs: { min: 1 },
};
const OBJECTS = ['template', 'strategy', 'labels'];

function checkProvider(c: Checker, p: Obj, path: string, table: typeof ACTIONS, kinds: string): void {
  c.known(p, ['type', 'func', 'arguments'], path);
  const funcs = table[p.type as string];
  if (!funcs) return c.add(join(path, 'type'), `must be one of ${kinds}`);
  const shape = funcs[p.func as string];
  if (!shape) return c.add(join(path, 'func'), `must be one of ${Object.keys(funcs).join(', ')} for type ${p.type as string}`);
  const ap = join(path, 'arguments');
  const args = p.arguments ?? {};
  if (!isObj(args)) return c.add(ap, 'must be object');
  c.known(args, [...shape.required, ...shape.optional], ap);
  for (const k of [...shape.required, ...shape.optional]) {
    const required = shape.required.includes(k);
    if (NUMBERS[k]) c.num(args, k, ap, { ...NUMBERS[k], required });
    else if (OBJECTS.includes(k)) {
      if (args[k] !== undefined && !isObj(args[k])) c.add(join(ap, k), 'must be object');
    } else c.str(args, k, ap, required);
  }
  if (p.func === 'spike' && (args.rps === undefined) === (args.factor === undefined)) c.add(ap, 'give rps (extra requests/s) or factor (a multiple of the traffic now), one of them');
  if (p.func === 'kill-instances') {
    if (args.count !== undefined && args.percentage !== undefined) c.add(ap, 'give count or percentage, not both');
    if (args.mode !== undefined && args.mode !== 'kill' && args.mode !== 'evict') c.add(join(ap, 'mode'), 'must be kill or evict');
  }
}

export function checkOpsAction(c: Checker, p: Obj, path: string): void {
  checkProvider(c, p, path, ACTIONS, 'fault, clear-faults, cluster, deploy or traffic');
}

export function checkOpsProbe(c: Checker, p: Obj, path: string): void {
  checkProvider(c, p, path, PROBES, 'http, observability, health or cluster');
}
