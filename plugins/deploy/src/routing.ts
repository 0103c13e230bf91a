// Traffic shifting at the Route stage, on every hop. Mesh asks its `selectInstance` taps
// whenever a service has two or more Ready instances; for a service with a rollout in
// progress this tap keeps the canary's (or preview's) instances or the stable's:
//   - a request matching one of the rollout's A/B routes (a header or a cookie) always
//     gets the canary — the match is made once per originating request, at
//     Stage.BeforeRoute, and inherited by its child calls, so a matched request stays on
//     the canary at every hop below it;
//   - otherwise the canary with probability weight/100, drawn from the plugin's seeded
//     stream (the same seed and requests give the same split);
//   - when one side has no Ready instance, the candidates are left as they are: a rollout
//     never leaves a service without an instance.
// Nothing is allocated for services without a rollout, and the BeforeRoute tap does
// nothing while no rollout has an A/B route.
import { inheritedLocal, type Exchange, type Random } from '@understudy/plugin-sdk';
import type { MeshInstance } from '@understudy/plugin-mesh';
import type { RouteMatch, StringMatch } from './contract.js';

const MATCHED = inheritedLocal('deploy.matched');
const NONE: ReadonlySet<string> = new Set();

export interface ServiceRoute {
  /** The version that gets `weight`. */
  canaryVersion: string;
  /** 0..100. */
  weight: number;
  matches: RouteMatch[];
}

function test(m: StringMatch, value: string | undefined): boolean {
  if (value === undefined) return false;
  if (m.exact !== undefined) return value === m.exact;
  if (m.prefix !== undefined) return value.startsWith(m.prefix);
  return new RegExp(m.regex!).test(value);
}

function cookie(header: string | string[] | undefined, name: string): string | undefined {
  const text = Array.isArray(header) ? header.join('; ') : header;
  if (!text) return undefined;
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function matchesRequest(matches: readonly RouteMatch[], headers: Record<string, string | string[] | undefined>): boolean {
  for (const m of matches) {
    if ('headerName' in m) {
      const v = headers[m.headerName.toLowerCase()];
      if (test(m.headerValue, Array.isArray(v) ? v[0] : v)) return true;
    } else if (test(m.cookieValue, cookie(headers.cookie, m.cookieName))) return true;
  }
  return false;
}

export class Router {
  private readonly routes = new Map<string, ServiceRoute>();
  private withMatches = 0;

  constructor(private readonly random: Random) {}

  set(service: string, route: ServiceRoute | undefined): void {
    if (route) this.routes.set(service, route);
    else this.routes.delete(service);
    this.withMatches = 0;
    for (const r of this.routes.values()) if (r.matches.length > 0) this.withMatches++;
  }

  get(service: string): ServiceRoute | undefined {
    return this.routes.get(service);
  }

  /** Stage.BeforeRoute: which services' A/B routes this originating request matches (inherited by its calls). */
  readonly beforeRoute = (ex: Exchange): void => {
    if (this.withMatches === 0 || ex.locals[MATCHED] !== undefined) return;
    let hit: Set<string> | undefined;
    const headers = ex.request.headers as Record<string, string | string[] | undefined>;
    for (const [service, r] of this.routes) {
      if (r.matches.length > 0 && matchesRequest(r.matches, headers)) (hit ??= new Set()).add(service);
    }
    ex.locals[MATCHED] = hit ?? NONE;
  };

  /** The `mesh.selectInstance` tap. */
  readonly select = (candidates: readonly MeshInstance[], ex: Exchange): readonly MeshInstance[] => {
    if (this.routes.size === 0 || ex.service === undefined) return candidates;
    const r = this.routes.get(ex.service);
    if (!r) return candidates;
    const canary: MeshInstance[] = [];
    const stable: MeshInstance[] = [];
    for (const c of candidates) (c.version === r.canaryVersion ? canary : stable).push(c);
    if (canary.length === 0 || stable.length === 0) return candidates;
    const matched = (ex.locals[MATCHED] as ReadonlySet<string> | undefined)?.has(ex.service) === true;
    if (matched || r.weight >= 100) return canary;
    if (r.weight <= 0) return stable;
    return this.random.next() * 100 < r.weight ? canary : stable;
  };
}
