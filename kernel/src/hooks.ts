// Every kernel hook, declared once. Plugins tap them by name and stage; see DESIGN.md.
import { AsyncSeriesHook, AsyncSeriesWaterfallHook, SyncHook } from 'tapable';
import type { Exchange } from './exchange/types.js';
import type { UnderstudyEvent } from './events.js';

/**
 * Stages of the `exchange` hook. Taps are ordered by stage, never by registration
 * order; leave gaps so plugins can slot between (e.g. `Stage.Respond + 10`).
 */
export const Stage = Object.freeze({
  Inbound: 100,
  Route: 200,
  Guard: 300,
  Fault: 400,
  Respond: 500,
  Shape: 600,
});
export type StageName = keyof typeof Stage;

export function createHooks() {
  return Object.freeze({
    /** After all plugins registered, before listening. */
    ready: new AsyncSeriesHook<[]>(),
    /** After the server listens, in plugin order. */
    started: new AsyncSeriesHook<[]>(),
    /** On stop, in reverse plugin order; every tap runs even if one fails. */
    stopping: new AsyncSeriesHook<[]>(),
    /** Every simulated request flows through it; taps return the (possibly changed) exchange. */
    exchange: new AsyncSeriesWaterfallHook<[Exchange]>(['exchange']),
    /** After every exchange, failed or not. */
    settled: new AsyncSeriesHook<[Exchange]>(['exchange']),
    /** The one stream of domain events. */
    event: new SyncHook<[UnderstudyEvent]>(['event']),
  });
}

export type KernelHooks = ReturnType<typeof createHooks>;

/** Hook groups that plugins add and expose; extend by declaration merging. */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface PluginHookGroups {}
