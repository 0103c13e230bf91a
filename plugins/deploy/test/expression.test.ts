// The condition language of analysis metrics: what parses, what it evaluates to, and the
// errors it gives (with the column) for what does not — and that it reads nothing but
// `result`'s own fields.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ExpressionError, parseCondition } from '../src/expression.js';

const test = (src: string, result: unknown) => parseCondition(src).test(result);
const parseError = (src: string) => {
  try {
    parseCondition(src);
  } catch (err) {
    assert.instance(err, ExpressionError);
    return (err as Error).message;
  }
  throw new Error(`"${src}" parsed`);
};
const evalError = (src: string, result: unknown) => {
  try {
    test(src, result);
  } catch (err) {
    assert.instance(err, ExpressionError);
    return (err as Error).message;
  }
  throw new Error(`"${src}" evaluated`);
};

const it = suite('deploy: condition expressions');

it("Argo's examples: a scalar, a vector's first element, comparisons", () => {
  assert.is(test('result < 0.01', 0.005), true);
  assert.is(test('result < 0.01', 0.01), false);
  assert.is(test('result <= 0.01', 0.01), true);
  assert.is(test('result[0] >= 0.95', [0.97]), true);
  assert.is(test('result[0] >= 0.95', 0.9), false); // a scalar reads as a one-element vector
  assert.is(test('result > 1 && result < 3', 2), true);
  assert.is(test('result > 1 and result < 3', 5), false);
  assert.is(test('result == 2 || result == 3', 3), true);
  assert.is(test('result == 2 or result != 3', 3), false);
  assert.is(test('!(result > 1)', 0), true);
  assert.is(test('not result > 1', 0), true);
  assert.is(test('result[-1] == 3', [1, 2, 3]), true);
});

it('fields, strings, arithmetic and functions', () => {
  const report = { verdict: 'Pass', latency: { pGreater: 0.2, cliffsDelta: 0.01 }, reasons: [] };
  assert.is(test('result.verdict == "Pass"', report), true);
  assert.is(test("result['verdict'] != 'Fail'", report), true);
  assert.is(test('result.latency.pGreater > 0.05 && len(result.reasons) == 0', report), true);
  assert.is(test('result.missing == nil', report), true);
  assert.is(test('result.missing == null', report), true);
  assert.is(test('default(result.missing, 7) == 7', report), true);
  assert.is(test('default(result, 7) == 7', Number.NaN), true);
  assert.is(test('default(result, 7) == 3', 3), true);
  assert.is(test('result * 100 + 1 - 2 / 2 == 50', 0.5), true);
  assert.is(test('result % 3 == 1 && -result < 0', 4), true);
  assert.is(test('isNaN(result) || result < 0.01', Number.NaN), true);
  assert.is(test('isNaN(result)', 1), false);
  assert.is(test('isInf(result) && !isInf(1)', Number.POSITIVE_INFINITY), true);
  assert.is(test('result == Inf && !(NaN == NaN)', Number.POSITIVE_INFINITY), true);
  assert.is(test('abs(result) == 2 && min(result, 1) == -2 && max(result, 1, 5) == 5', -2), true);
  assert.is(test('asInt(result) == 3 && asFloat("2.5") == 2.5 && asFloat(1) == 1', '3.9'), true);
  assert.is(test('len(result) == 2 && len("abc") == 3 && len([1, 2, 3]) == 3 && len([]) == 0', { a: 1, b: 2 }), true);
  assert.is(test('"a" + "b" == "ab" && "a" < "b"', 0), true);
  assert.is(test('true && !false', 0), true);
  assert.is(test('1e-3 == 0.001 && .5 == 0.5', 0), true);
  assert.is(test('"say \\"hi\\"\\n\\t" == result', 'say "hi"\n\t'), true);
});

it('reads only own fields: prototypes and globals are out of reach', () => {
  assert.is(test('result.constructor == nil', {}), true);
  assert.is(test('result["__proto__"] == nil', {}), true);
  assert.is(test('result.toString == nil', { a: 1 }), true);
  assert.match(parseError('constructor(1)'), /unknown function constructor\(\) at column 1/);
  assert.match(parseError('process.exit(1)'), /unknown name "process" at column 1: the measured value is "result"/);
});

it('syntax errors say where and what to write', () => {
  assert.match(parseError(''), /empty condition/);
  assert.match(parseError('result <'), /unexpected end of the expression at column 9/);
  assert.match(parseError('result < 1 result'), /unexpected result at column 12: join conditions with && or \|\|/);
  assert.match(parseError('1 < result < 3'), /chained comparison at column 12/);
  assert.match(parseError('result = 1'), /unexpected "=" at column 8/);
  assert.match(parseError('result.'), /expected a field name after "."/);
  assert.match(parseError('(result < 1'), /expected "\)" at column 12, found end of the expression/);
  assert.match(parseError('"open'), /unterminated string starting at column 1/);
  assert.match(parseError('Pass == result'), /unknown name "Pass".*strings are quoted/);
  assert.match(parseError('isNaN(1, 2)'), /isNaN\(\) takes 1 argument\(s\), got 2/);
  assert.match(parseError('min()'), /min\(\) takes 1 to 16 argument\(s\), got 0/);
  assert.match(parseError(')'), /unexpected \) at column 1/);
});

it('type errors at evaluation name both sides', () => {
  assert.match(evalError('result < 1', 'x'), /cannot compare string "x" < number 1: both sides must be numbers/);
  assert.match(evalError('result.verdict < 1', { verdict: 'Pass' }), /cannot compare/);
  assert.match(evalError('result < 1', undefined), /nothing \(a missing field\)/);
  assert.match(evalError('result', 1), /"result" gave number 1, not true or false/);
  assert.match(evalError('result + 1 > 0', null), /\+ needs a number, got nil/);
  assert.match(evalError('-result > 0', [1]), /unary - needs a number, got a list/);
  assert.match(evalError('!result', 1), /! needs true or false/);
  assert.match(evalError('result && true', 1), /&& needs true or false/);
  assert.match(evalError('result || true', 1), /\|\| needs true or false/);
  assert.match(evalError('result.a > 0', 5), /cannot read \["a"\] of number 5/);
  assert.match(evalError('result["a"] > 0', [1]), /a list is indexed by an integer, got string "a"/);
  assert.match(evalError('result[0] > 0', { a: 1 }), /an object's field is named by a string/);
  assert.match(evalError('len(result) > 0', 3), /len\(\) of number 3/);
  assert.match(evalError('abs(result) > 0', 'x'), /abs\(\) needs a number/);
  assert.match(evalError('asFloat(result) > 0', 'x'), /asFloat\(\) needs a number or a numeric string/);
});

it.run();
