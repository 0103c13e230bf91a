// Content negotiation by Accept (RFC 9110 §12.5.1) between the two representations the
// formatter can make. Written here rather than with `negotiator`: the choice is between
// four fixed media types, and the rules needed (q-values, q=0 refusals, the most specific
// range decides a type's q, server preference on ties) fit in this file.

/** What the formatter can answer, in the server's order of preference (JSON first). */
export const REPRESENTATIONS = [
  { format: 'json', type: 'application/json' },
  { format: 'xml', type: 'application/xml' },
  { format: 'xml', type: 'text/xml' },
] as const;
export type Representation = (typeof REPRESENTATIONS)[number];
export type Format = Representation['format'];

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
  /** Position in the header (earlier wins between equal q and equal specificity). */
  index: number;
}

/** The header's media ranges; a malformed member is ignored (as browsers and servers do). */
export function parseAccept(header: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  header.split(',').forEach((member, index) => {
    const [range, ...params] = member.split(';');
    const m = /^\s*([\w.+*-]+)\/([\w.+*-]+)\s*$/.exec(range ?? '');
    if (!m) return;
    let q = 1;
    for (const p of params) {
      const [name, value] = p.split('=').map((x) => x.trim());
      if (name?.toLowerCase() !== 'q') continue;
      q = /^[0-9]+(\.[0-9]*)?$/.test(value ?? '') ? Math.min(1, Number(value)) : NaN;
    }
    // a q that is not a number makes the member malformed
    if (Number.isNaN(q)) return;
    ranges.push({ type: m[1]!.toLowerCase(), subtype: m[2]!.toLowerCase(), q, index });
  });
  return ranges;
}

/** How specifically a range names a type: 2 exact, 1 `type/*`, 0 `*\/*`, -1 not at all. */
function specificity(range: MediaRange, type: string): number {
  const [t, s] = type.split('/');
  if (range.type === t && range.subtype === s) return 2;
  if (range.type === t && range.subtype === '*') return 1;
  if (range.type === '*' && range.subtype === '*') return 0;
  return -1;
}

/** The q a header gives one media type: that of its most specific matching range (0 if none). */
function qualityOf(ranges: readonly MediaRange[], type: string): { q: number; index: number } {
  let best: MediaRange | undefined;
  let bestSpecificity = -1;
  for (const r of ranges) {
    const s = specificity(r, type);
    if (s > bestSpecificity) {
      best = r;
      bestSpecificity = s;
    }
  }
  return best ? { q: best.q, index: best.index } : { q: 0, index: Infinity };
}

/**
 * The representation an Accept header asks for, or undefined when it accepts none of
 * them (a 406). No header, or an empty one, accepts anything: JSON.
 */
export function negotiate(accept: string | undefined): Representation | undefined {
  if (accept === undefined || accept.trim() === '') return REPRESENTATIONS[0];
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return REPRESENTATIONS[0];
  let chosen: Representation | undefined;
  let chosenQ = 0;
  let chosenIndex = Infinity;
  for (const rep of REPRESENTATIONS) {
    const { q, index } = qualityOf(ranges, rep.type);
    // higher q wins; on a tie the type named earlier in the header, then the server's order
    if (q > chosenQ || (q === chosenQ && q > 0 && index < chosenIndex)) {
      chosen = rep;
      chosenQ = q;
      chosenIndex = index;
    }
  }
  return chosen;
}

/** The representation `?format=` names (xml answers application/xml), or undefined if unknown. */
export function byFormatParameter(format: string): Representation | undefined {
  const f = format.trim().toLowerCase();
  return REPRESENTATIONS.find((r) => r.format === f);
}
