// The proxy plugin's contract: the events it emits (declared in the kernel's EventMap) and
// the shapes its admin API shows. Other plugins import these types only.
import type { Failure } from './forward.js';

export type { Mode } from './config.js';
export type { ModesView, ModesEdit } from './modes.js';
export type { Failure } from './forward.js';

export interface ProxyFallbackEvent {
  /** The learned endpoint that answered in the upstream's place. */
  key: string;
  target: string;
  reason: 'upstream-timeout' | 'upstream-error';
  failure: Failure;
}

declare module '@understudy/kernel' {
  interface EventMap {
    'proxy.fallback': ProxyFallbackEvent;
  }
}
