import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { definePlugin } from '@understudy/plugin-sdk';
import { createTestKernel, fetchJson } from '@understudy/plugin-sdk/testing';
import edge from '../src/index.js';
import { publish, startEdge } from './helpers.js';

const it = suite('edge: admin API and config');

const node = (id: string, over: Record<string, unknown> = {}) => ({
  id,
  devices: { idPrefix: `${id}-` },
  pipeline: { windows: [{ kind: 'tumbling', sizeMs: 1000, aggregates: ['count', 'mean'] }], anomaly: { zScore: 2, window: 4 } },
  ...over,
});

it('GET /nodes and /nodes/:id show counters, queue, budget and latency stats', async () => {
  const k = await startEdge({ nodes: [node('a', { budget: { ratePerSecond: 10 } })] });
  const api = (path: string, init?: Parameters<typeof fetchJson>[1]) => fetchJson(`${k.baseUrl}/__admin/edge${path}`, init);
  try {
    await publish(k, 'a-1', 't', [1, 2, 3]);
    await k.advance(200);
    const list = await api('/nodes');
    assert.is(list.status, 200);
    assert.is(list.body.unowned, 0);
    const [a] = list.body.nodes;
    assert.is(a.id, 'a');
    assert.equal(a.budget, { queueLength: 1000, ratePerSecond: 10, overflow: 'drop-newest', sampleEvery: 10 });
    assert.equal(a.queue, { depth: 0, overloaded: false });
    assert.equal(a.latency, { count: 3, p50: 100, p95: 200, p99: 200, max: 200, targetMs: 100, overTarget: 1 });
    assert.equal([a.counters.received, a.counters.processed, a.devicesSeen, a.devices], [3, 3, 1, null]);
    assert.equal(a.spec.budget, a.budget);
    assert.equal(a.spec.pipeline.rules, []);
    assert.equal((await api('/nodes/a')).body, a);
    const missing = await api('/nodes/zzz');
    assert.is(missing.status, 404);
    assert.is(missing.body.code, 'US_EDGE_NODE_NOT_FOUND');
    const openapi = await fetchJson(`${k.baseUrl}/__admin/openapi.json`);
    assert.ok(openapi.body.paths['/__admin/edge/nodes/{id}/budget'].put, 'routes are documented');
  } finally {
    await k.stop();
  }
});

