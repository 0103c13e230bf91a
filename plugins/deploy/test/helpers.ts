// Test helpers: a started kernel (virtual clock, port 0) with mesh, the cluster and the
// deploy plugin (optionally with a fake analysis runner), a one-endpoint service whose
// body names the instance that served it, admin calls, and traffic sent through the mesh
// while the virtual clock advances.
import mesh from '@understudy/plugin-mesh';
import cluster from '@understudy/plugin-cluster';
import { definePlugin, type PluginDefinition } from '@understudy/plugin-sdk';
import { createTestKernel, fetchJson, type TestKernel } from '@understudy/plugin-sdk/testing';
import { createDeployPlugin, type AnalysisRunner, type AnalysisRunContext, type AnalysisRunView, type AnalysisPhase } from '../src/index.js';
import type { MachineSpec } from '../src/rollout.js';

export type Json = any;

/** A state machine spec: a canary without steps or analysis, rollback on failure, and `over`. */
export const machineSpec = (over: Partial<MachineSpec> = {}): MachineSpec => ({
  strategy: 'canary',
  steps: [],
  prePromotionAnalysis: false,
  postPromotionAnalysis: false,
  autoPromotionEnabled: true,
  bakeMs: 0,
  onFailure: 'rollback',
  rollback: false,
  ...over,
});

/** A fake analysis runner: each run ends with the phase the test scripts (by kind), after `afterMs` on the kernel clock. */
export class FakeRunner {
  readonly started: AnalysisRunContext[] = [];
  readonly terminated: string[] = [];
  /** Phase per kind (or per run name); missing: never ends. */
  outcome: Record<string, AnalysisPhase> = {};
  afterMs = 1000;
  readonly runner = (deps: { clock: { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(h: unknown): void } }): AnalysisRunner => ({
    validate: (template, path) => (template && typeof template === 'object' ? [] : [`${path}: must be an object`]),
    start: (templates, context, onDone) => {
      this.started.push(context);
      let phase: AnalysisPhase = 'Running';
      const view = (): AnalysisRunView => ({ name: context.name, kind: context.kind, templates: templates.map((t) => t.name), phase, startedAt: context.startedAt });
      const wanted = this.outcome[context.name] ?? this.outcome[context.kind];
      const timer = wanted ? deps.clock.setTimeout(() => {
        phase = wanted;
        onDone({ ...view(), message: `fake ${wanted}` });
      }, this.afterMs) : undefined;
      return {
        name: context.name,
        view,
        terminate: () => {
          if (timer) deps.clock.clearTimeout(timer);
          this.terminated.push(context.name);
        },
      };
    },
  });
}

export interface StartOptions {
  replicas?: number;
  versions?: Record<string, unknown>;
  workload?: Record<string, unknown>;
  deploy?: Record<string, unknown>;
  runner?: FakeRunner;
  extra?: PluginDefinition<any>[];
  seed?: number;
}

/** Records the version of every web exchange that got an answer, at every hop (a settled tap). */
export function spy() {
  const seen: { version: string; status: number; root: boolean; headers?: unknown }[] = [];
  const plugin = definePlugin({
    name: 'spy',
    register(ctx) {
      ctx.hooks.settled.tap('spy', (ex) => {
        if (ex.service === 'web' && typeof ex.context.tags.version === 'string') seen.push({ version: ex.context.tags.version, status: ex.response?.status ?? 0, root: ex.context.hops === 0 });
      });
    },
  });
  const count = (filter: (s: (typeof seen)[number]) => boolean = () => true) => {
    const out: Record<string, number> = {};
    for (const s of seen) if (filter(s)) out[s.version] = (out[s.version] ?? 0) + 1;
    return out;
  };
  return { plugin, seen, count };
}

/** gateway → web (the workload rolled out); web answers its instance id. */
export async function start(options: StartOptions = {}): Promise<TestKernel> {
  const deploy = options.runner ? createDeployPlugin({ analysisRunner: options.runner.runner as never }) : createDeployPlugin();
  return createTestKernel({
    plugins: [mesh, cluster, deploy, ...(options.extra ?? [])],
    seed: options.seed ?? 1,
    config: {
      mesh: {
        services: {
          gateway: { endpoints: [{ path: '/', name: 'go', latency: { type: 'fixed', ms: 0 }, calls: [{ service: 'web', endpoint: 'go' }], body: '{{instance}}' }] },
          web: { endpoints: [{ path: '/', name: 'go', latency: { type: 'fixed', ms: 0 }, body: '{{instance}}' }] },
        },
      },
      cluster: {
        workloads: {
          gateway: { replicas: 1, startupSeconds: 1 },
          web: { replicas: options.replicas ?? 4, startupSeconds: 5, versions: options.versions ?? {}, ...(options.workload ?? {}) },
        },
      },
      deploy: options.deploy ?? {},
    },
  });
}

export const admin = (k: TestKernel, path: string, init?: Parameters<typeof fetchJson>[1]) => fetchJson(`${k.baseUrl}/__admin/deploy${path}`, init);
export const post = (k: TestKernel, path: string, json?: unknown) => admin(k, path, json === undefined ? { method: 'POST' } : { method: 'POST', json });
export const status = async (k: TestKernel, workload = 'web'): Promise<Json> => (await admin(k, `/rollouts/${workload}`)).body;

/** Advance the virtual clock by `n` seconds, one second at a time. */
export async function seconds(k: TestKernel, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await k.clock.advance(1000);
}

/** The version of the web instance that served a request (by its id). */
export function versionOf(k: TestKernel, id: string): string {
  return k.resolve('cluster').instance(id).version;
}

export interface Traffic {
  sent: number;
  failed: number;
  byVersion: Record<string, number>;
  statuses: Record<string, number>;
}

/** `perSecond` requests to `path` every second for `n` seconds, counting outcomes and the web version that served each. */
export async function traffic(k: TestKernel, n: number, options: { perSecond?: number; path?: string; headers?: Record<string, string>; into?: Traffic } = {}): Promise<Traffic> {
  const t = options.into ?? { sent: 0, failed: 0, byVersion: {}, statuses: {} };
  for (let s = 0; s < n; s++) {
    const replies = await Promise.all(
      Array.from({ length: options.perSecond ?? 5 }, () => fetch(`${k.baseUrl}${options.path ?? '/web/'}`, { headers: options.headers }).then(async (r) => ({ status: r.status, body: await r.text() }))),
    );
    for (const r of replies) {
      t.sent++;
      t.statuses[r.status] = (t.statuses[r.status] ?? 0) + 1;
      if (r.status >= 500) t.failed++;
      else {
        const id = r.body.trim().replace(/^"|"$/g, '');
        const v = versionOf(k, id);
        t.byVersion[v] = (t.byVersion[v] ?? 0) + 1;
      }
    }
    await k.clock.advance(1000);
  }
  return t;
}
