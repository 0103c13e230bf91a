// The OpenAPI 3.1 export: a document with openapi 3.1.0, info and paths; every templated
// segment declared as a required path parameter; unique operationIds; schemas that compile
// as JSON Schema 2020-12 (OpenAPI 3.1's dialect) and examples that validate against them;
// the learned latency as `x-understudy-latency`; the learner's `x-values` left out.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { toOpenApi } from '../src/exports/index.js';
import { allEndpoints, createUserEndpoint, endpoint, status, usersEndpoint } from './synth-fixtures.js';

const Ajv2020 = (Ajv2020Module as any).default ?? Ajv2020Module;
const addFormats = (addFormatsModule as any).default ?? addFormatsModule;
const ajv = new Ajv2020({ strict: false });
addFormats(ajv);

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
type Doc = Record<string, any>;

function operations(doc: Doc): Array<{ path: string; method: string; op: Doc }> {
  return Object.entries(doc.paths as Doc).flatMap(([path, item]) => Object.entries(item as Doc).filter(([m]) => METHODS.includes(m)).map(([method, op]) => ({ path, method, op: op as Doc })));
}

const o = suite('OpenAPI export');

o('document structure: openapi 3.1.0, info, servers, paths', () => {
  const doc = toOpenApi(allEndpoints(), { title: 'Shop', servers: ['https://api.example.com'] }) as Doc;
  assert.is(doc.openapi, '3.1.0');
  assert.equal([doc.info.title, doc.info.version], ['Shop', '1.0.0']);
  assert.match(doc.info.description, /Learned by Understudy from \d+ observed requests over 7 endpoints/);
  assert.equal(doc.servers, [{ url: 'https://api.example.com' }]);
  assert.equal(Object.keys(doc.paths).sort(), ['/health', '/products/{productId}', '/users', '/users/me', '/users/{userId}']);
  assert.equal(Object.keys(doc.paths['/users/{userId}']).sort(), ['delete', 'get']);
  assert.equal(toOpenApi(allEndpoints()), toOpenApi(allEndpoints()));
});

o('every templated segment is a required path parameter; operationIds are unique', () => {
  const doc = toOpenApi(allEndpoints()) as Doc;
  const ids = new Set<string>();
  for (const { path, op } of operations(doc)) {
    const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    const declared = (op.parameters ?? []).filter((p: Doc) => p.in === 'path');
    assert.equal(declared.map((p: Doc) => p.name), names, path);
    assert.ok(declared.every((p: Doc) => p.required === true));
    assert.ok(!ids.has(op.operationId), op.operationId);
    ids.add(op.operationId);
    assert.ok(Object.keys(op.responses).length > 0);
  }
  const get = doc.paths['/users/{userId}'].get;
  assert.equal(get.parameters[0], { name: 'userId', in: 'path', required: true, schema: { type: 'integer', minimum: 0 } });
  assert.equal(doc.paths['/products/{productId}'].get.parameters[0].schema, { type: 'string', format: 'uuid' });
  assert.is(get.operationId, 'getUsersUserId');
  assert.equal(get.tags, ['users']);
});

o('schemas compile as JSON Schema 2020-12 and every example validates against its schema', () => {
  const doc = toOpenApi(allEndpoints()) as Doc;
  let examples = 0;
  for (const { op } of operations(doc)) {
    for (const [code, res] of Object.entries(op.responses as Doc)) {
      assert.ok(typeof (res as Doc).description === 'string' && (res as Doc).description.length > 0, code);
      for (const media of Object.values(((res as Doc).content ?? {}) as Doc)) {
        if (!media.schema) continue;
        const validate = ajv.compile(media.schema);
        for (const ex of Object.values((media.examples ?? {}) as Doc)) {
          assert.ok(validate(ex.value), `${op.operationId} ${code}: ${ajv.errorsText(validate.errors)}`);
          examples++;
        }
      }
    }
    if (op.requestBody) ajv.compile(op.requestBody.content['application/json'].schema);
    for (const p of op.parameters ?? []) ajv.compile(p.schema);
  }
  assert.ok(examples >= 5, String(examples));
});

