import type { Metadata, StatusObject, status as Status } from '@grpc/grpc-js';
import { Code, EdgeError, INTERNAL_MESSAGE } from '@edge/errors';
import type { Logger } from '@edge/log';

/**
 * Converts whatever a handler or interceptor threw into the EdgeError sent to the caller.
 * This is the one place where server-side failures are converted; failures that are not
 * EdgeErrors become INTERNAL with the generic message and are logged with their cause,
 * which never leaves the process.
 */
export function toEdgeError(err: unknown, log: Logger): EdgeError {
  const e = EdgeError.from(err);
  if (!(err instanceof EdgeError) && e.code === Code.INTERNAL && e.message === INTERNAL_MESSAGE) {
    log.error({ err: e.cause instanceof Error ? e.cause : { value: String(e.cause) } }, 'unexpected failure');
  }
  return e;
}

/** The gRPC status object of an EdgeError: same code, exact message as details. */
export function grpcStatus(e: EdgeError, metadata: Metadata): StatusObject {
  // Codes are numerically gRPC's, by construction of @edge/errors.
  return { code: e.code as number as Status, details: e.message, metadata };
}
