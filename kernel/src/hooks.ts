// Every kernel hook, declared once. Plugins tap them by name and stage; see DESIGN.md.
import { AsyncSeriesHook, AsyncSeriesWaterfallHook } from 'tapable';
import type { Exchange } from './exchange/types.js';

/**
 * Stages of the `exchange` hook. Taps are ordered by stage, never by registration
 * order, and two taps may share a stage only when one orders itself against the other
 * with `before`/`after` (else startup fails with US_STAGE_CONFLICT). The `Before…`/
 * `After…` stages are the published slots between the main ones; use them rather than
 * arithmetic on the numbers.
 */
export const Stage = Object.freeze({
  /** Raw request edits before anyone reads them (chaos corrupting trace headers). */
  BeforeInbound: 90,
  /** Extract or continue the trace context, open a span (tracing). */
  Inbound: 100,
  /** Route hints that must be in place before routing (e.g. a test pinning an instance). */
  BeforeRoute: 190,
  /** Pick the service, version and instance (discovery, mesh, deploy). */
  Route: 200,
  /** Observe the chosen route before guards act on it. */
  AfterRoute: 210,
  /** Short-circuit when a breaker is open. */
  Guard: 300,
  /** Inject latency, errors, outages, partitions (chaos). */
  Fault: 400,
  /** Produce the response; the first tap that sets `ex.response` wins. */
  Respond: 500,
  /** Pretty JSON / XML by content negotiation; runs on every response. */
  Shape: 600,
  /** Last look at the finished response (tracing's response headers). */
  AfterShape: 650,
});
export type StageName = keyof typeof Stage;

/** Extra tap options of the `exchange` hook: order against a tap at the same stage. */
export interface ExchangeTapOptions {
  /** Run after the named tap(s) of the same stage. tapable's own `before` is the converse. */
  after?: string | string[];
}

export function createHooks() {
  return Object.freeze({
    /** After all plugins registered, before listening. */
    ready: new AsyncSeriesHook<[]>(),
    /** After the server listens, in plugin order. */
    started: new AsyncSeriesHook<[]>(),
    /** On stop, in reverse plugin order; every tap runs even if one fails. */
    stopping: new AsyncSeriesHook<[]>(),
    /**
     * Every simulated request flows through it; taps return the (possibly changed)
     * exchange. Run by the kernel's dispatcher (exchange/taps.ts), by stage; once a tap
     * sets `ex.response`, the taps before `Stage.Shape` are skipped.
     */
    exchange: new AsyncSeriesWaterfallHook<[Exchange], Exchange, ExchangeTapOptions>(['exchange']),
    /** After every exchange, failed or not (record outcomes). */
    settled: new AsyncSeriesHook<[Exchange]>(['exchange']),
  });
}

export type KernelHooks = ReturnType<typeof createHooks>;

/** Hook groups that plugins add and expose; extend by declaration merging. */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface PluginHookGroups {}
