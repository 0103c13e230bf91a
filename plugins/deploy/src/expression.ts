// The condition language of analysis metrics (`successCondition`, `failureCondition`): a
// small, safe subset of the expr language Argo Rollouts evaluates, parsed here into a tree
// and interpreted — no eval, no access to prototypes, no side effects. Over one variable,
// `result` (a number, or an object such as the judge's report):
//   literals      1, 0.5, 1e-3, "Pass", 'Pass', true, false, nil / null, [1, 2]
//   access        result.verdict, result["p99Ms"], result[0] (a number's [0] is itself,
//                 so Argo's `result[0] >= 0.95` over a Prometheus vector reads the same)
//   arithmetic    + − * / %  (unary −)
//   comparison    < <= > >= == !=
//   logic         && || !  and or not  (short-circuit)
//   functions     isNaN(x) isInf(x) len(x) abs(x) min(a, b…) max(a, b…) default(x, d)
//                 asInt(x) asFloat(x)
// Errors (syntax at validation, types at evaluation) are ExpressionError with a message
// that says where and what to write instead.

export class ExpressionError extends Error {}

type Node =
  | { t: 'lit'; v: Value }
  | { t: 'var'; name: string }
  | { t: 'list'; items: Node[] }
  | { t: 'index'; target: Node; key: Node }
  | { t: 'call'; fn: string; args: Node[] }
  | { t: 'unary'; op: '-' | '!'; arg: Node }
  | { t: 'binary'; op: string; left: Node; right: Node };

export type Value = number | string | boolean | null | Value[] | { readonly [key: string]: unknown } | undefined;

interface Token {
  kind: 'num' | 'str' | 'id' | 'op' | 'end';
  text: string;
  value?: number | string;
  at: number;
}

const OPERATORS = ['&&', '||', '<=', '>=', '==', '!=', '<', '>', '+', '-', '*', '/', '%', '!', '(', ')', '[', ']', '.', ','];

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const num = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(src.slice(i));
    if (num) {
      out.push({ kind: 'num', text: num[0], value: Number(num[0]), at: i });
      i += num[0].length;
      continue;
    }
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== ch) {
        if (src[j] === '\\' && j + 1 < src.length) {
          const e = src[j + 1]!;
          s += e === 'n' ? '\n' : e === 't' ? '\t' : e;
          j += 2;
        } else s += src[j++];
      }
      if (j >= src.length) throw new ExpressionError(`unterminated string starting at column ${i + 1}: close it with ${ch}`);
      out.push({ kind: 'str', text: src.slice(i, j + 1), value: s, at: i });
      i = j + 1;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (id) {
      out.push({ kind: 'id', text: id[0], at: i });
      i += id[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (!op) throw new ExpressionError(`unexpected "${ch}" at column ${i + 1}: use comparisons (< <= > >= == !=), && || !, + - * / % and result, result.field or result[0]`);
    out.push({ kind: 'op', text: op, at: i });
    i += op.length;
  }
  out.push({ kind: 'end', text: 'end of the expression', at: src.length });
  return out;
}

const FUNCTIONS: Record<string, { arity: [number, number]; fn: (...args: Value[]) => Value }> = {
  isNaN: { arity: [1, 1], fn: (x) => typeof x === 'number' && Number.isNaN(x) },
  isInf: { arity: [1, 1], fn: (x) => typeof x === 'number' && !Number.isNaN(x) && !Number.isFinite(x) },
  len: {
    arity: [1, 1],
    fn: (x) => {
      if (typeof x === 'string' || Array.isArray(x)) return x.length;
      if (x !== null && typeof x === 'object') return Object.keys(x).length;
      throw new ExpressionError(`len() of ${typeName(x)}: it takes a string, a list or an object`);
    },
  },
  abs: { arity: [1, 1], fn: (x) => Math.abs(num(x, 'abs()')) },
  min: { arity: [1, 16], fn: (...xs) => Math.min(...xs.map((x) => num(x, 'min()'))) },
  max: { arity: [1, 16], fn: (...xs) => Math.max(...xs.map((x) => num(x, 'max()'))) },
  default: { arity: [2, 2], fn: (x, d) => (x === undefined || x === null || (typeof x === 'number' && Number.isNaN(x)) ? d : x) },
  asInt: { arity: [1, 1], fn: (x) => Math.trunc(toNumber(x, 'asInt()')) },
  asFloat: { arity: [1, 1], fn: (x) => toNumber(x, 'asFloat()') },
};

const VARIABLES = new Set(['result']);

