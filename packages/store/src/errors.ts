import { Code, EdgeError } from '@edge/errors';

/**
 * Errors of the store layer. They are EdgeErrors so that a Controller handler can let
 * them through unchanged: a transaction that keeps conflicting is ABORTED (the caller
 * may retry), a closed store is UNAVAILABLE.
 */

/** Message of the error a watch reports when its start revision is no longer kept. */
export const COMPACTED_MESSAGE = 'required revision has been compacted';

/** The watch cannot replay from `revision`: that history is gone; relist and watch again. */
export function compactedError(revision: number, cause?: unknown): EdgeError {
  return new EdgeError(Code.OUT_OF_RANGE, `${COMPACTED_MESSAGE} (watch from revision ${revision})`, {
    cause,
  });
}

/** True for the error of {@link compactedError}. */
export function isCompacted(err: unknown): boolean {
  return (
    err instanceof EdgeError && err.code === Code.OUT_OF_RANGE && err.message.startsWith(COMPACTED_MESSAGE)
  );
}

/** The transaction kept conflicting with concurrent writers. */
export function txnAborted(attempts: number): EdgeError {
  return new EdgeError(Code.ABORTED, `transaction conflicted ${attempts} times, giving up`);
}

/** The store was closed; nothing more can be read or written through it. */
export function storeClosed(): EdgeError {
  return new EdgeError(Code.UNAVAILABLE, 'store is closed');
}

/** A write named a lease the store does not know (expired, revoked or never granted). */
export function leaseNotFound(id: string): EdgeError {
  return new EdgeError(Code.NOT_FOUND, `lease ${id} not found`);
}

/** The store failed in a way the caller cannot fix; the cause is kept for logs only. */
export function storeUnavailable(cause: unknown): EdgeError {
  return new EdgeError(Code.UNAVAILABLE, 'store unavailable', { cause });
}
