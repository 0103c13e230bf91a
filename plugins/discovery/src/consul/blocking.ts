// Consul's blocking query parameters: `?index=N&wait=30s`.
import { parseDuration } from '../durations.js';
import { DiscoveryErrors } from '../errors.js';

export interface BlockingQuery {
  index?: string;
  wait?: string;
}

export interface WaitLimits {
  defaultWaitMs: number;
  maxWaitMs: number;
}

/** The index to wait past and for how long, or undefined for a plain read (no index, or 0). */
export function parseBlocking(query: BlockingQuery, limits: WaitLimits): { index: number; waitMs: number } | undefined {
  if (query.index === undefined || query.index === '') return undefined;
  if (!/^\d+$/.test(query.index)) throw new DiscoveryErrors.INVALID_INDEX(query.index);
  const index = Number(query.index);
  if (index === 0) return undefined;
  const wanted = query.wait === undefined || query.wait === '' ? limits.defaultWaitMs : parseDuration(query.wait, 'wait');
  return { index, waitMs: Math.min(wanted, limits.maxWaitMs) };
}

/** `?passing`, `?passing=true`, `?passing=1` filter; `?passing=false` does not. */
export function flag(value: string | undefined): boolean {
  return value !== undefined && value !== 'false' && value !== '0';
}
