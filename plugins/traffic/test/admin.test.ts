// The admin API over real HTTP: list, add, change, delete, start and stop patterns, rates
// at a time and per service, events; bad input is a 4xx with a stable code and nothing
// changes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assertRefused } from '@understudy/plugin-sdk/testing';
import { admin, start, START } from './helpers.js';

const CONST = { service: 'gateway', mix: { home: 1 }, shape: { kind: 'constant', rps: 10 } };

test('add, list, get, change, stop, start and delete a pattern; events for each', async () => {
  const k = await start();
  try {
    const added = await admin(k, '/patterns', { method: 'POST', json: { id: 'web', ...CONST } });
    assert.is(added.status, 201);
    assert.is(added.body.id, 'web');
    assert.is(added.body.running, true);
    assert.is(added.body.rps, 10);
    assert.is(added.body.startedAt, START);

    const overview = await admin(k, '/?top=2');
    assert.is(overview.status, 200);
    assert.is(overview.body.running, 1);
    assert.is(overview.body.rates.total, 70);
    assert.equal(overview.body.rates.top, [{ service: 'api', rps: 20 }, { service: 'cache', rps: 20 }]);

    const changed = await admin(k, '/patterns/web', { method: 'PATCH', json: { scale: 3 } });
    assert.is(changed.status, 200);
    assert.is(changed.body.rps, 30);
    assert.is(changed.body.spec.scale, 3);
    const unscaled = await admin(k, '/patterns/web', { method: 'PATCH', json: { scale: null } });
    assert.is(unscaled.body.spec.scale, undefined);

    await k.clock.advance(5000);
    const stopped = await admin(k, '/patterns/web/stop', { method: 'POST' });
    assert.is(stopped.body.running, false);
    assert.is(stopped.body.rps, 0);
    assert.equal((await admin(k, '/rates')).body.services, {});
    const restarted = await admin(k, '/patterns/web/start', { method: 'POST' });
    assert.is(restarted.body.startedAt, START + 5000);

    assert.is((await admin(k, '/stop', { method: 'POST' })).body.patterns[0].running, false);
    assert.is((await admin(k, '/start', { method: 'POST' })).body.patterns[0].running, true);
    assert.is((await admin(k, '/patterns/web')).body.running, true);

    const removed = await admin(k, '/patterns/web', { method: 'DELETE' });
    assert.equal(removed.body, { removed: 'web' });
    assert.equal((await admin(k, '/patterns')).body.patterns, []);

    const types = k.captured.filter((e) => e.type.startsWith('traffic.')).map((e) => e.type);
    assert.equal(types, [
      'traffic.changed', 'traffic.started', 'traffic.changed', 'traffic.changed', 'traffic.stopped', 'traffic.started',
      'traffic.stopped', 'traffic.started', 'traffic.stopped', 'traffic.changed',
    ]);
    assert.equal(k.eventsOf('traffic.started')[0]!.data, { id: 'web', service: 'gateway', kind: 'constant', source: 'api' });
  } finally {
    await k.stop();
  }
});

test('start: false adds a stopped pattern; ids are generated when not given', async () => {
  const k = await start();
  try {
    const a = await admin(k, '/patterns', { method: 'POST', json: { ...CONST, start: false } });
    assert.is(a.body.id, 'pattern-1');
    assert.is(a.body.running, false);
    // a refused pattern does not use up an id
    assert.is((await admin(k, '/patterns', { method: 'POST', json: { ...CONST, service: 'nowhere' } })).status, 400);
    assert.is((await admin(k, '/patterns', { method: 'POST', json: CONST })).body.id, 'pattern-2');
  } finally {
    await k.stop();
  }
});

test('rates at a time (ms or ISO) and for one service', async () => {
  const k = await start({ patterns: { s: { service: 'gateway', mix: { home: 1 }, shape: { kind: 'step', rps: 10, factor: 3, atSeconds: 60 } } } });
  try {
    const early = await admin(k, `/rates?at=${START + 1000}`);
    assert.equal(early.body, {
      at: START + 1000,
      services: { gateway: 10, api: 20, db: 20, cache: 20 },
      endpoints: { gateway: { home: 10 }, api: { items: 20 }, db: { query: 20 }, cache: { get: 20 } },
    });
    const late = await admin(k, '/rates?at=2025-01-01T00:02:00Z&service=db');
    assert.equal(late.body, { at: START + 120_000, services: { db: 60 }, endpoints: { db: { query: 60 } } });
  } finally {
    await k.stop();
  }
});

