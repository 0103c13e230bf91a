// From templates to device records, before anything is stored: ids from the pattern,
// identities from the seed, type defaults under the template's own values. Planning
// first means a bad template or a duplicate id refuses the whole request, not half of it.
import type { Random } from '@understudy/plugin-sdk';
import { resolveDeviceType, type DeviceTypeConfig } from './config.js';
import { FleetErrors } from './errors.js';
import { compileIdPattern, DEFAULT_ID_PATTERN, highestIndex } from './id-pattern.js';
import { identityFor } from './identity.js';
import type { Device, ProvisionTemplate } from './contract.js';

export interface PlanContext {
  now: number;
  random: Random;
  deviceTypes: Record<string, DeviceTypeConfig>;
  strictTypes: boolean;
  /** True for an id already provisioned or reserved by a running job. */
  exists(id: string): boolean;
  /** Every id taken, for numbering. */
  ids(): Iterable<string>;
}

/**
 * `append` (REST, the service): numbering continues after the highest index each pattern
 * has used, and an id that exists is a conflict. `ensure` (config at start): numbering
 * starts at 1 for every pattern, and ids that exist are skipped — so the same config
 * provisions nothing new on the next start.
 */
export type PlanMode = 'append' | 'ensure';

const CONNECTIONS = new Set(['mqtt', 'inprocess', 'external']);

function checkTemplate(t: ProvisionTemplate, ctx: PlanContext): void {
  if (typeof t?.type !== 'string' || t.type.length === 0) throw new FleetErrors.BAD_TEMPLATE('type must be a non-empty string');
  if (!Number.isInteger(t.count) || t.count < 1) throw new FleetErrors.BAD_TEMPLATE(`count must be a positive integer (got ${JSON.stringify(t.count)})`);
  if (t.connection !== undefined && !CONNECTIONS.has(t.connection)) {
    throw new FleetErrors.BAD_TEMPLATE(`connection must be mqtt, inprocess or external (got ${JSON.stringify(t.connection)})`);
  }
  for (const [key, value] of Object.entries(t.metadata ?? {})) {
    if (!['string', 'number', 'boolean'].includes(typeof value)) throw new FleetErrors.BAD_TEMPLATE(`metadata.${key} must be a string, number or boolean`);
  }
  if (ctx.strictTypes && !Object.hasOwn(ctx.deviceTypes, t.type)) throw new FleetErrors.UNKNOWN_TYPE(t.type, Object.keys(ctx.deviceTypes));
}

export function planDevices(templates: ProvisionTemplate[], ctx: PlanContext, mode: PlanMode): Device[] {
  const planned: Device[] = [];
  const plannedIds = new Set<string>();
  const conflicts: string[] = [];
  const ensureOffsets = new Map<string, number>();
  const takenIds = function* () {
    yield* ctx.ids();
    yield* plannedIds;
  };

  for (const template of templates) {
    checkTemplate(template, ctx);
    const type = resolveDeviceType(ctx.deviceTypes[template.type]);
    const pattern = compileIdPattern(template.idPattern ?? DEFAULT_ID_PATTERN, template.type);
    if (!pattern.numbered && template.count > 1) {
      throw new FleetErrors.BAD_PATTERN(pattern.source, `{n} is needed to make ${template.count} ids`);
    }
    let first = 1;
    if (mode === 'ensure') {
      const key = `${template.type}\u0000${pattern.source}`;
      first = (ensureOffsets.get(key) ?? 0) + 1;
      ensureOffsets.set(key, first - 1 + template.count);
    } else if (pattern.numbered) {
      first = highestIndex(pattern, takenIds()) + 1;
    }
    for (let n = first; n < first + template.count; n++) {
      const id = pattern.format(n);
      if (ctx.exists(id) || plannedIds.has(id)) {
        if (mode === 'append' || plannedIds.has(id)) conflicts.push(id);
        continue;
      }
      plannedIds.add(id);
      const { serial, password } = identityFor(ctx.random, id);
      planned.push({
        id,
        type: template.type,
        serial,
        credentials: { username: id, password },
        metadata: { ...type.metadata, ...template.metadata },
        firmware: template.firmware ?? type.firmware,
        state: 'provisioned',
        connection: template.connection ?? type.connection,
        provisionedAt: ctx.now,
      });
    }
  }
  if (conflicts.length) throw new FleetErrors.DEVICE_EXISTS(conflicts);
  return planned;
}
