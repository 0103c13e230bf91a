// One walk over a parsed JSON body that renders money and normalises dates. It returns
// the same value when nothing changed (no copy of a body without money or dates) and
// builds new objects only along the paths that did.
import { epochMillisToIso, normaliseDateString } from './dates.js';
import type { MoneyRenderer } from './money.js';

export interface TransformOptions {
  money?: MoneyRenderer;
  normaliseDates: boolean;
  epochMillisFields: ReadonlySet<string>;
}

export function transform(value: unknown, options: TransformOptions, key?: string): unknown {
  if (typeof value === 'string') return options.normaliseDates ? normaliseDateString(value) : value;
  if (typeof value === 'number') return key !== undefined && options.epochMillisFields.has(key) ? epochMillisToIso(value) : value;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = transform(value[i], options, key);
      if (v !== value[i]) (out ??= value.slice())[i] = v;
    }
    return out ?? value;
  }
  const obj = value as Record<string, unknown>;
  if (options.money?.isMoney(obj)) return options.money.render(obj.amount as number, obj.currency as string);
  let out: Record<string, unknown> | undefined;
  for (const k in obj) {
    const v = transform(obj[k], options, k);
    if (v !== obj[k]) (out ??= { ...obj })[k] = v;
  }
  return out ?? obj;
}
