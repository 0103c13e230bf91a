// The soak's server: the whole mesh preset (lib/mesh-gateway.ts, latency and errors scaled
// to 0) in a process of its own, so the memory it reports is the server's alone — no
// load generator, no parent bookkeeping in the same heap. It answers its base URL when
// ready, its memory and its CPU time on request, and exits when told to close.
//
// Memory is read twice: as it is (what a user's `top` shows) and right after a full
// garbage collection (the parent starts this process with --expose-gc), which is what
// the server keeps alive. RSS alone swings by the garbage not yet collected; a leak shows
// as live heap that keeps growing.
import { startMeshPreset } from './mesh-gateway.js';

const gc = (globalThis as { gc?: () => void }).gc;

const target = await startMeshPreset();
const base = new URL(target.url).origin;
process.send!({ type: 'ready', url: base });
process.on('message', async (m: { type: string }) => {
  if (m.type === 'memory') {
    const memory = process.memoryUsage();
    gc?.();
    process.send!({ type: 'memory', memory, afterGc: gc ? process.memoryUsage() : undefined });
  }
  if (m.type === 'cpu') process.send!({ type: 'cpu', usage: process.cpuUsage() });
  if (m.type === 'close') {
    await target.close();
    process.exit(0);
  }
});
