// Config: invalid settings stop startup with every path named; scope by path prefix
// (whole segments, exclusions, /__admin never); the admin routes.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createTestKernel } from '@understudy/plugin-sdk/testing';
import formatter from '../src/index.js';
import { createScope } from '../src/scope.js';
import { get, start } from './helpers.js';

const it = suite('formatter: config and scope');

async function startupError(config: Record<string, unknown>): Promise<string> {
  try {
    const k = await createTestKernel({ plugins: [formatter], config: { formatter: config } });
    await k.stop();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('started with an invalid config');
}

it('invalid settings stop startup, each with its path', async () => {
  const message = await startupError({ indent: 0, paths: ['finance'], money: { fields: ['cents'] }, typo: 1 });
  for (const path of ['plugins.formatter.indent: must be >= 1', 'plugins.formatter.paths[0]: must match pattern', 'plugins.formatter.money.fields[0]: must be one of', 'unknown property "typo"']) assert.match(message, path);
  const locale = await startupError({ money: { locale: 'not a locale!' } });
  assert.match(locale, 'plugins.formatter.money.locale: "not a locale!" is not a BCP 47 locale');
});

it('paths and exclude pick whole segments; /__admin is never shaped', async () => {
  const money = { p: { amount: 100, currency: 'EUR' } };
  const k = await start(
    { '/finance/a': { body: money }, '/financial/a': { body: money }, '/finance/raw/a': { body: money }, '/retail/a': { body: money } },
    { paths: ['/finance/', '/retail'], exclude: ['/finance/raw'] },
  );
  try {
    assert.is((await get(k, '/finance/a')).body.p.amount, '1.00');
    assert.is((await get(k, '/retail/a')).body.p.amount, '1.00');
    assert.is((await get(k, '/financial/a')).body.p.amount, 100);
    assert.is((await get(k, '/finance/raw/a')).body.p.amount, 100);
    const cfg = await get(k, '/__admin/formatter/config');
    assert.equal(cfg.body.paths, ['/finance/', '/retail']);
    assert.is(cfg.body.indent, 2);
    const stats = await get(k, '/__admin/formatter/stats');
    assert.is(stats.body.json, 2);
  } finally {
    await k.stop();
  }
  const inScope = createScope(['/'], []);
  assert.is(inScope('/__admin/x'), false);
  assert.is(inScope('/%5F%5Fadmin/x'), false);
  assert.is(inScope('/%E0%A4%A'), true);
  assert.is(inScope('/__administrator'), true);
});

it.run();
