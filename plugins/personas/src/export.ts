// The export API: a whole data set (as a session sees it) as JSON, NDJSON or CSV, streamed
// chunk by chunk (`export.chunkSize` records generated per step, written before the next is
// generated: Readable.from pulls the next chunk only when the socket has drained the last),
// so memory is bounded by one chunk whatever the data set's size; the number of records one
// export may stream is bounded by `export.maxRecords`. CSV columns are those of the first
// chunk (every generated record of a type has the same fields; a field that first appears
// later is left out — the JSON formats keep everything).
import { Readable } from 'node:stream';
import type { Entity } from './contract.js';
import { columnsOf, csvLine, csvRow } from './csv.js';
import { PersonasErrors } from './errors.js';
import type { EntityTypeInfo } from './industry-types.js';
import type { DataView } from './view.js';

export const EXPORT_FORMATS = ['json', 'ndjson', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  json: 'application/json; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8; header=present',
};

export interface ExportRequest {
  session: string;
  industry: string;
  info: EntityTypeInfo;
  format: ExportFormat;
  offset: number;
  limit?: number;
}

export interface PreparedExport {
  /** Records the stream will hold. */
  records: number;
  stream: Readable;
}

/** Check the bounds (400 before anything is sent), then stream the records. */
export function prepareExport(view: DataView, r: ExportRequest, bounds: { maxRecords: number; chunkSize: number }): PreparedExport {
  const available = Math.max(0, view.count(r.session, r.industry, r.info) - r.offset);
  const records = Math.min(available, r.limit ?? available);
  if (records > bounds.maxRecords) throw new PersonasErrors.EXPORT_TOO_LARGE(records, bounds.maxRecords);
  const entities = slice(view.all(r.session, r.industry, r.info, bounds.chunkSize), r.offset, records);
  return { records, stream: Readable.from(encode(r.format, chunks(entities, bounds.chunkSize)), { highWaterMark: 1 }) };
}

function* slice(all: Iterable<Entity>, offset: number, count: number): Generator<Entity> {
  let i = 0;
  let sent = 0;
  if (count <= 0) return;
  for (const e of all) {
    if (i++ < offset) continue;
    yield e;
    if (++sent >= count) return;
  }
}

function* chunks(all: Iterable<Entity>, size: number): Generator<Entity[]> {
  let chunk: Entity[] = [];
  for (const e of all) {
    chunk.push(e);
    if (chunk.length >= size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length) yield chunk;
}

/** Text of the export, one string per chunk (a string per record would cost a write each). */
export function* encode(format: ExportFormat, chunked: Iterable<Entity[]>): Generator<string> {
  if (format === 'ndjson') {
    for (const c of chunked) yield c.map((e) => `${JSON.stringify(e)}\n`).join('');
    return;
  }
  if (format === 'json') {
    let first = true;
    yield '[';
    for (const c of chunked) {
      yield (first ? '\n' : ',\n') + c.map((e) => JSON.stringify(e)).join(',\n');
      first = false;
    }
    yield first ? ']\n' : '\n]\n';
    return;
  }
  let columns: string[] | undefined;
  for (const c of chunked) {
    let text = '';
    if (!columns) {
      columns = columnsOf(c);
      text = csvLine(columns);
    }
    yield text + c.map((e) => csvRow(e, columns!)).join('');
  }
  if (!columns) yield csvLine(['id', 'type']);
}
