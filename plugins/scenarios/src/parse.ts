// Scripts as text: YAML (a JSON document is YAML too) parsed with `yaml`, keeping the
// document so that each problem's path (`steps[2].after`) can be given its line and column
// in the file — what an author needs to find it in a 200-line script.
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';

export interface ParsedText {
  value: unknown;
  /** Problems of the text itself (YAML syntax), with line:column. */
  syntax: Array<{ at: string; message: string }>;
  /** `line:column` of the value at a path such as `steps[2].after`, when the text has it. */
  locate(path: string): string | undefined;
}

/** `steps[2].set.changes.status` → ['steps', 2, 'set', 'changes', 'status'] */
export function pathSegments(path: string): Array<string | number> {
  const out: Array<string | number> = [];
  for (const part of path.split('.')) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      out.push(part);
      continue;
    }
    if (m[1]) out.push(m[1]);
    for (const i of m[2]!.matchAll(/\[(\d+)\]/g)) out.push(Number(i[1]));
  }
  return out;
}

function locator(doc: Document, lines: LineCounter) {
  return (path: string): string | undefined => {
    const segments = pathSegments(path);
    // the deepest node that exists on the path (an unknown key points at its parent's line)
    for (let n = segments.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(segments.slice(0, n), true);
      if (isNode(node) && node.range) {
        const { line, col } = lines.linePos(node.range[0]);
        return `${line}:${col}`;
      }
    }
    return undefined;
  };
}

export function parseScriptText(text: string): ParsedText {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const syntax = doc.errors.map((e) => {
    const { line, col } = lines.linePos(e.pos[0]);
    return { at: `${line}:${col}`, message: e.message.split('\n')[0]! };
  });
  return { value: syntax.length ? undefined : doc.toJS({ maxAliasCount: 100 }), syntax, locate: locator(doc, lines) };
}
