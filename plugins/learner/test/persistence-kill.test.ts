// A kill -9 in the middle of learning loses at most the batch in flight (SQLite file and,
// with UNDERSTUDY_TEST_POSTGRES, the real PostgreSQL server). A file of its own: each round
// boots a child process, which takes seconds on a loaded machine.
//
// The kill -9 test without timing races: a child process (persistence-child.ts) learns
// batch after batch (one batch = what arrives in one flush interval of kernel time, 250 ms)
// and writes `observed B` before queueing batch B and `committed B` after the flush that
// wrote it resolved, synchronously, so those lines are in the pipe before the next step.
// The parent SIGKILLs it as soon as it reads `committed 3` — wherever the child is by then
// (learning, inside the transaction, between batches) — then reads the rest of the pipe.
// With O the last batch observed and C the last committed, the reopened store must hold
// exactly B whole batches with C ≤ B ≤ O and O − B ≤ 1: nothing committed is lost, at most
// the one batch in flight is, and never half a batch. No assertion depends on when the
// signal lands. A second round restarts on the same store and must load exactly B batches.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { LearnerStore } from '../src/storage/store.js';
import { eachEngine, notePostgres, type Place } from './storage-backends.js';

notePostgres('persistence-kill.test.ts');

const ROOT = join(import.meta.dirname, '../../..');
const CHILD = join(import.meta.dirname, 'persistence-child.ts');
const PER_BATCH = 300;

interface Round {
  loaded: number;
  observed: number;
  committed: number;
  signal: NodeJS.Signals | null;
}

/** Run the child until it has committed `killAfter` batches, then SIGKILL it. */
function learnAndKill(p: Place, killAfter: number): Promise<Round> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', CHILD, JSON.stringify({ config: p.config, cwd: p.dir, perBatch: PER_BATCH })], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const round: Round = { loaded: -1, observed: 0, committed: 0, signal: null };
    let buffered = '';
    let stderr = '';
    const read = (chunk: Buffer) => {
      buffered += chunk.toString();
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const [what, n] = buffered.slice(0, nl).split(' ');
        buffered = buffered.slice(nl + 1);
        if (what === 'loaded') round.loaded = Number(n);
        if (what === 'observed') round.observed = Number(n);
        if (what === 'committed') {
          round.committed = Number(n);
          if (round.committed === killAfter) child.kill('SIGKILL');
        }
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000); // a hung child must not hang the suite
    // 'close' comes after stdout ended: every line the child wrote before dying has been read
    child.on('close', (_code, signal) => {
      clearTimeout(guard);
      round.signal = signal;
      if (round.committed < killAfter) reject(new Error(`the child stopped before committing ${killAfter} batches (${signal ?? _code}): ${stderr.slice(-2000)}`));
      else resolve(round);
    });
    child.on('error', reject);
  });
}

async function storedCount(p: Place): Promise<{ count: number; keys: string[]; secrets: boolean }> {
  const store = new LearnerStore(p.config.storage, p.dir, { schema: p.config.postgresSchema });
  await store.open();
  try {
    const snap = await store.load();
    return {
      count: snap.endpoints.reduce((n, e) => n + e.count, 0),
      keys: snap.endpoints.map((e) => e.key),
      secrets: JSON.stringify(snap).includes('secret-token'),
    };
  } finally {
    await store.close();
  }
}

const test = suite('learner persistence: kill -9');

eachEngine(test, 'kill -9 while learning: the store holds whole batches, loses at most the one in flight, and reopens', async (p) => {
  const first = await learnAndKill(p, 3);
  assert.is(first.signal, 'SIGKILL');
  assert.is(first.loaded, 0);
  const afterFirst = await storedCount(p);
  assert.is(afterFirst.count % PER_BATCH, 0, `${afterFirst.count} observations stored: not a whole number of batches`);
  const batches = afterFirst.count / PER_BATCH;
  assert.ok(batches >= first.committed, `a committed batch was lost: ${batches} stored, ${first.committed} committed`);
  assert.ok(batches <= first.observed && first.observed - batches <= 1, `more than the last batch was lost: ${batches} stored, ${first.observed} observed`);
  assert.equal(afterFirst.keys, ['GET /items/{itemId}']);
  assert.is(afterFirst.secrets, false, 'the Authorization header must not be stored in clear');

  // a second life on the same store starts from exactly what was stored, and goes on
  const second = await learnAndKill(p, 2);
  assert.is(second.loaded, afterFirst.count);
  const afterSecond = await storedCount(p);
  assert.is(afterSecond.count % PER_BATCH, 0);
  const more = afterSecond.count / PER_BATCH - batches;
  assert.ok(more >= second.committed && second.observed - more <= 1, `second round: ${more} more stored, ${second.committed} committed, ${second.observed} observed`);
});

test.run();
