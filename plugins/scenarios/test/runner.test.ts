// The runner on the virtual clock: steps at their times, progressions tick by tick, pause,
// resume, speed, jumps forward and back, rewind to the start snapshot, event triggers
// (with `where`, prerequisites and session isolation), refused data changes, the end of a
// run, runs without a sessions service, and determinism (same script + seed → same events).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { harness, SMALL, withHarness, type Harness } from './helpers.js';

const service = (h: Harness) => h.kernel.resolve('scenarios');
const balance = (h: Harness, session = 'default', id = '1') => (h.sessions!.get(session, 'finance', 'accounts', id)!.balance as { amount: number }).amount;
const status = (h: Harness, id = '1', session = 'default') => h.sessions!.get(session, 'finance', 'accounts', id)!.status;

test('steps run at their scenario times; a progression ticks towards its target; the run ends', async () => {
  await withHarness(async (h) => {
    const s = service(h);
    s.load(SMALL, 'test');
    s.execute({ command: 'start', scenario: 'small' });
    assert.is(status(h), 'frozen', 'the step at 0s runs on start');
    assert.equal(h.events('scenario.started')[0], { type: 'scenario.started', scenario: 'small', session: 'default', at: 0, speed: 1, steps: 4, lengthMs: 40_000 });
    await h.kernel.clock.advance(10_000);
    assert.is(balance(h), 100_000, 'a progression reads its start value, writes from the first tick');
    await h.kernel.clock.advance(5000);
    assert.is(balance(h), 75_000);
    await h.kernel.clock.advance(15_000);
    assert.is(balance(h), 0);
    assert.is(status(h), 'overdrawn');
    assert.equal(h.events('scenario.progress').map((e) => [e.at, e.value, e.tick, e.ticks]), [
      [15_000, 75_000, 1, 4],
      [20_000, 50_000, 2, 4],
      [25_000, 25_000, 3, 4],
      [30_000, 0, 4, 4],
    ]);
    await h.kernel.clock.advance(10_000);
    assert.equal(h.events().map((e) => [e.type, e.at, e.step ?? e.waypoint ?? e.reason]), [
      ['scenario.loaded', undefined, undefined],
      ['scenario.started', 0, undefined],
      ['scenario.step', 0, 'a'],
      ['scenario.waypoint', 0, 'a'],
      ['scenario.step', 10_000, 'fall'],
      ['scenario.progress', 15_000, 'fall'],
      ['scenario.progress', 20_000, 'fall'],
      ['scenario.progress', 25_000, 'fall'],
      ['scenario.progress', 30_000, 'fall'],
      ['scenario.step', 30_000, 'low'],
      ['scenario.waypoint', 30_000, 'low'],
      ['scenario.step', 40_000, 'end'],
      ['scenario.waypoint', 40_000, 'end'],
      ['scenario.ended', 40_000, 'completed'],
    ]);
    assert.equal(h.kernel.eventsOf('bank.done' as never).map((e) => e.data), [{ ok: true }]);
    assert.equal(h.sessions!.patches[0], { session: 'default', key: 'finance/accounts/1', changes: { status: 'frozen' }, cause: 'scenario:small/a' });
    assert.equal(h.sessions!.patches[1]!.changes, { balance: { amount: 75_000 } }, 'a merge patch of the one field');
    assert.equal(h.events('scenario.step')[1]!.progress, { entity: 'finance/accounts/1', field: 'balance.amount', from: 100_000, to: 0, over: 20_000 });
    const ended = s.execute({ command: 'status', scenario: 'small' }) as { state: string; stepsRun: number };
    assert.is(ended.state, 'ended');
    assert.is(ended.stepsRun, 4);
  });
});

test('linked fields move with a progression (debits rise as the balance falls), in the same patch', async () => {
  await withHarness(async (h) => {
    const s = service(h);
    s.load({ name: 'linked', steps: [{ at: 0, progress: { entity: 'finance/accounts/2', field: 'balance.amount', to: 60_000, over: '4s', every: '2s', with: [{ field: 'debits.amount', scale: -1 }, { field: 'score', scale: 0.001 }] } }] }, 'test');
    s.execute({ command: 'start', scenario: 'linked' });
    await h.kernel.clock.advance(2000);
    assert.equal(h.sessions!.patches.at(-1)!.changes, { balance: { amount: 80_000 }, debits: { amount: 40_000 }, score: 30 });
    await h.kernel.clock.advance(2000);
    const account = h.sessions!.get('default', 'finance', 'accounts', '2')!;
    assert.equal([(account.balance as { amount: number }).amount, (account.debits as { amount: number }).amount, account.score], [60_000, 60_000, 10]);
    assert.equal(h.events('scenario.progress').at(-1)!.with, { 'debits.amount': 60_000, score: 10 });
  });
});

