// WireMock's urlPathTemplate (`/users/{id}`) compiled to a parser of path parameters.
import { invalid } from '../errors.js';

export interface PathTemplate {
  readonly names: string[];
  /** The decoded parameters when the path fits the template, else undefined. */
  parse(path: string): Record<string, string> | undefined;
}

const PARAM = /\{([A-Za-z_][\w-]*)\}/g;

/** WireMock's `urlPathTemplate`: `/users/{id}` — each `{name}` is one path segment. */
export function compilePathTemplate(template: string, path: string): PathTemplate {
  if (!template.startsWith('/')) invalid(path, `must start with "/", got ${JSON.stringify(template)}`);
  const names: string[] = [];
  let source = '';
  let last = 0;
  for (const m of template.matchAll(PARAM)) {
    if (names.includes(m[1])) invalid(path, `path parameter {${m[1]}} appears twice`);
    names.push(m[1]);
    source += escape(template.slice(last, m.index)) + '([^/]+)';
    last = m.index! + m[0].length;
  }
  source += escape(template.slice(last));
  if (/[{}]/.test(template.replace(PARAM, ''))) invalid(path, `has an unbalanced or malformed {parameter} in ${JSON.stringify(template)}`);
  const re = new RegExp(`^${source}$`);
  return {
    names,
    parse(actual) {
      const m = re.exec(actual);
      if (!m) return undefined;
      return Object.fromEntries(names.map((name, i) => [name, safeDecode(m[i + 1])]));
    },
  };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
