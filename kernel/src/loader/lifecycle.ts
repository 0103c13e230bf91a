import type { Tap } from 'tapable';
import { KernelErrors, wrapPluginError } from '../errors/index.js';

export type { PluginState } from '../kernel-api.js';

/** Reject if `work` takes longer than `ms` (wall-clock: guards against hung plugins). */
export function withTimeout<T>(work: Promise<T>, ms: number, plugin: string, hook: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new KernelErrors.PLUGIN_TIMEOUT(plugin, hook, ms)), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

type AnyTap = Tap & { fn: (...args: unknown[]) => unknown; type: 'sync' | 'async' | 'promise'; stage?: number };

export interface LifecycleTapOptions {
  owner: string;
  hook: string;
  timeoutMs: number;
  /** When set, failures are collected here instead of stopping the hook (used for `stopping`). */
  collect?: Error[];
  onFailure(owner: string): void;
}

/**
 * Rewrite a lifecycle tap so it runs as a promise, under the per-plugin timeout,
 * with any failure wrapped to name its plugin and hook.
 */
export function wrapLifecycleTap(tap: AnyTap, opts: LifecycleTapOptions): void {
  const original = tap.fn;
  const type = tap.type;
  const run = (): Promise<unknown> =>
    type === 'async'
      ? new Promise((resolve, reject) => original((err: unknown) => (err ? reject(err) : resolve(undefined))))
      : Promise.resolve().then(() => original());
  tap.type = 'promise';
  tap.fn = async () => {
    try {
      await withTimeout(run(), opts.timeoutMs, opts.owner, opts.hook);
    } catch (err) {
      opts.onFailure(opts.owner);
      const wrapped = (err as { code?: string }).code === 'US_PLUGIN_TIMEOUT' ? (err as Error) : wrapPluginError(opts.owner, opts.hook, err);
      if (opts.collect) opts.collect.push(wrapped);
      else throw wrapped;
    }
  };
}
