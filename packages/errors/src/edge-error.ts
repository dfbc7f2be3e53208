import { Code, isCode } from './code';

/** Message shown to callers for failures whose details must not leave the process. */
export const INTERNAL_MESSAGE = 'Internal error';

/**
 * The one error class of the project. `message` is exactly what a user sees (tests
 * assert it); `cause` keeps the original failure for logs and is never sent out.
 */
export class EdgeError extends Error {
  override readonly name = 'EdgeError';
  readonly code: Code;

  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }

  /**
   * Converts anything thrown into an EdgeError. EdgeErrors pass through; objects that
   * look like a gRPC status (`{code, details}`) keep their code and text; anything else
   * becomes INTERNAL with a generic message, the original kept as `cause`.
   */
  static from(err: unknown, fallback: Code = Code.INTERNAL): EdgeError {
    if (err instanceof EdgeError) return err;
    if (typeof err === 'object' && err !== null) {
      const e = err as { code?: unknown; details?: unknown; message?: unknown };
      if (isCode(e.code) && e.code !== Code.OK && typeof e.details === 'string') {
        return new EdgeError(e.code, e.details, { cause: err });
      }
    }
    return new EdgeError(fallback, fallback === Code.INTERNAL ? INTERNAL_MESSAGE : String(err), {
      cause: err,
    });
  }
}

/** `<what>` not found, e.g. `App key {...} not found`. */
export const notFound = (message: string): EdgeError => new EdgeError(Code.NOT_FOUND, message);
/** Create of something that exists already. */
export const alreadyExists = (message: string): EdgeError => new EdgeError(Code.ALREADY_EXISTS, message);
/** The request itself is wrong; the message says which part. */
export const invalidArgument = (message: string): EdgeError => new EdgeError(Code.INVALID_ARGUMENT, message);
/** The request is fine but the system is not in a state to do it now. */
export const failedPrecondition = (message: string): EdgeError =>
  new EdgeError(Code.FAILED_PRECONDITION, message);
/** Caller is not allowed. */
export const permissionDenied = (message: string): EdgeError =>
  new EdgeError(Code.PERMISSION_DENIED, message);
/** Caller is not who it claims, or did not say. */
export const unauthenticated = (message: string): EdgeError => new EdgeError(Code.UNAUTHENTICATED, message);
