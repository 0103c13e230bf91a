// The validator: one test per kind of problem (each reported with its path, and with the
// other path involved), every problem in one answer, line numbers for YAML, the tie order,
// and the sample bank scenario compiling cleanly.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileScript, formatProblems } from '../src/compile.js';
import { formatDuration, parseDuration } from '../src/duration.js';
import { interpolate } from '../src/easing.js';
import type { Problem } from '../src/script.js';

const OPTIONS = { maxSteps: 50, maxTicks: 100, defaultSession: 'default', source: 'test' };
const compile = (input: unknown, options = OPTIONS) => compileScript(input, options);
const problems = (input: unknown): Problem[] => compile(input).problems;
const script = (...steps: unknown[]) => ({ name: 's', steps });
const only = (input: unknown, kind: Problem['kind']) => problems(input).filter((p) => p.kind === kind);

test('durations: units, combinations, numbers; formatting back', () => {
  assert.is(parseDuration('90s'), 90_000);
  assert.is(parseDuration('1m30s'), 90_000);
  assert.is(parseDuration('500ms'), 500);
  assert.is(parseDuration('1.5s'), 1500);
  assert.is(parseDuration('2h'), 7_200_000);
  assert.is(parseDuration(250), 250);
  assert.is(parseDuration('-5s'), undefined);
  assert.is(parseDuration('-5s', true), -5000);
  assert.is(parseDuration(-1), undefined);
  assert.is(parseDuration('6o s'), undefined);
  assert.is(parseDuration(''), undefined);
  assert.is(parseDuration({}), undefined);
  assert.is(formatDuration(90_500), '1m30s500ms');
  assert.is(formatDuration(0), '0s');
  assert.is(formatDuration(-5000), '-5s');
  assert.is(formatDuration(3_600_000), '1h');
});

test('easing: ends exactly at the target; curves between', () => {
  assert.is(interpolate(100, 0, 1, 'ease-out', 0), 0);
  assert.is(interpolate(100, 0, 0.5, 'linear', 0), 50);
  assert.is(interpolate(0, 100, 0.5, 'ease-in', 0), 25);
  assert.is(interpolate(0, 100, 0.5, 'ease-out', 0), 75);
  assert.is(interpolate(0, 100, 0.25, 'ease', 0), 13);
  assert.is(interpolate(0, 100, 0.75, 'ease-in-out', 0), 88);
  assert.is(interpolate(0, 100, 0.99, 'step', 0), 0);
  assert.is(interpolate(0, 1, 0.333, 'linear', 2), 0.33);
});

test('unknown step references: after and requires, with the nearest id', () => {
  const found = only(script({ id: 'salary', at: '1s' }, { id: 'b', after: 'salry' }, { id: 'c', at: '5s', requires: ['salary', 'nope'] }), 'unknown-step');
  assert.equal(found.map((p) => p.path), ['steps[1].after', 'steps[2].requires[1]']);
  assert.match(found[0]!.message, 'no step with id "salry" (did you mean "salary"?)');
  assert.match(found[1]!.message, 'ids: salary, b, c');
  const single = only(script({ id: 'a', at: '1s', requires: 'zz' }), 'unknown-step');
  assert.is(single[0]!.path, 'steps[0].requires');
});

test('cycles through after and requires are reported once, with the whole path', () => {
  const found = only(script({ id: 'a', after: 'c' }, { id: 'b', after: 'a' }, { id: 'c', after: 'b' }, { id: 'd', at: '1s', requires: 'd' }), 'cycle');
  assert.is(found.length, 2);
  assert.match(found[0]!.message, 'steps[0] (a) → steps[2] (c) → steps[1] (b) → steps[0] (a)');
  assert.equal(found[0]!.related, ['steps[0]', 'steps[2]', 'steps[1]']);
  assert.is(found[1]!.path, 'steps[3].requires');
  const mixed = only(script({ id: 'a', at: '1s', requires: 'b' }, { id: 'b', after: 'a' }), 'cycle');
  assert.is(mixed.length, 1);
});

