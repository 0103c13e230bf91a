// CSV for exports (RFC 4180: CRLF line ends, fields with a comma, quote or line break in
// double quotes, quotes doubled). Nested objects become dotted columns (`balance.amount`,
// `balance.currency`), arrays a JSON text in one cell, null an empty cell. Hand-written
// rather than a library: the package has none, and flattening plus quoting is 30 lines.
import { isPlainObject } from './merge-patch.js';

/** The record as dotted column → cell text. */
export function flatten(record: Record<string, unknown>, into: Map<string, string> = new Map(), prefix = ''): Map<string, string> {
  for (const [key, value] of Object.entries(record)) {
    const name = prefix + key;
    if (isPlainObject(value)) flatten(value, into, `${name}.`);
    else if (value === null || value === undefined) into.set(name, '');
    else if (Array.isArray(value)) into.set(name, JSON.stringify(value));
    else into.set(name, String(value));
  }
  return into;
}

export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvLine = (cells: readonly string[]) => `${cells.map(csvField).join(',')}\r\n`;

/** Columns of a set of records: in order of first appearance. */
export function columnsOf(records: Iterable<Record<string, unknown>>): string[] {
  const columns = new Set<string>();
  for (const r of records) for (const k of flatten(r).keys()) columns.add(k);
  return [...columns];
}

export function csvRow(record: Record<string, unknown>, columns: readonly string[]): string {
  const cells = flatten(record);
  return csvLine(columns.map((c) => cells.get(c) ?? ''));
}
