// The files a take leaves when it ends: <name>.vtt (WebVTT chapters) and <name>.json (its
// markers), in the configured folder. They are the record when OBS is absent or refuses,
// and a copy of the chapters when it is not. Names start with the take's start time (UTC),
// so takes of earlier runs, whose ids start again at take-1, are never overwritten.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Take } from './contract.js';

const slug = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'x';

export function fileBase(take: Take): string {
  const started = new Date(take.startedAt).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  return `${started}-${take.id}-${slug(take.scenario ?? 'manual')}${take.session ? `-${slug(take.session)}` : ''}`;
}

export async function writeTakeFiles(dir: string, take: Take, vtt: string, json: string): Promise<{ vtt: string; json: string }> {
  await mkdir(dir, { recursive: true });
  const base = join(dir, fileBase(take));
  const files = { vtt: `${base}.vtt`, json: `${base}.json` };
  await writeFile(files.vtt, vtt, 'utf8');
  await writeFile(files.json, json, 'utf8');
  return files;
}
