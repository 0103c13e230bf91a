// Eureka's JSON shapes (InstanceInfo, Application, Applications) and status ↔ health.
import type { Health, RegisteredInstance } from '../contract.js';

export const EUREKA_STATUSES = ['UP', 'DOWN', 'STARTING', 'OUT_OF_SERVICE', 'UNKNOWN'] as const;
export type EurekaStatus = (typeof EUREKA_STATUSES)[number];

export function isEurekaStatus(value: unknown): value is EurekaStatus {
  return EUREKA_STATUSES.includes(value as EurekaStatus);
}

export function healthOf(status: EurekaStatus): Health {
  if (status === 'UP') return 'passing';
  if (status === 'STARTING' || status === 'UNKNOWN') return 'warning';
  return 'critical';
}

/** What a Eureka client sent, kept to echo back (vipAddress, dataCenterInfo, …). */
export interface EurekaInfo {
  /** Status the instance registered with. */
  status: EurekaStatus;
  /** PUT …/status override, until DELETE …/status. */
  overridden?: EurekaStatus;
  instance: Record<string, unknown>;
  leaseMs: number;
}

/** The Eureka status for an instance: its own, unless something else changed its health since. */
export function statusOf(i: RegisteredInstance, info?: EurekaInfo): EurekaStatus {
  const own = info?.overridden ?? info?.status;
  if (own && healthOf(own) === i.health) return own;
  return i.health === 'passing' ? 'UP' : i.health === 'warning' ? 'STARTING' : 'DOWN';
}

export function instanceInfo(i: RegisteredInstance, info: EurekaInfo | undefined, defaultLeaseMs: number) {
  const sent = info?.instance ?? {};
  const status = statusOf(i, info);
  const leaseMs = info?.leaseMs ?? defaultLeaseMs;
  const hostName = (sent.hostName as string | undefined) ?? i.address;
  const base = `http://${hostName}:${i.port}/`;
  return {
    homePageUrl: base,
    statusPageUrl: `${base}info`,
    healthCheckUrl: `${base}health`,
    secureVipAddress: i.service.toLowerCase(),
    countryId: 1,
    ...sent,
    instanceId: i.id,
    hostName,
    app: i.service.toUpperCase(),
    ipAddr: i.address,
    vipAddress: (sent.vipAddress as string | undefined) ?? i.service.toLowerCase(),
    status,
    overriddenStatus: info?.overridden ?? 'UNKNOWN',
    port: { $: i.port, '@enabled': 'true' },
    securePort: (sent.securePort as unknown) ?? { $: 443, '@enabled': 'false' },
    dataCenterInfo: (sent.dataCenterInfo as unknown) ?? { '@class': 'com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo', name: 'MyOwn' },
    leaseInfo: {
      renewalIntervalInSecs: 30,
      durationInSecs: Math.round(leaseMs / 1000),
      registrationTimestamp: i.registeredAt,
      lastRenewalTimestamp: i.lastHeartbeat,
      evictionTimestamp: 0,
      serviceUpTimestamp: i.registeredAt,
    },
    metadata: Object.keys(i.meta).length ? i.meta : { '@class': 'java.util.Collections$EmptyMap' },
    isCoordinatingDiscoveryServer: 'false',
    lastUpdatedTimestamp: String(i.lastHeartbeat),
    lastDirtyTimestamp: String(i.registeredAt),
    actionType: 'ADDED',
  };
}

export type InstanceInfo = ReturnType<typeof instanceInfo>;

export function application(name: string, instances: InstanceInfo[]) {
  return { name: name.toUpperCase(), instance: instances };
}

/** Eureka's apps__hashcode: instance count per status, e.g. `DOWN_1_UP_2_`. */
export function appsHashcode(instances: InstanceInfo[]): string {
  const counts = new Map<string, number>();
  for (const i of instances) counts.set(i.status, (counts.get(i.status) ?? 0) + 1);
  return [...counts.keys()].sort().map((status) => `${status}_${counts.get(status)}_`).join('');
}
