// Stage.Route: recognise `/<service>/<path>` (or an exchange whose service is already
// set: child calls, own-port servers), pick the endpoint and an instance (asking the
// `mesh.selectInstance` taps when there is a choice), and leave the route as the lineage
// the exchange's child calls inherit.
import { errorResponse, inheritedLocal, type Exchange, type Random } from '@understudy/plugin-sdk';
import type { InstanceSource, MeshHooks } from './contract.js';
import { ResponseCodes } from './errors.js';
import { matchEndpoint, type CompiledEndpoint, type Instance, type MeshService, type Topology } from './topology/model.js';

/** The caller's route, which the kernel copies into every child call's locals. */
const LINEAGE = inheritedLocal('mesh.lineage');

/** What a child exchange inherits from the call that made it (in its locals). */
export interface Lineage {
  topology: Topology;
  /** Id of the originating request (its trace id, else its exchange id). */
  origin: string;
  /** Services from the originating request down to the caller. */
  chain: string[];
}

export interface Route extends Lineage {
  service: MeshService;
  endpoint: CompiledEndpoint;
  instance: Instance;
  /** Path below the service. */
  path: string;
  root: boolean;
}

export type Selection = 'round-robin' | 'random';

export interface Router {
  /** The route of `ex`, also left in its locals as the lineage its child calls inherit. */
  route(ex: Exchange): Route | undefined;
}

/** Does `path` start with `/<name>/`? Runs for every child call: compares in place, builds no string. */
function isBelow(path: string, name: string): boolean {
  return path.charCodeAt(0) === 47 && path.startsWith(name, 1) && path.charCodeAt(name.length + 1) === 47;
}

export function createRouter(
  current: () => Topology,
  selection: Selection,
  random: Random,
  select: MeshHooks['selectInstance'],
  source: () => InstanceSource | undefined,
): Router {

  /** The instances that may serve `service` now: its own, or the source's (the cluster's Ready ones). */
  function candidates(service: MeshService): readonly Instance[] {
    const from = source();
    return from?.manages(service.name) ? from.instances(service.name) : service.instances;
  }

  function pickInstance(service: MeshService, ex: Exchange): Instance | undefined {
    const all = candidates(service);
    if (all.length === 0) return undefined;
    const chosen = ex.context.tags.instance;
    // an earlier Route tap (e.g. a deployment) may already have chosen one
    if (typeof chosen === 'string') {
      const found = all.find((i) => i.id === chosen);
      if (found) return found;
    }
    let list: readonly Instance[] = all;
    if (list.length === 1) return list[0];
    if (select.isUsed()) {
      // other plugins' say (breaker's ejected instances); an empty answer vetoes nothing
      const offered = select.call(list, ex);
      if (offered.length > 0) list = offered;
      if (list.length === 1) return list[0];
    }
    return selection === 'random' ? random.pick(list) : list[service.next++ % list.length];
  }

  function find(ex: Exchange, topology: Topology): { service: MeshService; path: string; endpoint?: CompiledEndpoint } | undefined {
    const { path, method } = ex.request;
    if (ex.service === undefined) {
      const slash = path.indexOf('/', 1);
      const service = topology.services.get(slash === -1 ? path.slice(1) : path.slice(1, slash));
      if (!service || path.charCodeAt(0) !== 47) return undefined;
      const rest = slash === -1 ? '/' : path.slice(slash);
      return { service, path: rest, endpoint: matchEndpoint(service, method, rest) };
    }
    const service = topology.services.get(ex.service);
    if (!service) return undefined;
    if (ex.endpoint !== undefined) {
      const endpoint = service.byKey.get(ex.endpoint);
      return { service, path: isBelow(path, service.name) ? path.slice(service.name.length + 1) : path, endpoint };
    }
    // own-port requests carry the bare path; a prefixed one is accepted too
    const endpoint = matchEndpoint(service, method, path);
    if (endpoint || !isBelow(path, service.name)) return { service, path, endpoint };
    const rest = path.slice(service.name.length + 1);
    return { service, path: rest, endpoint: matchEndpoint(service, method, rest) };
  }

  return {
    route(ex) {
      if (ex.protocol !== 'http') return undefined;
      const lineage = ex.locals[LINEAGE] as Lineage | undefined;
      const topology = lineage?.topology ?? current();
      const found = find(ex, topology);
      if (!found) return undefined;
      const { service, endpoint, path } = found;
      ex.service = service.name;
      if (!endpoint) {
        ex.context.unmatched.mesh = {
          service: service.name,
          reason: `service "${service.name}" has no endpoint ${ex.request.method} ${path}`,
          endpoints: service.endpoints.map((e) => `${e.method ?? 'ANY'} ${e.path}`),
        };
        return undefined;
      }
      // set before the instance is picked: selectInstance taps see the whole call
      ex.endpoint = endpoint.key;
      const instance = pickInstance(service, ex);
      if (!instance) {
        // answered here (first responder wins): no tap after Route runs for it
        ex.response = errorResponse(503, ResponseCodes.NO_READY_INSTANCE, `Service "${service.name}" has no Ready instance to serve ${ex.request.method} ${path}.`, {
          service: service.name,
        });
        return undefined;
      }
      ex.context.tags.instance = instance.id;
      ex.context.tags.version = instance.version;
      const route: Route = {
        topology,
        service,
        endpoint,
        instance,
        path,
        root: lineage === undefined,
        origin: lineage?.origin ?? ex.context.traceId ?? ex.id,
        chain: lineage ? [...lineage.chain, service.name] : [service.name],
      };
      // a Route is a Lineage: the child calls of this exchange inherit it
      ex.locals[LINEAGE] = route;
      return route;
    },
  };
}
