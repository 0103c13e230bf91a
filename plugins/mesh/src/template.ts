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

/** A placeholder's value: `path` is its name split at dots (done once, at compile time). */
function lookup(scope: TemplateScope, path: readonly string[]): string {
  let value: unknown = scope;
  for (const key of path) {
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
  // split() with a capture group alternates literal text and placeholder names
  const parts = text.split(PLACEHOLDER);
  const paths = parts.map((part, i) => (i % 2 === 0 ? [] : part.split('.')));
  return (scope) => {
    let out = '';
    for (let i = 0; i < parts.length; i++) out += i % 2 === 0 ? parts[i] : lookup(scope, paths[i]);
    return out;
  };
}

/** Renders a JSON value for a scope. */
export type JsonTemplate = (scope: TemplateScope) => unknown;

/**
 * Compile a JSON value whose string leaves may hold placeholders (keys are left alone),
 * once per endpoint rather than on every response. Parts without placeholders are
 * returned as they are: the result is only ever serialised, never changed.
 */
export function compileJson(value: unknown): JsonTemplate {
  if (typeof value === 'string') return compileTemplate(value);
  if (!value || typeof value !== 'object' || !hasPlaceholders(JSON.stringify(value))) return () => value;
  if (Array.isArray(value)) {
    const items = value.map(compileJson);
    return (scope) => items.map((item) => item(scope));
  }
  const fields = Object.entries(value).map(([key, v]) => [key, compileJson(v)] as const);
  return (scope) => {
    const out: Record<string, unknown> = {};
    for (const [key, render] of fields) out[key] = render(scope);
    return out;
  };
}