test('a step before its prerequisite: requires at an earlier time, or a negative delay', () => {
  const found = only(
    script(
      { id: 'checkout', at: '60s' },
      { id: 'shipped', at: '30s', requires: 'checkout' },
      { id: 'fall', at: '0s', progress: { entity: 'finance/accounts/1', field: 'balance.amount', to: 0, over: '20s' } },
      { id: 'early', after: 'fall', delay: '-5s' },
      { id: 'mid', at: '10s', requires: 'fall' },
      { id: 'ok', at: '20s', requires: 'fall' },
    ),
    'before-prerequisite',
  );
  assert.equal(found.map((p) => p.path), ['steps[1].requires', 'steps[3].delay', 'steps[4].requires']);
  assert.match(found[0]!.message, 'steps[1] (shipped) runs at 30s, before its prerequisite steps[0] (checkout) completes (at 1m)');
  assert.equal(found[0]!.related, ['steps[0]']);
  assert.match(found[1]!.message, '5s before its prerequisite steps[2] (fall) completes (at 20s)');
  assert.match(found[2]!.message, 'completes (at 20s)');
  const beforeStart = only(script({ id: 'a', at: '1s' }, { id: 'b', after: 'a', delay: '-2s' }), 'before-prerequisite');
  assert.is(beforeStart.length, 1);
  assert.match(beforeStart[0]!.message, 'before the scenario starts');
});

test('prerequisites across an event: refused unless the event step itself waits for them', () => {
  const found = problems(
    script(
      { id: 'timed', at: '10s' },
      { id: 'alert', on: 'bank.flagged' },
      { id: 'needs-alert', at: '20s', requires: 'alert' },
      { id: 'armed', on: 'bank.other', requires: 'timed' },
      { id: 'after-armed', after: 'armed', requires: 'timed' },
      { id: 'loose', after: 'alert', requires: 'timed' },
    ),
  );
  assert.equal(found.map((p) => [p.path, p.kind]), [
    ['steps[2].requires', 'unordered-prerequisite'],
    ['steps[5].requires', 'unordered-prerequisite'],
  ]);
  assert.match(found[0]!.message, 'nothing makes one come before the other; write after: alert');
});

test('timing conflicts: one entity field changed twice at one moment, both paths named', () => {
  const acc = 'finance/accounts/1';
  const found = only(
    script(
      { id: 'a', at: '30s', set: { entity: acc, changes: { status: 'frozen' } } },
      { id: 'b', at: '30s', set: { entity: acc, changes: { status: 'open', other: 1 } } },
      { id: 'fall', at: '0s', progress: { entity: acc, field: 'balance.amount', to: 0, over: '60s' } },
      { id: 'c', at: '45s', set: { entity: acc, changes: { balance: { amount: 5, currency: 'EUR' } } } },
      { id: 'rise', at: '50s', progress: { entity: acc, field: 'balance', to: 9, over: '20s' } },
      { id: 'other-entity', at: '30s', set: { entity: 'finance/accounts/2', changes: { status: 'x' } } },
    ),
    'timing-conflict',
  );
  assert.equal(found.map((p) => [p.path, p.related![0]]), [
    ['steps[1].set.changes.status', 'steps[0].set.changes.status'],
    ['steps[3].set.changes.balance', 'steps[2].progress'],
    ['steps[4].progress', 'steps[2].progress'],
  ]);
  assert.match(found[0]!.message, 'changes finance/accounts/1 "status" at the same moment as steps[0].set.changes.status (at 30s; at 30s)');
  assert.match(found[1]!.message, 'changes finance/accounts/1 "balance" ("balance.amount") at the same moment as steps[2].progress (at 45s; from 0s to 1m)');
});

