// The mappings a stubs root and the config hold: mappings/**/*.json in sorted order,
// then inline mappings, each compiled (a bad file stops startup naming file and field).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { StubsErrors } from './errors.js';
import { compileMapping, type CompiledMapping, type CompileOptions } from './mapping/validate.js';

/** Every `*.json` below `dir`, sorted so load order (and tie-breaking) is stable. */
function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
}

/** One file holds one mapping or `{ "mappings": [...] }`, as in WireMock. */
function readMappingFile(file: string, opts: CompileOptions): CompiledMapping[] {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new StubsErrors.MAPPING_FILE_INVALID(file, `not valid JSON (${(err as Error).message})`);
  }
  try {
    const list = (data as { mappings?: unknown }).mappings;
    if (Array.isArray(list)) return list.map((m, i) => compileMapping(m, `mappings[${i}]`, opts));
    return [compileMapping(data, '', opts)];
  } catch (err) {
    throw new StubsErrors.MAPPING_FILE_INVALID(file, (err as Error).message);
  }
}

export interface DefaultsSource {
  /** Absolute root folder holding mappings/ and __files/, if configured. */
  root?: string;
  /** Mappings given in config, checked with paths under `plugins.stubs.mappings`. */
  inline: unknown[];
}

/** The mappings the store starts with (and resets to): files first, then config. */
export function loadDefaults(source: DefaultsSource, opts: CompileOptions): CompiledMapping[] {
  const loaded: Array<{ compiled: CompiledMapping; from: string }> = [];
  if (source.root !== undefined) {
    if (!existsSync(source.root) || !statSync(source.root).isDirectory()) throw new StubsErrors.ROOT_NOT_FOUND(source.root);
    const dir = join(source.root, 'mappings');
    if (existsSync(dir)) {
      for (const file of jsonFiles(dir)) {
        for (const compiled of readMappingFile(file, opts)) loaded.push({ compiled, from: relative(source.root, file) });
      }
    }
  }
  source.inline.forEach((m, i) => loaded.push({ compiled: compileMapping(m, `plugins.stubs.mappings[${i}]`, opts), from: 'config' }));
  const seen = new Map<string, string>();
  for (const { compiled, from } of loaded) {
    const id = compiled.mapping.id;
    const other = seen.get(id);
    if (other) throw new StubsErrors.MAPPING_FILE_INVALID(from, `id ${id} is also used by ${other}; ids must be unique`);
    seen.set(id, from);
  }
  return loaded.map((l) => l.compiled);
}
