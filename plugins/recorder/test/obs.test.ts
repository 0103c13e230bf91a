// OBS Studio through obs-websocket v5, against a fake OBS speaking the real protocol on a
// real socket (fake-obs.ts): the password's challenge answer, StartRecord with the
// scenario, CreateRecordChapter at each marker, StopRecord at its end; and every way OBS
// can be missing — absent, wrong or missing password, a refused request, a request never
// answered, a hung server, a dropped connection — each said in the status and an event,
// with the files as the record, and a retry through the admin API.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { PluginContext, PluginEvents } from '@understudy/plugin-sdk';
import { waitFor } from '@understudy/plugin-sdk/testing';
import { ObsLink } from '../src/obs.js';
import { startFakeObs, type FakeObs, type FakeObsOptions } from './fake-obs.js';
import { admin, mark, start, type Kit } from './helpers.js';

const it = suite('recorder: OBS');

let fake: FakeObs;
let k: Kit;
async function setup(fakeOptions: FakeObsOptions, obs: Record<string, unknown> = {}) {
  fake = await startFakeObs(fakeOptions);
  k = await start({ events: ['breaker.opened'], obs: { url: fake.url, ...obs } });
}
it.after.each(async () => {
  await k?.stop();
  await fake?.close();
});

const status = async () => (await admin(k, '/status')).body;
const until = (state: string) => waitFor(async () => (await status()).obs.state === state, `OBS ${state}`);
/** Every OBS request and file write queued so far is done. */
const settled = async () => {
  await admin(k, '/status'); // flushes queued events
  await k.resolve('recorder').idle();
};
const requests = () => fake.requests.map((r) => (r.requestType === 'CreateRecordChapter' ? `chapter:${r.requestData?.chapterName}` : r.requestType));

it('with the right password: connected; a take is recorded with a chapter per marker, stopped at the end', async () => {
  await setup({ password: 'correct horse' }, { password: 'correct horse' });
  await until('connected');
  assert.is(fake.identified, 1);
  assert.is(k.eventsOf('recorder.obsConnected')[0]!.data.obsWebSocketVersion, '5.5.0');
  const s = await status();
  assert.is(s.mode, 'obs');
  assert.match(s.summary, `OBS is connected at ${fake.url}`);
  // the password is write-only: no read shows it
  assert.not.match((await admin(k, '/status')).text, 'correct horse');
  assert.not.match((await fetch(`${k.baseUrl}/__admin/plugins`).then((r) => r.text())), 'correct horse');

  k.bank.started();
  k.bank.step(0, 'intro', { waypoint: 'Meet Maria' });
  // OBS answers on a real socket: let it before moving the virtual clock past the request timeout
  await settled();
  await k.advance(10_000);
  k.emit('breaker.opened', { key: 'a' });
  await mark(k, { text: 'she calls' });
  await mark(k, { text: 'in the past: files only', at: 5000 });
  await settled();
  await k.advance(5_000);
  k.bank.ended(15_000);
  await waitFor(() => fake.requests.some((r) => r.requestType === 'StopRecord'), 'StopRecord');
  assert.equal(requests(), ['StartRecord', 'chapter:Meet Maria', 'chapter:breaker.opened', 'chapter:she calls', 'StopRecord']);
  const take = await waitFor(async () => {
    const t = (await admin(k, '/takes/take-1')).body;
    return t.files && t;
  }, 'take files');
  assert.equal(take.obs, { recorded: true, chapters: 3, chaptersFailed: 0, outputPath: '/videos/take-5.mp4' });
  assert.is((await status()).obs.recording, false);
  assert.is(k.eventsOf('recorder.obsFallback').length, 0);
});