test('no conflict: chained progressions, a set where a progression starts, steps after different events', () => {
  const acc = 'finance/accounts/1';
  const result = compile(
    script(
      { id: 'fall', at: '0s', progress: { entity: acc, field: 'balance.amount', to: 0, over: '10s' } },
      { id: 'rise', after: 'fall', progress: { entity: acc, field: 'balance.amount', to: 50, over: '10s' } },
      { id: 'set', at: '0s', set: { entity: acc, changes: { balance: { amount: 1 } } } },
      { id: 'x', on: 'e.one', set: { entity: acc, changes: { status: 'a' } } },
      { id: 'y', on: 'e.two', set: { entity: acc, changes: { status: 'b' } } },
    ),
  );
  assert.equal(result.problems, []);
  assert.is(result.script!.lengthMs, 20_000);
});

test('shape problems: every one with its path, in one answer', () => {
  const found = problems({
    name: 'bad name!',
    color: 'red',
    steps: [
      'not a step',
      { id: 'a', at: '90s', after: 'b' },
      { id: 'b' },
      { id: 'c', at: '6o s', delay: '1s' },
      { id: 'd', after: 'a', delay: 'soon', where: {} },
      { id: 'e', on: 'x', where: 3, set: { entity: 'accounts/7', changes: {} } },
      { id: 'f', at: 0, progress: { entity: 'finance/accounts/1', field: 'balance..amount', to: 'zero', over: '0s', every: 'x', easing: 'bouncy', decimals: 9 } },
      { id: 'g', at: 0, emit: { type: 'scenario.step' }, set: 5, progress: [], extra: 1 },
      { id: 'h', at: 0, emit: 'x', set: { changes: { a: 1 }, foo: 1 }, requires: [3] },
      { id: 'i', at: 0, emit: { data: 1, bar: 2 }, narrative: '' },
    ],
  });
  const paths = problems.length ? found.map((p) => p.path) : [];
  for (const path of [
    'name', 'color', 'steps[0]', 'steps[1]', 'steps[2]', 'steps[3].at', 'steps[3].delay', 'steps[4].delay', 'steps[4].where', 'steps[5].where', 'steps[5].set.entity', 'steps[5].set.changes',
    'steps[6].progress.field', 'steps[6].progress.to', 'steps[6].progress.over', 'steps[6].progress.every', 'steps[6].progress.easing', 'steps[6].progress.decimals',
    'steps[7].extra', 'steps[7].emit.type', 'steps[7].set', 'steps[7].progress', 'steps[8].emit', 'steps[8].set.foo', 'steps[8].set.entity', 'steps[8].requires', 'steps[9].emit.bar', 'steps[9].emit.type', 'steps[9].narrative',
  ]) assert.ok(paths.includes(path), `${path} in ${paths.join(', ')}`);
  const text = formatProblems(found).join('\n');
  assert.match(text, 'steps[1]: has at and after: give exactly one of at, after, on');
  assert.match(text, 'steps[2]: needs a time');
  assert.match(text, 'steps[3].at: "6o s" is not a duration');
  assert.match(text, 'steps[6].progress.easing: must be one of: linear, ease');
  assert.match(text, 'steps[7].emit.type: "scenario.step": scenario.* and kernel.* events');
  assert.equal(problems({ name: 's', steps: [] }).map((p) => p.path), ['steps']);
  assert.equal(problems([]).map((p) => p.path), ['(root)']);
  assert.equal(problems({ steps: [{ at: 0 }] }).map((p) => p.path), ['name']);
});

test('linked fields of a progression: shape, and conflicts like the value itself', () => {
  const acc = 'finance/accounts/1';
  const shape = problems(script({ at: 0, progress: { entity: acc, field: 'n', to: 1, over: '1s', with: [{ field: 'n' }, { scale: 'x', more: 1 }, 3] } }, { at: 0, progress: { entity: acc, field: 'm', to: 1, over: '1s', with: {} } }));
  assert.equal(shape.map((p) => p.path), ['steps[0].progress.with[0].field', 'steps[0].progress.with[1].more', 'steps[0].progress.with[1].field', 'steps[0].progress.with[1].scale', 'steps[0].progress.with[2]', 'steps[1].progress.with']);
  const conflict = only(script({ at: 0, progress: { entity: acc, field: 'balance.amount', to: 1, over: '10s', with: [{ field: 'debits.amount', scale: -1 }] } }, { at: '5s', set: { entity: acc, changes: { debits: { amount: 3 } } } }), 'timing-conflict');
  assert.equal(conflict.map((p) => [p.path, p.related![0]]), [['steps[1].set.changes.debits', 'steps[0].progress.with[0]']]);
});

