// Trace and span ids from the plugin's seeded stream (never Math.random): lower-case
// hex, never all zero (an all-zero id is invalid in W3C Trace Context).
import type { Random } from '@understudy/plugin-sdk';

const ZEROS = { 8: '0'.repeat(16), 16: '0'.repeat(32) } as const;

/** Runs for every span: 32 random bits at a time, no regular expression. */
export function hexId(random: Random, bytes: 8 | 16): string {
  for (;;) {
    let id = '';
    for (let i = 0; i < bytes / 4; i++) id += (Math.floor(random.next() * 0x1_0000_0000) >>> 0).toString(16).padStart(8, '0');
    if (id !== ZEROS[bytes]) return id;
  }
}
