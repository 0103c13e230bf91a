// Consul's JSON shapes (agent, catalog, health endpoints), built from registry instances.
import type { RegisteredInstance } from '../contract.js';

export interface ConsulNode {
  id: string;
  name: string;
  address: string;
  datacenter: string;
}

/** The TTL check Consul would hold for one instance. */
export interface CheckInfo {
  checkId: string;
  name: string;
  notes: string;
  ttl: boolean;
}

const WEIGHTS = { Passing: 1, Warning: 1 };

export function defaultCheck(serviceId: string, ttl: boolean): CheckInfo {
  return { checkId: `service:${serviceId}`, name: `Service '${serviceId}' check`, notes: '', ttl };
}

export function agentService(i: RegisteredInstance, node: ConsulNode) {
  return {
    Kind: '',
    ID: i.id,
    Service: i.service,
    Tags: i.tags,
    Meta: i.meta,
    Port: i.port,
    Address: i.address,
    TaggedAddresses: {},
    Weights: WEIGHTS,
    EnableTagOverride: false,
    Datacenter: node.datacenter,
  };
}

export function catalogService(i: RegisteredInstance, node: ConsulNode) {
  return {
    ID: node.id,
    Node: node.name,
    Address: node.address,
    Datacenter: node.datacenter,
    TaggedAddresses: { lan: node.address, wan: node.address },
    NodeMeta: {},
    ServiceKind: '',
    ServiceID: i.id,
    ServiceName: i.service,
    ServiceTags: i.tags,
    ServiceAddress: i.address,
    ServiceWeights: WEIGHTS,
    ServiceMeta: i.meta,
    ServicePort: i.port,
    ServiceEnableTagOverride: false,
    ServiceProxy: {},
    ServiceConnect: {},
    CreateIndex: i.createIndex,
    ModifyIndex: i.modifyIndex,
  };
}

function serfHealth(node: ConsulNode) {
  return {
    Node: node.name,
    CheckID: 'serfHealth',
    Name: 'Serf Health Status',
    Status: 'passing',
    Notes: '',
    Output: 'Agent alive and reachable',
    ServiceID: '',
    ServiceName: '',
    ServiceTags: [],
    Type: '',
    CreateIndex: 1,
    ModifyIndex: 1,
  };
}

export function serviceCheck(i: RegisteredInstance, check: CheckInfo, node: ConsulNode) {
  return {
    Node: node.name,
    CheckID: check.checkId,
    Name: check.name,
    Status: i.health,
    Notes: check.notes,
    Output: i.output,
    ServiceID: i.id,
    ServiceName: i.service,
    ServiceTags: i.tags,
    Type: check.ttl ? 'ttl' : '',
    CreateIndex: i.createIndex,
    ModifyIndex: i.modifyIndex,
  };
}

/** One entry of GET /v1/health/service/:name: the node, the service and its checks. */
export function healthEntry(i: RegisteredInstance, check: CheckInfo, node: ConsulNode) {
  return {
    Node: {
      ID: node.id,
      Node: node.name,
      Address: node.address,
      Datacenter: node.datacenter,
      TaggedAddresses: { lan: node.address, wan: node.address },
      Meta: {},
      CreateIndex: 1,
      ModifyIndex: 1,
    },
    Service: { ...agentService(i, node), CreateIndex: i.createIndex, ModifyIndex: i.modifyIndex },
    Checks: [serfHealth(node), serviceCheck(i, check, node)],
  };
}
