// Errors of the wire-compatible routes (Consul's /v1, Eureka's /eureka) with a code
// tooling can read. Those routes answer as their products do, and some of those answers
// are plain text (Consul's "Unknown service ID …") or empty (Eureka's 404), which no
// client can tell apart by body. Every error answer of these routes therefore carries
// `x-understudy-code: US_…`: set here for the plain ones, and copied from the body for
// the JSON errors the kernel's error handler writes.
import type { AdminApp, AdminReply, CodedError } from '@understudy/plugin-sdk';

export const CODE_HEADER = 'x-understudy-code';

const JSON_CODE = /"code":"(US_[A-Z0-9_]+)"/;

/** Answer an error as a plain-text body (the product's own words), with its code in the header. */
export function plainError(reply: AdminReply, status: number, code: string, text: string) {
  return reply.code(status).header(CODE_HEADER, code).type('text/plain; charset=utf-8').send(text);
}

/** A coded error as plain text: its message is the body. */
export function plainCoded(reply: AdminReply, err: CodedError) {
  return plainError(reply, err.statusCode, err.code, err.message);
}

/** Copy the code of every JSON error answer of this scope into the header. */
export function codeHeaderOnErrors(app: AdminApp): void {
  app.addHook('onSend', async (_req, reply, payload) => {
    if (reply.statusCode >= 400 && !reply.hasHeader(CODE_HEADER) && typeof payload === 'string') {
      const code = JSON_CODE.exec(payload)?.[1];
      if (code) reply.header(CODE_HEADER, code);
    }
    return payload;
  });
}
