import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRandom } from '@understudy/kernel';
import { createSampler, type LatencySpec } from '../src/latency.js';
import { latencyProblems } from '../src/latency.js';

const latency = suite('mesh: latency sampling');

function draw(spec: LatencySpec, n = 4000, seed = 1): number[] {
  const random = createRandom(seed, 'latency');
  const sample = createSampler(spec);
  return Array.from({ length: n }, () => sample(random));
}
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const quantile = (xs: number[], q: number) => sorted(xs)[Math.floor(q * (xs.length - 1))];
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

latency('no distribution and fixed', () => {
  assert.equal(draw({ type: 'fixed', ms: 0 }, 3), [0, 0, 0]);
  assert.equal(draw({ type: 'fixed', ms: 42 }, 3), [42, 42, 42]);
  assert.is(createSampler(undefined)(createRandom(1)), 0);
});

latency('uniform stays within [min, max] and spreads over it', () => {
  const xs = draw({ type: 'uniform', min: 10, max: 20 });
  assert.ok(Math.min(...xs) >= 10 && Math.max(...xs) <= 20);
  assert.ok(Math.abs(mean(xs) - 15) < 0.5);
});

latency('normal is centred on its mean and never negative', () => {
  const xs = draw({ type: 'normal', mean: 100, stdDev: 10 });
  assert.ok(Math.abs(mean(xs) - 100) < 1.5);
  assert.ok(Math.abs(quantile(xs, 0.84) - 110) < 3);
  assert.ok(draw({ type: 'normal', mean: 1, stdDev: 50 }).every((x) => x >= 0));
});

latency('lognormal has the given median and a long right tail', () => {
  const xs = draw({ type: 'lognormal', median: 50, sigma: 0.5 });
  assert.ok(Math.abs(quantile(xs, 0.5) - 50) < 3);
  assert.ok(mean(xs) > 50);
  assert.ok(quantile(xs, 0.99) > 130);
});

latency('percentiles interpolate a piecewise distribution through p50, p90, p99', () => {
  const xs = draw({ type: 'percentiles', p50: 20, p90: 50, p99: 200 }, 20000);
  assert.ok(Math.abs(quantile(xs, 0.5) - 20) <= 2);
  assert.ok(Math.abs(quantile(xs, 0.9) - 50) <= 3);
  assert.ok(Math.abs(quantile(xs, 0.99) - 200) <= 15);
  assert.ok(Math.min(...xs) >= 10 && Math.max(...xs) <= 350);
  const bounded = draw({ type: 'percentiles', p50: 5, p90: 6, p99: 7, min: 1, max: 8 });
  assert.ok(Math.min(...bounded) >= 1 && Math.max(...bounded) <= 8);
});

latency('the same seed gives the same latencies', () => {
  const spec: LatencySpec = { type: 'lognormal', median: 30, sigma: 1 };
  assert.equal(draw(spec, 50, 9), draw(spec, 50, 9));
  assert.not.equal(draw(spec, 50, 9), draw(spec, 50, 10));
});

latency('bad parameters are reported by field', () => {
  assert.equal(latencyProblems({ type: 'fixed', ms: -1 }), [['ms', 'must be >= 0']]);
  assert.equal(latencyProblems({ type: 'uniform', min: 5, max: 2 }), [['min', 'must be <= max (2)']]);
  assert.equal(latencyProblems({ type: 'normal', mean: 'x', stdDev: 1 }), [['mean', 'must be a number']]);
  assert.equal(latencyProblems({ type: 'lognormal', median: 1, sigma: -1 }), [['sigma', 'must be >= 0']]);
  assert.equal(latencyProblems({ type: 'percentiles', p50: 10, p90: 5, p99: 20 }), [['p50', 'must be <= p90 (5)']]);
  assert.equal(latencyProblems({ type: 'percentiles', p50: 10, p90: 15, p99: 20, max: 19 }), [['p99', 'must be <= max (19)']]);
  assert.equal(latencyProblems({ type: 'fixed', ms: 1, extra: 2 }), [['extra', 'unknown property "extra"']]);
  assert.equal(latencyProblems({ type: 'gamma' })[0][0], 'type');
});

latency.run();