it('POST and DELETE /nodes add and remove nodes at run time: 201, 400 with every problem, 409, 404', async () => {
  const k = await startEdge({});
  const api = (path: string, init?: Parameters<typeof fetchJson>[1]) => fetchJson(`${k.baseUrl}/__admin/edge${path}`, init);
  try {
    const created = await api('/nodes', { method: 'POST', json: node('b') });
    assert.is(created.status, 201);
    assert.is(created.body.id, 'b');
    await publish(k, 'b-1', 't', [5]);
    await k.advance(1000);
    assert.is((await api('/nodes/b')).body.counters.aggregates, 1);

    const dup = await api('/nodes', { method: 'POST', json: node('b') });
    assert.is(dup.status, 409);
    assert.is(dup.body.code, 'US_EDGE_DUPLICATE_NODE');

    const shape = await api('/nodes', { method: 'POST', json: { id: 'c', devices: { ids: ['x'] }, pipeline: { rules: [{ name: 'r', when: { sensor: 't', op: '=>', value: 1 }, command: { name: 'x' } }] } } });
    assert.is(shape.status, 400);
    assert.is(shape.body.code, 'US_EDGE_INVALID_NODE');
    assert.match(shape.body.message, 'pipeline.rules.0.when.op: must be one of: ">", "<", ">=", "<=", "=="');
    const extra = await api('/nodes', { method: 'POST', json: { id: 'c', devices: { ids: ['x'] }, colour: 'red' } });
    assert.is(extra.status, 400);
    assert.match(extra.body.message, 'body: unknown property "colour"');

    const semantic = await api('/nodes', {
      method: 'POST',
      json: {
        id: 'c',
        devices: { type: 'thermostat' },
        pipeline: {
          filters: [{ kind: 'deadband' }, { kind: 'threshold', min: 5, max: 1 }, { kind: 'threshold' }, { kind: 'threshold', max: 1, delta: 2 }, { kind: 'deadband', delta: 1, min: 0 }],
          windows: [
            { kind: 'sliding', sizeMs: 1000, aggregates: ['max'] },
            { kind: 'sliding', sizeMs: 1000, slideMs: 300, aggregates: ['max'] },
            { kind: 'sliding', sizeMs: 100, slideMs: 300, aggregates: ['max'] },
            { kind: 'sliding', sizeMs: 100_000, slideMs: 10, aggregates: ['max'] },
            { kind: 'tumbling', sizeMs: 1000, slideMs: 500, aggregates: ['max'] },
          ],
          rules: [
            { name: 'r', when: { sensor: 't', op: '>', value: 1, aggregate: 'mean' }, command: { name: 'x', target: 'nobody' } },
            { name: 'r', when: { anomaly: true, op: '>' }, command: { name: 'x', target: { deviceId: '' } } },
            { name: 's', when: { sensor: 't' }, command: { name: 'x', target: { selector: { type: 1, ids: [2], metadata: { a: {} }, colour: 'red' } } } },
            { name: 't', when: { sensor: 't', op: '<', value: 0 }, command: { name: 'x', target: { deviceId: 'a', selector: {} } } },
          ],
        },
      },
    });
    assert.is(semantic.status, 400);
    assert.is(semantic.body.code, 'US_EDGE_INVALID_NODE');
    const lines = semantic.body.message.split('\n').slice(1);
    assert.equal(lines, [
      'devices: type and metadata groups need the fleet plugin; load it, or group devices by ids / idPrefix',
      'pipeline.filters[0].delta: a deadband needs delta (the smallest change that passes)',
      'pipeline.filters[1]: min (5) is above max (1)',
      'pipeline.filters[2]: a threshold needs min, max or both',
      'pipeline.filters[3].delta: only deadband filters take a delta',
      'pipeline.filters[4]: only threshold filters take min and max',
      'pipeline.windows[0].slideMs: a sliding window needs slideMs (how often one is emitted)',
      'pipeline.windows[1].sizeMs: 1000 must be a multiple of slideMs 300',
      'pipeline.windows[2].slideMs: 300 is larger than sizeMs 100',
      'pipeline.windows[3]: sizeMs / slideMs must be at most 1000; slide further',
      'pipeline.windows[4].slideMs: tumbling windows do not slide; use kind "sliding" or drop slideMs',
      'pipeline.rules[0].when.aggregate: no window of this node computes "mean"; add it to a window\'s aggregates',
      'pipeline.rules[0].command.target: must be "source" or an object; use "source", { "deviceId": "…" } or { "selector": { "type"?, "ids"?, "metadata"? } }',
      'pipeline.rules[1].name: "r" is used by another rule of this node',
      'pipeline.rules[1].when.op: an anomaly rule takes only "anomaly" and "sensor"',
      'pipeline.rules[1].when.anomaly: the node has no pipeline.anomaly, so no anomaly can fire this rule',
      'pipeline.rules[1].command.target.deviceId: must be a non-empty string',
      'pipeline.rules[2].when.op: missing (a rule is { sensor, op, value, aggregate? } or { anomaly: true, sensor? })',
      'pipeline.rules[2].when.value: missing (a rule is { sensor, op, value, aggregate? } or { anomaly: true, sensor? })',
      'pipeline.rules[2].command.target.selector: unknown property "colour"; use "source", { "deviceId": "…" } or { "selector": { "type"?, "ids"?, "metadata"? } }',
      'pipeline.rules[2].command.target.selector.type: must be a string',
      'pipeline.rules[2].command.target.selector.ids: must be an array of strings',
      'pipeline.rules[2].command.target.selector.metadata: must map keys to strings, numbers or booleans',
      'pipeline.rules[3].command.target: use "source", { "deviceId": "…" } or { "selector": { "type"?, "ids"?, "metadata"? } }',
    ]);
    const empty = await api('/nodes', { method: 'POST', json: { id: 'c', devices: {}, pipeline: { anomaly: { zScore: 3, window: 5, minSamples: 6 } } } });
    assert.equal(empty.body.message.split('\n').slice(1), [
      'devices: give ids, idPrefix, type or metadata (the devices this node owns)',
      'pipeline.anomaly.minSamples: 6 is more than the window (5 readings)',
    ]);
    const noIds = await api('/nodes', { method: 'POST', json: { id: 'c', devices: { ids: [] } } });
    assert.match(noIds.body.message, 'devices.ids: is empty, so the node would own no device');
    assert.is((await api('/nodes')).body.nodes.length, 1, 'nothing was added');

    const removed = await api('/nodes/b', { method: 'DELETE' });
    assert.is(removed.status, 200);
    assert.is(removed.body.counters.received, 1);
    await publish(k, 'b-1', 't', [5]);
    assert.equal((await api('/nodes')).body, { nodes: [], unowned: 1 });
    const gone = await api('/nodes/b', { method: 'DELETE' });
    assert.is(gone.status, 404);
    assert.is(gone.body.code, 'US_EDGE_NODE_NOT_FOUND');
  } finally {
    await k.stop();
  }
});

