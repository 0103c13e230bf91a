// Every error the deploy plugin raises. Codes are stable (`US_DEPLOY_…`); each message
// says what was wrong and how to fix it.
import { defineError } from '@understudy/plugin-sdk';

const list = (names: string[]) => (names.length ? names.slice(0, 20).join(', ') + (names.length > 20 ? ', …' : '') : 'none');

export const DeployErrors = {
  INVALID_ROLLOUT: defineError('US_DEPLOY_INVALID_ROLLOUT', 400, (workload: string, problems: string[]) => ({
    message: `Invalid rollout of "${workload}" (nothing was changed):\n${problems.join('\n')}`,
    problems,
  })),
  INVALID_REQUEST: defineError('US_DEPLOY_INVALID_REQUEST', 400, (problems: string[]) => ({
    message: `Invalid request (nothing was changed):\n${problems.join('\n')}`,
    problems,
  })),
  WORKLOAD_NOT_FOUND: defineError(
    'US_DEPLOY_WORKLOAD_NOT_FOUND',
    404,
    (name: string, names: string[]) => `No workload "${name}" in the cluster. Workloads: ${list(names)}; create one with PUT /__admin/cluster/workloads/${name}.`,
  ),
  INVALID_ACTION: defineError('US_DEPLOY_INVALID_ACTION', 409, (workload: string, action: string, why: string) => `Cannot ${action} the rollout of "${workload}": ${why}.`),
  IN_PROGRESS: defineError(
    'US_DEPLOY_IN_PROGRESS',
    409,
    (workload: string, phase: string, version: string) =>
      `A rollout of "${workload}" to ${version} is ${phase}. Promote or abort it first (POST /__admin/deploy/rollouts/${workload}/promote or /abort), or roll back (POST …/rollback).`,
  ),
  UNCHANGED: defineError('US_DEPLOY_UNCHANGED', 409, (workload: string, version: string) => `"${workload}" runs version ${version} already: nothing to roll out. Name another version.`),
  REVISION_NOT_FOUND: defineError(
    'US_DEPLOY_REVISION_NOT_FOUND',
    404,
    (workload: string, revision: number, revisions: number[]) =>
      `"${workload}" has no revision ${revision} to roll back to (kept: ${revisions.join(', ') || 'none'}; GET /__admin/deploy/rollouts/${workload}/history lists them).`,
  ),
} as const;
