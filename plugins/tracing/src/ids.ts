// Trace and span ids from the plugin's seeded stream (never Math.random): lower-case
// hex, never all zero (an all-zero id is invalid in W3C Trace Context). Uniform over
// their range, so a new trace may set Level 2's `random-trace-id` flag.
import type { Random } from '@understudy/plugin-sdk';

/** Char codes of 0-9a-f. */
const H = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

const SPAN_ZERO = '0'.repeat(16);
const TRACE_ZERO = '0'.repeat(32);

/**
 * A 16-digit span id. Runs twice per child call (its client and server spans): the digits
 * go into one String.fromCharCode, one string allocated, where concatenating table
 * entries built seven intermediate strings per id.
 */
export function spanId(random: Random): string {
  for (;;) {
    const v = (random.next() * 0x1_0000_0000) >>> 0;
    const w = (random.next() * 0x1_0000_0000) >>> 0;
    // prettier-ignore
    const id = String.fromCharCode(
      H[v >>> 28]!, H[(v >>> 24) & 15]!, H[(v >>> 20) & 15]!, H[(v >>> 16) & 15]!, H[(v >>> 12) & 15]!, H[(v >>> 8) & 15]!, H[(v >>> 4) & 15]!, H[v & 15]!,
      H[w >>> 28]!, H[(w >>> 24) & 15]!, H[(w >>> 20) & 15]!, H[(w >>> 16) & 15]!, H[(w >>> 12) & 15]!, H[(w >>> 8) & 15]!, H[(w >>> 4) & 15]!, H[w & 15]!,
    );
    if (id !== SPAN_ZERO) return id;
  }
}

/** A 32-digit trace id (once per new trace). */
export function traceId(random: Random): string {
  for (;;) {
    const id = spanId(random) + spanId(random);
    if (id !== TRACE_ZERO) return id;
  }
}

/** `bytes` random bytes as lower-case hex, never all zero. */
export function hexId(random: Random, bytes: 8 | 16): string {
  return bytes === 8 ? spanId(random) : traceId(random);
}
