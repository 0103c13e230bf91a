// WireMock's Java-style regexes as whole-value JavaScript RegExps.
import { invalid } from '../errors.js';

/**
 * WireMock patterns are Java regexes matched against the whole value. JavaScript lacks
 * inline flags, so a leading `(?s)`, `(?i)`, `(?m)` group (as WireMock users write
 * for multi-line bodies) becomes the equivalent RegExp flag.
 */
export function compileRegex(source: string, path: string): RegExp {
  let body = source;
  let flags = '';
  const inline = /^\(\?([imsu]+)\)/.exec(body);
  if (inline) {
    flags = [...new Set(inline[1])].join('');
    body = body.slice(inline[0].length);
  }
  try {
    return new RegExp(`^(?:${body})$`, flags);
  } catch (err) {
    return invalid(path, `invalid regular expression ${JSON.stringify(source)} (${(err as Error).message})`);
  }
}
