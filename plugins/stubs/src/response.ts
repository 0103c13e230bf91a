// A mapping's response definition → the exchange's response: status, headers, body (a
// body file read per request), fixed and random delays, connection faults.
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

/** Body files are read on every request, as WireMock does, so edits show up without a reload. */
export async function readBodyFile(filesDir: string, name: string): Promise<Buffer> {
  const file = join(filesDir, name);
  try {
    return await readFile(file);
  } catch (err) {
    throw new StubsErrors.BODY_FILE_UNREADABLE(file, (err as NodeJS.ErrnoException).code ?? (err as Error).message);
  }
}

/** The parts of a response that never change between requests, built once per mapping. */
interface Fixed {
  status: number;
  headers: ExchangeResponse['headers'];
  /** Undefined when the body is read from a file on every request. */
  body: string | Buffer | undefined;
}

// Mappings are replaced, never mutated, so caching by definition object is safe.
const fixedParts = new WeakMap<ResponseDefinition, Fixed>();

function fixedPartsOf(def: ResponseDefinition): Fixed {
  let fixed = fixedParts.get(def);
  if (fixed) return fixed;
  const headers: Record<string, string | string[]> = { ...def.headers };
  let body: string | Buffer | undefined = def.body ?? '';
  if (def.jsonBody !== undefined) {
    body = JSON.stringify(def.jsonBody);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  } else if (def.base64Body !== undefined) {
    body = Buffer.from(def.base64Body, 'base64');
  } else if (def.bodyFileName !== undefined) {
    body = undefined;
  }
  fixed = { status: def.status ?? 200, headers: Object.freeze(headers), body };
  fixedParts.set(def, fixed);
  return fixed;
}

/**
 * Turn a mapping's response definition into the exchange's response; `fileBody` is the
 * body file's content when the mapping names one. Synchronous: this runs per request.
 */
export function buildResponse(def: ResponseDefinition, random: Random, fileBody?: Buffer): ExchangeResponse {
  const { status, headers, body } = fixedPartsOf(def);
  // compileMapping refused bodyFileName without a root and paths leaving __files/
  const response: ExchangeResponse = { status, headers, body: body ?? fileBody! };
  const delayMs = Math.round((def.fixedDelayMilliseconds ?? 0) + sampleDelay(def.delayDistribution, random));
  if (delayMs > 0) response.delayMs = delayMs;
  if (def.fault) response.fault = def.fault;
  return response;
}