function typeName(v: unknown): string {
  if (v === undefined) return 'nothing (a missing field)';
  if (v === null) return 'nil';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;
}

function num(v: Value, where: string): number {
  if (typeof v !== 'number') throw new ExpressionError(`${where} needs a number, got ${typeName(v)}`);
  return v;
}

function toNumber(v: Value, where: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  throw new ExpressionError(`${where} needs a number or a numeric string, got ${typeName(v)}`);
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos]!;
  }
  private next(): Token {
    return this.tokens[this.pos++]!;
  }
  private isOp(text: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.text === text;
  }
  private isWord(...words: string[]): boolean {
    const t = this.peek();
    return t.kind === 'id' && words.includes(t.text);
  }
  private expect(text: string): void {
    const t = this.next();
    if (t.kind !== 'op' || t.text !== text) throw new ExpressionError(`expected "${text}" at column ${t.at + 1}, found ${t.text}`);
  }

  parse(): Node {
    const node = this.or();
    const t = this.peek();
    if (t.kind !== 'end') throw new ExpressionError(`unexpected ${t.text} at column ${t.at + 1}: join conditions with && or ||`);
    return node;
  }

  private or(): Node {
    let left = this.and();
    while (this.isOp('||') || this.isWord('or')) {
      this.next();
      left = { t: 'binary', op: '||', left, right: this.and() };
    }
    return left;
  }
  private and(): Node {
    let left = this.not();
    while (this.isOp('&&') || this.isWord('and')) {
      this.next();
      left = { t: 'binary', op: '&&', left, right: this.not() };
    }
    return left;
  }
  private not(): Node {
    if (this.isOp('!') || this.isWord('not')) {
      this.next();
      return { t: 'unary', op: '!', arg: this.not() };
    }
    return this.comparison();
  }
  private comparison(): Node {
    const left = this.additive();
    const t = this.peek();
    if (t.kind === 'op' && ['<', '<=', '>', '>=', '==', '!='].includes(t.text)) {
      this.next();
      const right = this.additive();
      const u = this.peek();
      if (u.kind === 'op' && ['<', '<=', '>', '>=', '==', '!='].includes(u.text)) {
        throw new ExpressionError(`chained comparison at column ${u.at + 1}: write a < b && b < c`);
      }
      return { t: 'binary', op: t.text, left, right };
    }
    return left;
  }
  private additive(): Node {
    let left = this.multiplicative();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.next().text;
      left = { t: 'binary', op, left, right: this.multiplicative() };
    }
    return left;
  }
  private multiplicative(): Node {
    let left = this.unary();
    while (this.isOp('*') || this.isOp('/') || this.isOp('%')) {
      const op = this.next().text;
      left = { t: 'binary', op, left, right: this.unary() };
    }
    return left;
  }
  private unary(): Node {
    if (this.isOp('-')) {
      this.next();
      return { t: 'unary', op: '-', arg: this.unary() };
    }
    return this.postfix();
  }
  private postfix(): Node {
    let node = this.primary();
    for (;;) {
      if (this.isOp('.')) {
        this.next();
        const t = this.next();
        if (t.kind !== 'id') throw new ExpressionError(`expected a field name after "." at column ${t.at + 1}`);
        node = { t: 'index', target: node, key: { t: 'lit', v: t.text } };
      } else if (this.isOp('[')) {
        this.next();
        const key = this.or();
        this.expect(']');
        node = { t: 'index', target: node, key };
      } else return node;
    }
  }
  private primary(): Node {
    const t = this.next();
    if (t.kind === 'num' || t.kind === 'str') return { t: 'lit', v: t.value! };
    if (t.kind === 'op' && t.text === '(') {
      const inner = this.or();
      this.expect(')');
      return inner;
    }
    if (t.kind === 'op' && t.text === '[') {
      const items: Node[] = [];
      if (!this.isOp(']')) {
        items.push(this.or());
        while (this.isOp(',')) {
          this.next();
          items.push(this.or());
        }
      }
      this.expect(']');
      return { t: 'list', items };
    }
    if (t.kind === 'id') {
      if (t.text === 'true' || t.text === 'false') return { t: 'lit', v: t.text === 'true' };
      if (t.text === 'nil' || t.text === 'null') return { t: 'lit', v: null };
      if (t.text === 'NaN') return { t: 'lit', v: Number.NaN };
      if (t.text === 'Inf') return { t: 'lit', v: Number.POSITIVE_INFINITY };
      if (this.isOp('(')) {
        const f = FUNCTIONS[t.text];
        if (!f || !Object.hasOwn(FUNCTIONS, t.text)) throw new ExpressionError(`unknown function ${t.text}() at column ${t.at + 1} (one of ${Object.keys(FUNCTIONS).join(', ')})`);
        this.next();
        const args: Node[] = [];
        if (!this.isOp(')')) {
          args.push(this.or());
          while (this.isOp(',')) {
            this.next();
            args.push(this.or());
          }
        }
        this.expect(')');
        if (args.length < f.arity[0] || args.length > f.arity[1]) {
          throw new ExpressionError(`${t.text}() takes ${f.arity[0] === f.arity[1] ? f.arity[0] : `${f.arity[0]} to ${f.arity[1]}`} argument(s), got ${args.length}`);
        }
        return { t: 'call', fn: t.text, args };
      }
      if (!VARIABLES.has(t.text)) throw new ExpressionError(`unknown name "${t.text}" at column ${t.at + 1}: the measured value is "result"; strings are quoted ("Pass")`);
      return { t: 'var', name: t.text };
    }
    throw new ExpressionError(`unexpected ${t.text} at column ${t.at + 1}`);
  }
}