test('bad input is a 4xx with a stable code; nothing changes', async () => {
  const k = await start({ patterns: { web: CONST } });
  try {
    const cases: Array<[string, string, unknown, number, string, string]> = [
      ['POST', '/patterns', { service: 'gatewy', shape: { kind: 'constant', rps: 1 } }, 400, 'US_TRAFFIC_INVALID_PATTERN', 'service: no mesh service "gatewy" (did you mean "gateway"?)'],
      ['POST', '/patterns', { service: 'gateway', mix: { hme: 1 }, shape: { kind: 'constant', rps: 1 } }, 400, 'US_TRAFFIC_INVALID_PATTERN', 'mix.hme: no such endpoint of "gateway" (did you mean "home"?)'],
      ['POST', '/patterns', { service: 'gateway', mix: { home: 0 }, shape: { kind: 'constant', rps: 1 } }, 400, 'US_TRAFFIC_INVALID_PATTERN', 'mix: weights must not all be 0'],
      ['POST', '/patterns', { service: 'gateway', mix: { home: -1 }, shape: { kind: 'constant', rps: 1 } }, 400, 'US_TRAFFIC_INVALID_PATTERN', 'mix.home: must be a number >= 0'],
      ['POST', '/patterns', { service: 'gateway', mix: {}, shape: { kind: 'constant', rps: 1 } }, 400, 'US_TRAFFIC_INVALID_PATTERN', 'mix: must name at least one endpoint'],
      ['POST', '/patterns', { service: 'gateway', shape: { kind: 'stepp', rps: 1 } }, 400, 'US_TRAFFIC_INVALID_PATTERN', 'shape.kind: must be one of constant, diurnal, ramp, step, bursts, replay (did you mean "step"?)'],
      ['POST', '/patterns', { service: 'gateway', shape: { kind: 'step', rps: -1, factor: 'x' } }, 400, 'US_TRAFFIC_INVALID_PATTERN', 'shape.rps: must be >= 0'],
      ['POST', '/patterns', { service: 'gateway', shape: { kind: 'step', rps: 1, factor: 'x' } }, 400, 'US_TRAFFIC_INVALID_PATTERN', 'shape.factor: must be a number'],
      ['POST', '/patterns', { service: 'gateway', shape: { kind: 'step', rps: 1, factor: 2 } }, 400, 'US_TRAFFIC_INVALID_PATTERN', 'shape.atSeconds: is required'],
      ['POST', '/patterns', { service: 'gateway', shape: { kind: 'diurnal', min: 5, max: 1, troughHour: 25, periodSeconds: 0 } }, 400, 'US_TRAFFIC_INVALID_PATTERN', 'shape.max: must be >= min (5)'],
      ['POST', '/patterns', { service: 'gateway', shape: { kind: 'diurnal', min: 0, max: 1, troughHour: 25 } }, 400, 'US_TRAFFIC_INVALID_PATTERN', 'shape.troughHour: must be <= 24'],
      ['POST', '/patterns', { service: 'gateway', shape: { kind: 'diurnal', min: 0, max: 1, periodSeconds: 0 } }, 400, 'US_TRAFFIC_INVALID_PATTERN', 'shape.periodSeconds: must be > 0'],
      ['POST', '/patterns', { service: 'gateway', shape: { kind: 'constant', rps: 1, extra: 1 } }, 400, 'US_TRAFFIC_INVALID_PATTERN', 'shape.extra: unknown property for a constant shape'],
      ['POST', '/patterns', { service: 'gateway', shape: { kind: 'ramp', from: 1, to: 2 } }, 400, 'US_TRAFFIC_INVALID_PATTERN', 'shape.durationSeconds: is required'],
      ['POST', '/patterns', { service: 'gateway', shape: { kind: 'bursts', rps: 1, burstRps: 2, burstSeconds: 0, everySeconds: 5 } }, 400, 'US_TRAFFIC_INVALID_PATTERN', 'shape.burstSeconds: must be > 0'],
      ['POST', '/patterns', { service: 'gateway', shape: { kind: 'replay', csv: 3 } }, 400, 'US_TRAFFIC_INVALID_PATTERN', 'shape.csv: must be a string'],
      ['POST', '/patterns', { service: 'gateway', shape: { kind: 'replay', file: '' } }, 400, 'US_TRAFFIC_INVALID_PATTERN', 'shape.file: must be a non-empty path'],
      ['POST', '/patterns', { service: 'gateway', shape: { kind: 'replay', csv: '0,1', loop: 'yes' } }, 400, 'US_TRAFFIC_INVALID_PATTERN', 'shape.loop: must be a boolean'],
      ['POST', '/patterns', { service: 'gateway', shape: { kind: 'constant', rps: 1 }, jitter: 11, scale: -2, color: 'red' }, 400, 'US_TRAFFIC_INVALID_PATTERN', 'color: unknown property'],
      ['POST', '/patterns', { service: 'gateway', shape: 'flat' }, 400, 'US_TRAFFIC_INVALID_PATTERN', 'shape: must be an object with a kind'],
      ['POST', '/patterns', { service: 3 }, 400, 'US_TRAFFIC_INVALID_PATTERN', 'shape: is required'],
      ['POST', '/patterns', { shape: { kind: 'constant', rps: 1 } }, 400, 'US_TRAFFIC_INVALID_PATTERN', 'service: is required'],
      ['POST', '/patterns', { id: 'bad id', ...CONST }, 400, 'US_TRAFFIC_INVALID_PATTERN', 'id: "bad id" must be'],
      ['POST', '/patterns', [1], 400, 'US_TRAFFIC_INVALID_PATTERN', 'must be object'],
      ['POST', '/patterns', { id: 'web', ...CONST }, 409, 'US_TRAFFIC_DUPLICATE_ID', 'already exists'],
      ['PATCH', '/patterns/web', { shape: { kind: 'constant' } }, 400, 'US_TRAFFIC_INVALID_PATTERN', 'shape.rps: is required'],
      ['PATCH', '/patterns/web', { mix: { nope: 1 } }, 400, 'US_TRAFFIC_INVALID_PATTERN', 'mix.nope: no such endpoint'],
      ['PATCH', '/patterns/nope', { scale: 2 }, 404, 'US_TRAFFIC_PATTERN_NOT_FOUND', 'GET /__admin/traffic'],
      ['GET', '/patterns/nope', undefined, 404, 'US_TRAFFIC_PATTERN_NOT_FOUND', 'No traffic pattern with id "nope"'],
      ['DELETE', '/patterns/nope', undefined, 404, 'US_TRAFFIC_PATTERN_NOT_FOUND', 'nope'],
      ['POST', '/patterns/nope/start', undefined, 404, 'US_TRAFFIC_PATTERN_NOT_FOUND', 'nope'],
      ['POST', '/patterns/nope/stop', undefined, 404, 'US_TRAFFIC_PATTERN_NOT_FOUND', 'nope'],
      ['GET', '/rates?at=yesterday', undefined, 400, 'US_TRAFFIC_INVALID_QUERY', 'at "yesterday" is neither'],
      ['GET', '/rates?service=dbb', undefined, 404, 'US_TRAFFIC_SERVICE_NOT_FOUND', 'No mesh service "dbb". (did you mean "db"?)'],
      ['GET', '/?top=0', undefined, 400, 'US_TRAFFIC_INVALID_QUERY', 'top'],
    ];
    for (const [method, path, json, status, code, message] of cases) {
      assertRefused(await admin(k, path, { method, json }), code, [message], status);
    }
    const patterns = (await admin(k, '/patterns')).body.patterns;
    assert.is(patterns.length, 1);
    assert.equal(patterns[0].spec, CONST);
  } finally {
    await k.stop();
  }
});

