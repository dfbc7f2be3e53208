import type { Readable } from 'node:stream';

/** What writing with backpressure needs: a gRPC stream, an HTTP response, any Writable. */
export interface Sink {
  write(chunk: unknown): boolean;
  once(event: 'drain', listener: () => void): unknown;
  off(event: 'drain', listener: () => void): unknown;
}

/**
 * The messages of an object-mode stream, typed; errors of the stream reject the iteration.
 * Ending the iteration does not destroy the stream: for a duplex gRPC call that would also
 * kill the sending side before the status is sent.
 */
export async function* readMessages<T>(stream: Readable): AsyncGenerator<T, void, undefined> {
  for await (const m of stream.iterator({ destroyOnReturn: false })) yield m as T;
}

/**
 * Writes `messages` to `stream`, waiting for `drain` when the stream pushes back.
 * Stops early, throwing `signal.reason`, when `signal` aborts; the source iterator is
 * closed either way so a handler's generator runs its `finally`.
 */
export async function writeMessages<T>(
  stream: Sink,
  messages: AsyncIterable<T>,
  signal: AbortSignal,
  before: (m: T) => unknown,
): Promise<void> {
  for await (const m of messages) {
    signal.throwIfAborted();
    if (!stream.write(before(m))) await drained(stream, signal);
  }
}

/** Resolves on `drain`, rejects with `signal.reason` on abort. */
function drained(stream: Sink, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = (): void => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    };
    const onAbort = (): void => {
      stream.off('drain', onDrain);
      reject(signal.reason);
    };
    if (signal.aborted) return onAbort();
    stream.once('drain', onDrain);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
