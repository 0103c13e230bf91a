// Mapping and journal ids from the plugin's seeded streams (never Math.random), so ids
// repeat run after run.
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
 * Ids for hot paths (one per journal entry): one seeded UUID whose last 12 hex digits
 * are replaced by a sequence number. Entries keep the number; the id is formatted when
 * read. Unique per run and the same run after run.
 */
export function sequentialUuid(random: Random): (seq: number) => string {
  const prefix = uuidFrom(random)().slice(0, 24);
  return (seq) => prefix + seq.toString(16).padStart(12, '0');
}
