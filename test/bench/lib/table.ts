// Markdown table of the measured targets, each with its ratio to the baseline.
export interface Row {
  name: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  /** req/s divided by the baseline's req/s. */
  ratio: number;
}

const fmt = (n: number, digits: number) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export function markdownTable(rows: Row[], baseline: string): string {
  const header = ['target', 'req/s', 'p50 ms', 'p99 ms', `ratio vs ${baseline}`];
  const body = rows.map((r) => [r.name, fmt(r.reqPerSec, 0), fmt(r.p50, 2), fmt(r.p99, 2), `${fmt(r.ratio, 2)}×`]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (i === 0 ? '-'.repeat(w) : '-'.repeat(w - 1) + ':')).join(' | ')} |`;
  return [line(header), rule, ...body.map(line)].join('\n');
}
