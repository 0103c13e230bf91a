// The intermittent connectivity model: a device alternates online and offline periods
// whose lengths are exponential (a memoryless on/off process), drawn from the device's
// own random stream and timed on the kernel clock — so `await k.advance(ms)` moves it and
// the same seed gives the same outages.
import type { Clock, Random } from '@understudy/plugin-sdk';
import type { Connectivity } from './config.js';

export type Transition = { online: true } | { online: false; expected: boolean };

/** An exponential duration with the given mean, at least 1 ms. */
export function exponential(random: Random, meanMs: number): number {
  return Math.max(1, Math.round(-meanMs * Math.log(1 - random.next())));
}

export class ConnectivityModel {
  private timer: ReturnType<Clock['setTimeout']> | undefined;
  private online = true;

  constructor(
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly settings: Connectivity,
    private readonly onTransition: (t: Transition) => void,
  ) {}

  get running(): boolean {
    return this.timer !== undefined;
  }

  /** Start in an online period (the device has just been told to connect). */
  start(): void {
    if (this.settings.model !== 'intermittent' || this.timer) return;
    this.online = true;
    this.schedule();
  }

  stop(): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    const mean = this.online ? this.settings.meanOnlineMs : this.settings.meanOfflineMs;
    this.timer = this.clock.setTimeout(() => this.flip(), exponential(this.random, mean));
  }

  private flip(): void {
    this.online = !this.online;
    const transition: Transition = this.online ? { online: true } : { online: false, expected: !this.random.chance(this.settings.unexpectedDropRate) };
    this.schedule();
    this.onTransition(transition);
  }
}
