// Config: scripts from files relative to the config file's folder and inline; every problem
// of every script stops startup with its full path (and file line); entities looked up at
// start when a sessions service is loaded; autostart.
import { mkdtempSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { harness, SMALL } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'scenarios-config-'));
copyFileSync(new URL('../examples/bank.yaml', import.meta.url), join(dir, 'bank.yaml'));
writeFileSync(join(dir, 'broken.yaml'), 'name: broken\nsteps:\n  - id: a\n    after: nowhere\n');

/** The startup error (the kernel wraps a plugin's in US_PLUGIN_FAILED; `code` is the plugin's own). */
async function startupError(options: Parameters<typeof harness>[0]): Promise<{ code: string; message: string }> {
  try {
    const h = await harness(options);
    await h.kernel.stop();
  } catch (err) {
    const e = err as { code: string; message: string; cause?: { code: string } };
    return { code: e.cause?.code ?? e.code, message: e.message };
  }
  throw new Error('startup did not fail');
}

test('a script file relative to the config folder and an inline script load at start; autostart runs one', async () => {
  const h = await harness({ cwd: dir, config: { scripts: ['./bank.yaml', SMALL], autostart: ['small'] } });
  try {
    const s = h.kernel.resolve('scenarios');
    assert.equal(s.list().map((x) => [x.name, x.source]), [
      ['bank-overdraft', './bank.yaml'],
      ['small', 'config'],
    ]);
    assert.is(s.allRuns()[0]!.state, 'running');
    assert.is(h.sessions!.get('default', 'finance', 'accounts', '1')!.status, 'frozen');
  } finally {
    await h.kernel.stop();
  }
});

test('every problem of every script stops startup, each with its path (and line in its file)', async () => {
  const err = await startupError({
    cwd: dir,
    config: { scripts: ['./missing.yaml', './broken.yaml', { name: 'inline', steps: [{ id: 'x', at: 'soon' }] }, SMALL, SMALL], autostart: ['ghost'] },
  });
  assert.is(err.code, 'US_CONFIG_INVALID');
  assert.match(err.message, 'plugins.scenarios.scripts[0]: Cannot read scenario script ./missing.yaml: no such file');
  assert.match(err.message, 'plugins.scenarios.scripts[1] (./broken.yaml).steps[0].after (line 4:12): no step with id "nowhere"');
  assert.match(err.message, 'plugins.scenarios.scripts[2].steps[0].at: "soon" is not a duration');
  assert.match(err.message, 'plugins.scenarios.scripts[4].name: "small" is also the name of scripts[3]');
  assert.match(err.message, 'plugins.scenarios.autostart: no script named "ghost"');
});

test('entities are looked up at start: an unknown one stops startup with its path', async () => {
  const err = await startupError({ config: { scripts: [{ name: 'e', steps: [{ at: 0, set: { entity: 'finance/accounts/404', changes: { a: 1 } } }] }] } });
  assert.is(err.code, 'US_CONFIG_INVALID');
  assert.match(err.message, 'plugins.scenarios.scripts[0].steps[0].set.entity: no entity "finance/accounts/404" in session "default"');
});

test('config values are checked by the kernel with their paths', async () => {
  const err = await startupError({ config: { speed: 1000, maxClients: 0 } });
  assert.match(err.message, 'plugins.scenarios.speed');
  assert.match(err.message, 'plugins.scenarios.maxClients');
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
