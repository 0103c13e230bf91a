import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { orderByDependencies } from '../src/index.js';
import { errorOf } from './support.js';

const names = (nodes: { name: string }[]) => nodes.map((n) => n.name);

test('keeps the given order when there are no dependencies', () => {
  assert.equal(names(orderByDependencies([{ name: 'a' }, { name: 'b' }, { name: 'c' }])), ['a', 'b', 'c']);
});

test('puts dependencies first, transitively', () => {
  const ordered = orderByDependencies([
    { name: 'tracing', dependencies: ['mesh'] },
    { name: 'mesh', dependencies: ['discovery'] },
    { name: 'discovery' },
  ]);
  assert.equal(names(ordered), ['discovery', 'mesh', 'tracing']);
});

test('optional dependencies order when present and are skipped when absent', () => {
  const ordered = orderByDependencies([
    { name: 'mesh', optionalDependencies: ['discovery', 'absent'] },
    { name: 'discovery' },
  ]);
  assert.equal(names(ordered), ['discovery', 'mesh']);
});

test('reports every missing dependency in one error', async () => {
  const err = await errorOf(() =>
    orderByDependencies([
      { name: 'breaker', dependencies: ['mesh'] },
      { name: 'chaos', dependencies: ['mesh', 'tracing'] },
    ]),
  );
  assert.is(err.code, 'US_PLUGIN_MISSING_DEPENDENCIES');
  assert.match(err.message, '"breaker" needs "mesh"');
  assert.match(err.message, '"chaos" needs "mesh"');
  assert.match(err.message, '"chaos" needs "tracing"');
});

test('reports a cycle with its full path', async () => {
  const err = await errorOf(() =>
    orderByDependencies([
      { name: 'a', dependencies: ['b'] },
      { name: 'b', dependencies: ['c'] },
      { name: 'c', dependencies: ['a'] },
    ]),
  );
  assert.is(err.code, 'US_PLUGIN_CYCLE');
  assert.match(err.message, 'a → b → c → a');
});

test('a plugin depending on itself is a cycle', async () => {
  const err = await errorOf(() => orderByDependencies([{ name: 'x', dependencies: ['x'] }]));
  assert.match(err.message, 'x → x');
});

test.run();
