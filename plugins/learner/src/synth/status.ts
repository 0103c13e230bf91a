// Which status a mock answers with: errors (5xx) with the endpoint's learned error rate,
// then among the errors or the rest in proportion to how often each status was seen — so
// an endpoint that failed 2 % of the time fails about 2 % of the time when mocked.
import type { Random } from '@understudy/plugin-sdk';
import type { EndpointModel, StatusModel } from '../model/types.js';

function weighted(statuses: StatusModel[], random: Random): StatusModel {
  const total = statuses.reduce((n, s) => n + Math.max(0, s.count), 0);
  if (total <= 0) return statuses[0];
  let r = random.next() * total;
  for (const s of statuses) {
    r -= Math.max(0, s.count);
    if (r < 0) return s;
  }
  return statuses[statuses.length - 1];
}

/** The status model to answer with; undefined when the endpoint has none. */
export function pickStatus(model: EndpointModel, random: Random, withErrors = true): StatusModel | undefined {
  const statuses = model.statuses ?? [];
  if (!statuses.length) return undefined;
  const errors = statuses.filter((s) => s.status >= 500);
  const rest = statuses.filter((s) => s.status < 500);
  if (!rest.length) return weighted(errors, random);
  const rate = withErrors && model.count > 0 ? Math.min(1, Math.max(0, model.errors / model.count)) : 0;
  // draw even when there are no errors, so the body's stream does not depend on the error rate
  const failing = random.next() < rate;
  return failing && errors.length ? weighted(errors, random) : weighted(rest, random);
}

/** The status most responses had, 5xx last: what a static export answers with. */
export function mainStatus(model: EndpointModel): StatusModel | undefined {
  const statuses = [...(model.statuses ?? [])];
  statuses.sort((a, b) => Number(a.status >= 500) - Number(b.status >= 500) || b.count - a.count || a.status - b.status);
  return statuses[0];
}
