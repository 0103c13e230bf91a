// Every error the edge plugin raises. Codes are stable (`US_EDGE_…`); the kernel's error
// handler turns `statusCode` + `code` into `{ statusCode, code, error, message }`.
import { defineError } from '@understudy/plugin-sdk';

export const EdgeErrors = {
  INVALID_NODE: defineError(
    'US_EDGE_INVALID_NODE',
    400,
    (id: string, problems: string[]) => `Invalid edge node "${id}" (nothing was changed):\n${problems.join('\n')}`,
  ),
  DUPLICATE_NODE: defineError(
    'US_EDGE_DUPLICATE_NODE',
    409,
    (id: string) => `An edge node "${id}" already exists. Pick another id, or DELETE /__admin/edge/nodes/${id} first.`,
  ),
  NODE_NOT_FOUND: defineError('US_EDGE_NODE_NOT_FOUND', 404, (id: string) => `No edge node "${id}". List nodes with GET /__admin/edge/nodes.`),
} as const;

/** Codes of 400s for request shapes the admin schemas reject (`path: problem` per line). */
export const RequestCodes = {
  INVALID_NODE: 'US_EDGE_INVALID_NODE',
  INVALID_BUDGET: 'US_EDGE_INVALID_BUDGET',
  BAD_QUERY: 'US_EDGE_BAD_QUERY',
} as const;
