// The tee between the upstream's body and the client, without a stream in between: a
// 'data' listener on the upstream body itself keeps the first `limit` bytes of a text/JSON
// body for the learner, while the kernel pipes the same body to the client. When the body
// has ended the observation is handed over (`learner.observe` only enqueues): learning
// never holds up the client's answer. A body that breaks before its end is not learned.
//
// Measured (CPU per proxied request, client, proxy and backend in one process, 4,000
// requests of a 158-byte JSON body): a Transform stream between the two cost ≈ 200 µs more
// than passing the upstream body on (867/647 µs against 436/386 µs in two runs); the
// listener costs what passing it on costs, within noise (536/457 against 567/471 µs).
import type { Readable } from 'node:stream';

const TEXT_TYPES = /^(text\/|application\/([\w.+-]*\+)?(json|xml|javascript|x-www-form-urlencoded)\b)/i;

/** Whether a body of this content type (and encoding) can be learned as text. */
export function isLearnableText(contentType: unknown, contentEncoding?: unknown): boolean {
  if (contentEncoding !== undefined && contentEncoding !== 'identity') return false;
  return typeof contentType === 'string' && TEXT_TYPES.test(contentType);
}

export interface Captured {
  /** Text of the body when it was learnable and fit in the limit. */
  text?: string;
  /** Bytes of the whole body. */
  bytes: number;
  /** The body was learnable but longer than the limit. */
  truncated: boolean;
}

/** What the learner gets of a body read whole (`readWhole`). */
export function capturedOf(body: Buffer, limit: number): Captured {
  if (limit === 0) return { bytes: body.length, truncated: false };
  if (body.length > limit) return { bytes: body.length, truncated: true };
  return { text: body.toString('utf8'), bytes: body.length, truncated: false };
}

/**
 * Read a body whole (a small one with a Content-Length: one buffer, then one write to the
 * client with its length instead of a chunked stream). Rejects when it breaks first.
 */
export function readWhole(body: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    body.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      bytes += chunk.length;
    });
    body.once('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, bytes)));
    body.once('error', reject);
    body.once('close', () => reject(new Error('the upstream body was closed before its end')));
  });
}

/**
 * Watch `body` as it flows to whoever pipes it: `done` gets what was captured at its end,
 * `broken` is called instead when it fails or is destroyed first. The body is left paused,
 * so nothing flows until its consumer pipes it (pipe() resumes it).
 */
export function captureBody(body: Readable, limit: number, done: (captured: Captured) => void, broken: () => void): void {
  const chunks: Buffer[] = [];
  let kept = 0;
  let bytes = 0;
  let overflow = false;
  let ended = false;
  body.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (limit === 0 || overflow) return;
    if (kept + chunk.length <= limit) {
      chunks.push(chunk);
      kept += chunk.length;
    } else {
      // the text would be cut: let go of what was kept now rather than at the end
      overflow = true;
      chunks.length = 0;
    }
  });
  body.pause();
  body.once('end', () => {
    ended = true;
    done({ text: limit > 0 && !overflow ? Buffer.concat(chunks, kept).toString('utf8') : undefined, bytes, truncated: overflow });
  });
  body.once('close', () => {
    if (!ended) broken();
  });
}
