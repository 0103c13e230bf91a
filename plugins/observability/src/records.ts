// Log records that are not exchanges: an event turned into a line, or one a plugin logged
// through `observability.log()`. Rare next to exchanges (which the store keeps as columns,
// see exchange-columns.ts), so each is an object with its fields, sized by its JSON length.
import type { LogRecord } from './contract.js';

/** Fixed allowance for a record object and its number fields. */
const BASE = 160;

export class FieldsEntry {
  readonly service: string | undefined;
  readonly traceId: string | undefined;
  readonly kind: string | undefined;
  readonly event: string | undefined;
  constructor(
    private readonly fields: LogRecord,
    readonly bytes: number,
  ) {
    this.service = typeof fields.service === 'string' ? fields.service : undefined;
    this.traceId = typeof fields.traceId === 'string' ? fields.traceId : undefined;
    this.kind = typeof fields.kind === 'string' ? fields.kind : undefined;
    this.event = typeof fields.event === 'string' ? fields.event : undefined;
  }

  get level(): number {
    return this.fields.level;
  }

  get time(): number {
    return this.fields.time;
  }

  record(): LogRecord {
    return { ...this.fields };
  }
}

/** Estimated bytes of a record: its JSON length (UTF-16: × 2) plus a fixed allowance. */
export function sizeOfFields(fields: LogRecord): number {
  try {
    return BASE + JSON.stringify(fields).length * 2;
  } catch {
    return BASE + 4096;
  }
}
