// Every error the autoscale plugin raises. Codes are stable (`US_AUTOSCALE_…`); the kernel's
// error handler turns `statusCode` + `code` into `{ statusCode, code, error, message }`.
// Each message says what was wrong and how to fix it.
import { defineError, didYouMean, listNames } from '@understudy/plugin-sdk';

export const AutoscaleErrors = {
  INVALID_SPEC: defineError('US_AUTOSCALE_INVALID_SPEC', 400, (workload: string, problems: string[]) => ({
    message: `Invalid autoscaler for "${workload}" (nothing was changed):\n${problems.join('\n')}`,
    problems,
  })),
  NOT_FOUND: defineError(
    'US_AUTOSCALE_NOT_FOUND',
    404,
    (workload: string, names: string[]) =>
      `No autoscaler for workload "${workload}".${didYouMean(workload, names)} Autoscaled workloads: ${listNames(names)}; create one with PUT /__admin/autoscale/autoscalers/${workload}.`,
  ),
  UNKNOWN_WORKLOAD: defineError(
    'US_AUTOSCALE_UNKNOWN_WORKLOAD',
    404,
    (workload: string, names: string[]) =>
      `The cluster has no workload "${workload}".${didYouMean(workload, names)} Workloads: ${listNames(names)}; create it with PUT /__admin/cluster/workloads/${workload} first.`,
  ),
  QUEUE_NOT_FOUND: defineError(
    'US_AUTOSCALE_QUEUE_NOT_FOUND',
    404,
    (queue: string, names: string[]) => `No queue "${queue}".${didYouMean(queue, names)} Queues: ${listNames(names)}; declare queues under plugins.autoscale.queues.`,
  ),
  INVALID_REQUEST: defineError('US_AUTOSCALE_INVALID_REQUEST', 400, (problems: string[]) => ({
    message: `Invalid request (nothing was changed):\n${problems.join('\n')}`,
    problems,
  })),
  INVALID_QUEUE: defineError('US_AUTOSCALE_INVALID_QUEUE', 400, (queue: string, problems: string[]) => ({
    message: `Invalid change to queue "${queue}" (nothing was changed):\n${problems.join('\n')}`,
    problems,
  })),
} as const;
