// Exports over HTTP: WebVTT chapters checked with webvtt-parser in chapters mode (cue
// times, titles escaped, markers of one moment sharing a cue, the last chapter to the end
// of the take), the JSON export, the files a take leaves, and the store bounded by count
// and by bytes with what it dropped counted.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
// webvtt-parser is CommonJS whose exports Node cannot name statically: take the default
import webvtt from 'webvtt-parser';

const { WebVTTParser } = webvtt;
import { waitFor } from '@understudy/plugin-sdk/testing';
import { admin, mark, start, tempDir, type Kit } from './helpers.js';

const it = suite('recorder: exports and bounds');

function parseChapters(vtt: string) {
  const parsed = new WebVTTParser().parse(vtt, 'chapters');
  assert.equal(parsed.errors, [], JSON.stringify(parsed.errors));
  return parsed.cues.map((c) => ({
    id: c.id,
    start: c.startTime,
    end: c.endTime,
    text: c.text,
  }));
}

async function bankRun(k: Kit) {
  k.bank.started();
  await k.advance(10_000);
  k.bank.step(10_000, 'salary', { narrative: 'Salary <in> & "out" --> next' });
  k.emit('breaker.opened', { key: 'a' }); // same moment: shares the cue
  await k.advance(80_000);
  k.bank.step(90_000, 'rent', { waypoint: 'Overdraft' });
  await k.advance(30_000);
}

it('chapters.vtt of the running take is valid WebVTT chapters; the last chapter runs to now', async () => {
  const k = await start({ events: ['breaker.opened'] });
  try {
    assert.is((await admin(k, '/chapters.vtt')).body.code, 'US_RECORDER_NO_TAKE');
    await bankRun(k);
    const res = await admin(k, '/chapters.vtt');
    assert.is(res.status, 200);
    assert.is(res.headers.get('content-type'), 'text/vtt; charset=utf-8');
    assert.ok(res.text.startsWith('WEBVTT\n\nNOTE Understudy take-1: scenario bank (session default), from 2025-01-01T00:00:00.000Z\n'), res.text);
    assert.match(res.text, '00:00:10.000 --> 00:01:30.000');
    assert.equal(parseChapters(res.text), [
      { id: 'm-1 m-2', start: 10, end: 90, text: 'salary · breaker.opened' },
      { id: 'm-3', start: 90, end: 120, text: 'Overdraft' },
    ]);
  } finally {
    await k.stop();
  }
});

it('titles with markup, entities, arrows and line breaks stay one valid chapter title each', async () => {
  const k = await start();
  try {
    await admin(k, '/takes', { method: 'POST' });
    await mark(k, { text: '<b>Bold</b> & "quoted" --> arrow' });
    await k.advance(1500);
    await mark(k, { text: 'NOTE this\n\nWEBVTT' });
    const cues = parseChapters((await admin(k, '/chapters.vtt?take=take-1')).text);
    // escaped as WebVTT wants it (no tags in chapter titles: the parser reports none)
    assert.equal(cues.map((c) => c.text), ['&lt;b&gt;Bold&lt;/b&gt; &amp; "quoted" --&gt; arrow', 'NOTE this']);
    assert.equal(cues.map((c) => [c.start, c.end]), [
      [0, 1.5],
      [1.5, 2.5],
    ]);
  } finally {
    await k.stop();
  }
});