test('pause freezes scenario time; resume goes on from there; speed scales it', async () => {
  await withHarness(async (h) => {
    const s = service(h);
    s.load(SMALL, 'test');
    s.execute({ command: 'start', scenario: 'small' });
    await h.kernel.clock.advance(12_000);
    s.execute({ command: 'pause', scenario: 'small' });
    await h.kernel.clock.advance(60_000);
    assert.is(balance(h), 100_000, 'nothing moves while paused');
    const paused = s.execute({ command: 'status', scenario: 'small' }) as { state: string; at: number; next: unknown };
    assert.is(paused.state, 'paused');
    assert.is(paused.at, 12_000);
    s.execute({ command: 'resume', scenario: 'small' });
    await h.kernel.clock.advance(3000);
    assert.is(balance(h), 75_000);
    s.execute({ command: 'speed', scenario: 'small', speed: 10 });
    await h.kernel.clock.advance(1500);
    assert.is(balance(h), 0, '15 s of scenario time in 1.5 s');
    await h.kernel.clock.advance(1000);
    assert.equal(h.events().filter((e) => ['scenario.paused', 'scenario.resumed', 'scenario.speed', 'scenario.ended'].includes(e.type as string)).map((e) => [e.type, e.at]), [
      ['scenario.paused', 12_000],
      ['scenario.resumed', 12_000],
      ['scenario.speed', 15_000],
      ['scenario.ended', 40_000],
    ]);
    // slower than real time, from the start
    s.execute({ command: 'start', scenario: 'small', speed: 0.5 });
    await h.kernel.clock.advance(20_000);
    assert.is((s.execute({ command: 'status', scenario: 'small' }) as { at: number }).at, 10_000);
  });
});

test('jump forward applies every earlier step at once (marked replayed); a run not started starts paused', async () => {
  await withHarness(async (h) => {
    const s = service(h);
    s.load(SMALL, 'test');
    const landed = s.execute({ command: 'jump', scenario: 'small', waypoint: 'Low' }) as { state: string; at: number; waypoint: string };
    assert.equal([landed.state, landed.at, landed.waypoint], ['paused', 30_000, 'Low']);
    assert.is(balance(h), 0);
    assert.is(status(h), 'overdrawn');
    const jumped = h.events('scenario.jumped')[0]!;
    assert.equal([jumped.from, jumped.at, jumped.kind, jumped.waypoint, jumped.replayed], [0, 30_000, 'jump', 'Low', 2]);
    assert.ok(h.events('scenario.progress').every((e) => e.replayed === true));
    assert.is(h.events('scenario.step').find((e) => e.step === 'a')!.replayed, undefined, 'the start step ran in time');
    s.execute({ command: 'resume', scenario: 'small' });
    await h.kernel.clock.advance(10_000);
    assert.is(h.events('scenario.ended').length, 1);
  });
});

