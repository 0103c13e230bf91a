// The one error factory of the project: the kernel's catalogue and every plugin's
// errors.ts are built with it (the SDK re-exports it). Each error has a stable code, an
// HTTP status (where it crosses an API), a message that says how to fix the problem, and
// optional structured fields (`wanted`, `available`, `path`, …) so that tools such as
// the CLI build hints from data rather than by reading messages.

export interface CodedError extends Error {
  readonly code: string;
  readonly statusCode: number;
}

/** What a message function returns: the text, or the text with structured fields. */
export type ErrorText = string | ({ message: string } & Record<string, unknown>);

export interface ErrorClass<A extends unknown[]> {
  new (...args: A): CodedError & Record<string, unknown>;
  readonly code: string;
  readonly statusCode: number;
}

/**
 * Define one error: `const Errors = { NOT_FOUND: defineError('US_X_NOT_FOUND', 404,
 * (id: string) => \`No thing "${id}". List them with GET /__admin/x.\`) }`, then
 * `throw new Errors.NOT_FOUND(id)`. The message function's parameters type the
 * constructor; return `{ message, ...fields }` to attach fields to the error.
 */
export function defineError<A extends unknown[]>(code: string, statusCode: number, text: (...args: A) => ErrorText): ErrorClass<A> {
  class UnderstudyError extends Error implements CodedError {
    static readonly code = code;
    static readonly statusCode = statusCode;
    readonly code = code;
    readonly statusCode = statusCode;
    constructor(...args: A) {
      const made = text(...args);
      if (typeof made === 'string') super(made);
      else {
        const { message, ...fields } = made;
        super(message);
        Object.assign(this, fields);
      }
      this.name = 'UnderstudyError';
    }
  }
  return UnderstudyError as unknown as ErrorClass<A>;
}