function index(target: Value, key: Value): Value {
  if (typeof target === 'number' && key === 0) return target; // a scalar read as a one-element vector
  if (Array.isArray(target)) {
    if (typeof key !== 'number' || !Number.isInteger(key)) throw new ExpressionError(`a list is indexed by an integer, got ${typeName(key)}`);
    return target[key < 0 ? target.length + key : key];
  }
  if (target !== null && typeof target === 'object') {
    if (typeof key !== 'string') throw new ExpressionError(`an object's field is named by a string, got ${typeName(key)}`);
    return Object.hasOwn(target, key) ? (target[key] as Value) : undefined;
  }
  throw new ExpressionError(`cannot read [${JSON.stringify(key)}] of ${typeName(target)}`);
}

function compare(op: string, a: Value, b: Value): boolean {
  if (op === '==') return a === b || (a === undefined && b === null) || (a === null && b === undefined);
  if (op === '!=') return !compare('==', a, b);
  if (!((typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string'))) {
    throw new ExpressionError(`cannot compare ${typeName(a)} ${op} ${typeName(b)}: both sides must be numbers (or both strings)`);
  }
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
}

function truthy(v: Value, where: string): boolean {
  if (typeof v !== 'boolean') throw new ExpressionError(`${where} needs true or false, got ${typeName(v)}`);
  return v;
}

function evaluate(node: Node, scope: Record<string, Value>): Value {
  switch (node.t) {
    case 'lit':
      return node.v;
    case 'var':
      return scope[node.name];
    case 'list':
      return node.items.map((n) => evaluate(n, scope));
    case 'index':
      return index(evaluate(node.target, scope), evaluate(node.key, scope));
    case 'call':
      return FUNCTIONS[node.fn]!.fn(...node.args.map((n) => evaluate(n, scope)));
    case 'unary': {
      const v = evaluate(node.arg, scope);
      return node.op === '-' ? -num(v, 'unary -') : !truthy(v, '!');
    }
    case 'binary': {
      const { op } = node;
      if (op === '&&') return truthy(evaluate(node.left, scope), '&&') && truthy(evaluate(node.right, scope), '&&');
      if (op === '||') return truthy(evaluate(node.left, scope), '||') || truthy(evaluate(node.right, scope), '||');
      const a = evaluate(node.left, scope);
      const b = evaluate(node.right, scope);
      if (['<', '<=', '>', '>=', '==', '!='].includes(op)) return compare(op, a, b);
      if (op === '+' && typeof a === 'string' && typeof b === 'string') return a + b;
      const x = num(a, op);
      const y = num(b, op);
      switch (op) {
        case '+':
          return x + y;
        case '-':
          return x - y;
        case '*':
          return x * y;
        case '/':
          return x / y;
        default:
          return x % y;
      }
    }
  }
}

/** A parsed condition: `test(result)` is true or false, or throws ExpressionError. */
export interface Condition {
  readonly source: string;
  test(result: unknown): boolean;
}

/** Parses a condition (throws ExpressionError with the column of the problem). */
export function parseCondition(source: string): Condition {
  if (source.trim() === '') throw new ExpressionError('empty condition: write e.g. result < 0.01');
  const tree = new Parser(tokenize(source)).parse();
  return {
    source,
    test(result: unknown): boolean {
      const v = evaluate(tree, { result: result as Value });
      if (typeof v !== 'boolean') throw new ExpressionError(`"${source}" gave ${typeName(v)}, not true or false: compare the result (result < 0.01)`);
      return v;
    },
  };
}
