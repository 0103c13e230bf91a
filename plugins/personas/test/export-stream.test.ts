// The export stream is pulled, not pushed: reading its first chunk reads at most a couple of
// chunks from industry-data (the high-water mark is one chunk), however large the data set,
// so memory is bounded by a chunk; reading it all reads every chunk once.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createVirtualClock, EventBus } from '@understudy/kernel';
import { prepareExport } from '../src/export.js';
import { SessionService } from '../src/sessions.js';
import { SessionStore } from '../src/store.js';
import { DataView } from '../src/view.js';
import { fakeIndustryData, TYPES } from './fake-industry.js';

const stream = suite('export stream');

stream('reading the first chunk reads at most two; reading all reads each once', async () => {
  const data = fakeIndustryData('s');
  const store = new SessionStore(':memory:', '.');
  const clock = createVirtualClock();
  const sessions = new SessionService({
    data,
    store,
    clock,
    events: new EventBus(clock, 10).forPlugin('personas'),
    limits: { default: 'default', autoCreate: true, max: 10, maxEntities: 10, maxBytes: 10_000, maxTotalBytes: 100_000 },
    writeProblems: () => [],
  });
  const view = new DataView(data, sessions);
  const info = TYPES.finance.find((t) => t.plural === 'accounts')!;
  const chunks = 60 / 5;
  const { stream: s, records } = prepareExport(view, { session: 'default', industry: 'finance', info, format: 'ndjson', offset: 0 }, { maxRecords: 1000, chunkSize: 5 });
  assert.is(records, 60);
  const before = data.calls.list;
  const it = s[Symbol.asyncIterator]();
  const first = await it.next();
  assert.is(String(first.value).trimEnd().split('\n').length, 5);
  assert.ok(data.calls.list - before <= 2, `read ${data.calls.list - before} chunks for the first`);
  let lines = 5;
  for (let r = await it.next(); !r.done; r = await it.next()) lines += String(r.value).trimEnd().split('\n').length;
  assert.is(lines, 60);
  assert.is(data.calls.list - before, chunks);
  store.close();
});

stream.run();