it('two overlapping runs share one OBS recording: started by the first, stopped after the last', async () => {
  await setup({});
  await until('connected');
  k.bank.started();
  k.emit('scenario.started', { scenario: 'shop', session: 'default', at: 0, wallAt: k.now(), speed: 1 });
  await settled();
  await k.advance(1000);
  k.bank.ended(1000);
  await settled();
  await k.advance(1000);
  k.emit('scenario.ended', { scenario: 'shop', session: 'default', at: 2000, wallAt: k.now(), reason: 'stopped' });
  await waitFor(() => fake.requests.some((r) => r.requestType === 'StopRecord'), 'StopRecord');
  assert.equal(requests(), ['StartRecord', 'StopRecord']);
  const takes = (await admin(k, '/takes')).body.takes;
  assert.equal(takes.map((t: { obs: { recorded: boolean } }) => t.obs.recorded), [true, true]);
});

it('a wrong password: refused with 4009, said in status and event; markers go to the files; a take retries', async () => {
  await setup({ password: 'secret' }, { password: 'wrong' });
  await until('unavailable');
  const s = await status();
  assert.is(s.mode, 'files');
  assert.match(s.obs.reason, 'OBS refused the password (authentication failed) (4009 Authentication failed.); check plugins.recorder.obs.password');
  assert.match(s.summary, 'OBS is unavailable (OBS refused the password');
  const [fallback] = k.eventsOf('recorder.obsFallback');
  assert.equal({ code: fallback!.data.code, url: fallback!.data.url }, { code: 4009, url: fake.url });
  k.bank.started();
  k.bank.step(0, 'intro');
  k.bank.ended(0);
  await waitFor(() => k.eventsOf('recorder.filesWritten').length, 'files');
  assert.is(fake.authFailures, 2); // at start, and again when the take started
  assert.equal(fake.requests, []);
  assert.is((await admin(k, '/markers')).body.count, 1);
});

it('no password for an OBS that wants one: the status says to set it', async () => {
  await setup({ password: 'secret' });
  await until('unavailable');
  assert.match((await status()).obs.reason, '; set plugins.recorder.obs.password');
});

it('OBS absent: not reachable, files instead; a retry through the admin API connects once it is there', async () => {
  const gone = await startFakeObs();
  const url = gone.url;
  await gone.close();
  fake = await startFakeObs();
  k = await start({ obs: { url } });
  await until('unavailable');
  const s = await status();
  assert.match(s.obs.reason, `OBS is not reachable at ${url}`);
  assert.is(s.mode, 'files');
  assert.is(k.eventsOf('recorder.obsFallback').length, 1);
  // still unreachable: the retry answers the status with the reason
  const retry = await admin(k, '/obs/connect', { method: 'POST' });
  assert.is(retry.status, 200);
  assert.is(retry.body.obs.state, 'unavailable');
});

it('OBS goes away mid-take: said once, and a retry reconnects', async () => {
  await setup({});
  await until('connected');
  k.bank.started();
  await waitFor(() => fake.recording, 'recording');
  fake.dropClients(1001);
  await until('unavailable');
  assert.match((await status()).obs.reason, 'OBS closed the connection (1001 OBS is shutting down)');
  assert.is((await status()).obs.recording, false);
  const retry = await admin(k, '/obs/connect', { method: 'POST' });
  assert.is(retry.body.obs.state, 'connected');
  assert.is(fake.identified, 2);
});

it('a refused StartRecord: the take is not recorded, the status says why, no chapters are sent', async () => {
  await setup({ refuse: { StartRecord: { code: 500, comment: 'The output is already running.' } } });
  await until('connected');
  k.bank.started();
  await waitFor(() => k.eventsOf('recorder.obsFallback').length, 'fallback');
  const [e] = k.eventsOf('recorder.obsFallback');
  assert.equal({ request: e!.data.request, code: e!.data.code }, { request: 'StartRecord', code: 500 });
  assert.match(e!.data.reason, 'OBS refused StartRecord (500: The output is already running.)');
  k.bank.step(1000, 'x');
  const s = await status();
  assert.is(s.mode, 'files');
  assert.match(s.summary, 'refused to record take-1');
  assert.equal({ request: s.obs.lastError.request, failures: s.obs.failures }, { request: 'StartRecord', failures: 1 });
  assert.equal(requests(), ['StartRecord']);
  const take = (await admin(k, '/takes/take-1')).body;
  assert.is(take.obs.recorded, false);
  assert.match(take.obs.error, 'already running');
});

