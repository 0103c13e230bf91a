// Start a named benchmark target in its own process (see server-child.ts).
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

export async function startInChild(name: string): Promise<Target> {
  const child = fork(CHILD, [name], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const { url } = await Promise.race([
    ask<{ url: string }>(child, 'ready'),
    exited.then(() => Promise.reject(new Error(`bench target "${name}" exited before it was ready`))),
  ]);
  return {
    name,
    url,
    cpuUsage: async () => (await ask<{ usage: NodeJS.CpuUsage }>(child, 'cpu')).usage,
    close: async () => {
      child.send({ type: 'close' });
      await exited;
    },
  };
}
