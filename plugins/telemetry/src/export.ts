// Export formats: NDJSON (one stored reading per line) and CSV (a fixed header; values
// that are not numbers — a GPS fix — are one JSON cell).
import type { Reading } from './contract.js';

export const EXPORT_FORMATS = {
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
} as const;
export type ExportFormat = keyof typeof EXPORT_FORMATS;

export const CSV_HEADER = 'ts,deviceId,sensor,value,unit,seq,anomaly';

/** RFC 4180: quote a cell holding a comma, quote or line break; double inner quotes. */
export function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(r: Reading): string {
  const value = typeof r.value === 'number' || typeof r.value === 'string' ? String(r.value) : JSON.stringify(r.value);
  return [String(r.ts), csvCell(r.deviceId), csvCell(r.sensor), csvCell(value), csvCell(r.unit), String(r.seq), r.anomaly ?? ''].join(',');
}

export const ndjsonLine = (r: Reading): string => JSON.stringify(r);

/** Lines of the export in chunks, so a large export streams without one giant string. */
export function* exportChunks(readings: Iterable<Reading>, format: ExportFormat, linesPerChunk = 1000): Generator<string> {
  const line = format === 'csv' ? csvLine : ndjsonLine;
  let chunk: string[] = format === 'csv' ? [CSV_HEADER] : [];
  for (const r of readings) {
    chunk.push(line(r));
    if (chunk.length >= linesPerChunk) {
      yield `${chunk.join('\n')}\n`;
      chunk = [];
    }
  }
  if (chunk.length) yield `${chunk.join('\n')}\n`;
}
