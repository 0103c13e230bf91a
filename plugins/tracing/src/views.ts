// Views of one trace: a span tree, a text waterfall and a Mermaid sequence diagram;
// and the service map in Mermaid. A call between services is two spans (the caller's
// CLIENT span, the callee's SERVER span under it): the tree and the waterfall show both,
// the sequence diagram draws the call once.
import type { EdgeStats, Span, TraceRecord } from './contract.js';

export interface SpanNode extends Span {
  /** ms since the trace's first span started. */
  offsetMs: number;
  children: SpanNode[];
}

export function spanTree(rec: TraceRecord): SpanNode[] {
  const start = Math.min(...rec.spans.map((s) => s.start));
  const nodes = new Map<string, SpanNode>();
  for (const s of rec.spans) nodes.set(s.spanId, { ...s, offsetMs: s.start - start, children: [] });
  const roots: SpanNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentSpanId ? nodes.get(node.parentSpanId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  const order = (list: SpanNode[]) => {
    list.sort((a, b) => a.start - b.start || a.hops - b.hops);
    for (const n of list) order(n.children);
  };
  order(roots);
  return roots;
}

function walk(nodes: SpanNode[], depth: number, visit: (n: SpanNode, depth: number) => void): void {
  for (const n of nodes) {
    visit(n, depth);
    walk(n.children, depth + 1, visit);
  }
}

const BAR = 40;

export function waterfall(rec: TraceRecord): string {
  const tree = spanTree(rec);
  const start = Math.min(...rec.spans.map((s) => s.start));
  const total = Math.max(1, Math.max(...rec.spans.map((s) => s.end)) - start);
  const rows: { label: string; offset: number; duration: number; mark: string }[] = [];
  walk(tree, 0, (n, depth) => {
    // a CLIENT span reads as the call it is: `a → GET b go 200`
    const call = n.kind === 'client' ? `${n.caller ?? 'client'} → ` : '';
    const label = `${'  '.repeat(depth)}${call}${n.name}${n.status === undefined ? '' : ` ${n.status}`}${n.error ? ' !' : ''}`;
    rows.push({ label, offset: n.offsetMs, duration: n.duration, mark: n.error ? '!' : '#' });
  });
  const width = Math.max(...rows.map((r) => r.label.length));
  const lines = [`trace ${rec.traceId}  ${rec.spans.length} span(s), ${total} ms${rec.droppedSpans ? `, ${rec.droppedSpans} dropped` : ''}`];
  for (const r of rows) {
    const from = Math.min(BAR - 1, Math.floor((r.offset / total) * BAR));
    const len = Math.max(1, Math.min(BAR - from, Math.round((r.duration / total) * BAR)));
    const bar = ' '.repeat(from) + r.mark.repeat(len) + ' '.repeat(BAR - from - len);
    lines.push(`${r.label.padEnd(width)}  +${String(r.offset).padStart(5)} ms ${String(r.duration).padStart(5)} ms |${bar}|`);
  }
  return `${lines.join('\n')}\n`;
}

/** A Mermaid-safe participant id. */
const pid = (name: string) => name.replace(/[^A-Za-z0-9_]/g, '_');
const label = (text: string) => text.replace(/[;#\n]/g, ' ');

export function sequenceDiagram(rec: TraceRecord): string {
  const tree = spanTree(rec);
  const participants: string[] = [];
  const add = (name: string) => {
    if (!participants.includes(name)) participants.push(name);
  };
  const body: string[] = [];
  const visit = (n: SpanNode, from: string) => {
    const to = n.service ?? 'http';
    add(from);
    add(to);
    body.push(`  ${pid(from)}->>${pid(to)}: ${label(`${n.method} ${n.endpoint ?? n.path}`)}`);
    // a CLIENT span and the callee's SERVER span under it are one call: one arrow each way,
    // the answer as the caller saw it; what the callee called hangs under its SERVER span
    const inner = n.kind === 'client' ? n.children.flatMap((c) => (c.kind === 'server' ? c.children : [c])) : n.children;
    for (const c of inner) visit(c, to);
    body.push(`  ${pid(to)}${n.error ? '--x' : '-->>'}${pid(from)}: ${n.status ?? 'no response'}${n.fault ? ` ${n.fault}` : ''} (${n.duration} ms)`);
  };
  for (const root of tree) visit(root, root.caller ?? 'client');
  return ['sequenceDiagram', ...participants.map((p) => `  participant ${pid(p)} as ${label(p)}`), ...body].join('\n') + '\n';
}

export function serviceMapMermaid(edges: EdgeStats[]): string {
  const lines = ['graph LR'];
  for (const e of edges) {
    lines.push(`  ${pid(e.caller)}[${label(e.caller)}] -->|${e.calls} calls, ${e.errors} errors, p50 ${e.p50} ms, p99 ${e.p99} ms| ${pid(e.service)}[${label(e.service)}]`);
  }
  return `${lines.join('\n')}\n`;
}
