// REST controls under /__admin/scenarios over a real socket: loading (JSON and YAML), the
// coded 400 listing every problem with its path and line, validate, detail with the
// timeline, every control, coded 404/409s, deletes, and the guard's JSON-only rule.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SMALL, withHarness, type Harness } from './helpers.js';

const isError = (body: Record<string, unknown>, statusCode: number, code: string) => {
  assert.is(body.statusCode, statusCode, JSON.stringify(body));
  assert.is(body.code, code);
  assert.type(body.error, 'string');
  assert.type(body.message, 'string');
};

test('PUT loads a script (201, then 200 to replace); GET lists it and shows its timeline', async () => {
  await withHarness(async (h) => {
    const created = await h.call('PUT', '/small', { ...SMALL, name: undefined });
    assert.is(created.status, 201, created.text);
    assert.equal(created.body, { name: 'small', session: 'default', source: 'api', steps: 4, waypoints: ['Begin', 'Low', 'End'], lengthMs: 40_000 });
    assert.is((await h.call('PUT', '/small', SMALL)).status, 200);
    const list = await h.call('GET', '/');
    assert.equal(list.body.scenarios.map((s: { name: string }) => s.name), ['small']);
    const detail = await h.call('GET', '/small');
    assert.is(detail.status, 200);
    assert.equal(detail.body.timeline.map((t: { id: string; at: number; does: string[] }) => [t.id, t.at, t.does]), [
      ['a', 0, ['set finance/accounts/1 status']],
      ['fall', 10_000, ['progress finance/accounts/1 balance.amount → 0']],
      ['low', 30_000, ['set finance/accounts/1 status']],
      ['end', 40_000, ['emit bank.done']],
    ]);
    assert.equal(detail.body.runs, []);
    assert.equal(detail.body.script.name, 'small');
  });
});

test('PUT with YAML in { yaml }; a bad script is one coded 400 with every problem, its path and line', async () => {
  await withHarness(async (h) => {
    const yaml = 'steps:\n  - id: a\n    at: 0s\n  - id: b\n    after: a\n    waypoint: There\n';
    const loaded = await h.call('PUT', '/y', { yaml });
    assert.is(loaded.status, 201, loaded.text);
    assert.is(loaded.body.name, 'y', 'a script without a name takes the URL\'s');
    const bad = await h.call('PUT', '/bad', { yaml: 'name: bad\nsteps:\n  - id: a\n    after: b\n  - id: b\n    after: a\n  - id: c\n    at: 1s\n    set: { entity: finance/accounts/1, changes: { status: x } }\n  - id: d\n    at: 1s\n    set: { entity: finance/accounts/1, changes: { status: y } }\n  - id: e\n    after: nope\n' });
    isError(bad.body, 400, 'US_SCENARIO_INVALID');
    assert.match(bad.body.message, 'Invalid scenario "bad" (nothing was changed):');
    assert.match(bad.body.message, 'steps[4].after (line 14:12): no step with id "nope"');
    assert.match(bad.body.message, 'steps wait for each other in a cycle');
    assert.match(bad.body.message, 'steps[3].set.changes.status (line 12:59): changes finance/accounts/1 "status" at the same moment as steps[2].set.changes.status (at 1s; at 1s)');
    assert.is((await h.call('GET', '/bad')).status, 404, 'nothing was loaded');
    const syntax = await h.call('PUT', '/s', { yaml: 'name: [' });
    isError(syntax.body, 400, 'US_SCENARIO_INVALID');
    assert.match(syntax.body.message, '(text) (line 1:');
    const mismatch = await h.call('PUT', '/other', SMALL);
    isError(mismatch.body, 400, 'US_SCENARIO_NAME_MISMATCH');
    const reserved = await h.call('PUT', '/runs', { ...SMALL, name: 'runs' });
    isError(reserved.body, 400, 'US_SCENARIO_NAME_RESERVED');
    const notObject = await h.call('PUT', '/x', [1]);
    isError(notObject.body, 400, 'US_SCENARIO_INVALID');
  });
});

test('PUT checks entities in the session when a sessions service is loaded', async () => {
  await withHarness(async (h) => {
    const res = await h.call('PUT', '/e', {
      name: 'e',
      steps: [
        { at: 0, set: { entity: 'finance/accounts/99', changes: { a: 1 } } },
        { at: 0, progress: { entity: 'finance/customers/42', field: 'name', to: 1, over: '1s' } },
        { at: 0, progress: { entity: 'finance/customers/43', field: 'name', from: 0, to: 1, over: '1s' } },
        { at: 0, progress: { entity: 'finance/customers/44', field: 'x', from: 0, to: 1, over: '1s', with: [{ field: 'riskRating' }] } },
      ],
    });
    isError(res.body, 400, 'US_SCENARIO_INVALID');
    assert.match(res.body.message, 'steps[0].set.entity: no entity "finance/accounts/99" in session "default"');
    assert.match(res.body.message, 'steps[1].progress.field: "name" of finance/customers/42 is not a number');
    assert.not.match(res.body.message, 'steps[2]');
    assert.match(res.body.message, 'steps[3].progress.with[0].field: "riskRating" of finance/customers/44 is not a number');
  });
});

