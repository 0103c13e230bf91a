import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { definePlugin, Stage, type Exchange } from '@understudy/plugin-sdk';
import type { MeshInstance } from '../src/index.js';
import { call, start, svc } from './helpers.js';

const select = suite('mesh: the selectInstance hooks');

interface Asked {
  service?: string;
  endpoint?: string;
  caller?: string;
  candidates: string[];
}

/** A plugin that taps mesh.selectInstance with `decide` and records what it was asked. */
function picker(decide: (candidates: readonly MeshInstance[], ex: Exchange) => readonly MeshInstance[]) {
  const asked: Asked[] = [];
  const plugin = definePlugin({
    name: 'picker',
    dependencies: ['mesh'],
    register(ctx) {
      ctx.pluginHooks('mesh').selectInstance.tap('picker', (candidates, ex) => {
        asked.push({ service: ex.service, endpoint: ex.endpoint, caller: ex.context.caller, candidates: candidates.map((c) => c.id) });
        return decide(candidates, ex);
      });
    },
  });
  return { plugin, asked };
}

const three = { x: svc({ body: '{{instance}}' }, { instances: 3 }), one: svc({ body: '{{instance}}' }), front: svc({ calls: [{ service: 'x', endpoint: 'go' }] }) };

async function instancesServed(k: { baseUrl: string }, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push((await call(`${k.baseUrl}/x/`)).text);
  return out;
}

select('a veto removes an instance; mesh round-robins over the rest', async () => {
  const p = picker((candidates) => candidates.filter((c) => c.id !== 'x-2'));
  const k = await start({ services: three }, { extra: [p.plugin] });
  try {
    assert.equal(await instancesServed(k, 4), ['x-1', 'x-3', 'x-1', 'x-3']);
    assert.equal(p.asked[0], { service: 'x', endpoint: 'go', caller: undefined, candidates: ['x-1', 'x-2', 'x-3'] });
    // child calls ask too, with their caller
    assert.is((await call(`${k.baseUrl}/front/`)).status, 200);
    assert.equal(p.asked.at(-1), { service: 'x', endpoint: 'go', caller: 'front', candidates: ['x-1', 'x-2', 'x-3'] });
  } finally {
    await k.stop();
  }
});

select('a single candidate is a choice; an empty answer vetoes nothing', async () => {
  const chooser = picker((candidates) => [candidates[2]]);
  const k = await start({ services: three }, { extra: [chooser.plugin] });
  try {
    assert.equal(await instancesServed(k, 3), ['x-3', 'x-3', 'x-3']);
  } finally {
    await k.stop();
  }
  const vetoAll = picker(() => []);
  const k2 = await start({ services: three }, { extra: [vetoAll.plugin] });
  try {
    assert.equal(await instancesServed(k2, 3), ['x-1', 'x-2', 'x-3']);
  } finally {
    await k2.stop();
  }
});

select('not asked when there is no choice: one instance, or one pinned by an earlier tap', async () => {
  const p = picker((candidates) => candidates.slice(1));
  const pin = definePlugin({
    name: 'pin',
    register(ctx) {
      ctx.hooks.exchange.tap({ name: 'pin', stage: Stage.BeforeRoute }, (ex) => {
        if (ex.request.headers['x-pin'] === 'yes') ex.context.tags.instance = 'x-1';
        return ex;
      });
    },
  });
  const k = await start({ services: three }, { extra: [p.plugin, pin] });
  try {
    assert.is((await call(`${k.baseUrl}/one/`)).text, 'one-1');
    assert.is((await call(`${k.baseUrl}/x/`, { headers: { 'x-pin': 'yes' } })).text, 'x-1');
    assert.equal(p.asked, []);
    assert.is((await call(`${k.baseUrl}/x/`)).text, 'x-2');
    assert.is(p.asked.length, 1);
  } finally {
    await k.stop();
  }
});

select.run();