it('PUT /nodes/:id/budget changes the budget live; a smaller queue drops by the policy and starts an episode', async () => {
  const k = await startEdge({ nodes: [node('q', { budget: { ratePerSecond: 1 } })] });
  const api = (path: string, init?: Parameters<typeof fetchJson>[1]) => fetchJson(`${k.baseUrl}/__admin/edge${path}`, init);
  try {
    await publish(k, 'q-1', 't', Array.from({ length: 9 }, (_, i) => i));
    assert.is((await api('/nodes/q')).body.queue.depth, 8);
    const shrunk = await api('/nodes/q/budget', { method: 'PUT', json: { queueLength: 4, overflow: 'drop-oldest' } });
    assert.is(shrunk.status, 200);
    assert.equal(shrunk.body, { node: 'q', budget: { queueLength: 4, ratePerSecond: 1, overflow: 'drop-oldest', sampleEvery: 10 } });
    let view = (await api('/nodes/q')).body;
    assert.equal([view.queue.depth, view.counters.dropped, view.queue.overloaded], [4, 4, true]);
    assert.is(k.eventsOf('edge.budgetExceeded').length, 1);
    const faster = await api('/nodes/q/budget', { method: 'PUT', json: { ratePerSecond: 1000 } });
    assert.is(faster.body.budget.ratePerSecond, 1000);
    await k.advance(100);
    view = (await api('/nodes/q')).body;
    assert.equal([view.queue.depth, view.counters.processed, view.queue.overloaded], [0, 5, false]);
    assert.equal(view.spec.budget, view.budget);

    const bad = await api('/nodes/q/budget', { method: 'PUT', json: { queueLength: 0, overflow: 'panic' } });
    assert.is(bad.status, 400);
    assert.is(bad.body.code, 'US_EDGE_INVALID_BUDGET');
    const missing = await api('/nodes/nope/budget', { method: 'PUT', json: {} });
    assert.is(missing.status, 404);
    const empty = await api('/nodes/q/budget', { method: 'PUT' });
    assert.is(empty.status, 400);
    assert.is(empty.body.code, 'US_EDGE_INVALID_BUDGET');
    assert.match(empty.body.message, 'body: must be object');
  } finally {
    await k.stop();
  }
});

it('edits are whole or nothing: a budget or node with one bad field among good ones changes nothing, and says which', async () => {
  const k = await startEdge({ nodes: [node('q', { budget: { ratePerSecond: 1, queueLength: 20 } })] });
  const api = (path: string, init?: Parameters<typeof fetchJson>[1]) => fetchJson(`${k.baseUrl}/__admin/edge${path}`, init);
  try {
    await publish(k, 'q-1', 't', [1, 2, 3, 4, 5, 6]);
    const before = (await api('/nodes')).body;
    const events = () => ['edge.budgetExceeded', 'edge.budgetRecovered'].map((t) => k.eventsOf(t as 'edge.budgetExceeded').length);
    const eventsBefore = events();

    const budgets = [
      { queueLength: 2, ratePerSecond: 0 },
      { queueLength: 2, overflow: 'sample', sampleEvery: 0 },
      { queueLength: 2, ratePerSecond: 5, colour: 'red' },
      { queueLength: 2_000_000 },
    ];
    for (const json of budgets) {
      const res = await api('/nodes/q/budget', { method: 'PUT', json });
      assert.equal([res.status, res.body.code], [400, 'US_EDGE_INVALID_BUDGET'], JSON.stringify(json));
    }
    const named = await api('/nodes/q/budget', { method: 'PUT', json: { queueLength: 2, ratePerSecond: 0 } });
    assert.match(named.body.message, 'ratePerSecond');

    // a node whose third rule is bad, and one whose id is taken: neither is added, the old one is untouched
    const rules = [
      { name: 'a', when: { sensor: 't', op: '>', value: 1, aggregate: 'mean' }, command: { name: 'x' } },
      { name: 'b', when: { sensor: 't', op: '<', value: 0 }, command: { name: 'y' } },
      { name: 'c', when: { sensor: 't', op: '>', value: 1, aggregate: 'max' }, command: { name: 'z' } },
    ];
    const badRule = await api('/nodes', { method: 'POST', json: { ...node('n'), pipeline: { ...node('n').pipeline, rules } } });
    assert.equal([badRule.status, badRule.body.code], [400, 'US_EDGE_INVALID_NODE']);
    assert.match(badRule.body.message, 'pipeline.rules[2].when.aggregate');
    const taken = await api('/nodes', { method: 'POST', json: node('q', { budget: { queueLength: 1 } }) });
    assert.equal([taken.status, taken.body.code], [409, 'US_EDGE_DUPLICATE_NODE']);

    assert.equal((await api('/nodes')).body, before, 'budget, queue, counters and spec as they were');
    assert.equal(events(), eventsBefore);
  } finally {
    await k.stop();
  }
});

