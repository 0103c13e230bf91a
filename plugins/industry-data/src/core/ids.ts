// The id rule: canonical ids are decimal numbers as strings ("42"), 1 to the type's count.
// "0042", "cus_42" and "cus_000042" (the type's prefix, an underscore, digits) resolve to the
// same entity; the entity always says its canonical id. Numbers keep fan-out arithmetic
// trivial and the prefixed form reads well in demos.

/** The id as a number in 1..count, or 0 when it is not one of this type's ids. */
export function parseId(id: string, prefix: string, count: number): number {
  let digits = id;
  const underscore = id.indexOf('_');
  if (underscore >= 0) {
    if (id.slice(0, underscore).toLowerCase() !== prefix) return 0;
    digits = id.slice(underscore + 1);
  }
  if (!/^\d{1,12}$/.test(digits)) return 0;
  const n = Number(digits);
  return n >= 1 && n <= count ? n : 0;
}

/** The long form: `cus_000042`. */
export const longId = (prefix: string, n: number) => `${prefix}_${String(n).padStart(6, '0')}`;
