import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Budget, DEFAULT_BUDGET } from '../src/budget.js';
import { LatencyTracker } from '../src/latency.js';
import { EdgeNode } from '../src/node.js';
import { resolveNode } from '../src/spec.js';
import { countMembers, memberTest, type FleetLookup } from '../src/membership.js';
import { deviceTopics } from '@understudy/plugin-fleet';
import { parsePayload } from '../src/reading.js';
import { compare, RuleEngine } from '../src/rules.js';
import type { RuleSpec } from '../src/contract.js';
import { WindowAggregator } from '../src/windows.js';

const it = suite('edge: budget, latency, rules, intake');

const budget = (over: Partial<typeof DEFAULT_BUDGET>) => new Budget<number>({ ...DEFAULT_BUDGET, ...over }, 0, 100);
const drainAll = (b: Budget<number>, now: number) => {
  const out: number[] = [];
  for (let x = b.take(now); x !== undefined; x = b.take(now)) out.push(x);
  return out;
};

it('drains at ratePerSecond on the clock, one tick of burst at most', () => {
  const b = budget({ queueLength: 100, ratePerSecond: 50 });
  for (let i = 0; i < 20; i++) b.offer(i);
  assert.equal(drainAll(b, 0), [0, 1, 2, 3, 4], 'a full bucket: one tick (100 ms) of 50/s');
  assert.equal(drainAll(b, 100), [5, 6, 7, 8, 9], 'five more per 100 ms');
  assert.equal(drainAll(b, 120), [10]);
  assert.equal(drainAll(b, 10_000), [11, 12, 13, 14, 15], 'idle time does not bank a burst');
  assert.is(b.depth, 4);
  assert.is(b.peek(), 16);
  assert.is(budget({}).take(0), undefined);
});

it('a rate under one per tick still processes one reading per 1/rate', () => {
  const b = budget({ ratePerSecond: 2 });
  for (let i = 0; i < 4; i++) b.offer(i);
  assert.equal(drainAll(b, 0), [0]);
  assert.equal(drainAll(b, 400), []);
  assert.equal(drainAll(b, 500), [1]);
  assert.equal(drainAll(b, 1000), [2]);
});

it('drop-newest refuses arrivals while full; one episode from the first drop to half empty', () => {
  const b = budget({ queueLength: 4, ratePerSecond: 10 });
  const outcomes = [1, 2, 3, 4, 5, 6].map((i) => b.offer(i));
  assert.equal(outcomes.map((o) => o.outcome), ['queued', 'queued', 'queued', 'queued', 'dropped', 'dropped']);
  assert.equal(outcomes.map((o) => o.started), [false, false, false, false, true, false]);
  assert.is(b.dropped, 2);
  assert.ok(b.overloaded);
  assert.not.ok(b.recovered());
  assert.equal(drainAll(b, 0), [1]);
  assert.not.ok(b.recovered(), '3 of 4 is not below half');
  assert.equal(drainAll(b, 200), [2], 'the bucket holds one tick: no catching up');
  assert.not.ok(b.recovered(), '2 of 4 is not below half');
  assert.equal(drainAll(b, 300), [3]);
  assert.ok(b.recovered(), 'below half');
  assert.not.ok(b.recovered(), 'once');
  assert.not.ok(b.overloaded);
});

it('drop-oldest evicts the oldest queued reading for the newest', () => {
  const b = budget({ queueLength: 3, overflow: 'drop-oldest', ratePerSecond: 10 });
  const outcomes = [1, 2, 3, 4, 5].map((i) => b.offer(i));
  assert.equal(outcomes.map((o) => o.evicted), [undefined, undefined, undefined, 1, 2]);
  assert.is(b.dropped, 2);
  assert.equal(drainAll(b, 0), [3]);
  assert.equal(drainAll(b, 1000), [4]);
  assert.equal(drainAll(b, 1100), [5]);
});

