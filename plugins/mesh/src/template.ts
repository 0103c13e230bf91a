// A tiny `{{name}}` template for response bodies, compiled once per endpoint.

export interface TemplateScope {
  service: string;
  endpoint: string;
  instance: string;
  version: string;
  request: { method: string; path: string; url: string; query: Record<string, unknown>; headers: Record<string, unknown> };
  hops: number;
  caller: string;
}

export type Template = (scope: TemplateScope) => string;

const PLACEHOLDER = /\{\{\s*([\w.-]+)\s*\}\}/g;

function lookup(scope: TemplateScope, path: string): string {
  let value: unknown = scope;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return '';
    value = (value as Record<string, unknown>)[key];
  }
  if (value === undefined || value === null) return '';
  return Array.isArray(value) ? value.join(',') : String(value);
}

export function hasPlaceholders(text: string): boolean {
  return text.includes('{{');
}

export function compileTemplate(text: string): Template {
  if (!hasPlaceholders(text)) return () => text;
  const parts = text.split(PLACEHOLDER);
  // split() with a capture group alternates literal text and placeholder names
  return (scope) => {
    let out = '';
    for (let i = 0; i < parts.length; i++) out += i % 2 === 0 ? parts[i] : lookup(scope, parts[i]);
    return out;
  };
}

/** Render the string leaves of a JSON value (keys are left alone). */
export function renderJson(value: unknown, scope: TemplateScope): unknown {
  if (typeof value === 'string') return compileTemplate(value)(scope);
  if (Array.isArray(value)) return value.map((v) => renderJson(v, scope));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = renderJson(v, scope);
    return out;
  }
  return value;
}
