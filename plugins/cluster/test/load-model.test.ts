// The queueing formulas: utilisation, Sakasegawa's waiting time growing towards
// saturation, the excess failing past it, the queue timeout cap, Little's law.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { combine, cpuMillis, memoryMiB, newQueueResult, queue } from '../src/load-model.js';

const it = suite('cluster: load model formulas');
const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) <= eps, `${a} ≈ ${b}`);

it('has no queue and no load without arrivals', () => {
  const q = queue(newQueueResult(), 0, 4, 20, 1000);
  assert.equal(q, { utilisation: 0, waitMs: 0, latencyMs: 20, p99Ms: 20 * Math.log(100), failShare: 0, inflight: 0 });
});

it('computes ρ = λS/c and Wq ≈ S·ρ^(√(2(c+1))−1)/(c(1−ρ))', () => {
  // λ = 100/s, S = 20 ms, c = 4: ρ = 0.5
  const q = queue(newQueueResult(), 100, 4, 20, 10_000);
  close(q.utilisation, 0.5);
  const pw = Math.pow(0.5, Math.sqrt(10) - 1);
  close(q.waitMs, (20 * pw) / (4 * 0.5));
  close(q.latencyMs, 20 + q.waitMs);
  close(q.inflight, (100 * q.latencyMs) / 1000);
  close(q.p99Ms, 20 * Math.log(100) + (20 * Math.log(pw / 0.01)) / (4 * 0.5));
  // M/M/1 at ρ = 0.5: Sakasegawa is exact, Wq = S·ρ/(1−ρ) = S
  close(queue(newQueueResult(), 25, 1, 20, 10_000).waitMs, 20);
});

it('grows latency as utilisation approaches 1', () => {
  const waits = [0.3, 0.6, 0.8, 0.9, 0.95, 0.99].map((rho) => queue(newQueueResult(), (rho * 4 * 1000) / 20, 4, 20, 10_000).waitMs);
  for (let i = 1; i < waits.length; i++) assert.ok(waits[i]! > waits[i - 1]!, `wait grows: ${waits.join(', ')}`);
  assert.ok(waits[5]! > 20 * waits[0]!);
});

it('fails the excess 1 − 1/ρ past saturation and caps the wait at the queue timeout', () => {
  const q = queue(newQueueResult(), 400, 4, 20, 500); // ρ = 2
  close(q.utilisation, 2);
  close(q.failShare, 0.5);
  assert.is(q.waitMs, 500);
  close(q.inflight, (400 * 0.5 * 520) / 1000);
  // just below saturation the wait is capped too
  assert.is(queue(newQueueResult(), 199.999, 4, 20, 50).waitMs, 50);
});

it('turns in-flight requests, a leak and utilisation into memory and CPU', () => {
  assert.is(memoryMiB(64, 2, 10, 0, 0), 84);
  assert.is(memoryMiB(64, 0, 0, 100, 1_800_000), 114);
  assert.is(cpuMillis(1000, 0.25), 250);
  assert.is(cpuMillis(1000, 3), 1000);
  close(combine(0.5, 0.5), 0.75);
  assert.is(combine(0, 0), 0);
});

it.run();