it('sample keeps 1 in N arrivals while over budget, each replacing the oldest queued reading', () => {
  const b = budget({ queueLength: 4, overflow: 'sample', sampleEvery: 5, ratePerSecond: 10 });
  const results = Array.from({ length: 24 }, (_, i) => b.offer(i + 1));
  assert.equal(results.filter((r) => r.outcome === 'queued').length, 4 + 4, '4 fit, then 1 in 5 of the other 20');
  assert.is(b.sampledOut, 16);
  assert.is(b.dropped, 4, 'each kept arrival pushed out the oldest');
  assert.equal(results.filter((r) => r.started).length, 1);
  assert.equal(drainAll(b, 0), [9]);
  assert.equal(drainAll(b, 200), [14]);
  assert.not.ok(b.recovered());
  assert.is(b.offer(99).outcome, 'sampledOut', 'still over budget: thinning goes on while there is room');
  assert.equal(drainAll(b, 300), [19]);
  assert.ok(b.recovered());
  assert.is(b.offer(100).outcome, 'queued');
  assert.equal(drainAll(b, 1000), [24]);
  assert.equal(drainAll(b, 1100), [100]);
});

it('a live budget change trims the queue by the policy and resizes the bucket', () => {
  const newest = budget({ queueLength: 10, ratePerSecond: 10 });
  for (let i = 1; i <= 8; i++) newest.offer(i);
  assert.equal(newest.configure({ ...DEFAULT_BUDGET, queueLength: 5, ratePerSecond: 10 }, 0), [6, 7, 8], 'drop-newest keeps the oldest');
  assert.ok(newest.overloaded);
  assert.is(newest.dropped, 3);
  assert.equal(newest.clear(), [1, 2, 3, 4, 5]);
  const oldest = budget({ queueLength: 10, overflow: 'drop-oldest', ratePerSecond: 10 });
  for (let i = 1; i <= 8; i++) oldest.offer(i);
  assert.equal(oldest.configure({ ...DEFAULT_BUDGET, queueLength: 6, overflow: 'drop-oldest', ratePerSecond: 100 }, 0), [1, 2]);
  assert.equal(oldest.settings.ratePerSecond, 100);
  assert.equal(drainAll(oldest, 0), [3], 'the bucket had one token left');
  assert.equal(drainAll(oldest, 100), [4, 5, 6, 7, 8]);
  const roomy = budget({ queueLength: 4 });
  roomy.offer(1);
  assert.equal(roomy.configure({ ...DEFAULT_BUDGET, queueLength: 8 }, 0), []);
  assert.not.ok(roomy.overloaded);
});

it('latency: nearest-rank percentiles of recent readings, count, max and over-target since start', () => {
  const l = new LatencyTracker(100, 10);
  assert.equal(l.stats(), { count: 0, p50: 0, p95: 0, p99: 0, max: 0, targetMs: 100, overTarget: 0 });
  l.record(500);
  for (let i = 1; i <= 10; i++) l.record(i * 10);
  assert.equal(l.stats(), { count: 11, p50: 50, p95: 100, p99: 100, max: 500, targetMs: 100, overTarget: 1 });
});

it('telemetry topics and payloads: JSON values, bare numbers, GPS skipped, the rest invalid', () => {
  assert.equal(deviceTopics.telemetry.parse('devices/d1/telemetry/temp'), { deviceId: 'd1', sensor: 'temp' });
  for (const t of ['devices/d1/status', 'devices/d1/telemetry/temp/x', 'x/d1/telemetry/t', 'devices//telemetry/t', 'devices/d1/other/t']) {
    assert.is(deviceTopics.telemetry.parse(t), undefined, t);
  }
  assert.equal(parsePayload(Buffer.from('{"deviceId":"d1","value":21.5}')), { kind: 'reading', value: 21.5 });
  assert.equal(parsePayload('42'), { kind: 'reading', value: 42 });
  assert.equal(parsePayload('{"value":{"lat":1,"lon":2}}'), { kind: 'skipped' });
  assert.equal(parsePayload('{oops'), { kind: 'invalid', reason: 'payload is not JSON' });
  for (const bad of ['{"value":"21"}', '{"value":null}', '{}', '[1]', '{"value":[1]}', 'true', 'null']) {
    assert.equal(parsePayload(bad), { kind: 'invalid', reason: 'value is not a number' }, bad);
  }
});