test('jump back and rewind restore the start snapshot and replay up to the point', async () => {
  await withHarness(async (h) => {
    const s = service(h);
    h.sessions!.patch('default', 'finance', 'accounts', '1', { score: 7 }, 'before the run');
    s.load(SMALL, 'test');
    s.execute({ command: 'start', scenario: 'small' });
    await h.kernel.clock.advance(35_000);
    assert.is(status(h), 'overdrawn');
    s.execute({ command: 'jump', scenario: 'small', waypoint: 'Begin' });
    assert.is(h.sessions!.restores, 1);
    assert.is(status(h), 'frozen');
    assert.is(balance(h), 100_000);
    assert.is(h.sessions!.get('default', 'finance', 'accounts', '1')!.score, 7, 'what the session held at the start is kept');
    assert.is((s.execute({ command: 'status', scenario: 'small' }) as { state: string }).state, 'running', 'a running run keeps running');
    await h.kernel.clock.advance(20_000);
    assert.is(balance(h), 50_000);
    s.execute({ command: 'pause', scenario: 'small' });
    s.execute({ command: 'rewind', scenario: 'small', to: '17s' });
    assert.is(balance(h), 75_000);
    const st = s.execute({ command: 'status', scenario: 'small' }) as { state: string; at: number };
    assert.equal([st.state, st.at], ['paused', 17_000]);
    const rewound = h.events('scenario.jumped').at(-1)!;
    assert.equal([rewound.kind, rewound.from, rewound.at], ['rewind', 20_000, 17_000]);
    s.execute({ command: 'rewind', scenario: 'small' });
    assert.is(status(h), 'frozen', 'to 0: the steps at 0 ran again');
    assert.is(balance(h), 100_000);
    assert.throws(() => s.execute({ command: 'rewind', scenario: 'small', to: '5s' }), (e: { code: string }) => e.code === 'US_SCENARIO_REWIND_FORWARD');
    // after the end, a rewind brings the run back, paused
    s.execute({ command: 'resume', scenario: 'small' });
    await h.kernel.clock.advance(60_000);
    s.execute({ command: 'rewind', scenario: 'small', to: 30_000 });
    assert.is((s.execute({ command: 'status', scenario: 'small' }) as { state: string }).state, 'paused');
  });
});

const TRIGGERED = {
  name: 'triggered',
  steps: [
    { id: 'open', at: '0s', set: { entity: 'finance/accounts/2', changes: { status: 'open' } } },
    { id: 'ready', at: '10s' },
    { id: 'flag', on: 'bank.flagged', where: { card: '3' }, requires: 'ready', delay: '2s', waypoint: 'Flagged', set: { entity: 'finance/cards/3', changes: { status: 'blocked' } } },
    { id: 'call', after: 'flag', delay: '5s', waypoint: 'Call', set: { entity: 'finance/customers/42', changes: { riskRating: 'high' } } },
    { id: 'timed', at: '60s' },
  ],
};

test('on: an event triggers a step (once, when its prerequisites ran, matching where, in its own session)', async () => {
  await withHarness(async (h) => {
    const s = service(h);
    s.load(TRIGGERED, 'test');
    s.execute({ command: 'start', scenario: 'triggered' });
    const emit = (data: Record<string, unknown>) => (h.kernel.events.emit as (source: string, t: string, d: unknown) => void)('test', 'bank.flagged', data);
    emit({ card: '3' });
    await Promise.resolve();
    await h.kernel.clock.advance(10_000);
    assert.is(h.sessions!.get('default', 'finance', 'cards', '3')!.status, 'active', 'before its prerequisite ran, the event is ignored');
    const waiting = s.execute({ command: 'status', scenario: 'triggered' }) as { waitingFor: unknown[] };
    assert.equal(waiting.waitingFor, [{ step: 'flag', event: 'bank.flagged' }]);
    emit({ card: '4' });
    emit({ card: '3', session: 'other' });
    await h.kernel.clock.advance(5000);
    assert.is(h.sessions!.get('default', 'finance', 'cards', '3')!.status, 'active', 'other cards and other sessions do not trigger it');
    await h.kernel.clock.advance(5000); // scenario 20s
    emit({ card: '3' });
    emit({ card: '3' });
    await h.kernel.clock.advance(2000);
    assert.is(h.sessions!.get('default', 'finance', 'cards', '3')!.status, 'blocked');
    const step = h.events('scenario.step').find((e) => e.step === 'flag')!;
    assert.equal([step.at, step.trigger], [22_000, 'bank.flagged']);
    await h.kernel.clock.advance(5000);
    assert.is(h.sessions!.get('default', 'finance', 'customers', '42')!.riskRating, 'high');
    assert.is(h.events('scenario.step').filter((e) => e.step === 'flag').length, 1, 'an on step runs once per run');
    // rewind to before the trigger: it is forgotten and listens again
    s.execute({ command: 'rewind', scenario: 'triggered', to: '15s' });
    assert.is(h.sessions!.get('default', 'finance', 'cards', '3')!.status, 'active');
    // rewind to after it: the trigger is replayed where it happened, not from live events
    await h.kernel.clock.advance(5000);
    emit({ card: '3' });
    await h.kernel.clock.advance(10_000);
    s.execute({ command: 'rewind', scenario: 'triggered', to: '28s' });
    assert.is(h.sessions!.get('default', 'finance', 'cards', '3')!.status, 'blocked');
    assert.is(h.sessions!.get('default', 'finance', 'customers', '42')!.riskRating, 'high');
    // jumping to a waypoint after an event: known once the event came
    s.execute({ command: 'jump', scenario: 'triggered', waypoint: 'Call' });
    assert.is((s.execute({ command: 'status', scenario: 'triggered' }) as { at: number }).at, 27_000);
  });
});

