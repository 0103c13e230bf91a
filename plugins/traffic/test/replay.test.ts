// Replay of a recorded rate series: seconds or ISO timestamps, header optional, linear
// between points, looped (or held); inline or from a file next to the config; bad CSV is
// a startup error or a 400 naming the line.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assertRefused } from '@understudy/plugin-sdk/testing';
import { parseRateCsv } from '../src/shapes/csv.js';
import { admin, entryAt, start } from './helpers.js';

const SOLO = { solo: { endpoints: [{ name: 'go', path: '/', latency: { type: 'fixed', ms: 0 } }] } };

test('seconds series with a header: linear between points, looped', async () => {
  const csv = 'seconds,rps\n0,10\n10,30\n# a comment\n\n20,10\n';
  const k = await start({ patterns: { r: { service: 'solo', shape: { kind: 'replay', csv } } } }, { services: SOLO });
  try {
    assert.is(entryAt(k, 'solo', 0), 10);
    assert.is(entryAt(k, 'solo', 5), 20);
    assert.is(entryAt(k, 'solo', 10), 30);
    assert.is(entryAt(k, 'solo', 15), 20);
    // period 20 s: t = 25 is t = 5
    assert.is(entryAt(k, 'solo', 25), 20);
    assert.is(entryAt(k, 'solo', 40), 10);
  } finally {
    await k.stop();
  }
});

test('ISO timestamps without a header, loop false holds the last rate, scale multiplies', async () => {
  const csv = '2024-03-01T00:00:00Z,100\n2024-03-01T00:01:00Z,200\n2024-03-01T00:02:00Z,50';
  const k = await start({ patterns: { r: { service: 'solo', shape: { kind: 'replay', csv, loop: false, scale: 2 } } } }, { services: SOLO });
  try {
    assert.is(entryAt(k, 'solo', 30), 300);
    assert.is(entryAt(k, 'solo', 90), 250);
    assert.is(entryAt(k, 'solo', 120), 100);
    assert.is(entryAt(k, 'solo', 100_000), 100);
  } finally {
    await k.stop();
  }
});

test('a file relative to the config folder; a one-point series is constant', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'traffic-'));
  writeFileSync(join(dir, 'rates.csv'), '0,7\n');
  const k = await start({ patterns: { r: { service: 'solo', shape: { kind: 'replay', file: 'rates.csv' } } } }, { services: SOLO, cwd: dir });
  try {
    assert.is(entryAt(k, 'solo', 0), 7);
    assert.is(entryAt(k, 'solo', 1234), 7);
  } finally {
    await k.stop();
  }
});

test('bad CSV: every bad line named', () => {
  const r = parseRateCsv('seconds,rps\n0,10\n5,abc\nx,3\n0,4\n9,1,2\n2024-01-01T00:00:00Z,3\n12,-1');
  assert.equal(r.problems, [
    'line 3: rps "abc" is not a number',
    'line 4: "x" is neither seconds nor an ISO 8601 timestamp',
    'line 5: time 0 must be after the line before (line 2)',
    'line 6: expected 2 columns "seconds,rps" or "timestamp,rps", got 3 ("9,1,2")',
    'line 7: mixes timestamp with the seconds of the lines before; use one kind of time',
    'line 8: rps -1 must be >= 0',
  ]);
  assert.equal(parseRateCsv('seconds,rps\n').problems, ['no data lines (expected "seconds,rps" or "timestamp,rps" lines)']);
});

test('bad CSV in the config fails the start naming the pattern path and the line', async () => {
  try {
    await start({ patterns: { r: { service: 'solo', shape: { kind: 'replay', csv: '0,1\n1,zz' } } } }, { services: SOLO });
    assert.unreachable('started');
  } catch (err) {
    assert.match((err as Error).message, 'plugins.traffic.patterns.r.shape.csv: line 2: rps "zz" is not a number');
  }
});

test('a missing file is a startup error naming where it looked', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'traffic-'));
  try {
    await start({ patterns: { r: { service: 'solo', shape: { kind: 'replay', file: 'nope.csv' } } } }, { services: SOLO, cwd: dir });
    assert.unreachable('started');
  } catch (err) {
    assert.match((err as Error).message, `plugins.traffic.patterns.r.shape.file: cannot read "${join(dir, 'nope.csv')}" (ENOENT)`);
  }
});

test('bad CSV over the admin API is a 400 naming the line; nothing is added', async () => {
  const k = await start({}, { services: SOLO });
  try {
    const res = await admin(k, '/patterns', { method: 'POST', json: { id: 'r', service: 'solo', shape: { kind: 'replay', csv: '0,1\n\n2024-01-01,4' } } });
    assertRefused(res, 'US_TRAFFIC_INVALID_PATTERN', ['shape.csv: line 3: mixes timestamp']);
    const both = await admin(k, '/patterns', { method: 'POST', json: { service: 'solo', shape: { kind: 'replay', csv: '0,1', file: 'x' } } });
    assert.match(both.body.message, 'shape: a replay needs exactly one of csv');
    assert.equal((await admin(k, '/patterns')).body.patterns, []);
  } finally {
    await k.stop();
  }
});

test.run();
