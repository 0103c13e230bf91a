// Drift against a learned model: fields added / removed / retyped (JSON Pointers, one per
// place), a new status, a content type change, and the latency rule (the recent median
// leaving the learned p5–p95 band, reported once when it leaves). Each change is reported
// once because the model learns it right after.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRandom } from '@understudy/plugin-sdk';
import { compareToSchema, detectDrift, latencyShift } from '../src/model/drift.js';
import { EndpointLearner, parseJsonBody } from '../src/model/endpoint.js';
import { inferSchema } from '../src/model/schema.js';
import type { DriftChange, EndpointModel, Observation } from '../src/model/types.js';

let at = 0;
const obs = (body: unknown, over: Partial<Observation> = {}): Observation => {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    at: ++at,
    method: 'GET',
    path: '/orders/1',
    query: {},
    requestHeaders: {},
    status: 200,
    responseHeaders: { 'content-type': 'application/json' },
    responseBody: text,
    responseBytes: text.length,
    latencyMs: 20,
    upstream: 'default',
    source: 'proxy',
    ...over,
  };
};
const match = { template: '/orders/{orderId}', params: { orderId: '1' } };
const order = (i: number) => ({ id: i, total: 10.5, items: [{ sku: 'a', email: 'a@example.com' }], note: null });

/** Learn `n` orders, then run each next observation through drift then learning, as the service does. */
function trained(n = 30): { model: EndpointModel; feed: (o: Observation) => DriftChange[] } {
  const l = new EndpointLearner();
  let model: EndpointModel | undefined;
  for (let i = 0; i < n; i++) model = l.observe(model, obs(order(i)), match);
  const state = { model: model! };
  return {
    get model() {
      return state.model;
    },
    feed(o: Observation) {
      const changes = detectDrift(state.model, o, parseJsonBody(o.responseBody, 'application/json'));
      state.model = l.observe(state.model, o, match);
      return changes;
    },
  };
}

const drift = suite('model: drift');

drift('fields added, removed, type changed — with pointers into arrays, once each', () => {
  const t = trained();
  const changed = t.feed(obs({ id: 'x1', total: 10.5, items: [{ sku: 'a', email: 5, extra: true }, { sku: 'b', email: 6 }], coupon: 'X' }));
  const brief = changed.map((c) => [c.kind, c.pointer, c.before, c.after]);
  assert.equal(brief, [
    ['field-removed', '/note', 'null', undefined],
    ['type-changed', '/id', 'integer', 'string'],
    ['type-changed', '/items/0/email', 'string', 'integer'],
    ['field-added', '/items/0/extra', undefined, 'boolean'],
    ['field-added', '/coupon', undefined, 'string'],
  ]);
  assert.ok(changed.every((c) => c.key === 'GET /orders/{orderId}' && c.status === 200 && c.at === at));
  assert.equal(t.feed(obs({ id: 'x2', total: 1, items: [{ sku: 'a', email: 5, extra: false }], coupon: 'Y' })), [], 'learned: not reported again');
  assert.equal(t.feed(obs({ id: 3, total: 2, items: [], note: null })), [], 'an integer where number|string is allowed is fine');
});

drift('a new status once the endpoint has enough samples; content type changes; transport failures ignored', () => {
  const t = trained();
  const [s] = t.feed(obs({ error: 'gone' }, { status: 410 }));
  assert.equal([s.kind, s.before, s.after, s.status], ['status-new', [200], 410, 410]);
  const [c] = t.feed(obs('<html/>', { responseHeaders: { 'content-type': 'text/html; charset=utf-8' } }));
  assert.equal([c.kind, c.before, c.after], ['content-type-changed', 'application/json', 'text/html']);
  assert.equal(t.feed(obs('', { status: 504, failure: 'timeout', responseBody: undefined })), []);
  const young = trained(5);
  assert.equal(young.feed(obs({ whatever: 1 }, { status: 418 })), [], 'too few samples to call anything drift');
  assert.equal(young.feed(obs({ whatever: 1 })), []);
});

drift('latency shift: the recent median leaves the p5–p95 band, reported when it leaves', () => {
  const r = createRandom(7, 'drift-latency');
  const l = new EndpointLearner();
  let model: EndpointModel | undefined;
  for (let i = 0; i < 400; i++) model = l.observe(model, obs(order(i), { latencyMs: 20 + r.normal(0, 3) }), match);
  let reports: DriftChange[] = [];
  for (let i = 0; i < 100; i++) {
    const o = obs(order(i), { latencyMs: 20 + r.normal(0, 3) });
    reports.push(...detectDrift(model!, o, order(i)).filter((c) => c.kind === 'latency-shift'));
    model = l.observe(model, o, match);
  }
  assert.equal(reports, [], 'a steady endpoint never shifts');
  for (let i = 0; i < 60; i++) {
    const o = obs(order(i), { latencyMs: 200 + r.normal(0, 10) });
    reports.push(...detectDrift(model!, o, order(i)).filter((c) => c.kind === 'latency-shift'));
    model = l.observe(model, o, match);
  }
  assert.is(reports.length, 1, 'once, when the median crossed');
  const [band, median] = [reports[0].before as number[], reports[0].after as number];
  assert.ok(band[0] < 20 && band[1] < 40 && median > band[1], JSON.stringify(reports[0]));
  assert.is(latencyShift({ ...model!, recentLatencyMs: [] }, 5), undefined, 'no window yet');
  assert.is(latencyShift(model!, Number.NaN), undefined);
});

drift('compareToSchema: maps, untyped places and the change cap', () => {
  const map = inferSchema(Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, i])));
  const out = compareToSchema(map, { a: 'x', b: 2 }, { key: 'k', at: 1 });
  assert.equal(out.map((c) => [c.kind, c.pointer]), [['type-changed', '/a']]);
  assert.equal(compareToSchema({}, { anything: 1 }, { key: 'k', at: 1 }), []);
  const wide = inferSchema({ a: 1 });
  const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`f${i}`, i]));
  assert.is(compareToSchema(wide, many, { key: 'k', at: 1 }, 5).length, 5);
  assert.equal(compareToSchema(inferSchema({ 'a/b': { '~': 1 } }), { 'a/b': { '~': 'x' } }, { key: 'k', at: 1 })[0].pointer, '/a~1b/~0');
});

drift.run();
