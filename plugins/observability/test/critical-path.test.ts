// The critical path on synthetic traces: parallel siblings (the one that finished last is
// waited on), sequential calls (each on the path), children running past their parent
// (clipped), and an empty trace.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Span, TraceRecord } from '@understudy/plugin-tracing';
import { criticalPath } from '../src/critical-path.js';

const it = suite('observability: critical path');

const span = (spanId: string, parentSpanId: string | undefined, service: string, start: number, end: number): Span => ({
  traceId: 't',
  spanId,
  ...(parentSpanId ? { parentSpanId } : {}),
  kind: 'server',
  name: service,
  method: 'GET',
  path: '/',
  service,
  hops: 0,
  error: false,
  start,
  end,
  duration: end - start,
  attributes: {},
  flags: 1,
});
const trace = (spans: Span[]): TraceRecord => ({ traceId: 't', spans, droppedSpans: 0, flags: 1 });

it('parallel siblings: only the last to finish is waited on', () => {
  // root 0–100; a 10–60 and b 10–90 in parallel; root's own work 0–10 and 90–100
  const cp = criticalPath(trace([span('r', undefined, 'root', 0, 100), span('a', 'r', 'a', 10, 60), span('b', 'r', 'b', 10, 90)]));
  assert.equal(
    cp.segments.map((s) => [s.service, s.start, s.end]),
    [
      ['root', 0, 10],
      ['b', 10, 90],
      ['root', 90, 100],
    ],
  );
  assert.equal(cp.byService, [
    { service: 'b', ms: 80, share: 0.8 },
    { service: 'root', ms: 20, share: 0.2 },
  ]);
  assert.equal(
    cp.path.map((h) => [h.service, h.selfMs]),
    [
      ['root', 20],
      ['b', 80],
    ],
  );
  assert.is(cp.slowest!.service, 'b');
});

it('sequential calls: each is on the path in turn; a child running past its parent is clipped', () => {
  const cp = criticalPath(trace([span('r', undefined, 'root', 0, 50), span('a', 'r', 'a', 0, 20), span('b', 'r', 'b', 20, 70), span('c', 'b', 'c', 30, 40)]));
  assert.equal(
    cp.segments.map((s) => [s.service, s.start, s.end]),
    [
      ['a', 0, 20],
      ['b', 20, 30],
      ['c', 30, 40],
      ['b', 40, 50],
    ],
  );
  assert.is(cp.durationMs, 70);
});

it('an empty trace has no path', () => {
  assert.equal(criticalPath(trace([])), { traceId: 't', durationMs: 0, path: [], segments: [], byService: [] });
});

it.run();
