/** A value that arrives once, awaited with a time limit. */
export interface ValueWaiter<T> {
  /** Delivers the value (the first one counts). */
  resolve(value: T): void;
  /** The value, or undefined when `timeoutMs` passes or `signal` aborts first. */
  wait(timeoutMs: number, signal?: AbortSignal): Promise<T | undefined>;
  /** Ends every wait with undefined. */
  cancel(): void;
}

/** Makes a {@link ValueWaiter}. */
export function waitForValue<T>(): ValueWaiter<T> {
  let value: { v: T } | undefined;
  const waiters = new Set<(v: T | undefined) => void>();
  return {
    resolve(v) {
      if (value) return;
      value = { v };
      for (const w of [...waiters]) w(v);
    },
    wait(timeoutMs, signal) {
      if (value) return Promise.resolve(value.v);
      return new Promise((resolve) => {
        const done = (v: T | undefined): void => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          waiters.delete(done);
          resolve(v);
        };
        const onAbort = (): void => done(undefined);
        const timer = setTimeout(() => done(undefined), timeoutMs);
        signal?.addEventListener('abort', onAbort, { once: true });
        waiters.add(done);
      });
    },
    cancel() {
      for (const w of [...waiters]) w(undefined);
    },
  };
}
