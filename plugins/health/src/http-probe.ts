// Real HTTP probes (config `http.enabled`): an httpGet probe that names a host is really
// requested, as the kubelet does — GET scheme://host:port/path, success for a status from
// 200 to 399, failure for any other status, a refused connection, or no answer within
// timeoutSeconds. The timeout runs on the kernel clock (virtual in tests), so a slow
// endpoint fails its probe at the same simulated instant every run.
import type { ClusterInstance } from '@understudy/plugin-cluster';
import type { Clock } from '@understudy/plugin-sdk';
import type { ProbeOutcome, ResolvedProbe } from './probes.js';

export function probeUrl(probe: ResolvedProbe): string | undefined {
  const get = probe.httpGet;
  if (!get?.host) return undefined;
  const scheme = get.scheme === 'HTTPS' ? 'https' : 'http';
  const path = get.path.startsWith('/') ? get.path : `/${get.path}`;
  return `${scheme}://${get.host}${get.port === undefined ? '' : `:${get.port}`}${path}`;
}

/** A prober's `http` hook: undefined (simulate) unless the probe names a host. */
export function httpProber(clock: Clock) {
  return (probe: ResolvedProbe, _instance: Readonly<ClusterInstance>): Promise<ProbeOutcome> | undefined => {
    const url = probeUrl(probe);
    if (url === undefined) return undefined;
    return request(clock, url, probe.timeoutSeconds);
  };
}

async function request(clock: Clock, url: string, timeoutSeconds: number): Promise<ProbeOutcome> {
  const abort = new AbortController();
  let timedOut = false;
  const timer = clock.setTimeout(() => {
    timedOut = true;
    abort.abort();
  }, timeoutSeconds * 1000);
  try {
    const res = await fetch(url, { signal: abort.signal, redirect: 'manual', headers: { 'user-agent': 'kube-probe/understudy' } });
    await res.arrayBuffer();
    const ok = res.status >= 200 && res.status < 400;
    return { ok, message: `HTTP probe ${ok ? 'succeeded' : 'failed'} with statuscode: ${res.status}` };
  } catch (err) {
    if (timedOut) return { ok: false, message: `Get "${url}": timed out after ${timeoutSeconds}s` };
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    return { ok: false, message: `Get "${url}": ${cause}` };
  } finally {
    clock.clearTimeout(timer);
  }
}
