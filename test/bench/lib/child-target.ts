// A benchmark target in a process of its own (see server-child.ts): the parent forks an entry
// file and gets a Target back; the child serves one with `serveTarget` — it answers its URL,
// its CPU time on request, and exits when told to close.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Target } from './targets.js';

const CHILD = fileURLToPath(new URL('./server-child.ts', import.meta.url));

function ask<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (m: { type: string } & T) => {
      if (m.type !== type) return;
      child.off('message', onMessage);
      resolve(m);
    };
    child.on('message', onMessage);
    if (type !== 'ready') child.send({ type });
  });
}

/** Fork `entry` with `args`; it must call `serveTarget`. The target's name is the child's, or `label`. */
export async function forkTarget(entry: string, args: string[], label: string): Promise<Target> {
  const child = fork(entry, args, { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await Promise.race([
    ask<{ url: string; name?: string }>(child, 'ready'),
    exited.then(() => Promise.reject(new Error(`bench target "${label}" exited before it was ready`))),
  ]);
  return {
    name: ready.name ?? label,
    url: ready.url,
    cpuUsage: async () => (await ask<{ usage: NodeJS.CpuUsage }>(child, 'cpu')).usage,
    close: async () => {
      child.send({ type: 'close' });
      await exited;
    },
  };
}

/** The child's side: report the target, answer CPU time, close and exit on request. */
export function serveTarget(target: Target): void {
  process.send!({ type: 'ready', url: target.url, name: target.name });
  process.on('message', async (m: { type: string }) => {
    if (m.type === 'cpu') process.send!({ type: 'cpu', usage: process.cpuUsage() });
    if (m.type === 'close') {
      await target.close();
      process.exit(0);
    }
  });
}

/** One of server-child.ts's named targets in its own process, named as asked. */
export async function startInChild(name: string): Promise<Target> {
  return { ...(await forkTarget(CHILD, [name], name)), name };
}
