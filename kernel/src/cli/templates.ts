// Files the CLI writes live in kernel/templates/, with `{{name}}` placeholders.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** kernel/templates, from src/cli (source runs) and dist/cli (installed) alike. */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

/** Replace every `{{key}}`; an unknown key is a bug in the template, so it throws. */
export function render(text: string, vars: Record<string, string>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    if (!Object.hasOwn(vars, key)) throw new Error(`template placeholder {{${key}}} has no value`);
    return vars[key];
  });
}

export function readTemplate(path: string): string {
  return readFileSync(join(TEMPLATES_DIR, path), 'utf8');
}

/** Every file under a template folder, as paths relative to it (sorted). */
export function templateFiles(folder: string): string[] {
  const root = join(TEMPLATES_DIR, folder);
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(root, full));
    }
  };
  walk(root);
  return out;
}
