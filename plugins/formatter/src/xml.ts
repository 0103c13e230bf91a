// JSON → XML through fast-xml-parser's XMLBuilder: no attributes, an array as repeated
// elements named after its key, a root element named after the resource, text escaped by
// the builder (& < > " '). What the builder does not do, and this file does, so the
// result is always well-formed:
// - element names: JSON keys may be anything (`first name`, `123`, `@context`, `#text`,
//   which the builder would even take as its text node); invalid characters become `_`,
//   a name that cannot start an element gets a leading `_`;
// - characters XML 1.0 forbids (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/F)
//   become U+FFFD in text;
// - a top-level array becomes a plural root of singular elements
//   (`/finance/customers` → `<customers><customer>…`).
// an array in an array becomes an element of <item>s; `null` becomes an empty element, and an empty array no element (XML has no way to say either).
import { XMLBuilder } from 'fast-xml-parser';

const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|\p{Cs}/gu;
const NAME_START = /^[A-Za-z_\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD]/u;
const NOT_NAME_CHAR = /[^A-Za-z0-9_.\-\u00B7\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u037D\u037F-\u1FFF\u200C\u200D\u203F\u2040\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD]/gu;
const VALID_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** A valid XML element name for a JSON key (colons too are replaced: no namespaces here). */
export function elementName(key: string): string {
  if (VALID_NAME.test(key)) return key;
  const cleaned = key.replace(NOT_NAME_CHAR, '_');
  return cleaned && NAME_START.test(cleaned) ? cleaned : `_${cleaned}`;
}

/** The text of a string as XML 1.0 allows it. */
export function xmlText(value: string): string {
  return value.replace(INVALID_XML_CHARS, '\uFFFD');
}

/** `customers` → `customer`, `categories` → `category`, `addresses` → `address`; `status`, `data` unchanged. */
export function singular(plural: string): string {
  if (/(us|ss|is)$/.test(plural)) return plural;
  if (/ies$/.test(plural) && plural.length > 3) return `${plural.slice(0, -3)}y`;
  if (/(ss|sh|ch|x|z)es$/.test(plural)) return plural.slice(0, -2);
  if (/[^s]s$/.test(plural)) return plural.slice(0, -1);
  return plural;
}

const isIdSegment = (segment: string) => segment.startsWith('@') || /\d/.test(segment);

/** What the responder said it served (personas sets `context.tags.personas`): names the root exactly. */
export interface ResourceHint {
  resource?: string;
  id?: string;
  relation?: string;
}

const isErrorBody = (body: Record<string, unknown>) => typeof body.code === 'string' && typeof body.statusCode === 'number' && typeof body.message === 'string';

/**
 * The root element of a body served at `path`: `<error>` for the control plane's error
 * shape; the body's own `resourceType` (FHIR) or `type` when it has one; else the
 * resource the responder named (`hint`) or the last path segment that is not an id (`42`,
 * `cus_000042`, `@maria`) — singular for an object under an id (`/finance/customers/42` →
 * `customer`), plural for a collection, whose array elements are singular; `response` when
 * nothing names it. `item` is the element name of a top-level array's members, `items`
 * that of a page's `items` array (`{ items, page, total }` → `<customers><customer>…`).
 */
export function rootName(path: string, body: unknown, hint?: ResourceHint): { root: string; item?: string; items?: string } {
  let collection: string | undefined;
  let underId: boolean;
  if (hint?.resource) {
    collection = hint.relation ?? hint.resource;
    underId = hint.relation === undefined && hint.id !== undefined;
  } else {
    const segments = path.split('/').filter(Boolean).map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
    let i = segments.length - 1;
    while (i >= 0 && isIdSegment(segments[i]!)) i--;
    collection = i >= 0 ? segments[i]! : undefined;
    underId = i < segments.length - 1;
  }
  if (Array.isArray(body)) {
    return { root: elementName(collection ?? 'items'), item: elementName(singular(collection ?? 'items')) };
  }
  if (body && typeof body === 'object') {
    const obj = body as Record<string, unknown>;
    if (isErrorBody(obj)) return { root: 'error' };
    const own = obj.resourceType ?? obj.type;
    if (typeof own === 'string' && own) return { root: elementName(own) };
    if (collection && !underId && Array.isArray(obj.items)) {
      const item = elementName(singular(collection));
      return { root: elementName(collection), ...(item !== 'items' && !(item in obj) && { items: item }) };
    }
  }
  if (!collection) return { root: 'response' };
  return { root: elementName(underId ? singular(collection) : collection) };
}

/** The body with valid element names and text XML can hold (a copy; the JSON body is not touched). */
function prepare(value: unknown): unknown {
  if (typeof value === 'string') return xmlText(value);
  if (value === null || typeof value !== 'object') return value;
  // an array inside an array has no key to repeat: its elements become <item>s
  if (Array.isArray(value)) return value.map((v) => (Array.isArray(v) ? { item: prepare(v) } : prepare(v)));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    let name = elementName(k);
    // two keys cleaned to one name (`a b`, `a_b`) keep both, numbered
    for (let n = 2; name in out; n++) name = `${elementName(k)}_${n}`;
    out[name] = prepare(v);
  }
  return out;
}

export interface XmlOptions {
  pretty: boolean;
  indent: number;
  declaration: boolean;
}

const builders = new Map<string, XMLBuilder>();
function builder(pretty: boolean, indent: number): XMLBuilder {
  const key = pretty ? `p${indent}` : 'c';
  let b = builders.get(key);
  if (!b) {
    b = new XMLBuilder({ ignoreAttributes: true, format: pretty, indentBy: ' '.repeat(indent), suppressEmptyNode: true, textNodeName: '\u0000text' });
    builders.set(key, b);
  }
  return b;
}

/** The XML document of a JSON body served at `path`. */
export function toXml(body: unknown, path: string, options: XmlOptions, hint?: ResourceHint): string {
  const { root, item, items } = rootName(path, body, hint);
  let content = item ? { [item]: prepare(body) } : prepare(body);
  if (items) {
    // a page's members are named after the resource, in place of `items`
    const { items: members, ...rest } = content as Record<string, unknown>;
    content = { [items]: members, ...rest };
  }
  const xml = builder(options.pretty, options.indent).build({ [root]: content }) as string;
  const head = options.declaration ? `<?xml version="1.0" encoding="UTF-8"?>${options.pretty ? '\n' : ''}` : '';
  return head + (options.pretty ? xml : xml.trimEnd());
}
