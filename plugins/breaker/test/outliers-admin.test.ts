import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Breakers } from '../src/index.js';
import { call, start, svc } from './helpers.js';

const outliers = suite('breaker: outlier ejection');

outliers('a failing instance is ejected after consecutive5xx, avoided, and returns after the ejection time', async () => {
  const k = await start({ services: { b: svc({}, { instances: 3 }) } }, { outlierDetection: { consecutive5xx: 3 } }, true);
  try {
    k.failing.add('b-2');
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) statuses.push((await call(k, '/b/')).status);
    assert.equal(statuses, [200, 500, 200, 200, 500, 200, 200, 500, 200]);
    const ejected = k.eventsOf('breaker.instanceEjected');
    assert.is(ejected.length, 1);
    assert.equal({ ...(ejected[0].data as object) }, { service: 'b', instance: 'b-2', consecutive5xx: 3, ejections: 1, ejectionMs: 30_000, returnsAt: Date.parse('2025-01-01T00:00:30.000Z') });
    const before = k.seen.length;
    for (let i = 0; i < 6; i++) assert.is((await call(k, '/b/')).status, 200);
    const instances = k.seen.slice(before).map((s) => s.instance);
    assert.not.ok(instances.includes('b-2'));
    assert.ok(instances.includes('b-1') && instances.includes('b-3'));
    const admin = (await call(k, '/__admin/breaker/outliers')).body;
    assert.equal(admin.ejected.map((e: { instance: string }) => e.instance), ['b-2']);
    assert.equal((k.resolve('breakers') as Breakers).ejected().length, 1);

    await k.advance(30_000);
    assert.is(k.eventsOf('breaker.instanceReturned').length, 1);
    assert.equal((await call(k, '/__admin/breaker/outliers')).body.ejected, []);
    const back = k.seen.length;
    for (let i = 0; i < 9; i++) await call(k, '/b/');
    assert.ok(k.seen.slice(back).some((s) => s.instance === 'b-2'));
    // ejected a second time: twice the base ejection time
    const again = k.eventsOf('breaker.instanceEjected');
    assert.is(again.length, 2);
    assert.is((again[1].data as { ejectionMs: number }).ejectionMs, 60_000);
  } finally {
    await k.stop();
  }
});

outliers('never ejects the last instance; ejected instances are avoided without discovery too', async () => {
  const k = await start({ services: { c: svc({ errorRate: 1 }), b: svc({}, { instances: 2 }) } }, { outlierDetection: { consecutive5xx: 2 } });
  try {
    for (let i = 0; i < 3; i++) await call(k, '/c/');
    assert.is(k.eventsOf('breaker.instanceEjected').length, 0); // c has one instance
    k.failing.add('b-1');
    for (let i = 0; i < 4; i++) await call(k, '/b/');
    assert.is(k.eventsOf('breaker.instanceEjected').length, 1);
    // no registry: mesh asks breaker (mesh.selectInstance), so b-1 gets no calls
    const before = k.seen.length;
    for (let i = 0; i < 2; i++) await call(k, '/b/');
    assert.not.ok(k.seen.slice(before).some((s) => s.instance === 'b-1'));
    // b-2 failing too cannot be ejected (one must stay)
    k.failing.add('b-2');
    for (let i = 0; i < 4; i++) await call(k, '/b/');
    assert.is(k.eventsOf('breaker.instanceEjected').length, 1);
    const hosts = (await call(k, '/__admin/breaker/outliers')).body.instances;
    assert.ok(hosts.some((h: { instance: string; ejected: boolean }) => h.instance === 'b-1' && h.ejected));
  } finally {
    await k.stop();
  }
});

outliers('the instance count is what mesh offers: the first failure may eject before the other instance was called', async () => {
  const k = await start({ services: { b: svc({}, { instances: 2 }) } }, { outlierDetection: { consecutive5xx: 1, maxEjectionPercent: 50 } });
  try {
    k.failing.add('b-1');
    assert.is((await call(k, '/b/')).status, 500);
    assert.equal(k.eventsOf('breaker.instanceEjected').map((e) => e.data.instance), ['b-1']);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(k, '/b/')).status);
    assert.equal(statuses, [200, 200, 200]);
  } finally {
    await k.stop();
  }
});

outliers('disabled outlier detection ejects nothing', async () => {
  const k = await start({ services: { b: svc({}, { instances: 2 }) } }, { outlierDetection: { enabled: false, consecutive5xx: 1 } });
  try {
    k.failing.add('b-1');
    for (let i = 0; i < 4; i++) await call(k, '/b/');
    assert.is(k.eventsOf('breaker.instanceEjected').length, 0);
  } finally {
    await k.stop();
  }
});

const admin = suite('breaker: admin API');

