// Kubernetes' RollingUpdate arithmetic: percentages (surge rounds up, unavailable rounds
// down, the Deployment documentation's numbers), both zero → maxUnavailable 1, and the
// ReplicaSet steps of an update with the new instances becoming available.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fenceposts, resolveIntOrPercent, rollingComplete, rollingStep } from '../src/rolling.js';
import { parseDuration } from '../src/duration.js';

const it = suite('deploy: rolling update arithmetic');

it('fenceposts: 25% of 10 is a surge of 3 (rounded up) and 2 unavailable (rounded down); of 3: 1 and 0', () => {
  assert.equal(fenceposts('25%', '25%', 10), { surge: 3, unavailable: 2 });
  assert.equal(fenceposts('25%', '25%', 3), { surge: 1, unavailable: 0 });
  assert.equal(fenceposts(0, 0, 5), { surge: 0, unavailable: 1 }, 'both zero: one may be unavailable');
  assert.equal(fenceposts(2, 9, 4), { surge: 2, unavailable: 4 }, 'never more unavailable than replicas');
  assert.is(resolveIntOrPercent('30%', 10, true), 3);
  assert.is(resolveIntOrPercent('33%', 10, false), 3);
  assert.is(resolveIntOrPercent(7, 10, false), 7);
});

it('maxSurge 1, maxUnavailable 0: one new beyond the old, an old one leaves per new one available', () => {
  let o = { replicas: 3, newRS: 0, oldRS: 3, newAvailable: 0, oldAvailable: 3 };
  let next = rollingStep(o, 1, 0);
  assert.equal(next, { newRS: 1, oldRS: 3 });
  o = { ...o, newRS: 1, newAvailable: 1 };
  next = rollingStep(o, 1, 0);
  assert.equal(next, { newRS: 1, oldRS: 2 }, 'the total is at replicas + surge: an old one leaves first');
  next = rollingStep({ ...o, oldRS: 2, oldAvailable: 2 }, 1, 0);
  assert.equal(next, { newRS: 2, oldRS: 2 }, 'then the next new one');
  o = { replicas: 3, newRS: 3, oldRS: 1, newAvailable: 2, oldAvailable: 1 };
  next = rollingStep(o, 1, 0);
  assert.equal(next, { newRS: 3, oldRS: 1 }, 'waits for the third new one');
  o = { ...o, newAvailable: 3 };
  next = rollingStep(o, 1, 0);
  assert.equal(next, { newRS: 3, oldRS: 0 });
  assert.ok(rollingComplete({ ...o, oldRS: 0 }));
  assert.not.ok(rollingComplete(o));
});

it('unavailable old instances are cleaned up first; a new ReplicaSet above replicas is capped', () => {
  // 4 replicas, 2 old instances crashed: one goes (the budget: 5 − minAvailable 3 − 1 new unavailable)
  const next = rollingStep({ replicas: 4, newRS: 1, oldRS: 4, newAvailable: 0, oldAvailable: 2 }, 1, 1);
  assert.equal(next, { newRS: 1, oldRS: 3 });
  assert.equal(rollingStep({ replicas: 2, newRS: 5, oldRS: 0, newAvailable: 2, oldAvailable: 0 }, 1, 0), { newRS: 2, oldRS: 0 });
  // nothing to scale down while the budget is spent
  assert.equal(rollingStep({ replicas: 4, newRS: 1, oldRS: 4, newAvailable: 0, oldAvailable: 4 }, 1, 0), { newRS: 1, oldRS: 4 });
});

it('durations: seconds, ms, m, h; invalid ones are undefined', () => {
  assert.is(parseDuration(30), 30_000);
  assert.is(parseDuration('30s'), 30_000);
  assert.is(parseDuration('500ms'), 500);
  assert.is(parseDuration('5m'), 300_000);
  assert.is(parseDuration('1h'), 3_600_000);
  assert.is(parseDuration('12'), 12_000);
  for (const bad of ['soon', -1, '5d', null, Infinity]) assert.is(parseDuration(bad), undefined);
});

it.run();
