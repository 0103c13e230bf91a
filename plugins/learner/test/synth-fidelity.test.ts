// End to end on the pure parts: a "real" API's responses (generated from a true schema
// with its own quirks: optional and nullable fields, enums, nested objects, arrays,
// formats, an id equal to the path parameter, 404s and 500s) are learned by the model's
// EndpointLearner; synthesized responses must then validate against the learned schema
// AND the true one (100 %), echo the id, and follow the learned status mix.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { createRandom } from '@understudy/plugin-sdk';
import { EndpointLearner } from '../src/model/endpoint.js';
import type { EndpointModel, Observation } from '../src/model/types.js';
import { synthesize } from '../src/synth/index.js';
import { parseHar } from '../src/har.js';
import { harEntry, harFile } from './har-fixtures.js';

const Ajv2020 = (Ajv2020Module as any).default ?? Ajv2020Module;
const addFormats = (addFormatsModule as any).default ?? addFormatsModule;
const ajv = new Ajv2020({ strict: false });
addFormats(ajv);

const TRUE_USER = {
  type: 'object',
  required: ['id', 'email', 'name', 'role', 'createdAt', 'address', 'tags', 'score', 'deletedAt'],
  additionalProperties: false,
  properties: {
    id: { type: 'integer', minimum: 1 },
    email: { type: 'string', format: 'email' },
    name: { type: 'string', minLength: 1 },
    nickname: { type: 'string' },
    role: { enum: ['admin', 'member', 'guest'] },
    createdAt: { type: 'string', format: 'date-time' },
    deletedAt: { type: ['string', 'null'], format: 'date-time' },
    score: { type: 'number', minimum: 0, maximum: 100 },
    tags: { type: 'array', maxItems: 4, items: { type: 'string', minLength: 2 } },
    address: {
      type: 'object',
      required: ['city', 'zip'],
      additionalProperties: false,
      properties: { city: { type: 'string' }, zip: { type: 'string', pattern: '^[0-9]{5}$' }, geo: { type: 'object', required: ['lat', 'lng'], properties: { lat: { type: 'number', minimum: -90, maximum: 90 }, lng: { type: 'number', minimum: -180, maximum: 180 } } } },
    },
  },
};
const TRUE_ERROR = { type: 'object', required: ['error'], properties: { error: { type: 'string' }, detail: { type: 'string' } } };

const NAMES = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken'];
const CITIES = ['Lyon', 'Turin', 'Leeds', 'Graz', 'Porto'];

/** The real backend: responses for GET /users/{id}, deterministic. */
function realResponse(i: number): Observation {
  const r = createRandom(11, `real/${i}`);
  const id = r.int(1, 5000);
  const roll = r.next();
  const at = 1_760_000_000_000 + i * 1000;
  const base = { at, method: 'GET', path: `/users/${id}`, query: {}, requestHeaders: {}, latencyMs: 20 + r.int(0, 30) + (r.chance(0.05) ? 300 : 0), upstream: 'real', source: 'proxy' as const };
  const json = { 'content-type': 'application/json' };
  if (roll < 0.03) return { ...base, status: 500, responseHeaders: json, responseBody: JSON.stringify({ error: 'internal' }), responseBytes: 20 };
  if (roll < 0.08) return { ...base, status: 404, responseHeaders: json, responseBody: JSON.stringify({ error: 'not_found', detail: `no user ${id}` }), responseBytes: 40 };
  const name = r.pick(NAMES);
  const user: Record<string, unknown> = {
    id,
    email: `${name.toLowerCase()}${id}@example.com`,
    name: `${name} ${String.fromCharCode(65 + r.int(0, 25))}.`,
    role: r.pick(['admin', 'member', 'member', 'guest']),
    createdAt: new Date(at - r.int(0, 1e9)).toISOString(),
    deletedAt: r.chance(0.2) ? new Date(at - r.int(0, 1e8)).toISOString() : null,
    score: Math.round(r.next() * 10000) / 100,
    tags: Array.from({ length: r.int(0, 4) }, () => r.pick(['vip', 'beta', 'staff', 'new'])),
    address: { city: r.pick(CITIES), zip: String(r.int(10000, 99999)), ...(r.chance(0.5) && { geo: { lat: r.next() * 180 - 90, lng: r.next() * 360 - 180 } }) },
  };
  if (r.chance(0.4)) user.nickname = name.toLowerCase();
  const body = JSON.stringify(user);
  return { ...base, status: 200, responseHeaders: json, responseBody: body, responseBytes: body.length };
}

