import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createTestKernel } from '@understudy/plugin-sdk/testing';
import { compileFilter, filterFromQuery } from '../src/filter.js';
import { compileIdPattern, DEFAULT_ID_PATTERN, highestIndex } from '../src/id-pattern.js';
import { identityFor } from '../src/identity.js';
import { Jobs } from '../src/jobs.js';
import { Limiter } from '../src/limiter.js';
import { resolveDeviceType } from '../src/config.js';
import type { Device } from '../src/contract.js';
import { throwsCode } from './helpers.js';

const ids = suite('id patterns');

ids('the default pattern pads to 4 and names the type', () => {
  const p = compileIdPattern(DEFAULT_ID_PATTERN, 'thermostat');
  assert.is(p.format(1), 'thermostat-0001');
  assert.is(p.format(12345), 'thermostat-12345');
  assert.ok(p.numbered);
  assert.is(p.indexOf('thermostat-0042'), 42);
  assert.is(p.indexOf('thermostat-42'), undefined, 'not the canonical padding');
  assert.is(p.indexOf('thermostat-12345'), 12345);
  assert.is(p.indexOf('sensor-0001'), undefined);
});

ids('{n} without width, literal ids, and regex characters in the literal part', () => {
  const p = compileIdPattern('dev.{n}', 'x');
  assert.is(p.format(7), 'dev.7');
  assert.is(p.indexOf('dev.7'), 7);
  assert.is(p.indexOf('devX7'), undefined, 'the dot is literal');
  assert.is(p.indexOf('dev.07'), undefined);
  const literal = compileIdPattern('gateway-main', 'gw');
  assert.not.ok(literal.numbered);
  assert.is(literal.format(1), 'gateway-main');
  assert.is(literal.indexOf('gateway-main'), 0);
  assert.is(compileIdPattern('{n:3}-{type}', 'cam').format(5), '005-cam');
});

ids('highest index among existing ids', () => {
  const p = compileIdPattern('s-{n:2}', 's');
  assert.is(highestIndex(p, ['s-01', 's-07', 'other', 's-100', 's-7']), 100);
  assert.is(highestIndex(p, []), 0);
});

ids('bad patterns are refused with US_FLEET_BAD_PATTERN', () => {
  throwsCode(() => compileIdPattern('x-{m}', 't'), 'US_FLEET_BAD_PATTERN', /unknown placeholder \{m\}/);
  throwsCode(() => compileIdPattern('{n}-{n}', 't'), 'US_FLEET_BAD_PATTERN', /only once/);
  throwsCode(() => compileIdPattern('x-{n', 't'), 'US_FLEET_BAD_PATTERN', /unbalanced/);
  throwsCode(() => compileIdPattern('a/{n}', 't'), 'US_FLEET_BAD_PATTERN', /cannot contain/);
  throwsCode(() => compileIdPattern('{type}', ''), 'US_FLEET_BAD_PATTERN', /empty/);
});

ids.run();


const filters = suite('device filters');

const device = (over: Partial<Device>): Device => ({
  id: 'd-1',
  type: 't',
  serial: 'SN',
  credentials: { username: 'd-1', password: 'p' },
  metadata: {},
  firmware: '1.0.0',
  state: 'provisioned',
  connection: 'mqtt',
  provisionedAt: 0,
  ...over,
});

filters('type, state, ids and metadata (compared as strings)', () => {
  const d = device({ metadata: { floor: 2, zone: 'north', on: true } });
  assert.ok(compileFilter()(d));
  assert.ok(compileFilter({ type: 't', state: 'provisioned', ids: ['d-1'], metadata: { floor: '2', on: 'true' } })(d));
  assert.not.ok(compileFilter({ type: 'u' })(d));
  assert.not.ok(compileFilter({ state: 'active' })(d));
  assert.not.ok(compileFilter({ ids: ['x'] })(d));
  assert.not.ok(compileFilter({ metadata: { floor: 3 } })(d));
  assert.not.ok(compileFilter({ metadata: { missing: 'x' } })(d));
});