test('a waypoint after an event that has not come cannot be jumped to; an event emitted by a step triggers another', async () => {
  await withHarness(async (h) => {
    const s = service(h);
    s.load(TRIGGERED, 'test');
    assert.throws(() => s.execute({ command: 'jump', scenario: 'triggered', waypoint: 'Flagged' }), (e: { code: string; message: string }) => e.code === 'US_SCENARIO_WAYPOINT_NOT_REACHED' && e.message.includes('"bank.flagged"'));
    s.load({ name: 'chain', steps: [{ id: 'say', at: '1s', emit: { type: 'bank.said', data: {} } }, { id: 'hear', on: 'bank.said' }] }, 'test');
    s.execute({ command: 'start', scenario: 'chain', session: 's2' });
    await h.kernel.clock.advance(1000);
    assert.equal(h.events('scenario.step').filter((e) => e.scenario === 'chain').map((e) => [e.step, e.at]), [
      ['say', 1000],
      ['hear', 1000],
    ]);
    assert.is(h.events('scenario.ended').at(-1)!.scenario, 'chain');
  });
});

test('a refused data change is reported on the step and counted; the run goes on', async () => {
  await withHarness(async (h) => {
    const s = service(h);
    s.load(SMALL, 'test');
    h.sessions!.refuse = 'finance/accounts/1';
    s.execute({ command: 'start', scenario: 'small' });
    await h.kernel.clock.advance(40_000);
    const first = h.events('scenario.step')[0]!;
    assert.equal(first.error, { code: 'US_PERSONAS_ENTITY_NOT_FOUND', message: 'No entity finance/accounts/1' });
    assert.ok(h.events('scenario.progress').every((e) => (e.error as { code: string }).code === 'US_PERSONAS_ENTITY_NOT_FOUND'));
    const st = s.execute({ command: 'status', scenario: 'small' }) as { state: string; errors: number; recentErrors: unknown[] };
    assert.is(st.state, 'ended');
    assert.is(st.errors, 6);
    assert.is(st.recentErrors.length, 6);
  }, { config: { maxErrors: 20 } });
});

test('without a sessions service steps still run and emit; progressions start from what the run wrote', async () => {
  await withHarness(async (h) => {
    const s = service(h);
    s.load({
      name: 'bare',
      steps: [
        { id: 'set', at: 0, set: { entity: 'finance/accounts/1', changes: { n: 10 } } },
        { id: 'up', at: '1s', progress: { entity: 'finance/accounts/1', field: 'n', to: 20, over: '2s' } },
        { id: 'fresh', at: '1s', progress: { entity: 'finance/accounts/2', field: 'n', to: 4, over: '2s' } },
        { id: 'given', at: '1s', progress: { entity: 'finance/accounts/3', field: 'n', to: 4, from: 2, over: '2s', every: '2s' } },
      ],
    }, 'test');
    s.execute({ command: 'start', scenario: 'bare' });
    await h.kernel.clock.advance(3000);
    assert.equal(h.events('scenario.progress').map((e) => [e.step, e.value]), [
      ['up', 15], ['fresh', 2], ['up', 20], ['fresh', 4], ['given', 4],
    ]);
    assert.equal(h.events('scenario.step').map((e) => (e.progress as { from: number } | undefined)?.from), [undefined, 10, 0, 2]);
    s.execute({ command: 'rewind', scenario: 'bare', to: 0 });
    assert.is(h.events('scenario.jumped').length, 1);
  }, { sessions: false });
});