function learn(observations: Observation[]): EndpointModel {
  const learner = new EndpointLearner();
  let model: EndpointModel | undefined;
  for (const o of observations) model = learner.observe(model, o, { template: '/users/{userId}', params: { userId: o.path.split('/')[2] }, classes: { userId: 'integer' } });
  return model!;
}

const f = suite('schema fidelity: learned, then synthesized');

f('synthesized bodies validate against the learned and the true schema, 100 %; the id is echoed', () => {
  const model = learn(Array.from({ length: 400 }, (_, i) => realResponse(i)));
  const trueUser = ajv.compile(TRUE_USER);
  const trueError = ajv.compile(TRUE_ERROR);
  const learned = new Map(model.statuses.map((s) => [s.status, ajv.compile(s.schema!)]));
  const idSchema = (model.statuses.find((s) => s.status === 200)!.schema!.properties as any).id;
  const [idMin, idMax] = [idSchema.minimum as number, idSchema.maximum as number];
  const failures: string[] = [];
  const statuses = new Map<number, number>();
  const N = 600;
  for (let i = 0; i < N; i++) {
    // ids inside the learned range, so every body also validates against the learned schema
    const id = String(idMin + ((i * 7919) % (idMax - idMin + 1)));
    const res = synthesize(model, { method: 'GET', path: `/users/${id}`, params: { userId: id }, query: {} }, createRandom('fidelity', `${model.key}/users/${id}`));
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    const body = JSON.parse(res.body);
    if (!learned.get(res.status)!(body)) failures.push(`learned ${res.status}: ${ajv.errorsText(learned.get(res.status)!.errors)} ${res.body}`);
    const truth = res.status === 200 ? trueUser : trueError;
    if (!truth(body)) failures.push(`true ${res.status}: ${ajv.errorsText(truth.errors)} ${res.body}`);
    if (res.status === 200 && body.id !== Number(id)) failures.push(`id ${body.id} for ${id}`);
  }
  assert.equal(failures.slice(0, 3), [], `${failures.length} failures`);
  // an id above the largest seen is echoed all the same (the learned range is what traffic
  // showed, not what the API accepts): the body then fits the true schema, not the learned range
  const above = synthesize(model, { method: 'GET', path: '/users/999999', params: { userId: '999999' }, query: {} }, createRandom(1, 'above'), { status: 200 });
  assert.is(JSON.parse(above.body).id, 999999);
  assert.ok(trueUser(JSON.parse(above.body)), ajv.errorsText(trueUser.errors));
  const share = (s: number) => (statuses.get(s) ?? 0) / N;
  const learnedShare = (s: number) => model.statuses.find((x) => x.status === s)!.count / model.count;
  for (const s of [200, 404, 500]) assert.ok(Math.abs(share(s) - learnedShare(s)) < 0.03, `${s}: ${share(s)} vs ${learnedShare(s)}`);
});

f('a HAR import learns the same way (parseHar → EndpointLearner → synthesize)', () => {
  const entries = Array.from({ length: 60 }, (_, i) => {
    const o = realResponse(i);
    return harEntry({ startedDateTime: new Date(o.at).toISOString(), time: o.latencyMs, request: { url: `https://api.example.com${o.path}`, queryString: [] }, response: { status: o.status, content: { size: o.responseBytes, mimeType: 'application/json', text: o.responseBody } } });
  });
  const model = learn(parseHar(JSON.stringify(harFile(entries))));
  assert.is(model.count, 60);
  const idSchema = (model.statuses.find((s) => s.status === 200)!.schema!.properties as any).id;
  const id = String(Math.round((idSchema.minimum + idSchema.maximum) / 2));
  const res = synthesize(model, { method: 'GET', path: `/users/${id}`, params: { userId: id }, query: {} }, createRandom(1, 'har'), { status: 200, examples: false });
  assert.ok(ajv.validate(TRUE_USER, JSON.parse(res.body)), ajv.errorsText());
  assert.is(JSON.parse(res.body).id, Number(id));
});

f.run();
