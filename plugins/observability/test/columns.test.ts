// The exchange columns: the kernel's exchange ids kept as numbers, anything else as its
// string; records written into the store read back whole, filter by trace id, count their
// bytes and survive the ring wrapping.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { requestNumber, type ExchangeFields } from '../src/exchange-columns.js';
import { LogStore } from '../src/log-store.js';

const it = suite('observability: exchange columns');

const fields = (over: Partial<ExchangeFields> = {}): ExchangeFields => ({
  service: 'svc',
  endpoint: 'GET /orders/:id',
  method: 'GET',
  instance: 'svc-1',
  version: '1.0.0',
  status: 200,
  fault: undefined,
  durationMs: 12.5,
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  parentSpanId: undefined,
  requestId: 'ex-42',
  caller: undefined,
  hops: 0,
  error: undefined,
  ...over,
});

it("the kernel's exchange ids are numbers; anything else is kept as it is", () => {
  assert.is(requestNumber('ex-1'), 1);
  assert.is(requestNumber('ex-0'), 0);
  assert.is(requestNumber('ex-123456789'), 123456789);
  for (const other of ['ex-', 'ex-01', 'ex-1a', 'req-1', 'EX-1', 'ex-1234567890123456']) assert.is(requestNumber(other), -1, other);
});

it('records read back whole, whatever shape their ids have, and filter by trace id', () => {
  const store = new LogStore(10, 1_000_000);
  store.pushExchange(1000, 30, fields());
  store.pushExchange(1001, 50, fields({ traceId: '463ac35c9f6413ad', spanId: 'SPAN-X', parentSpanId: 'b7ad6b7169203331', requestId: 'custom', status: 0, fault: 'NO_RESPONSE', error: 'boom', caller: 'gw', hops: 2, service: undefined, instance: undefined, version: undefined }));
  const [second, first] = store.query().items;
  assert.equal(first, {
    level: 30,
    time: 1000,
    msg: 'svc GET /orders/:id 200 in 12.5 ms',
    kind: 'exchange',
    service: 'svc',
    endpoint: 'GET /orders/:id',
    method: 'GET',
    instance: 'svc-1',
    version: '1.0.0',
    status: 200,
    durationMs: 12.5,
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    requestId: 'ex-42',
    hops: 0,
  });
  assert.equal(second, {
    level: 50,
    time: 1001,
    msg: '- GET /orders/:id NO_RESPONSE in 12.5 ms',
    kind: 'exchange',
    endpoint: 'GET /orders/:id',
    method: 'GET',
    fault: 'NO_RESPONSE',
    durationMs: 12.5,
    traceId: '463ac35c9f6413ad',
    spanId: 'SPAN-X',
    parentSpanId: 'b7ad6b7169203331',
    requestId: 'custom',
    caller: 'gw',
    hops: 2,
    err: 'boom',
  });
  assert.is(store.query({ traceId: '0af7651916cd43dd8448eb211c80319c' }).total, 1);
  assert.is(store.query({ traceId: '463ac35c9f6413ad' }).total, 1);
  assert.is(store.query({ traceId: '0af7651916cd43dd8448eb211c80319d' }).total, 0);
  assert.is(store.query({ service: 'svc' }).total, 1);
  assert.is(store.at(1)!.requestId, 'ex-42');
  assert.is(store.at(99), undefined);
});

it('exchange records are bounded by bytes too: strings of their own count', () => {
  const store = new LogStore(100, 1000);
  for (let i = 0; i < 10; i++) store.pushExchange(i, 30, fields()); // 96 + 2 × (32 + 16) = 192 bytes each
  assert.is(store.size, 5);
  assert.is(store.bytes, 960);
  assert.is(store.stats.droppedForBytes, 5);
  store.pushExchange(20, 50, fields({ error: 'x'.repeat(100) })); // 392 bytes
  assert.is(store.bytes, 192 * 3 + 392);
  store.pushExchange(21, 50, fields({ error: 'x'.repeat(1000) })); // larger than the store
  assert.is(store.stats.droppedTooLarge, 1);
  assert.equal(
    store.query().items.map((r) => r.time),
    [20, 9, 8, 7],
  );
  // the ring wraps: every slot reused, the records still whole
  const small = new LogStore(3, 1_000_000);
  for (let i = 0; i < 8; i++) small.pushExchange(i, 30, fields({ requestId: `ex-${i}`, error: i === 6 ? 'late' : undefined }));
  assert.equal(
    small.query().items.map((r) => [r.time, r.requestId, r.err]),
    [
      [7, 'ex-7', undefined],
      [6, 'ex-6', 'late'],
      [5, 'ex-5', undefined],
    ],
  );
});

it.run();
