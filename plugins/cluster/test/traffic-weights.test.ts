// Traffic weights in the load model: a deployment's weights split a workload's admitted
// demand over its versions (a version at weight 0 takes no simulated requests, so its
// errors never reach the service's), a weighted version without Ready instances gives its
// share away, and without weights the split is even over the Ready instances.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { TestKernel } from '@understudy/plugin-sdk/testing';
import type { Cluster } from '../src/index.js';
import { admin, seconds, start, svc, trafficDouble, type Json } from './helpers.js';

const it = suite('cluster: traffic weights');

const web = { replicas: 2, version: '1.0.0', startupSeconds: 0, capacity: { concurrency: 4, serviceTimeMs: 20 }, memory: { baseMiB: 64, perInflightMiB: 0 }, versions: { '2.0.0': { errorRate: 0.5 } } };
const close = (a: number, b: number) => Math.abs(a - b) < 1e-9;

/** Two Ready instances of 1.0.0 and two of 2.0.0 (which answers half its requests with errors), 100 req/s. */
async function twoVersions(): Promise<{ k: TestKernel; c: Cluster }> {
  const t = trafficDouble();
  const k = await start({ web: svc() }, { workloads: { web } }, { before: [t.plugin] });
  const c = k.resolve('cluster') as Cluster;
  c.setReplicaSets('web', { '1.0.0': 2, '2.0.0': 2 }, 'deploy');
  t.rates.set('web', 100);
  await seconds(k, 2);
  return { k, c };
}

const tickOf = async (k: TestKernel) => {
  await seconds(k, 1);
  return (await admin(k, '/stats')).body.services.web as Json;
};
const arrivals = async (k: TestKernel) => {
  const out: Record<string, number[]> = {};
  for (const i of (await admin(k, '/instances?workload=web&state=Ready')).body.instances as Json[]) (out[i.version] ??= []).push(i.load.arrivalRate);
  return out;
};

it('without weights, spreads the demand evenly over every Ready instance', async () => {
  const { k } = await twoVersions();
  try {
    const t = await tickOf(k);
    assert.equal(t.readyByVersion, { '1.0.0': 2, '2.0.0': 2 });
    assert.equal(t.shareByVersion, { '1.0.0': 0.5, '2.0.0': 0.5 });
    assert.equal(await arrivals(k), { '1.0.0': [25, 25], '2.0.0': [25, 25] });
    assert.ok(close(t.errorRate, 0.25), String(t.errorRate));
    assert.is((await admin(k, '/workloads/web')).body.trafficWeights, undefined);
  } finally {
    await k.stop();
  }
});

it('gives a version at weight 0 no arrivals: its errors do not reach the service', async () => {
  const { k, c } = await twoVersions();
  try {
    c.setTrafficWeights('web', { '1.0.0': 100, '2.0.0': 0 });
    const t = await tickOf(k);
    assert.equal(t.shareByVersion, { '1.0.0': 1, '2.0.0': 0 });
    assert.equal(t.readyByVersion, { '1.0.0': 2, '2.0.0': 2 });
    assert.equal(await arrivals(k), { '1.0.0': [50, 50], '2.0.0': [0, 0] });
    assert.is(t.errorRate, 0);
    assert.is(t.served, 100);
    assert.is(t.utilisation, 0.25); // 50/s × 20 ms / 4 servers, on the instances that take requests
    assert.equal((await admin(k, '/workloads/web')).body.trafficWeights, { '1.0.0': 100, '2.0.0': 0 });
  } finally {
    await k.stop();
  }
});

it('splits 20/80 by weight whatever the instance counts, and the blended error follows', async () => {
  const { k, c } = await twoVersions();
  try {
    c.setTrafficWeights('web', { '2.0.0': 20, '1.0.0': 80 });
    const t = await tickOf(k);
    assert.ok(close(t.shareByVersion['2.0.0'], 0.2) && close(t.shareByVersion['1.0.0'], 0.8), JSON.stringify(t.shareByVersion));
    const a = await arrivals(k);
    assert.ok(a['2.0.0']!.every((r) => close(r, 10)) && a['1.0.0']!.every((r) => close(r, 40)), JSON.stringify(a));
    assert.ok(close(t.errorRate, 0.1), String(t.errorRate)); // 20 % of the requests × 50 % errors
  } finally {
    await k.stop();
  }
});

it('never leaves the service without an instance: a weighted version with none Ready gives its share away', async () => {
  const { k, c } = await twoVersions();
  try {
    // 3.0.0 has no instance: 2.0.0 takes everything
    c.setTrafficWeights('web', { '3.0.0': 50, '2.0.0': 50, '1.0.0': 0 });
    let t = await tickOf(k);
    assert.equal(t.shareByVersion, { '1.0.0': 0, '2.0.0': 1 });
    assert.ok(close(t.errorRate, 0.5), String(t.errorRate));
    // no weighted version is Ready: even over the Ready instances
    c.setTrafficWeights('web', { '3.0.0': 100 });
    t = await tickOf(k);
    assert.equal(t.shareByVersion, { '1.0.0': 0.5, '2.0.0': 0.5 });
    // cleared: even again
    c.setTrafficWeights('web', { '1.0.0': 100 });
    c.setTrafficWeights('web', undefined);
    t = await tickOf(k);
    assert.equal(await arrivals(k), { '1.0.0': [25, 25], '2.0.0': [25, 25] });
    assert.is((await admin(k, '/workloads/web')).body.trafficWeights, undefined);
  } finally {
    await k.stop();
  }
});

it('refuses a weight that is not a number >= 0, and an unknown workload, changing nothing', async () => {
  const { k, c } = await twoVersions();
  try {
    c.setTrafficWeights('web', { '1.0.0': 100 });
    assert.throws(() => c.setTrafficWeights('web', { '1.0.0': -1, '2.0.0': Number.NaN }), (e: Json) => e.code === 'US_CLUSTER_INVALID_VALUE' && /weights\.1\.0\.0: must be a number >= 0/.test(e.message) && /weights\.2\.0\.0/.test(e.message));
    assert.throws(() => c.setTrafficWeights('web', [] as never), (e: Json) => e.code === 'US_CLUSTER_INVALID_VALUE');
    assert.throws(() => c.setTrafficWeights('nope', { a: 1 }), (e: Json) => e.code === 'US_CLUSTER_WORKLOAD_NOT_FOUND');
    assert.equal(c.workload('web').trafficWeights, { '1.0.0': 100 });
  } finally {
    await k.stop();
  }
});

it.run();
