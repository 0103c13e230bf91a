import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { findCycles } from '../src/graph/cycles.js';
import { loopOf } from '../src/loops.js';
import { call, start, svc } from './helpers.js';

const loops = suite('mesh: loops');

const edges = (o: Record<string, string[]>) => new Map(Object.entries(o));

loops('cycles are listed as closed paths, each once', () => {
  assert.equal(findCycles(edges({ a: ['b'], b: ['c'], c: ['a'], d: ['a'] })), [['a', 'b', 'c', 'a']]);
  assert.equal(findCycles(edges({ a: ['a', 'b'], b: [] })), [['a', 'a']]);
  assert.equal(findCycles(edges({ a: ['b'], b: ['a', 'c'], c: ['a'] })), [['a', 'b', 'a'], ['a', 'b', 'c', 'a']]);
  assert.equal(findCycles(edges({ a: ['b'], b: ['c'], c: [] })), []);
  // a dense graph is capped
  const dense: Record<string, string[]> = {};
  const names = Array.from({ length: 8 }, (_, i) => `n${i}`);
  for (const n of names) dense[n] = names;
  assert.is(findCycles(edges(dense), 10).length, 10);
});

loops('loopOf finds the repeating part', () => {
  assert.equal(loopOf(['gw', 'a', 'b', 'a', 'b']), ['a', 'b', 'a']);
  assert.equal(loopOf(['a', 'b']), ['a', 'b']);
});

const cyclic = {
  services: {
    gw: svc({ calls: [{ service: 'a', endpoint: 'go' }] }),
    a: svc({ calls: [{ service: 'b', endpoint: 'go' }] }),
    b: svc({ calls: [{ service: 'c', endpoint: 'go' }] }),
    c: svc({ calls: [{ service: 'a', endpoint: 'go' }] }),
  },
};

loops('GET /graph lists each cycle', async () => {
  const k = await start(cyclic);
  try {
    const graph = await call(`${k.baseUrl}/__admin/mesh/graph`);
    assert.equal(graph.body.cycles, [['a', 'b', 'c', 'a']]);
  } finally {
    await k.stop();
  }
});

loops('a run-time loop answers 508 and emits one mesh.loopDetected per request', async () => {
  const k = await start(cyclic, { maxHops: 8 });
  try {
    const res = await call(`${k.baseUrl}/gw/`);
    assert.is(res.status, 508);
    assert.is(res.body.code, 'US_LOOP_DETECTED');
    assert.is(res.body.failed.service, 'a');
    const events = k.eventsOf('mesh.loopDetected');
    assert.is(events.length, 1);
    const data = events[0].data as { path: string[]; cycle: string[] };
    assert.equal(data.path.slice(0, 5), ['gw', 'a', 'b', 'c', 'a']);
    assert.equal(data.cycle, ['a', 'b', 'c', 'a']);
    assert.is(Math.max(...k.seen.map((s) => s.hops)), 9);
    // a second request is a second report
    assert.is((await call(`${k.baseUrl}/gw/`)).status, 508);
    assert.is(k.eventsOf('mesh.loopDetected').length, 2);
  } finally {
    await k.stop();
  }
});

loops('a loop behind a parallel fan-out still reports once', async () => {
  const k = await start(
    {
      services: {
        gw: svc({ calls: [{ parallel: true, calls: [{ service: 'x', endpoint: 'go' }, { service: 'y', endpoint: 'go' }] }] }),
        x: svc({ calls: [{ service: 'x', endpoint: 'go' }] }),
        y: svc({ calls: [{ service: 'y', endpoint: 'go' }] }),
      },
    },
    { maxHops: 4 },
  );
  try {
    assert.is((await call(`${k.baseUrl}/gw/`)).status, 508);
    assert.is(k.eventsOf('mesh.loopDetected').length, 1);
  } finally {
    await k.stop();
  }
});

loops.run();
