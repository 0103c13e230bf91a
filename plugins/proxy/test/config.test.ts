// Invalid config stops startup with every path named: no target, bad URLs, duplicate names
// and prefixes, unknown keys and bad modes (TypeBox); the shorthand and the list combine.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fakeLearner, startProxy } from './helpers.js';

async function startupError(config: Record<string, unknown>): Promise<string> {
  try {
    const k = await startProxy(config, fakeLearner().learner);
    await k.stop();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected a startup error');
}

test('no target at all names plugins.proxy.target', async () => {
  assert.match(await startupError({}), 'plugins.proxy.target: is required');
});

test('bad values are reported with their paths, all at once', async () => {
  const message = await startupError({
    target: 'http://a.example',
    targets: [
      { name: 'x', prefix: '/', url: 'http://b.example' },
      { name: 'x', prefix: '/api', url: 'http://c.example' },
      { name: 'y', prefix: '/api/', url: 'http://d.example' },
      { name: 'default', prefix: '/z', url: 'http://[bad' },
    ],
  });
  for (const part of [
    'plugins.proxy.targets[0].prefix: "/" is already routed to target',
    'plugins.proxy.targets[1].name: "x" is also the name of targets[0]',
    'plugins.proxy.targets[2].prefix: "/api/" is already routed to targets[1]',
    'plugins.proxy.targets[3].url: must be a valid http(s) URL',
    'the name "default" belongs to the target shorthand',
  ]) assert.match(message, part);
});

test('schema errors: a bad mode, a non-http URL, an unknown key', async () => {
  const message = await startupError({ target: 'ftp://x', mode: 'mock', colour: 'blue' });
  assert.match(message, 'plugins.proxy');
  assert.match(message, /mode/);
  assert.match(message, /target/);
});

test.run();
