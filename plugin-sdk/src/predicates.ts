// "Did this exchange fail?" has two honest answers, and each plugin's README says which
// it uses:
// - respondedWithError: the caller did not get what it asked for (any 4xx or 5xx, a
//   broken connection, or no response). Mesh's call policies and chaos's observations
//   use it: a 404 from a dependency fails the call that needed it.
// - respondedWithServerError: the service itself failed (5xx, a broken connection, or no
//   response); a 4xx is the caller's mistake. Breakers (as Resilience4j and Envoy's outlier
//   detection) and tracing's SERVER span status (as OpenTelemetry's HTTP conventions) use it.
import type { Exchange } from '@understudy/kernel';

export function respondedWithError(ex: Pick<Exchange, 'response'>): boolean {
  const res = ex.response;
  return !res || res.status >= 400 || res.fault !== undefined;
}

export function respondedWithServerError(ex: Pick<Exchange, 'response'>): boolean {
  const res = ex.response;
  return !res || res.status >= 500 || res.fault !== undefined;
}
