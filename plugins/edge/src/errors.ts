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
  /** A budget body the schema refuses (`path: problem` per line). */
  INVALID_BUDGET: defineError('US_EDGE_INVALID_BUDGET', 400, (problems: string) => problems),
  /** A bad `limit` or an unknown query parameter. */
  BAD_QUERY: defineError('US_EDGE_BAD_QUERY', 400, (problems: string) => problems),
} as const;

/** Codes of 400s for request shapes the admin schemas reject (`path: problem` per line). */
export const RequestCodes = {
  INVALID_NODE: EdgeErrors.INVALID_NODE.code,
  INVALID_BUDGET: EdgeErrors.INVALID_BUDGET.code,
  BAD_QUERY: EdgeErrors.BAD_QUERY.code,
} as const;
