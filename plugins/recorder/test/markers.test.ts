// Markers over the admin API on a real socket, driven by scenario events on the virtual
// clock: steps and waypoints (one marker per step), jumps, configured events, annotations
// now and at a scenario time (through pauses and speed changes), every marker with
// scenario and wall time; takes; coded 4xx for bad input; the bounded store.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { admin, mark, start, type Kit } from './helpers.js';

const it = suite('recorder: markers and annotations');

const T0 = Date.parse('2025-01-01T00:00:00.000Z');
let k: Kit;
it.before.each(async () => {
  k = await start({ events: ['breaker.opened', { type: 'chaos.injected', title: 'Chaos: {kind} on {scope.service} ({missing})' }] });
});
it.after.each(() => k.stop());

it('each step is a marker with scenario time, wall time and its offset in the take; a waypoint is one marker, not two', async () => {
  assert.is(k.now(), T0);
  k.bank.started();
  await k.advance(30_000);
  k.bank.step(30_000, 'salary-in', { narrative: 'Her salary arrives' });
  await k.advance(60_000);
  k.bank.step(90_000, 'rent-out', { waypoint: 'Overdraft', narrative: 'The rent pushes her overdrawn' });
  const { body } = await admin(k, '/markers');
  assert.is(body.count, 2);
  const [a, b] = body.markers;
  assert.equal(a, {
    id: 'm-1',
    kind: 'step',
    title: 'salary-in',
    text: 'Her salary arrives',
    scenario: 'bank',
    session: 'default',
    step: 'salary-in',
    eventType: 'scenario.step',
    source: 'scenarios',
    take: 'take-1',
    scenarioAt: 30_000,
    wallAt: T0 + 30_000,
    wallTime: '2025-01-01T00:00:30.000Z',
    offsetMs: 30_000,
  });
  assert.is(b.kind, 'waypoint');
  assert.is(b.title, 'Overdraft');
  assert.is(b.waypoint, 'Overdraft');
  assert.is(b.scenarioAt, 90_000);
  assert.is(k.eventsOf('recorder.marker').length, 2);
  const takes = (await admin(k, '/takes')).body;
  assert.equal(takes.active, ['take-1']);
  assert.equal(takes.takes[0], { id: 'take-1', scenario: 'bank', session: 'default', startedAt: T0, obs: { recorded: false, chapters: 0, chaptersFailed: 0 } });
});

it('replayed steps are skipped; a jump or rewind is a marker of its own; a lone waypoint event is a marker', async () => {
  k.bank.started();
  await k.advance(1000);
  k.bank.step(60_000, 'rent-out', { waypoint: 'Overdraft', replayed: true });
  k.bank.jumped(1000, 60_000, 'jump', 'Overdraft');
  await k.advance(1000);
  k.bank.jumped(61_000, 0, 'rewind');
  k.bank.jumped(0, 3_723_000, 'jump');
  k.emit('scenario.waypoint', { scenario: 'bank', session: 'default', at: 5000, wallAt: k.now(), step: 'x', waypoint: 'Alone' });
  const { markers } = (await admin(k, '/markers')).body;
  assert.equal(markers.map((m: { kind: string; title: string; scenarioAt: number }) => [m.kind, m.title, m.scenarioAt]), [
    ['jump', 'Jumped to Overdraft', 60_000],
    ['jump', 'Rewound to 0:00', 0],
    ['jump', 'Jumped to 1:02:03', 3_723_000],
    ['waypoint', 'Alone', 5000],
  ]);
});

it('configured events become markers, titled by type or by a template from their data, in the running take', async () => {
  k.bank.started();
  await k.advance(5000);
  k.emit('breaker.opened', { key: 'a→b:go' });
  k.emit('chaos.injected', { kind: 'latency', scope: { service: 'payments' } });
  k.emit('breaker.closed', { key: 'ignored: not configured' });
  const { markers } = (await admin(k, '/markers?kind=event')).body;
  assert.equal(markers.map((m: { title: string; take: string; scenarioAt: number; source: string }) => [m.title, m.take, m.scenarioAt, m.source]), [
    ['breaker.opened', 'take-1', 5000, 'scenarios'],
    ['Chaos: latency on payments ({missing})', 'take-1', 5000, 'scenarios'],
  ]);
});

it('annotations: now (scenario time from the run), or at a scenario time already shown, through a pause and a speed change', async () => {
  k.bank.started();
  await k.advance(10_000); // scenario 10 s at ×1
  k.bank.paused(10_000);
  await k.advance(50_000); // paused for 50 s
  k.bank.resumed(10_000);
  await k.advance(5_000); // scenario 15 s
  k.bank.speed(15_000, 2);
  await k.advance(10_000); // scenario 35 s at ×2
  const now = await mark(k, { text: 'Maria calls the bank\nsecond line' });
  assert.is(now.status, 201);
  assert.is(now.body.title, 'Maria calls the bank');
  assert.is(now.body.text, 'Maria calls the bank\nsecond line');
  assert.is(now.body.scenarioAt, 35_000);
  assert.is(now.body.offsetMs, 75_000);
  assert.is(now.body.kind, 'annotation');
  assert.is(now.body.source, 'annotation');
  // 5 s into the scenario showed 5 s after the start; 12 s showed after the pause; 25 s at ×2
  const cases: Array<[number, number]> = [
    [5_000, 5_000],
    [10_000, 60_000],
    [12_000, 62_000],
    [25_000, 70_000],
  ];
  for (const [at, offset] of cases) {
    const res = await mark(k, { text: `at ${at}`, at });
    assert.is(res.status, 201, JSON.stringify(res.body));
    assert.is(res.body.scenarioAt, at);
    assert.is(res.body.offsetMs, offset, `at ${at}`);
  }
  const future = await mark(k, { text: 'later', at: 36_000 });
  assert.is(future.status, 409);
  assert.is(future.body.code, 'US_RECORDER_NOT_IN_RUN');
  assert.match(future.body.message, 'between 0 and 35000');
  const named = await mark(k, { text: 'by name', scenario: 'bank' });
  assert.is(named.body.take, 'take-1');
  const other = await mark(k, { text: 'x', scenario: 'shop' });
  assert.is(other.status, 409);
  assert.is(other.body.code, 'US_RECORDER_NO_SCENARIO');
});