it('a refused chapter (no Hybrid MP4): counted, said once, no more chapters in that take', async () => {
  await setup({ refuse: { CreateRecordChapter: { code: 702, comment: 'Record chapters need Hybrid MP4.' } } });
  await until('connected');
  k.bank.started();
  k.bank.step(0, 'a');
  k.bank.step(0, 'b');
  k.bank.step(0, 'c');
  k.bank.ended(0);
  await waitFor(() => fake.requests.some((r) => r.requestType === 'StopRecord'), 'StopRecord');
  assert.equal(requests(), ['StartRecord', 'chapter:a', 'StopRecord']);
  const take = (await admin(k, '/takes/take-1')).body;
  assert.equal([take.obs.chapters, take.obs.chaptersFailed], [0, 1]);
  assert.is(k.eventsOf('recorder.obsFallback').length, 1);
});

it('a request never answered gives up after requestTimeoutMs of kernel time', async () => {
  await setup({ silent: ['StartRecord'] }, { requestTimeoutMs: 2000 });
  await until('connected');
  k.bank.started();
  await waitFor(() => fake.requests.length === 1, 'StartRecord sent');
  await k.advance(2000);
  await waitFor(() => k.eventsOf('recorder.obsFallback').length, 'fallback');
  assert.match(k.eventsOf('recorder.obsFallback')[0]!.data.reason, 'no answer from OBS within 2000 ms (StartRecord)');
});

it('a server that never says Hello: connecting gives up after connectTimeoutMs', async () => {
  await setup({ hello: false }, { connectTimeoutMs: 3000 });
  await waitFor(async () => (await status()).obs.state === 'connecting', 'connecting');
  await k.untilTimers(1);
  await k.advance(3000);
  await until('unavailable');
  assert.match((await status()).obs.reason, 'no answer from OBS within 3000 ms (connecting)');
});

it('the kernel stopping ends a recorded take: StopRecord is sent before the recorder stops', async () => {
  await setup({});
  await until('connected');
  k.bank.started();
  await waitFor(() => fake.recording, 'recording');
  await k.stop();
  assert.equal(requests(), ['StartRecord', 'StopRecord']);
  assert.is(fake.recording, false);
  k = undefined as unknown as Kit;
});

it('the fallback is said in the log too: one warning with the reason', async () => {
  fake = await startFakeObs();
  k = await start();
  const gone = await startFakeObs();
  const url = gone.url;
  await gone.close();
  const warnings: string[] = [];
  const emitted: Array<[string, unknown]> = [];
  const logger = { info() {}, error() {}, warn: (_fields: unknown, line: string) => warnings.push(line) } as unknown as PluginContext['logger'];
  const events = { emit: (type: string, data: unknown) => emitted.push([type, data]) } as unknown as PluginEvents;
  const link = new ObsLink({ url, record: true, chapters: true, connectTimeoutMs: 1000, requestTimeoutMs: 1000 }, { clock: k.clock, logger, events });
  assert.is(await link.connect(), false);
  assert.equal(warnings, [`recorder: OBS is not reachable at ${url} (-1 connect ECONNREFUSED ${url.slice('ws://'.length)}); markers go to the WebVTT and JSON files`]);
  assert.is(emitted[0]![0], 'recorder.obsFallback');
  assert.is(await link.request('StartRecord'), undefined); // not connected: nothing sent, nothing thrown
});

it('without obs in the config the status says OBS is off', async () => {
  fake = await startFakeObs();
  k = await start();
  const s = await status();
  assert.equal([s.mode, s.obs.state], ['files', 'disabled']);
  assert.match(s.summary, 'OBS is not configured');
  assert.is((await admin(k, '/obs/connect', { method: 'POST' })).body.obs.state, 'disabled');
});

it.run();
