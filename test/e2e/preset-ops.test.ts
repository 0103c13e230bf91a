// End to end: the ops preset starts its 1,000-instance world Ready, and a killed instance is
// replaced and the incident resolved, on the virtual clock over real sockets.
import { createTestKernel, fetchJson } from '@understudy/plugin-sdk/testing';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

test('the ops preset starts ~1,000 instances Ready and heals a killed one', async () => {
  const k = await createTestKernel({ presets: ['ops'] });
  try {
    for (let i = 0; i < 10; i++) await k.clock.advance(1000);
    const ready = (await fetchJson(`${k.baseUrl}/__admin/cluster/instances?state=Ready&limit=1`)).body as { total: number };
    assert.is(ready.total, 1000);
    const kill = await fetchJson(`${k.baseUrl}/__admin/cluster/instances/data-1-1/kill`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.ok(kill.status < 300, JSON.stringify(kill.body));
    for (let i = 0; i < 120; i++) await k.clock.advance(1000);
    const after = (await fetchJson(`${k.baseUrl}/__admin/cluster/instances?state=Ready&workload=data-1&limit=1`)).body as { total: number };
    assert.is(after.total, 20);
    const open = (await fetchJson(`${k.baseUrl}/__admin/health/incidents?status=open`)).body as { incidents: unknown[] };
    assert.equal(open.incidents, [], JSON.stringify(open).slice(0, 900));
  } finally {
    await k.stop();
  }
});

test.run();
