// Request bodies on plugins' own plain node:http listeners (a mesh service's own port,
// …), under the same limit as the main port (`server.bodyLimit`): "every listener the
// project opens shares one body limit". fastify enforces it on the main port; these two
// helpers give a plain listener the same 413 and the same error shape.
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { KernelErrors } from '../errors/index.js';

const tooLarge = (limit: number, size?: number) =>
  new KernelErrors.BODY_TOO_LARGE(
    `The request body${size === undefined ? '' : ` (${size} bytes)`} is larger than the limit of ${limit} bytes. Send a smaller body, or raise \`server.bodyLimit\` in the config.`,
  );

/**
 * Read a request's whole body, refusing one larger than `limit` bytes (pass
 * `ctx.resolve('config').server.bodyLimit`). A declared `Content-Length` over the limit is
 * refused before a byte is read; a chunked body as soon as it crosses the limit, and what
 * was read is let go. Rejects with a coded 413 `US_BODY_TOO_LARGE`: answer it with
 * `writeError(res, err)`, which closes the connection, so the rest of the body is never read.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.pause();
      return reject(tooLarge(limit, declared));
    }
    let chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      chunks = [];
      req.off('data', onData);
      req.pause();
      reject(tooLarge(limit));
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Write an error as `{ statusCode, code, error, message }` (the control plane's shape) to
 * a plain node:http response. A 413 also closes the connection (`Connection: close`,
 * then the socket once the answer is written), so a client that keeps sending is not read.
 */
export function writeError(res: ServerResponse, err: unknown): void {
  const { statusCode: status, code: given, message } = (err ?? {}) as { statusCode?: unknown; code?: unknown; message?: unknown };
  const statusCode = typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
  const code = typeof given === 'string' && given.startsWith('US_') ? given : statusCode < 500 ? KernelErrors.BAD_REQUEST.code : KernelErrors.INTERNAL.code;
  const body = JSON.stringify({ statusCode, code, error: STATUS_CODES[statusCode] ?? 'Error', message: typeof message === 'string' ? message : String(err) });
  if (res.headersSent) return void res.destroy();
  res.statusCode = statusCode;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(body));
  if (statusCode === 413) {
    res.setHeader('connection', 'close');
    const socket = res.socket;
    res.once('finish', () => socket?.destroySoon());
  }
  res.end(body);
}