test('duplicate ids (also generated ones) and waypoints', () => {
  const found = problems(script({ at: 0 }, { id: 'step1', at: 1 }, { id: 'w1', at: 2, waypoint: 'Here' }, { id: 'w2', at: 3, waypoint: 'Here' }));
  assert.equal(found.map((p) => [p.path, p.kind]), [
    ['steps[1].id', 'duplicate-id'],
    ['steps[3].waypoint', 'duplicate-waypoint'],
  ]);
});

test('limits: steps and progression ticks', () => {
  const many = { name: 's', steps: Array.from({ length: 51 }, (_, i) => ({ at: i })) };
  assert.equal(problems(many).map((p) => p.kind), ['limit']);
  const ticks = problems(script({ at: 0, progress: { entity: 'finance/accounts/1', field: 'n', to: 1, over: '200s', every: '1s' } }));
  assert.match(ticks[0]!.message, '200 ticks (over / every) is more than maxTicks (100)');
});

test('YAML: syntax errors with line:column; problems located in the text', () => {
  const broken = compile('name: s\nsteps:\n  - id: a\n   at: 0s\n');
  assert.is(broken.problems[0]!.path, '(text)');
  assert.match(broken.problems[0]!.at!, /^\d+:\d+$/);
  const located = compile('name: s\nsteps:\n  - id: a\n    at: 0s\n  - id: b\n    after: salry\n');
  assert.is(located.problems[0]!.at, '6:12');
  assert.match(formatProblems(located.problems, 'x.').join(''), 'x.steps[1].after (line 6:12): no step');
  const unknownKey = compile('name: s\nsteps:\n  - id: a\n    at: 0s\n    colour: red\n');
  assert.is(unknownKey.problems[0]!.path, 'steps[0].colour');
  assert.is(unknownKey.problems[0]!.at, '5:13');
});

test('ties: at one moment dependencies run first, then file order; ticks with their step', () => {
  const { script: s } = compile(
    script(
      { id: 'late-in-file', after: 'first', delay: 0 },
      { id: 'first', at: '10s' },
      { id: 'same-time', at: '10s' },
      { id: 'zero', at: 0 },
    ),
  );
  const ranks = Object.fromEntries(s!.steps.map((st) => [st.id, st.rank]));
  assert.ok(ranks.first! < ranks['late-in-file']!);
  assert.ok(ranks['late-in-file']! < ranks['same-time']!, 'the dependent comes right after its prerequisite');
  assert.equal(s!.steps.map((st) => st.offset), [10_000, 10_000, 10_000, 0]);
});

test('the sample bank scenario compiles: six waypoints, times as documented', () => {
  const text = readFileSync(new URL('../examples/bank.yaml', import.meta.url), 'utf8');
  const { script: s, problems: found } = compile(text);
  assert.equal(found, []);
  assert.equal([...s!.waypoints.keys()], ['Morning', 'Low balance', 'Overdraft', 'Suspicious payment', 'Card blocked', 'Resolved']);
  const at = Object.fromEntries(s!.steps.map((st) => [st.id, [st.anchor, st.offset]]));
  assert.equal(at['low-balance'], ['start', 80_000]);
  assert.equal(at.overdraft, ['start', 100_000]);
  assert.equal(at['risk-review'], ['start', 130_000]);
  assert.equal(at['card-blocked'], ['card-blocked', 5000]);
  assert.equal(at.resolved, ['card-blocked', 35_000]);
  assert.is(s!.lengthMs, 180_000);
});

test.run();