it('membership: ids and idPrefix alone; type and metadata through the fleet', () => {
  const devices = [
    { id: 'th-1', type: 'thermostat', metadata: { site: 'a', floor: 1 } },
    { id: 'th-2', type: 'thermostat', metadata: { site: 'b', floor: 2 } },
    { id: 'm-1', type: 'meter', metadata: { site: 'a' } },
  ];
  // only the fields membership reads
  const fleet = { get: (id: string) => devices.find((d) => d.id === id), list: () => devices } as unknown as FleetLookup;
  const byIds = memberTest({ ids: ['th-1', 'x'] }, undefined);
  assert.ok(byIds('th-1'));
  assert.not.ok(byIds('th-2'));
  assert.is(countMembers({ ids: ['th-1', 'x'] }, undefined, byIds), 2);
  const byPrefix = memberTest({ idPrefix: 'th-' }, undefined);
  assert.ok(byPrefix('th-9'));
  assert.not.ok(byPrefix('m-1'));
  assert.is(countMembers({ idPrefix: 'th-' }, undefined, byPrefix), null);
  assert.is(countMembers({ idPrefix: 'th-' }, fleet, byPrefix), 2);
  const siteA = memberTest({ metadata: { site: 'a', floor: '1' } }, fleet);
  assert.equal(devices.map((d) => siteA(d.id)), [true, false, false]);
  const meters = memberTest({ type: 'meter' }, fleet);
  assert.equal(devices.map((d) => meters(d.id)), [false, false, true]);
  assert.not.ok(meters('unknown'));
  assert.not.ok(memberTest({ type: 'meter' }, undefined)('m-1'), 'no fleet: nobody matches a type');
  assert.is(countMembers({ type: 'thermostat' }, fleet, memberTest({ type: 'thermostat' }, fleet)), 2);
});

const rule = (over: Partial<RuleSpec> & Pick<RuleSpec, 'when'>): RuleSpec => ({ name: 'r', command: { name: 'cool' }, ...over });

it('compare covers every operator', () => {
  assert.equal(['>', '<', '>=', '<=', '=='].map((op) => compare(5, op as never, 5)), [false, false, true, true, true]);
  assert.equal(['>', '<'].map((op) => compare(6, op as never, 5)), [true, false]);
});

it('reading rules fire per device with their cooldown; other devices are not held back', () => {
  const r = new RuleEngine([rule({ when: { sensor: 'temp', op: '>', value: 30 }, cooldownMs: 1000 })]);
  assert.equal(r.onReading('d1', 'temp', 29, 0), []);
  assert.equal(r.onReading('d1', 'hum', 99, 0), [], 'another sensor');
  const [f] = r.onReading('d1', 'temp', 31, 0);
  assert.equal({ ...f, rule: f.rule.name }, { rule: 'r', target: 'source', trigger: 'reading', sensor: 'temp', value: 31, deviceIds: ['d1'] });
  assert.equal(r.onReading('d1', 'temp', 35, 999), [], 'cooling down');
  assert.is(r.onReading('d2', 'temp', 35, 999).length, 1, 'd2 has its own cooldown');
  assert.is(r.onReading('d1', 'temp', 35, 1000).length, 1);
});

it('a fixed target shares one cooldown (default 5 s) across devices', () => {
  const r = new RuleEngine([rule({ when: { sensor: 'temp', op: '>=', value: 30 }, command: { name: 'alarm', target: { deviceId: 'siren' } } })]);
  assert.is(r.onReading('d1', 'temp', 30, 0).length, 1);
  assert.is(r.onReading('d2', 'temp', 30, 4999).length, 0);
  assert.equal(r.onReading('d2', 'temp', 30, 5000)[0].target, { deviceId: 'siren' });
});

