// The recorder with the real scenarios plugin (a devDependency; at run time the recorder
// only listens): a script driven through the scenarios admin API on the virtual clock —
// steps and waypoints at their times, a pause, a jump, the end — becomes markers, chapters
// and files, and annotations land at the right scenario time. This checks the recorder's
// reading of the scenarios contract against the plugin that emits it.
import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import scenarios from '@understudy/plugin-scenarios';
import { createTestKernel, fetchJson, waitFor, type TestKernel } from '@understudy/plugin-sdk/testing';
import webvtt from 'webvtt-parser';
import recorder from '../src/index.js';
import { tempDir } from './helpers.js';

const it = suite('recorder: with the scenarios plugin');

const script = {
  name: 'bank',
  steps: [
    { id: 'intro', at: '0s', waypoint: 'Morning', narrative: 'Maria starts the day' },
    { id: 'bills', at: '30s', narrative: 'The bills go out' },
    { id: 'rent', at: '60s', waypoint: 'Overdraft', narrative: 'The rent pushes her overdrawn' },
    { id: 'call', at: '90s', waypoint: 'The call', narrative: 'She calls the bank' },
  ],
};

let k: TestKernel;
let dir: string;
it.before(async () => {
  dir = tempDir();
  k = await createTestKernel({ plugins: [scenarios, recorder], config: { scenarios: { scripts: [script] }, recorder: { files: { dir } } } });
});
it.after(() => k.stop());

const post = (path: string, json: unknown = {}) => fetchJson(`${k.baseUrl}/__admin${path}`, { method: 'POST', json });
const get = (path: string) => fetchJson(`${k.baseUrl}/__admin${path}`);

it('a run becomes a take whose markers, chapters and files follow the story', async () => {
  assert.is((await post('/scenarios/bank/start')).status, 200);
  await k.advance(30_000);
  await k.advance(10_000); // scenario 40 s
  await post('/scenarios/bank/pause');
  await k.advance(20_000); // paused 20 s
  const now = await post('/recorder/markers', { text: 'A question from the audience' });
  assert.equal([now.body.scenarioAt, now.body.offsetMs, now.body.take], [40_000, 60_000, 'take-1']);
  const past = await post('/recorder/markers', { text: 'Back when the bills went out', at: 30_000 });
  assert.equal([past.body.scenarioAt, past.body.offsetMs], [30_000, 30_000]);
  await post('/scenarios/bank/resume');
  await k.advance(20_000); // scenario 60 s: the Overdraft
  await post('/scenarios/bank/jump', { waypoint: 'The call' });
  await k.advance(1000);

  const { markers } = (await get('/recorder/markers')).body;
  assert.equal(
    markers.map((m: { kind: string; title: string; scenarioAt: number; offsetMs: number }) => [m.kind, m.title, m.scenarioAt, m.offsetMs]),
    [
      ['waypoint', 'Morning', 0, 0],
      ['step', 'bills', 30_000, 30_000],
      ['annotation', 'A question from the audience', 40_000, 60_000],
      ['annotation', 'Back when the bills went out', 30_000, 30_000],
      ['waypoint', 'Overdraft', 60_000, 80_000],
      ['jump', 'Jumped to The call', 90_000, 80_000],
    ],
  );
  assert.is(markers[0].text, 'Maria starts the day');

  // jumping to the last waypoint ran the last step: the run completed, and its take ended
  const take = await waitFor(async () => {
    const t = (await get('/recorder/takes/take-1')).body;
    return t.files && t;
  }, 'the take files');
  assert.equal([take.scenario, take.session, take.endReason, take.endedAt - take.startedAt], ['bank', 'default', 'completed', 80_000]);
  const parsed = new webvtt.WebVTTParser().parse(readFileSync(take.files.vtt, 'utf8'), 'chapters');
  assert.equal(parsed.errors, []);
  assert.equal(
    parsed.cues.map((c) => [c.startTime, c.endTime, c.text]),
    [
      [0, 30, 'Morning'],
      [30, 60, 'bills · Back when the bills went out'],
      [60, 80, 'A question from the audience'],
      // a take that ends on its last marker gives that chapter a second
      [80, 81, 'Overdraft · Jumped to The call'],
    ],
  );
});

it.run();
