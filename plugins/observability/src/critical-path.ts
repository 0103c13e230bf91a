// A trace's critical path, two ways, from the tracing store's spans (CLIENT and SERVER spans
// of a call both appear: the CLIENT span's own time is the network and queueing around it):
// - `path`, the chain: from the root, the child that finished last is the one its parent
//   waited for, down to a leaf; each hop with its self time (its duration less the time its
//   children cover) — which hop made the request slow;
// - `segments`, Jaeger's critical path: walking back from the root's end, the last child to
//   finish before the current point is on the path (recursively), then the parent's own time
//   before it, and so on — sequential calls each get their share, a parallel sibling that
//   finished earlier gets none. `byService` sums it per service.
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

export interface CriticalSegment {
  spanId: string;
  kind: Span['kind'];
  service?: string;
  endpoint?: string;
  start: number;
  end: number;
  durationMs: number;
}

export interface CriticalPath {
  traceId: string;
  durationMs: number;
  path: CriticalHop[];
  /** The hop with the largest self time: what made the trace slow. */
  slowest?: CriticalHop;
  /** Jaeger's critical path, oldest first: which span the request was waiting on, when. */
  segments: CriticalSegment[];
  /** Time on the critical path per service, largest first (shares of the trace's duration). */
  byService: Array<{ service: string; ms: number; share: number }>;
}

/** Jaeger's critical path below `span` up to `windowEnd`, newest section first, into `out`. */
function walk(span: Span, windowEnd: number, children: Map<string, Span[]>, out: CriticalSegment[]): void {
  const section = (from: number, to: number) => {
    if (to > from)
      out.push({
        spanId: span.spanId,
        kind: span.kind,
        ...(span.service === undefined ? {} : { service: span.service }),
        ...(span.endpoint === undefined ? {} : { endpoint: span.endpoint }),
        start: from,
        end: to,
        durationMs: to - from,
      });
  };
  let cursor = Math.min(windowEnd, span.end);
  // children clipped to the parent, the last to finish first; each is looked at once
  const kids = (children.get(span.spanId) ?? []).slice().sort((a, b) => Math.min(b.end, span.end) - Math.min(a.end, span.end));
  for (const kid of kids) {
    const end = Math.min(kid.end, span.end);
    const start = Math.max(kid.start, span.start);
    if (end > cursor || end < start) continue; // overlaps what is already on the path
    section(end, cursor);
    walk(kid, end, children, out);
    cursor = start;
  }
  section(span.start, cursor);
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
  if (!root) return { traceId: trace.traceId, durationMs: 0, path: [], segments: [], byService: [] };
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
  const segments: CriticalSegment[] = [];
  walk(root, root.end, children, segments);
  segments.reverse();
  const perService = new Map<string, number>();
  for (const seg of segments) {
    const service = seg.service ?? '(unknown)';
    perService.set(service, (perService.get(service) ?? 0) + seg.durationMs);
  }
  const byService = [...perService]
    .map(([service, ms]) => ({ service, ms, share: total > 0 ? ms / total : 0 }))
    .sort((a, b) => b.ms - a.ms || a.service.localeCompare(b.service));
  return { traceId: trace.traceId, durationMs: total, path, ...(slowest ? { slowest } : {}), segments, byService };
}