it('aggregate rules look at the aggregate they name; max and min point at the device behind them', () => {
  const w = new WindowAggregator(1000);
  w.add(0, 10, 'a');
  w.add(1, 40, 'b');
  w.add(2, 25, 'c');
  const [result] = w.close(1000);
  const r = new RuleEngine([
    rule({ name: 'hot', when: { sensor: 'temp', op: '>', value: 35, aggregate: 'max' }, cooldownMs: 0 }),
    rule({ name: 'cold', when: { sensor: 'temp', op: '<', value: 15, aggregate: 'min' }, cooldownMs: 0 }),
    rule({ name: 'warm', when: { sensor: 'temp', op: '>', value: 20, aggregate: 'mean' }, cooldownMs: 0 }),
    rule({ name: 'busy', when: { sensor: 'temp', op: '==', value: 3, aggregate: 'count' }, cooldownMs: 0 }),
    rule({ name: 'raw', when: { sensor: 'temp', op: '>', value: 0 }, cooldownMs: 0 }),
  ]);
  const fired = r.onAggregate('temp', result, ['min', 'max', 'mean', 'count'], 0).map((f) => [f.rule.name, f.value, f.deviceIds]);
  assert.equal(fired, [
    ['hot', 40, ['b']],
    ['cold', 10, ['a']],
    ['warm', 25, ['a', 'b', 'c']],
    ['busy', 3, ['a', 'b', 'c']],
  ]);
  assert.equal(r.onAggregate('temp', result, ['count'], 0).map((f) => f.rule.name), ['busy'], 'only aggregates the window computes');
  assert.equal(r.onAggregate('hum', result, ['max'], 0), []);
});

it('anomaly rules fire for their sensor, or any sensor without one', () => {
  const r = new RuleEngine([
    rule({ name: 'any', when: { anomaly: true }, cooldownMs: 0 }),
    rule({ name: 'temp-only', when: { anomaly: true, sensor: 'temp' }, cooldownMs: 0 }),
  ]);
  assert.equal(r.onAnomaly('d1', 'hum', 1, 0).map((f) => f.rule.name), ['any']);
  assert.equal(r.onAnomaly('d1', 'temp', 1, 0).map((f) => [f.rule.name, f.trigger]), [['any', 'anomaly'], ['temp-only', 'anomaly']]);
  assert.equal(r.onReading('d1', 'temp', 1, 0), [], 'anomaly rules ignore plain readings');
});

it('cooldown memory stays bounded: expired keys go first, then the oldest', () => {
  const r = new RuleEngine([rule({ when: { sensor: 't', op: '>', value: 0 }, cooldownMs: 100 })], 2);
  assert.is(r.onReading('a', 't', 1, 0).length, 1);
  assert.is(r.onReading('b', 't', 1, 0).length, 1);
  assert.is(r.onReading('c', 't', 1, 200).length, 1, 'a and b expired and were pruned');
  assert.is(r.onReading('d', 't', 1, 200).length, 1);
  assert.is(r.onReading('e', 't', 1, 250).length, 1, 'c (oldest) forgotten early');
  assert.is(r.onReading('c', 't', 1, 250).length, 1);
  assert.is(r.onReading('e', 't', 1, 260).length, 0, 'still remembered');
});

it('an upstream publish the broker refuses is counted, not thrown', async () => {
  const { node: spec } = resolveNode({ id: 'n', devices: { ids: ['d'] }, pipeline: { anomaly: { zScore: 1, window: 2 } } }, '', false);
  const events: string[] = [];
  const node = new EdgeNode(spec, {
    now: () => 0,
    publish: () => Promise.reject(new Error('broker closed')),
    emit: (type) => events.push(type),
    fleet: undefined,
    commands: () => undefined,
    topicPrefix: 'edge',
    tickMs: 100,
    latencyTargetMs: 100,
    history: { aggregates: 10, alerts: 10 },
  });
  for (const value of [1, 2, 10]) node.receive('d', 't', { kind: 'reading', value });
  await new Promise((resolve) => setImmediate(resolve));
  const { counters } = node.view();
  assert.equal([counters.alerts, counters.forwarded, counters.forwardErrors], [1, 1, 1]);
  assert.equal(events, ['edge.alert']);
});

it.run();
