// The WebSocket API with the real `ws` client on a real socket: the hello, every step and
// state change streamed, the same commands as REST with replies after the events they
// caused, coded error messages for bad commands, the stream filters, the client limit, and
// the control plane's protection of the upgrade (Origin, Host, token) from the kernel's guard.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import WebSocket from 'ws';
import { waitFor } from '@understudy/plugin-sdk/testing';
import { SMALL, withHarness, type Harness } from './helpers.js';

interface Client {
  ws: WebSocket;
  messages: any[];
  /** Wait for the first message (from `from` on) that matches. */
  next(match: (m: any) => boolean, what?: string): Promise<any>;
  send(message: unknown): void;
}

async function connect(h: Harness, query = '', options: WebSocket.ClientOptions = {}): Promise<Client> {
  const ws = new WebSocket(`${h.kernel.baseUrl.replace('http', 'ws')}/__admin/scenarios/ws${query}`, options);
  const messages: any[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data))));
  await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
  let seen = 0;
  return {
    ws,
    messages,
    async next(match, what = 'message') {
      return waitFor(() => {
        const i = messages.findIndex((m, k) => k >= seen && match(m));
        if (i < 0) return undefined;
        seen = i + 1;
        return messages[i];
      }, what);
    },
    send: (message) => ws.send(typeof message === 'string' ? message : JSON.stringify(message)),
  };
}

