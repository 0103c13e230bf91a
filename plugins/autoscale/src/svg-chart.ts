// The policy comparison as a small hand-built SVG line chart: replicas per policy over time
// (left axis) and the demand (dashed, right axis, req/s), with a line at the instances the
// demand needs at saturation and a band over the 3× step. Fixed size, at most `maxPoints`
// points per line (the larger value of merged points), escaped text, no scripts — as
// observability's latency chart.
import type { CompareReport } from './compare.js';

const W = 760;
const H = 300;
const PAD = { left: 48, right: 64, top: 30, bottom: 34 };
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** Merge consecutive values so that at most `max` remain, keeping the larger. */
export function downsampleMax(values: readonly number[], max: number): number[] {
  if (values.length <= max) return [...values];
  const per = Math.ceil(values.length / max);
  const out: number[] = [];
  for (let i = 0; i < values.length; i += per) out.push(Math.max(...values.slice(i, i + per)));
  return out;
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
const hours = (s: number) => `${fmt(s / 3600)} h`;

/** The comparison chart of a report. */
export function comparisonSvg(report: CompareReport, title = `Scaling policies: ${report.workload.name}`, maxPoints = 400): string {
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const { series } = report;
  const names = Object.keys(series.replicas);
  const span = Math.max(1, report.durationSeconds);
  const demand = downsampleMax(series.demand, maxPoints);
  const lines = names.map((n) => downsampleMax(series.replicas[n]!, maxPoints));
  const topReplicas = Math.max(1, ...lines.flat(), ...demand.map((d) => d / report.instanceCapacityRps));
  const topRps = topReplicas * report.instanceCapacityRps; // one scale: a replica's worth of req/s at saturation
  const x = (i: number, n: number) => PAD.left + (n <= 1 ? plotW / 2 : (i / (n - 1)) * plotW);
  const y = (v: number, top: number) => PAD.top + plotH - (v / top) * plotH;
  const points = (vals: number[], top: number) => vals.map((v, i) => `${x(i, vals.length).toFixed(1)},${y(v, top).toFixed(1)}`).join(' ');
  const step = report.traffic.step;
  const sx = (s: number) => PAD.left + (Math.min(Math.max(s, 0), span) / span) * plotW;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${PAD.left}" y="18" font-size="13" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  if (step.factor !== 1 && step.atSeconds < span) {
    const x0 = sx(step.atSeconds);
    const x1 = sx(step.atSeconds + step.durationSeconds);
    parts.push(`<rect x="${x0.toFixed(1)}" y="${PAD.top}" width="${Math.max(1, x1 - x0).toFixed(1)}" height="${plotH}" fill="#f2f2f2"><title>${fmt(step.factor)}× step</title></rect>`);
  }
  parts.push(
    `<line x1="${PAD.left}" y1="${PAD.top + plotH}" x2="${PAD.left + plotW}" y2="${PAD.top + plotH}" stroke="#999999"/>`,
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${PAD.top + plotH}" stroke="#999999"/>`,
    `<line x1="${PAD.left + plotW}" y1="${PAD.top}" x2="${PAD.left + plotW}" y2="${PAD.top + plotH}" stroke="#999999"/>`,
    `<text x="${PAD.left - 6}" y="${PAD.top + 4}" text-anchor="end">${fmt(Math.round(topReplicas))}</text>`,
    `<text x="${PAD.left - 6}" y="${PAD.top + plotH}" text-anchor="end">0</text>`,
    `<text x="${PAD.left - 6}" y="${PAD.top - 8}" text-anchor="end">replicas</text>`,
    `<text x="${PAD.left + plotW + 6}" y="${PAD.top + 4}">${fmt(Math.round(topRps))}</text>`,
    `<text x="${PAD.left + plotW + 6}" y="${PAD.top - 8}">req/s</text>`,
    `<text x="${PAD.left}" y="${H - 10}">t=0</text>`,
    `<text x="${PAD.left + plotW}" y="${H - 10}" text-anchor="end">t=${hours(report.durationSeconds)}</text>`,
  );
  if (demand.length === 0) parts.push(`<text x="${W / 2}" y="${H / 2}" text-anchor="middle" fill="#666666">no samples</text>`);
  else {
    parts.push(`<polyline fill="none" stroke="#555555" stroke-width="1" stroke-dasharray="4 3" points="${points(demand, topRps)}"><title>demand (req/s)</title></polyline>`);
    lines.forEach((vals, i) => {
      const r = report.policies.find((p) => p.name === names[i]);
      const label = r ? `${names[i]}: ${fmt(r.instanceHours)} instance-hours, ${fmt(r.breachMinutes)} min in breach` : names[i]!;
      parts.push(`<polyline fill="none" stroke="${COLOURS[i % COLOURS.length]}" stroke-width="1.5" points="${points(vals, topReplicas)}"><title>${escapeXml(label)}</title></polyline>`);
    });
  }
  const legend = ['<g transform="translate(' + (PAD.left + 8) + ',' + (PAD.top + 12) + ')">'];
  names.forEach((n, i) => legend.push(`<text x="${i * 110}" y="0" fill="${COLOURS[i % COLOURS.length]}">${escapeXml(n)}</text>`));
  legend.push(`<text x="${names.length * 110}" y="0" fill="#555555">demand</text>`, '</g>');
  parts.push(...legend, '</svg>');
  return parts.join('\n');
}
