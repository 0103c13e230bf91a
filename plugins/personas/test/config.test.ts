// Config: personas that name an unknown industry, type or id, or repeat a key, stop startup
// with one US_CONFIG_INVALID naming every problem with its path; schema errors (a bad
// prefix, a bad key) are the kernel's, with their paths too; defaults need no config.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createTestKernel } from '@understudy/plugin-sdk/testing';
import personas from '../src/index.js';
import { fakeIndustryPlugin } from './fake-industry.js';

const config = suite('config');

const boot = (cfg: Record<string, unknown>) => createTestKernel({ plugins: [fakeIndustryPlugin(), personas], config: { personas: { storage: ':memory:', ...cfg } } });

config('every persona problem at once, each with its path', async () => {
  try {
    await boot({
      personas: [
        { key: 'ok', industry: 'finance', type: 'customers', id: 1 },
        { key: 'ok', industry: 'finance', type: 'customers', id: 2 },
        { key: 'a', industry: 'finanse', type: 'customers', id: 1 },
        { key: 'b', industry: 'finance', type: 'custmers', id: 1 },
        { key: 'c', industry: 'finance', type: 'customers', id: 'cus_000099' },
      ],
    });
    assert.unreachable('started');
  } catch (err: any) {
    const text = err.message;
    assert.match(text, 'plugins.personas.personas[1].key: "ok" is also the key of an earlier persona');
    assert.match(text, 'plugins.personas.personas[2].industry: unknown industry "finanse" (did you mean "finance"?)');
    assert.match(text, 'plugins.personas.personas[3].type: Industry "finance" has no entity type "custmers"');
    assert.match(text, 'plugins.personas.personas[4].id: "cus_000099" is not an id of finance/customers (ids run from 1 to 30)');
  }
});

config('schema problems are reported with their paths', async () => {
  try {
    await boot({ prefix: 'api/', personas: [{ key: 'bad key', industry: 'finance', type: 'customers', id: 1, extra: true }], sessions: { max: 0 } });
    assert.unreachable('started');
  } catch (err: any) {
    assert.is(err.code, 'US_CONFIG_INVALID');
    for (const path of ['plugins.personas.prefix', 'plugins.personas.personas.0.key', 'plugins.personas.sessions.max']) assert.match(err.message.replaceAll('/', '.').replace(/\[(\d+)\]/g, '.$1'), path);
  }
});

config('defaults: no config at all starts (sessions in .understudy/demo.db would need a folder; memory here)', async () => {
  const k = await boot({});
  try {
    assert.equal(k.resolve('sessions').list(), []);
    const res = await fetch(`${k.baseUrl}/finance/personas`);
    assert.equal(await res.json(), { items: [], total: 0 });
  } finally {
    await k.stop();
  }
});

config.run();
