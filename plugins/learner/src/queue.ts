// The bounded observation queue between the proxy's hot path and the learner: `push`
// never blocks and never grows past `maxItems` observations or `maxBytes` captured bytes
// (bodies and headers are what costs memory); what does not fit is counted and dropped.
// `drain` hands the whole backlog to a flush at once (one batch = one transaction).
import type { Observation } from './model/types.js';

/** Roughly the memory an observation holds: its captured texts (UTF-16 in V8, but bytes are what the config speaks). */
export function observationBytes(o: Observation): number {
  let bytes = 256 + o.path.length;
  if (o.requestBody) bytes += o.requestBody.length;
  if (o.responseBody) bytes += o.responseBody.length;
  bytes += headerBytes(o.requestHeaders) + headerBytes(o.responseHeaders);
  return bytes;
}

/** Names and values (an array's values and their `, ` separators), without building a string: this runs per request. */
function headerBytes(headers: Observation['requestHeaders'] | undefined): number {
  let bytes = 0;
  for (const k in headers) {
    const v = headers[k];
    bytes += k.length;
    if (typeof v === 'string') bytes += v.length;
    else if (Array.isArray(v)) {
      for (const x of v) bytes += x.length;
      bytes += Math.max(0, v.length - 1) * 2;
    } else if (v !== undefined) bytes += String(v).length;
  }
  return bytes;
}

export class ObservationQueue {
  private items: Observation[] = [];
  private bytes = 0;
  private droppedTotal = 0;

  constructor(private readonly limits: { maxItems: number; maxBytes: number }) {}

  /** Enqueue; false when the observation does not fit (counted in `dropped`). */
  push(o: Observation): boolean {
    const size = observationBytes(o);
    if (this.items.length >= this.limits.maxItems || this.bytes + size > this.limits.maxBytes) {
      this.droppedTotal++;
      return false;
    }
    this.items.push(o);
    this.bytes += size;
    return true;
  }

  /** Take everything queued, oldest first. */
  drain(): Observation[] {
    const out = this.items;
    this.items = [];
    this.bytes = 0;
    return out;
  }

  get length(): number {
    return this.items.length;
  }

  get queuedBytes(): number {
    return this.bytes;
  }

  get dropped(): number {
    return this.droppedTotal;
  }
}
