import type { TSchema } from '@sinclair/typebox';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

/** One ajv for all config: all errors, defaults filled in, no type coercion. */
const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false, coerceTypes: false });
addFormats(ajv);
const compiled = new WeakMap<TSchema, ValidateFunction>();

function compile(schema: TSchema): ValidateFunction {
  let fn = compiled.get(schema);
  if (!fn) compiled.set(schema, (fn = ajv.compile(schema)));
  return fn;
}

/** `/plugins/stubs/root` + prefix `plugins.stubs` → `plugins.stubs.root` */
function joinPath(prefix: string, instancePath: string): string {
  const parts = instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const tail = parts.map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`)).join('');
  const joined = `${prefix}${tail}`;
  return joined.startsWith('.') ? joined.slice(1) : joined || '(root)';
}

function describe(error: ErrorObject): { at: string; message: string } {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return { at: '', message: `unknown property "${p.additionalProperty}"` };
    case 'required':
      return { at: '', message: `missing required property "${p.missingProperty}"` };
    case 'enum':
      return { at: '', message: `must be one of: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'const':
      return { at: '', message: `must be ${JSON.stringify(p.allowedValue)}` };
    default:
      return { at: '', message: error.message ?? 'is invalid' };
  }
}

/**
 * Collapse an anyOf (TypeBox unions) into one readable line: `must be one of:
 * "real", "virtual"` rather than one error per branch.
 */
function summarise(errors: ErrorObject[]): ErrorObject[] {
  const unionPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const out: ErrorObject[] = [];
  for (const path of unionPaths) {
    const branches = errors.filter((e) => e.instancePath === path && e.keyword !== 'anyOf');
    const literals = branches.filter((e) => e.keyword === 'const').map((e) => (e.params as { allowedValue: unknown }).allowedValue);
    const types = branches.filter((e) => e.keyword === 'type').map((e) => (e.params as { type: string }).type);
    const allowed = [...literals.map((v) => JSON.stringify(v)), ...types];
    out.push({ ...errors.find((e) => e.instancePath === path && e.keyword === 'anyOf')!, message: `must be one of: ${allowed.join(', ')}` });
  }
  for (const e of errors) {
    if (e.keyword === 'anyOf') continue;
    if ([...unionPaths].some((u) => e.instancePath === u || (e.schemaPath.includes('/anyOf/') && e.instancePath.startsWith(u)))) continue;
    out.push(e);
  }
  return out;
}

/**
 * Validate `value` in place (defaults are written into it) and return one line per
 * problem, each starting with the full dotted path: `plugins.stubs.root: must be string`.
 */
export function validateAgainst(schema: TSchema, value: unknown, prefix = ''): string[] {
  const validate = compile(schema);
  if (validate(value)) return [];
  return summarise(validate.errors ?? []).map((error) => {
    const { message } = describe(error);
    return `${joinPath(prefix, error.instancePath)}: ${message}`;
  });
}
