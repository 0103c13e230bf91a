import FakeTimers from '@sinonjs/fake-timers';
import type { Clock, TimerHandle } from './types.js';

/** Default start of virtual time: a fixed instant, so runs are reproducible. */
export const VIRTUAL_EPOCH = Date.UTC(2025, 0, 1);

/**
 * Virtual time on @sinonjs/fake-timers' standalone clock (no globals patched):
 * `advance(ms)` fires due timers in order and lets promises settle between them.
 */
export function createVirtualClock(start = VIRTUAL_EPOCH): Clock {
  const fake = FakeTimers.createClock(start, 1_000_000);
  return {
    kind: 'virtual',
    now: () => fake.now,
    setTimeout: (fn, ms) => fake.setTimeout(fn, ms) as unknown as TimerHandle,
    clearTimeout: (handle) => fake.clearTimeout(handle as never),
    setInterval: (fn, ms) => fake.setInterval(fn, ms) as unknown as TimerHandle,
    clearInterval: (handle) => fake.clearInterval(handle as never),
    sleep: (ms) => new Promise<void>((resolve) => void fake.setTimeout(() => resolve(), ms)),
    async advance(ms) {
      await fake.tickAsync(ms);
    },
    pendingTimers: () => fake.countTimers(),
    dispose: () => fake.reset(),
  };
}
