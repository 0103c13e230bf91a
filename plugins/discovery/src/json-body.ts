/** The part of fastify's reply the wire-compatible routes use (fastify is the kernel's dependency, not ours). */
export interface Reply {
  code(status: number): Reply;
  header(name: string, value: string): Reply;
  type(contentType: string): Reply;
  send(body?: unknown): Reply;
}

export { readJsonWhateverTheType } from '@understudy/plugin-sdk';
