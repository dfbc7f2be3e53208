import { Code, EdgeError } from '@edge/errors';

/**
 * The error for an operation stopped by its signal: the signal's reason when it is an
 * EdgeError (the CRM's own time-limit error), otherwise DEADLINE_EXCEEDED naming `what`.
 */
export function abortedError(signal: AbortSignal, what: string): EdgeError {
  const reason: unknown = signal.reason;
  if (reason instanceof EdgeError) return reason;
  return new EdgeError(Code.DEADLINE_EXCEEDED, `${what} was aborted`, { cause: reason });
}

/** Throws {@link abortedError} when `signal` has aborted. */
export function throwIfAborted(signal: AbortSignal, what: string): void {
  if (signal.aborted) throw abortedError(signal, what);
}

/** Waits `ms`, or rejects with {@link abortedError} as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal, what: string): Promise<void> {
  if (signal.aborted) return Promise.reject(abortedError(signal, what));
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortedError(signal, what));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
