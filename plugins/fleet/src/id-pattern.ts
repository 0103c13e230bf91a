// Device ids from patterns: `{type}-{n:4}` → `thermostat-0001`. A pattern is compiled
// once into a formatter and a matcher, so numbering can continue after the highest index
// already used by the same pattern.
import { FleetErrors } from './errors.js';

export const DEFAULT_ID_PATTERN = '{type}-{n:4}';

export interface IdPattern {
  readonly source: string;
  /** True when the pattern has `{n}`: it can make more than one id. */
  readonly numbered: boolean;
  format(n: number): string;
  /** The index an id was made with, or undefined when the id does not fit the pattern. */
  indexOf(id: string): number | undefined;
}

const TOKEN = /\{([^{}]*)\}/g;
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function compileIdPattern(source: string, type: string): IdPattern {
  const parts: Array<string | { width: number }> = [];
  let last = 0;
  let numbered = false;
  for (const match of source.matchAll(TOKEN)) {
    parts.push(source.slice(last, match.index));
    last = match.index + match[0].length;
    const token = match[1];
    if (token === 'type') {
      parts.push(type);
      continue;
    }
    const n = /^n(?::(\d{1,2}))?$/.exec(token);
    if (!n) throw new FleetErrors.BAD_PATTERN(source, `unknown placeholder {${token}}`);
    if (numbered) throw new FleetErrors.BAD_PATTERN(source, '{n} may appear only once');
    numbered = true;
    parts.push({ width: n[1] ? Number(n[1]) : 0 });
  }
  parts.push(source.slice(last));
  const literal = parts.filter((p): p is string => typeof p === 'string').join('');
  if (/[{}]/.test(literal)) throw new FleetErrors.BAD_PATTERN(source, 'unbalanced { or }');
  if (/[/+#\s]/.test(literal)) throw new FleetErrors.BAD_PATTERN(source, 'ids cannot contain "/", "+", "#" or spaces (they are MQTT client ids and topic levels)');
  if (!numbered && literal.length === 0) throw new FleetErrors.BAD_PATTERN(source, 'the id would be empty');

  const regex = new RegExp(
    '^' + parts.map((p) => (typeof p === 'string' ? escapeRegExp(p) : p.width ? `(\\d{${p.width},})` : '([1-9]\\d*)')).join('') + '$',
  );
  return {
    source,
    numbered,
    format: (n) => parts.map((p) => (typeof p === 'string' ? p : String(n).padStart(p.width, '0'))).join(''),
    indexOf(id) {
      const m = regex.exec(id);
      if (!m) return undefined;
      if (!numbered) return 0;
      const n = Number(m[1]);
      // `{n:3}` formats 7 as 007 but 1234 as 1234: only the canonical form counts
      return this.format(n) === id ? n : undefined;
    },
  };
}

/** The highest index `pattern` made among `ids` (0 when none). */
export function highestIndex(pattern: IdPattern, ids: Iterable<string>): number {
  let max = 0;
  for (const id of ids) {
    const n = pattern.indexOf(id);
    if (n !== undefined && n > max) max = n;
  }
  return max;
}
