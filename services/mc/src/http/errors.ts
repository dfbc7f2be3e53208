import { Code, EdgeError } from '@edge/errors';

/** An error answered with a specific HTTP status the gRPC code does not imply (e.g. 511 for a missing OTP). */
export class HttpError extends EdgeError {
  constructor(
    readonly status: number,
    code: Code,
    message: string,
  ) {
    super(code, message);
  }
}

/** 403 `{"message":"Forbidden"}`: the one answer to every RBAC denial (no hint whether the org exists). */
export const forbidden = (): EdgeError => new EdgeError(Code.PERMISSION_DENIED, 'Forbidden');

/**
 * The MC's HTTP status for an error, as the original answers: plain errors are 400
 * (a Controller's NOT_FOUND or ALREADY_EXISTS included), authentication 401, RBAC 403,
 * rate limits 429, unexpected failures 500.
 */
export function mcHttpStatus(err: EdgeError): number {
  if (err instanceof HttpError) return err.status;
  switch (err.code) {
    case Code.UNAUTHENTICATED:
      return 401;
    case Code.PERMISSION_DENIED:
      return 403;
    case Code.RESOURCE_EXHAUSTED:
      return 429;
    case Code.INTERNAL:
    case Code.UNKNOWN:
    case Code.DATA_LOSS:
      return 500;
    default:
      return 400;
  }
}

/** The original MC capitalises the first letter of every error message it returns. */
export function capitalize(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}

/** `{status, body}` of an error reply: `{"message":"<Capitalised message>"}`. */
export function errorReply(err: unknown): { status: number; body: { message: string } } {
  const e = EdgeError.from(err);
  return { status: mcHttpStatus(e), body: { message: capitalize(e.message) } };
}