admin('list, get, force-open, close, disable, reset, and 404 for an unknown key', async () => {
  const k = await start({ services: { b: svc() } });
  try {
    assert.equal((await call(k, '/__admin/breaker')).body.breakers, []);
    await call(k, '/b/');
    const list = (await call(k, '/__admin/breaker')).body.breakers;
    assert.is(list.length, 1);
    const b = list[0];
    assert.equal(
      { key: b.key, caller: b.caller, state: b.state, failureRate: b.failureRate, bufferedCalls: b.bufferedCalls, flapping: b.flapping },
      { key: 'client→b:go', caller: null, state: 'CLOSED', failureRate: -1, bufferedCalls: 1, flapping: false },
    );
    assert.equal(b.window, [{ at: Date.parse('2025-01-01T00:00:00.000Z'), durationMs: 0, failure: false, slow: false }]);
    const key = encodeURIComponent('client→b:go');
    const forced = await call(k, `/__admin/breaker/${key}/force-open`, { method: 'POST' });
    assert.is(forced.body.state, 'FORCED_OPEN');
    const res = await call(k, '/b/');
    assert.is(res.status, 503);
    assert.match(res.body.message, `FORCED_OPEN: the call was not made. Close it with POST /__admin/breaker/${key}/close`);
    assert.is(k.eventsOf('breaker.forcedOpen').length, 1);
    assert.is((await call(k, `/__admin/breaker/${key}/close`, { method: 'POST' })).body.state, 'CLOSED');
    assert.is((await call(k, `/__admin/breaker/${key}/disable`, { method: 'POST' })).body.state, 'DISABLED');
    assert.is((await call(k, '/b/')).status, 200);
    const reset = (await call(k, `/__admin/breaker/${key}/reset`, { method: 'POST' })).body;
    assert.is(reset.state, 'CLOSED');
    assert.is(reset.bufferedCalls, 0);
    assert.is((await call(k, '/__admin/breaker/reset', { method: 'POST' })).body.reset, 1);
    const missing = await call(k, `/__admin/breaker/${encodeURIComponent('x→y:z')}/force-open`, { method: 'POST' });
    assert.is(missing.status, 404);
    assert.is(missing.body.code, 'US_BREAKER_NOT_FOUND');
    assert.match(missing.body.message, 'No circuit breaker "x→y:z"');
    assert.is((await call(k, '/__admin/breaker/nope')).status, 404);
  } finally {
    await k.stop();
  }
});

admin('PUT /config and /config/:service change breakers live; bad input is a 400 with its path', async () => {
  const k = await start({ services: { b: svc({ errorRate: 1 }), c: svc() } }, { services: { c: { failureRateThreshold: 10 } } });
  try {
    await call(k, '/b/');
    const bad = await call(k, '/__admin/breaker/config', { method: 'PUT', json: { failureRateThreshold: 150 } });
    assert.is(bad.status, 400);
    assert.is(bad.body.code, 'US_BAD_REQUEST');
    assert.match(bad.body.message, 'failureRateThreshold: must be <= 100');
    const unknown = await call(k, '/__admin/breaker/config/b', { method: 'PUT', json: { failureRate: 5 } });
    assert.is(unknown.status, 400);
    assert.match(unknown.body.message, 'unknown property "failureRate"');
    const wrongType = await call(k, '/__admin/breaker/config/b', { method: 'PUT', json: { slidingWindowType: 'SOMETIMES' } });
    assert.is(wrongType.status, 400);
    assert.match(wrongType.body.message, 'slidingWindowType:');

    const defaults = await call(k, '/__admin/breaker/config', { method: 'PUT', json: { waitDurationInOpenState: 5000 } });
    assert.is(defaults.status, 200);
    assert.is(defaults.body.defaults.waitDurationInOpenState, 5000);
    const svcConf = await call(k, '/__admin/breaker/config/b', { method: 'PUT', json: { slidingWindowSize: 2, minimumNumberOfCalls: 2 } });
    assert.is(svcConf.status, 200);
    assert.equal({ size: svcConf.body.config.slidingWindowSize, wait: svcConf.body.config.waitDurationInOpenState }, { size: 2, wait: 5000 });
    const settings = (await call(k, '/__admin/breaker/config')).body;
    assert.equal(settings.services, { c: { failureRateThreshold: 10 }, b: { slidingWindowSize: 2, minimumNumberOfCalls: 2 } });
    await call(k, '/b/');
    await call(k, '/b/');
    assert.is(k.eventsOf('breaker.opened').length, 1);
    const view = (await call(k, `/__admin/breaker/${encodeURIComponent('client→b:go')}`)).body;
    assert.is(view.state, 'OPEN');
    assert.is(view.halfOpenAt, Date.parse('2025-01-01T00:00:05.000Z'));
    // the service API
    const breakers = k.resolve('breakers') as Breakers;
    breakers.configure('c', { failureRateThreshold: 20 });
    assert.is(breakers.configFor('c').failureRateThreshold, 20);
    assert.throws(() => breakers.get('nope'), /No circuit breaker/);
  } finally {
    await k.stop();
  }
});

outliers.run();
admin.run();
