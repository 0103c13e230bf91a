// Counters of the proxy (GET /__admin/proxy/stats): plain numbers bumped on the hot path;
// the route spreads the object's own fields, so a new counter shows without more code.
export class ProxyStats {
  /** Requests forwarded to an upstream that answered. */
  proxied = 0;
  /** Mock answers by how they were made. */
  mocked = { synthesized: 0, example: 0, state: 0 };
  /** Mock answers given because the upstream failed. */
  fallbacks = { 'upstream-timeout': 0, 'upstream-error': 0 };
  upstreamErrors = 0;
  upstreamTimeouts = 0;
  /** Mock asked for, endpoint unknown (404 US_PROXY_NOT_LEARNED). */
  notLearned = 0;
  /** Observations handed to the learner / refused by its full queue. */
  observed = 0;
  observeDropped = 0;
  /** Learnable bodies longer than captureBytes (observed without their text). */
  captureTruncated = 0;
  /** Upstream bodies that broke before their end (not learned). */
  bodyAborted = 0;
  byTarget: Record<string, { proxied: number; errors: number }> = {};

  target(name: string): { proxied: number; errors: number } {
    return (this.byTarget[name] ??= { proxied: 0, errors: 0 });
  }
}