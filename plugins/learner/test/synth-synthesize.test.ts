// synthesize(): the status mix and error rate, latency from the histogram, headers, the
// path parameter echoed where the examples show it, recorded examples for the very same
// request, request body fields echoed on writes, bodies always valid, and determinism.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { createRandom } from '@understudy/plugin-sdk';
import { synthesize, type SynthRequest } from '../src/synth/index.js';
import { createUserEndpoint, deleteUserEndpoint, endpoint, healthEndpoint, LATENCIES, productEndpoint, status, usersEndpoint, usersListEndpoint, userSchema } from './synth-fixtures.js';

const Ajv2020 = (Ajv2020Module as any).default ?? Ajv2020Module;
const addFormats = (addFormatsModule as any).default ?? addFormatsModule;
const ajv = new Ajv2020({ strict: false });
addFormats(ajv);

const get = (path: string, params: Record<string, string> = {}, query: SynthRequest['query'] = {}): SynthRequest => ({ method: 'GET', path, params, query });
const rnd = (seed: number | string, req: SynthRequest) => createRandom(seed, `GET /users/{userId}${req.path}`);

const s = suite('synthesize');

s('the status mix follows the learned counts; errors at the learned error rate', () => {
  const model = usersEndpoint();
  const counts = new Map<number, number>();
  for (let i = 0; i < 4000; i++) {
    const req = get(`/users/${i}`, { userId: String(i) });
    const r = synthesize(model, req, rnd(1, req), { latency: false });
    counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  }
  const share = (code: number) => (counts.get(code) ?? 0) / 4000;
  assert.ok(Math.abs(share(500) - 0.02) < 0.01, `500: ${share(500)}`);
  assert.ok(Math.abs(share(404) - 0.0098) < 0.006, `404: ${share(404)}`);
  assert.ok(Math.abs(share(200) - 0.9702) < 0.012, `200: ${share(200)}`);
  // errors: false never answers 5xx
  for (let i = 0; i < 500; i++) {
    const req = get(`/users/${i}`, { userId: String(i) });
    assert.ok(synthesize(model, req, rnd(1, req), { errors: false }).status < 500);
  }
});

s('every body validates against the schema of its status, over many requests', () => {
  const models = [usersEndpoint(), usersListEndpoint(), productEndpoint()];
  let checked = 0;
  for (const model of models) {
    for (let i = 0; i < 300; i++) {
      const id = model.params.productId ? `0c9a5a3e-8a52-4a53-9d47-${String(100000000000 + i)}` : String(i + 1);
      const req = get(model.template.replace(/\{\w+\}/, id), model.template.includes('{') ? { [Object.keys(model.params)[0]]: id } : {}, { page: String((i % 50) + 1) });
      const r = synthesize(model, req, createRandom(7, req.path));
      const st = model.statuses.find((x) => x.status === r.status)!;
      const validate = ajv.compile(st.schema!);
      assert.ok(validate(JSON.parse(r.body)), `${r.body} ${ajv.errorsText(validate.errors)}`);
      checked++;
    }
  }
  assert.is(checked, 900);
});

s('GET /users/42 answers id 42 (the examples show id = the path parameter)', () => {
  const model = usersEndpoint();
  for (const id of ['42', '5', '99999']) {
    const req = get(`/users/${id}`, { userId: id });
    const r = synthesize(model, req, rnd(3, req), { status: 200 });
    assert.is(JSON.parse(r.body).id, Number(id));
    assert.is(r.via, 'synthesized');
  }
});

s('a uuid path parameter is echoed into a uuid id even without examples (schema rule)', () => {
  const model = productEndpoint();
  const id = '3f2b8a0e-0d3c-4e1a-9b7f-2a6c5d4e3f21';
  const r = synthesize(model, get(`/products/${id}`, { productId: id }), createRandom(1, 'p'));
  assert.is(JSON.parse(r.body).id, id);
  // a value that does not fit the field is not forced into it
  const bad = synthesize(model, get('/products/nope', { productId: 'nope' }), createRandom(1, 'p'));
  assert.match(JSON.parse(bad.body).id, /^[0-9a-f-]{36}$/);
});

s('the recorded example of this very request is answered as recorded', () => {
  const model = usersEndpoint();
  const r = synthesize(model, get('/users/7', { userId: '7' }), createRandom(1, 'x'), { status: 200 });
  assert.is(r.via, 'example');
  assert.is(JSON.parse(r.body).email, 'ada@example.com');
  const off = synthesize(model, get('/users/7', { userId: '7' }), createRandom(1, 'x'), { status: 200, examples: false });
  assert.is(off.via, 'synthesized');
  assert.is(JSON.parse(off.body).id, 7);
});

s('a query parameter the examples echo is echoed (page)', () => {
  const model = usersListEndpoint();
  for (const page of ['2', '17']) {
    const r = synthesize(model, get('/users', {}, { page }), createRandom(2, page));
    assert.is(JSON.parse(r.body).page, Number(page));
  }
});

