// A trace's critical path: starting at the root span, the child that finished last is the
// one the parent waited for, so the path follows it down; each hop carries its self time
// (its duration less the time covered by its children), which says where the time went.
// Built from the tracing store's spans (CLIENT and SERVER spans of a call both appear:
// the CLIENT span's self time is the network and queueing around the call).
import type { Span, TraceRecord } from '@understudy/plugin-tracing';

export interface CriticalHop {
  spanId: string;
  kind: Span['kind'];
  name: string;
  service?: string;
  endpoint?: string;
  instance?: string;
  caller?: string;
  start: number;
  durationMs: number;
  /** Duration less the union of its children's intervals (clipped to the span). */
  selfMs: number;
  /** Share of the trace's duration spent in this span itself (0..1). */
  selfShare: number;
  error: boolean;
}

export interface CriticalPath {
  traceId: string;
  durationMs: number;
  path: CriticalHop[];
  /** The hop with the largest self time: what made the trace slow. */
  slowest?: CriticalHop;
}

/** Length of the union of intervals, each clipped to [lo, hi]. */
function covered(intervals: Array<[number, number]>, lo: number, hi: number): number {
  const clipped = intervals.map(([a, b]) => [Math.max(a, lo), Math.min(b, hi)] as [number, number]).filter(([a, b]) => b > a);
  clipped.sort((x, y) => x[0] - y[0]);
  let total = 0;
  let curA = -Infinity;
  let curB = -Infinity;
  for (const [a, b] of clipped) {
    if (a > curB) {
      if (curB > curA) total += curB - curA;
      curA = a;
      curB = b;
    } else if (b > curB) curB = b;
  }
  if (curB > curA) total += curB - curA;
  return total;
}

export function criticalPath(trace: TraceRecord): CriticalPath {
  const spans = trace.spans;
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const children = new Map<string, Span[]>();
  const roots: Span[] = [];
  for (const s of spans) {
    if (s.parentSpanId !== undefined && byId.has(s.parentSpanId)) {
      let list = children.get(s.parentSpanId);
      if (!list) children.set(s.parentSpanId, (list = []));
      list.push(s);
    } else roots.push(s);
  }
  // the root: the earliest span without a parent here (the longest when two start together)
  roots.sort((a, b) => a.start - b.start || b.duration - a.duration);
  const root = roots[0];
  if (!root) return { traceId: trace.traceId, durationMs: 0, path: [] };
  const start = Math.min(...spans.map((s) => s.start));
  const end = Math.max(...spans.map((s) => s.end));
  const total = end - start;
  const path: CriticalHop[] = [];
  let current: Span | undefined = root;
  const seen = new Set<string>();
  while (current && !seen.has(current.spanId)) {
    seen.add(current.spanId);
    const kids: Span[] = children.get(current.spanId) ?? [];
    const selfMs = Math.max(0, current.duration - covered(kids.map((k) => [k.start, k.end]), current.start, current.end));
    path.push({
      spanId: current.spanId,
      kind: current.kind,
      name: current.name,
      ...(current.service === undefined ? {} : { service: current.service }),
      ...(current.endpoint === undefined ? {} : { endpoint: current.endpoint }),
      ...(current.instance === undefined ? {} : { instance: current.instance }),
      ...(current.caller === undefined ? {} : { caller: current.caller }),
      start: current.start,
      durationMs: current.duration,
      selfMs,
      selfShare: total > 0 ? selfMs / total : 0,
      error: current.error,
    });
    // the child the span waited for: the last to finish (the longest when two end together)
    current = kids.length ? kids.reduce((a: Span, b: Span) => (b.end > a.end || (b.end === a.end && b.duration > a.duration) ? b : a)) : undefined;
  }
  const slowest = path.reduce<CriticalHop | undefined>((a, h) => (a === undefined || h.selfMs > a.selfMs ? h : a), undefined);
  return { traceId: trace.traceId, durationMs: total, path, ...(slowest ? { slowest } : {}) };
}
