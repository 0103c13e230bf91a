// A small hand-built SVG line chart of latency over time (p50, p99 and mean per time
// bucket of a service's window): fixed size, at most `maxPoints` points per line (buckets
// are merged, keeping the larger value, when there are more), escaped text, no scripts.
export interface ChartPoint {
  at: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  requests: number;
}

const W = 640;
const H = 240;
const PAD = { left: 56, right: 16, top: 28, bottom: 32 };

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** Merge consecutive points so that at most `max` remain (latencies: the larger; requests: summed). */
export function downsample(points: ChartPoint[], max: number): ChartPoint[] {
  if (points.length <= max) return points;
  const per = Math.ceil(points.length / max);
  const out: ChartPoint[] = [];
  for (let i = 0; i < points.length; i += per) {
    const group = points.slice(i, i + per);
    out.push({
      at: group[0]!.at,
      p50Ms: Math.max(...group.map((p) => p.p50Ms)),
      p99Ms: Math.max(...group.map((p) => p.p99Ms)),
      meanMs: Math.max(...group.map((p) => p.meanMs)),
      requests: group.reduce((n, p) => n + p.requests, 0),
    });
  }
  return out;
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

export function latencyChartSvg(title: string, input: ChartPoint[], maxPoints: number): string {
  const points = downsample(input, maxPoints);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const t0 = points.length ? points[0]!.at : 0;
  const t1 = points.length ? points[points.length - 1]!.at : 1;
  const span = Math.max(1, t1 - t0);
  const top = Math.max(1, ...points.map((p) => p.p99Ms));
  const x = (at: number) => PAD.left + (points.length === 1 ? plotW / 2 : ((at - t0) / span) * plotW);
  const y = (ms: number) => PAD.top + plotH - (ms / top) * plotH;
  const line = (key: 'p50Ms' | 'p99Ms' | 'meanMs') => points.map((p) => `${x(p.at).toFixed(1)},${y(p[key]).toFixed(1)}`).join(' ');
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${PAD.left}" y="16" font-size="13" font-weight="bold">${escapeXml(title)}</text>`,
    `<line x1="${PAD.left}" y1="${PAD.top + plotH}" x2="${PAD.left + plotW}" y2="${PAD.top + plotH}" stroke="#999999"/>`,
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${PAD.top + plotH}" stroke="#999999"/>`,
    `<text x="${PAD.left - 6}" y="${PAD.top + 4}" text-anchor="end">${fmt(top)} ms</text>`,
    `<text x="${PAD.left - 6}" y="${PAD.top + plotH}" text-anchor="end">0</text>`,
    `<text x="${PAD.left}" y="${H - 10}">t=${fmt(t0 / 1000)} s</text>`,
    `<text x="${PAD.left + plotW}" y="${H - 10}" text-anchor="end">t=${fmt(t1 / 1000)} s</text>`,
  ];
  if (points.length === 0) parts.push(`<text x="${W / 2}" y="${H / 2}" text-anchor="middle" fill="#666666">no requests in the window</text>`);
  else {
    parts.push(`<polyline fill="none" stroke="#d62728" stroke-width="1.5" points="${line('p99Ms')}"><title>p99</title></polyline>`);
    parts.push(`<polyline fill="none" stroke="#1f77b4" stroke-width="1.5" points="${line('p50Ms')}"><title>p50</title></polyline>`);
    parts.push(`<polyline fill="none" stroke="#2ca02c" stroke-width="1" stroke-dasharray="4 2" points="${line('meanMs')}"><title>mean</title></polyline>`);
  }
  parts.push(
    `<g transform="translate(${W - PAD.right - 150},14)"><text x="0" y="0" fill="#1f77b4">p50</text><text x="40" y="0" fill="#d62728">p99</text><text x="80" y="0" fill="#2ca02c">mean</text></g>`,
    '</svg>',
  );
  return parts.join('\n');
}
