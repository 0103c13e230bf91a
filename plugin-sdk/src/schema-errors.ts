// Readable 400s for admin routes whose bodies fail their schema: one `path: problem` per
// line instead of ajv's `body/a/b must be equal to constant` (once per union branch).
// Use it as a route's `schemaErrorFormatter`; the kernel's error handler adds the hint.

/** What this needs of an ajv error. */
export interface SchemaError {
  instancePath: string;
  keyword: string;
  message?: string;
  params?: Record<string, unknown>;
}

/**
 * `path: problem` lines joined by `; `: paths with dots (`pipeline.rules.0.when.op`),
 * `dataVar` for the root; a union of constants as `must be one of: "a", "b"`; an extra
 * property as `unknown property "x"`; each line once.
 */
export function describeSchemaErrors(errs: readonly SchemaError[], dataVar: string): string {
  const unions = new Set(errs.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const lines = new Set<string>();
  for (const e of errs) {
    const path = e.instancePath.replace(/^\//, '').replace(/\//g, '.') || dataVar;
    if (e.keyword === 'anyOf') {
      const allowed = errs.filter((b) => b.instancePath === e.instancePath && b.keyword === 'const').map((b) => JSON.stringify(b.params?.allowedValue));
      lines.add(allowed.length ? `${path}: must be one of: ${allowed.join(', ')}` : `${path}: ${e.message}`);
    } else if (unions.has(e.instancePath) && e.keyword === 'const') continue;
    else if (e.params?.additionalProperty !== undefined) lines.add(`${path}: unknown property "${String(e.params.additionalProperty)}"`);
    else lines.add(`${path}: ${e.message}`);
  }
  return [...lines].join('; ') || `${dataVar}: invalid`;
}

/** A fastify `schemaErrorFormatter` answering 400 with `code` and the described errors. */
export function schemaErrorFormatter(code = 'US_BAD_REQUEST') {
  return (errs: readonly SchemaError[], dataVar: string): Error =>
    Object.assign(new Error(describeSchemaErrors(errs, dataVar)), { statusCode: 400, code });
}