it('bad annotations are coded 4xx naming every problem; nothing is recorded', async () => {
  const cases: Array<[unknown, number, string, string[]]> = [
    [{ text: '' }, 400, 'US_RECORDER_INVALID', ['text: must be a non-empty string']],
    [{ text: 5, at: 'soon', extra: 1 }, 400, 'US_RECORDER_INVALID', ['extra: unknown property', 'text: must be a string', 'at: must be a number']],
    [{ at: 5 }, 400, 'US_RECORDER_INVALID', ['text: required']],
    [[1], 400, 'US_RECORDER_INVALID', ['(body): must be a JSON object']],
    [{ text: 'x'.repeat(501) }, 400, 'US_RECORDER_INVALID', ['at most 500 characters (plugins.recorder.maxTextLength), got 501']],
    [{ text: 'x', at: -1 }, 400, 'US_RECORDER_INVALID', ['at: must be a number of scenario ms >= 0']],
    [{ text: 'x', at: 10 }, 409, 'US_RECORDER_NO_SCENARIO', ['no scenario is running']],
  ];
  for (const [json, status, code, parts] of cases) {
    const res = await mark(k, json);
    assert.is(res.status, status, JSON.stringify(json));
    assert.is(res.body.code, code);
    for (const p of parts) assert.match(res.body.message, p);
  }
  const notJson = await admin(k, '/markers', { method: 'POST', body: 'text', headers: { 'content-type': 'text/plain' } });
  assert.is(notJson.status, 415);
  assert.is((await admin(k, '/markers')).body.count, 0);
  const kind = await admin(k, '/markers?kind=chapter');
  assert.is(kind.status, 400);
  assert.is(kind.body.code, 'US_RECORDER_BAD_QUERY');
  const take = await admin(k, '/markers?take=take-9');
  assert.is(take.status, 404);
  assert.is(take.body.code, 'US_RECORDER_TAKE_NOT_FOUND');
  assert.match(take.body.message, 'No take was recorded yet');
});

it('a mark now without a scenario has no scenario time and no take; takes by hand start, stop and refuse twice', async () => {
  const loose = await mark(k, { text: 'warming up' });
  assert.equal([loose.body.scenarioAt, loose.body.take, loose.body.offsetMs], [null, undefined, null]);
  const t = await admin(k, '/takes', { method: 'POST' });
  assert.is(t.status, 201);
  assert.is(t.body.id, 'take-1');
  assert.is(t.body.scenario, null);
  const again = await admin(k, '/takes', { method: 'POST' });
  assert.is(again.status, 409);
  assert.is(again.body.code, 'US_RECORDER_TAKE_RUNNING');
  await k.advance(2000);
  const inTake = await mark(k, { text: 'intro' });
  assert.equal([inTake.body.take, inTake.body.offsetMs, inTake.body.scenarioAt], ['take-1', 2000, null]);
  await k.advance(1000);
  const stopped = await admin(k, '/takes/take-1/stop', { method: 'POST' });
  assert.is(stopped.body.endedAt, T0 + 3000);
  assert.is(stopped.body.endReason, 'manual');
  assert.ok(stopped.body.files.vtt.endsWith('-take-1-manual.vtt'), stopped.body.files.vtt);
  const twice = await admin(k, '/takes/take-1/stop', { method: 'POST' });
  assert.is(twice.status, 409);
  assert.is(twice.body.code, 'US_RECORDER_TAKE_ENDED');
  assert.is((await admin(k, '/takes/take-2')).status, 404);
  assert.is((await admin(k, '/takes/take-1')).body.id, 'take-1');
  const cleared = await admin(k, '/markers', { method: 'DELETE' });
  assert.is(cleared.body.removed, 2);
});

it('a run started again ends its take first; takes of two sessions are apart', async () => {
  k.bank.started();
  await k.advance(1000);
  k.bank.started();
  k.emit('scenario.started', { scenario: 'bank', session: 'alice', at: 0, wallAt: k.now(), speed: 1 });
  await k.advance(1000);
  k.emit('scenario.step', { scenario: 'bank', session: 'alice', at: 1000, wallAt: k.now(), step: 'a' });
  const takes = (await admin(k, '/takes')).body;
  assert.equal(takes.takes.map((t: { id: string; session: string; endReason?: string }) => [t.id, t.session, t.endReason]), [
    ['take-1', 'default', 'restarted'],
    ['take-2', 'default', undefined],
    ['take-3', 'alice', undefined],
  ]);
  assert.is((await admin(k, '/markers')).body.markers[0].take, 'take-3');
  k.bank.ended(1000);
  assert.equal((await admin(k, '/takes')).body.active, ['take-3']);
  assert.is(k.eventsOf('recorder.takeEnded').length, 2);
});

it('events are handled off the emitter’s stack: nothing is recorded until the emitter has returned', async () => {
  const service = k.resolve('recorder');
  k.emit('breaker.opened', { key: 'x' });
  assert.is(service.markers().length, 0);
  await new Promise((resolve) => setImmediate(resolve));
  assert.is(service.markers().length, 1);
});

it.run();
