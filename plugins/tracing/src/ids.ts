// Trace and span ids from the plugin's seeded stream (never Math.random): lower-case
// hex, never all zero (an all-zero id is invalid in W3C Trace Context).
import type { Random } from '@understudy/plugin-sdk';

const ZEROS = { 8: '0'.repeat(16), 16: '0'.repeat(32) } as const;

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** Runs for every span: 32 random bits at a time, bytes to hex by table (Number#toString is slow). */
export function hexId(random: Random, bytes: 8 | 16): string {
  for (;;) {
    let id = '';
    for (let i = 0; i < bytes; i += 4) {
      const v = (random.next() * 0x1_0000_0000) >>> 0;
      id += HEX[v >>> 24] + HEX[(v >>> 16) & 0xff] + HEX[(v >>> 8) & 0xff] + HEX[v & 0xff];
    }
    if (id !== ZEROS[bytes]) return id;
  }
}