/** Status of an upgrade that was refused, or 'open'. */
function upgrade(h: Harness, options: WebSocket.ClientOptions): Promise<number | 'open'> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${h.kernel.baseUrl.replace('http', 'ws')}/__admin/scenarios/ws`, options);
    ws.on('unexpected-response', (_req, res) => (resolve(res.statusCode!), ws.terminate()));
    ws.on('open', () => (resolve('open'), ws.close()));
    ws.on('error', () => undefined);
  });
}

test('hello, then every step and state change streamed; commands answered after the events they caused', async () => {
  await withHarness(async (h) => {
    h.kernel.resolve('scenarios').load(SMALL, 'test');
    const c = await connect(h);
    const hello = await c.next((m) => m.kind === 'hello');
    assert.equal(hello.scenarios.map((s: { name: string }) => s.name), ['small']);
    assert.equal(hello.runs, []);
    c.send({ command: 'start', scenario: 'small', id: 1 });
    const reply = await c.next((m) => m.kind === 'reply' && m.id === 1);
    assert.equal([reply.command, reply.result.state], ['start', 'running']);
    const kinds = c.messages.slice(1).map((m) => (m.kind === 'event' ? m.event.type : m.kind));
    assert.equal(kinds, ['scenario.started', 'scenario.step', 'scenario.waypoint', 'reply'], 'events first, then the reply');
    await h.kernel.clock.advance(15_000);
    const tick = await c.next((m) => m.kind === 'event' && m.event.type === 'scenario.progress');
    assert.equal([tick.event.data.value, tick.event.data.at, tick.event.source], [75_000, 15_000, 'scenarios']);
    c.send({ command: 'pause', scenario: 'small', id: 'p' });
    assert.is((await c.next((m) => m.kind === 'event')).event.type, 'scenario.paused');
    c.send({ command: 'jump', scenario: 'small', waypoint: 'End', id: 2 });
    const jumped = await c.next((m) => m.kind === 'event' && m.event.type === 'scenario.jumped');
    assert.equal([jumped.event.data.from, jumped.event.data.at], [15_000, 40_000]);
    assert.is((await c.next((m) => m.id === 2)).result.waypoint, 'End');
    c.send({ command: 'resume', scenario: 'small' });
    await c.next((m) => m.kind === 'event' && m.event.type === 'scenario.ended');
    c.send({ command: 'list', id: 3 });
    const list = await c.next((m) => m.id === 3);
    assert.equal(list.result.runs.map((r: { state: string }) => r.state), ['ended']);
    c.send({ command: 'status', scenario: 'small' });
    assert.is((await c.next((m) => m.kind === 'reply' && m.command === 'status')).result.stepsRun, 4);
    c.ws.close();
  });
});

test('bad commands get coded error messages; the connection stays open', async () => {
  await withHarness(async (h) => {
    h.kernel.resolve('scenarios').load(SMALL, 'test');
    const c = await connect(h);
    await c.next((m) => m.kind === 'hello');
    const error = async (message: unknown, code: string, statusCode: number) => {
      c.send(message);
      const e = await c.next((m) => m.kind === 'error', code);
      assert.is(e.code, code, JSON.stringify(e));
      assert.is(e.statusCode, statusCode);
      assert.type(e.error, 'string');
      assert.type(e.message, 'string');
      return e;
    };
    assert.match((await error('not json', 'US_SCENARIO_COMMAND_INVALID', 400)).message, 'not JSON');
    assert.match((await error('[1]', 'US_SCENARIO_COMMAND_INVALID', 400)).message, 'a command is a JSON object');
    const unknown = await error({ command: 'strat', scenario: 'small', id: 9 }, 'US_SCENARIO_COMMAND_UNKNOWN', 400);
    assert.match(unknown.message, 'did you mean "start"?');
    assert.is(unknown.id, 9);
    await error({ command: 'jump', scenario: 'small' }, 'US_SCENARIO_COMMAND_INVALID', 400);
    await error({ command: 'start' }, 'US_SCENARIO_COMMAND_INVALID', 400);
    await error({ command: 'start', scenario: 'small', speed: 'fast' }, 'US_SCENARIO_SPEED_OUT_OF_RANGE', 400);
    await error({ command: 'start', scenario: 'smal' }, 'US_SCENARIO_NOT_FOUND', 404);
    await error({ command: 'jump', scenario: 'small', waypoint: 'Nowhere' }, 'US_SCENARIO_WAYPOINT_NOT_FOUND', 404);
    await error({ command: 'resume', scenario: 'small' }, 'US_SCENARIO_NOT_STARTED', 409);
    c.ws.send(Buffer.from('{"command":"list"}'), { binary: true });
    assert.match((await c.next((m) => m.kind === 'error')).message, 'JSON text messages');
    c.send({ command: 'list', id: 'still-open' });
    assert.is((await c.next((m) => m.kind === 'reply')).id, 'still-open');
    c.ws.close();
  });
});

test('?scenario= and ?session= narrow the stream', async () => {
  await withHarness(async (h) => {
    const s = h.kernel.resolve('scenarios');
    s.load(SMALL, 'test');
    s.load({ ...SMALL, name: 'other' }, 'test');
    const onlyOther = await connect(h, '?scenario=other');
    const onlyAlice = await connect(h, '?session=alice');
    s.execute({ command: 'start', scenario: 'small' });
    s.execute({ command: 'start', scenario: 'other', session: 'alice' });
    await onlyOther.next((m) => m.kind === 'event' && m.event.type === 'scenario.waypoint');
    await onlyAlice.next((m) => m.kind === 'event' && m.event.type === 'scenario.waypoint');
    for (const c of [onlyOther, onlyAlice]) {
      const events = c.messages.filter((m) => m.kind === 'event');
      assert.ok(events.length >= 3);
      assert.ok(events.every((m) => m.event.data.scenario === 'other' && m.event.data.session === 'alice'));
      c.ws.close();
    }
  });
});

test('maxClients: one more client gets a coded error and is closed', async () => {
  await withHarness(async (h) => {
    const first = await connect(h);
    const second = await connect(h);
    const refused = await second.next((m) => m.kind === 'error');
    assert.is(refused.code, 'US_SCENARIO_LIMIT_REACHED');
    const code = await new Promise((resolve) => second.ws.once('close', resolve));
    assert.is(code, 1013);
    first.ws.close();
    await waitFor(() => first.ws.readyState === WebSocket.CLOSED, 'first closed');
    // the slot is free again once the server saw the close
    await waitFor(async () => {
      const again = await connect(h);
      const m = await again.next((x) => x.kind === 'hello' || x.kind === 'error');
      again.ws.close();
      return m.kind === 'hello';
    }, 'a free slot');
  }, { config: { maxClients: 1 } });
});

test('the upgrade is guarded like the rest of /__admin: cross-origin pages and foreign Host names are refused', async () => {
  await withHarness(async (h) => {
    assert.is(await upgrade(h, { origin: 'http://evil.example' }), 403);
    assert.is(await upgrade(h, { headers: { host: 'evil.example' } }), 403);
    assert.is(await upgrade(h, { origin: h.kernel.baseUrl }), 'open');
    assert.is(await upgrade(h, {}), 'open');
  });
});

test('with an admin token the upgrade needs it', async () => {
  const token = 'a-long-enough-admin-token';
  await withHarness(async (h) => {
    assert.is(await upgrade(h, {}), 401);
    assert.is(await upgrade(h, { headers: { authorization: 'Bearer wrong-token-of-some-length' } }), 401);
    assert.is(await upgrade(h, { headers: { authorization: `Bearer ${token}` } }), 'open');
  }, { kernel: { server: { admin: { token } } } });
});

test.run();