s('a write echoes the request body fields the response schema has', () => {
  const model = createUserEndpoint();
  const body = JSON.stringify({ email: 'new.person@example.org', firstName: 'Nia' });
  const r = synthesize(model, { method: 'POST', path: '/users', params: {}, query: {}, body }, createRandom(4, 'post'), { status: 201 });
  const out = JSON.parse(r.body);
  assert.is(out.email, 'new.person@example.org');
  assert.is(out.firstName, 'Nia');
  assert.is(r.headers.location, '/users/77');
});

s('headers: typical ones kept, transfer-specific and redacted ones dropped, content type set', () => {
  const req = get('/users/8', { userId: '8' });
  const r = synthesize(usersEndpoint(), req, createRandom(1, 'h'), { status: 200 });
  assert.equal(r.headers, { 'content-type': 'application/json; charset=utf-8', 'x-request-id': 'abc' });
});

s('204 has no body; a text endpoint answers with its example; an endpoint without statuses answers 200 empty', () => {
  const del = synthesize(deleteUserEndpoint(), { method: 'DELETE', path: '/users/3', params: { userId: '3' }, query: {} }, createRandom(1, 'd'));
  assert.is(del.status, 204);
  assert.is(del.body, '');
  const health = synthesize(healthEndpoint(), get('/health'), createRandom(1, 'h'));
  assert.equal([health.body, health.via, health.headers['content-type']], ['ok', 'example', 'text/plain']);
  const bare = synthesize(endpoint({ method: 'GET', template: '/x' }), get('/x'), createRandom(1, 'x'));
  assert.equal([bare.status, bare.body], [200, '']);
  const noSchema = synthesize(endpoint({ method: 'GET', template: '/y', statuses: [status(200, 1, { schema: undefined })] }), get('/y'), createRandom(1, 'y'));
  assert.equal([noSchema.status, noSchema.body], [200, '']);
  const forced = synthesize(usersEndpoint(), get('/users/1', { userId: '1' }), createRandom(1, 'f'), { status: 418 });
  assert.equal([forced.status, forced.body], [418, '']);
});

s('latency follows the learned distribution (inverse CDF of the histogram)', () => {
  const model = usersEndpoint();
  const samples: number[] = [];
  for (let i = 0; i < 3000; i++) samples.push(synthesize(model, get(`/users/${i}`, { userId: String(i) }), createRandom(5, String(i))).delayMs);
  samples.sort((a, b) => a - b);
  const real = [...LATENCIES].sort((a, b) => a - b);
  const q = (xs: number[], p: number) => xs[Math.floor(p * (xs.length - 1))];
  for (const p of [0.1, 0.5, 0.9, 0.99]) {
    const ratio = q(samples, p) / q(real, p);
    assert.ok(ratio > 0.85 && ratio < 1.15, `p${p * 100}: ${q(samples, p)} vs ${q(real, p)}`);
  }
  // Kolmogorov–Smirnov distance between replayed and recorded
  let d = 0;
  for (const x of new Set(real)) {
    const fa = real.filter((v) => v <= x).length / real.length;
    const fb = samples.filter((v) => v <= x).length / samples.length;
    d = Math.max(d, Math.abs(fa - fb));
  }
  assert.ok(d < 0.05, `KS ${d}`);
});

s('without a histogram, a log-normal from the summary; latency off gives 0', () => {
  const model = { ...usersEndpoint(), latencyHistogram: '' };
  const v = synthesize(model, get('/users/1', { userId: '1' }), createRandom(1, 'l'));
  assert.ok(v.delayMs >= model.latency.minMs && v.delayMs <= model.latency.maxMs);
  assert.is(synthesize(model, get('/users/1', { userId: '1' }), createRandom(1, 'l'), { latency: false }).delayMs, 0);
  const none = { ...model, latency: { ...model.latency, count: 0 } };
  assert.is(synthesize(none, get('/users/1', { userId: '1' }), createRandom(1, 'l')).delayMs, 0);
  const broken = { ...usersEndpoint(), latencyHistogram: 'not-a-histogram' };
  assert.ok(synthesize(broken, get('/users/1', { userId: '1' }), createRandom(1, 'l')).delayMs >= 0);
});

s('deterministic: same seed and request → same response; another seed or path → another body', () => {
  const model = usersEndpoint();
  const req = get('/users/31', { userId: '31' });
  const a = synthesize(model, req, createRandom('run-1', req.path));
  const b = synthesize(model, req, createRandom('run-1', req.path));
  assert.equal(a, b);
  const c = synthesize(model, req, createRandom('run-2', req.path), { status: a.status });
  assert.is.not(c.body, a.body);
  const req2 = get('/users/32', { userId: '32' });
  assert.is.not(synthesize(model, req2, createRandom('run-1', req2.path), { status: a.status }).body, a.body);
  // interleaving other syntheses does not change a response (faker is re-seeded per call)
  synthesize(usersListEndpoint(), get('/users'), createRandom(9, 'other'));
  assert.equal(synthesize(model, req, createRandom('run-1', req.path)), a);
});

s('schema of the user fixture is what the bodies validate against (sanity)', () => {
  assert.ok(ajv.validateSchema(userSchema));
});

s.run();
