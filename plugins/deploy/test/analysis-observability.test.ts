// Analysis over the real observability plugin: a mesh service with two versions side by
// side (instances 1.0.0 and 2.0.0, round-robin), the new version slower and failing every
// other request (a test plugin at the Fault stage), real HTTP requests on the virtual clock,
// then analysis runs reading observability's windows by version: the stable version's
// metrics pass, the canary's error rate fails, and the judge fails the canary on both its
// latency and its errors.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import mesh from '@understudy/plugin-mesh';
import observability from '@understudy/plugin-observability';
import { definePlugin, Stage } from '@understudy/plugin-sdk';
import { createTestKernel, fetchOnClock } from '@understudy/plugin-sdk/testing';
import { createAnalysisRunner, type MetricResultView } from '../src/analysis.js';
import type { AnalysisDeps, AnalysisRunContext, AnalysisRunView } from '../src/contract.js';
import type { JudgeReport } from '../src/judge.js';

/** Version 2.0.0 answers 40 ms later and fails every other request with a 500. */
const badVersion = definePlugin({
  name: 'bad-version',
  register(ctx) {
    let n = 0;
    ctx.hooks.exchange.tapPromise({ name: 'bad-version', stage: Stage.Fault }, async (ex) => {
      if (ex.context.tags.version !== '2.0.0' || ex.response) return ex;
      await ctx.clock.sleep(40);
      if (n++ % 2 === 0) ex.response = { status: 500, headers: { 'content-type': 'application/json' }, body: '{"error":"bad build"}' };
      return ex;
    });
  },
});

const it = suite('analysis over observability');

it('the stable version passes, the canary fails its error rate, and the judge fails it on latency and errors', async () => {
  const k = await createTestKernel({
    plugins: [mesh, observability, badVersion],
    config: {
      mesh: { services: { api: { instances: [{ version: '1.0.0' }, { version: '2.0.0' }, { version: '1.0.0' }, { version: '2.0.0' }], endpoints: [{ path: '/x', name: 'x', latency: { type: 'fixed', ms: 5 } }] } } },
      observability: {},
    },
  });
  try {
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await fetchOnClock(k, '/api/x', { stepMs: 5 })).status);
    assert.is(statuses.filter((s) => s === 500).length, 15);
    const obs = k.resolve('observability');
    assert.is(obs.window('api', 60_000, { version: '2.0.0' }).requests, 30);

    const runner = createAnalysisRunner({ clock: k.clock, events: {}, random: {}, cluster: {}, observability: () => k.resolve('observability') } as unknown as AnalysisDeps);
    const context = (name: string): AnalysisRunContext => ({
      name,
      workload: 'api',
      service: 'api',
      kind: 'step',
      stable: { version: '1.0.0', revision: 1 },
      canary: { version: '2.0.0', revision: 2 },
      args: { workload: 'api', service: 'api', 'stable-version': '1.0.0', 'canary-version': '2.0.0' },
      startedAt: k.clock.now(),
    });
    const done: AnalysisRunView[] = [];
    const window = '5m';
    runner.start(
      [{ name: 'stable', template: { metrics: [
        { name: 'errors', successCondition: 'result == 0', provider: { kind: 'errorRate', version: '{{args.stable-version}}', window } },
        { name: 'p99', successCondition: 'result <= 10', provider: { kind: 'latency', version: '{{args.stable-version}}', window } },
        { name: 'rate', successCondition: 'result == 0.1', provider: { kind: 'requestRate', version: '{{args.stable-version}}', window } },
      ] } }],
      context('stable'),
      (v) => done.push(v),
    );
    runner.start([{ name: 'canary', template: { metrics: [{ name: 'errors', successCondition: 'result < 0.05', provider: { kind: 'errorRate', window } }] } }], context('canary'), (v) => done.push(v));
    runner.start([{ name: 'judge', template: { metrics: [{ name: 'judge', provider: { kind: 'judge', window } }] } }], context('judge'), (v) => done.push(v));
    await k.advance(0);
    const byName = Object.fromEntries(done.map((v) => [v.name, v]));
    assert.is(byName.stable!.phase, 'Successful', byName.stable!.message);
    // p99: every stable request in the bucket (2.5, 5] ms, interpolated as histogram_quantile: 2.5 + 2.5 × 29.7/30
    assert.equal((byName.stable!.metrics as MetricResultView[]).map((m) => m.measurements[0]!.value), ['0', '4.975', '0.1']);
    assert.is(byName.canary!.phase, 'Failed');
    assert.match(byName.canary!.message!, /errors: failed \(1\) > failureLimit \(0\); last Failed 0.5 \(result < 0.05\)/);
    assert.is(byName.judge!.phase, 'Failed');
    const report = (byName.judge!.metrics as MetricResultView[])[0]!.lastResult as JudgeReport;
    assert.is(report.verdict, 'Fail');
    assert.is(report.latency!.verdict, 'Fail');
    assert.is(report.latency!.cliffsDelta, 1); // every canary request slower than every stable one
    assert.is(report.errors!.verdict, 'Fail');
    // 15 errors of 60 requests, 30 per version: 7.5 expected per side (>= 5), so the z-test
    assert.is(report.errors!.method, 'z');
    assert.ok(report.errors!.pGreater < 1e-4);
    assert.is(report.baseline.requests, 30);
    assert.is(report.canary.errors, 15);
    // each measurement is a line in the log store
    const lines = obs.logs({ kind: 'log', q: 'analysis judge' });
    assert.is(lines.total, 1);
    assert.is(lines.items[0]!.level, 40);
  } finally {
    await k.stop();
  }
});

it.run();
