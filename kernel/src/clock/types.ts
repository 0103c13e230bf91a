export type TimerHandle = { readonly __timer: unique symbol } | object;

/**
 * Time for plugins. Never call Date.now/setTimeout directly: the virtual clock makes
 * runs reproducible and lets tests skip time instead of sleeping.
 */
export interface Clock {
  readonly kind: 'real' | 'virtual';
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  setInterval(fn: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle): void;
  sleep(ms: number): Promise<void>;
  /** Virtual clock only: move time forward, firing due timers in order. */
  advance(ms: number): Promise<void>;
  /** How many timers are waiting to fire (tests wait for a delayed exchange to be parked). */
  pendingTimers(): number;
  /** Cancel every pending timer (on stop). */
  dispose(): void;
}
