import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExchangeResponse, Random } from '@understudy/plugin-sdk';
import { StubsErrors } from './errors.js';
import type { DelayDistribution, ResponseDefinition } from './mapping/types.js';

function sampleDelay(d: DelayDistribution | undefined, random: Random): number {
  if (!d) return 0;
  if (d.type === 'uniform') return d.lower + random.next() * (d.upper - d.lower);
  return d.median * Math.exp(d.sigma * random.normal());
}

async function readBodyFile(filesDir: string, name: string): Promise<Buffer> {
  const file = join(filesDir, name);
  try {
    return await readFile(file);
  } catch (err) {
    throw new StubsErrors.BODY_FILE_UNREADABLE(file, (err as NodeJS.ErrnoException).code ?? (err as Error).message);
  }
}

/** jsonBody serialised once per mapping, not once per request (mappings are replaced, never mutated). */
const jsonBodies = new WeakMap<ResponseDefinition, string>();

function jsonBodyOf(def: ResponseDefinition): string {
  let text = jsonBodies.get(def);
  if (text === undefined) jsonBodies.set(def, (text = JSON.stringify(def.jsonBody)));
  return text;
}

/**
 * Turn a mapping's response definition into the exchange's response. Body files are
 * read on every request, as WireMock does, so edits show up without a reload.
 */
export async function buildResponse(def: ResponseDefinition, filesDir: string | undefined, random: Random): Promise<ExchangeResponse> {
  const headers: Record<string, string | string[]> = { ...def.headers };
  let body: string | Buffer = def.body ?? '';
  if (def.jsonBody !== undefined) {
    body = jsonBodyOf(def);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  } else if (def.base64Body !== undefined) {
    body = Buffer.from(def.base64Body, 'base64');
  } else if (def.bodyFileName !== undefined) {
    // compileMapping refused bodyFileName without a root and paths leaving __files/
    body = await readBodyFile(filesDir!, def.bodyFileName);
  }
  const delayMs = Math.round((def.fixedDelayMilliseconds ?? 0) + sampleDelay(def.delayDistribution, random));
  return { status: def.status ?? 200, headers, body, ...(delayMs > 0 && { delayMs }), ...(def.fault && { fault: def.fault }) };
}