test('maxPatterns bounds the patterns: 409 past it', async () => {
  const k = await start({ maxPatterns: 1, patterns: { web: CONST } });
  try {
    const res = await admin(k, '/patterns', { method: 'POST', json: CONST });
    assertRefused(res, 'US_TRAFFIC_TOO_MANY_PATTERNS', [], 409);
  } finally {
    await k.stop();
  }
});

test('invalid config fails the start listing every problem with its full path', async () => {
  try {
    await start({
      maxPatterns: 1,
      patterns: {
        a: { service: 'gatway', shape: { kind: 'constant', rps: 1 } },
        b: { service: 'gateway', mix: { hom: 1 }, shape: { kind: 'ramp', from: 1 }, autoStart: 'no' },
        'bad id': CONST,
      },
    });
    assert.unreachable('started');
  } catch (err) {
    const message = (err as Error).message;
    for (const line of [
      'plugins.traffic.patterns: 3 patterns, more than maxPatterns (1)',
      'plugins.traffic.patterns.a.service: no mesh service "gatway" (did you mean "gateway"?)',
      'plugins.traffic.patterns.b.autoStart: must be a boolean',
      'plugins.traffic.patterns.b.mix.hom: no such endpoint of "gateway" (did you mean "home"?)',
      'plugins.traffic.patterns.b.shape.to: is required',
      'plugins.traffic.patterns.b.shape.durationSeconds: is required',
      'plugins.traffic.patterns.bad id: the id must be',
    ]) assert.ok(message.includes(line), `${line}\nin: ${message}`);
  }
});

test('autoStart: false leaves a configured pattern stopped until started', async () => {
  const k = await start({ patterns: { web: { ...CONST, autoStart: false }, on: { ...CONST, autoStart: true } } });
  try {
    assert.is((await admin(k, '/patterns/web')).body.running, false);
    assert.is((await admin(k, '/patterns/on')).body.running, true);
    assert.equal(k.eventsOf('traffic.started').map((e) => e.data), [{ id: 'on', service: 'gateway', kind: 'constant', source: 'config' }]);
  } finally {
    await k.stop();
  }
});

test.run();
