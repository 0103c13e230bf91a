import { KernelErrors } from '../errors/index.js';
import type { Clock, TimerHandle } from './types.js';

/** Wall-clock time; tracks its timers so stop() can cancel them all. */
export function createRealClock(): Clock {
  const timers = new Set<NodeJS.Timeout>();
  const track = (t: NodeJS.Timeout) => (timers.add(t), t);
  return {
    kind: 'real',
    now: () => Date.now(),
    setTimeout(fn, ms) {
      const t: NodeJS.Timeout = setTimeout(() => {
        timers.delete(t);
        fn();
      }, ms);
      return track(t);
    },
    clearTimeout(handle: TimerHandle) {
      clearTimeout(handle as NodeJS.Timeout);
      timers.delete(handle as NodeJS.Timeout);
    },
    setInterval: (fn, ms) => track(setInterval(fn, ms)),
    clearInterval(handle: TimerHandle) {
      clearInterval(handle as NodeJS.Timeout);
      timers.delete(handle as NodeJS.Timeout);
    },
    sleep(ms) {
      return new Promise((resolve) => this.setTimeout(resolve, ms));
    },
    async advance() {
      throw new KernelErrors.CLOCK_NOT_VIRTUAL();
    },
    pendingTimers: () => timers.size,
    dispose() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