test('POST /validate: every problem with its kind, or the timeline; nothing loaded', async () => {
  await withHarness(async (h) => {
    const ok = await h.call('POST', '/validate', SMALL);
    assert.is(ok.status, 200);
    assert.is(ok.body.valid, true);
    assert.is(ok.body.timeline.length, 4);
    const bad = await h.call('POST', '/validate', { yaml: 'name: v\nsteps:\n  - at: 1s\n    requires: later\n  - id: later\n    at: 5s\n' });
    assert.is(bad.body.valid, false);
    assert.equal(bad.body.problems.map((p: { path: string; kind: string; at: string; related: string[] }) => [p.path, p.kind, p.at, p.related]), [['steps[0].requires', 'before-prerequisite', '4:15', ['steps[1]']]]);
    assert.equal((await h.call('GET', '/')).body.scenarios, []);
  });
});

test('controls: start, pause, resume, speed, jump, rewind, stop, status — each returns the run', async () => {
  await withHarness(async (h) => {
    await h.call('PUT', '/small', SMALL);
    const started = await h.call('POST', '/small/start', {});
    assert.is(started.status, 200);
    assert.equal([started.body.state, started.body.at, started.body.session, started.body.next], ['running', 0, 'default', { step: 'fall', at: 10_000 }]);
    await h.kernel.clock.advance(5000);
    assert.is((await h.call('POST', '/small/pause')).body.state, 'paused');
    assert.is((await h.call('POST', '/small/resume')).body.state, 'running');
    assert.is((await h.call('POST', '/small/speed', { speed: 4 })).body.speed, 4);
    const jumped = await h.call('POST', '/small/jump', { waypoint: 'Low' });
    assert.equal([jumped.body.at, jumped.body.waypoint], [30_000, 'Low']);
    const rewound = await h.call('POST', '/small/rewind', { to: '12s' });
    assert.is(rewound.body.at, 12_000);
    const status = await h.call('GET', '/small/status');
    assert.is(status.body.state, 'running');
    assert.is((await h.call('GET', '/runs')).body.runs.length, 1);
    assert.is((await h.call('POST', '/small/stop')).body.state, 'ended');
    const elsewhere = await h.call('POST', '/small/start', { session: 'demo-2', speed: 2 });
    assert.equal([elsewhere.body.session, elsewhere.body.speed], ['demo-2', 2]);
    assert.is((await h.call('GET', '/small/status?session=demo-2')).body.state, 'running');
    assert.is((await h.call('GET', '/small/status?session=nobody')).body.state, 'idle');
  });
});

test('controls refuse with coded 4xx: unknown scenario or waypoint (with suggestions), wrong state, bad fields, running deletes', async () => {
  await withHarness(async (h) => {
    await h.call('PUT', '/small', SMALL);
    const missing = await h.call('POST', '/smal/start');
    isError(missing.body, 404, 'US_SCENARIO_NOT_FOUND');
    assert.match(missing.body.message, 'did you mean "small"?');
    isError((await h.call('GET', '/nope')).body, 404, 'US_SCENARIO_NOT_FOUND');
    isError((await h.call('POST', '/small/pause')).body, 409, 'US_SCENARIO_NOT_STARTED');
    const waypoint = await h.call('POST', '/small/jump', { waypoint: 'low' });
    isError(waypoint.body, 404, 'US_SCENARIO_WAYPOINT_NOT_FOUND');
    assert.match(waypoint.body.message, 'did you mean "Low"?');
    assert.match(waypoint.body.message, 'Its waypoints: "Begin", "Low", "End"');
    isError((await h.call('POST', '/small/jump', {})).body, 400, 'US_SCENARIO_COMMAND_INVALID');
    isError((await h.call('POST', '/small/speed', { speed: 0.1 })).body, 400, 'US_SCENARIO_SPEED_OUT_OF_RANGE');
    isError((await h.call('POST', '/small/speed', {})).body, 400, 'US_SCENARIO_COMMAND_INVALID');
    isError((await h.call('POST', '/small/start', { sesion: 'x' })).body, 400, 'US_SCENARIO_COMMAND_INVALID');
    isError((await h.call('POST', '/small/start', [1])).body, 400, 'US_SCENARIO_COMMAND_INVALID');
    isError((await h.call('POST', '/small/rewind', { to: 'later' })).body, 400, 'US_SCENARIO_COMMAND_INVALID');
    isError((await h.call('POST', '/small/start', { session: '' })).body, 400, 'US_SCENARIO_COMMAND_INVALID');
    await h.call('POST', '/small/start');
    isError((await h.call('POST', '/small/start')).body, 409, 'US_SCENARIO_WRONG_STATE');
    isError((await h.call('DELETE', '/small')).body, 409, 'US_SCENARIO_ACTIVE');
    isError((await h.call('PUT', '/small', SMALL)).body, 409, 'US_SCENARIO_ACTIVE');
    await h.call('POST', '/small/stop');
    assert.equal((await h.call('DELETE', '/small')).body, { removed: 'small' });
    isError((await h.call('DELETE', '/small')).body, 404, 'US_SCENARIO_NOT_FOUND');
    // a form body is refused by the kernel's guard before it reaches the plugin
    const form = await fetch(`${h.admin}/small/start`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    assert.is(form.status, 415);
  });
});

test('maxScripts bounds how many scripts are loaded', async () => {
  await withHarness(async (h) => {
    assert.is((await h.call('PUT', '/one', { ...SMALL, name: 'one' })).status, 201);
    const second = await h.call('PUT', '/two', { ...SMALL, name: 'two' });
    isError(second.body, 409, 'US_SCENARIO_LIMIT_REACHED');
    assert.match(second.body.message, 'plugins.scenarios.maxScripts');
  }, { config: { maxScripts: 1 } });
});

test.run();
