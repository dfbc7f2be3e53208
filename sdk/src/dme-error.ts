import { Code, EdgeError, httpStatus, isCode } from '@edge/errors';

/**
 * A failed DME call, whatever the transport: `code` is the gRPC status code, `httpStatus`
 * the HTTP status the REST gateway answered (or would have answered for that code), and
 * `message` the server's exact text (e.g. `invalid or expired cookie`).
 */
export class DmeError extends EdgeError {
  readonly httpStatus: number;

  constructor(code: Code, message: string, options?: { httpStatus?: number; cause?: unknown }) {
    super(code, message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.httpStatus = options?.httpStatus ?? httpStatus(code);
  }

  /** Converts anything thrown by a transport into a DmeError, keeping code and text. */
  static override from(err: unknown, fallback: Code = Code.UNKNOWN): DmeError {
    if (err instanceof DmeError) return err;
    if (err instanceof EdgeError) return new DmeError(err.code, err.message, { cause: err });
    if (isAbort(err)) return new DmeError(Code.CANCELLED, 'call cancelled', { cause: err });
    const message = err instanceof Error ? err.message : String(err);
    return new DmeError(fallback, message, { cause: err });
  }

  /**
   * The error of a non-2xx REST reply. The grpc-gateway body is `{code, error, message}`;
   * without a usable body the code is derived from the HTTP status.
   */
  static fromHttp(status: number, body: unknown, statusText = ''): DmeError {
    const b = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const code = isCode(b['code']) && b['code'] !== Code.OK ? b['code'] : codeForHttp(status);
    const text =
      stringField(b, 'message') ?? stringField(b, 'error') ?? (statusText || `HTTP status ${status}`);
    return new DmeError(code, text, { httpStatus: status });
  }
}

function stringField(b: Record<string, unknown>, key: string): string | undefined {
  const v = b[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function isAbort(err: unknown): boolean {
  const name = (err as { name?: unknown } | null)?.name;
  return name === 'AbortError' || name === 'TimeoutError';
}

/** grpc-gateway's HTTP → gRPC mapping for replies without a status body. */
export function codeForHttp(status: number): Code {
  switch (status) {
    case 400:
      return Code.INVALID_ARGUMENT;
    case 401:
      return Code.UNAUTHENTICATED;
    case 403:
      return Code.PERMISSION_DENIED;
    case 404:
      return Code.NOT_FOUND;
    case 409:
      return Code.ABORTED;
    case 429:
      return Code.RESOURCE_EXHAUSTED;
    case 499:
      return Code.CANCELLED;
    case 501:
      return Code.UNIMPLEMENTED;
    case 503:
      return Code.UNAVAILABLE;
    case 504:
      return Code.DEADLINE_EXCEEDED;
    default:
      return status >= 500 ? Code.INTERNAL : Code.UNKNOWN;
  }
}
