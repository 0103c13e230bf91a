import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { waitFor } from '@understudy/plugin-sdk/testing';
import { jobDone, startFleet } from './helpers.js';

const bulk = suite('large provisioning runs as a job');

bulk('520 real MQTT devices: 202 with a job, progress, every device connected; bulk decommission', async () => {
  const kit = await startFleet({ connectConcurrency: 50 });
  try {
    const accepted = await kit.call('/devices', { method: 'POST', json: { templates: [{ type: 'meter', count: 500 }, { type: 'meter', count: 20, metadata: { batch: 2 } }] } });
    assert.is(accepted.status, 202);
    const { job } = accepted.body;
    assert.equal({ action: job.action, total: job.total, state: job.state }, { action: 'provision', total: 520, state: 'running' });
    assert.is(job.ids.length, 520);
    assert.is(job.ids[0], 'meter-0001');
    assert.is(job.ids[519], 'meter-0520');
    // the ids are taken while the job runs: a second request numbers after them
    const meanwhile = await kit.call('/devices', { method: 'POST', json: { type: 'meter', count: 1 } });
    assert.is(meanwhile.status, 201);
    assert.is(meanwhile.body.devices[0].id, 'meter-0521');

    const finished = await jobDone(kit, job.id);
    assert.equal({ state: finished.state, done: finished.done, failed: finished.failed }, { state: 'completed', done: 520, failed: 0 });
    assert.is(kit.k.eventsOf('device.provisioned').length, 521);
    await waitFor(() => kit.fleet.stats().connected === 521, '521 devices connected', 30_000);
    assert.is(kit.k.resolve('broker').clients().length, 521);

    const decommission = await kit.call('/bulk', { method: 'POST', json: { action: 'decommission', filter: { metadata: { batch: 2 } } } });
    const done = await jobDone(kit, decommission.body.job.id);
    assert.equal({ state: done.state, total: done.total, done: done.done }, { state: 'completed', total: 20, done: 20 });
    assert.is(kit.fleet.stats().byState.decommissioned, 20);
    assert.is(kit.k.resolve('broker').clients().length, 501);
  } finally {
    await kit.stop();
  }
});

bulk('a job cut short by stop reports failed; more than 1000 ids are not listed', async () => {
  const kit = await startFleet({ autoConnect: false });
  try {
    const job = kit.fleet.provisionJob([{ type: 'x', count: 1200, connection: 'external' }]);
    assert.is(job.view.ids, undefined);
    await kit.fleet.stop(); // before the first chunk: the job yields first
    await waitFor(() => job.view.state !== 'running', 'job ended');
    assert.is(job.view.state, 'failed');
    assert.match(job.view.errors[0].message, /stopped/);
    assert.is(kit.fleet.list().length, 0);
  } finally {
    await kit.stop();
  }
});

bulk.run();
