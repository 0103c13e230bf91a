// Errors every plugin shares. Each plugin's own errors.ts uses `defineError` (the
// kernel's one factory, re-exported here): a class per stable code, with the HTTP status
// the kernel's error handler turns into `{ statusCode, code, error, message }`.
import { KernelErrors } from '@understudy/kernel';

/** A body that is not JSON where JSON was expected (the kernel's admin routes use the same code). */
export const InvalidJsonError = KernelErrors.INVALID_JSON;