test('states: coded refusals for controls that do not fit the state', async () => {
  await withHarness(async (h) => {
    const s = service(h);
    s.load(SMALL, 'test');
    const code = (command: Record<string, unknown>) => {
      try {
        s.execute({ scenario: 'small', ...command });
        return 'ok';
      } catch (e) {
        return (e as { code: string }).code;
      }
    };
    assert.is(code({ command: 'pause' }), 'US_SCENARIO_NOT_STARTED');
    assert.is(code({ command: 'rewind' }), 'US_SCENARIO_NOT_STARTED');
    assert.is((s.execute({ command: 'status', scenario: 'small' }) as { state: string }).state, 'idle');
    assert.is(code({ command: 'start' }), 'ok');
    assert.is(code({ command: 'start' }), 'US_SCENARIO_WRONG_STATE');
    assert.is(code({ command: 'resume' }), 'US_SCENARIO_WRONG_STATE');
    assert.is(code({ command: 'pause' }), 'ok');
    assert.is(code({ command: 'pause' }), 'US_SCENARIO_WRONG_STATE');
    assert.is(code({ command: 'speed', speed: 2 }), 'ok');
    assert.is(code({ command: 'speed', speed: 200 }), 'US_SCENARIO_SPEED_OUT_OF_RANGE');
    assert.is(code({ command: 'jump', waypoint: 'Lo' }), 'US_SCENARIO_WAYPOINT_NOT_FOUND');
    assert.is(code({ command: 'stop' }), 'ok');
    assert.is(code({ command: 'stop' }), 'US_SCENARIO_WRONG_STATE');
    assert.is(code({ command: 'resume' }), 'US_SCENARIO_WRONG_STATE');
    assert.is(code({ command: 'pause' }), 'US_SCENARIO_WRONG_STATE');
    assert.is(code({ command: 'speed', speed: 3 }), 'ok', 'kept for the next start');
    assert.is(code({ command: 'start' }), 'ok', 'an ended run starts again');
    assert.is((s.execute({ command: 'status', scenario: 'small' }) as { speed: number }).speed, 1, 'start without speed: the configured one');
    // one scenario per session; others in other sessions
    s.load({ ...SMALL, name: 'other' }, 'test');
    assert.is(code({ command: 'start', scenario: 'other' }), 'US_SCENARIO_SESSION_BUSY');
    assert.is(code({ command: 'jump', scenario: 'other', waypoint: 'Low' }), 'US_SCENARIO_SESSION_BUSY');
    assert.is(code({ command: 'start', scenario: 'other', session: 'alice' }), 'ok');
    assert.is(code({ command: 'start', scenario: 'small', session: 'bob' }), 'ok');
    assert.is(s.allRuns().length, 3);
    await h.kernel.clock.advance(30_000);
    assert.is(balance(h, 'alice'), 0);
    assert.is(balance(h, 'bob'), 0);
    assert.is(code({ command: 'start', scenario: 'small', session: 'carol' }), 'US_SCENARIO_LIMIT_REACHED');
    assert.is(code({ command: 'stop', scenario: 'other', session: 'alice' }), 'ok');
    assert.is(code({ command: 'start', scenario: 'small', session: 'carol' }), 'ok', 'an ended run makes room');
  }, { config: { maxRuns: 3 } });
});

test('determinism: the same script and seed give the same events, twice', async () => {
  const run = async () => {
    const h = await harness({ seed: 42 });
    try {
      const s = service(h);
      s.load(TRIGGERED, 'test');
      s.load(SMALL, 'test');
      s.execute({ command: 'start', scenario: 'small', session: 'a' });
      s.execute({ command: 'start', scenario: 'triggered' });
      await h.kernel.clock.advance(12_000);
      (h.kernel.events.emit as (source: string, t: string, d: unknown) => void)('test', 'bank.flagged', { card: '3' });
      await h.kernel.clock.advance(8000);
      s.execute({ command: 'jump', scenario: 'small', session: 'a', waypoint: 'Begin' });
      await h.kernel.clock.advance(60_000);
      return h.kernel.captured.filter((e) => e.type.startsWith('scenario.')).map((e) => JSON.stringify(e));
    } finally {
      await h.kernel.stop();
    }
  };
  const first = await run();
  const second = await run();
  assert.ok(first.length >= 30, String(first.length));
  assert.equal(first, second);
});

test('the kernel stopping ends active runs', async () => {
  const h = await harness();
  service(h).load(SMALL, 'test');
  service(h).execute({ command: 'start', scenario: 'small' });
  await h.kernel.stop();
  assert.is(h.events('scenario.ended')[0]!.reason, 'stopped');
  assert.is(h.kernel.clock.pendingTimers(), 0);
});

test.run();
