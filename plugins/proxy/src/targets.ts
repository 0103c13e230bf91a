// Upstream targets: one undici Pool per target (keep-alive, connect and body timeouts),
// picked by the longest path prefix on whole segments. The pool is bound to the target's
// origin, so nothing in a request (Host, an absolute-form URL, `//host/…`) can send it
// elsewhere: the proxy is never an open relay.
import { Pool } from 'undici';
import type { ProxyConfig, TargetConfig } from './config.js';

export interface Target {
  name: string;
  prefix: string;
  url: URL;
  /** The target URL's own path without a trailing slash ('' for none). */
  basePath: string;
  headers: Record<string, string>;
  pool: Pool;
}

export function targetsOf(config: ProxyConfig): TargetConfig[] {
  const list = [...config.targets];
  if (config.target) list.unshift({ name: 'default', prefix: '/', url: config.target, headers: {} });
  return list;
}

/** Problems of the target list, each with its config path. */
export function checkTargets(config: ProxyConfig): string[] {
  const problems: string[] = [];
  if (!config.target && config.targets.length === 0) problems.push('plugins.proxy.target: is required (or plugins.proxy.targets): the URL of the API to stand in for');
  const seen = new Map<string, string>();
  config.targets.forEach((t, i) => {
    try {
      new URL(t.url);
    } catch {
      problems.push(`plugins.proxy.targets[${i}].url: must be a valid http(s) URL`);
    }
    const prefix = normalPrefix(t.prefix);
    if (seen.has(t.name)) problems.push(`plugins.proxy.targets[${i}].name: "${t.name}" is also the name of ${seen.get(t.name)}`);
    seen.set(t.name, `targets[${i}]`);
    const same = config.targets.findIndex((o, j) => j < i && normalPrefix(o.prefix) === prefix);
    if (same !== -1 || (config.target && prefix === '/')) problems.push(`plugins.proxy.targets[${i}].prefix: "${t.prefix}" is already routed to ${same !== -1 ? `targets[${same}]` : 'target'}`);
  });
  if (config.target && config.targets.some((t) => t.name === 'default')) problems.push('plugins.proxy.targets: the name "default" belongs to the target shorthand');
  return problems;
}

const normalPrefix = (p: string) => (p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p);

export function createTargets(list: TargetConfig[], config: ProxyConfig): Target[] {
  const targets = list.map((t) => {
    const url = new URL(t.url);
    const pool = new Pool(url.origin, {
      connections: config.pool.connections,
      pipelining: config.pool.pipelining,
      keepAliveTimeout: config.pool.keepAliveTimeoutMs,
      connect: { timeout: config.timeouts.connectMs },
      bodyTimeout: config.timeouts.bodyMs,
      // the kernel-clock timer of forward.ts bounds the wait for headers; this is a real-time backstop
      headersTimeout: 0,
    });
    return { name: t.name, prefix: normalPrefix(t.prefix), url, basePath: url.pathname.replace(/\/+$/, ''), headers: t.headers ?? {}, pool };
  });
  // longest prefix first
  return targets.sort((a, b) => b.prefix.length - a.prefix.length);
}

/** The target a path goes to, or undefined. */
export function pickTarget(targets: Target[], path: string): Target | undefined {
  for (const t of targets) {
    if (t.prefix === '/' || path === t.prefix || path.startsWith(`${t.prefix}/`)) return t;
  }
  return undefined;
}

/** Path and query sent to the target: its base path, then the request's path past the prefix. */
export function upstreamPath(target: Target, pathAndQuery: string): string {
  const rest = target.prefix === '/' ? pathAndQuery : pathAndQuery.slice(target.prefix.length);
  const tail = rest === '' || rest.startsWith('?') ? `/${rest}` : rest;
  return target.basePath + tail;
}

/** The target URL for reads: user info and query values redacted. */
export function redactedUrl(url: URL): string {
  const copy = new URL(url.href);
  if (copy.username) copy.username = 'REDACTED';
  if (copy.password) copy.password = 'REDACTED';
  for (const key of [...copy.searchParams.keys()]) copy.searchParams.set(key, 'REDACTED');
  return copy.href;
}

/**
 * The path and query of a request target: origin-form as it is; absolute-form
 * (`GET http://elsewhere/x`) keeps only its path and query, never its authority.
 * Undefined for anything else (`*`, garbage).
 */
export function originForm(url: string): string | undefined {
  if (url.startsWith('/')) return url;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
    return parsed.pathname + parsed.search;
  } catch {
    return undefined;
  }
}
