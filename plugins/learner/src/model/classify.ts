// What kind of value a path segment is (integer, UUID, ULID, hex, date, slug with digits),
// and how a parameter is named from the segment before it (`users` → `userId`). Plain
// words have no class on purpose: they are what literal routes look like (`/users/me`,
// `/orders/search`), so they never become a parameter by counting alone.
import type { SegmentClass } from './types.js';

const INTEGER = /^\d{1,24}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Crockford base32, 48-bit time first (so the first character is 0–7)
const ULID = /^[0-7][0-9a-hjkmnp-tv-z]{25}$/i;
const HEX = /^[0-9a-f]{8,128}$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// words of letters and digits joined by - _ or . (`order-2024-17`, `sku_991`), with a digit and a letter
const SLUG = /^[a-z0-9]+(?:[-_.][a-z0-9]+)+$/i;
const DIGIT = /\d/;
const LETTER = /[a-z]/i;

function isDate(segment: string): boolean {
  const m = DATE.exec(segment);
  if (!m) return false;
  const month = Number(m[2]);
  const day = Number(m[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/** The class of a segment, most specific first; undefined for words (literal-looking). */
export function classify(segment: string): SegmentClass | undefined {
  if (INTEGER.test(segment)) return 'integer';
  if (segment.length === 36 && UUID.test(segment)) return 'uuid';
  if (segment.length === 26 && ULID.test(segment) && LETTER.test(segment)) return 'ulid';
  if (HEX.test(segment) && DIGIT.test(segment) && LETTER.test(segment)) return 'hex';
  if (isDate(segment)) return 'date';
  if (segment.length <= 128 && SLUG.test(segment) && DIGIT.test(segment) && LETTER.test(segment)) return 'slug';
  return undefined;
}

/** True when a hex parameter would take this segment: hex digits only (even all digits or all letters). */
export const looksHex = (segment: string) => /^[0-9a-f]+$/i.test(segment);

const IRREGULAR: Record<string, string> = {
  people: 'person',
  children: 'child',
  men: 'man',
  women: 'woman',
  mice: 'mouse',
  movies: 'movie',
  cookies: 'cookie',
  series: 'series',
  species: 'species',
  news: 'news',
};

/** English singular of a plural noun, good enough for collection names. */
export function singular(word: string): string {
  const lower = word.toLowerCase();
  if (IRREGULAR[lower]) return IRREGULAR[lower];
  if (/[^aeiou]ies$/i.test(word)) return word.slice(0, -3) + 'y';
  if (/(ss|sh|ch|x|z)es$/i.test(word)) return word.slice(0, -2);
  if (/(us|ss|is)$/i.test(word)) return word; // status, address, analysis
  if (/uses$/i.test(word)) return word.slice(0, -2); // statuses
  if (/[^s]s$/i.test(word)) return word.slice(0, -1);
  return word;
}

/** `order-items` → `orderItems`; undefined when nothing usable is left. */
function camel(segment: string): string | undefined {
  const words = segment.split(/[^a-z0-9]+/i).filter(Boolean);
  if (words.length === 0 || !/^[a-z]/i.test(words[0])) return undefined;
  return words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join('');
}

/** Base name of a parameter that follows `previous` (a literal segment), or undefined for the fallback. */
export function paramBaseName(previous: string | undefined): string | undefined {
  if (previous === undefined) return undefined;
  let decoded = previous;
  try {
    decoded = decodeURIComponent(previous);
  } catch {
    // keep the raw segment
  }
  const name = camel(decoded);
  if (!name || name.length > 40) return undefined;
  // singular of the last word only: `orderItems` → `orderItem`
  const m = /^(.*?)([A-Z]?[a-z0-9]+)$/.exec(name);
  const single = m ? m[1] + singular(m[2]) : singular(name);
  return `${single}Id`;
}