it('GET aggregates (by sensor, limited) and alerts (limited) from bounded histories', async () => {
  const k = await startEdge({ nodes: [node('h')], history: { aggregates: 3, alerts: 2 } });
  const api = (path: string) => fetchJson(`${k.baseUrl}/__admin/edge${path}`);
  try {
    for (let s = 0; s < 3; s++) {
      await publish(k, 'h-1', 't', [s]);
      await publish(k, 'h-1', 'u', [s]);
      await k.advance(1000);
    }
    const all = (await api('/nodes/h/aggregates')).body.aggregates;
    assert.is(all.length, 3, 'bounded history');
    assert.equal(all.map((a: { sensor: string; mean: number }) => [a.sensor, a.mean]), [['u', 1], ['t', 2], ['u', 2]]);
    assert.equal((await api('/nodes/h/aggregates?sensor=t')).body.aggregates.map((a: { mean: number }) => a.mean), [2]);
    assert.is((await api('/nodes/h/aggregates?limit=1')).body.aggregates.length, 1);
    const badLimit = await api('/nodes/h/aggregates?limit=0');
    assert.is(badLimit.status, 400);
    assert.is(badLimit.body.code, 'US_EDGE_BAD_QUERY');
    assert.is((await api('/nodes/nope/aggregates')).status, 404);
    const unknown = await api('/nodes/h/alerts?colour=red');
    assert.equal([unknown.status, unknown.body.code], [400, 'US_EDGE_BAD_QUERY']);

    await publish(k, 'h-1', 't', [10, 11, 10, 11, 50, -50, 90]);
    const alerts = (await api('/nodes/h/alerts')).body.alerts;
    assert.is(alerts.length, 2);
    assert.equal(alerts.map((a: { value: number }) => a.value), [-50, 90]);
    assert.is((await api('/nodes/h/alerts?limit=1')).body.alerts[0].value, 90);
    assert.is((await api('/nodes/h')).body.counters.alerts, 3);
    assert.is((await api('/nodes/nope/alerts')).status, 404);
  } finally {
    await k.stop();
  }
});

// A stand-in broker: a kernel that fails in register does not stop the plugins registered
// before it, and a real broker would keep this process alive.
const fakeMqtt = definePlugin({ name: 'mqtt', provides: ['broker'], register: (ctx) => ctx.provide('broker', {} as never) });

it('config: every problem of every node with its path, before anything starts', async () => {
  const err = await createTestKernel({
    plugins: [fakeMqtt, edge],
    config: {
      edge: { nodes: [node('x'), { ...node('x'), devices: { metadata: { site: 'a' } } }, { id: 'y', devices: { ids: ['a'] }, pipeline: { filters: [{ kind: 'deadband' }] } }] },
    },
  }).then(
    () => undefined,
    (e: Error) => e,
  );
  assert.ok(err, 'refused');
  assert.match(err!.message, 'plugins.edge.nodes[1].id: "x" is used by another node');
  assert.match(err!.message, 'plugins.edge.nodes[1].devices: type and metadata groups need the fleet plugin');
  assert.match(err!.message, 'plugins.edge.nodes[2].pipeline.filters[0].delta: a deadband needs delta');

  const schema = await createTestKernel({
    plugins: [fakeMqtt, edge],
    config: { edge: { nodes: [{ id: 'a/b', devices: { ids: ['a'] }, budget: { overflow: 'panic' } }] } },
  }).then(
    () => undefined,
    (e: Error) => e,
  );
  assert.match(schema!.message, 'plugins.edge.nodes[0].id: must match pattern');
  assert.match(schema!.message, 'plugins.edge.nodes[0].budget.overflow: must be one of: "drop-newest", "drop-oldest", "sample"');
});

it.run();
