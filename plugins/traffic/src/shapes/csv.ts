// The recorded rate series of a replay: CSV lines `seconds,rps` or `timestamp,rps` (ISO
// 8601), an optional header line, `#` comments and blank lines skipped. Every bad line is a
// problem naming its line number; times become seconds since the first point.
export interface RatePoint {
  t: number;
  rps: number;
}

export type CsvResult = { points: RatePoint[]; problems: [] } | { points?: undefined; problems: string[] };

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function parseRateCsv(text: string): CsvResult {
  const problems: string[] = [];
  const raw: Array<{ line: number; time: number; rps: number }> = [];
  let kind: 'seconds' | 'timestamp' | undefined;
  const lines = text.split(/\r?\n/);
  const first = lines.findIndex((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    const n = i + 1;
    if (line === '' || line.startsWith('#')) continue;
    const cells = line.split(',').map((c) => c.trim());
    if (cells.length !== 2) {
      problems.push(`line ${n}: expected 2 columns "seconds,rps" or "timestamp,rps", got ${cells.length} ("${line}")`);
      continue;
    }
    const [a, b] = cells as [string, string];
    // a header: the first content line, when its time cell is neither a number nor a date
    if (i === first && !NUMBER.test(a) && !isTimestamp(a)) continue;
    let time: number;
    let lineKind: 'seconds' | 'timestamp';
    if (NUMBER.test(a)) {
      time = Number(a);
      lineKind = 'seconds';
    } else if (isTimestamp(a)) {
      time = Date.parse(a) / 1000;
      lineKind = 'timestamp';
    } else {
      problems.push(`line ${n}: "${a}" is neither seconds nor an ISO 8601 timestamp`);
      continue;
    }
    if (kind && lineKind !== kind) {
      problems.push(`line ${n}: mixes ${lineKind} with the ${kind} of the lines before; use one kind of time`);
      continue;
    }
    kind = lineKind;
    if (!NUMBER.test(b)) {
      problems.push(`line ${n}: rps "${b}" is not a number`);
      continue;
    }
    const rps = Number(b);
    if (rps < 0) {
      problems.push(`line ${n}: rps ${b} must be >= 0`);
      continue;
    }
    const prev = raw[raw.length - 1];
    if (prev && time <= prev.time) {
      problems.push(`line ${n}: time ${a} must be after the line before (line ${prev.line})`);
      continue;
    }
    raw.push({ line: n, time, rps });
  }
  if (problems.length === 0 && raw.length === 0) problems.push('no data lines (expected "seconds,rps" or "timestamp,rps" lines)');
  if (problems.length) return { problems };
  const t0 = raw[0]!.time;
  return { points: raw.map((p) => ({ t: p.time - t0, rps: p.rps })), problems: [] };
}

function isTimestamp(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}/.test(text) && !Number.isNaN(Date.parse(text));
}
