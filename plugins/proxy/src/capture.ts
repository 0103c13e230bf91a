// The tee between the upstream's body and the client: every chunk passes straight on,
// and the first `limit` bytes of a text/JSON body are kept for the learner. When the body
// ends the observation is handed over (`learner.observe` only enqueues): learning never
// holds up the client's response. A body cut short is not learned (counted by the caller).
import { Transform, type TransformCallback } from 'node:stream';

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

export class CaptureStream extends Transform {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  private bytes = 0;
  private overflow = false;
  private result: Captured | undefined;

  constructor(
    /** 0 = count only. */
    private readonly limit: number,
    done: (captured: Captured) => void,
  ) {
    super();
    // 'end': the client's side has read the last chunk, so the answer is on its way
    this.once('end', () => done(this.result!));
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.limit > 0 && !this.overflow) {
      if (this.kept + chunk.length <= this.limit) {
        this.chunks.push(chunk);
        this.kept += chunk.length;
      } else {
        // the text would be cut: drop what was kept now rather than at the end
        this.overflow = true;
        this.chunks.length = 0;
      }
    }
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    const text = this.limit > 0 && !this.overflow ? Buffer.concat(this.chunks, this.kept).toString('utf8') : undefined;
    this.result = { text, bytes: this.bytes, truncated: this.overflow };
    callback();
  }
}
