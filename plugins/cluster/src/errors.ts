// Every error the cluster plugin raises. Codes are stable (`US_CLUSTER_…`); the kernel's
// error handler turns `statusCode` + `code` into `{ statusCode, code, error, message }`.
// Each message says what was wrong and how to fix it (a near name is suggested).
import { defineError, didYouMean, listNames } from '@understudy/plugin-sdk';

export const ClusterErrors = {
  NODE_NOT_FOUND: defineError(
    'US_CLUSTER_NODE_NOT_FOUND',
    404,
    (name: string, names: string[]) => `No node "${name}".${didYouMean(name, names)} Nodes: ${listNames(names)}; list them with GET /__admin/cluster/nodes.`,
  ),
  WORKLOAD_NOT_FOUND: defineError(
    'US_CLUSTER_WORKLOAD_NOT_FOUND',
    404,
    (name: string, names: string[]) =>
      `No workload "${name}".${didYouMean(name, names)} Workloads: ${listNames(names)}; list them with GET /__admin/cluster/workloads, create one with PUT /__admin/cluster/workloads/${name}.`,
  ),
  INSTANCE_NOT_FOUND: defineError(
    'US_CLUSTER_INSTANCE_NOT_FOUND',
    404,
    (id: string) => `No instance "${id}" (a terminated one leaves after a while). List them with GET /__admin/cluster/instances?workload=<name>.`,
  ),
  INVALID_WORKLOAD: defineError('US_CLUSTER_INVALID_WORKLOAD', 400, (name: string, problems: string[]) => ({
    message: `Invalid workload "${name}" (nothing was changed):\n${problems.join('\n')}`,
    problems,
  })),
  INVALID_NODE: defineError('US_CLUSTER_INVALID_NODE', 400, (problems: string[]) => ({
    message: `Invalid node (nothing was changed):\n${problems.join('\n')}`,
    problems,
  })),
  NODE_EXISTS: defineError('US_CLUSTER_NODE_EXISTS', 409, (name: string) => `A node "${name}" exists already. Pick another name, or change it with its own routes (cordon, drain, pressure).`),
  INVALID_ACTION: defineError('US_CLUSTER_INVALID_ACTION', 409, (what: string, why: string) => `Cannot ${what}: ${why}.`),
  INVALID_VALUE: defineError('US_CLUSTER_INVALID_VALUE', 400, (problems: string[]) => ({ message: `Invalid value (nothing was changed):\n${problems.join('\n')}`, problems })),
} as const;

/** Codes of the responses the cluster answers in place of an overloaded or failing instance (responses, not thrown). */
export const ResponseCodes = {
  OVERLOADED: 'US_CLUSTER_OVERLOADED',
  APP_ERROR: 'US_CLUSTER_APP_ERROR',
} as const;
