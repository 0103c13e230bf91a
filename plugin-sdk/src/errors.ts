// The pattern every plugin's errors.ts follows: a class per stable code, with the HTTP
// status the kernel's error handler turns into `{ statusCode, code, error, message }`.

export interface CodedError extends Error {
  readonly code: string;
  readonly statusCode: number;
}

/**
 * Define one error: `const Errors = { NOT_FOUND: defineError('US_X_NOT_FOUND', 404,
 * (id: string) => \`No thing "${id}". List them with GET /__admin/x.\`) }`, then
 * `throw new Errors.NOT_FOUND(id)`. The message function's parameters type the constructor.
 */
export function defineError<A extends unknown[]>(code: string, statusCode: number, message: (...args: A) => string) {
  return class UnderstudyError extends Error implements CodedError {
    readonly code = code;
    readonly statusCode = statusCode;
    constructor(...args: A) {
      super(message(...args));
      this.name = 'UnderstudyError';
    }
  };
}

/** A body that is not JSON where JSON was expected (the kernel's admin routes use the same code). */
export const InvalidJsonError = defineError(
  'US_INVALID_JSON',
  400,
  (problem: string) => `The request body is not valid JSON (${problem}). Send a JSON document.`,
);
