// The controller's edges: External metrics read from the observability plugin, a policy kind
// registered by another plugin, a policy that fails, a workload that leaves the cluster, and
// config problems reported with their paths before anything starts.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import observability from '@understudy/plugin-observability';
import { definePlugin } from '@understudy/plugin-sdk';
import type { PolicyInput } from '../src/contract.js';
import { replicas, seconds, start, svc, WEB } from './helpers.js';

const it = suite('autoscale: controller');

it('an External metric from observability: AverageValue 100 of the demand (600 req/s) → 6 replicas', async () => {
  const k = await start({
    patterns: { load: { service: 'web', shape: { kind: 'constant', rps: 600 } } },
    extra: [observability],
    autoscale: {
      autoscalers: { web: { maxReplicas: 20, metrics: [{ type: 'External', external: { metric: { name: 'understudy_simulated_demand_rps', labels: { service: 'web' } }, target: { type: 'AverageValue', averageValue: 100 } } }] } },
    },
  });
  try {
    await seconds(k, 31);
    const st = k.resolve('autoscale').get('web');
    assert.equal(st.metrics, { 'external:0': 600 });
    assert.is(replicas(k), 6);
  } finally {
    await k.stop();
  }
  // without observability the metric is missing: no decision, and the status says why
  const n = await start({ autoscale: { autoscalers: { web: { metrics: [{ type: 'External', external: { metric: { name: 'm' }, target: { type: 'Value', value: 1 } } }] } } } });
  try {
    await seconds(n, 16);
    const st = n.resolve('autoscale').get('web');
    assert.equal(st.metrics, { 'external:0': null });
    assert.match(st.lastReason!, 'metric missing');
    assert.is(n.resolve('autoscale').history('web')[0]!.desired, undefined);
  } finally {
    await n.stop();
  }
});

it('a policy kind registered by another plugin; a policy that throws; a workload that leaves the cluster', async () => {
  const seen: PolicyInput[] = [];
  const fixed = definePlugin({
    name: 'fixed-policy',
    dependencies: ['autoscale'],
    register(ctx) {
      ctx.resolve('autoscale').registerPolicy('fixed', (spec) => {
        if (spec.predictive?.broken) throw new RangeError('Invalid fixed settings:\npredictive.broken: not allowed');
        return {
          kind: 'fixed',
          intervalMs: () => 10_000,
          decide: (input) => {
            seen.push(input);
            if (input.spec.predictive?.explode) throw new Error('boom');
            return { desired: 7, reason: 'always 7' };
          },
        };
      });
    },
  });
  const k = await start({ services: { web: svc(), other: svc() }, workloads: { web: WEB, other: { replicas: 1 } }, extra: [fixed] });
  try {
    const as = k.resolve('autoscale');
    try {
      as.set('web', { policy: 'fixed', predictive: { broken: true } });
      assert.unreachable();
    } catch (err) {
      assert.is((err as { code: string }).code, 'US_AUTOSCALE_INVALID_SPEC');
      assert.match((err as Error).message, 'predictive.broken: not allowed');
    }
    as.set('web', { policy: 'fixed', maxReplicas: 20 });
    await seconds(k, 11);
    assert.is(replicas(k), 7);
    const input = seen[0]!;
    assert.equal([input.current, input.readyReplicas, input.instances.length, input.workload.startupSeconds], [5, 5, 5, 20]);
    assert.equal(input.instances[0]!.requests, WEB.resources.requests);
    assert.is(input.instances.filter((i) => i.status === 'ready').length, 5);
    await seconds(k, 1);
    // the new instances are starting: not yet ready
    assert.equal(
      (await as.evaluate('web')).currentReplicas,
      7,
    );
    assert.is(seen.at(-1)!.instances.filter((i) => i.status === 'unready').length, 2);
    // a policy that throws: the evaluation fails, the reason says so, the next one runs again
    as.set('other', { policy: 'fixed', predictive: { explode: true } });
    await seconds(k, 10);
    assert.match(as.get('other').lastReason!, 'evaluation failed: boom');
    assert.is(replicas(k, 'other'), 1);
    // the workload leaves the cluster: the autoscaler stays and says so
    k.resolve('cluster').remove('web');
    await seconds(k, 10);
    const st = as.get('web');
    assert.match(st.lastReason!, 'no workload "web" any more');
    assert.equal([st.currentReplicas, st.readyReplicas], [0, 0]);
  } finally {
    await k.stop();
  }
});

it('config problems with their paths, before anything starts', async () => {
  try {
    await start({
      autoscale: {
        queues: { jobs: { consumer: 'nobody' } },
        autoscalers: { nobody: {}, web: { minReplicas: 0 } },
      },
    });
    assert.unreachable('started');
  } catch (err) {
    const message = (err as Error).message;
    assert.match(message, 'plugins.autoscale.queues.jobs.consumer: no cluster workload "nobody"');
    assert.match(message, 'plugins.autoscale.autoscalers.nobody: no cluster workload "nobody"');
    assert.match(message, 'plugins.autoscale.autoscalers.web.minReplicas: must be >= 1');
  }
});

it.run();
