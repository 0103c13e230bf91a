// Sample worlds: JSON files of services shipped in ../worlds, or a user's file.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MeshErrors } from './errors.js';

// src/ and dist/ are both one level below the package root
const WORLDS_DIR = fileURLToPath(new URL('../worlds/', import.meta.url));
export const BUNDLED_WORLDS = ['shop'];

export function loadWorld(world: string, baseDir: string): Record<string, unknown> {
  const file = BUNDLED_WORLDS.includes(world) ? resolve(WORLDS_DIR, `${world}.json`) : resolve(baseDir, world);
  if (!world.endsWith('.json') && !BUNDLED_WORLDS.includes(world)) throw new MeshErrors.UNKNOWN_WORLD(world, BUNDLED_WORLDS);
  if (!existsSync(file)) throw new MeshErrors.UNKNOWN_WORLD(world, BUNDLED_WORLDS);
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { services?: Record<string, unknown> };
  return parsed.services ?? {};
}
