// Where the cluster meets the mesh and real exchanges:
// - the instance source: mesh routes a managed service's calls only to the cluster's
//   Ready instances (the same array until one enters or leaves Ready: no work per call);
// - the Stage.AfterRoute tap: once mesh picked an instance, a real request pays that
//   instance's queueing delay (Wq from the last tick: mesh already samples the service
//   time) and fails with the overload share (503 US_CLUSTER_OVERLOADED), the share shed at
//   the door (the same 503) and the version's own errorRate (500 US_CLUSTER_APP_ERROR),
//   each drawn from the cluster's seeded stream;
// - the settled tap: real requests per service, added to the next tick's demand. The
//   traffic plugin's sample exchanges (tagged `traffic`) and their child calls are not
//   counted: their rate is in traffic.rates() already. A real write (non-GET) a stateful
//   service answered advances its primary's position;
// - stale reads: a real GET served by a replica of a stateful workload still behind is
//   tagged `stale` (and `staleMs`) and answered with `x-understudy-stale-read: <ms behind>`.

/** Set on a traffic sample exchange; its child calls inherit it. */
const SAMPLE = inheritedLocal('cluster.trafficSample');
/** Ms behind of the replica that served a stale read (its response gets the header). */
const STALE = Symbol('cluster.staleRead');
export const STALE_READ_HEADER = 'x-understudy-stale-read';
import { errorResponse, inheritedLocal, respondedWithServerError, type Exchange, type Random } from '@understudy/plugin-sdk';
import { isRead, type ClusterService } from './cluster.js';
import { ResponseCodes } from './errors.js';
import type { InstanceSource } from './mesh-types.js';

export function instanceSource(cluster: ClusterService): InstanceSource {
  return {
    manages: (service) => cluster.manages(service),
    instances: (service) => cluster.readyInstances(service),
  };
}

export function afterRoute(cluster: ClusterService, random: Random, sleep: (ms: number) => Promise<void>) {
  return (ex: Exchange): Promise<Exchange> => {
    if (ex.context.tags.traffic !== undefined) ex.locals[SAMPLE] = true;
    const service = ex.service;
    if (service === undefined || ex.response) return Promise.resolve(ex);
    const wl = cluster.byService.get(service);
    if (!wl) return Promise.resolve(ex);
    const id = ex.context.tags.instance;
    const inst = typeof id === 'string' ? cluster.byId.get(id) : undefined;
    if (!inst) return Promise.resolve(ex);
    const shed = cluster.shedFraction(service);
    if (shed > 0 && random.next() < shed) {
      ex.response = errorResponse(503, ResponseCodes.OVERLOADED, `Service "${service}" sheds ${Math.round(shed * 100)}% of its load; retry later.`, { service, instance: inst.id });
      return Promise.resolve(ex);
    }
    if (inst.failShare > 0 && random.next() < inst.failShare) {
      ex.response = errorResponse(
        503,
        ResponseCodes.OVERLOADED,
        `Instance ${inst.id} of "${service}" is overloaded (utilisation ${Math.round(inst.load.utilisation * 100)}%); add replicas or lower the load.`,
        { service, instance: inst.id },
      );
      return Promise.resolve(ex);
    }
    if (inst.appError > 0 && random.next() < inst.appError) {
      ex.response = errorResponse(500, ResponseCodes.APP_ERROR, `Version ${inst.version} of "${service}" failed this request (its errorRate is ${inst.appError}).`, { service, instance: inst.id });
      return Promise.resolve(ex);
    }
    if (wl.replication && isRead(ex.request.method)) {
      const behind = cluster.realRead(inst, ex.locals[SAMPLE] === true);
      if (behind > 0) {
        ex.context.tags.stale = true;
        ex.context.tags.staleMs = Math.round(behind);
        ex.locals[STALE] = Math.round(behind);
      }
    }
    const wait = Math.round(inst.waitMs);
    if (wait >= 1) return sleep(wait).then(() => ex);
    return Promise.resolve(ex);
  };
}

/** Stage.AfterShape: the response of a stale read says how far behind its replica was. */
export function staleHeader(ex: Exchange): Exchange {
  const behind = ex.locals[STALE];
  if (behind !== undefined && ex.response) ex.response.headers = { ...ex.response.headers, [STALE_READ_HEADER]: String(behind) };
  return ex;
}

/**
 * Counts real requests per service for the next tick, and those that failed (5xx, a fault,
 * no answer): the tick's error rate is at least what real traffic saw, so a failure the load
 * model cannot know of (a chaos partition, a fault on a call) still reaches the ServiceTick
 * that health's SLO verdict reads. Traffic's sample exchanges are counted too for failures
 * (they are real exchanges), but not as demand (the rate model already holds their load).
 */
export function counter(cluster: ClusterService) {
  return (ex: Exchange): void => {
    const service = ex.service;
    if (service === undefined) return;
    const sample = ex.locals[SAMPLE] === true || ex.context.tags.traffic !== undefined;
    const seen = cluster.realOutcomes;
    seen.set(service, (seen.get(service) ?? 0) + 1);
    // a breaker's short circuit never reached the service: counting it would keep the
    // service failing for as long as the breaker (perhaps opened by health) stays open
    const shorted = (ex.context.tags.breaker as { shortCircuited?: boolean } | undefined)?.shortCircuited === true;
    const failed = respondedWithServerError(ex);
    if (!shorted && failed) cluster.realFailures.set(service, (cluster.realFailures.get(service) ?? 0) + 1);
    if (sample) return;
    if (!failed && ex.response && !isRead(ex.request.method)) cluster.realWrite(service);
    const counts = cluster.realCounts;
    counts.set(service, (counts.get(service) ?? 0) + 1);
  };
}