o('responses: statuses, media type without parameters, headers, examples; 204 without content', () => {
  const doc = toOpenApi(allEndpoints(), { examplesPerStatus: 1 }) as Doc;
  const get = doc.paths['/users/{userId}'].get;
  assert.equal(Object.keys(get.responses), ['200', '404', '500']);
  const ok = get.responses['200'];
  assert.match(ok.description, /^OK — seen 970 times$/);
  assert.equal(Object.keys(ok.content), ['application/json']);
  assert.equal(Object.keys(ok.content['application/json'].examples), ['example1']);
  assert.equal(ok.headers, { 'x-request-id': { schema: { type: 'string' }, example: 'abc' } });
  assert.is(doc.paths['/users/{userId}'].delete.responses['204'].content, undefined);
  assert.equal(doc.paths['/health'].get.responses['200'].content['text/plain'].examples.example1.value, 'ok');
  assert.is(doc.paths['/users'].get.responses['200'].content['application/json'].examples.example1.summary, '/users?page=3');
  const post = doc.paths['/users'].post;
  assert.equal(post.requestBody.content['application/json'].schema, createUserEndpoint().requestSchema);
});

o('query parameters: required only when every request had them', () => {
  const doc = toOpenApi(allEndpoints()) as Doc;
  const params = doc.paths['/users'].get.parameters;
  assert.equal(params.map((p: Doc) => [p.name, p.in, p.required]), [['limit', 'query', false], ['page', 'query', false]]);
  const always = endpoint({ method: 'GET', template: '/search', count: 10, query: { q: { count: 10, schema: { type: 'string' } } }, statuses: [status(200, 10)] });
  assert.is((toOpenApi([always]) as Doc).paths['/search'].get.parameters[0].required, true);
});

o('extensions: latency percentiles, requests, error rate; x-values dropped unless kept', () => {
  const model = usersEndpoint();
  model.statuses[0].schema = { ...model.statuses[0].schema, properties: { ...(model.statuses[0].schema!.properties as Doc), status: { type: 'string', enum: ['active'], 'x-values': ['active'] } } };
  const get = (toOpenApi([model]) as Doc).paths['/users/{userId}'].get;
  assert.equal(get['x-understudy-latency'].p99Ms, model.latency.p99Ms);
  assert.equal(Object.keys(get['x-understudy-latency']), ['count', 'minMs', 'maxMs', 'meanMs', 'emaMs', 'p50Ms', 'p90Ms', 'p95Ms', 'p99Ms', 'p999Ms']);
  assert.is(get['x-understudy-requests'], 1000);
  assert.is(get['x-understudy-error-rate'], 0.02);
  assert.not.ok(JSON.stringify(get).includes('x-values'));
  const kept = (toOpenApi([model], { keepValues: true }) as Doc).paths['/users/{userId}'].get;
  assert.ok(JSON.stringify(kept).includes('x-values'));
});

o('templates of one shape with other names share one path; an endpoint without statuses gets a default response', () => {
  const a = endpoint({ method: 'GET', template: '/orders/{orderId}', params: { orderId: 'integer' }, statuses: [status(200, 1, { schema: { type: 'object' } })] });
  const b = endpoint({ method: 'DELETE', template: '/orders/{param1}', params: { param1: 'integer' }, statuses: [] });
  const doc = toOpenApi([a, b]) as Doc;
  assert.equal(Object.keys(doc.paths), ['/orders/{orderId}']);
  assert.equal(doc.paths['/orders/{orderId}'].delete.parameters[0].name, 'orderId');
  assert.equal(doc.paths['/orders/{orderId}'].delete.responses, { default: { description: 'No response learned yet' } });
  assert.is(doc.paths['/orders/{orderId}'].delete['x-understudy-latency'].count, a.latency.count);
});

o.run();