it('a take that ends leaves a .vtt and a .json in the folder; markers.json is the same export', async () => {
  const k = await start({ events: ['breaker.opened'] });
  try {
    await bankRun(k);
    k.bank.ended(120_000);
    const take = (await admin(k, '/takes/take-1')).body;
    await admin(k, '/status'); // flushes; the files are written on the recorder's queue
    const written = await waitFor(() => k.eventsOf('recorder.filesWritten').length && k.eventsOf('recorder.filesWritten'), 'the take files');
    assert.is(written.length, 1);
    const files = written[0]!.data;
    assert.ok(files.vtt.startsWith(k.dir) && files.vtt.endsWith('20250101T000000Z-take-1-bank-default.vtt'), files.vtt);
    const cues = parseChapters(readFileSync(files.vtt, 'utf8'));
    assert.equal(cues.at(-1), { id: 'm-3', start: 90, end: 120, text: 'Overdraft' });
    const doc = JSON.parse(readFileSync(files.json, 'utf8'));
    assert.is(doc.take.id, 'take-1');
    assert.is(doc.take.endedAt, take.endedAt);
    assert.equal(doc.markers.map((m: { id: string }) => m.id), ['m-1', 'm-2', 'm-3']);
    const exported = (await admin(k, '/markers.json')).body;
    assert.equal(exported.markers, doc.markers);
    assert.is(exported.take.files.json, files.json);
    assert.is((await admin(k, '/markers.json?take=take-7')).body.code, 'US_RECORDER_TAKE_NOT_FOUND');
    const status = (await admin(k, '/status')).body;
    assert.is(status.mode, 'files');
    assert.match(status.summary, 'OBS is not configured: markers are written to WebVTT and JSON files in');
    assert.is(status.files.written, 1);
  } finally {
    await k.stop();
  }
});

it('a folder that cannot be written is reported in the status and the log, not a crash', async () => {
  // a file where the folder should be: mkdir fails with ENOTDIR
  const file = join(tempDir(), 'a-file');
  writeFileSync(file, 'x');
  const k = await start({ files: { dir: join(file, 'recordings') } });
  try {
    await admin(k, '/takes', { method: 'POST' });
    await admin(k, '/takes/take-1/stop', { method: 'POST' });
    const status = (await admin(k, '/status')).body;
    assert.match(status.files.lastError, 'take-1: ENOTDIR');
    assert.is(status.files.written, 0);
  } finally {
    await k.stop();
  }
});

it('the store is bounded by count and by bytes; drops are counted; files can be off', async () => {
  const k = await start({ maxMarkers: 3, files: { enabled: false } });
  try {
    for (let i = 0; i < 5; i++) await mark(k, { text: `mark ${i}` });
    const { body } = await admin(k, '/markers');
    assert.equal(body.markers.map((m: { title: string }) => m.title), ['mark 2', 'mark 3', 'mark 4']);
    assert.is(body.dropped, 2);
    const status = (await admin(k, '/status')).body;
    assert.equal([status.markers.count, status.markers.dropped, status.markers.maxMarkers], [3, 2, 3]);
    assert.match(status.summary, 'files are off');
  } finally {
    await k.stop();
  }
  const bytes = await start({ maxBytes: 2048, maxTextLength: 1000 });
  try {
    for (let i = 0; i < 6; i++) await mark(bytes, { text: `${i}`.repeat(700) });
    const status = (await admin(bytes, '/status')).body;
    assert.ok(status.markers.bytes <= 2048, String(status.markers.bytes));
    assert.ok(status.markers.count >= 1);
    assert.is(status.markers.count + status.markers.dropped, 6);
    assert.ok(status.markers.dropped >= 3, String(status.markers.dropped));
  } finally {
    await bytes.stop();
  }
});

it('the queue of events waiting to be recorded is bounded too; what it refused is counted', async () => {
  const k = await start({ maxPending: 2, events: ['breaker.opened'] });
  try {
    for (let i = 0; i < 5; i++) k.emit('breaker.opened', { key: String(i) });
    const status = (await admin(k, '/status')).body;
    assert.equal([status.markers.count, status.markers.pendingDropped], [2, 3]);
  } finally {
    await k.stop();
  }
});

it('invalid config stops startup with every path', async () => {
  try {
    await start({ maxMarkers: 0, obs: { url: 'http://x', nope: 1 }, events: [{ title: 'x' }] });
    assert.unreachable('started');
  } catch (err) {
    const message = (err as Error).message;
    for (const p of ['plugins.recorder.maxMarkers', 'plugins.recorder.obs.url', 'unknown property "nope"', 'plugins.recorder.events[0]']) assert.match(message, p);
  }
});

it.run();
