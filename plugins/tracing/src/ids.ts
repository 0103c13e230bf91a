// Trace and span ids from the plugin's seeded stream (never Math.random): lower-case
// hex, never all zero (an all-zero id is invalid in W3C Trace Context).
import type { Random } from '@understudy/plugin-sdk';

export function hexId(random: Random, bytes: 8 | 16): string {
  for (;;) {
    let id = '';
    for (let i = 0; i < bytes / 4; i++) id += random.int(0, 0xffffffff).toString(16).padStart(8, '0');
    if (!/^0+$/.test(id)) return id;
  }
}
