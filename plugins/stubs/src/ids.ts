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

/**
 * Cheap ids for hot paths (one per journal entry): one seeded UUID, its last 12 hex
 * digits replaced by a counter. Still unique per run and the same run after run.
 */
export function sequentialUuids(random: Random): () => string {
  const prefix = uuidFrom(random)().slice(0, 24);
  let n = 0;
  return () => prefix + (++n).toString(16).padStart(12, '0');
}
