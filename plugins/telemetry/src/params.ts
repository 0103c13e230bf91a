// A sensor spec's params merged over the model's defaults, checked against their types.
import type { Params, SensorModel } from './sensors/model.js';

const kindOf = (v: unknown) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);

/** The merged params, and every problem as `name: what is wrong` (empty when fine). */
export function resolveParams(model: SensorModel<any, any>, given: Params = {}): { params: Params; problems: string[] } {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(given)) {
    if (!Object.hasOwn(model.defaults, key)) {
      problems.push(`${key}: unknown parameter of ${model.name} (known: ${Object.keys(model.defaults).join(', ')})`);
    } else if (kindOf(value) !== kindOf(model.defaults[key])) {
      problems.push(`${key}: must be ${kindOf(model.defaults[key])}, got ${kindOf(value)}`);
    }
  }
  const params = { ...model.defaults, ...given };
  if (problems.length === 0 && model.check) problems.push(...model.check(params));
  return { params, problems };
}
