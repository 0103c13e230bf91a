// HAR 1.2 → observations: paths, queries (repeated names), headers (lower-case, repeated
// values, no HTTP/2 pseudo-headers), request and response bodies (base64 decoded, binary
// and oversized bodies counted but not kept), latency, failures (status 0), order; and
// invalid files refused with US_LEARNER_HAR_INVALID naming every bad path. The fixture is
// checked against the har-schema package's HAR 1.2 schemas when that package is installed.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRequire } from 'node:module';
import AjvModule from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parseHar, readHar } from '../src/har.js';
import { harEntry, harFile } from './har-fixtures.js';

const h = suite('HAR import');
const text = (entries: object[]) => JSON.stringify(harFile(entries));

function problemsOf(fn: () => unknown): { code: string; statusCode: number; problems: string[]; message: string } {
  try {
    fn();
  } catch (err) {
    return err as any;
  }
  throw new Error('expected an error');
}

h('the fixture is HAR 1.2 (har-schema, when installed)', () => {
  const require = createRequire(import.meta.url);
  let schemas: Record<string, object>;
  try {
    schemas = require('har-schema');
  } catch {
    console.log('har-schema not installed: fixture not checked against it');
    return;
  }
  const Ajv = (AjvModule as any).default ?? AjvModule;
  const ajv = new Ajv({ strict: false });
  ((addFormatsModule as any).default ?? addFormatsModule)(ajv);
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
  for (const s of Object.values(schemas)) ajv.addSchema(s);
  const validate = ajv.getSchema('har.json#');
  const doc = harFile([harEntry(), harEntry({ request: { method: 'POST', postData: { mimeType: 'application/json', text: '{"a":1}', params: [] } } })]);
  assert.ok(validate(doc), ajv.errorsText(validate.errors));
});

h('an entry becomes an observation', () => {
  const [o] = parseHar(text([harEntry()]), { upstream: 'shop' });
  assert.equal(o, {
    at: Date.parse('2025-10-01T10:00:00.000Z'),
    method: 'GET',
    path: '/users/42',
    query: { expand: 'orders', tag: ['a', 'b'] },
    requestHeaders: { host: 'api.example.com', authorization: 'Bearer abc.def', accept: 'application/json', 'x-trace': ['1', '2'] },
    status: 200,
    responseHeaders: { 'content-type': 'application/json; charset=utf-8', 'set-cookie': 'sid=1' },
    responseBody: '{"id":42,"name":"Ada L."}',
    responseBytes: 27,
    latencyMs: 42.5,
    upstream: 'shop',
    source: 'har',
  });
  assert.is(parseHar(text([harEntry()]))[0].upstream, 'default');
});

h('bodies: request postData, base64 responses decoded, binary and oversized ones not kept', () => {
  const json = Buffer.from('{"ok":true}').toString('base64');
  const entries = [
    harEntry({ request: { method: 'post', postData: { mimeType: 'application/json', text: '{"email":"a@example.com"}' } } }),
    harEntry({ response: { content: { size: 11, mimeType: 'application/json', text: json, encoding: 'base64' } } }),
    harEntry({ response: { content: { size: 4, mimeType: 'image/png', text: Buffer.from([137, 80, 78, 71]).toString('base64'), encoding: 'base64' } } }),
    harEntry({ response: { content: { size: -1, mimeType: 'text/plain', text: 'x'.repeat(100) } } }),
    harEntry({ response: { content: { size: 0, mimeType: 'application/json', text: undefined }, bodySize: 0 } }),
    harEntry({ request: { postData: { mimeType: 'multipart/form-data', text: '--b--' } } }),
  ];
  const [post, b64, png, long, empty, multipart] = parseHar(text(entries), { captureBytes: 50 });
  assert.equal([post.method, post.requestBody], ['POST', '{"email":"a@example.com"}']);
  assert.equal([b64.responseBody, b64.responseBytes], ['{"ok":true}', 11]);
  assert.equal([png.responseBody, png.responseBytes], [undefined, 4]);
  assert.equal([long.responseBody, long.responseBytes], [undefined, 100]);
  assert.equal([empty.responseBody, empty.responseBytes], [undefined, 0]);
  assert.is(multipart.requestBody, undefined);
});

h('query from the URL when queryString is empty; HTTP/2 pseudo-headers dropped; a BOM is fine', () => {
  const e = harEntry({ request: { url: 'https://api.example.com/search?q=shoes&page=2', queryString: [], headers: [{ name: ':authority', value: 'api.example.com' }, { name: 'accept', value: '*/*' }] } });
  const [o] = parseHar(`\uFEFF${text([e])}`);
  assert.equal(o.query, { q: 'shoes', page: '2' });
  assert.equal(o.requestHeaders, { accept: '*/*' });
});

