// Run a bench script in a process of its own and get the one message it sends back.
// The child inherits --conditions=source --import tsx, so it can run TypeScript.
import { fork } from 'node:child_process';

export function inChild<T>(script: string, options: { args?: string[]; execArgv?: string[]; send?: unknown } = {}): Promise<T> {
  const child = fork(script, options.args ?? [], { execArgv: [...process.execArgv, ...(options.execArgv ?? [])], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const reply = new Promise<T>((resolve, reject) => {
    child.once('message', (m) => resolve(m as T));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${script} exited with code ${code} before reporting`)));
  });
  if (options.send !== undefined) child.send(options.send as object);
  return reply;
}