filters('list queries become filters; unknown keys and states are 400', () => {
  assert.equal(filterFromQuery({ type: 't', state: 'active', ids: 'a,b,', 'metadata.floor': '2', limit: '5', offset: '0', skipped: undefined }), {
    type: 't',
    state: 'active',
    ids: ['a', 'b'],
    metadata: { floor: '2' },
  });
  throwsCode(() => filterFromQuery({ colour: 'red' }), 'US_FLEET_BAD_FILTER', /"colour"/);
  throwsCode(() => filterFromQuery({ 'metadata.': 'x' }), 'US_FLEET_BAD_FILTER');
  throwsCode(() => filterFromQuery({ state: 'sleeping' }), 'US_FLEET_BAD_FILTER', /sleeping/);
});

filters.run();

const misc = suite('identities, limiter, jobs, device types');

misc('identities are deterministic per seed and id, whatever the order', async () => {
  const k = await createTestKernel({ listen: false });
  try {
    const a = identityFor(k.random.stream('fleet'), 'x-1');
    const b = identityFor(k.random.stream('fleet'), 'x-1');
    const c = identityFor(k.random.stream('fleet'), 'x-2');
    assert.equal(a, b);
    assert.is.not(a.password, c.password);
    assert.match(a.serial, /^SN-[0-9A-F]{10}$/);
    assert.match(a.password, /^[0-9a-f]{32}$/);
  } finally {
    await k.stop();
  }
});

misc('the limiter keeps at most N tasks in flight and runs them all', async () => {
  const limiter = new Limiter(2);
  let active = 0;
  let peak = 0;
  const task = (fail = false) => async () => {
    active++;
    peak = Math.max(peak, active);
    await new Promise((r) => setImmediate(r));
    active--;
    if (fail) throw new Error('boom');
    return 1;
  };
  const runs = Array.from({ length: 2000 }, (_, i) => limiter.run(task(i === 3)));
  assert.is(limiter.pending, 2000);
  const results = await Promise.allSettled(runs);
  assert.is(peak, 2);
  assert.is(results.filter((r) => r.status === 'rejected').length, 1);
  assert.is(limiter.pending, 0);
});

misc('jobs count progress and the oldest finished ones are dropped beyond max', async () => {
  const k = await createTestKernel({ listen: false });
  try {
    const jobs = new Jobs(k.clock, 2);
    const a = jobs.create('connect', 3);
    a.succeeded();
    a.skipped();
    a.fail('nope', 'd-1');
    for (let i = 0; i < 25; i++) a.fail('again');
    a.finish();
    a.finish('failed'); // finished once only
    assert.equal({ ...a.snapshot(), createdAt: 0, finishedAt: 0 }, {
      id: 'job-1',
      action: 'connect',
      state: 'completed',
      total: 3,
      done: 28,
      failed: 26,
      skipped: 1,
      errors: [{ id: 'd-1', message: 'nope' }, ...Array.from({ length: 19 }, () => ({ message: 'again' }))],
      createdAt: 0,
      finishedAt: 0,
    });
    const b = jobs.create('update', 1);
    const c = jobs.create('decommission', 1);
    assert.is(jobs.get('job-1'), undefined, 'oldest finished job dropped');
    assert.is(jobs.running(), 2);
    jobs.create('connect', 1);
    assert.ok(jobs.get('job-2') && jobs.get('job-3'), 'running jobs are never dropped');
    b.abort('stopped');
    assert.is(b.snapshot().state, 'failed');
    assert.equal(b.snapshot().errors, [{ message: 'stopped' }]);
    c.finish();
    assert.is(jobs.get('job-2'), undefined);
  } finally {
    await k.stop();
  }
});

misc('device types get defaults filled in', () => {
  assert.equal(resolveDeviceType(undefined), {
    connection: 'mqtt',
    firmware: '1.0.0',
    metadata: {},
    connectivity: { model: 'always', meanOnlineMs: 600_000, meanOfflineMs: 60_000, unexpectedDropRate: 0.5 },
  });
  assert.equal(resolveDeviceType({ connection: 'inprocess', connectivity: { model: 'intermittent', meanOfflineMs: 5 } }).connectivity, {
    model: 'intermittent',
    meanOnlineMs: 600_000,
    meanOfflineMs: 5,
    unexpectedDropRate: 0.5,
  });
});

misc.run();