h('status 0 is a transport failure; non-http entries skipped and counted; oldest first', () => {
  const entries = [
    harEntry({ startedDateTime: '2025-10-01T10:00:05.000Z', response: { status: 0, _error: 'net::ERR_TIMED_OUT', content: { size: 0, mimeType: '' } } }),
    harEntry({ startedDateTime: '2025-10-01T10:00:03.000Z', response: { status: 0, _error: 'net::ERR_CONNECTION_RESET' } }),
    harEntry({ startedDateTime: '2025-10-01T10:00:01.000Z', response: { status: 0 } }),
    harEntry({ request: { url: 'data:image/png;base64,AAAA' } }),
    harEntry({ request: { url: 'wss://api.example.com/live' } }),
  ];
  const { observations, skipped } = readHar(text(entries));
  assert.is(skipped, 2);
  assert.equal(observations.map((o) => [o.failure, o.status]), [['connect', 502], ['reset', 502], ['timeout', 504]]);
  assert.ok(observations.every((o) => o.responseBody === undefined));
});

h('not JSON, no log, no entries: coded 400s that say what is wrong', () => {
  for (const [input, problem] of [
    ['{nope', /^\(file\): is not JSON/],
    ['[]', /^\(file\): must be an object/],
    ['{}', /^log: is required/],
    ['{"log":{"version":"1.2"}}', /^log.entries: is required/],
    ['{"log":{"entries":{}}}', /^log.entries: must be an array/],
  ] as const) {
    const err = problemsOf(() => parseHar(input));
    assert.equal([err.code, err.statusCode], ['US_LEARNER_HAR_INVALID', 400]);
    assert.match(err.problems[0], problem);
    assert.match(err.message, /not valid HAR 1\.2/);
  }
  assert.is(problemsOf(() => readHar(42)).problems[0], '(file): must be the HAR file\'s JSON text, got number');
});

h('every bad field is listed with its path, and nothing is learned', () => {
  const entries = [
    harEntry(),
    'nope',
    harEntry({ startedDateTime: 'yesterday', time: -1 }),
    harEntry({ request: { method: 'GE T', url: '/relative', headers: 'x' } }),
    harEntry({ request: { headers: [{ name: 'a' }, 7] }, response: { status: 'ok', headers: undefined, content: { text: '%%%', encoding: 'base64' } } }),
    harEntry({ request: undefined, response: { content: { encoding: 'gzip', text: 'x', size: 'big' } } }),
    harEntry({ response: { status: 1200, content: undefined }, request: { queryString: 'q', postData: 'x' } }),
  ];
  const err = problemsOf(() => parseHar(JSON.stringify({ log: { version: '2.0', entries } })));
  assert.equal(err.problems, [
    'log.version: must be "1.2" (or "1.1"), got "2.0"',
    'log.entries[1]: must be an object, got "nope"',
    'log.entries[2].startedDateTime: must be an ISO 8601 date-time, got "yesterday"',
    'log.entries[2].time: must be a number >= 0, got -1',
    'log.entries[3].request.method: must be an HTTP method, got "GE T"',
    'log.entries[3].request.url: must be an absolute URL, got "/relative"',
    'log.entries[3].request.headers: must be an array of { name, value }, got "x"',
    'log.entries[4].request.headers[0].value: is required',
    'log.entries[4].request.headers[1]: must be an object { name, value }, got 7',
    'log.entries[4].response.status: must be a number >= 0, got "ok"',
    'log.entries[4].response.headers: is required (an array of { name, value })',
    'log.entries[4].response.content.text: is not valid base64 (content.encoding is "base64")',
    'log.entries[5].request: is required',
    'log.entries[5].response.content.size: must be a number >= -1, got "big"',
    'log.entries[5].response.content.encoding: must be "base64" or absent, got "gzip"',
    'log.entries[6].request.queryString: must be an array of { name, value }, got "q"',
    'log.entries[6].request.postData: must be an object, got "x"',
    'log.entries[6].response.status: must be an HTTP status (0 when there was no response), got 1200',
    'log.entries[6].response.content: is required',
  ]);
  assert.match(err.message, /19 problems/);
});

h('the message lists the first 20 problems and counts the rest', () => {
  const entries = Array.from({ length: 25 }, () => harEntry({ time: 'slow' }));
  const err = problemsOf(() => parseHar(text(entries)));
  assert.is(err.problems.length, 25);
  assert.match(err.message, /; … 5 more\./);
});

h('more entries than the limit: 413 US_LEARNER_HAR_TOO_LARGE', () => {
  const err = problemsOf(() => parseHar(text([harEntry(), harEntry(), harEntry()]), { maxEntries: 2 }));
  assert.equal([err.code, err.statusCode], ['US_LEARNER_HAR_TOO_LARGE', 413]);
  assert.match(err.message, /3 entries, more than the 2/);
});

h.run();
