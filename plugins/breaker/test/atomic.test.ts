// Breaker config changes are whole or not at all: an invalid value in the middle of a
// change (over HTTP, or given to the `breakers` service directly by another plugin, which
// no route schema sees) is a coded 400, and afterwards the settings and every breaker —
// state, window, history, half-open time — read exactly as before.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CodedError } from '@understudy/plugin-sdk';
import { call, start, svc, type Kernel } from './helpers.js';

const atomic = suite('breaker: config changes are whole or not at all');

/** b always fails and its breaker is OPEN; c answers and its breaker is CLOSED with one call in its window. */
async function twoBreakers(): Promise<Kernel> {
  const k = await start({ services: { b: svc({ errorRate: 1 }), c: svc() } }, { services: { b: { slidingWindowSize: 2, minimumNumberOfCalls: 2 } } });
  await call(k, '/b/');
  await call(k, '/b/');
  await call(k, '/c/');
  return k;
}

const read = async (k: Kernel) => ({ settings: (await call(k, '/__admin/breaker/config')).body, breakers: (await call(k, '/__admin/breaker')).body.breakers });

atomic('over HTTP: one bad field among good ones is a 400 naming it; nothing changes', async () => {
  const k = await twoBreakers();
  try {
    const before = await read(k);
    assert.equal(before.breakers.map((b: { key: string; state: string }) => `${b.key}:${b.state}`), ['client→b:go:OPEN', 'client→c:go:CLOSED']);
    for (const path of ['/__admin/breaker/config', '/__admin/breaker/config/b', '/__admin/breaker/config/c']) {
      const res = await call(k, path, { method: 'PUT', json: { waitDurationInOpenState: 1000, failureRateThreshold: 0, slidingWindowSize: 3 } });
      assert.is(res.status, 400, path);
      assert.is(res.body.code, 'US_BAD_REQUEST');
      assert.match(res.body.message, 'failureRateThreshold');
      assert.equal(await read(k), before, path);
    }
  } finally {
    await k.stop();
  }
});

atomic('through the breakers service: every problem in one coded 400, nothing changed; a valid change keeps the state', async () => {
  const k = await twoBreakers();
  try {
    const breakers = k.resolve('breakers');
    const before = await read(k);
    const refusals: Array<[() => unknown, string[]]> = [
      [() => breakers.configureDefaults({ waitDurationInOpenState: 1000, minimumNumberOfCalls: 0, slidingWindowType: 'SOMETIMES' as never }), ['minimumNumberOfCalls: must be >= 1', 'slidingWindowType: must be one of "COUNT_BASED", "TIME_BASED"']],
      [() => breakers.configure('b', { slidingWindowSize: 4, failureRateThreshold: 150 }), ['failureRateThreshold: must be <= 100']],
      [() => breakers.configure('c', { slidingWindowSize: 2.5, typo: 1 } as never), ['slidingWindowSize: must be integer', 'typo: unknown property "typo"']],
      [() => breakers.configure('c', { automaticTransitionFromOpenToHalfOpenEnabled: 'yes' as never }), ['automaticTransitionFromOpenToHalfOpenEnabled: must be boolean']],
      [() => breakers.configure('c', null as never), ['(root): must be an object']],
    ];
    for (const [change, problems] of refusals) {
      try {
        change();
        assert.unreachable('should be refused');
      } catch (err) {
        const coded = err as CodedError;
        assert.is(coded.statusCode, 400);
        assert.is(coded.code, 'US_BREAKER_INVALID_CONFIG');
        assert.match(coded.message, 'nothing was changed');
        for (const problem of problems) assert.match(coded.message, problem);
      }
      assert.equal(await read(k), before);
    }

    // a valid change: b keeps OPEN (its window starts empty), c's settings did not change, so it keeps its window
    breakers.configure('b', { failureRateThreshold: 60 });
    const after = await read(k);
    const [b, c] = after.breakers;
    assert.is(b.state, 'OPEN');
    assert.is(b.halfOpenAt, before.breakers[0].halfOpenAt);
    assert.is(b.config.failureRateThreshold, 60);
    assert.equal(c, before.breakers[1]);
    assert.equal(after.settings.services.b, { slidingWindowSize: 2, minimumNumberOfCalls: 2, failureRateThreshold: 60 });
  } finally {
    await k.stop();
  }
});

atomic('a change that changes nothing keeps every window', async () => {
  const k = await twoBreakers();
  try {
    const before = await read(k);
    assert.is((await call(k, '/__admin/breaker/config/c', { method: 'PUT', json: {} })).status, 200);
    assert.is((await call(k, '/__admin/breaker/config', { method: 'PUT', json: { failureRateThreshold: before.settings.defaults.failureRateThreshold } })).status, 200);
    assert.equal((await read(k)).breakers, before.breakers);
  } finally {
    await k.stop();
  }
});

atomic.run();
