import type { Random } from '@understudy/plugin-sdk';

/** A version-4-shaped UUID drawn from a seeded stream, so ids repeat run after run. */
export function uuidFrom(random: Random): () => string {
  return () => {
    const bytes = Array.from({ length: 16 }, () => random.int(0, 255));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };
}
