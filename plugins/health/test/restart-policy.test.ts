// The restart state machine on its own: restartPolicy semantics and the kubelet's exact
// crash-loop backoff (0, 10, 20, 40, 80, 160, 300, 300 s; reset after 10 minutes running).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CrashLoopBackoff, decideRestart, delaySeconds, KUBERNETES_BACKOFF, shouldRestart, type ProcessExit } from '../src/restart-policy.js';

const exit = (at: number, exitCode = 1, reason = 'Error'): ProcessExit => ({ at, exitCode, reason });

const policy = suite('health: restartPolicy');

policy('Always restarts on any exit, OnFailure only on a non-zero code, Never never', () => {
  assert.ok(shouldRestart('Always', 0));
  assert.ok(shouldRestart('Always', 137));
  assert.not.ok(shouldRestart('OnFailure', 0));
  assert.ok(shouldRestart('OnFailure', 1));
  assert.not.ok(shouldRestart('Never', 1));
  assert.not.ok(shouldRestart('Never', 0));
});

policy('Never and OnFailure with exit code 0 stay down, with the reason', () => {
  const b = new CrashLoopBackoff();
  const never = decideRestart(b, 'a-1', 'Never', exit(0, 1), 0);
  assert.equal(never.action, 'stay');
  assert.match((never as { reason: string }).reason, /restartPolicy Never/);
  const done = decideRestart(b, 'a-1', 'OnFailure', exit(0, 0, 'Completed'), 0);
  assert.equal(done.action, 'stay');
  assert.match((done as { reason: string }).reason, /OnFailure: exited with code 0/);
  assert.is(b.size, 0); // nothing recorded for a process that stays down
  const failed = decideRestart(b, 'a-1', 'OnFailure', exit(0, 2), 0);
  assert.equal(failed, { action: 'restart', delayMs: 0, state: 'Failed', reason: 'restarting (Error, exit code 2)' });
});

const backoff = suite('health: crash-loop backoff');

backoff('successive exits wait 0, 10, 20, 40, 80, 160, 300, 300 s (each crash right after its restart)', () => {
  const b = new CrashLoopBackoff();
  const delays: number[] = [];
  const states: string[] = [];
  let t = 0;
  for (let i = 0; i < 8; i++) {
    const d = decideRestart(b, 'api-1', 'Always', exit(t), t);
    assert.is(d.action, 'restart');
    if (d.action !== 'restart') return;
    delays.push(d.delayMs / 1000);
    states.push(d.state);
    t += d.delayMs + 5_000; // restarts after the delay, crashes 5 s later
  }
  assert.equal(delays, [0, 10, 20, 40, 80, 160, 300, 300]);
  assert.equal(states, ['Failed', ...Array(7).fill('CrashLoopBackOff')]);
});

backoff('the waiting reason reads like the kubelet\'s', () => {
  const b = new CrashLoopBackoff();
  decideRestart(b, 'x', 'Always', exit(0), 0);
  const d = decideRestart(b, 'x', 'Always', exit(1000), 1000);
  assert.equal(d, { action: 'restart', delayMs: 10_000, state: 'CrashLoopBackOff', reason: 'back-off 10s restarting failed container (Error)' });
});

backoff('an exit more than 10 minutes after the last restart restarts at once and starts over', () => {
  const b = new CrashLoopBackoff();
  let d = decideRestart(b, 'db-1', 'Always', exit(0), 0); // 0 s, next 10 s
  d = decideRestart(b, 'db-1', 'Always', exit(1_000), 1_000); // 10 s, restarts at 11 s
  assert.is((d as { delayMs: number }).delayMs, 10_000);
  assert.equal(b.get('db-1'), { backoffMs: 20_000, lastRestart: 11_000 });
  // exactly 600 s after the restart is not "more than": still in backoff (20 s)
  const edge = new CrashLoopBackoff();
  decideRestart(edge, 'e', 'Always', exit(0), 0);
  decideRestart(edge, 'e', 'Always', exit(1_000), 1_000);
  assert.is((decideRestart(edge, 'e', 'Always', exit(611_000), 611_000) as { delayMs: number }).delayMs, 20_000);
  // 600 s + 1 ms after the restart at 11 s: stable, reset
  d = decideRestart(b, 'db-1', 'Always', exit(611_001), 611_001);
  assert.equal(d, { action: 'restart', delayMs: 0, state: 'Failed', reason: 'restarting (Error, exit code 1)' });
  assert.equal(b.get('db-1'), { backoffMs: 10_000, lastRestart: 611_001 });
  d = decideRestart(b, 'db-1', 'Always', exit(612_000), 612_000);
  assert.is((d as { delayMs: number }).delayMs, 10_000);
});

backoff('a decision made after the exit waits only what is left of the backoff', () => {
  const b = new CrashLoopBackoff();
  decideRestart(b, 'k', 'Always', exit(0), 0);
  assert.is(b.waitMs('k', 1_000, 4_000), 7_000);
  assert.is(b.waitMs('k', 1_000, 20_000), 0);
  assert.is(b.waitMs('unknown', 0, 0), 0);
  // the reason gives the seconds left to a tenth: 1 ms after the exit, 9.999 s read "10s"
  const late = decideRestart(b, 'k', 'Always', exit(30_000), 30_001);
  assert.equal(late, { action: 'restart', delayMs: 9_999, state: 'CrashLoopBackOff', reason: 'back-off 10s restarting failed container (Error)' });
  const partial = decideRestart(b, 'k', 'Always', exit(60_000), 77_550);
  assert.is((partial as { reason: string }).reason, 'back-off 2.5s restarting failed container (Error)');
});

backoff('delays read in seconds to a tenth', () => {
  assert.equal([0, 9_999, 10_000, 2_450, 123].map(delaySeconds), ['0', '10', '10', '2.5', '0.1']);
});

backoff('OOMKilled shows OOMKilled on the immediate restart, CrashLoopBackOff while waiting', () => {
  const b = new CrashLoopBackoff();
  const first = decideRestart(b, 'm', 'Always', exit(0, 137, 'OOMKilled'), 0);
  assert.is((first as { state: string }).state, 'OOMKilled');
  const second = decideRestart(b, 'm', 'OnFailure', exit(100, 137, 'OOMKilled'), 100);
  assert.is((second as { state: string }).state, 'CrashLoopBackOff');
});

backoff('reset forgets an instance; other settings scale the curve', () => {
  const b = new CrashLoopBackoff({ initialMs: 1_000, maxMs: 4_000, resetAfterMs: 8_000 });
  const delays = [0, 1, 2, 3, 4].map((i) => (decideRestart(b, 'z', 'Always', exit(i * 100_0), i * 100_0) as { delayMs: number }).delayMs);
  assert.equal(delays, [0, 1_000, 2_000, 4_000, 4_000]);
  b.reset('z');
  assert.is(b.get('z'), undefined);
  assert.is(b.size, 0);
  assert.equal(KUBERNETES_BACKOFF, { initialMs: 10_000, maxMs: 300_000, resetAfterMs: 600_000 });
});

policy.run();
backoff.run();
